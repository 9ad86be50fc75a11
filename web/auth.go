package web

import (
	"context"

	"github.com/debrief-oss/debrief"
)

// This file is the contract between authentication and the handlers:
// middleware resolves who is asking (a session cookie or an API token) and
// puts it in the request context; handlers read it with actorFrom.

type authKey int

const (
	actorKey authKey = iota
	csrfKey
)

// withActor returns ctx carrying the actor and, for a browser session, the
// session's CSRF token.
func withActor(ctx context.Context, a debrief.Actor, csrf string) context.Context {
	ctx = context.WithValue(ctx, actorKey, a)
	return context.WithValue(ctx, csrfKey, csrf)
}

// actorFrom returns who is asking: the zero Actor, whose role allows
// nothing, for an anonymous request.
func actorFrom(ctx context.Context) debrief.Actor {
	a, _ := ctx.Value(actorKey).(debrief.Actor)
	return a
}

// csrfToken returns the CSRF token of the request's browser session, or ""
// for a request made with an API token or none.
func csrfToken(ctx context.Context) string {
	t, _ := ctx.Value(csrfKey).(string)
	return t
}
