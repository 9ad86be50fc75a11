package workflow_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// queueBacklog is an incident as a person records it, without an ID.
func queueBacklog() *debrief.Incident {
	start := time.Date(2026, 3, 7, 14, 0, 0, 0, time.UTC)
	return &debrief.Incident{
		Title: "Queue backlog!", Services: []string{"queue"}, Severity: "P2",
		StartedAt: start, ResolvedAt: start.Add(time.Hour),
	}
}

func TestIncidentRolesGoWithWhatPeopleDo(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	got, err := s.CreateIncident(ctx, contributor, queueBacklog())
	if err != nil {
		t.Fatalf("contributor records an incident: %v", err)
	}

	tests := []struct {
		name string
		try  func(a debrief.Actor) error
	}{
		{"read", func(a debrief.Actor) error {
			_, err := s.Incident(ctx, a, got.ID)
			return err
		}},
		{"list", func(a debrief.Actor) error {
			_, _, err := s.Incidents(ctx, a, debrief.IncidentFilter{})
			return err
		}},
		{"create", func(a debrief.Actor) error {
			_, err := s.CreateIncident(ctx, a, queueBacklog())
			return err
		}},
		{"replace", func(a debrief.Actor) error {
			in := queueBacklog()
			in.ID = got.ID
			_, err := s.ReplaceIncident(ctx, a, in, 0)
			return err
		}},
	}
	writes := map[string]bool{"create": true, "replace": true}
	for _, tt := range tests {
		if err := tt.try(debrief.Actor{}); debrief.ErrorKind(err) != debrief.KindUnauthorized {
			t.Errorf("%s by nobody signed in: %v, want unauthorized", tt.name, err)
		}
		err := tt.try(viewer)
		if writes[tt.name] && debrief.ErrorKind(err) != debrief.KindForbidden {
			t.Errorf("%s by a viewer: %v, want forbidden", tt.name, err)
		}
		if !writes[tt.name] && err != nil {
			t.Errorf("%s by a viewer: %v, want it allowed", tt.name, err)
		}
	}
	_, err = s.CreateIncident(ctx, viewer, queueBacklog())
	if !strings.Contains(debrief.ErrorMessage(err), "contributor role") {
		t.Errorf("viewer's refusal %q does not name the role needed", debrief.ErrorMessage(err))
	}
}

func TestCreateIncidentMakesAnIDOrRefusesATakenOne(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()

	first, err := s.CreateIncident(ctx, contributor, queueBacklog())
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.CreateIncident(ctx, contributor, queueBacklog())
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{first.ID, second.ID}
	want := []string{"inc-2026-03-07-queue-backlog", "inc-2026-03-07-queue-backlog-2"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("ids made from start and title (-want +got):\n%s", diff)
	}
	if first.Status != debrief.IncidentOpen {
		t.Errorf("new incident without a status is %q, want open", first.Status)
	}

	undated := &debrief.Incident{Title: "Disk full"}
	if _, err := s.CreateIncident(ctx, contributor, undated); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(undated.ID, "inc-") || !strings.HasSuffix(undated.ID, "-disk-full") {
		t.Errorf("undated incident got id %q, want inc-<today>-disk-full", undated.ID)
	}

	chosen := queueBacklog()
	chosen.ID, chosen.Title = "INC-4411", "Checkout errors"
	if _, err := s.CreateIncident(ctx, contributor, chosen); err != nil {
		t.Fatalf("chosen id: %v", err)
	}
	again := &debrief.Incident{ID: "INC-4411", Title: "Something else"}
	_, err = s.CreateIncident(ctx, colleague, again)
	if debrief.ErrorKind(err) != debrief.KindConflict ||
		!strings.Contains(err.Error(), "INC-4411") {
		t.Errorf("taken id: %v, want a conflict naming it", err)
	}
	kept, err := s.Incident(ctx, viewer, "INC-4411")
	if err != nil || kept.Title != "Checkout errors" {
		t.Errorf("after the refused create the incident is %+v (%v), want it unchanged", kept, err)
	}
}

func TestIncidentsAreValidatedBeforeTheyAreStored(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	tests := []struct {
		name  string
		edit  func(in *debrief.Incident)
		field string
	}{
		{"no title", func(in *debrief.Incident) { in.Title = "  " }, "title"},
		{"unknown status", func(in *debrief.Incident) { in.Status = "exploded" }, "status"},
		{"long severity", func(in *debrief.Incident) {
			in.Severity = debrief.Severity(strings.Repeat("P", debrief.MaxTitleLen+1))
		}, "severity"},
		{"severity off the ladder", func(in *debrief.Incident) { in.Severity = "meh" }, "severity"},
		{"resolved first", func(in *debrief.Incident) {
			in.ResolvedAt = in.StartedAt.Add(-time.Minute)
		}, "resolved_at"},
		{"id with a slash", func(in *debrief.Incident) { in.ID = "inc/1" }, "id"},
		{"id of dots", func(in *debrief.Incident) { in.ID = ".." }, "id"},
	}
	for _, tt := range tests {
		in := queueBacklog()
		tt.edit(in)
		_, err := s.CreateIncident(ctx, contributor, in)
		if debrief.ErrorKind(err) != debrief.KindInvalid || debrief.ErrorField(err) != tt.field {
			t.Errorf("%s: %v (field %q), want invalid %s", tt.name, err,
				debrief.ErrorField(err), tt.field)
		}
	}
	if _, n, err := s.Incidents(ctx, viewer, debrief.IncidentFilter{}); err != nil || n != 0 {
		t.Errorf("after refused creates %d incidents are stored (%v), want none", n, err)
	}

	critical := queueBacklog()
	critical.Severity = "Critical"
	stored, err := s.CreateIncident(ctx, contributor, critical)
	if err != nil {
		t.Fatal(err)
	}
	if stored.Severity != "P1" {
		t.Errorf("incident of severity Critical stored as %q, want P1", stored.Severity)
	}
	bad := queueBacklog()
	bad.ID, bad.Status = stored.ID, "exploded"
	if _, err := s.ReplaceIncident(ctx, contributor, bad, 0); debrief.ErrorField(err) != "status" {
		t.Errorf("replace with a bad status: %v, want an error about status", err)
	}
	missing := queueBacklog()
	missing.ID = "inc-none"
	if _, err := s.ReplaceIncident(ctx, contributor, missing, 0); !debrief.IsNotFound(err) {
		t.Errorf("replace of a missing incident: %v, want not found", err)
	}
}

