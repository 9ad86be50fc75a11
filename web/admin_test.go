package web

import (
	"html"
	"net/url"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

// TestAdminAddsPeople: an admin adds a person who can then sign in; a bad
// form says what is wrong and keeps what was typed.
func TestAdminAddsPeople(t *testing.T) {
	h := newAuthHarness(t)
	admin := signIn(t, h.ts, h.store, debrief.AccessAdmin)

	add := func(name, display, role, pw string) url.Values {
		return url.Values{"name": {name}, "display_name": {display}, "role": {role},
			"password": {pw}}
	}
	res, _ := admin.post("/users", add("kofi", "Kofi Mensah", "facilitator", testPassword))
	if res.StatusCode != 303 || res.Header.Get("Location") != "/users?changed=kofi#user-kofi" {
		t.Fatalf("add: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, page := admin.get("/users?changed=kofi")
	assertContains(t, "people", page, "Saved the change to", `id="user-kofi"`,
		"<td>Kofi Mensah</td>", `<option value="facilitator" selected>Facilitator</option>`,
		admin.user.Name+`</a> <span class="muted">(you)</span>`)
	_, page = admin.get("/users?changed=" + url.QueryEscape("<b>nobody</b>"))
	if strings.Contains(page, "Saved the change") {
		t.Error("the page confirms a change to a name nobody has")
	}

	kofi := signInAs(t, h.ts, "kofi", testPassword, nil)
	if _, page := kofi.get("/account"); !strings.Contains(page, ">Facilitator<") {
		t.Error("the new person's account does not show their role")
	}

	tests := []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"name taken, in other case", add("KOFI", "", "viewer", testPassword), 409,
			"the user name KOFI is taken"},
		{"name with a space", add("ko fi", "", "viewer", testPassword), 400,
			"use only letters, digits"},
		{"no name", add("", "", "viewer", testPassword), 400, "a user name has 1 to 64"},
		{"unknown role", add("jo", "", "owner", testPassword), 400, `unknown role "owner"`},
		{"short password", add("jo", "", "viewer", "1234567"), 400,
			"the password is too short"},
		{"long display name", add("jo", strings.Repeat("J", 101), "viewer", testPassword), 400,
			"The display name is too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, page := admin.post("/users", tt.form)
			if res.StatusCode != tt.status {
				t.Errorf("status %d, want %d", res.StatusCode, tt.status)
			}
			assertContains(t, tt.name, html.UnescapeString(page), tt.want, `id="add-user-error"`,
				`value="`+tt.form.Get("name")+`"`)
			assertNotContains(t, tt.name, page, tt.form.Get("password"))
		})
	}
	users, _ := h.store.Users(t.Context())
	if len(users) != 2 {
		t.Errorf("%d users, want the admin and kofi", len(users))
	}
	if got := h.logs.entries(t, "user added"); len(got) != 1 ||
		got[0]["actor_id"] != float64(admin.user.ID) || got[0]["role"] != "facilitator" {
		t.Errorf("log of the addition: %v", got)
	}
}

// TestAdminChangesPeople: a new role and disabling take effect on the
// person's open session at once; the last admin cannot lock everyone out.
func TestAdminChangesPeople(t *testing.T) {
	h := newAuthHarness(t)
	admin := signIn(t, h.ts, h.store, debrief.AccessAdmin)
	ana := signIn(t, h.ts, h.store, debrief.AccessFacilitator)
	path := "/users/" + ana.user.Name

	if res, _ := admin.post(path+"/role", url.Values{"role": {"viewer"}}); res.StatusCode != 303 {
		t.Fatalf("change role: %d", res.StatusCode)
	}
	if _, page := ana.get("/account"); !strings.Contains(page, ">Viewer<") {
		t.Error("the lowered role does not show on the open session")
	}

	if res, _ := admin.post(path+"/disable", nil); res.StatusCode != 303 {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if res, _ := ana.get("/account"); res.StatusCode != 303 {
		t.Errorf("disabled person's session: %d, want the login page", res.StatusCode)
	}
	if res := h.login(t, ana.user.Name, testPassword, ""); res.status != 401 ||
		!strings.Contains(res.body, "This account is disabled.") {
		t.Errorf("disabled person signing in: %d", res.status)
	}
	_, page := admin.get("/users")
	assertContains(t, "people", page, `class="disabled"`, "Enable<span")

	if res, _ := admin.post(path+"/enable", nil); res.StatusCode != 303 {
		t.Fatalf("enable: %d", res.StatusCode)
	}
	signInAs(t, h.ts, ana.user.Name, testPassword, ana.user)

	// The only admin can neither step down nor disable themselves.
	self := "/users/" + admin.user.Name
	for _, step := range []struct {
		path string
		form url.Values
	}{{self + "/role", url.Values{"role": {"facilitator"}}}, {self + "/disable", nil}} {
		res, page := admin.post(step.path, step.form)
		if res.StatusCode != 409 || !strings.Contains(page, "is the only enabled admin") {
			t.Errorf("%s: %d, want 409", step.path, res.StatusCode)
		}
	}
	// With a second admin, the first may step down.
	admin.post(path+"/role", url.Values{"role": {"admin"}})
	if res, _ := admin.post(self+"/role", url.Values{"role": {"viewer"}}); res.StatusCode != 303 {
		t.Errorf("stepping down beside another admin: %d", res.StatusCode)
	}
	if res, _ := admin.get("/users"); res.StatusCode != 403 {
		t.Errorf("a former admin on /users: %d, want 403", res.StatusCode)
	}

	ana = signInAs(t, h.ts, ana.user.Name, testPassword, ana.user) // the admin now
	for _, bad := range []struct{ path, want string }{
		{"/users/nobody/disable", "There is no user called nobody."},
		{path + "/role", `unknown role ""`},
	} {
		res, page := ana.post(bad.path, nil)
		if res.StatusCode/100 != 4 || !strings.Contains(html.UnescapeString(page), bad.want) {
			t.Errorf("%s: %d, want a 4xx saying %q", bad.path, res.StatusCode, bad.want)
		}
	}
}

// TestAdminSetsPassword: an admin sets a new password for someone who
// forgot theirs.
func TestAdminSetsPassword(t *testing.T) {
	h := newAuthHarness(t)
	admin := signIn(t, h.ts, h.store, debrief.AccessAdmin)
	jo := newTestUser(t, h.store, "jo", debrief.AccessViewer)

	res, page := admin.post("/users/jo/password", url.Values{"password": {"short"}})
	if res.StatusCode != 400 || !strings.Contains(page, "the password is too short") {
		t.Errorf("short password: %d", res.StatusCode)
	}
	res, _ = admin.post("/users/jo/password", url.Values{"password": {"a new start for jo"}})
	if res.StatusCode != 303 || res.Header.Get("Location") != "/users/jo?password=changed" {
		t.Fatalf("set password: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	_, page = admin.get("/users/jo?password=changed")
	assertContains(t, "jo's page", page, "The password has been set.")
	signInAs(t, h.ts, "jo", "a new start for jo", jo)
	if got := h.logs.entries(t, "password set"); len(got) != 1 ||
		got[0]["user_id"] != float64(jo.ID) {
		t.Errorf("log: %v", got)
	}
}
