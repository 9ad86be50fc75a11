package web

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
	"github.com/debrief-oss/debrief/markdown"
)

// The restricted report of these tests names Alice Andersen as its author.
// Whatever it says is marked "hushhush", so that a page showing any of it
// is caught.
const (
	secretTitle = "Vault credentials leaked"
	secretWord  = "hushhush"
)

// visibilityReports are an internal report and a restricted one, both about
// a vault, so that one search finds both.
func visibilityReports() []*debrief.Postmortem {
	return []*debrief.Postmortem{
		{
			ID: "open", Title: "Vault slow to unseal", Status: debrief.StatusDraft,
			Visibility: debrief.VisibilityInternal, Version: 1,
			Incident: debrief.Incident{ID: "inc-open", Services: []string{"vault"},
				Severity: "P3"},
			Summary: debrief.Summary{ExecutiveSummary: "The vault took an hour to unseal."},
		},
		{
			ID: "breach", Title: secretTitle, Status: debrief.StatusDraft,
			Visibility: debrief.VisibilityRestricted, Version: 1,
			Authors: []string{"Alice Andersen"},
			Incident: debrief.Incident{ID: "inc-breach", Services: []string{"keystore"},
				Severity: "P1"},
			Summary: debrief.Summary{
				ExecutiveSummary: "The vault root token was posted in chat: " + secretWord + "."},
			ActionItems: []debrief.ActionItem{{Number: 1, Owner: "security",
				Description: "Rotate the " + secretWord + " token"}},
			Source: debrief.Source{Path: "security/breach.md", Format: "markdown"},
		},
	}
}

// visibilityServer serves visibilityReports and returns its store, a
// stranger and Alice, each signed in through the browser and holding an API
// token.
func visibilityServer(t *testing.T) (store Store, stranger, alice visitor) {
	t.Helper()
	store = openStore(t, visibilityReports()...)
	ts := testServer(t, store)
	return store, newVisitor(t, ts, store, "sam", "Sam Stone", debrief.AccessContributor),
		newVisitor(t, ts, store, "a.andersen", "alice andersen", debrief.AccessContributor)
}

// visitor is one person, in the browser and through the API.
type visitor struct {
	web *browser
	api apiClient
}

func newVisitor(
	t *testing.T,
	ts *httptest.Server,
	store Store,
	name, display string,
	role debrief.AccessRole,
) visitor {
	t.Helper()
	u := &debrief.User{Name: name, DisplayName: display, Role: role,
		PasswordHash: testPasswordHash()}
	if err := store.CreateUser(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	secret, hash := auth.NewToken()
	err := store.CreateToken(context.Background(), &debrief.Token{UserName: name}, hash)
	if err != nil {
		t.Fatal(err)
	}
	return visitor{
		web: signInAs(t, ts, name, testPassword, u),
		api: apiClient{t: t, ts: ts, token: secret},
	}
}

// reportPaths are every page and API call that shows one report.
var reportPaths = []string{
	"/postmortems/breach",
	"/postmortems/breach/revisions",
	"/postmortems/breach/revisions/1",
	"/postmortems/breach/compare?from=1&to=1",
	"/postmortems/breach/edit/summary",
	"/api/v1/postmortems/breach",
	"/api/v1/postmortems/breach/sections/summary",
	"/api/v1/postmortems/breach/revisions",
	"/api/v1/postmortems/breach/revisions/1",
	"/api/v1/postmortems/breach/diff?from=1&to=1",
	"/api/v1/postmortems/breach/action-items",
	"/api/v1/postmortems/breach/action-items/1",
	"/api/v1/incidents/inc-breach",
}

func TestVisibilityHidesRestrictedReportsFromStrangers(t *testing.T) {
	_, stranger, _ := visibilityServer(t)
	for _, path := range reportPaths {
		var status int
		var body string
		if strings.HasPrefix(path, "/api/") {
			r := stranger.api.call("GET", path, nil)
			status, body = r.status, string(r.body)
		} else {
			res := stranger.web.fetch(path)
			status, body = res.status, res.body
		}
		if status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, status)
		}
		assertNotContains(t, path, body, secretWord, secretTitle, "Forbidden", "forbidden")
	}
	// The answer is the one for a report that does not exist.
	e := stranger.api.call("GET", "/api/v1/postmortems/breach", nil).fail(t)
	none := stranger.api.call("GET", "/api/v1/postmortems/none", nil).fail(t)
	if e.Code != none.Code || e.Message != strings.ReplaceAll(none.Message, "none", "breach") {
		t.Errorf("hidden report: %+v; missing report: %+v; want the same answer", e, none)
	}

	lists := []string{
		"/", "/?service=keystore", "/search?q=vault", "/search?q=" + secretWord,
		"/api/v1/postmortems", "/api/v1/search?q=vault", "/api/v1/search?q=" + secretWord,
		"/api/v1/incidents",
	}
	for _, path := range lists {
		var body string
		if strings.HasPrefix(path, "/api/") {
			body = string(stranger.api.call("GET", path, nil).want(t, 200).body)
		} else {
			res := stranger.web.fetch(path)
			if res.status != 200 {
				t.Fatalf("GET %s: status %d", path, res.status)
			}
			body = res.body
		}
		// The page echoes the query; nothing else may say the word.
		for _, echo := range []string{`<option value="%s" selected>%s (0)</option>`,
			`value="%s"`, "“%s”", "Search: %s", "q=%s"} {
			for _, q := range []string{secretWord, "keystore"} {
				body = strings.ReplaceAll(body, strings.ReplaceAll(echo, "%s", q), "")
			}
		}
		assertNotContains(t, path, body, secretWord, secretTitle, "breach", "keystore")
	}
	assertContains(t, "list", stranger.web.fetch("/").body, "Vault slow to unseal")
	var list struct {
		Total int `json:"total"`
	}
	stranger.api.call("GET", "/api/v1/postmortems", nil).decode(t, &list)
	if list.Total != 1 {
		t.Errorf("API list total %d, want 1: the hidden report is not counted", list.Total)
	}
}