func TestReplacingAnIncidentEditsItsReport(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	in, err := s.CreateIncident(ctx, contributor, queueBacklog())
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.CreateFromIncident(ctx, contributor, in.ID, "web")
	if err != nil {
		t.Fatal(err)
	}

	// A correction of the incident is a revision of its report, by whoever
	// made it.
	fixed := in.Incident
	fixed.Status, fixed.Severity = debrief.IncidentResolved, "P1"
	if _, err := s.ReplaceIncident(ctx, colleague, &fixed, 0); !errors.Is(err,
		workflow.ErrVersionNeeded) {
		t.Errorf("replace without the report's version: %v, want ErrVersionNeeded", err)
	}
	var conflict *workflow.ConflictError
	if _, err := s.ReplaceIncident(ctx, colleague, &fixed, p.Version+5); !errors.As(err,
		&conflict) {
		t.Errorf("replace from a version the report is not at: %v, want a ConflictError", err)
	}
	got, err := s.ReplaceIncident(ctx, colleague, &fixed, p.Version)
	if err != nil {
		t.Fatalf("replace: %v", err)
	}
	if got.Status != debrief.IncidentResolved || got.PostmortemID != p.ID {
		t.Errorf("replaced incident %+v, want resolved and still about %s", got, p.ID)
	}
	after, err := s.Get(ctx, viewer, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.Incident.Severity != "P1" || after.Version != p.Version+1 ||
		after.UpdatedBy != "cleo" {
		t.Errorf("report header severity %q at version %d by %q; want P1 at %d by cleo",
			after.Incident.Severity, after.Version, after.UpdatedBy, p.Version+1)
	}
	changes, err := s.Compare(ctx, viewer, p.ID, p.Version, after.Version)
	if err != nil || len(changes) != 1 || changes[0].Key != "header" {
		t.Errorf("revisions show %+v (%v), want one change to the header", changes, err)
	}
	if _, err := s.ReplaceIncident(ctx, colleague, &fixed, after.Version); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Get(ctx, viewer, p.ID); again.Version != after.Version {
		t.Errorf("replacing the incident with itself made version %d", again.Version)
	}

	// A final report's header changes only by a facilitator; an archived
	// one not at all.
	after = complete(t, s, after)
	after, err = s.Transition(ctx, contributor, p.ID, after.Version, debrief.StatusInReview)
	if err != nil {
		t.Fatal(err)
	}
	after, err = s.Transition(ctx, facilitator, p.ID, after.Version, debrief.StatusFinal)
	if err != nil {
		t.Fatal(err)
	}
	fixed.Severity = "P3"
	_, err = s.ReplaceIncident(ctx, contributor, &fixed, after.Version)
	if debrief.ErrorKind(err) != debrief.KindForbidden {
		t.Errorf("contributor changing a final report's incident: %v, want forbidden", err)
	}
	if _, err := s.ReplaceIncident(ctx, facilitator, &fixed, after.Version); err != nil {
		t.Errorf("facilitator changing a final report's incident: %v", err)
	}
	after, err = s.Get(ctx, viewer, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Transition(ctx, facilitator, p.ID, after.Version, debrief.StatusArchived)
	if err != nil {
		t.Fatal(err)
	}
	fixed.Severity = "P4"
	archived, _ := s.Get(ctx, viewer, p.ID)
	_, err = s.ReplaceIncident(ctx, admin, &fixed, archived.Version)
	if debrief.ErrorKind(err) != debrief.KindConflict ||
		!strings.Contains(err.Error(), "read-only") {
		t.Errorf("changing an archived report's incident: %v, want read-only", err)
	}
	kept, err := s.Incident(ctx, viewer, in.ID)
	if err != nil || kept.Severity != "P3" {
		t.Errorf("archived report's incident is %+v (%v), want severity P3 kept", kept, err)
	}
}

func TestRecordedIncidentIsLoggedByID(t *testing.T) {
	_, db := newService(t)
	var logs strings.Builder
	s := workflow.New(db, workflow.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	in := queueBacklog()
	in.Title = "Outage caused by Dana's script"
	if _, err := s.CreateIncident(context.Background(), contributor, in); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	for _, want := range []string{"incident recorded", "incident_id=" + in.ID, "user_id=2"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, in.Title) {
		t.Errorf("log holds the incident's title:\n%s", out)
	}
}
