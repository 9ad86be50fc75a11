// A timeline of debrief.MaxListLen events is a form of more fields than
// net/url reads by default (10,000); cmd/debrief raises the limit for the
// binary, and this does for the tests. TestEditorFormLimitFitsTheWidestForm
// checks the number.
//go:debug urlmaxqueryparams=40000

package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

// timelineForm reads rows of (time as written, UTC time, text) as the
// timeline form would send them, for a report in the zone.
func timelineForm(zone string, start string, rows ...[3]string) (*editForm, *debrief.Postmortem) {
	cur := &debrief.Postmortem{TimeZone: zone}
	if start != "" {
		cur.Incident.StartedAt = at(start)
	}
	v := url.Values{}
	for i, r := range rows {
		p := "timeline[" + strconv.Itoa(i) + "]."
		v.Set(p+"time_text", r[0])
		v.Set(p+"utc", r[1])
		v.Set(p+"text", r[2])
	}
	f := newEditForm(timelineSpec, "pm")
	f.parse(v)
	return f, cur
}

// summarize writes events as "UTC time|as written|text|flag" lines.
func summarize(events []debrief.TimelineEvent) []string {
	var out []string
	for _, e := range events {
		t := "-"
		if !e.Time.IsZero() {
			t = e.Time.Format("01-02 15:04")
		}
		out = append(out, strings.Join([]string{t, e.TimeText, e.Text, e.Flag}, "|"))
	}
	return out
}

