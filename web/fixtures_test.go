package web

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
)

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func ptr[T any](v T) *T { return &v }

// fullReport fills every part of the model, so the report page test and
// the golden file notice when a section stops being shown.
func fullReport() *debrief.Postmortem {
	return &debrief.Postmortem{
		ID: "pm-2024-031",
		Incident: debrief.Incident{
			ID: "INC-4411", Title: "Checkout errors after config push",
			Services: []string{"checkout", "payments-api"},
			Severity: "P1", Category: debrief.CategoryConfiguration,
			Status:         debrief.IncidentResolved,
			StartedAt:      at("2024-03-07 14:00"),
			DetectedAt:     at("2024-03-07 14:06"),
			AcknowledgedAt: at("2024-03-07 14:10"),
			MitigatedAt:    at("2024-03-07 14:52"),
			ResolvedAt:     at("2024-03-07 15:04"),
		},
		Title:       "Checkout outage from a connection-pool setting",
		Status:      debrief.StatusFinal,
		Visibility:  debrief.VisibilityInternal,
		Authors:     []string{"Ana Lima", "Kofi Mensah"},
		Facilitator: "Jo Park",
		TimeZone:    "Europe/Copenhagen",
		Summary: debrief.Summary{
			Category: debrief.CategoryConfiguration,
			ExecutiveSummary: "For **64 minutes** checkout failed for most customers " +
				"after a configuration change shrank the payments connection pool.",
			Narrative: "## Background\n\nThe pool size moved from `200` to `20`.\n\n" +
				"| Step | Owner |\n|---|---|\n| Rollback | SRE |\n\n- [x] rolled back\n",
		},
		Timeline: []debrief.TimelineEvent{
			{Time: at("2024-03-07 14:00"), TimeText: "15:00 CET", Text: "Config push begins",
				Kind: debrief.EventAction, Source: "chat"},
			{Time: at("2024-03-07 14:06"), TimeText: "15:06 CET", Text: "Error-rate alert fires",
				Kind: debrief.EventDetection, Source: "alert"},
			{Time: at("2024-03-07 14:10"), TimeText: "15:10 CET", Text: "On-call acknowledges",
				Kind: debrief.EventEscalation},
			{Time: at("2024-03-07 14:08"), TimeText: "15:08 CET", Text: "Status page updated",
				Kind: debrief.EventCommunication, Flag: debrief.FlagOutOfOrder},
			{TimeText: "25:61", Text: "Someone restarts a pod", Flag: debrief.FlagImpossible},
			{Time: at("2024-03-07 14:52"), TimeText: "15:52 CET", Text: "Pool size restored",
				Kind: debrief.EventMitigation},
			{Time: at("2024-03-07 15:04"), TimeText: "16:04 CET", Text: "Error rate normal",
				Kind: debrief.EventResolution, Flag: debrief.FlagApproximate},
		},
		Analysis: debrief.Analysis{
			RootCause:  "The pool size had no *validation* in the deploy pipeline.",
			Trigger:    "A routine configuration push.",
			Detection:  "The checkout error-rate alert.",
			Resolution: "Rolled the setting back and drained the queue.",
			Whys: []debrief.Why{
				{ID: 1, Question: "Why did checkout fail?", Answer: "Payments timed out",
					Kind: debrief.CauseCausal},
				{ID: 2, ParentID: 1, Question: "Why did payments time out?",
					Answer: "The connection pool was exhausted"},
				{ID: 3, ParentID: 2, Question: "Why was the pool so small?",
					Answer: "Config values are not range-checked", Kind: debrief.CauseRoot},
			},
			Causes: []debrief.Cause{
				{Category: debrief.BoneProcess, Text: "No review of config diffs"},
				{Category: debrief.BoneTechnology, Text: "Missing range checks",
					Kind: debrief.CauseRoot},
				{Category: debrief.BoneEnvironment, Text: "Peak shopping hour"},
			},
		},
		ContributingFactors: []debrief.ContributingFactor{
			{Category: debrief.FactorMonitoring, Description: "Pool saturation not alerted",
				HowContributed: "Delayed detection by six minutes"},
			{Category: debrief.FactorConfiguration, Description: "Config not validated"},
		},
		Impacts: []debrief.Impact{
			{Kind: debrief.ImpactCustomer, Description: "Checkout failures",
				MinutesDown: ptr(64.5), UsersAffected: ptr(int64(1250000)),
				FailedTransactions: ptr(int64(48213))},
			{Kind: debrief.ImpactBusiness, Description: "Lost orders",
				Money: "182000.00", Currency: "EUR"},
		},
		Lessons: []debrief.Lesson{
			{Kind: debrief.LessonWentWell, Text: "Rollback took two minutes"},
			{Kind: debrief.LessonWentWrong, Text: "Alert fired six minutes late"},
			{Kind: debrief.LessonLucky, Text: "It was not Black Friday"},
			{Kind: debrief.LessonGeneral, Text: "Validate every tunable"},
		},
		ActionItems: []debrief.ActionItem{
			{Number: 1, Description: "Range-check pool settings in CI", Owner: "Platform",
				OwnerIsTeam: true, Due: "2024-04-01", Impact: debrief.LevelHigh,
				Effort: debrief.LevelLow, Category: debrief.ActionCodeFix,
				Purpose: debrief.PurposePrevention, SuccessMetric: "CI rejects pool < 50",
				Verification: "Test push of pool 10 fails", Status: debrief.ActionInProgress,
				TrackerURL: "https://tracker.example/PLAT-88"},
			{Number: 2, Description: "Alert on pool saturation", Owner: "Kofi Mensah",
				Impact: debrief.LevelMedium, Effort: debrief.LevelHigh,
				Category: debrief.ActionMonitoring, Purpose: debrief.PurposeMitigation,
				Status: debrief.ActionBlocked, BlockedReason: "Waiting for metrics exporter"},
		},
		Team: []debrief.TeamMember{
			{Name: "Ana Lima", Role: debrief.RoleIncidentCommander},
			{Name: "Kofi Mensah", Role: debrief.RoleServiceOwner},
		},
		Meeting: debrief.Meeting{
			Date:      at("2024-03-11 09:00"),
			Attendees: []string{"Ana Lima", "Kofi Mensah", "Jo Park"},
			Notes:     "Agreed to add **range checks**.",
		},
		Links: []debrief.Link{
			{Title: "Incident channel", URL: "https://chat.example/inc-4411"},
			{URL: "https://status.example/incidents/77"},
		},
		Tags:     []string{"config", "payments"},
		Sections: []debrief.Section{{Heading: "Appendix: graphs", Body: "See _dashboards_."}},
		Fields:   map[string]string{"Region": "eu-west-1", "Customer tier": "all"},
		Source: debrief.Source{Path: "2024/03-07-checkout.md", Format: "markdown",
			Digest: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
		CreatedAt: at("2024-03-08 10:00"),
		UpdatedAt: at("2024-03-12 16:30"),
		Version:   3,
	}
}

// listReports are small reports spread over services, severities and
// years, for the list, filter, sort and search tests.
func listReports() []*debrief.Postmortem {
	mk := func(id, title string, sev debrief.Severity, cat debrief.Category,
		svc string, start string) *debrief.Postmortem {
		return &debrief.Postmortem{
			ID: id, Title: title, Status: debrief.StatusFinal,
			Incident: debrief.Incident{ID: "INC-" + id, Severity: sev, Category: cat,
				Services: []string{svc}, StartedAt: at(start)},
			Summary: debrief.Summary{ExecutiveSummary: "Summary of " + title},
		}
	}
	return []*debrief.Postmortem{
		mk("a", "Auth tokens expired early", "P2", debrief.CategorySecurity, "auth",
			"2023-05-02 08:00"),
		mk("b", "Billing batch ran twice", "P3", debrief.CategoryChangeManagement, "billing",
			"2024-01-15 02:00"),
		mk("c", "CDN cache purge storm", "P1", debrief.CategoryPerformance, "cdn",
			"2024-06-20 12:00"),
		mk("d", "DNS provider outage", "P1", debrief.CategoryExternalDependency, "cdn",
			"2022-11-30 19:00"),
		mk("e", "Email queue backlog", "P4", debrief.CategoryPerformance, "email",
			"2024-02-01 07:30"),
	}
}

// testServer starts the web view over store on a loopback httptest server.
func testServer(t *testing.T, store Store, opts ...Option) *httptest.Server {
	t.Helper()
	srv, err := NewServer(store, slog.New(slog.DiscardHandler), opts...)
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// readerServer starts the web view over store and signs in a viewer named
// "reader", who may read every page there is to read.
func readerServer(t *testing.T, store Store, opts ...Option) (*httptest.Server, *browser) {
	t.Helper()
	ts := testServer(t, store, opts...)
	u := newTestUser(t, store, "reader", debrief.AccessViewer)
	return ts, signInAs(t, ts, u.Name, testPassword, u)
}

// fetch gets path as the browser's user.
func (b *browser) fetch(path string) response {
	b.t.Helper()
	res, body := b.get(path)
	return response{status: res.StatusCode, header: res.Header, body: body}
}

type response struct {
	status int
	header http.Header
	body   string
}

// get fetches path without signing in.
func get(t *testing.T, ts *httptest.Server, path string) response {
	t.Helper()
	res, err := ts.Client().Get(ts.URL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

// assertContains checks every wanted fragment, reporting all misses at once.
func assertContains(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}

func assertNotContains(t *testing.T, what, body string, unwanted ...string) {
	t.Helper()
	for _, u := range unwanted {
		if strings.Contains(body, u) {
			t.Errorf("%s: unexpectedly contains %q", what, u)
		}
	}
}

// emptyReport is a report with nothing but its id: every section is empty.
func emptyReport(id string) *debrief.Postmortem {
	return &debrief.Postmortem{ID: id, Status: debrief.StatusDraft}
}
