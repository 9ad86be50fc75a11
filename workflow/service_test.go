package workflow_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
	"github.com/debrief-oss/debrief/workflow"
)

var (
	viewer      = debrief.Actor{UserID: 1, Name: "vera", Role: debrief.AccessViewer}
	contributor = debrief.Actor{UserID: 2, Name: "carl", Role: debrief.AccessContributor}
	colleague   = debrief.Actor{UserID: 3, Name: "cleo", Role: debrief.AccessContributor}
	facilitator = debrief.Actor{UserID: 4, Name: "fay", Role: debrief.AccessFacilitator}
	admin       = debrief.Actor{UserID: 5, Name: "ada", Role: debrief.AccessAdmin}
)

func newService(t *testing.T) (*workflow.Service, *sqlstore.DB) {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "debrief.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return workflow.New(db), db
}

// draft creates a report with the given title as the contributor.
func draft(t *testing.T, s *workflow.Service, title string) *debrief.Postmortem {
	t.Helper()
	p := &debrief.Postmortem{Title: title}
	if err := s.Create(context.Background(), contributor, p); err != nil {
		t.Fatalf("create: %v", err)
	}
	return p
}

func section(t *testing.T, key string) workflow.Section {
	t.Helper()
	sec, err := workflow.SectionByKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return sec
}

