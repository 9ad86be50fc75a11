package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
	"github.com/debrief-oss/debrief/workflow"
)

// actionsNow is when the action item tests happen: the server, the
// workflow and the store share a clock stopped there, so "today" is
// 2026-03-10 and overdue days are fixed.
var actionsNow = at("2026-03-10 12:00")

// actionTeams own the fixtures' items: storage through its member cleo
// and by name.
var actionTeams = []debrief.Team{
	{Name: "storage", Lead: "lee", Members: []string{"cleo"}, Services: []string{"orders-db"}},
	{Name: "platform", Lead: "pat"},
}

// replicaLag is an internal report with five items: cleo's overdue quick
// win, the storage team's long overdue and stalled runbook (a
// deprioritised mitigation), a done item whose words start like
// spreadsheet formulas, pat's blocked major project, and a verified
// fill-in flagged for review after a later incident.
func replicaLag() *debrief.Postmortem {
	return &debrief.Postmortem{
		ID: "replica-lag", Title: "Replica lag on orders-db", Status: debrief.StatusFinal,
		Visibility: debrief.VisibilityInternal, Version: 1,
		Incident: debrief.Incident{ID: "INC-1", Title: "Replica lag", Severity: "P2",
			Services: []string{"orders-db"}, Category: debrief.CategoryPerformance,
			StartedAt: at("2026-02-20 10:00")},
		ActionItems: []debrief.ActionItem{
			{Number: 1, Description: "Alert on replica lag over 30 s", Owner: "cleo",
				Due: "2026-03-01", Impact: debrief.LevelHigh, Effort: debrief.LevelLow,
				Category: debrief.ActionMonitoring, Purpose: debrief.PurposePrevention,
				SuccessMetric: "Lag over 30 s pages within 2 minutes",
				Verification:  "Pause replication in staging", Status: debrief.ActionOpen},
			{Number: 2, Description: "Write the failover runbook", Owner: "storage",
				OwnerIsTeam: true, Due: "2026-02-01", Impact: debrief.LevelLow,
				Effort: debrief.LevelHigh, Category: debrief.ActionDocumentation,
				Purpose: debrief.PurposeMitigation, Status: debrief.ActionInProgress,
				Stalled: true},
			{Number: 3, Description: `=HYPERLINK("http://evil.example","x")`, Owner: "@ana",
				Due: "2026-03-05", Impact: debrief.LevelMedium, Effort: debrief.LevelMedium,
				Purpose: debrief.PurposePrevention, Status: debrief.ActionDone},
			{Number: 4, Description: "Move replicas to faster disks", Owner: "pat",
				Due: "2026-03-09", Impact: debrief.LevelHigh, Effort: debrief.LevelHigh,
				Purpose: debrief.PurposePrevention, Status: debrief.ActionBlocked,
				BlockedReason: "waiting for the budget",
				TrackerURL:    "https://tracker.example/OPS-4"},
			{Number: 5, Description: "Raise the replication slot limit", Owner: "cleo",
				Due: "2026-02-15", Impact: debrief.LevelLow, Effort: debrief.LevelLow,
				Status: debrief.ActionVerified, Recheck: "INC-7", VerifiedBy: "cleo",
				Closure: &debrief.Closure{Implemented: true, Tested: true, Documented: true,
					Result: "Slots held under load", Evidence: "https://ci.example/run/5"}},
		},
	}
}

// vaultSealed is a restricted report cleo is not named in, with an item
// she owns all the same: she must not see it anywhere.
func vaultSealed() *debrief.Postmortem {
	return &debrief.Postmortem{
		ID: "vault-sealed", Title: "Secret vault sealed", Status: debrief.StatusDraft,
		Visibility: debrief.VisibilityRestricted, Authors: []string{"Vault Keeper"},
		Version: 1,
		Incident: debrief.Incident{ID: "INC-2", Title: "Vault sealed", Severity: "P1",
			Services: []string{"vault"}, Category: debrief.CategorySecurity},
		ActionItems: []debrief.ActionItem{
			{Number: 1, Description: "Rotate the vault keys", Owner: "cleo",
				Due: "2026-03-08", Impact: debrief.LevelHigh, Effort: debrief.LevelLow,
				Status: debrief.ActionOpen},
		},
	}
}

