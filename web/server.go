// Package web is debrief over HTTP: the web app people sign in to (the list
// of postmortems, each report on one page, search, the editor, revisions,
// accounts) and the JSON API under /api/v1 with its OpenAPI document. Pages
// are rendered on the server from embedded templates and need no JavaScript.
// Every request is answered for a known actor (see auth.go); the rules of
// what an actor may do live in package workflow and the domain package.
package web

import (
	"bytes"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/policy"
	"github.com/debrief-oss/debrief/workflow"
)

// DefaultPageSize is how many reports a list or search page shows.
const DefaultPageSize = 20

// Store is everything the web app and the API read and write.
type Store interface {
	workflow.Store
	debrief.UserStore
	debrief.SessionStore
	debrief.CalendarFeedStore
}

// Server serves the web app and the API from a Store.
type Server struct {
	store    Store
	flow     *workflow.Service
	logger   *slog.Logger
	pageSize int
	now      func() time.Time

	// secureCookies marks the session cookie Secure on every response, not
	// only on requests that arrived over TLS (see WithSecureCookies).
	secureCookies bool
	// trustProxy takes the client address from X-Forwarded-For.
	trustProxy bool
	// loginsByIP and loginsByName count refused logins (see ratelimit.go).
	loginsByIP   *failureLimiter
	loginsByName *failureLimiter
	// passwordChecks holds a token for each login's password check
	// running; its capacity bounds them (see awaitPasswordCheck).
	passwordChecks    chan struct{}
	passwordCheckWait time.Duration

	// flowOptions configure the workflow (its trigger policy).
	flowOptions []workflow.Option
	// webhooks holds the alerting tools' credentials by source.
	webhooks map[debrief.AlertSource]WebhookAuth
	// trackers links action items to Jira and GitHub (api_trackers.go).
	trackers trackerSetup

	markdown *markdownRenderer
	static   *staticFiles
	pages    map[string]*template.Template
	handler  http.Handler
}

// Option configures a Server.
type Option func(*Server)

// WithPageSize sets how many reports a list or search page shows. Values
// below one keep the default.
func WithPageSize(n int) Option {
	return func(s *Server) {
		if n > 0 {
			s.pageSize = n
		}
	}
}

// WithSecureCookies marks the session cookie Secure, so that browsers send
// it only over HTTPS, whatever the request looked like. Without it, the
// cookie is Secure when the request came over TLS or a proxy says so in
// X-Forwarded-Proto. Use it whenever the site is reached over HTTPS.
func WithSecureCookies(on bool) Option {
	return func(s *Server) { s.secureCookies = on }
}

// WithTrustedProxy takes the client address, which refused logins are
// counted by, from the last entry of the X-Forwarded-For header. Use it
// only behind a reverse proxy that sets that header: otherwise clients
// could choose their own address and every client behind the proxy would
// share one.
func WithTrustedProxy(on bool) Option {
	return func(s *Server) { s.trustProxy = on }
}

// WithClock sets the clock that decides when sessions end and when refused
// logins are forgotten. It is for tests; the default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Server) {
		if now != nil {
			s.now = now
		}
	}
}

// WithPolicy sets the trigger policy, which decides which incidents need a
// postmortem and when each step is due. The default is the guide's policy.
func WithPolicy(p *policy.Policy) Option {
	return func(s *Server) { s.flowOptions = append(s.flowOptions, workflow.WithPolicy(p)) }
}

// WithTeams sets the teams that own action items: their lists, and the
// leads overdue items escalate to.
func WithTeams(teams []debrief.Team) Option {
	return func(s *Server) { s.flowOptions = append(s.flowOptions, workflow.WithTeams(teams)) }
}

// NewServer parses the templates and prepares the static files. It fails,
// and the server should not start, when a template is missing or broken.
func NewServer(
	store Store,
	logger *slog.Logger,
	opts ...Option,
) (*Server, error) {
	if store == nil {
		return nil, errors.New("web: nil store")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}

	s := &Server{
		store:    store,
		logger:   logger,
		pageSize: DefaultPageSize,
		now:      time.Now,
		markdown: newMarkdownRenderer(),
	}
	for _, opt := range opts {
		opt(s)
	}
	s.flow = workflow.New(store, append(s.flowOptions, workflow.WithLogger(logger),
		workflow.WithClock(s.now))...)
	s.trackers.link(s.flow)

	var err error
	if s.static, err = loadStatic(staticDir()); err != nil {
		return nil, err
	}
	if s.pages, err = parseTemplates(templatesDir(), s.templateFuncs()); err != nil {
		return nil, err
	}

	s.loginsByIP = newFailureLimiter(maxLoginFailures, loginFailureWindow, s.now)
	s.loginsByName = newFailureLimiter(maxLoginFailures, loginFailureWindow, s.now)
	s.passwordChecks = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	s.passwordCheckWait = passwordCheckWait

	s.handler = s.wrap(s.routes())
	return s, nil
}

// wrap puts what every route shares around h: request ids, security
// headers and the access log; the cross-origin check; authentication.
func (s *Server) wrap(h http.Handler) http.Handler {
	// Cross-origin protection refuses state-changing requests a browser
	// sends from another site; the session's CSRF token (auth.go) is the
	// second line of defence behind it.
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(s.crossOriginRefused))
	signedIn := s.authenticate(h)
	return s.middleware(cop.Handler(http.HandlerFunc(func(w http.ResponseWriter,
		r *http.Request) {
		if isTrackerWebhook(r) {
			h.ServeHTTP(w, r) // the tracker's secret authenticates it: see apiTrackerWebhook
			return
		}
		signedIn.ServeHTTP(w, r)
	})))
}

// Handler returns the HTTP handler serving every route of the web view.
func (s *Server) Handler() http.Handler { return s.handler }

func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.handleList)
	mux.HandleFunc("GET /postmortems/{id}", s.handleReport)
	mux.HandleFunc("GET /search", s.handleSearch)
	// The health check stays open to anonymous requests: load balancers
	// probe it without signing in.
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /static/{file}", s.handleStatic)
	s.accountRoutes(mux)
	s.editorRoutes(mux)
	s.incidentPageRoutes(mux)
	s.actionRoutes(mux)
	s.calendarRoutes(mux)
	s.apiRoutes(mux)
	// The catch-all is GET only, so that any other method on a path that
	// has only pages gets the mux's 405 instead of a misleading 404.
	mux.HandleFunc("GET /", s.notFound)
	return mux
}

// layout is what the page chrome needs from every page.
type layout struct {
	Title string
	// SearchText fills the header's search box, so a query stays visible
	// on the results page.
	SearchText string
	RequestID  string
	// Actor is who is signed in; the zero Actor on the login page.
	Actor debrief.Actor
	// CSRF is the value every state-changing form echoes in a hidden
	// csrf_token field (see auth.go).
	CSRF string
}

// render executes a page into a buffer first: a template error half-way
// through must become a clean error page, not a truncated 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, data any) {
	var buf bytes.Buffer
	if err := s.pages[page].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.renderFailed(w, r, err)
		return
	}

	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) layout(r *http.Request, title string) layout {
	ctx := r.Context()
	return layout{
		Title:     title,
		RequestID: requestID(ctx),
		Actor:     actorFrom(ctx),
		CSRF:      csrfToken(ctx),
	}
}
