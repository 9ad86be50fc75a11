package web

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
)

// login posts the login form from the client address addr (read from
// X-Forwarded-For, so the server must trust it) or from 127.0.0.1.
func (h *authHarness) login(t *testing.T, name, password, addr string) response {
	t.Helper()
	headers := []string{"Content-Type", "application/x-www-form-urlencoded"}
	if addr != "" {
		headers = append(headers, "X-Forwarded-For", "198.51.100.99, "+addr)
	}
	return h.call(t, "POST", "/login",
		url.Values{"name": {name}, "password": {password}}.Encode(), headers...)
}

// TestLoginRateLimit: after five refused logins in fifteen minutes, the
// sixth is turned away without checking the password, even the right one,
// and the log tells an operator why without any password in it.
func TestLoginRateLimit(t *testing.T) {
	h := newAuthHarness(t)
	ana := newTestUser(t, h.store, "ana", debrief.AccessViewer)
	newTestUser(t, h.store, "bo", debrief.AccessViewer)

	for i := range maxLoginFailures {
		h.clock.advance(time.Minute)
		if res := h.login(t, "ana", fmt.Sprintf("hunter2-guess-%d", i), ""); res.status != 401 {
			t.Fatalf("guess %d: %d, want 401", i, res.status)
		}
	}
	res := h.login(t, "ana", testPassword, "")
	if res.status != 429 {
		t.Fatalf("sixth try: %d, want 429", res.status)
	}
	// The first refusal was four minutes before the last: eleven to go.
	if got := res.header.Get("Retry-After"); got != "660" {
		t.Errorf("Retry-After = %q, want 660", got)
	}
	assertContains(t, "429 page", res.body, "Too many failed sign-ins",
		"wait 11 minutes and try again", `action="/login"`, `value="ana"`)
	if c := res.header.Get("Set-Cookie"); c != "" {
		t.Errorf("a limited login set a cookie: %s", c)
	}
	// The limit is on the address too: someone else there waits as well.
	if res := h.login(t, "bo", testPassword, ""); res.status != 429 {
		t.Errorf("another name from the same address: %d, want 429", res.status)
	}

	refused := h.logs.entries(t, "login refused")
	var reasons []string
	for _, e := range refused {
		reasons = append(reasons, fmt.Sprint(e["reason"]))
		if e["level"] != "WARN" || e["remote_addr"] != "127.0.0.1" || e["request_id"] == "" {
			t.Errorf("log entry %v: want WARN with remote_addr and request_id", e)
		}
	}
	want := "bad_password bad_password bad_password bad_password bad_password " +
		"rate_limited rate_limited"
	if got := strings.Join(reasons, " "); got != want {
		t.Errorf("reasons logged: %s\nwant: %s", got, want)
	}
	if refused[0]["user_id"] != float64(ana.ID) {
		t.Errorf("refusal logged without the user id: %v", refused[0])
	}
	assertNotContains(t, "log", h.logs.String(), "hunter2", testPassword, "battery")

	// Fifteen minutes after the first refusals, the next one has expired
	// and the right password works again.
	h.clock.advance(11 * time.Minute)
	if res := h.login(t, "ana", testPassword, ""); res.status != 303 {
		t.Errorf("after the window: %d, want 303", res.status)
	}
	if got := h.logs.entries(t, "signed in"); len(got) != 1 || got[0]["user_id"] != float64(ana.ID) {
		t.Errorf("successful login log: %v", got)
	}
}

