package timeline

import (
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/google/go-cmp/cmp"
)

// row is what a test checks of an event.
type row struct {
	Time     string // RFC 3339 in UTC, "" for none
	TimeText string
	Text     string
	Flag     string
}

func rows(events []debrief.TimelineEvent) []row {
	out := make([]row, len(events))
	for i, e := range events {
		out[i] = row{TimeText: e.TimeText, Text: e.Text, Flag: e.Flag}
		if !e.Time.IsZero() {
			out[i].Time = e.Time.UTC().Format(time.RFC3339)
		}
	}
	return out
}

// textShapes are texts in the shapes the corpus reports write their
// timelines in (the file each is modelled on is named).
var textShapes = []struct {
	name     string
	opts     Options
	in       string
	want     []row
	problems []int // the lines with a problem
}{{
	name: "12 h clocks with UTC, date from the incident (chia website outage)",
	opts: Options{Zone: "UTC", Date: utc("2021-05-26T08:00:00Z")},
	in: "## Timeline (all times approximate)\n" +
		"- 04:49 PM UTC Site repo branch Master, was renamed to Main\n" +
		"- 05:45 PM UTC Site begins to recover\n",
	want: []row{
		{"2021-05-26T16:49:00Z", "04:49 PM UTC", "Site repo branch Master, was renamed to Main",
			"approximate"},
		{"2021-05-26T17:45:00Z", "05:45 PM UTC", "Site begins to recover", "approximate"},
	},
}, {
	name: "bold times and a continuation (posthog flags outage)",
	opts: Options{Zone: "UTC", Date: utc("2025-09-29T00:00:00Z")},
	in: "- **16:58 UTC** - Writer database begins experiencing connection saturation\n\n" +
		"<img alt=\"writer database load spike\" />\n\n" +
		"* **17:25 UTC** - Incident declared, rollback attempted\n" +
		"  - rollback by hand\n",
	want: []row{
		{"2025-09-29T16:58:00Z", "16:58 UTC", "Writer database begins experiencing " +
			"connection saturation <img alt=\"writer database load spike\" />", ""},
		{"2025-09-29T17:25:00Z", "17:25 UTC", "Incident declared, rollback attempted " +
			"rollback by hand", ""},
	},
}, {
	name: "PST heading with dates, impossible 12 h clocks (chia dust storm)",
	in: "## Timeline (all times PST ) Saturday Oct 30th 2021 - Monday Nov 1st, 2021.\n\n" +
		"12:45 PM PST Saturday Oct 30th: First wave of storm transactions begins\n\n" +
		"13:55 PM PST Saturday Oct 30th: Chia operations alarms fire.\n\n" +
		"03:30 AM PST Sunday Oct 31st: Final and largest wave begins.\n",
	want: []row{
		{"2021-10-30T20:45:00Z", "12:45 PM PST Saturday Oct 30th",
			"First wave of storm transactions begins", ""},
		{"", "13:55 PM PST Saturday Oct 30th", "Chia operations alarms fire.", "impossible"},
		{"2021-10-31T11:30:00Z", "03:30 AM PST Sunday Oct 31st",
			"Final and largest wave begins.", ""},
	},
	problems: []int{5},
}, {
	name: "date headings and a run across midnight",
	opts: Options{Zone: "Europe/Copenhagen"},
	in: "### 2021-05-26\n- 23:50 alerts fire\n- 00:10 DBA paged in\n" +
		"### 2021-05-28\n- 09:00 retro held\n",
	want: []row{
		{"2021-05-26T21:50:00Z", "23:50", "alerts fire", ""},
		{"2021-05-26T22:10:00Z", "00:10", "DBA paged in", ""},
		{"2021-05-28T07:00:00Z", "09:00", "retro held", ""},
	},
}, {
	name: "chat log with names, seconds and a continuation line",
	opts: Options{Zone: "America/New_York", Date: utc("2024-01-15T12:00:00Z")},
	in: "[10:15] alice: db latency is up\n[10:16:30] bob: looking\nstill looking\n" +
		"[10:14] carol: I saw it at 10:14 too\n",
	want: []row{
		{"2024-01-15T15:15:00Z", "10:15", "alice: db latency is up", ""},
		{"2024-01-15T15:16:30Z", "10:16:30", "bob: looking still looking", ""},
		{"2024-01-15T15:14:00Z", "10:14", "carol: I saw it at 10:14 too", "out_of_order"},
	},
}, {
	name: "log lines with offsets and a 12 h clock with PDT",
	opts: Options{Zone: "UTC", Date: utc("2022-06-02T00:00:00Z")},
	in: "2022-06-02 09:14:00 +0200 deploy started\n" +
		"2022-06-02T07:20:00Z error rate rises\n10:15 AM PDT status page updated\n",
	want: []row{
		{"2022-06-02T07:14:00Z", "2022-06-02 09:14:00 +0200", "deploy started", ""},
		{"2022-06-02T07:20:00Z", "2022-06-02T07:20:00Z", "error rate rises", ""},
		{"2022-06-02T17:15:00Z", "10:15 AM PDT", "status page updated", ""},
	},
}, {
	name: "a table in CET under a zone note (dfds)",
	in: "All times in CET.\n\n| Time | Event |\n| :--- | --- |\n" +
		"| 2020-01-21 15:36 | Certificate for KIAM server expires |\n" +
		"| 2022-05-?? HH:mm | Detected on unknown date in May |\n",
	want: []row{
		{"2020-01-21T14:36:00Z", "2020-01-21 15:36", "Certificate for KIAM server expires", ""},
		{"", "2022-05-?? HH:mm", "Detected on unknown date in May", "unparsed"},
	},
	problems: []int{6},
}, {
	name: "lines without a time are kept",
	opts: Options{Zone: "UTC", Date: utc("2024-01-15T00:00:00Z")},
	in: "Block based timeline\n- 10:00 started\n- no time on this item\n" +
		"1. 11:00 numbered item\n",
	want: []row{
		{"", "", "Block based timeline", "unparsed"},
		{"2024-01-15T10:00:00Z", "10:00", "started", ""},
		{"", "", "no time on this item", "unparsed"},
		{"2024-01-15T11:00:00Z", "11:00", "numbered item", ""},
	},
	problems: []int{1, 3},
}, {
	name:     "a clock with no date known",
	opts:     Options{Zone: "UTC"},
	in:       "14:02 restarted the pods\n",
	want:     []row{{"", "14:02", "restarted the pods", ""}},
	problems: []int{1},
}, {
	name:     "an unknown zone is reported and times read as UTC",
	opts:     Options{Zone: "Mars/Olympus", Date: utc("2024-01-15T00:00:00Z")},
	in:       "14:02 restarted the pods\n",
	want:     []row{{"2024-01-15T14:02:00Z", "14:02", "restarted the pods", ""}},
	problems: []int{0},
}}

