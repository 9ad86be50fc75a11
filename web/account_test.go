package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

var tokenSecret = regexp.MustCompile(`dbf_[A-Za-z0-9_-]{43}`)

// TestAccountTokenShownOnce: a new token's secret is on the page that
// answers its creation and nowhere after; it works on the API at once and
// stops when revoked.
func TestAccountTokenShownOnce(t *testing.T) {
	h := newAuthHarness(t)
	b := signIn(t, h.ts, h.store, debrief.AccessContributor)

	res, page := b.get("/account")
	if res.StatusCode != 200 {
		t.Fatalf("account page: %d", res.StatusCode)
	}
	assertContains(t, "account page", page, "<h1>Your account</h1>", b.user.Name,
		"Test "+b.user.Name, ">Contributor<", "No tokens yet.", `<label for="token-label">`,
		`<option value="viewer" selected>Viewer</option>`, `<option value="contributor">`)
	assertNotContains(t, "account page", page, `<option value="facilitator"`,
		`<option value="admin"`)

	res, page = b.post("/account/tokens", url.Values{"label": {"CI importer"}, "role": {"viewer"}})
	if res.StatusCode != 201 {
		t.Fatalf("create token: %d\n%s", res.StatusCode, page)
	}
	secret := tokenSecret.FindString(page)
	if secret == "" {
		t.Fatalf("no secret on the page:\n%s", page)
	}
	assertContains(t, "new token page", page, "Copy it now: it is shown only this once.",
		"Token “CI importer”, role viewer", `readonly`)
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("the page with the secret may be cached: Cache-Control %q", cc)
	}

	who := h.whoamiWith(t, secret)
	var a debrief.Actor
	if err := json.Unmarshal([]byte(who.body), &a); err != nil || who.status != 200 ||
		a.Name != b.user.Name || a.Role != debrief.AccessViewer {
		t.Fatalf("the new token on the API: %d %s", who.status, who.body)
	}

	_, page = b.get("/account")
	assertNotContains(t, "account page later", page, secret, "Your new API token")
	assertContains(t, "account page later", page, "CI importer", "Active",
		`action="/account/tokens/`)
	assertNotContains(t, "last used", page, "never") // the API call above used it

	tokens, err := h.store.Tokens(context.Background(), b.user.Name)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens: %v %v", tokens, err)
	}
	res, _ = b.post(fmt.Sprintf("/account/tokens/%d/revoke", tokens[0].ID), nil)
	if res.StatusCode != 303 || res.Header.Get("Location") != "/account" {
		t.Fatalf("revoke: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if who := h.whoamiWith(t, secret); who.status != 401 {
		t.Errorf("revoked token on the API: %d, want 401", who.status)
	}
	_, page = b.get("/account")
	assertContains(t, "after revoking", page, "Revoked <time")
	assertNotContains(t, "after revoking", page, "Revoke<span")
}

// TestAccountTokenOfSomeoneElse: people revoke only their own tokens; an
// admin revokes anyone's.
func TestAccountTokenOfSomeoneElse(t *testing.T) {
	h := newAuthHarness(t)
	ctx := context.Background()
	victim := apiToken(t, h.store, debrief.AccessFacilitator)
	var owner debrief.Actor
	_ = json.Unmarshal([]byte(h.whoamiWith(t, victim).body), &owner)
	tokens, err := h.store.Tokens(ctx, owner.Name)
	if err != nil || len(tokens) != 1 {
		t.Fatalf("tokens of %s: %v %v", owner.Name, tokens, err)
	}
	id := tokens[0].ID

	other := signIn(t, h.ts, h.store, debrief.AccessFacilitator)
	for _, path := range []string{
		fmt.Sprintf("/account/tokens/%d/revoke", id),
		"/account/tokens/not-a-number/revoke",
	} {
		res, body := other.post(path, nil)
		if res.StatusCode != 404 || !strings.Contains(body, "There is no such token.") {
			t.Errorf("%s by someone else: %d, want 404", path, res.StatusCode)
		}
	}
	res, _ := other.post(fmt.Sprintf("/users/%s/tokens/%d/revoke", owner.Name, id), nil)
	if res.StatusCode != 403 {
		t.Errorf("a facilitator on the admin's revoke: %d, want 403", res.StatusCode)
	}
	if who := h.whoamiWith(t, victim); who.status != 200 {
		t.Fatalf("the token stopped working: %d", who.status)
	}

	admin := signIn(t, h.ts, h.store, debrief.AccessAdmin)
	_, page := admin.get("/users/" + owner.Name)
	assertContains(t, "admin's view", page, "Account of "+owner.Name,
		fmt.Sprintf(`action="/users/%s/tokens/%d/revoke"`, owner.Name, id))
	assertNotContains(t, "admin's view", page, "Create token", "Change your password")
	// The token must belong to the user the path names.
	res, _ = admin.post(fmt.Sprintf("/users/%s/tokens/%d/revoke", other.user.Name, id), nil)
	if res.StatusCode != 404 {
		t.Errorf("token under the wrong user: %d, want 404", res.StatusCode)
	}
	res, _ = admin.post(fmt.Sprintf("/users/%s/tokens/%d/revoke", owner.Name, id), nil)
	if res.StatusCode != 303 {
		t.Fatalf("admin revoking: %d", res.StatusCode)
	}
	if who := h.whoamiWith(t, victim); who.status != 401 {
		t.Errorf("token revoked by an admin: %d, want 401", who.status)
	}
	if got := h.logs.entries(t, "token revoked"); len(got) != 1 ||
		got[0]["actor_id"] != float64(admin.user.ID) || got[0]["user_id"] != float64(owner.UserID) {
		t.Errorf("revocation log: %v", got)
	}
}