func TestVisibilityLetsThePeopleNamedRead(t *testing.T) {
	_, _, alice := visibilityServer(t)
	for _, path := range reportPaths {
		var status int
		if strings.HasPrefix(path, "/api/") {
			status = alice.api.call("GET", path, nil).status
		} else {
			status = alice.web.fetch(path).status
		}
		if status != http.StatusOK {
			t.Errorf("GET %s by the author: status %d, want 200", path, status)
		}
	}
	assertContains(t, "list", alice.web.fetch("/").body, secretTitle, "keystore (1)")
	assertContains(t, "search", alice.web.fetch("/search?q="+secretWord).body, secretTitle)
	body := string(alice.api.call("GET", "/api/v1/search?q=vault", nil).want(t, 200).body)
	assertContains(t, "API search", body, `"id":"breach"`, `"id":"open"`)
}

func TestVisibilityImportCannotReachAHiddenReport(t *testing.T) {
	store, stranger, _ := visibilityServer(t)
	send := func(source string, doc []byte) apiReply {
		q := "/api/v1/imports?source=" + url.QueryEscape(source)
		return stranger.api.send("POST", q, "text/markdown", doc)
	}

	// A document from the hidden report's source would update it.
	doc := []byte("# Vault credentials\n\n## Summary\n\nMy version of events.\n")
	e := send("security/breach.md", doc).want(t, http.StatusConflict).fail(t)
	assertContains(t, "import over the source", e.Message, "security/breach.md",
		"may not open")
	assertNotContains(t, "import over the source", e.Message, "breach ", "inc-breach",
		secretWord, secretTitle)

	// So would debrief's own export naming the hidden report's id.
	var b bytes.Buffer
	mine := &debrief.Postmortem{ID: "breach", Title: "Mine now", Status: debrief.StatusDraft,
		Version: 1, Incident: debrief.Incident{ID: "inc-mine"}}
	if err := markdown.Write(&b, mine); err != nil {
		t.Fatal(err)
	}
	e = send("elsewhere/mine.md", b.Bytes()).want(t, http.StatusConflict).fail(t)
	assertContains(t, "import over the id", e.Message, `"breach"`, "may not open")
	assertNotContains(t, "import over the id", e.Message, secretWord, secretTitle)

	p, err := store.Postmortem(context.Background(), "breach")
	if err != nil || p.Version != 1 || p.Title != secretTitle {
		t.Errorf("after the imports: %+v, %v; want the report as it was", p, err)
	}
}
