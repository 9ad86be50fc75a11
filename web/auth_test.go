package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
)

// TestAuthAnonymous: someone not signed in sees the login page instead of
// any page, a 401 from the API, and only the health check, the login form
// and the static files.
func TestAuthAnonymous(t *testing.T) {
	h := newAuthHarness(t)
	tests := []struct {
		name, method, path string
		status             int
		location           string
	}{
		{"list", "GET", "/", 303, "/login"},
		{"report keeps where it was going", "GET", "/postmortems/pm-1", 303,
			"/login?next=%2Fpostmortems%2Fpm-1"},
		{"search keeps its query", "GET", "/search?q=dns+outage", 303,
			"/login?next=%2Fsearch%3Fq%3Ddns%2Boutage"},
		{"account", "GET", "/account", 303, "/login?next=%2Faccount"},
		{"people", "GET", "/users", 303, "/login?next=%2Fusers"},
		{"unknown page reveals nothing", "GET", "/no/such/page", 303,
			"/login?next=%2Fno%2Fsuch%2Fpage"},
		{"a form goes to the login page alone", "POST", "/account/tokens", 303, "/login"},
		{"sign out", "POST", "/logout", 303, "/login"},
		{"login form", "GET", "/login", 200, ""},
		{"health check", "GET", "/healthz", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := h.call(t, tt.method, tt.path, "")
			if res.status != tt.status || res.header.Get("Location") != tt.location {
				t.Errorf("%s %s: %d to %q, want %d to %q", tt.method, tt.path,
					res.status, res.header.Get("Location"), tt.status, tt.location)
			}
		})
	}

	for _, path := range []string{"/api/test/whoami", "/api/v1/postmortems"} {
		res := h.call(t, "GET", path, "")
		if res.status != http.StatusUnauthorized {
			t.Errorf("GET %s: %d, want 401", path, res.status)
			continue
		}
		if got := res.header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("GET %s: WWW-Authenticate %q, want Bearer", path, got)
		}
		if e := apiError(t, res); e.Code != "unauthorized" ||
			!strings.Contains(e.Message, "Authorization: Bearer") {
			t.Errorf("GET %s: error %+v", path, e)
		}
	}
}

// TestAuthLogin: the right password signs in and lands where the person
// was going; every refusal says the same, sets no cookie and is a 401.
func TestAuthLogin(t *testing.T) {
	h := newAuthHarness(t)
	newTestUser(t, h.store, "ana", debrief.AccessContributor)
	gone := newTestUser(t, h.store, "gone", debrief.AccessViewer)
	if err := h.store.UpdateUser(context.Background(), gone.Name, gone.Role, true); err != nil {
		t.Fatal(err)
	}
	form := func(name, pw, next string) string {
		return url.Values{"name": {name}, "password": {pw}, "next": {next}}.Encode()
	}
	formType := []string{"Content-Type", "application/x-www-form-urlencoded"}

	// Names ignore case.
	res := h.call(t, "POST", "/login", form("ANA", testPassword, "/search?q=dns"), formType...)
	if res.status != http.StatusSeeOther || res.header.Get("Location") != "/search?q=dns" {
		t.Fatalf("login: %d to %q, want 303 to /search?q=dns", res.status,
			res.header.Get("Location"))
	}
	cookie := sessionCookieOf(t, res)
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" ||
		cookie.Secure || cookie.MaxAge != 12*60*60 {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, 12 hours, "+
			"not Secure over plain HTTP", cookie)
	}

	// Five refusals: the most one address may have before it must wait.
	tests := []struct {
		name, body string
		status     int
		message    string
	}{
		{"wrong password", form("ana", "Correct horse battery staple", ""), 401, msgBadLogin},
		{"unknown user", form("nobody", testPassword, ""), 401, msgBadLogin},
		{"name not even valid", form("ana lima<script>", testPassword, ""), 401, msgBadLogin},
		{"empty password", form("ana", "", ""), 400, "Enter your user name and your password."},
		{"disabled user, wrong password", form("gone", "nope-nope-nope", ""), 401, msgBadLogin},
		{"disabled user, right password", form("gone", testPassword, ""), 401,
			"This account is disabled. Ask an administrator to enable it."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := h.call(t, "POST", "/login", tt.body, formType...)
			if res.status != tt.status {
				t.Errorf("status %d, want %d", res.status, tt.status)
			}
			assertContains(t, tt.name, res.body, tt.message, `action="/login"`)
			if c := res.header.Get("Set-Cookie"); c != "" {
				t.Errorf("refused login set a cookie: %s", c)
			}
		})
	}
}

