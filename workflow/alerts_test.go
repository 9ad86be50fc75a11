package workflow_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/corpus"
	"github.com/debrief-oss/debrief/sqlstore"
	"github.com/debrief-oss/debrief/workflow"
)

var webhook = debrief.Actor{Name: "webhook:alertmanager", Role: debrief.AccessContributor}

// clockService is a workflow whose clock the test sets.
func clockService(t *testing.T, now *time.Time) (*workflow.Service, *sqlstore.DB) {
	t.Helper()
	clock := func() time.Time { return *now }
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "debrief.db"),
		sqlstore.WithClock(clock))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return workflow.New(db, workflow.WithClock(clock)), db
}

// amGroup is an Alertmanager v4 body for one group of alerts; each alert is
// "fingerprint:status:startsAt[:endsAt]" with times as 15:04 on 2026-03-06
// (a Friday).
func amGroup(severity string, alerts ...string) []byte {
	var parts []string
	for _, a := range alerts {
		f := strings.Split(a, ":")
		at := func(hm string) string { return "2026-03-06T" + hm[:2] + ":" + hm[2:] + ":00Z" }
		ends := "0001-01-01T00:00:00Z"
		if len(f) > 3 {
			ends = at(f[3])
		}
		parts = append(parts, fmt.Sprintf(`{"status":%q,"labels":{"alertname":"HighLatency",`+
			`"service":"checkout","severity":%q,"instance":%q},"annotations":{"summary":`+
			`"p99 latency above 2s"},"startsAt":%q,"endsAt":%q,"fingerprint":%q}`,
			f[1], severity, f[0], at(f[2]), ends, f[0]))
	}
	return []byte(`{"version":"4","groupKey":"{}:{alertname=\"HighLatency\"}",` +
		`"status":"firing","receiver":"debrief","groupLabels":{"alertname":"HighLatency"},` +
		`"commonLabels":{},"commonAnnotations":{},"externalURL":"http://am",` +
		`"alerts":[` + strings.Join(parts, ",") + `]}`)
}