// lockedBuffer collects the server's log lines across its goroutines.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// actionEnv is the web app with the action fixtures, its teams and a
// stopped clock, logging at debug level into logs.
type actionEnv struct {
	t     *testing.T
	ts    *httptest.Server
	store Store
	flow  *workflow.Service
	logs  *lockedBuffer
}

// eachActionEnv runs fn on a fresh SQLite store and, when
// DEBRIEF_TEST_POSTGRES names a server, on a fresh PostgreSQL schema.
func eachActionEnv(t *testing.T, fn func(t *testing.T, e *actionEnv)) {
	clock := func() time.Time { return actionsNow }
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqlstore.Open(context.Background(),
			filepath.Join(t.TempDir(), "d.db"), sqlstore.WithClock(clock))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, newActionEnv(t, db))
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("DEBRIEF_TEST_POSTGRES")
		if base == "" {
			if os.Getenv("DEBRIEF_REQUIRE_POSTGRES") != "" {
				t.Fatal("DEBRIEF_TEST_POSTGRES is not set but DEBRIEF_REQUIRE_POSTGRES is")
			}
			t.Skip("DEBRIEF_TEST_POSTGRES is not set; the PostgreSQL store is not tested")
		}
		ctx := context.Background()
		dsn, drop, err := sqlstore.NewTestSchema(ctx, base)
		if err != nil {
			t.Fatal(err)
		}
		db, err := sqlstore.Open(ctx, dsn, sqlstore.WithClock(clock))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			db.Close()
			if t.Failed() {
				t.Logf("kept the schema of %s for inspection", dsn)
				return
			}
			if err := drop(ctx); err != nil {
				t.Error(err)
			}
		})
		fn(t, newActionEnv(t, db))
	})
}

// sqliteActionEnv is the environment on a SQLite store only, for what
// the store's part does not change.
func sqliteActionEnv(t *testing.T) *actionEnv {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"),
		sqlstore.WithClock(func() time.Time { return actionsNow }))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return newActionEnv(t, db)
}

func newActionEnv(t *testing.T, store Store) *actionEnv {
	t.Helper()
	return newActionEnvAt(t, store, func() time.Time { return actionsNow })
}

// newActionEnvAt is newActionEnv with the server's and the workflow's
// clock, for tests that need time to pass between moves.
func newActionEnvAt(t *testing.T, store Store, clock func() time.Time) *actionEnv {
	t.Helper()
	restore(t, store, replicaLag())
	restore(t, store, vaultSealed())
	logs := &lockedBuffer{}
	logger := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := NewServer(store, logger, WithClock(clock), WithTeams(actionTeams))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &actionEnv{t: t, ts: ts, store: store, logs: logs,
		flow: workflow.New(store, workflow.WithClock(clock), workflow.WithTeams(actionTeams))}
}

// as signs in the person of that login, made with the role on first use.
func (e *actionEnv) as(name string, role debrief.AccessRole) *browser {
	e.t.Helper()
	u, err := e.store.User(context.Background(), name)
	if debrief.IsNotFound(err) {
		u = newTestUser(e.t, e.store, name, role)
	} else if err != nil {
		e.t.Fatal(err)
	}
	return signInAs(e.t, e.ts, name, testPassword, u)
}

// move posts one of an item page's forms, from the status the page showed.
func (b *browser) moveItem(item, from string, form url.Values) response {
	b.t.Helper()
	form.Set("from", from)
	res, body := b.post(item+"/move", form)
	return response{status: res.StatusCode, header: res.Header, body: body}
}

const lagItem = "/postmortems/replica-lag/actions/1"