func sessionCookieOf(t *testing.T, res response) *http.Cookie {
	t.Helper()
	for _, c := range (&http.Response{Header: res.header}).Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	t.Fatalf("no %s cookie in %v", sessionCookie, res.header.Values("Set-Cookie"))
	return nil
}

// TestAuthSecureCookie: the session cookie is Secure when the site is
// reached over HTTPS, directly or through a proxy, or when told so.
func TestAuthSecureCookie(t *testing.T) {
	body := url.Values{"name": {"ana"}, "password": {testPassword}}.Encode()
	tests := []struct {
		name    string
		opts    []Option
		headers []string
		secure  bool
	}{
		{"plain HTTP", nil, nil, false},
		{"behind a TLS proxy", nil, []string{"X-Forwarded-Proto", "https"}, true},
		{"told so", []Option{WithSecureCookies(true)}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newAuthHarness(t, tt.opts...)
			newTestUser(t, h.store, "ana", debrief.AccessViewer)
			headers := append([]string{"Content-Type", "application/x-www-form-urlencoded"},
				tt.headers...)
			res := h.call(t, "POST", "/login", body, headers...)
			if c := sessionCookieOf(t, res); c.Secure != tt.secure {
				t.Errorf("Secure = %v, want %v", c.Secure, tt.secure)
			}
		})
	}
}

// TestAuthLoginNextStaysLocal: after signing in, only a path on this site
// is followed; anything a browser could read as another site goes home.
func TestAuthLoginNextStaysLocal(t *testing.T) {
	h := newAuthHarness(t)
	newTestUser(t, h.store, "ana", debrief.AccessViewer)
	tests := map[string]string{
		"/postmortems/pm-1":        "/postmortems/pm-1",
		"/search?q=a&sort=date":    "/search?q=a&sort=date",
		"":                         "/",
		"//evil.example/":          "/",
		"///evil.example/":         "/",
		`/\evil.example/`:          "/",
		"/\t/evil.example/":        "/",
		"https://evil.example/":    "/",
		"http:evil.example":        "/",
		"javascript:alert(1)":      "/",
		"evil.example":             "/",
		"/login?next=/account":     "/",
		"/%0d%0aSet-Cookie:%20x=y": "/%0d%0aSet-Cookie:%20x=y",
	}
	for next, want := range tests {
		// From the login page's form, the way a browser would send it.
		res := h.call(t, "POST", "/login",
			url.Values{"name": {"ana"}, "password": {testPassword}, "next": {next}}.Encode(),
			"Content-Type", "application/x-www-form-urlencoded")
		if got := res.header.Get("Location"); res.status != 303 || got != want {
			t.Errorf("next=%q: %d to %q, want 303 to %q", next, res.status, got, want)
		}
		if c := res.header.Values("Set-Cookie"); len(c) != 1 {
			t.Errorf("next=%q: Set-Cookie %q, want the session cookie only", next, c)
		}
	}

	// The login page carries a safe next into its form, and a hostile one
	// not at all.
	page := h.call(t, "GET", "/login?next=%2F%2Fevil.example", "")
	assertContains(t, "login page", page.body, `name="next" value="/"`)
	page = h.call(t, "GET", "/login?next=%2Fsearch%3Fq%3Dx", "")
	assertContains(t, "login page", page.body, `name="next" value="/search?q=x"`)
}

