package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
)

// testPassword is the password of every user newTestUser makes.
const testPassword = "correct horse battery staple"

// testPasswordHash hashes testPassword once per test binary: argon2id at
// its real cost takes tens of milliseconds, and the salt does not matter
// to what the tests show.
var testPasswordHash = sync.OnceValue(func() string {
	h, err := auth.HashPassword(testPassword)
	if err != nil {
		panic(err)
	}
	return h
})

// newTestUser adds a user with the role and the password testPassword.
func newTestUser(
	t *testing.T,
	store Store,
	name string,
	role debrief.AccessRole,
) *debrief.User {
	t.Helper()
	u := &debrief.User{
		Name:         name,
		DisplayName:  "Test " + name,
		Role:         role,
		PasswordHash: testPasswordHash(),
	}
	if err := store.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

// testUserSeq makes the names of users the helpers invent unique within
// the test binary, so one test may sign in several people to one store.
var testUserSeq atomic.Int64

func uniqueUserName(role debrief.AccessRole) string {
	return fmt.Sprintf("%s-%d", role, testUserSeq.Add(1))
}

// browser is a person signed in through the login form: its client keeps
// the session cookie and does not follow redirects, and csrf is the
// session's token as the pages show it.
type browser struct {
	t      *testing.T
	base   string
	client *http.Client
	csrf   string
	// user is who signed in.
	user *debrief.User
}

// csrfField finds the hidden csrf_token input of a page's forms (the
// layout's sign-out form has one on every page).
var csrfField = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// signIn adds a user with the role and signs them in through POST /login,
// as a browser would, then reads the CSRF token from their account page.
func signIn(
	t *testing.T,
	ts *httptest.Server,
	store Store,
	role debrief.AccessRole,
) *browser {
	t.Helper()
	u := newTestUser(t, store, uniqueUserName(role), role)
	return signInAs(t, ts, u.Name, testPassword, u)
}

// signInAs signs in with the given name and password, failing the test
// when the login form refuses them.
func signInAs(
	t *testing.T,
	ts *httptest.Server,
	name, password string,
	u *debrief.User,
) *browser {
	t.Helper()
	b := newBrowser(t, ts)
	b.user = u

	res, body := b.send(http.MethodPost, "/login", url.Values{
		"name": {name}, "password": {password},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d, want 303\n%s", name, res.StatusCode, body)
	}

	_, body = b.get("/account")
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("sign in as %s: no csrf_token on the account page\n%s", name, body)
	}
	b.csrf = m[1]
	return b
}

// newBrowser returns a browser with an empty cookie jar: not signed in.
func newBrowser(t *testing.T, ts *httptest.Server) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{
		Jar:       jar,
		Transport: ts.Client().Transport,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return &browser{t: t, base: ts.URL, client: client}
}

// get fetches path (with its query) and returns the response, whose body
// is already read and closed, and the body's text. Redirects are returned,
// not followed.
func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	return b.send(http.MethodGet, path, nil)
}

// post submits form to path with the session's csrf_token added, as the
// pages' forms do. Redirects are returned, not followed.
func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if b.csrf != "" && !f.Has("csrf_token") {
		f.Set("csrf_token", b.csrf)
	}
	return b.send(http.MethodPost, path, f)
}

// send makes one request; a non-nil form is sent as the urlencoded body.
func (b *browser) send(method, path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, body)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	text, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return res, string(text)
}

// apiToken adds a user with the role and an API token of that role for
// them, and returns the token's secret for an Authorization: Bearer header.
func apiToken(t *testing.T, store Store, role debrief.AccessRole) string {
	t.Helper()
	u := newTestUser(t, store, uniqueUserName(role), role)
	secret, hash := auth.NewToken()
	tok := &debrief.Token{UserName: u.Name, Role: role, Label: "test"}
	if err := store.CreateToken(context.Background(), tok, hash); err != nil {
		t.Fatalf("create token for %s: %v", u.Name, err)
	}
	return secret
}
