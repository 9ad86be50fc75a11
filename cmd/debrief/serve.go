package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/escalation"
	"github.com/debrief-oss/debrief/lint"
	"github.com/debrief-oss/debrief/web"
	"github.com/debrief-oss/debrief/workflow"
)

type serveCmd struct {
	Addr          string `env:"DEBRIEF_ADDR" default:":8080" help:"Address to listen on."`
	SecureCookies bool   `name:"secure-cookies" env:"DEBRIEF_SECURE_COOKIES" help:"Send the session cookie over HTTPS only. Set it whenever people reach debrief over HTTPS."`
	TrustProxy    bool   `name:"trust-proxy" env:"DEBRIEF_TRUST_PROXY" help:"Take the client address from X-Forwarded-For (for the login rate limit). Set it only behind a reverse proxy that sets that header."`

	Actions       string        `name:"actions" env:"DEBRIEF_ACTIONS" type:"existingfile" help:"YAML file of action item escalation, teams, notification channels and trackers (see docs/notifications.md)."`
	DeliveryLease time.Duration `name:"delivery-lease" env:"DEBRIEF_DELIVERY_LEASE" default:"2m" help:"How long a notification being sent is held by one server; one that died sending it is sent again after this (at least 1s)."`
	EscalateEvery time.Duration `name:"escalate-every" env:"DEBRIEF_ESCALATE_EVERY" default:"1m" help:"How often overdue and stalled action items are looked for and queued notifications sent (at least 1s)."`

	LintConfig string `name:"lint-config" env:"DEBRIEF_LINT_CONFIG" type:"existingfile" placeholder:"FILE" help:"The blameless checker's rules switched off or regraded, and words allowed, as for debrief lint --config. A rule graded error blocks final unless a facilitator overrides it."`
	Roster     string `name:"roster" env:"DEBRIEF_ROSTER" type:"existingfile" placeholder:"FILE" help:"People the checker finds by name besides debrief's users and each report's team (YAML: people: [{name: Priya Raman, role: database on-call}])."`

	// extra are options Run works out: the policy and webhook secrets.
	extra []web.Option
	// runner takes escalation steps and sends notifications while serving.
	runner *escalation.Runner
}

func (c *serveCmd) Run(e *env) error {
	p, err := e.policy()
	if err != nil {
		return err
	}
	c.extra = append(c.extra, web.WithPolicy(p), web.WithWebhookAuth(webhookAuth(os.Getenv)))
	actions, err := loadActionsConfig(c.Actions)
	if err != nil {
		return err
	}
	c.extra = append(c.extra, actions.webOptions()...)
	checker, err := c.lintOption()
	if err != nil {
		return err
	}
	c.extra = append(c.extra, checker)
	store, err := e.openStore()
	if err != nil {
		return err
	}
	defer store.Close()
	c.runner = actions.runner(e, store, p)
	c.runner.Lease = max(c.DeliveryLease, time.Second)

	ln, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return err
	}
	return c.serve(e, store, ln)
}

// lintOption reads the checker's config and roster files, refusing to start
// on one that cannot be read.
func (c *serveCmd) lintOption() (web.Option, error) {
	var cfg *lint.Config
	var people []lint.Person
	var err error
	if c.LintConfig != "" {
		if cfg, err = lint.LoadConfig(c.LintConfig); err != nil {
			return nil, usageError{err.Error()}
		}
	}
	if c.Roster != "" {
		if people, err = workflow.LoadRoster(c.Roster); err != nil {
			return nil, usageError{err.Error()}
		}
	}
	return web.WithLint(cfg, people), nil
}

// options are the web server's options the flags ask for.
func (c *serveCmd) options() []web.Option {
	return append([]web.Option{web.WithSecureCookies(c.SecureCookies),
		web.WithTrustedProxy(c.TrustProxy)}, c.extra...)
}

// webhookAuth reads the alerting tools' credentials from the environment,
// where secrets belong (arguments show in process lists):
// DEBRIEF_WEBHOOK_SECRET_<SOURCE> is a source's shared secret, and
// DEBRIEF_PAGERDUTY_SIGNING_SECRETS the PagerDuty subscription's signing
// secrets, separated by commas while one is being rotated.
func webhookAuth(getenv func(string) string) map[debrief.AlertSource]web.WebhookAuth {
	m := map[debrief.AlertSource]web.WebhookAuth{}
	for _, src := range debrief.AlertSources {
		a := web.WebhookAuth{Secret: strings.TrimSpace(
			getenv("DEBRIEF_WEBHOOK_SECRET_" + strings.ToUpper(string(src))))}
		if src == debrief.SourcePagerDuty {
			for _, sec := range strings.Split(getenv("DEBRIEF_PAGERDUTY_SIGNING_SECRETS"), ",") {
				if sec = strings.TrimSpace(sec); sec != "" {
					a.SigningSecrets = append(a.SigningSecrets, sec)
				}
			}
		}
		if a.Secret != "" || len(a.SigningSecrets) > 0 {
			m[src] = a
		}
	}
	return m
}

// serve answers on ln until e.ctx ends, then lets requests in flight
// finish for up to ten seconds.
func (c *serveCmd) serve(e *env, store web.Store, ln net.Listener) error {
	defer ln.Close()
	srv, err := web.NewServer(store, e.logger, c.options()...)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	e.logger.Info("debrief serving", "addr", ln.Addr().String(), "version", version(),
		"secure_cookies", c.SecureCookies, "trust_proxy", c.TrustProxy)
	warnIfNobodyCanSignIn(e, store)

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if c.runner != nil {
		go c.runner.Run(e.ctx, max(c.EscalateEvery, time.Second))
	}
	select {
	case err := <-errc:
		return err
	case <-e.ctx.Done():
	}
	e.logger.Info("debrief shutting down")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// warnIfNobodyCanSignIn says how to make the first admin when there is no
// one to sign in as: every page needs a signed-in person.
func warnIfNobodyCanSignIn(e *env, store web.Store) {
	users, err := store.Users(e.ctx)
	if err != nil || len(users) > 0 {
		return
	}
	e.logger.Warn("no users yet, so nobody can sign in; add the first admin with " +
		"`debrief user add NAME --role admin --password-stdin`")
}