func TestCreateStartsADraftByTheAuthor(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := draft(t, s, "Checkout 502s after deploy!")

	if !strings.HasSuffix(p.ID, "-checkout-502s-after-deploy") {
		t.Errorf("id %q is not made from the title", p.ID)
	}
	got, err := s.Get(ctx, viewer, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != debrief.StatusDraft || got.UpdatedBy != "carl" || got.Version != 1 {
		t.Errorf("stored status %q, by %q, version %d; want draft by carl at 1",
			got.Status, got.UpdatedBy, got.Version)
	}
	again := draft(t, s, "Checkout 502s after deploy!")
	if again.ID != p.ID+"-2" {
		t.Errorf("second report with the same title got id %q, want %q", again.ID, p.ID+"-2")
	}

	err = s.Create(ctx, viewer, &debrief.Postmortem{Title: "x"})
	if debrief.ErrorKind(err) != debrief.KindForbidden {
		t.Errorf("viewer create: %v, want forbidden", err)
	}
	err = s.Create(ctx, contributor, &debrief.Postmortem{Title: "  "})
	if debrief.ErrorField(err) != "title" {
		t.Errorf("untitled create: %v, want an error about the title", err)
	}
	err = s.Create(ctx, contributor, &debrief.Postmortem{ID: p.ID, Title: "dup"})
	if debrief.ErrorKind(err) != debrief.KindConflict {
		t.Errorf("create with a taken id: %v, want conflict", err)
	}
	if _, err := s.Get(ctx, debrief.Actor{},
		p.ID); debrief.ErrorKind(err) != debrief.KindUnauthorized {
		t.Errorf("anonymous read: %v, want unauthorized", err)
	}
}

func TestEditsOfDifferentSectionsMerge(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := draft(t, s, "Queue backlog")
	base := p.Version

	// Both start from the same version; one writes the summary, the other
	// the timeline. Neither loses anything.
	summary := &debrief.Postmortem{Summary: debrief.Summary{ExecutiveSummary: "Jobs waited."}}
	if _, err := s.EditSection(ctx, contributor, p.ID, base, section(t, "summary"),
		summary); err != nil {
		t.Fatalf("first edit: %v", err)
	}
	at := time.Date(2026, 3, 1, 9, 30, 0, 0, time.UTC)
	timeline := &debrief.Postmortem{Timeline: []debrief.TimelineEvent{
		{Time: at, TimeText: "09:30", Text: "Queue depth alert", Kind: debrief.EventDetection},
	}}
	got, err := s.EditSection(ctx, colleague, p.ID, base, section(t, "timeline"), timeline)
	if err != nil {
		t.Fatalf("second edit from the same base: %v", err)
	}
	if got.Summary.ExecutiveSummary != "Jobs waited." || len(got.Timeline) != 1 {
		t.Errorf("merged report has summary %q and %d events; want both edits",
			got.Summary.ExecutiveSummary, len(got.Timeline))
	}
	if got.Version != base+2 || got.UpdatedBy != "cleo" {
		t.Errorf("version %d by %q, want %d by cleo", got.Version, got.UpdatedBy, base+2)
	}
}

func TestStaleEditOfTheSameSectionConflicts(t *testing.T) {
	s, db := newService(t)
	ctx := context.Background()
	p := draft(t, s, "DNS outage")
	base := p.Version
	sec := section(t, "summary")

	mine := &debrief.Postmortem{Summary: debrief.Summary{ExecutiveSummary: "Resolver failed."}}
	if _, err := s.EditSection(ctx, colleague, p.ID, base, sec, mine); err != nil {
		t.Fatal(err)
	}
	theirs := &debrief.Postmortem{Summary: debrief.Summary{ExecutiveSummary: "DNS broke."}}
	_, err := s.EditSection(ctx, contributor, p.ID, base, sec, theirs)

	var conflict *workflow.ConflictError
	if !errors.As(err, &conflict) || debrief.ErrorKind(err) != debrief.KindConflict {
		t.Fatalf("stale edit: %v, want a ConflictError", err)
	}
	if conflict.Base != base || conflict.Current.Version != base+1 {
		t.Errorf("conflict base %d current %d, want %d and %d",
			conflict.Base, conflict.Current.Version, base, base+1)
	}
	if !strings.Contains(err.Error(), "cleo") {
		t.Errorf("message %q does not say who changed the report", err)
	}
	want := []workflow.SectionDiff{{Key: "summary", Title: "Summary", Lines: []workflow.DiffLine{
		{Op: workflow.DiffRemoved, Text: "summary: {}"},
		{Op: workflow.DiffAdded, Text: "summary:"},
		{Op: workflow.DiffAdded, Text: "  executive_summary: Resolver failed."},
	}}}
	if diff := cmp.Diff(want, conflict.Changes); diff != "" {
		t.Errorf("changes meanwhile (-want +got):\n%s", diff)
	}
	stored, _ := db.Postmortem(ctx, p.ID)
	if stored.Summary.ExecutiveSummary != "Resolver failed." {
		t.Errorf("stored summary %q: the refused edit was applied", stored.Summary.ExecutiveSummary)
	}
}

func TestEditChecksTheSectionAndTheRole(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := draft(t, s, "Cert expiry")

	links := &debrief.Postmortem{Links: []debrief.Link{{Title: "x", URL: "javascript:alert(1)"}}}
	_, err := s.EditSection(ctx, contributor, p.ID, p.Version, section(t, "links"), links)
	if debrief.ErrorField(err) != "links[0].url" {
		t.Errorf("javascript: link: %v, want an error on links[0].url", err)
	}
	_, err = s.EditSection(ctx, viewer, p.ID, p.Version, section(t, "summary"),
		&debrief.Postmortem{})
	if debrief.ErrorKind(err) != debrief.KindForbidden {
		t.Errorf("viewer edit: %v, want forbidden", err)
	}
	header := &debrief.Postmortem{Title: "Certificate expiry",
		Incident: debrief.Incident{ID: "other"}}
	got, err := s.EditSection(ctx, contributor, p.ID, p.Version, section(t, "header"), header)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Certificate expiry" || got.Incident.ID != p.Incident.ID {
		t.Errorf("header edit gave title %q incident %q; want the new title on incident %q",
			got.Title, got.Incident.ID, p.Incident.ID)
	}
}

// complete fills in what a report needs before it may be final.
func complete(t *testing.T, s *workflow.Service, p *debrief.Postmortem) *debrief.Postmortem {
	t.Helper()
	ctx := context.Background()
	from := &debrief.Postmortem{
		Summary:  debrief.Summary{ExecutiveSummary: "Logins failed for 20 minutes."},
		Timeline: []debrief.TimelineEvent{{TimeText: "2026-03-07 10:00", Text: "Alert fired"}},
		ContributingFactors: []debrief.ContributingFactor{
			{Category: debrief.FactorMonitoring, Description: "No alert on token errors"},
		},
		ActionItems: []debrief.ActionItem{
			{Number: 1, Description: "Alert on token errors", Owner: "identity team",
				Due: "2026-12-31"},
		},
	}
	var err error
	for _, key := range []string{"summary", "timeline", "contributing_factors", "action_items"} {
		if p, err = s.EditSection(ctx, contributor, p.ID, p.Version, section(t, key),
			from); err != nil {
			t.Fatalf("edit %s: %v", key, err)
		}
	}
	return p
}