// TestAccountTokenForm: a bad label or role is refused with the reason,
// the form keeps what was typed and no token is made.
func TestAccountTokenForm(t *testing.T) {
	h := newAuthHarness(t)
	b := signIn(t, h.ts, h.store, debrief.AccessFacilitator)
	tests := []struct {
		name, label, role, want string
	}{
		{"label too long", strings.Repeat("x", 101), "viewer", "The label is too long"},
		{"label of two lines", "one\ntwo", "viewer", "The label must be one line of text."},
		{"no such role", "ok", "root", `unknown role "root"`},
		{"role above mine", "ok", "admin", "at most your own role, facilitator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, page := b.post("/account/tokens", url.Values{"label": {tt.label},
				"role": {tt.role}})
			if res.StatusCode != 400 {
				t.Errorf("status %d, want 400", res.StatusCode)
			}
			assertContains(t, tt.name, html.UnescapeString(page), tt.want, `role="alert"`)
			assertNotContains(t, tt.name, page, "Your new API token")
		})
	}
	if tokens, _ := h.store.Tokens(context.Background(), b.user.Name); len(tokens) != 0 {
		t.Errorf("tokens made: %v", tokens)
	}
}

// TestAccountPasswordChange: the current password is needed, the new one
// typed twice, and afterwards only the new one signs in.
func TestAccountPasswordChange(t *testing.T) {
	h := newAuthHarness(t)
	b := signIn(t, h.ts, h.store, debrief.AccessViewer)
	const fresh = "purple monkey dishwasher"
	form := func(current, next, confirm string) url.Values {
		return url.Values{"current_password": {current}, "new_password": {next},
			"confirm_password": {confirm}}
	}
	tests := []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"wrong current password", form("guess", fresh, fresh), 400,
			"The current password is not right."},
		{"confirmation differs", form(testPassword, fresh, fresh+"!"), 400,
			"The new password and its confirmation differ."},
		{"too short", form(testPassword, "short", "short"), 400, "the password is too short"},
	}
	for _, tt := range tests {
		res, page := b.post("/account/password", tt.form)
		if res.StatusCode != tt.status {
			t.Errorf("%s: %d, want %d", tt.name, res.StatusCode, tt.status)
		}
		assertContains(t, tt.name, page, tt.want)
	}

	// The same person signed in elsewhere, say on a lost laptop.
	elsewhere := signInAs(t, h.ts, b.user.Name, testPassword, b.user)

	res, _ := b.post("/account/password", form(testPassword, fresh, fresh))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/account?password=changed" {
		t.Fatalf("change: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, page := b.get("/account?password=changed")
	assertContains(t, "after the change", page, "Your password has been changed.")
	if res, _ := elsewhere.get("/account"); res.StatusCode != 303 {
		t.Errorf("the other session after the change: %d, want a redirect to sign in",
			res.StatusCode)
	}

	if res := h.login(t, b.user.Name, testPassword, ""); res.status != 401 {
		t.Errorf("old password after the change: %d, want 401", res.status)
	}
	if res := h.login(t, b.user.Name, fresh, ""); res.status != 303 {
		t.Errorf("new password: %d, want 303", res.status)
	}
	assertNotContains(t, "log", h.logs.String(), fresh, "guess")
}

// TestAccountEmail: a person sets the address their notifications go to on
// their account page; a bad one is refused beside the input, kept as
// typed; an empty one removes it. Admins see it on the people page and
// the person's account; the log does not.
func TestAccountEmail(t *testing.T) {
	h := newAuthHarness(t)
	b := signIn(t, h.ts, h.store, debrief.AccessViewer)
	_, page := b.get("/account")
	assertContains(t, "account page", page, `action="/account/email"`,
		`<input id="email" type="email" name="email" value=""`)

	res, page := b.post("/account/email", url.Values{"email": {"cleo at example"}})
	if res.StatusCode != 400 {
		t.Fatalf("a bad address: status %d", res.StatusCode)
	}
	assertContains(t, "a bad address", html.UnescapeString(page),
		`"cleo at example" is not an e-mail address like ana@example.com`,
		`value="cleo at example"`, `aria-invalid="true"`)

	res, _ = b.post("/account/email", url.Values{"email": {" cleo@example.com "}})
	if res.StatusCode != 303 || res.Header.Get("Location") != "/account?email=saved" {
		t.Fatalf("save: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, page = b.get("/account?email=saved")
	assertContains(t, "after saving", page, "Your e-mail address has been saved.",
		"<dd>cleo@example.com</dd>", `value="cleo@example.com"`)
	if u, err := h.store.User(t.Context(), b.user.Name); err != nil ||
		u.Email != "cleo@example.com" {
		t.Fatalf("stored: %+v, %v", u, err)
	}

	admin := signIn(t, h.ts, h.store, debrief.AccessAdmin)
	_, page = admin.get("/users")
	assertContains(t, "people page", page, "<th scope=\"col\">E-mail</th>",
		"<td>cleo@example.com</td>")
	_, page = admin.get("/users/" + b.user.Name)
	assertContains(t, "the person's account", page, "<dd>cleo@example.com</dd>")
	assertNotContains(t, "the person's account", page, `action="/account/email"`)

	if res, _ := b.post("/account/email", url.Values{"email": {""}}); res.StatusCode != 303 {
		t.Fatalf("remove: status %d", res.StatusCode)
	}
	if u, _ := h.store.User(t.Context(), b.user.Name); u.Email != "" {
		t.Errorf("after removing it: %q", u.Email)
	}
	if got := h.logs.entries(t, "e-mail changed"); len(got) != 2 {
		t.Errorf("log of the changes: %v", got)
	}
	assertNotContains(t, "log", h.logs.String(), "cleo@example.com", "cleo at example")
}
