package web

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

// resolvedOutage records a P1 that fired and resolved on 2026-03-02: the
// policy opens its report at once, whose meeting was due two days later.
// It returns the report's ID.
func (e *incidentEnv) resolvedOutage() string {
	e.t.Helper()
	r := e.receive(debrief.SourceAlertmanager, amBody("payments",
		amAlert{"resolved", "PaymentsDown", "p1", "critical", "2026-03-02 09:00",
			"2026-03-02 10:00"}))
	if len(r.Decisions) == 0 || r.Decisions[0].PostmortemID == "" {
		e.t.Fatalf("the policy opened no report for a resolved P1: %+v", r.Decisions)
	}
	return r.Decisions[0].PostmortemID
}

func TestOverduePageListsVisibleSteps(t *testing.T) {
	e := newIncidentEnv(t)
	id := e.resolvedOutage()

	// A restricted report whose meeting is overdue too, which the viewer
	// below is not named in.
	hidden := &debrief.Postmortem{Title: "Secret vault sealed", Status: debrief.StatusDraft,
		Visibility: debrief.VisibilityRestricted, Authors: []string{"Vault Keeper"},
		Incident: debrief.Incident{ID: "INC-9", Title: "Vault sealed", Severity: "P2",
			StartedAt: at("2026-03-01 08:00"), ResolvedAt: at("2026-03-01 09:00")}}
	admin := debrief.Actor{Name: "root", Role: debrief.AccessAdmin}
	if err := e.flow.Create(context.Background(), admin, hidden); err != nil {
		t.Fatal(err)
	}

	viewer := e.as(debrief.AccessViewer)
	res := viewer.fetch("/overdue")
	if res.status != http.StatusOK {
		t.Fatalf("status %d\n%s", res.status, res.body)
	}
	assertContains(t, "overdue page", res.body,
		`<a href="/postmortems/`+id+`">PaymentsDown on payments</a>`,
		"<td>Postmortem meeting</td>",
		`<time datetime="2026-03-04T10:00:00Z">2026-03-04 10:00 UTC</time>`,
		`<td class="late">6 days 2 hours</td>`, "Showing 1–1 of 1 overdue step.")
	assertNotContains(t, "viewer's overdue page", res.body, "Secret vault sealed")
	assertContains(t, "nav", res.body, `<a href="/overdue">Overdue</a>`)

	all := e.as(debrief.AccessAdmin).fetch("/overdue").body
	assertContains(t, "admin's overdue page", all, "Secret vault sealed", "PaymentsDown")
}

func TestReportShowsDeadlinesAndAlerts(t *testing.T) {
	e := newIncidentEnv(t)
	id := e.resolvedOutage()
	b := e.as(debrief.AccessViewer)

	res := b.fetch("/postmortems/" + id)
	if res.status != http.StatusOK {
		t.Fatalf("status %d\n%s", res.status, res.body)
	}
	assertContains(t, "deadlines box", res.body, `<h2 id="deadlines-h">Deadlines</h2>`,
		`<li class="deadline deadline-overdue">`,
		`<span class="deadline-step">Postmortem meeting</span>`,
		`<time datetime="2026-03-04T10:00:00Z" title="2026-03-04 10:00 UTC">2026-03-04 10:00 UTC</time>`,
		"missed by 6 days 2 hours and not done yet")
	// The incident's one alert is drawn under the timeline's events.
	assertContains(t, "alert band", res.body, `<text class="band-label"`,
		`class="alert-bar alert-resolved"`,
		"PaymentsDown on payments — 2026-03-02 09:00 UTC until 2026-03-02 10:00 UTC")
	assertContains(t, "time to resolve", res.body,
		`<dt>Time to resolve</dt><dd title="from the start to resolution">1h 00m</dd>`)
}

func TestDeadlineRows(t *testing.T) {
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Skip("no zone database:", err)
	}
	now := at("2026-03-10 12:00")
	ds := []debrief.Deadline{
		{Kind: debrief.DeadlineMeeting, Due: at("2026-03-04 10:00"),
			MetAt: at("2026-03-04 09:00"), Rule: "48 hours after resolution"},
		{Kind: debrief.DeadlineDraft, Due: at("2026-03-09 09:00"), MetAt: at("2026-03-10 11:30")},
		{Kind: debrief.DeadlineFinal, Due: at("2026-03-07 08:00")},
		{Kind: "review", Due: at("2026-03-13 15:20")},
	}
	got := deadlineRows(ds, now, cph)
	type row struct{ Step, Due, Met, State, Note string }
	var rows []row
	for _, r := range got {
		rows = append(rows, row{r.Step, r.Due.Local, r.Met.Local, r.State, r.Note})
	}
	want := []row{
		{"Postmortem meeting", "2026-03-04 11:00 CET", "2026-03-04 10:00 CET", "met",
			"met in time"},
		{"Draft for review", "2026-03-09 10:00 CET", "2026-03-10 12:30 CET", "late",
			"missed by 1 day 2 hours"},
		{"Final report", "2026-03-07 09:00 CET", "", "overdue",
			"missed by 3 days 4 hours and not done yet"},
		{"Review", "2026-03-13 16:20 CET", "", "open", "due in 3 days 3 hours"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("deadline rows (-want +got):\n%s", diff)
	}
	if got[0].Due.UTC != "2026-03-04 10:00 UTC" {
		t.Errorf("UTC of the meeting's due time = %q", got[0].Due.UTC)
	}
}

func TestSpanWords(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{30 * time.Second, "less than a minute"},
		{time.Minute, "1 minute"},
		{59 * time.Minute, "59 minutes"},
		{time.Hour, "1 hour"},
		{2*time.Hour + 5*time.Minute, "2 hours 5 minutes"},
		{24 * time.Hour, "1 day"},
		{76*time.Hour + 59*time.Minute, "3 days 4 hours"},
		{49 * time.Hour, "2 days 1 hour"},
	}
	for _, tt := range tests {
		if got := spanWords(tt.d); got != tt.want {
			t.Errorf("spanWords(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
