package workflow_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// events writes a timeline as "UTC time|as written|text|flag" lines.
func events(tl []debrief.TimelineEvent) []string {
	var out []string
	for _, e := range tl {
		t := "-"
		if !e.Time.IsZero() {
			t = e.Time.UTC().Format("01-02 15:04")
		}
		out = append(out, strings.Join([]string{t, e.TimeText, e.Text, e.Flag}, "|"))
	}
	return out
}

// zoned creates a report in the zone about an incident that started at
// start (UTC, "2006-01-02 15:04").
func zoned(t *testing.T, s *workflow.Service, zone, start string) *debrief.Postmortem {
	t.Helper()
	p := &debrief.Postmortem{Title: "Queue backlog", TimeZone: zone}
	p.Incident.StartedAt, _ = time.Parse("2006-01-02 15:04", start)
	if err := s.Create(context.Background(), contributor, p); err != nil {
		t.Fatalf("create: %v", err)
	}
	return p
}

func TestTimelineEditReadsWrittenTimesAndSorts(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := zoned(t, s, "Europe/Copenhagen", "2024-03-07 14:00")
	from := &debrief.Postmortem{Timeline: []debrief.TimelineEvent{
		{TimeText: "15:10", Text: "b"},
		{Text: "after b, untimed"},
		{TimeText: "15:00 CET", Text: "a"},
		{TimeText: "09:14 UTC", Time: time.Date(2024, 3, 7, 14, 5, 0, 0, time.UTC),
			Text: "a time given is kept"},
		{TimeText: "~16:40", Text: "roughly"},
	}}
	got, err := s.EditSection(ctx, contributor, p.ID, p.Version, section(t, "timeline"), from)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"03-07 14:00|15:00 CET|a|",
		"03-07 14:05|09:14 UTC|a time given is kept|",
		"03-07 14:10|15:10|b|",
		"-||after b, untimed|",
		"03-07 15:40|~16:40|roughly|approximate",
	}
	if diff := cmp.Diff(want, events(got.Timeline)); diff != "" {
		t.Errorf("saved timeline (-want +got):\n%s", diff)
	}
	if from.Timeline[0].Text != "b" {
		t.Errorf("the caller's events were reordered: %v", events(from.Timeline))
	}
}

func TestTimelineRefusesATimeItCannotRead(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := zoned(t, s, "UTC", "2024-03-07 09:00")
	from := &debrief.Postmortem{Timeline: []debrief.TimelineEvent{
		{TimeText: "09:14 UTC", Text: "Alert"},
		{TimeText: "half past nine", Text: "Paged"},
	}}
	_, err := s.EditSection(ctx, contributor, p.ID, p.Version, section(t, "timeline"), from)
	want := "Event 2: “half past nine” cannot be read as a time: no date or time found. " +
		"Write the time with its date, like 2026-03-07 14:05 CET, or give the UTC time."
	if debrief.ErrorField(err) != "timeline[1].time_text" || debrief.ErrorMessage(err) != want {
		t.Errorf("error %v on %q, want %q on timeline[1].time_text", err,
			debrief.ErrorField(err), want)
	}

	// A new report, and a whole report, follow the same rule.
	bad := &debrief.Postmortem{Title: "x", Timeline: []debrief.TimelineEvent{
		{TimeText: "2024-03-07 09:14 UTC", Text: "Alert"}, from.Timeline[1]}}
	if err := s.Create(ctx, contributor, bad); debrief.ErrorField(err) != "timeline[1].time_text" {
		t.Errorf("create: %v, want an error on timeline[1].time_text", err)
	}
	whole, _ := s.Get(ctx, contributor, p.ID)
	whole.Timeline = from.Timeline
	if err := s.Replace(ctx, contributor, whole); debrief.ErrorField(err) != "timeline[1].time_text" {
		t.Errorf("replace: %v, want an error on timeline[1].time_text", err)
	}
}

// TestTimelineKeepsWhatAnImportCouldNotRead: an event an import flagged
// stays as it is while nobody gives it a time, as in the web editor; once
// its written time changes, it must be readable.
func TestTimelineKeepsWhatAnImportCouldNotRead(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	doc := &debrief.Postmortem{Title: "Imported", Source: debrief.Source{Format: "markdown"},
		Timeline: []debrief.TimelineEvent{
			{TimeText: "2022-05-02 10:00", Time: time.Date(2022, 5, 2, 10, 0, 0, 0, time.UTC),
				Text: "late", Flag: debrief.FlagOutOfOrder},
			{TimeText: "Day 2, morning", Text: "Vendor called", Flag: debrief.FlagUnparsed},
			{TimeText: "16:49", Text: "no date known"},
		}}
	if err := s.Create(ctx, contributor, doc); err != nil {
		t.Fatalf("an import's timeline is stored as it reads: %v", err)
	}
	if got := events(doc.Timeline); got[0] != "05-02 10:00|2022-05-02 10:00|late|out_of_order" {
		t.Errorf("imported events were changed: %v", got)
	}

	p, _ := s.Get(ctx, contributor, doc.ID)
	p.Source = debrief.Source{} // as the API reads a person's report
	p.Timeline = append(p.Timeline, debrief.TimelineEvent{
		TimeText: "2022-05-01 09:00", Text: "first"})
	if err := s.Replace(ctx, contributor, p); err != nil {
		t.Fatalf("replace keeping the untouched events: %v", err)
	}
	// Sorted by time, the imported event keeps its flag: its time is
	// still the doubtful one the import read.
	want := []string{
		"05-01 09:00|2022-05-01 09:00|first|",
		"05-02 10:00|2022-05-02 10:00|late|out_of_order",
		"-|Day 2, morning|Vendor called|unparsed",
		"-|16:49|no date known|",
	}
	if diff := cmp.Diff(want, events(p.Timeline)); diff != "" {
		t.Errorf("replaced timeline (-want +got):\n%s", diff)
	}

	edit := &debrief.Postmortem{Timeline: p.Timeline}
	edit.Timeline[2].TimeText = "Day 3, morning"
	_, err := s.EditSection(ctx, contributor, p.ID, p.Version, section(t, "timeline"), edit)
	if debrief.ErrorField(err) != "timeline[2].time_text" {
		t.Errorf("a changed unreadable time: %v, want an error on timeline[2].time_text", err)
	}
}