func TestActionItemPage(t *testing.T) {
	e := sqliteActionEnv(t)
	vic := e.as("vic", debrief.AccessViewer)

	res := vic.fetch(lagItem)
	if res.status != http.StatusOK {
		t.Fatalf("status %d\n%s", res.status, res.body)
	}
	assertContains(t, "item page", res.body,
		"<h1>Action item 1: Alert on replica lag over 30 s</h1>",
		`<a href="/postmortems/replica-lag">Replica lag on orders-db</a>`,
		`<time datetime="2026-03-01">2026-03-01</time> <strong class="late overdue-note">`+
			`overdue by 9 days</strong>`,
		`<span class="quadrant">quick win</span>`, "impact high, effort low",
		"<dd>Prevention</dd>", "<dd>Monitoring</dd>",
		"Lag over 30 s pages within 2 minutes", "Pause replication in staging",
		`team <a href="/teams/storage/actions">storage</a>, led by lee`,
		`<a href="/incidents/INC-1">INC-1</a>`, "Nothing recorded yet.")
	assertNotContains(t, "a viewer's item page", res.body, `/move"`, "Move it on")

	// A contributor who does not own the item may move it, not verify it.
	ana := e.as("ana", debrief.AccessContributor)
	body := ana.fetch(lagItem).body
	assertContains(t, "a contributor's item page", body, `action="`+lagItem+`/move"`,
		`<input type="hidden" name="to" value="in_progress">`, "Start work", "Mark blocked",
		"Mark done")
	body = ana.fetch("/postmortems/replica-lag/actions/3").body
	assertContains(t, "a done item of someone else", body, "Reopen", "Why it is reopened",
		"The item&#39;s owner (@ana, or anyone in the team that owns it) records its verification")
	assertNotContains(t, "a done item of someone else", body, `value="verified"`)

	blocked := vic.fetch("/postmortems/replica-lag/actions/4").body
	assertContains(t, "blocked item", blocked, `<dd class="blocked">waiting for the budget</dd>`,
		`<a class="tracker" href="https://tracker.example/OPS-4">`, "overdue by 1 day<")

	stalled := vic.fetch("/postmortems/replica-lag/actions/2").body
	assertContains(t, "stalled item", stalled,
		`<strong class="stalled">Stalled: no update for a long time</strong>`)
	flagged := vic.fetch("/postmortems/replica-lag/actions/5").body
	assertContains(t, "flagged item", flagged, "Flagged for review:",
		`a later incident, <a href="/incidents/INC-7">INC-7</a>`, "✓ implemented",
		"Slots held under load", `<a href="https://ci.example/run/5">`, "Verified by cleo")
	assertNotContains(t, "a closed item", flagged, "overdue by")

	for _, path := range []string{"/postmortems/replica-lag/actions/9",
		"/postmortems/replica-lag/actions/x", "/postmortems/nope/actions/1"} {
		if res := vic.fetch(path); res.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", path, res.status)
		}
	}
}

