package web

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
)

// This file is the contract between authentication and the handlers:
// middleware resolves who is asking (a session cookie or an API token) and
// puts it in the request context; handlers read it with actorFrom and ask
// for a role with require.

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

// Limits on the form bodies the CSRF check reads before any handler. A
// urlencoded body is limited by net/http to 10 MiB; a multipart body (a
// file upload) to maxMultipartBytes, of which multipartMemory is kept in
// memory and the rest in temporary files. The largest upload is a Slack
// export for the timeline builder, capped as the API caps it.
const (
	maxMultipartBytes = maxSlackExport
	multipartMemory   = 8 << 20
)

// authenticate resolves the actor of every request: an API token in the
// Authorization header, else the session cookie. A token that was presented
// and is not live is refused, never treated as anonymous. Anonymous
// requests reach only the public paths; state-changing requests of a
// browser session must echo its CSRF token.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebhookPath(r) {
			next.ServeHTTP(w, r) // it authenticates itself: see apiWebhook
			return
		}
		if h := r.Header.Get("Authorization"); h != "" {
			s.serveWithToken(w, r, h, next)
			return
		}

		sess, err := s.sessionOf(r)
		if err != nil {
			s.serveAuthError(w, r, err)
			return
		}
		if sess == nil {
			if _, err := r.Cookie(sessionCookie); err == nil {
				s.clearSessionCookie(w, r) // it names a session that ended
			}
			if publicPath(r.URL.Path) {
				next.ServeHTTP(w, r)
				return
			}
			s.unauthenticated(w, r)
			return
		}

		a := debrief.Actor{UserID: sess.UserID, Name: sess.UserName,
			DisplayName: sess.DisplayName, Role: sess.Role}
		r = r.WithContext(withActor(r.Context(), a, sess.CSRFToken))
		// The login form has no session to take a token from; it is covered
		// by the cross-origin check alone.
		if !safeMethod(r.Method) && r.URL.Path != "/login" {
			if ok := s.checkCSRF(w, r, sess.CSRFToken); !ok {
				return
			}
			if r.MultipartForm != nil {
				// The server cleans up only the form of the request it made,
				// not of this copy.
				defer func() { _ = r.MultipartForm.RemoveAll() }()
			}
		}
		next.ServeHTTP(w, r)
	})
}

// serveWithToken serves a request that carries an Authorization header: a
// live Bearer token makes its user the actor; anything else is a 401.
func (s *Server) serveWithToken(
	w http.ResponseWriter,
	r *http.Request,
	header string,
	next http.Handler,
) {
	scheme, secret, _ := strings.Cut(header, " ")
	secret = strings.TrimSpace(secret)
	if !strings.EqualFold(scheme, "Bearer") || secret == "" {
		s.tokenRefused(w, r, "invalid_request",
			"The Authorization header must be \"Bearer\" followed by an API token.")
		return
	}

	tok, err := s.store.TokenByHash(r.Context(), auth.HashToken(secret))
	if debrief.IsNotFound(err) {
		s.tokenRefused(w, r, "invalid_token",
			"The API token is unknown or revoked, or its user is disabled.")
		return
	}
	if err != nil {
		s.serveAuthError(w, r, err)
		return
	}

	a := debrief.Actor{UserID: tok.UserID, Name: tok.UserName,
		DisplayName: tok.UserDisplayName, Role: tok.Role}
	next.ServeHTTP(w, r.WithContext(withActor(r.Context(), a, "")))
}

// sessionOf returns the live session the request's cookie names, or nil
// when it names none. Only a store failure is an error.
func (s *Server) sessionOf(r *http.Request) (*debrief.Session, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, nil
	}
	sess, err := s.store.SessionByHash(r.Context(), auth.HashToken(c.Value))
	if debrief.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	return sess, nil
}

// checkCSRF reports whether a state-changing request of a browser session
// carries the session's CSRF token, in the X-CSRF-Token header or the form
// field csrf_token, and answers the request when it does not.
func (s *Server) checkCSRF(w http.ResponseWriter, r *http.Request, want string) bool {
	got := r.Header.Get("X-CSRF-Token")
	if got == "" {
		if err := parseFormBody(w, r); err != nil {
			s.formUnreadable(w, r, err)
			return false
		}
		got = r.PostForm.Get("csrf_token")
	}
	if subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1 {
		return true
	}

	msg := "This form is out of date or was sent from another site, so nothing " +
		"was changed. Go back, reload the page and try again."
	if isAPIPath(r.URL.Path) {
		msg = "A request signed in with a session cookie must send the session's " +
			"CSRF token in the X-CSRF-Token header; nothing was changed."
	}
	s.refuse(w, r, http.StatusForbidden, "forbidden", msg)
	return false
}

// parseFormBody reads a urlencoded or multipart body into r.PostForm (and
// r.MultipartForm), where handlers find it again. Other bodies, such as
// JSON, are left unread.
func parseFormBody(w http.ResponseWriter, r *http.Request) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/x-www-form-urlencoded":
		return r.ParseForm()
	case "multipart/form-data":
		r.Body = http.MaxBytesReader(w, r.Body, maxMultipartBytes)
		return r.ParseMultipartForm(multipartMemory)
	}
	return nil
}