func TestLifecycle(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := draft(t, s, "Login failures")

	if _, err := s.Transition(ctx, contributor, p.ID, p.Version,
		debrief.StatusFinal); debrief.ErrorKind(err) != debrief.KindInvalid {
		t.Errorf("draft straight to final: %v, want invalid", err)
	}
	p, err := s.Transition(ctx, contributor, p.ID, p.Version, debrief.StatusInReview)
	if err != nil {
		t.Fatalf("to review: %v", err)
	}
	_, err = s.Transition(ctx, facilitator, p.ID, p.Version, debrief.StatusFinal)
	if err == nil || !strings.Contains(err.Error(), "executive summary is empty") ||
		!strings.Contains(err.Error(), "no contributing factor") {
		t.Errorf("incomplete report to final: %v, want the missing parts listed", err)
	}

	p = complete(t, s, p)
	if _, err := s.Transition(ctx, contributor, p.ID, p.Version,
		debrief.StatusFinal); debrief.ErrorKind(err) != debrief.KindForbidden {
		t.Errorf("contributor finalising: %v, want forbidden", err)
	}
	if _, err := s.Transition(ctx, facilitator, p.ID, p.Version-1,
		debrief.StatusFinal); debrief.ErrorKind(err) != debrief.KindConflict {
		t.Errorf("finalising a stale version: %v, want conflict", err)
	}
	p, err = s.Transition(ctx, facilitator, p.ID, p.Version, debrief.StatusFinal)
	if err != nil {
		t.Fatalf("to final: %v", err)
	}

	sum := section(t, "summary")
	_, err = s.EditSection(ctx, contributor, p.ID, p.Version, sum, &debrief.Postmortem{})
	if debrief.ErrorKind(err) != debrief.KindForbidden {
		t.Errorf("contributor editing a final report: %v, want forbidden", err)
	}
	p, err = s.Transition(ctx, facilitator, p.ID, p.Version, debrief.StatusArchived)
	if err != nil {
		t.Fatalf("archive: %v", err)
	}
	_, err = s.EditSection(ctx, admin, p.ID, p.Version, sum, &debrief.Postmortem{})
	if debrief.ErrorKind(err) != debrief.KindConflict || !strings.Contains(err.Error(),
		"read-only") {
		t.Errorf("editing an archived report: %v, want read-only", err)
	}
	if _, err := s.Transition(ctx, facilitator, p.ID, p.Version,
		debrief.StatusFinal); debrief.ErrorKind(err) != debrief.KindForbidden {
		t.Errorf("facilitator unarchiving: %v, want forbidden", err)
	}

	revs, err := s.Revisions(ctx, viewer, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != p.Version || revs[0].Status != debrief.StatusArchived || revs[0].Author != "fay" {
		t.Errorf("%d revisions, newest %+v; want %d, newest archived by fay",
			len(revs), revs[0], p.Version)
	}
	changes, err := s.Compare(ctx, viewer, p.ID, 1, p.Version)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, c := range changes {
		keys = append(keys, c.Key)
	}
	want := []string{"status", "summary", "timeline", "contributing_factors", "action_items"}
	if diff := cmp.Diff(want, keys); diff != "" {
		t.Errorf("sections changed from version 1 (-want +got):\n%s", diff)
	}
}

func TestCreateFromIncidentSeedsTheTimeline(t *testing.T) {
	s, db := newService(t)
	ctx := context.Background()
	start := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	in := &debrief.Incident{
		ID: "INC-7", Title: "Payments timing out", Severity: "P1",
		Services: []string{"payments"}, Status: debrief.IncidentResolved,
		StartedAt: start, DetectedAt: start.Add(4 * time.Minute),
		ResolvedAt: start.Add(90 * time.Minute),
	}
	if err := db.SaveIncident(ctx, in); err != nil {
		t.Fatal(err)
	}
	p, err := s.CreateFromIncident(ctx, contributor, "INC-7", "web")
	if err != nil {
		t.Fatal(err)
	}
	if p.Title != in.Title || p.Incident.ID != "INC-7" || len(p.Timeline) != 3 {
		t.Fatalf("report %q on incident %q with %d events; want the incident's title, id and 3 moments",
			p.Title, p.Incident.ID, len(p.Timeline))
	}
	if p.Timeline[1].Kind != debrief.EventDetection || !p.Timeline[1].Time.Equal(in.DetectedAt) {
		t.Errorf("second event %+v, want the detection at %v", p.Timeline[1], in.DetectedAt)
	}
	if _, err := s.CreateFromIncident(ctx, contributor, "INC-7",
		"web"); debrief.ErrorKind(err) != debrief.KindConflict {
		t.Errorf("second report on the incident: %v, want conflict", err)
	}
	got, err := db.Incident(ctx, "INC-7")
	if err != nil || got.PostmortemID != p.ID {
		t.Errorf("incident's report %v (err %v), want %s", got, err, p.ID)
	}
}

func TestLifecycleIsLoggedWithoutReportText(t *testing.T) {
	_, db := newService(t)
	var logs strings.Builder
	s := workflow.New(db, workflow.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	ctx := context.Background()
	p := draft(t, s, "Secret acquisition outage")
	if _, err := s.Transition(ctx, contributor, p.ID, p.Version,
		debrief.StatusInReview); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	for _, want := range []string{"report created", "report status changed",
		"from=draft to=in_review", "user_id=2"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Secret acquisition outage") {
		t.Errorf("log holds the report's title:\n%s", out)
	}
}

func TestDeleteNeedsAnAdminAndTheLatestVersion(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := draft(t, s, "Short-lived")
	if err := s.Delete(ctx, facilitator, p.ID,
		p.Version); debrief.ErrorKind(err) != debrief.KindForbidden {
		t.Errorf("facilitator delete: %v, want forbidden", err)
	}
	var conflict *workflow.ConflictError
	if err := s.Delete(ctx, admin, p.ID, p.Version-1); !errors.As(err, &conflict) {
		t.Errorf("delete of a stale version: %v, want a ConflictError", err)
	}
	if err := s.Delete(ctx, admin, p.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, viewer, p.ID); !debrief.IsNotFound(err) {
		t.Errorf("read after delete: %v, want not found", err)
	}
}

func TestEmptyListsAreNoChangeAndNewItemsGetNumbers(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := draft(t, s, "Numbering")
	for _, key := range []string{"timeline", "lessons", "links", "team", "sections"} {
		sec := section(t, key)
		from, err := sec.Decode([]byte(map[string]string{
			"timeline": `{"timeline":[]}`, "lessons": `{"lessons":[]}`,
			"links": `{"links":[],"tags":[]}`, "team": `{"team":[],"meeting":{}}`,
			"sections": `{"sections":[],"fields":{}}`,
		}[key]))
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.EditSection(ctx, contributor, p.ID, p.Version, sec, from)
		if err != nil || got.Version != p.Version {
			t.Errorf("empty %s over none: version %d (%v), want %d unchanged",
				key, got.Version, err, p.Version)
		}
	}

	items := &debrief.Postmortem{ActionItems: []debrief.ActionItem{
		{Description: "a"}, {Number: 7, Description: "b"}, {Description: "c"},
	}}
	got, err := s.EditSection(ctx, contributor, p.ID, p.Version, section(t, "action_items"), items)
	if err != nil {
		t.Fatal(err)
	}
	var numbers []int
	for _, a := range got.ActionItems {
		numbers = append(numbers, a.Number)
	}
	if diff := cmp.Diff([]int{8, 7, 9}, numbers); diff != "" {
		t.Errorf("action item numbers (-want +got):\n%s", diff)
	}
}