// TestActionItemMoves walks an item to verified through the page's forms,
// on both stores: each refusal shows in its form, naming the field and
// keeping what was typed; each move is in the history.
func TestActionItemMoves(t *testing.T) {
	eachActionEnv(t, func(t *testing.T, e *actionEnv) {
		cleo := e.as("cleo", debrief.AccessContributor)

		res := cleo.moveItem(lagItem, "open", url.Values{"to": {"blocked"}, "reason": {" "}})
		if res.status != http.StatusBadRequest {
			t.Fatalf("blocked without a reason: status %d, want 400", res.status)
		}
		assertContains(t, "refused block", res.body,
			`<p id="move-blocked-error" class="field-error" role="alert">`+
				`Reason: Say what blocks the item</p>`,
			`aria-invalid="true" aria-describedby="move-blocked-error"`)

		steps := []struct {
			from  string
			form  url.Values
			shows string
		}{
			{"open", url.Values{"to": {"blocked"}, "reason": {"waiting for the metrics exporter"}},
				`<dd class="blocked">waiting for the metrics exporter</dd>`},
			{"blocked", url.Values{"to": {"in_progress"}}, "Moved to in progress."},
			{"in_progress", url.Values{"to": {"done"}}, "Moved to done."},
		}
		for _, st := range steps {
			res := cleo.moveItem(lagItem, st.from, st.form)
			if res.status != http.StatusSeeOther {
				t.Fatalf("move to %s: status %d\n%s", st.form.Get("to"), res.status, res.body)
			}
			page := cleo.fetch(res.header.Get("Location")).body
			assertContains(t, "after the move to "+st.form.Get("to"), page, st.shows)
		}

		// Verifying needs every criterion; what was typed stays.
		verify := url.Values{"to": {"verified"}, "implemented": {"1"}, "tested": {"1"},
			"result": {"Paused replication in staging: paged in 40 s"}}
		res = cleo.moveItem(lagItem, "done", verify)
		if res.status != http.StatusBadRequest {
			t.Fatalf("verified without evidence: status %d, want 400", res.status)
		}
		assertContains(t, "refused verification", res.body,
			"Closure criteria: The item cannot be verified yet: confirm the documentation "+
				"is updated, give a link (http or https) to the evidence",
			`name="implemented" value="1" checked`, `name="tested" value="1" checked`,
			`name="documented" value="1">`,
			">Paused replication in staging: paged in 40 s</textarea>")

		verify.Set("documented", "1")
		verify.Set("evidence", "https://grafana.example/d/lag")
		if res := cleo.moveItem(lagItem, "done", verify); res.status != http.StatusSeeOther {
			t.Fatalf("verify: status %d\n%s", res.status, res.body)
		}
		page := cleo.fetch(lagItem).body
		assertContains(t, "verified item", page, "✓ implemented", "✓ tested",
			"✓ documentation updated", "Verified by cleo",
			`<a href="https://grafana.example/d/lag">https://grafana.example/d/lag</a>`,
			"<strong>cleo</strong> moved from open to blocked: waiting for the "+
				"metrics exporter",
			"<strong>cleo</strong> moved from done to verified: Paused replication in "+
				"staging: paged in 40 s "+
				`(<a href="https://grafana.example/d/lag">evidence</a>)`)
		// History is oldest first.
		i, j := strings.Index(page, "open to blocked"), strings.Index(page, "done to verified")
		if i < 0 || j < i {
			t.Errorf("history out of order: blocked at %d, verified at %d", i, j)
		}

		// Reopening asks why; a form from a page that showed another
		// status is refused, not applied on top.
		res = cleo.moveItem(lagItem, "verified", url.Values{"to": {"open"}})
		if res.status != http.StatusBadRequest ||
			!strings.Contains(res.body, "Reason: Say why the item is reopened") {
			t.Errorf("reopen without a reason: status %d", res.status)
		}
		res = cleo.moveItem(lagItem, "done", url.Values{"to": {"open"}, "reason": {"again"}})
		if res.status != http.StatusConflict ||
			!strings.Contains(res.body, "(it is verified now), so nothing was changed") {
			t.Errorf("stale form: status %d, want 409\n%s", res.status, res.body)
		}
		res = cleo.moveItem(lagItem, "verified", url.Values{"to": {"open"},
			"reason": {"lag alert did not fire on 2026-03-09"}})
		if res.status != http.StatusSeeOther {
			t.Errorf("reopen: status %d", res.status)
		}
	})
}

