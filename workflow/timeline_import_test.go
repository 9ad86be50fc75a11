package workflow_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

func TestAddedEventsAreFlaggedNeverMoved(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	start := time.Date(2026, 3, 7, 9, 0, 0, 0, time.UTC)
	p := &debrief.Postmortem{Title: "Chat log", TimeZone: "Europe/Berlin",
		Incident: debrief.Incident{StartedAt: start}}
	if err := s.Create(ctx, contributor, p); err != nil {
		t.Fatal(err)
	}
	events, problems, err := workflow.TextEvents(p, "10:05 Rolled back the deploy\n"+
		"10:00 Paged the on-call engineer\n10:30 All clear\n", "")
	if err != nil || len(problems) != 0 {
		t.Fatalf("read: %v %v", err, problems)
	}
	if got := events[0].Time; !got.Equal(time.Date(2026, 3, 7, 9, 5, 0, 0, time.UTC)) {
		t.Errorf("10:05 in Berlin read as %v, want 09:05 UTC", got)
	}

	dry, err := s.AddTimelineEvents(ctx, contributor, p.ID, p.Version, events, true)
	if err != nil || dry.Added != 3 || dry.Flagged != 1 || dry.Postmortem.Version != p.Version {
		t.Fatalf("dry run: %+v, %v; want 3 to add, 1 flagged, nothing saved", dry, err)
	}
	res, err := s.AddTimelineEvents(ctx, contributor, p.ID, p.Version, events, false)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range res.Postmortem.Timeline {
		got = append(got, e.TimeText+"/"+e.Flag)
	}
	want := []string{"10:05/", "10:00/out_of_order", "10:30/"}
	if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("stored timeline %v, want %v: in the order written, flagged", got, want)
	}

	// The same events again add nothing; a stale version is a conflict.
	again, err := s.AddTimelineEvents(ctx, contributor, p.ID, res.Postmortem.Version,
		events, false)
	if err != nil || again.Added != 0 || again.Skipped != 3 {
		t.Errorf("adding again: %+v, %v", again, err)
	}
	var conflict *workflow.ConflictError
	_, err = s.AddTimelineEvents(ctx, contributor, p.ID, p.Version, events[:1], false)
	if !errors.As(err, &conflict) {
		t.Errorf("stale add: %v, want a conflict", err)
	}
	if _, err := s.AddTimelineEvents(ctx, viewer, p.ID, res.Postmortem.Version, events,
		false); debrief.ErrorKind(err) != debrief.KindForbidden {
		t.Errorf("viewer add: %v, want forbidden", err)
	}
	_, _, err = workflow.TextEvents(p, "10:00 x", "Mars/Olympus")
	if debrief.ErrorField(err) != "zone" {
		t.Errorf("unknown zone: %v", err)
	}
}
