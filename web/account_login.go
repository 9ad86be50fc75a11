package web

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
)

// Why a login was refused, as the log records it.
const (
	reasonUnknownUser = "unknown_user"
	reasonBadPassword = "bad_password"
	reasonDisabled    = "disabled"
	reasonRateLimited = "rate_limited"
)

// maxLoginBody bounds the login form: a name, a password and a path.
const maxLoginBody = 16 << 10

// msgBadLogin is the one answer to a wrong name or password, so that the
// form does not tell who has an account.
const msgBadLogin = "The user name or password is not right."

type loginView struct {
	layout
	Name  string
	Next  string
	Error string
}

// dummyHash is verified against when the user is unknown or has no
// password, so that such a refusal takes as long as a wrong password and
// the time taken does not tell who has an account.
var dummyHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(randomToken())
	if err != nil {
		panic(err)
	}
	return h
})

// handleLoginPage shows the login form, or sends someone already signed in
// on to where they were going.
func (s *Server) handleLoginPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if actorFrom(r.Context()).UserID != 0 {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, loginView{Next: next})
}

func (s *Server) renderLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) {
	v.layout = s.layout(r, "Sign in")
	// A signed-out page must not come back from the cache after sign-out
	// with someone else's name in it, nor the form with a name filled in.
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "login", v)
}

// handleLogin checks a name and password and starts a session. Refusals
// are counted per client address and per name; past the limit the
// password is not even checked.
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	if err := r.ParseForm(); err != nil {
		s.renderLogin(w, r, http.StatusBadRequest, loginView{Next: "/",
			Error: "The sign-in form could not be read; reload the page and try again."})
		return
	}
	v := loginView{
		Name: strings.TrimSpace(r.PostForm.Get("name")),
		Next: safeNext(r.PostForm.Get("next")),
	}
	password := r.PostForm.Get("password")
	if v.Name == "" || password == "" {
		v.Error = "Enter your user name and your password."
		s.renderLogin(w, r, http.StatusBadRequest, v)
		return
	}

	ctx := r.Context()
	addr, nameKey := s.clientAddr(r), loginNameKey(v.Name)
	limited := func() bool {
		wait, limited := s.loginLimited(addr, nameKey)
		if limited {
			s.refuseRateLimited(w, r, v, addr, wait)
		}
		return limited
	}
	if limited() {
		return
	}
	release, ok := s.awaitPasswordCheck(w, r, v)
	if !ok {
		return
	}
	defer release()
	// Again: the requests ahead in the queue may have been refused.
	if limited() {
		return
	}

	u, reason, err := s.checkPassword(ctx, v.Name, password)
	switch {
	case err != nil:
		s.serveError(w, r, err)
	case reason != "":
		s.refuseLogin(w, r, v, addr, reason, u)
	default:
		s.loginsByName.reset(nameKey)
		if err := s.completeLogin(ctx, w, r, u); err != nil {
			s.serveError(w, r, err)
			return
		}
		http.Redirect(w, r, v.Next, http.StatusSeeOther)
	}
}

// refuseLogin counts, logs and answers a refused login.
func (s *Server) refuseLogin(
	w http.ResponseWriter,
	r *http.Request,
	v loginView,
	addr, reason string,
	u *debrief.User,
) {
	s.loginsByIP.fail(addr)
	s.loginsByName.fail(loginNameKey(v.Name))
	s.logRefusedLogin(r, addr, reason, u)
	v.Error = msgBadLogin
	if reason == reasonDisabled {
		// Said only to someone who knows the password.
		v.Error = "This account is disabled. Ask an administrator to enable it."
	}
	s.renderLogin(w, r, http.StatusUnauthorized, v)
}

// passwordCheckWait is how long a login waits for a free password check
// before the server says it is busy.
const passwordCheckWait = 10 * time.Second

// awaitPasswordCheck waits for one of the password checks that may run at
// once (each takes tens of megabytes of memory for argon2id, so a flood of
// logins must queue rather than exhaust memory). It answers the request
// itself when none comes free in time.
func (s *Server) awaitPasswordCheck(
	w http.ResponseWriter,
	r *http.Request,
	v loginView,
) (release func(), ok bool) {
	timer := time.NewTimer(s.passwordCheckWait)
	defer timer.Stop()
	select {
	case s.passwordChecks <- struct{}{}:
		return func() { <-s.passwordChecks }, true
	case <-r.Context().Done():
		return nil, false // the client left
	case <-timer.C:
	}
	s.logger.LogAttrs(r.Context(), slog.LevelWarn, "login queue full",
		slog.String("request_id", requestID(r.Context())))
	w.Header().Set("Retry-After", "5")
	v.Error = "Too many people are signing in right now. Try again in a few seconds."
	s.renderLogin(w, r, http.StatusServiceUnavailable, v)
	return nil, false
}

// loginNameKey is what refusals are counted under for a typed name: names
// ignore case, and a name longer than any account's is cut, so that the
// limiter's memory stays small whatever is typed.
func loginNameKey(name string) string {
	key := strings.ToLower(name)
	if len(key) > debrief.MaxUserNameLen {
		key = key[:debrief.MaxUserNameLen] + "…"
	}
	return key
}