// maxURLEncodedBytes is the limit net/http puts on a urlencoded form body.
const maxURLEncodedBytes = 10 << 20

// formUnreadable answers a form body that could not be read. A form too
// large is told the limit of its own kind of body; net/http and net/url
// give these errors no type of their own, so they are known by their text.
func (s *Server) formUnreadable(w http.ResponseWriter, r *http.Request, err error) {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig) || strings.Contains(err.Error(), "too large"):
		limit := maxURLEncodedBytes
		ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if ct == "multipart/form-data" {
			limit = maxMultipartBytes
		}
		s.refuse(w, r, http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("The form is too large: send at most %d MiB.", limit>>20))
	case strings.Contains(err.Error(), "query parameters exceeded limit"):
		s.refuse(w, r, http.StatusRequestEntityTooLarge, "too_large",
			fmt.Sprintf("The form has too many fields: a list holds at most %d entries.",
				debrief.MaxListLen))
	default:
		s.refuse(w, r, http.StatusBadRequest, "invalid", "The form could not be read.")
	}
}

// require returns the actor when their role allows need. Otherwise it
// answers the request (the login page or a 401 for an anonymous request, a
// 403 naming the role needed for a signed-in one) and returns false.
func (s *Server) require(
	w http.ResponseWriter,
	r *http.Request,
	need debrief.AccessRole,
) (debrief.Actor, bool) {
	a := actorFrom(r.Context())
	if a.Can(need) {
		return a, true
	}
	if a.UserID == 0 {
		s.unauthenticated(w, r)
		return a, false
	}
	msg := fmt.Sprintf("This needs the %s role; you are signed in as %s with the %s role.",
		need, a.Name, a.Role)
	if !isAPIPath(r.URL.Path) {
		msg = fmt.Sprintf("This page needs the %s role. You are signed in as %s "+
			"with the %s role; an administrator can change it.", need, a.Name, a.Role)
	}
	s.refuse(w, r, http.StatusForbidden, "forbidden", msg)
	return a, false
}

// unauthenticated answers a request that needs a signed-in actor and has
// none: a 401 for the API, the login page for everything else.
func (s *Server) unauthenticated(w http.ResponseWriter, r *http.Request) {
	if isAPIPath(r.URL.Path) {
		w.Header().Set("WWW-Authenticate", `Bearer realm="debrief"`)
		writeErrorJSON(w, r, http.StatusUnauthorized, "unauthorized",
			"Sign in: send an API token in the header \"Authorization: Bearer <token>\".")
		return
	}

	target := "/login"
	// Only a page that was being read is worth returning to; a form sent
	// after the session ended would arrive as a GET of its action.
	if safeMethod(r.Method) && r.URL.Path != "/" {
		target += "?" + url.Values{"next": {r.URL.RequestURI()}}.Encode()
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// tokenRefused answers a request whose Authorization header did not name a
// live token. errCode is the RFC 6750 error for the WWW-Authenticate header.
func (s *Server) tokenRefused(w http.ResponseWriter, r *http.Request, errCode, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="debrief", error="`+errCode+`"`)
	s.refuse(w, r, http.StatusUnauthorized, "unauthorized", msg)
}

// serveAuthError answers a request whose actor could not be resolved
// because the store failed.
func (s *Server) serveAuthError(w http.ResponseWriter, r *http.Request, err error) {
	if isAPIPath(r.URL.Path) {
		s.logServerError(r, http.StatusInternalServerError, err)
		writeErrorJSON(w, r, http.StatusInternalServerError, "internal", "internal error")
		return
	}
	s.serveError(w, r, err)
}

// refuse answers a client error as JSON on the API and as an error page
// elsewhere.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	if isAPIPath(r.URL.Path) {
		writeErrorJSON(w, r, status, code, msg)
		return
	}
	s.renderError(w, r, status, msg)
}

// crossOriginRefused answers a state-changing request that a browser sent
// from another site (see http.CrossOriginProtection).
func (s *Server) crossOriginRefused(w http.ResponseWriter, r *http.Request) {
	s.refuse(w, r, http.StatusForbidden, "forbidden",
		"This request came from another site, so it was refused and nothing was changed.")
}

// publicPath reports whether anonymous requests may reach path: the login
// form, the health check for load balancers, the static files, the API's
// OpenAPI document, which says how to sign in, and calendar feeds, whose
// secret in the path stands in for a sign-in that calendar apps cannot make.
func publicPath(path string) bool {
	return path == "/login" || path == "/healthz" || path == "/api/openapi.json" ||
		strings.HasPrefix(path, "/static/") || strings.HasPrefix(path, calendarPathPrefix)
}

// isAPIPath reports whether path belongs to the JSON API, whose answers,
// errors included, are JSON.
func isAPIPath(path string) bool {
	return path == "/api" || strings.HasPrefix(path, "/api/")
}

// safeMethod reports whether a request with the method changes nothing.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}
