package timeline

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/corpus"
	"github.com/debrief-oss/debrief/timestamp"
)

// FuzzFromText reads fuzz text in a fuzz zone and checks the promises of
// FromText, Check and Chronological: nothing panics, every event is one a
// report can store, a time as written comes from the text, a doubtful
// time has no moment, and ordering keeps every event.
func FuzzFromText(f *testing.F) {
	seeds := []string{
		"### 2021-05-26\n- 23:50 alerts fire\n- 00:10 DBA paged in\n  more\n",
		"[10:15] alice: hi\n2022-06-02 09:14:00 +0200 deploy\n10:15 AM PDT x\n15:38 CST y\n",
		"| Time | Event |\n| --- | --- |\n| 2022-05-?? HH:mm | z |\n13:55 PM PST a\n",
		"All times in CET.\n```\n2024-03-10 02:30 gap\n```\n- no time\n",
	}
	if corpus.Lookup() != "" {
		root := corpus.Reports(f)
		for _, name := range []string{"chia/2021-10/2021-10-31-DustStorm.md",
			"posthog/2025-09-29-flags-is-down.md", "dfds/PM2022-006 - ALB 502 errors.md",
			"chia/2022-01/2022-01-20-EmployeeCompromise.md"} {
			if data, err := os.ReadFile(filepath.Join(root, name)); err == nil {
				seeds = append(seeds, timelineSection(string(data)))
			}
		}
	}
	for _, s := range seeds {
		f.Add(s, "Asia/Shanghai", int64(1705312800))
		f.Add(s, "", int64(0))
	}
	f.Fuzz(func(t *testing.T, text, zone string, date int64) {
		var o Options
		o.Zone = zone
		if date != 0 {
			o.Date = time.Unix(date%(200*365*86400), 0)
		}
		events, problems := FromText(text, o)
		lines := strings.Count(text, "\n") + 1
		for _, p := range problems {
			if p.Line < 0 || p.Line > lines || p.Message == "" {
				t.Errorf("problem %+v out of %d lines", p, lines)
			}
		}
		plain := utf8.ValidString(text) && strings.IndexFunc(text, unprintable) < 0
		for _, e := range events {
			checkEvent(t, e)
			if plain && !strings.Contains(text, e.TimeText) {
				t.Errorf("TimeText %q is not in the text", e.TimeText)
			}
		}
		if diff := len(Check(events)) - len(events); diff != 0 {
			t.Errorf("Check changed the count by %d", diff)
		}
		sorted := Chronological(events)
		if len(sorted) != len(events) {
			t.Fatalf("Chronological: %d events of %d", len(sorted), len(events))
		}
		var timed []time.Time
		for _, e := range sorted {
			if !e.Time.IsZero() {
				timed = append(timed, e.Time)
			}
		}
		if !slices.IsSortedFunc(timed, time.Time.Compare) {
			t.Errorf("Chronological left times out of order")
		}
	})
}

// checkEvent checks that e is an event a report can store.
func checkEvent(t *testing.T, e debrief.TimelineEvent) {
	t.Helper()
	for _, s := range []string{e.TimeText, e.Text} {
		if !utf8.ValidString(s) || strings.IndexFunc(s, unprintable) >= 0 {
			t.Errorf("event text %q would be refused", s)
		}
	}
	if len(e.TimeText) > debrief.MaxTitleLen {
		t.Errorf("TimeText of %d bytes", len(e.TimeText))
	}
	if e.Source != SourcePaste || e.Kind != debrief.EventOther &&
		!slices.Contains(debrief.EventKinds, e.Kind) {
		t.Errorf("source %q, kind %q", e.Source, e.Kind)
	}
	switch e.Flag {
	case "", debrief.FlagApproximate, debrief.FlagOutOfOrder:
	case debrief.FlagImpossible, debrief.FlagUnparsed:
		if !e.Time.IsZero() {
			t.Errorf("%q flagged %s has the moment %v", e.TimeText, e.Flag, e.Time)
		}
	default:
		t.Errorf("unknown flag %q", e.Flag)
	}
	if e.Time.IsZero() {
		return
	}
	if e.Time.Location() != time.UTC {
		t.Errorf("%q: %v not in UTC", e.TimeText, e.Time)
	}
	if y := e.Time.Year(); y < timestamp.MinYear-1 || y > timestamp.MaxYear+1 {
		t.Errorf("%q: %v outside the plausible years", e.TimeText, e.Time)
	}
}

// unprintable matches the characters a report refuses in text.
func unprintable(r rune) bool {
	if r == '\t' || r == '\n' || r == '\r' {
		return false
	}
	return unicode.IsControl(r) || r >= '\u202a' && r <= '\u202e'
}
