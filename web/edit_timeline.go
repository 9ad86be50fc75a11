package web

import (
	"slices"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/timestamp"
)

// The timeline form keeps, beside each event's inputs, the written time,
// UTC time and flag the form was loaded with (orig_…), so that saving
// tells what the person changed: a new written time is read again, a new
// UTC time is taken as given, and an event left alone keeps its time and
// flag, even one an import could not read.
var timelineSpec = &sectionSpec{
	key: "timeline",
	lists: []listSpec{{
		name: "timeline",
		fields: []string{"time_text", "utc", "kind", "source", "text",
			"orig_time_text", "orig_utc", "orig_flag"},
		content: []string{"text", "time_text", "utc"},
		blanks:  3,
	}},
	fill:  fillTimeline,
	build: buildTimeline,
}

func fillTimeline(f *editForm, p *debrief.Postmortem) {
	for _, e := range p.Timeline {
		utc := localValue(e.Time, time.UTC)
		f.addRow("timeline", map[string]string{
			"time_text": e.TimeText, "utc": utc, "kind": string(e.Kind),
			"source": e.Source, "text": e.Text,
			"orig_time_text": e.TimeText, "orig_utc": utc, "orig_flag": e.Flag,
		})
	}
}

// timedRow is an event read from its row, before sorting.
type timedRow struct {
	row   *formRow
	event debrief.TimelineEvent
}

func buildTimeline(f *editForm, cur *debrief.Postmortem) *debrief.Postmortem {
	loc, _ := reportZone(cur.TimeZone)
	parser := timestamp.NewParser()
	parser.SetZone(cur.TimeZone)
	if start := cur.Incident.StartedAt; !start.IsZero() {
		y, m, d := start.In(loc).Date()
		parser.SetDate(y, int(m), d)
	}

	var events []timedRow
	var prev time.Time
	for _, r := range f.entries("timeline") {
		if !prev.IsZero() {
			// The event before sets the date and the run, so "00:10" after
			// "23:50" is read as the next day, as the author meant.
			parser.Entry(prev.In(loc).Format("2006-01-02 15:04"))
		}
		e := readEvent(r, parser)
		if !e.Time.IsZero() {
			prev = e.Time
		}
		events = append(events, timedRow{r, e})
	}

	events = sortEvents(events)
	p := &debrief.Postmortem{}
	rows := make([]*formRow, len(events))
	for i, e := range events {
		p.Timeline = append(p.Timeline, e.event)
		rows[i] = e.row
	}
	f.saved("timeline", rows)
	return p
}

// readEvent reads one event's inputs; see timelineSpec for how its time is
// chosen.
func readEvent(r *formRow, parser *timestamp.Parser) debrief.TimelineEvent {
	e := debrief.TimelineEvent{
		TimeText: r.trimmed("time_text"),
		Text:     trimText(r.get("text")),
		Kind:     debrief.EventKind(r.get("kind")),
		Source:   r.trimmed("source"),
	}
	if e.Text == "" {
		r.fail("text", "Event %d has a time but no text: say what happened.", r.N())
	}
	utc, origUTC := r.trimmed("utc"), r.get("orig_utc")
	textChanged := e.TimeText != r.get("orig_time_text")
	origFlag := r.get("orig_flag")
	if origFlag == debrief.FlagOutOfOrder {
		origFlag = "" // saving sorts the events, so none is out of order
	}

	switch {
	case utc != "" && utc != origUTC:
		t, ok := parseLocal(utc, time.UTC)
		if !ok {
			r.fail("utc", "Event %d: the UTC time %q is not a date and time; write it "+
				"like 2026-03-07 14:05.", r.N(), utc)
		}
		e.Time = t
		if !textChanged && origFlag == debrief.FlagApproximate {
			e.Flag = origFlag
		}
	case textChanged || (utc == "" && origUTC != ""):
		if e.TimeText == "" {
			return e
		}
		t := parser.Entry(e.TimeText)
		if t.UTC.IsZero() {
			r.fail("time_text", "Event %d: %s. Write the time with its date, like "+
				"2026-03-07 14:05 CET, or give the UTC time.", r.N(), unreadable(t))
			return e
		}
		e.Time = t.UTC
		if flag := t.Flag(); flag != debrief.FlagOutOfOrder {
			e.Flag = flag
		}
	default:
		if utc != "" {
			t, ok := parseLocal(utc, time.UTC)
			if !ok {
				r.fail("utc", "Event %d: the UTC time %q is not a date and time; write it "+
					"like 2026-03-07 14:05.", r.N(), utc)
			}
			e.Time = t
		}
		e.Flag = origFlag
	}
	return e
}

// unreadable says why a written time gave no moment.
func unreadable(t timestamp.Time) string {
	switch {
	case t.Problem != "":
		return "“" + t.Text + "” cannot be read as a time: " + t.Problem
	case t.Precision == timestamp.PrecisionNone:
		return "“" + t.Text + "” cannot be read as a time"
	}
	return "“" + t.Text + "” has no date, and none is known from the events before it"
}

// sortEvents orders events by time. An event without a time stays right
// after the event it followed, and those before any timed event stay first.
func sortEvents(events []timedRow) []timedRow {
	type run struct {
		at     time.Time
		events []timedRow
	}
	var runs []run
	for _, e := range events {
		if e.event.Time.IsZero() && len(runs) > 0 {
			runs[len(runs)-1].events = append(runs[len(runs)-1].events, e)
			continue
		}
		runs = append(runs, run{at: e.event.Time, events: []timedRow{e}})
	}
	rest := runs
	if len(rest) > 0 && rest[0].at.IsZero() {
		rest = rest[1:] // the run before any timed event keeps its place
	}
	slices.SortStableFunc(rest, func(a, b run) int { return a.at.Compare(b.at) })
	out := make([]timedRow, 0, len(events))
	for _, r := range runs {
		out = append(out, r.events...)
	}
	return out
}