func TestActionItemMoveRefusals(t *testing.T) {
	e := sqliteActionEnv(t)
	vic := e.as("vic", debrief.AccessViewer)
	if res := vic.moveItem(lagItem, "open", url.Values{"to": {"done"}}); res.status !=
		http.StatusForbidden {
		t.Errorf("a viewer moved an item: status %d", res.status)
	}
	ana := e.as("ana", debrief.AccessContributor)
	res := ana.moveItem(lagItem, "open", url.Values{"to": {"finished"}})
	if res.status != http.StatusBadRequest ||
		!strings.Contains(res.body, `Move: Unknown action status &#34;finished&#34;`) {
		t.Errorf("unknown status: %d\n%s", res.status, res.body)
	}
	res = ana.moveItem(lagItem, "open", url.Values{"to": {"blocked"},
		"reason": {strings.Repeat("x", debrief.MaxMoveText+1)}})
	if res.status != http.StatusBadRequest ||
		!strings.Contains(res.body, "Reason: Reason is too long") {
		t.Errorf("a long reason: %d", res.status)
	}

	// Without the session's CSRF token nothing moves.
	form := url.Values{"to": {"done"}, "from": {"open"}, "csrf_token": {"forged"}}
	if r, _ := ana.post(lagItem+"/move", form); r.StatusCode != http.StatusForbidden {
		t.Errorf("forged CSRF token: status %d", r.StatusCode)
	}
	if v, _ := e.flow.Action(context.Background(), debrief.Actor{Name: "root",
		Role: debrief.AccessAdmin}, debrief.ActionRef{PostmortemID: "replica-lag",
		Number: 1}); v.Item.Status != debrief.ActionOpen {
		t.Errorf("the item moved to %s", v.Item.Status)
	}
}

// TestActionRestrictedReport: an item of a report the reader may not
// read does not exist for them, on its page, its form and every list.
func TestActionRestrictedReport(t *testing.T) {
	e := sqliteActionEnv(t)
	cleo := e.as("cleo", debrief.AccessContributor)
	vault := "/postmortems/vault-sealed/actions/1"
	if res := cleo.fetch(vault); res.status != http.StatusNotFound {
		t.Errorf("item of a restricted report: status %d, want 404", res.status)
	}
	if res := cleo.moveItem(vault, "open", url.Values{"to": {"done"}}); res.status !=
		http.StatusNotFound {
		t.Errorf("moving it: status %d, want 404", res.status)
	}
	for _, path := range []string{"/actions", "/actions/mine", "/teams/storage/actions",
		"/actions?status=all", "/actions.csv?status=all"} {
		if body := cleo.fetch(path).body; strings.Contains(body, "vault") {
			t.Errorf("%s shows the restricted report's item", path)
		}
	}
	if res := cleo.fetch("/postmortems/vault-sealed/actions"); res.status != http.StatusNotFound {
		t.Errorf("the restricted report's list: status %d, want 404", res.status)
	}

	root := e.as("root", debrief.AccessAdmin)
	assertContains(t, "admin's item page", root.fetch(vault).body, "Rotate the vault keys")
}

// listedItems are the item links of a list page's table, in order.
var listedItem = regexp.MustCompile(`<td><a href="/postmortems/([^/]+)/actions/(\d+)">`)

func listed(body string) []string {
	var out []string
	for _, m := range listedItem.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1]+"#"+m[2])
	}
	return out
}

