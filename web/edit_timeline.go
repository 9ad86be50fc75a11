package web

import (
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
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
	reader := workflow.NewTimelineReader(cur)
	rows := f.entries("timeline")
	p := &debrief.Postmortem{Timeline: make([]debrief.TimelineEvent, len(rows))}
	for i, r := range rows {
		p.Timeline[i] = readEvent(r, reader)
	}

	order := workflow.SortTimeline(p.Timeline)
	sorted := make([]*formRow, len(rows))
	for i, from := range order {
		sorted[i] = rows[from]
	}
	f.saved("timeline", sorted)
	return p
}

// readEvent reads one event's inputs; see timelineSpec for how its time is
// chosen. The workflow's timeline rules read a written time, as they do
// for the API.
func readEvent(r *formRow, reader *workflow.TimelineReader) debrief.TimelineEvent {
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

	read := false
	switch {
	case utc != "" && utc != origUTC:
		e.Time = readUTC(r, utc)
		if !textChanged && origFlag == debrief.FlagApproximate {
			e.Flag = origFlag
		}
	case textChanged || (utc == "" && origUTC != ""):
		read = true
	default:
		if utc != "" {
			e.Time = readUTC(r, utc)
		}
		e.Flag = origFlag
	}
	if err := reader.Next(&e, r.N(), read); err != nil {
		r.fail("time_text", "%s", debrief.ErrorMessage(err))
	}
	return e
}

// readUTC reads the UTC time input of a row.
func readUTC(r *formRow, utc string) time.Time {
	t, ok := parseLocal(utc, time.UTC)
	if !ok {
		r.fail("utc", "Event %d: the UTC time %q is not a date and time; write it "+
			"like 2026-03-07 14:05.", r.N(), utc)
	}
	return t
}