// loginLimited reports whether the address or the name has been refused
// too often lately, and how long until it may try again.
func (s *Server) loginLimited(addr, nameKey string) (time.Duration, bool) {
	byIP, waitIP := s.loginsByIP.blocked(addr)
	byName, waitName := s.loginsByName.blocked(nameKey)
	return max(waitIP, waitName), byIP || byName
}

// refuseRateLimited answers a login attempt made past the limit.
func (s *Server) refuseRateLimited(
	w http.ResponseWriter,
	r *http.Request,
	v loginView,
	addr string,
	wait time.Duration,
) {
	// The user is looked up only to log who was targeted.
	var u *debrief.User
	if debrief.ValidateUserName(v.Name) == nil {
		u, _ = s.store.User(r.Context(), v.Name)
	}
	s.logRefusedLogin(r, addr, reasonRateLimited, u)

	minutes := int(math.Ceil(wait.Minutes()))
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	v.Error = fmt.Sprintf("Too many failed sign-ins. For your account's safety, "+
		"wait %d minute%s and try again.", minutes, plural(minutes))
	s.renderLogin(w, r, http.StatusTooManyRequests, v)
}

// checkPassword returns the user when name and password match an account
// that may sign in, or why not. Every refusal but a disabled account with
// the right password looks the same to the client and takes as long.
func (s *Server) checkPassword(
	ctx context.Context,
	name, password string,
) (*debrief.User, string, error) {
	var u *debrief.User
	if debrief.ValidateUserName(name) == nil {
		var err error
		u, err = s.store.User(ctx, name)
		if err != nil && !debrief.IsNotFound(err) {
			return nil, "", fmt.Errorf("read user: %w", err)
		}
	}
	if u == nil {
		_, _ = auth.VerifyPassword(dummyHash(), password)
		return nil, reasonUnknownUser, nil
	}

	hash := u.PasswordHash
	if hash == "" {
		// A user without a password signs in only with tokens.
		hash = dummyHash()
	}
	ok, err := auth.VerifyPassword(hash, password)
	if err != nil {
		// A stored hash that cannot be read is a fault to fix, but the
		// answer must look like any other refusal.
		s.logger.LogAttrs(ctx, slog.LevelError, "unreadable password hash",
			slog.Int64("user_id", u.ID), slog.String("error", err.Error()))
	}
	switch {
	case !ok || u.PasswordHash == "":
		return u, reasonBadPassword, nil
	case u.Disabled:
		return u, reasonDisabled, nil
	}
	return u, "", nil
}

// completeLogin starts a session for u, ending the one the browser had and
// clearing out expired ones while at it.
func (s *Server) completeLogin(
	ctx context.Context,
	w http.ResponseWriter,
	r *http.Request,
	u *debrief.User,
) error {
	if err := s.deleteSession(ctx, r); err != nil {
		return err
	}
	if n, err := s.store.DeleteExpiredSessions(ctx); err != nil {
		s.logger.LogAttrs(ctx, slog.LevelWarn, "expired sessions not deleted",
			slog.String("request_id", requestID(ctx)), slog.String("error", err.Error()))
	} else if n > 0 {
		s.logger.LogAttrs(ctx, slog.LevelDebug, "expired sessions deleted",
			slog.Int("count", n))
	}
	if err := s.startSession(ctx, w, r, u); err != nil {
		return err
	}
	s.logger.LogAttrs(ctx, slog.LevelInfo, "signed in",
		slog.String("request_id", requestID(ctx)), slog.Int64("user_id", u.ID))
	return nil
}

// logRefusedLogin records a refused login. It never logs the password nor
// the name that was typed: for an unknown user that may be a password typed
// into the wrong box, or someone's name who has no account.
func (s *Server) logRefusedLogin(r *http.Request, addr, reason string, u *debrief.User) {
	attrs := []slog.Attr{
		slog.String("request_id", requestID(r.Context())),
		slog.String("remote_addr", addr),
		slog.String("reason", reason),
	}
	if u != nil {
		attrs = append(attrs, slog.Int64("user_id", u.ID))
	}
	s.logger.LogAttrs(r.Context(), slog.LevelWarn, "login refused", attrs...)
}

// handleLogout ends the session and shows the login form. The middleware
// has checked the form's CSRF token, so another site cannot sign people
// out.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := s.deleteSession(ctx, r); err != nil {
		s.serveError(w, r, err)
		return
	}
	s.clearSessionCookie(w, r)
	if a := actorFrom(ctx); a.UserID != 0 {
		s.logger.LogAttrs(ctx, slog.LevelInfo, "signed out",
			slog.String("request_id", requestID(ctx)), slog.Int64("user_id", a.UserID))
	}
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// safeNext returns next when it is a path on this site to go to after
// signing in, and "/" otherwise. It refuses what a browser could read as
// another site: a scheme or host, "//host", a backslash (read as a slash),
// and control characters (dropped from URLs, which can make "//").
func safeNext(next string) string {
	if len(next) == 0 || len(next) > 2048 || next[0] != '/' ||
		strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if next[i] < 0x20 || next[i] == 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	if u.Path == "/login" || u.Path == "/logout" {
		return "/"
	}
	return next
}

// plural returns "s" unless n is one.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