// TestAuthCSRF: a session's state-changing request needs the session's
// token, in the form or a header, and a request from another site is
// refused even with it. API tokens need none.
func TestAuthCSRF(t *testing.T) {
	h := newAuthHarness(t)
	b := signIn(t, h.ts, h.store, debrief.AccessContributor)
	label := func(l string) url.Values { return url.Values{"label": {l}, "role": {"viewer"}} }

	const create = "/account/tokens"
	tests := []struct {
		name    string
		path    string
		form    url.Values
		headers []string
		status  int
		want    string
	}{
		{"no token", create, label("a"), nil, 403,
			"This form is out of date or was sent from another site"},
		{"wrong token", create, withCSRF(label("b"), "not-the-token"), nil, 403,
			"nothing was changed"},
		{"token in the URL is not enough", create + "?csrf_token=" + url.QueryEscape(b.csrf),
			label("c"), nil, 403, "nothing was changed"},
		{"right token in the form", create, withCSRF(label("d"), b.csrf), nil, 201,
			"Your new API token"},
		{"right token in the header", create, label("e"), []string{"X-CSRF-Token", b.csrf},
			201, "Your new API token"},
		{"another site, right token", create, withCSRF(label("f"), b.csrf),
			[]string{"Sec-Fetch-Site", "cross-site"}, 403, "came from another site"},
		{"another origin, right token", create, withCSRF(label("g"), b.csrf),
			[]string{"Origin", "https://evil.example"}, 403, "came from another site"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := b.sendWith("POST", tt.path, tt.form, tt.headers...)
			if res.StatusCode != tt.status {
				t.Errorf("status %d, want %d\n%s", res.StatusCode, tt.status, body)
			}
			assertContains(t, tt.name, body, tt.want)
		})
	}

	tokens, err := h.store.Tokens(context.Background(), b.user.Name)
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, tok := range tokens {
		labels = append(labels, tok.Label)
	}
	if diff := cmp.Diff([]string{"d", "e"}, labels); diff != "" {
		t.Errorf("tokens made (-want +got):\n%s", diff)
	}

	// Sign-out is a form like any other: another site cannot sign people out.
	if res, _ := b.sendWith("POST", "/logout", url.Values{}); res.StatusCode != 403 {
		t.Errorf("sign-out without the token: %d, want 403", res.StatusCode)
	}
	if res, _ := b.get("/account"); res.StatusCode != 200 {
		t.Errorf("after a refused sign-out: %d, want still signed in", res.StatusCode)
	}

	// An API client with a token has no session and sends no CSRF token.
	secret := apiToken(t, h.store, debrief.AccessContributor)
	res := h.call(t, "POST", "/api/test/contribute", "{}", "Authorization", "Bearer "+secret,
		"Content-Type", "application/json")
	if res.status != 200 {
		t.Errorf("POST with a token: %d, want 200\n%s", res.status, res.body)
	}
	// Nor a session cookie sending JSON with the token in the header.
	res2, body := b.sendWith("POST", "/api/test/contribute", nil, "X-CSRF-Token", b.csrf)
	if res2.StatusCode != 200 {
		t.Errorf("session POST to the API with the header: %d\n%s", res2.StatusCode, body)
	}
	res2, body = b.sendWith("POST", "/api/test/contribute", nil)
	if res2.StatusCode != 403 || !strings.Contains(body, `"code":"forbidden"`) ||
		!strings.Contains(body, "X-CSRF-Token") {
		t.Errorf("session POST to the API without the token: %d\n%s", res2.StatusCode, body)
	}
}

func withCSRF(form url.Values, token string) url.Values {
	form.Set("csrf_token", token)
	return form
}

// sendWith sends form as it is, without adding the CSRF token, with extra
// headers as name, value pairs.
func (b *browser) sendWith(
	method, path string,
	form url.Values,
	headers ...string,
) (*http.Response, string) {
	b.t.Helper()
	req, err := http.NewRequest(method, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	text, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	return res, string(text)
}

// TestAuthToken: an API token acts for its user with its own role; a bad,
// revoked or disabled one is a 401 and never falls back to anonymous or to
// the session cookie.
func TestAuthToken(t *testing.T) {
	h := newAuthHarness(t)
	ctx := context.Background()
	u := newTestUser(t, h.store, "ci-bot", debrief.AccessFacilitator)
	secret, hash := auth.NewToken()
	tok := &debrief.Token{UserName: u.Name, Role: debrief.AccessViewer, Label: "reader"}
	if err := h.store.CreateToken(ctx, tok, hash); err != nil {
		t.Fatal(err)
	}

	res := h.whoamiWith(t, secret)
	var a debrief.Actor
	if err := json.Unmarshal([]byte(res.body), &a); err != nil || res.status != 200 {
		t.Fatalf("whoami: %d %v\n%s", res.status, err, res.body)
	}
	want := debrief.Actor{UserID: u.ID, Name: "ci-bot", DisplayName: "Test ci-bot",
		Role: debrief.AccessViewer}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("actor of the token (-want +got):\n%s", diff)
	}

	// The token's role, not its user's, decides.
	res = h.call(t, "POST", "/api/test/contribute", "", "Authorization", "Bearer "+secret)
	if e := apiError(t, res); res.status != 403 || e.Code != "forbidden" ||
		!strings.Contains(e.Message, "needs the contributor role") {
		t.Errorf("viewer token writing: %d %+v", res.status, e)
	}
	// Pages accept tokens too, for scripts that read them.
	if res := h.call(t, "GET", "/account", "", "Authorization", "Bearer "+secret); res.status != 200 ||
		!strings.Contains(res.body, "ci-bot") {
		t.Errorf("page with a token: %d", res.status)
	}

	b := signIn(t, h.ts, h.store, debrief.AccessAdmin)
	refused := map[string]string{
		"unknown token": "Bearer " + auth.TokenPrefix + "AAAA",
		"empty token":   "Bearer ",
		"other scheme":  "Basic YWRtaW46cGFzc3dvcmQ=",
		"no scheme":     secret,
		"wrong token":   "bearer " + secret + "x",
		"token twice":   "Bearer " + secret + " " + secret,
	}
	for name, header := range refused {
		for _, path := range []string{"/api/test/whoami", "/account", "/healthz"} {
			// With a valid session cookie as well: the header wins.
			res, body := b.sendWith("GET", path, nil, "Authorization", header)
			if res.StatusCode != 401 {
				t.Errorf("%s on %s: %d, want 401", name, path, res.StatusCode)
			}
			if !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), `Bearer realm="debrief"`) {
				t.Errorf("%s on %s: WWW-Authenticate %q", name, path,
					res.Header.Get("WWW-Authenticate"))
			}
			if path == "/api/test/whoami" && !strings.Contains(body, `"code":"unauthorized"`) {
				t.Errorf("%s: body %s", name, body)
			}
		}
	}

	// Revoked, then the user disabled: both end the token at once.
	other := apiToken(t, h.store, debrief.AccessViewer)
	if err := h.store.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	res = h.whoamiWith(t, secret)
	if e := apiError(t, res); res.status != 401 || !strings.Contains(e.Message, "revoked") {
		t.Errorf("revoked token: %d %+v", res.status, e)
	}
	var owner debrief.Actor
	res = h.whoamiWith(t, other)
	if err := json.Unmarshal([]byte(res.body), &owner); err != nil || res.status != 200 {
		t.Fatalf("other token: %d %v", res.status, err)
	}
	if err := h.store.UpdateUser(ctx, owner.Name, debrief.AccessViewer, true); err != nil {
		t.Fatal(err)
	}
	if res := h.whoamiWith(t, other); res.status != 401 {
		t.Errorf("token of a disabled user: %d, want 401", res.status)
	}
}