// TestLoginRateLimitPerNameAndAddress: one name is protected from guesses
// spread over many addresses, and one address from guesses spread over
// many names; an IPv6 client is one /64.
func TestLoginRateLimitPerNameAndAddress(t *testing.T) {
	h := newAuthHarness(t, WithTrustedProxy(true))
	newTestUser(t, h.store, "ana", debrief.AccessViewer)
	newTestUser(t, h.store, "bo", debrief.AccessViewer)

	for i := range maxLoginFailures {
		h.login(t, "ANA", "wrong-password", fmt.Sprintf("203.0.113.%d", i+1))
	}
	if res := h.login(t, "ana", testPassword, "203.0.113.200"); res.status != 429 {
		t.Errorf("name guessed from five addresses: %d, want 429", res.status)
	}
	if res := h.login(t, "bo", testPassword, "203.0.113.1"); res.status != 303 {
		t.Errorf("another name from one of those addresses: %d, want 303", res.status)
	}

	for i := range maxLoginFailures {
		h.login(t, fmt.Sprintf("nobody-%d", i), "wrong-password", fmt.Sprintf("2001:db8::%x", i+1))
	}
	if res := h.login(t, "bo", testPassword, "2001:db8::ffff"); res.status != 429 {
		t.Errorf("same /64 after five refusals: %d, want 429", res.status)
	}
	if res := h.login(t, "bo", testPassword, "2001:db8:0:1::1"); res.status != 303 {
		t.Errorf("another /64: %d, want 303", res.status)
	}
	// The names typed for accounts that do not exist stay out of the log.
	assertNotContains(t, "log", h.logs.String(), "nobody-", "wrong-password")
	for _, e := range h.logs.entries(t, "login refused") {
		if e["reason"] == reasonUnknownUser && e["user_id"] != nil {
			t.Errorf("unknown user logged with a user id: %v", e)
		}
	}
}

// TestFailureLimiterBounded: the limiter forgets expired failures and
// never holds more keys than its bound.
func TestFailureLimiterBounded(t *testing.T) {
	clock := newTestClock()
	l := newFailureLimiter(2, time.Minute, clock.now)
	l.maxKeys = 3

	for i := range 10 {
		l.fail(fmt.Sprintf("key-%d", i))
		clock.advance(time.Second)
		if len(l.failures) > l.maxKeys {
			t.Fatalf("after %d keys the limiter holds %d, bound %d", i+1, len(l.failures),
				l.maxKeys)
		}
	}
	// The newest keys survive; the oldest were evicted.
	if _, ok := l.failures["key-9"]; !ok {
		t.Error("the newest key was evicted")
	}

	l.fail("a")
	l.fail("a")
	l.fail("a") // a third failure replaces the oldest, keeping two
	if blocked, wait := l.blocked("a"); !blocked || wait != time.Minute {
		t.Errorf("blocked(a) = %v, %v; want true, 1m", blocked, wait)
	}
	if n := len(l.failures["a"]); n != 2 {
		t.Errorf("a holds %d times, want at most 2", n)
	}
	clock.advance(time.Minute)
	if blocked, _ := l.blocked("a"); blocked {
		t.Error("a is still blocked after the window")
	}
	if _, ok := l.failures["a"]; ok {
		t.Error("an expired key stays in memory")
	}
	l.fail("b")
	l.reset("b")
	if blocked, _ := l.blocked("b"); blocked || len(l.failures["b"]) != 0 {
		t.Error("reset did not forget b")
	}
}

// TestLoginQueue: when every password check is taken, a login waits its
// turn and, if none comes, is told to try again shortly; nothing counts
// against the person.
func TestLoginQueue(t *testing.T) {
	h := newAuthHarness(t)
	newTestUser(t, h.store, "ana", debrief.AccessViewer)
	h.srv.passwordCheckWait = 50 * time.Millisecond
	for range cap(h.srv.passwordChecks) {
		h.srv.passwordChecks <- struct{}{}
	}

	res := h.login(t, "ana", testPassword, "")
	if res.status != 503 || res.header.Get("Retry-After") != "5" {
		t.Errorf("login with every check busy: %d, Retry-After %q; want 503 and 5",
			res.status, res.header.Get("Retry-After"))
	}
	assertContains(t, "busy page", res.body, "Too many people are signing in right now.")

	<-h.srv.passwordChecks // one check comes free
	if res := h.login(t, "ana", testPassword, ""); res.status != 303 {
		t.Errorf("login with a free check: %d, want 303", res.status)
	}
}