func TestFromTextShapes(t *testing.T) {
	for _, tt := range textShapes {
		t.Run(tt.name, func(t *testing.T) {
			events, problems := FromText(tt.in, tt.opts)
			if diff := cmp.Diff(tt.want, rows(events)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			var lines []int
			for _, p := range problems {
				lines = append(lines, p.Line)
				if p.Message == "" {
					t.Errorf("problem on line %d without a message", p.Line)
				}
			}
			if diff := cmp.Diff(tt.problems, lines); diff != "" {
				t.Errorf("problem lines (-want +got):\n%s\n%+v", diff, problems)
			}
			for _, e := range events {
				if e.Source != SourcePaste {
					t.Errorf("source = %q", e.Source)
				}
			}
		})
	}
}

// TestAmbiguousAbbreviations checks that an abbreviation is read as the
// report's zone means it where the two disagree, and at its usual meaning
// otherwise.
func TestAmbiguousAbbreviations(t *testing.T) {
	tests := []struct {
		zone, date, line string
		want             string
	}{
		{"America/Chicago", "2024-01-15", "15:38 CST failover", "2024-01-15T21:38:00Z"},
		{"Asia/Shanghai", "2024-01-15", "15:38 CST failover", "2024-01-15T07:38:00Z"},
		{"UTC", "2024-01-15", "15:38 CST failover", "2024-01-15T21:38:00Z"},
		{"Asia/Kolkata", "2024-07-01", "10:00 IST all clear", "2024-07-01T04:30:00Z"},
		{"Europe/Dublin", "2024-07-01", "10:00 IST all clear", "2024-07-01T09:00:00Z"},
		{"Asia/Jerusalem", "2024-01-15", "10:00 IST all clear", "2024-01-15T08:00:00Z"},
		// In Dublin's winter the zone says GMT: nothing tells IST apart.
		{"Europe/Dublin", "2024-01-15", "10:00 IST all clear", "2024-01-15T04:30:00Z"},
		{"Asia/Shanghai", "2024-01-15", "2024-01-16 09:00 CST fixed", "2024-01-16T01:00:00Z"},
	}
	for _, tt := range tests {
		events, _ := FromText(tt.line, Options{Zone: tt.zone, Date: utc(tt.date + "T12:00:00Z")})
		got := rows(events)
		if len(got) != 1 || got[0].Time != tt.want || !strings.Contains(tt.line, got[0].TimeText) {
			t.Errorf("%s in %s: %+v, want %s", tt.line, tt.zone, got, tt.want)
		}
	}
}

func TestDaylightSavingGap(t *testing.T) {
	in := "2024-03-10 01:30 backups start\n2024-03-10 02:30 nothing, the clocks jumped\n" +
		"2024-03-10 03:30 backups end\n"
	events, problems := FromText(in, Options{Zone: "America/New_York"})
	want := []row{
		{"2024-03-10T06:30:00Z", "2024-03-10 01:30", "backups start", ""},
		{"", "2024-03-10 02:30", "nothing, the clocks jumped", "impossible"},
		{"2024-03-10T07:30:00Z", "2024-03-10 03:30", "backups end", ""},
	}
	if diff := cmp.Diff(want, rows(events)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if len(problems) != 1 || problems[0].Line != 2 ||
		!strings.Contains(problems[0].Message, "clocks moved forward") {
		t.Errorf("problems = %+v", problems)
	}
}

// TestOutOfOrderKept checks that events come back in the order written,
// the late one flagged, and that Chronological then orders them.
func TestOutOfOrderKept(t *testing.T) {
	in := "### 2024-01-15\n14:00 paged\n14:30 rolled back\n14:10 noticed the deploy\n" +
		"a note on it\n15:00 resolved\n"
	events, _ := FromText(in, Options{Zone: "UTC"})
	want := []row{
		{"2024-01-15T14:00:00Z", "14:00", "paged", ""},
		{"2024-01-15T14:30:00Z", "14:30", "rolled back", ""},
		{"2024-01-15T14:10:00Z", "14:10", "noticed the deploy a note on it", "out_of_order"},
		{"2024-01-15T15:00:00Z", "15:00", "resolved", ""},
	}
	if diff := cmp.Diff(want, rows(events)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	var order []string
	for _, e := range Chronological(events) {
		order = append(order, e.TimeText)
	}
	if diff := cmp.Diff([]string{"14:00", "14:10", "14:30", "15:00"}, order); diff != "" {
		t.Errorf("chronological (-want +got):\n%s", diff)
	}
}