func TestSavingNothingNewMakesNoRevision(t *testing.T) {
	s, db := newService(t)
	ctx := context.Background()
	p := zoned(t, s, "UTC", "2024-03-07 09:00")
	from := &debrief.Postmortem{Timeline: []debrief.TimelineEvent{{TimeText: "09:14", Text: "a"}}}
	p, err := s.EditSection(ctx, contributor, p.ID, p.Version, section(t, "timeline"), from)
	if err != nil {
		t.Fatal(err)
	}

	// The same written time again: read, it is the stored event.
	again := &debrief.Postmortem{Timeline: []debrief.TimelineEvent{{TimeText: "09:14", Text: "a"}}}
	got, err := s.EditSection(ctx, colleague, p.ID, p.Version, section(t, "timeline"), again)
	if err != nil || got.Version != p.Version || got.UpdatedBy != contributor.Name {
		t.Errorf("same timeline again: version %d by %q (%v), want %d by %s unchanged",
			got.Version, got.UpdatedBy, err, p.Version, contributor.Name)
	}

	whole, _ := s.Get(ctx, colleague, p.ID)
	whole.UpdatedBy, whole.UpdatedAt = "someone else", time.Now().Add(time.Hour)
	if err := s.Replace(ctx, colleague, whole); err != nil {
		t.Fatal(err)
	}
	if whole.Version != p.Version || whole.UpdatedBy != contributor.Name {
		t.Errorf("same report again: version %d by %q, want %d by %s", whole.Version,
			whole.UpdatedBy, p.Version, contributor.Name)
	}
	revs, err := db.Revisions(ctx, p.ID)
	if err != nil || len(revs) != 2 {
		t.Errorf("%d revisions (%v), want 2: created, and the one real edit", len(revs), err)
	}
}

func TestWritesPutTheSeverityOnTheLadder(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := &debrief.Postmortem{Title: "x", Incident: debrief.Incident{Severity: "Critical"}}
	if err := s.Create(ctx, contributor, p); err != nil || p.Incident.Severity != "P1" {
		t.Fatalf("created with severity %q (%v), want P1", p.Incident.Severity, err)
	}
	head := &debrief.Postmortem{Title: "x", Incident: debrief.Incident{Severity: "sev3"}}
	got, err := s.EditSection(ctx, contributor, p.ID, p.Version, section(t, "header"), head)
	if err != nil || got.Incident.Severity != "P3" {
		t.Fatalf("header edit gave severity %q (%v), want P3", got.Incident.Severity, err)
	}
	head.Incident.Severity = "apocalyptic"
	_, err = s.EditSection(ctx, contributor, p.ID, got.Version, section(t, "header"), head)
	if debrief.ErrorField(err) != "incident.severity" || !strings.Contains(err.Error(), "P1, P2") {
		t.Errorf("unknown severity: %v, want an error on incident.severity listing P1–P4", err)
	}
	head.Incident.Severity, head.Title = "P2", " "
	_, err = s.EditSection(ctx, contributor, p.ID, got.Version, section(t, "header"), head)
	if debrief.ErrorField(err) != "title" {
		t.Errorf("empty title: %v, want an error on title", err)
	}
}

func TestReportIDs(t *testing.T) {
	s, db := newService(t)
	ctx := context.Background()
	for _, id := range []string{"new", "NEW"} {
		err := s.Create(ctx, contributor, &debrief.Postmortem{ID: id, Title: "x"})
		if debrief.ErrorField(err) != "id" || !strings.Contains(err.Error(), "/postmortems/new") {
			t.Errorf("id %q: %v, want it refused as the new-report page", id, err)
		}
	}

	in := &debrief.Incident{ID: "INC-9", Title: "Disk full",
		StartedAt: time.Date(2023, 1, 9, 23, 30, 0, 0, time.UTC)}
	if err := db.SaveIncident(ctx, in); err != nil {
		t.Fatal(err)
	}
	p, err := s.CreateFromIncident(ctx, contributor, "INC-9", "api")
	if err != nil || p.ID != "2023-01-09-disk-full" || p.Source.Format != "api" {
		t.Errorf("report from the incident has id %q, format %q (%v); want "+
			"2023-01-09-disk-full from the api", p.ID, p.Source.Format, err)
	}
}