func TestEditorTimelineReadsAndSorts(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		start string
		rows  [][3]string
		want  []string
	}{
		{"written times in the report's zone", "Europe/Copenhagen", "2024-03-07 14:00",
			[][3]string{{"15:10", "", "b"}, {"15:00 CET", "", "a"}, {"14:05 UTC", "", "c"}},
			[]string{"03-07 14:00|15:00 CET|a|", "03-07 14:05|14:05 UTC|c|",
				"03-07 14:10|15:10|b|"}},
		{"past midnight is the next day", "UTC", "2024-03-07 23:00",
			[][3]string{{"23:50", "", "late"}, {"00:10", "", "later"}},
			[]string{"03-07 23:50|23:50|late|", "03-08 00:10|00:10|later|"}},
		{"an untimed event stays after the one before it", "UTC", "2024-03-07 10:00",
			[][3]string{{"", "", "first, untimed"}, {"10:30", "", "b"}, {"", "", "after b"},
				{"10:10", "", "a"}},
			[]string{"-||first, untimed|", "03-07 10:10|10:10|a|", "03-07 10:30|10:30|b|",
				"-||after b|"}},
		{"a UTC time is taken as given", "UTC", "",
			[][3]string{{"around lunch", "2024-03-07T12:15", "lunch"}},
			[]string{"03-07 12:15|around lunch|lunch|"}},
		{"a hedged time is approximate", "UTC", "2024-03-07 09:00",
			[][3]string{{"~09:40", "", "roughly"}},
			[]string{"03-07 09:40|~09:40|roughly|approximate"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, cur := timelineForm(tt.zone, tt.start, tt.rows...)
			p := buildTimeline(f, cur)
			if f.failed() {
				t.Fatalf("errors: %v", f.errs)
			}
			if diff := cmp.Diff(tt.want, summarize(p.Timeline)); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEditorTimelineErrors(t *testing.T) {
	tests := []struct {
		name  string
		zone  string
		start string
		row   [3]string
		field string
		want  string
	}{
		{"no time in the text", "UTC", "2024-03-07 09:00", [3]string{"soon after", "", "x"},
			"timeline[0].time_text", "“soon after” cannot be read as a time"},
		{"a clock without a date", "UTC", "", [3]string{"14:05", "", "x"},
			"timeline[0].time_text", "has no date"},
		{"a time the clocks skipped", "Europe/Copenhagen", "2024-03-31 00:30",
			[3]string{"02:30", "", "x"}, "timeline[0].time_text", "does not exist"},
		{"a UTC time that is not one", "UTC", "", [3]string{"", "tomorrow", "x"},
			"timeline[0].utc", "is not a date and time"},
		{"a time without text", "UTC", "", [3]string{"", "2024-03-07T10:00", " "},
			"timeline[0].text", "has a time but no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, cur := timelineForm(tt.zone, tt.start, tt.row)
			buildTimeline(f, cur)
			if got := f.errs[tt.field]; !strings.Contains(got, tt.want) {
				t.Errorf("error on %s = %q, want it to say %q (all: %v)", tt.field, got,
					tt.want, f.errs)
			}
		})
	}
}

// TestEditorTimelineKeepsUnreadTimes: an event an import could not read
// is saved as it was while nobody touches it, so editing another event
// never forces the person to fix it first.
func TestEditorTimelineKeepsUnreadTimes(t *testing.T) {
	v := url.Values{
		"timeline[0].time_text": {"Day 2, morning"}, "timeline[0].orig_time_text": {"Day 2, morning"},
		"timeline[0].orig_flag": {debrief.FlagUnparsed}, "timeline[0].text": {"Vendor called"},
	}
	f := newEditForm(timelineSpec, "pm")
	f.parse(v)
	p := buildTimeline(f, &debrief.Postmortem{})
	if f.failed() {
		t.Fatalf("errors: %v", f.errs)
	}
	want := []string{"-|Day 2, morning|Vendor called|unparsed"}
	if diff := cmp.Diff(want, summarize(p.Timeline)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}

	// Emptying the UTC time reads the written time again.
	v = url.Values{
		"timeline[0].time_text":      {"2024-03-07 10:05"},
		"timeline[0].orig_time_text": {"2024-03-07 10:05"},
		"timeline[0].utc":            {""}, "timeline[0].orig_utc": {"2024-03-07T09:00"},
		"timeline[0].text": {"Fixed a wrong parse"},
	}
	f = newEditForm(timelineSpec, "pm")
	f.parse(v)
	p = buildTimeline(f, &debrief.Postmortem{})
	if got := summarize(p.Timeline); got[0] != "03-07 10:05|2024-03-07 10:05|Fixed a wrong parse|" {
		t.Errorf("re-read event = %q", got[0])
	}
}

// TestEditorTimelineSavesMaxListLenEvents: the longest timeline the API
// takes saves through the browser's form too.
func TestEditorTimelineSavesMaxListLenEvents(t *testing.T) {
	p := emptyReport("pm-long")
	p.Title = "A long night"
	ts, store := editorServer(t, p)
	b := signIn(t, ts, store, debrief.AccessContributor)

	form := url.Values{"version": {strconv.Itoa(stored(t, store, p.ID).Version)}}
	start := time.Date(2024, 3, 7, 0, 0, 0, 0, time.UTC)
	for i := range debrief.MaxListLen {
		row := fmt.Sprintf("timeline[%d].", debrief.MaxListLen-1-i) // written newest first
		form.Set(row+"time_text", start.Add(time.Duration(i)*time.Minute).Format("2006-01-02 15:04"))
		form.Set(row+"text", fmt.Sprintf("Step %d", i))
		for _, hidden := range []string{"utc", "kind", "source", "orig_time_text", "orig_utc",
			"orig_flag"} {
			form.Set(row+hidden, "")
		}
	}
	res, body := b.post(sectionURL(p.ID, "timeline"), form)
	assertSaved(t, res, body, p.ID, "timeline")
	got := stored(t, store, p.ID).Timeline
	if len(got) != debrief.MaxListLen || got[0].Text != "Step 0" || !got[1].Time.After(got[0].Time) {
		t.Errorf("saved %d events, first %+v; want %d sorted from Step 0", len(got), got[0],
			debrief.MaxListLen)
	}
}

// TestEditorFormLimitFitsTheWidestForm: the urlmaxqueryparams above (and in
// cmd/debrief) lets the widest section form through with the most rows
// the editor reads.
func TestEditorFormLimitFitsTheWidestForm(t *testing.T) {
	widest := 0
	for key, spec := range sectionSpecs {
		n := len(spec.fields) + 2 // csrf_token and version
		for _, ls := range spec.lists {
			n += (len(ls.fields) + 1) * maxFormRows // and each row's remove box
		}
		if n > widest {
			widest = n
			t.Logf("%s: %d fields", key, n)
		}
	}
	q := strings.Repeat("a=1&", widest-1) + "a=1"
	if _, err := url.ParseQuery(q); err != nil {
		t.Errorf("a form of %d fields: %v; raise urlmaxqueryparams", widest, err)
	}
	if widest < 10000 {
		t.Errorf("the widest form has %d fields, within net/url's default", widest)
	}
}
