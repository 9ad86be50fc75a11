package workflow

import (
	"fmt"
	"slices"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/timeline"
	"github.com/debrief-oss/debrief/timestamp"
)

// The timeline rules, shared by the web editor and the API: a time written
// by hand becomes a moment in the report's zone, an unreadable one is
// refused, and a saved timeline is in the order things happened.

// TimelineReader reads the written times of a report's timeline, one event
// after another, in the order the person wrote them. Times are read in the
// report's zone; a time without a date takes the date of the event before
// it, or of the incident's start for the first, and a time earlier than the
// one before it is the next day when that is plausible, so "00:10" after
// "23:50" is read as the author meant.
type TimelineReader struct {
	parser *timestamp.Parser
	loc    *time.Location
	// prev is the moment of the last event that has one.
	prev time.Time
}

// NewTimelineReader returns a reader for the timeline of p, taking the zone
// and the incident's start from p. A zone debrief does not know reads
// times as UTC.
func NewTimelineReader(p *debrief.Postmortem) *TimelineReader {
	r := &TimelineReader{parser: timestamp.NewParser(), loc: time.UTC}
	if loc, _, ok := timestamp.LookupZone(p.TimeZone); ok {
		r.loc = loc
		r.parser.SetZone(p.TimeZone)
	}
	if start := p.Incident.StartedAt; !start.IsZero() {
		y, m, d := start.In(r.loc).Date()
		r.parser.SetDate(y, int(m), d)
	}
	return r
}

// Next takes e, the next event. With read set, an event with a written time
// gets its moment and flag from that text; a text that gives no moment is
// a KindInvalid error that names the event by its number n, as the person
// counts it. Without read, e keeps the moment and flag it has. The moment
// e ends with, if any, is the one the next event follows.
func (r *TimelineReader) Next(e *debrief.TimelineEvent, n int, read bool) error {
	if !r.prev.IsZero() {
		// The event before sets the date and the run, even when it is
		// earlier than the one before it.
		r.parser.ResetRun()
		r.parser.Entry(r.prev.In(r.loc).Format("2006-01-02 15:04"))
	}
	if read && e.TimeText != "" {
		t := r.parser.Entry(e.TimeText)
		if t.UTC.IsZero() {
			return debrief.Errorf(debrief.KindInvalid, "Event %d: %s. Write the time with "+
				"its date, like 2026-03-07 14:05 CET, or give the UTC time.", n, unreadable(t))
		}
		e.Time = t.UTC
		// A time that was read is neither unparsed nor impossible, and
		// saving sorts the events, so none is out of order: what remains
		// is whether the author hedged it.
		if t.Has(timestamp.FlagApproximate) {
			e.Flag = debrief.FlagApproximate
		} else if e.Flag != debrief.FlagApproximate {
			e.Flag = ""
		}
	}
	if !e.Time.IsZero() {
		e.Time = e.Time.UTC()
		r.prev = e.Time
	}
	return nil
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

// SortTimeline orders events by time, in place, and returns where each
// came from: order[i] is the index before sorting of the event now at i.
// An event without a time stays right after the event it followed, and
// those before any timed event stay first. Flags stay: an event its
// source gave out of order is in its place now, but its time is still the
// doubtful one the source gave, for the writer to confirm.
func SortTimeline(events []debrief.TimelineEvent) (order []int) {
	order = timeline.ChronologicalOrder(events)
	sorted := make([]debrief.TimelineEvent, len(events))
	for i, from := range order {
		sorted[i] = events[from]
	}
	copy(events, sorted)
	return order
}

// settleTimeline applies the timeline rules to the report p that a person
// is saving. stored is the timeline saved before (none for a new report).
// An event with a written time and no moment gets the moment read from
// the text, unless it is one left as it was saved: an event an import
// could not read stays as it is, flag and all, until someone gives it a
// time, as the web editor keeps a row nobody touched. An unreadable time
// is an error on timeline[i].time_text.
func settleTimeline(p *debrief.Postmortem, stored []debrief.TimelineEvent) error {
	if len(p.Timeline) == 0 {
		return nil
	}
	// Never sort or settle the caller's slice in place.
	p.Timeline = slices.Clone(p.Timeline)
	untouched := map[untimed]int{}
	for _, e := range stored {
		if e.Time.IsZero() && e.TimeText != "" {
			untouched[untimed{e.TimeText, e.Flag}]++
		}
	}

	r := NewTimelineReader(p)
	for i := range p.Timeline {
		e := &p.Timeline[i]
		read := e.Time.IsZero() && e.TimeText != ""
		if k := (untimed{e.TimeText, e.Flag}); read && untouched[k] > 0 {
			untouched[k]--
			read = false
		}
		if err := r.Next(e, i+1, read); err != nil {
			return debrief.FieldErrorf(fmt.Sprintf("timeline[%d].time_text", i), "%s",
				debrief.ErrorMessage(err))
		}
	}
	SortTimeline(p.Timeline)
	return nil
}

// untimed identifies a saved event that has a written time but no moment.
type untimed struct {
	text, flag string
}