// TestAuthRoles: a role too low for a page gets a 403 naming the role it
// needs; a token cannot be made stronger than the one asking.
func TestAuthRoles(t *testing.T) {
	h := newAuthHarness(t)
	for _, role := range []debrief.AccessRole{debrief.AccessViewer, debrief.AccessContributor,
		debrief.AccessFacilitator} {
		b := signIn(t, h.ts, h.store, role)
		for _, path := range []string{"/users", "/users/" + b.user.Name} {
			res, body := b.get(path)
			if res.StatusCode != 403 {
				t.Errorf("%s on %s: %d, want 403", role, path, res.StatusCode)
			}
			assertContains(t, string(role)+" "+path, body, "This page needs the admin role.",
				"with the "+string(role)+" role")
		}
		res, _ := b.post("/users", url.Values{"name": {"eve"}, "role": {"admin"},
			"password": {testPassword}})
		if res.StatusCode != 403 {
			t.Errorf("%s adding a user: %d, want 403", role, res.StatusCode)
		}
		if res, body := b.get("/"); strings.Contains(body, `href="/users"`) || res.StatusCode != 200 {
			t.Errorf("%s: the header links to People (status %d)", role, res.StatusCode)
		}
	}

	c := signIn(t, h.ts, h.store, debrief.AccessContributor)
	res, body := c.post("/account/tokens", url.Values{"label": {"x"}, "role": {"admin"}})
	if res.StatusCode != 400 {
		t.Errorf("contributor asking for an admin token: %d, want 400", res.StatusCode)
	}
	assertContains(t, "admin token", body, "A token can have at most your own role, contributor")
	assertNotContains(t, "admin token", body, `<option value="admin"`, auth.TokenPrefix)
	if tokens, _ := h.store.Tokens(context.Background(), c.user.Name); len(tokens) != 0 {
		t.Errorf("a token was made: %+v", tokens)
	}

	// A viewer token of an admin cannot make an admin token either.
	admin := newTestUser(t, h.store, "root", debrief.AccessAdmin)
	secret, hash := auth.NewToken()
	if err := h.store.CreateToken(context.Background(),
		&debrief.Token{UserName: admin.Name, Role: debrief.AccessViewer}, hash); err != nil {
		t.Fatal(err)
	}
	res2 := h.call(t, "POST", "/account/tokens", "label=up&role=admin",
		"Authorization", "Bearer "+secret, "Content-Type", "application/x-www-form-urlencoded")
	if res2.status != 400 || strings.Contains(res2.body, "Your new API token") {
		t.Errorf("viewer token minting an admin token: %d", res2.status)
	}

	a := signIn(t, h.ts, h.store, debrief.AccessAdmin)
	if res, body := a.get("/users"); res.StatusCode != 200 || !strings.Contains(body, "Add a person") {
		t.Errorf("admin on /users: %d", res.StatusCode)
	}
	if _, body := a.get("/"); !strings.Contains(body, `href="/users"`) {
		t.Error("the admin's header has no link to People")
	}
}