func TestActionLists(t *testing.T) {
	eachActionEnv(t, func(t *testing.T, e *actionEnv) {
		root := e.as("root", debrief.AccessAdmin)
		res := root.fetch("/actions")
		if res.status != http.StatusOK {
			t.Fatalf("status %d\n%s", res.status, res.body)
		}
		// Quick wins first (prevention before mitigation), then the major
		// project, then what to deprioritise; done items are not open.
		want := []string{"replica-lag#1", "vault-sealed#1", "replica-lag#4", "replica-lag#2"}
		if got := listed(res.body); strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("open items %v, want %v", got, want)
		}
		assertContains(t, "list", res.body, `<a href="/actions">Action items</a>`,
			`<svg class="action-matrix"`, "4 action items.",
			`<tr class="is-overdue">`, `<td class="late"><time datetime="2026-02-01">`+
				`2026-02-01</time> <strong>overdue by 37 days</strong></td>`,
			`<a href="/actions.csv" download>`, `<a href="/teams/storage/actions">storage</a>`)
		if strings.Index(res.body, "<svg") > strings.Index(res.body, "<table") {
			t.Error("the matrix is not above the table")
		}

		for _, tt := range []struct {
			query string
			want  []string
		}{
			{"quadrant=quick-win", []string{"replica-lag#1", "vault-sealed#1"}},
			{"status=all", []string{"replica-lag#1", "replica-lag#3", "vault-sealed#1",
				"replica-lag#4", "replica-lag#5", "replica-lag#2"}},
			{"stalled=1", []string{"replica-lag#2"}},
			{"status=done", []string{"replica-lag#3"}},
			{"overdue=1&team=storage", []string{"replica-lag#1", "vault-sealed#1",
				"replica-lag#2"}},
			{"owner=PAT", []string{"replica-lag#4"}},
			{"service=vault", []string{"vault-sealed#1"}},
			{"category=Performance&quadrant=deprioritise", []string{"replica-lag#2"}},
		} {
			res := root.fetch("/actions?" + tt.query)
			got := listed(res.body)
			if res.status != http.StatusOK || !slices.Equal(got, tt.want) {
				t.Errorf("%s: status %d, items %v, want %v", tt.query, res.status, got, tt.want)
			}
		}

		for query, label := range map[string]string{
			"status=finished": "Status", "quadrant=urgent": "Quadrant",
			"overdue=maybe": "Overdue only", "team=nobody": "Team", "stalled=2": "Stalled only",
		} {
			res := root.fetch("/actions?" + query)
			if res.status != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400", query, res.status)
			}
			assertContains(t, query, res.body, `<div id="filters-error" class="form-error" `+
				`role="alert"><p>`+label+": ")
		}
		// The refused value stays in the form.
		assertContains(t, "refused team", root.fetch("/actions?team=nobody").body,
			`<option value="nobody" selected>nobody</option>`)
	})
}

func TestActionListsMineAndTeam(t *testing.T) {
	e := sqliteActionEnv(t)
	cleo := e.as("cleo", debrief.AccessContributor)
	if got := listed(cleo.fetch("/actions/mine").body); strings.Join(got, " ") !=
		"replica-lag#1" {
		t.Errorf("cleo's items: %v", got)
	}

	// The team's lead sees the longest overdue first; others the ranking.
	lee := e.as("lee", debrief.AccessViewer)
	res := lee.fetch("/teams/storage/actions")
	if got := listed(res.body); strings.Join(got, " ") != "replica-lag#2 replica-lag#1" {
		t.Errorf("the lead's list: %v", got)
	}
	assertContains(t, "the lead's list", res.body, "You lead this team",
		"overdue by 37 days", "overdue by 9 days", "Team lead: lee.",
		`href="/actions.csv?team=storage"`)
	if got := listed(cleo.fetch("/teams/storage/actions").body); strings.Join(got, " ") !=
		"replica-lag#1 replica-lag#2" {
		t.Errorf("a member's list: %v", got)
	}
	if res := cleo.fetch("/teams/nobody/actions"); res.status != http.StatusNotFound {
		t.Errorf("unknown team: status %d", res.status)
	}
}

func TestReportActionsAndMatrix(t *testing.T) {
	e := sqliteActionEnv(t)
	vic := e.as("vic", debrief.AccessViewer)

	report := vic.fetch("/postmortems/replica-lag").body
	assertContains(t, "report page", report, `<svg class="action-matrix"`,
		`<a href="/postmortems/replica-lag/actions/1"><title>#1: Alert on replica lag`,
		`<a href="/postmortems/replica-lag/actions">Track these action items</a>`,
		`<td class="num"><a href="/postmortems/replica-lag/actions/2">2</a></td>`,
		// An item without a purpose is not called a mitigation.
		"<title>#5: Raise the replication slot limit (purpose not set, verified)</title>",
		"<title>#2: Write the failover runbook (mitigation, ")

	res := vic.fetch("/postmortems/replica-lag/actions")
	if got := listed(res.body); strings.Join(got, " ") !=
		"replica-lag#1 replica-lag#3 replica-lag#4 replica-lag#5 replica-lag#2" {
		t.Errorf("the report's items: %v", got)
	}
	assertContains(t, "report's list", res.body, "Action items of Replica lag on orders-db",
		`href="/actions.csv?postmortem=replica-lag&amp;status=all"`,
		`<a href="/postmortems/replica-lag/actions/3"><title>#3:`)
}