func TestAlertsOpenAnIncidentAndItsRequiredDraftWhenResolved(t *testing.T) {
	now := time.Date(2026, 3, 6, 15, 0, 0, 0, time.UTC)
	s, _ := clockService(t, &now)
	ctx := context.Background()

	r, err := s.ReceiveAlerts(ctx, webhook, debrief.SourceAlertmanager, "application/json",
		amGroup("critical", "a:firing:1000", "b:firing:1002", "c:firing:1005"))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Incidents) != 1 || !r.Incidents[0].Created || r.Incidents[0].Events != 3 {
		t.Fatalf("first payload: %+v; want one new incident with three events", r.Incidents)
	}
	id := r.Incidents[0].IncidentID
	if len(r.Decisions) != 1 || r.Decisions[0].Outcome != debrief.OutcomeRequired ||
		r.Decisions[0].PostmortemID != "" {
		t.Fatalf("decision on the open P1: %+v; want required, no draft while open",
			r.Decisions)
	}

	// One of three resolves: still open, no draft.
	r, err = s.ReceiveAlerts(ctx, webhook, debrief.SourceAlertmanager, "application/json",
		amGroup("critical", "b:resolved:1002:1020"))
	if err != nil {
		t.Fatal(err)
	}
	if in, _ := s.Incident(ctx, viewer, id); in.Status != debrief.IncidentOpen {
		t.Fatalf("after one of three resolved the incident is %s", in.Status)
	}

	// The rest resolve: the incident resolves at the last end and the
	// policy opens the draft, its timeline seeded from the alerts.
	r, err = s.ReceiveAlerts(ctx, webhook, debrief.SourceAlertmanager, "application/json",
		amGroup("critical", "a:resolved:1000:1031", "c:resolved:1005:1040"))
	if err != nil {
		t.Fatal(err)
	}
	in, err := s.Incident(ctx, viewer, id)
	if err != nil {
		t.Fatal(err)
	}
	if in.Status != debrief.IncidentResolved || in.ResolvedAt.Format("15:04") != "10:40" {
		t.Fatalf("incident %s at %v, want resolved at 10:40", in.Status, in.ResolvedAt)
	}
	if in.PostmortemID == "" {
		t.Fatal("the required postmortem was not opened on resolution")
	}
	p, err := s.Get(ctx, viewer, in.PostmortemID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Timeline) != 6 || p.Timeline[0].Source != "alert" || p.Status != debrief.StatusDraft {
		t.Errorf("draft: status %s, %d timeline events (first from %q); want a draft with "+
			"the six alert events", p.Status, len(p.Timeline), p.Timeline[0].Source)
	}

	// Deadlines: meeting 48 h after 10:40 Friday; the draft and the final
	// count from the meeting's deadline while no meeting was held.
	ds, err := s.Deadlines(ctx, viewer, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 || ds[0].Kind != debrief.DeadlineMeeting ||
		!ds[0].Due.Equal(time.Date(2026, 3, 8, 10, 40, 0, 0, time.UTC)) {
		t.Fatalf("deadlines %+v; want the meeting due Sunday 10:40 UTC first", ds)
	}

	// A later end for one alert moves the resolution: the report's header
	// follows as a revision by the alerting tool, and so do the deadlines.
	if _, err := s.ReceiveAlerts(ctx, webhook, debrief.SourceAlertmanager, "",
		amGroup("critical", "c:resolved:1005:1045")); err != nil {
		t.Fatal(err)
	}
	moved, err := s.Get(ctx, viewer, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if moved.Version != p.Version+1 || moved.UpdatedBy != webhook.Name ||
		moved.Incident.ResolvedAt.Format("15:04") != "10:45" {
		t.Errorf("after a later end: version %d by %q, resolved %v; want version %d by "+
			"the webhook, resolved 10:45", moved.Version, moved.UpdatedBy,
			moved.Incident.ResolvedAt, p.Version+1)
	}
	if ds, _ := s.Deadlines(ctx, viewer, p.ID); len(ds) == 0 ||
		ds[0].Due.Format("15:04") != "10:45" {
		t.Errorf("meeting deadline after the later end: %+v", ds)
	}

	// Three days later nothing happened: the meeting is overdue.
	now = now.Add(72 * time.Hour)
	list, total, err := s.Overdue(ctx, viewer, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || list[0].PostmortemID != p.ID || list[0].Kind != debrief.DeadlineMeeting {
		t.Errorf("overdue: %d %+v; want the meeting of %s", total, list, p.ID)
	}
}

func TestAReplayedPayloadChangesNothing(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	body := amGroup("warning", "a:firing:1000")
	first, err := s.ReceiveAlerts(ctx, webhook, debrief.SourceAlertmanager, "", body)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.ReceiveAlerts(ctx, webhook, debrief.SourceAlertmanager, "", body)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Replay || again.Payload.ID != first.Payload.ID || len(again.Incidents) != 0 {
		t.Errorf("replay: %+v; want the first payload back and nothing changed", again)
	}
}

func TestAnUnreadablePayloadIsKeptAndCanBeProcessedAgain(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	_, err := s.ReceiveAlerts(ctx, webhook, debrief.SourceAlertmanager, "",
		[]byte(`{"version":"4","alerts":[{"status":"firing","startsAt":"yesterday"}]}`))
	pe, ok := workflow.IsPayloadError(err)
	if !ok || debrief.ErrorKind(err) != debrief.KindInvalid {
		t.Fatalf("unreadable payload: %v; want a kept payload refused as invalid", err)
	}
	list, n, err := s.Payloads(ctx, admin, debrief.PayloadFilter{Status: debrief.PayloadFailed})
	if err != nil || n != 1 || list[0].ID != pe.ID || list[0].Problem == "" {
		t.Fatalf("failed payloads: %d %+v (%v); want the one kept with its problem", n, list, err)
	}
	_, _, err = s.Payloads(ctx, facilitator, debrief.PayloadFilter{})
	if debrief.ErrorKind(err) != debrief.KindForbidden {
		t.Errorf("a facilitator read raw payloads: %v", err)
	}
	if _, err := s.Reprocess(ctx, admin, pe.ID); err == nil {
		t.Error("reprocessing the same unreadable body succeeded")
	}
}

func TestPolicyWaiverAndLearningRequest(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	in := &debrief.Incident{Title: "Slow search", Severity: "P2", Services: []string{"search"},
		Category: debrief.CategoryPerformance, Status: debrief.IncidentOpen, StartedAt: start}
	if _, err := s.CreateIncident(ctx, contributor, in); err != nil {
		t.Fatal(err)
	}
	_, d, err := s.Request(ctx, contributor, in.ID, debrief.RequestWaiver, "  ")
	if err == nil {
		t.Fatalf("a waiver without a reason was accepted: %+v", d)
	}
	_, d, err = s.Request(ctx, contributor, in.ID, debrief.RequestWaiver,
		"known bug, fix already shipped")
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != debrief.OutcomeWaived || !strings.Contains(d.Explanation, "known bug") {
		t.Errorf("decision after the waiver: %+v", d)
	}

	p4 := &debrief.Incident{Title: "Odd cache miss", Severity: "P4",
		Status: debrief.IncidentResolved, StartedAt: start, ResolvedAt: start.Add(time.Hour)}
	if _, err := s.CreateIncident(ctx, contributor, p4); err != nil {
		t.Fatal(err)
	}
	req, d, err := s.Request(ctx, contributor, p4.ID, debrief.RequestLearning,
		"first time we saw the cache evict under load")
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != debrief.OutcomeRequested || d.PostmortemID != "" {
		t.Errorf("learning request before approval: %+v", d)
	}
	if _, _, err := s.Approve(ctx, contributor, p4.ID, req.ID); err == nil {
		t.Error("the requester approved their own request")
	}
	if _, _, err := s.Approve(ctx, viewer, p4.ID, req.ID); err == nil {
		t.Error("a viewer approved a learning request")
	}
	_, d, err = s.Approve(ctx, facilitator, p4.ID, req.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Outcome != debrief.OutcomeRequired || d.PostmortemID == "" {
		t.Errorf("approved learning request: %+v; want required with a draft opened", d)
	}
}

func TestCorpusAlertmanagerPayloadsOpenIncidents(t *testing.T) {
	dir := filepath.Join(corpus.Payloads(t), "alertmanager")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := newService(t)
	ctx := context.Background()
	for _, e := range entries {
		body, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		r, err := s.ReceiveAlerts(ctx, webhook, debrief.SourceAlertmanager, "", body)
		if err != nil {
			t.Errorf("%s: %v", e.Name(), err)
			continue
		}
		if len(r.Incidents) == 0 {
			t.Errorf("%s opened no incident", e.Name())
		}
	}
}

// generic is a generic-shape alert body.
func generic(group, status, severity, at string) []byte {
	return []byte(fmt.Sprintf(`{"group_key":%q,"alert_key":"a","status":%q,"title":"Same title",`+
		`"severity":%q,"time":"2026-03-06T%s:00Z"}`, group, status, severity, at))
}

func TestGroupsResolvingTogetherEachGetTheirDraft(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	tool := workflow.ToolActor(debrief.SourceGeneric)
	const n = 12
	for i := range n {
		if _, err := s.ReceiveAlerts(ctx, tool, debrief.SourceGeneric, "",
			generic(fmt.Sprintf("g%d", i), "firing", "P1", "10:00")); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan error, n)
	for i := range n {
		go func() {
			_, err := s.ReceiveAlerts(ctx, tool, debrief.SourceGeneric, "",
				generic(fmt.Sprintf("g%d", i), "resolved", "P1", "10:30"))
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	list, _, err := s.Incidents(ctx, viewer, debrief.IncidentFilter{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	reports := map[string]bool{}
	for _, in := range list {
		if in.PostmortemID == "" || reports[in.PostmortemID] {
			t.Errorf("incident %s has report %q", in.ID, in.PostmortemID)
		}
		reports[in.PostmortemID] = true
	}
	if len(list) != n || len(reports) != n {
		t.Errorf("%d incidents with %d drafts, want %d of each", len(list), len(reports), n)
	}
}

func TestAPersonsTokenCannotReportOnAnIncidentTheyMayNotRead(t *testing.T) {
	s, db := newService(t)
	ctx := context.Background()
	tool := workflow.ToolActor(debrief.SourceGeneric)
	r, err := s.ReceiveAlerts(ctx, tool, debrief.SourceGeneric, "",
		generic("secret", "firing", "P3", "10:00"))
	if err != nil {
		t.Fatal(err)
	}
	id := r.Incidents[0].IncidentID
	p, err := s.CreateFromIncident(ctx, facilitator, id, "api")
	if err != nil {
		t.Fatal(err)
	}
	p.Visibility, p.Authors = debrief.VisibilityRestricted, []string{facilitator.Name}
	if err := db.SavePostmortem(ctx, p); err != nil {
		t.Fatal(err)
	}

	_, err = s.ReceiveAlerts(ctx, colleague, debrief.SourceGeneric, "",
		generic("secret", "acknowledged", "P3", "10:05"))
	if _, ok := workflow.IsPayloadError(err); !ok {
		t.Fatalf("a stranger's token reported on a restricted incident: %v", err)
	}
	if in, _ := db.Incident(ctx, id); in.Status != debrief.IncidentOpen {
		t.Errorf("the stranger's alert changed the incident to %s", in.Status)
	}
	if _, err := s.ReceiveAlerts(ctx, tool, debrief.SourceGeneric, "",
		generic("secret", "acknowledged", "P3", "10:06")); err != nil {
		t.Errorf("the tool itself was refused: %v", err)
	}
}

func TestASeverityChangeAsksThePolicyAgain(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	tool := workflow.ToolActor(debrief.SourceGeneric)
	r, err := s.ReceiveAlerts(ctx, tool, debrief.SourceGeneric, "",
		generic("sev", "firing", "P1", "10:00"))
	if err != nil {
		t.Fatal(err)
	}
	id := r.Incidents[0].IncidentID
	body := []byte(`{"group_key":"sev","alert_key":"a","status":"firing","title":"Same title",` +
		`"severity":"P4","time":"2026-03-06T10:05:00Z","starts_at":"2026-03-06T10:05:00Z"}`)
	if _, err := s.ReceiveAlerts(ctx, tool, debrief.SourceGeneric, "", body); err != nil {
		t.Fatal(err)
	}
	ds, err := s.Decisions(ctx, viewer, id)
	if err != nil || len(ds) == 0 {
		t.Fatal(err)
	}
	if ds[0].Outcome == debrief.OutcomeRequired {
		t.Errorf("after P1 became P4 the decision is still %q", ds[0].Explanation)
	}
}

func TestAnyoneMayAskForALearningPostmortemButNotForAWaiver(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	in := &debrief.Incident{Title: "Odd", Severity: "P4", Status: debrief.IncidentOpen}
	if _, err := s.CreateIncident(ctx, contributor, in); err != nil {
		t.Fatal(err)
	}
	if _, d, err := s.Request(ctx, viewer, in.ID, debrief.RequestLearning,
		"we never saw this failure mode"); err != nil || d.Outcome != debrief.OutcomeRequested {
		t.Errorf("a viewer's learning request: %v %+v", err, d)
	}
	if _, _, err := s.Request(ctx, viewer, in.ID, debrief.RequestWaiver,
		"not needed"); debrief.ErrorKind(err) != debrief.KindForbidden {
		t.Errorf("a viewer's waiver: %v, want forbidden", err)
	}
}

func TestAWaiverAfterTheDraftOpenedEndsItsDeadlines(t *testing.T) {
	now := time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)
	s, _ := clockService(t, &now)
	ctx := context.Background()
	tool := workflow.ToolActor(debrief.SourceGeneric)
	for _, status := range []string{"firing", "resolved"} {
		if _, err := s.ReceiveAlerts(ctx, tool, debrief.SourceGeneric, "",
			generic("p2", status, "P2", "10:00")); err != nil {
			t.Fatal(err)
		}
	}
	list, _, _ := s.Overdue(ctx, viewer, 10, 0)
	if len(list) != 3 {
		t.Fatalf("overdue before the waiver: %d steps, want 3", len(list))
	}
	in, _, _ := s.Incidents(ctx, viewer, debrief.IncidentFilter{})
	if _, d, err := s.Request(ctx, contributor, in[0].ID, debrief.RequestWaiver,
		"a known bug with its fix already shipped"); err != nil ||
		d.Outcome != debrief.OutcomeWaived {
		t.Fatalf("waiver: %v %+v", err, d)
	}
	if list, _, _ := s.Overdue(ctx, viewer, 10, 0); len(list) != 0 {
		t.Errorf("a waived postmortem still has %d overdue steps", len(list))
	}
}

func TestADraftLinksToItsAlerts(t *testing.T) {
	s, db := newService(t)
	ctx := context.Background()
	tool := workflow.ToolActor(debrief.SourceGeneric)
	for _, status := range []string{"firing", "resolved"} {
		body := []byte(`{"group_key":"linked","status":"` + status + `","title":"Disk full",` +
			`"severity":"P1","time":"2026-03-06T10:00:00Z","url":"https://grafana.example/d/1"}`)
		if _, err := s.ReceiveAlerts(ctx, tool, debrief.SourceGeneric, "", body); err != nil {
			t.Fatal(err)
		}
	}
	list, _, _ := db.Incidents(ctx, debrief.IncidentFilter{})
	alerts, _ := db.Alerts(ctx, list[0].ID)
	if len(alerts) != 1 || alerts[0].URL != "https://grafana.example/d/1" {
		t.Fatalf("alerts %+v; want the link kept", alerts)
	}
	p, err := s.Get(ctx, viewer, list[0].PostmortemID)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Links) != 1 || p.Links[0].URL != "https://grafana.example/d/1" {
		t.Errorf("draft links %+v; want the alert's", p.Links)
	}
}

func TestAHeaderEditKeepsOrFollowsTheIncident(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	tool := workflow.ToolActor(debrief.SourceGeneric)
	for _, status := range []string{"firing", "resolved"} {
		if _, err := s.ReceiveAlerts(ctx, tool, debrief.SourceGeneric, "",
			generic("hdr", status, "P2", "10:00")); err != nil {
			t.Fatal(err)
		}
	}
	list, _, _ := s.Incidents(ctx, viewer, debrief.IncidentFilter{})
	p, err := s.Get(ctx, facilitator, list[0].PostmortemID)
	if err != nil {
		t.Fatal(err)
	}

	// A header that leaves the incident out keeps it.
	edit := &debrief.Postmortem{Title: "Renamed"}
	next, err := s.EditSection(ctx, facilitator, p.ID, p.Version, section(t, "header"), edit)
	if err != nil {
		t.Fatal(err)
	}
	if next.Incident.Severity != "P2" || next.Incident.Status != debrief.IncidentResolved {
		t.Fatalf("a header without an incident wiped it: %+v", next.Incident)
	}

	// A header that lowers the severity asks the policy again.
	edit = &debrief.Postmortem{Title: "Renamed", Incident: next.Incident}
	edit.Incident.Severity = "P4"
	if _, err := s.EditSection(ctx, facilitator, p.ID, next.Version, section(t, "header"),
		edit); err != nil {
		t.Fatal(err)
	}
	ds, _ := s.Decisions(ctx, viewer, list[0].ID)
	if len(ds) == 0 || ds[0].Outcome == debrief.OutcomeRequired {
		t.Errorf("after P2 became P4 in the header the decision is %+v", ds[0])
	}
}