// TestSessionExpiry: a session ends on the server twelve hours after
// sign-in, whatever the browser keeps.
func TestSessionExpiry(t *testing.T) {
	h := newAuthHarness(t)
	b := signIn(t, h.ts, h.store, debrief.AccessViewer)

	h.clock.advance(sessionLifetime - time.Minute)
	if res, _ := b.get("/account"); res.StatusCode != 200 {
		t.Fatalf("just before the end: %d, want 200", res.StatusCode)
	}
	h.clock.advance(2 * time.Minute)
	res, _ := b.get("/account")
	if res.StatusCode != 303 || res.Header.Get("Location") != "/login?next=%2Faccount" {
		t.Errorf("after twelve hours: %d to %q, want the login page", res.StatusCode,
			res.Header.Get("Location"))
	}

	// The next sign-in clears out the expired session.
	signIn(t, h.ts, h.store, debrief.AccessViewer)
	if n, err := h.store.DeleteExpiredSessions(context.Background()); err != nil || n != 0 {
		t.Errorf("expired sessions left after a sign-in: %d, %v", n, err)
	}
}

// TestSignOut: signing out deletes the session, so a copy of the old
// cookie no longer works.
func TestSignOut(t *testing.T) {
	h := newAuthHarness(t)
	b := signIn(t, h.ts, h.store, debrief.AccessViewer)
	base, _ := url.Parse(h.ts.URL)
	old := b.client.Jar.Cookies(base)

	_, page := b.get("/")
	assertContains(t, "header", page, `action="/logout"`, ">Sign out</button>", b.user.Name)

	res, _ := b.post("/logout", nil)
	if res.StatusCode != 303 || res.Header.Get("Location") != "/login" {
		t.Fatalf("sign out: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if c := sessionCookieOf(t, response{header: res.Header}); c.MaxAge >= 0 {
		t.Errorf("sign-out left the cookie: %+v", c)
	}
	if res, _ := b.get("/account"); res.StatusCode != 303 {
		t.Errorf("after sign-out: %d, want a redirect to the login page", res.StatusCode)
	}

	replay := newBrowser(t, h.ts)
	replay.client.Jar.SetCookies(base, old)
	if res, _ := replay.get("/account"); res.StatusCode != 303 {
		t.Errorf("the old cookie still works: %d", res.StatusCode)
	}
	if _, err := h.store.SessionByHash(context.Background(),
		auth.HashToken(old[0].Value)); !debrief.IsNotFound(err) {
		t.Errorf("session row after sign-out: %v, want not found", err)
	}
	if got := h.logs.entries(t, "signed out"); len(got) != 1 ||
		got[0]["user_id"] != float64(b.user.ID) {
		t.Errorf("sign-out log: %v", got)
	}
}

// authDownStore fails the look-ups that authenticate a request.
type authDownStore struct{ Store }

func (authDownStore) TokenByHash(context.Context, string) (*debrief.Token, error) {
	return nil, errStoreDown
}

func (authDownStore) SessionByHash(context.Context, string) (*debrief.Session, error) {
	return nil, errStoreDown
}

// TestAuthStoreDown: when the store cannot say who is asking, the answer
// is a generic 500, not an anonymous page, and the cause is logged once.
func TestAuthStoreDown(t *testing.T) {
	logs := &syncBuffer{}
	store := authDownStore{openStore(t)}
	srv, err := NewServer(store, slog.New(slog.NewJSONHandler(logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	h := &authHarness{ts: ts}
	res := h.call(t, "GET", "/api/v1/postmortems", "", "Authorization", "Bearer dbf_x")
	if e := apiError(t, res); res.status != 500 || e.Code != "internal" ||
		e.Message != "internal error" || e.RequestID == "" {
		t.Errorf("API: %d %+v", res.status, e)
	}
	res = h.call(t, "GET", "/", "", "Cookie", sessionCookie+"=dbf_x")
	if res.status != 500 || !strings.Contains(res.body, "Something went wrong on our side.") {
		t.Errorf("page: %d", res.status)
	}
	if n := len(logs.entries(t, "request failed")); n != 2 {
		t.Errorf("%d errors logged, want one a request:\n%s", n, logs.String())
	}
	assertNotContains(t, "responses", res.body, "database is locked", "secret internal")
}
