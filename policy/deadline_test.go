package policy

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

func parsePolicy(t *testing.T, text string) *Policy {
	t.Helper()
	p, err := Parse([]byte(text), "policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// local reads "2026-03-27 16:00" as a wall time of the policy's zone.
func local(t *testing.T, p *Policy, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, p.Calendar().Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// due is one expected deadline: its local wall time with the zone's
// abbreviation, and its rule.
type due struct{ at, rule string }

func checkDeadlines(t *testing.T, name string, got []debrief.Deadline, want []due) {
	t.Helper()
	var gotDue []due
	for _, d := range got {
		gotDue = append(gotDue, due{d.Due.Format("Mon 2006-01-02 15:04 MST"), d.Rule})
	}
	if diff := cmp.Diff(want, gotDue, cmp.AllowUnexported(due{})); diff != "" {
		t.Errorf("%s (-want +got):\n%s", name, diff)
	}
	for i, kind := range debrief.DeadlineKinds {
		if i < len(got) && got[i].Kind != kind {
			t.Errorf("%s: deadline %d is the %s, want the %s", name, i, got[i].Kind, kind)
		}
	}
}

const copenhagen = `
calendar:
  time_zone: Europe/Copenhagen
  holidays:
    - {date: 2026-12-24, name: Christmas Eve}
    - {date: 2026-12-25, name: Christmas Day}
    - {date: 2026-12-26, name: Boxing Day}
    - {date: 2026-12-31, name: New Year's Eve}
    - {date: 2027-01-01, name: New Year's Day}
`

func TestDeadlinesCopenhagen(t *testing.T) {
	p := parsePolicy(t, copenhagen)
	tests := []struct {
		name              string
		resolved, meeting string
		want              []due
	}{
		// Friday 16:00 CET + 48 h is Sunday 17:00 CEST: the clocks went
		// forward that night. The draft counts from Monday, the first
		// business day after the meeting's Sunday deadline.
		{"spring forward, no meeting yet", "2026-03-27 16:00", "", []due{
			{"Sun 2026-03-29 17:00 CEST", "48 hours after resolution"},
			{"Mon 2026-04-06 17:00 CEST", "5 business days after the meeting's deadline"},
			{"Mon 2026-04-06 17:00 CEST",
				"7 days after the meeting's deadline, but not before the draft's"}}},
		{"spring forward, meeting held", "2026-03-27 16:00", "2026-03-30 10:00", []due{
			{"Sun 2026-03-29 17:00 CEST", "48 hours after resolution"},
			{"Mon 2026-04-06 10:00 CEST", "5 business days after the meeting"},
			{"Mon 2026-04-06 10:00 CEST", "7 days after the meeting"}}},
		// Friday 18:00 CEST + 48 h is Sunday 17:00 CET: the clocks went back.
		{"fall back, Friday resolution", "2026-10-23 18:00", "", []due{
			{"Sun 2026-10-25 17:00 CET", "48 hours after resolution"},
			{"Mon 2026-11-02 17:00 CET", "5 business days after the meeting's deadline"},
			{"Mon 2026-11-02 17:00 CET",
				"7 days after the meeting's deadline, but not before the draft's"}}},
		{"fall back, meeting held", "2026-10-22 12:00", "2026-10-23 15:00", []due{
			{"Sat 2026-10-24 12:00 CEST", "48 hours after resolution"},
			{"Fri 2026-10-30 15:00 CET", "5 business days after the meeting"},
			{"Fri 2026-10-30 15:00 CET", "7 days after the meeting"}}},
		// Business days skip Christmas, the weekend, New Year's Eve and Day.
		{"year end, meeting held", "2026-12-23 09:00", "2026-12-23 14:00", []due{
			{"Fri 2026-12-25 09:00 CET", "48 hours after resolution"},
			{"Tue 2027-01-05 14:00 CET", "5 business days after the meeting"},
			{"Tue 2027-01-05 14:00 CET",
				"7 days after the meeting, but not before the draft's"}}},
		// The meeting's deadline falls on New Year's Eve, a holiday, so
		// the draft counts from Monday 4 January.
		{"year end, no meeting yet", "2026-12-29 11:00", "", []due{
			{"Thu 2026-12-31 11:00 CET", "48 hours after resolution"},
			{"Mon 2027-01-11 11:00 CET", "5 business days after the meeting's deadline"},
			{"Mon 2027-01-11 11:00 CET",
				"7 days after the meeting's deadline, but not before the draft's"}}},
	}
	for _, tt := range tests {
		var meeting time.Time
		if tt.meeting != "" {
			meeting = local(t, p, tt.meeting).UTC()
		}
		got := p.Deadlines(local(t, p, tt.resolved).UTC(), meeting)
		checkDeadlines(t, tt.name, got, tt.want)
	}
}

func TestDeadlinesNewYork(t *testing.T) {
	p := parsePolicy(t, "calendar: {time_zone: America/New_York}\n")
	checkDeadlines(t, "spring forward", p.Deadlines(local(t, p, "2026-03-06 15:00"),
		local(t, p, "2026-03-09 10:00")), []due{
		{"Sun 2026-03-08 16:00 EDT", "48 hours after resolution"},
		{"Mon 2026-03-16 10:00 EDT", "5 business days after the meeting"},
		{"Mon 2026-03-16 10:00 EDT", "7 days after the meeting"}})
	checkDeadlines(t, "fall back", p.Deadlines(local(t, p, "2026-10-30 15:00"),
		time.Time{}), []due{
		{"Sun 2026-11-01 14:00 EST", "48 hours after resolution"},
		{"Mon 2026-11-09 14:00 EST", "5 business days after the meeting's deadline"},
		{"Mon 2026-11-09 14:00 EST", "7 days after the meeting's deadline, but not before the draft's"}})
}

func TestDeadlinesDefault(t *testing.T) {
	p := Default()
	resolvedAt := time.Date(2026, 5, 8, 17, 30, 0, 0, time.UTC) // a Friday
	checkDeadlines(t, "Friday resolution", p.Deadlines(resolvedAt, time.Time{}), []due{
		{"Sun 2026-05-10 17:30 UTC", "48 hours after resolution"},
		{"Mon 2026-05-18 17:30 UTC", "5 business days after the meeting's deadline"},
		{"Mon 2026-05-18 17:30 UTC", "7 days after the meeting's deadline, but not before the draft's"}})
	if ds := p.Deadlines(time.Time{}, time.Time{}); ds != nil {
		t.Errorf("an unresolved incident has deadlines: %v", ds)
	}
}

// TestDeadlinesConfigured checks deadlines counted as a file says: the
// meeting in business days, the draft from resolution, the final in weeks.
func TestDeadlinesConfigured(t *testing.T) {
	p := parsePolicy(t, `
deadlines:
  meeting: {within: 2 business days}
  draft: {after: resolution, within: 1 business day}
  final: {within: 2w}
calendar:
  time_zone: Asia/Tokyo
  holidays: [2026-12-25]
`)
	// 20:00 UTC on Thursday the 24th is 05:00 on Christmas Day in Tokyo.
	resolvedAt := time.Date(2026, 12, 24, 20, 0, 0, 0, time.UTC)
	checkDeadlines(t, "Tokyo", p.Deadlines(resolvedAt, time.Time{}), []due{
		{"Wed 2026-12-30 05:00 JST", "2 business days after resolution"},
		{"Tue 2026-12-29 05:00 JST", "1 business day after resolution"},
		{"Wed 2027-01-13 05:00 JST", "14 days after the meeting's deadline"}})
}

// TestDeadlinesDocExample is the worked example of docs/policy.md: a
// Friday-afternoon resolution in Copenhagen, Ascension Day a holiday.
func TestDeadlinesDocExample(t *testing.T) {
	p := parsePolicy(t, "calendar:\n  time_zone: Europe/Copenhagen\n"+
		"  holidays: [{date: 2026-05-14, name: Ascension Day}]\n")
	resolvedAt := local(t, p, "2026-05-08 16:00")
	checkDeadlines(t, "before the meeting", p.Deadlines(resolvedAt, time.Time{}), []due{
		{"Sun 2026-05-10 16:00 CEST", "48 hours after resolution"},
		{"Tue 2026-05-19 16:00 CEST", "5 business days after the meeting's deadline"},
		{"Tue 2026-05-19 16:00 CEST", "7 days after the meeting's deadline, but not before the draft's"}})
	checkDeadlines(t, "after the meeting", p.Deadlines(resolvedAt,
		local(t, p, "2026-05-11 10:00")), []due{
		{"Sun 2026-05-10 16:00 CEST", "48 hours after resolution"},
		{"Tue 2026-05-19 10:00 CEST", "5 business days after the meeting"},
		{"Tue 2026-05-19 10:00 CEST", "7 days after the meeting, but not before the draft's"}})
}
