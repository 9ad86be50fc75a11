// Package timeline builds the events of a report's timeline from what
// people bring to it: pasted text and chat logs (FromText), a channel of
// a Slack export (FromSlack) and the incident's alerts (FromAlerts).
//
// Every event keeps the text it came from beside its moment in UTC, and
// says where it came from. Doubtful times are flagged for the writer, never
// fixed: a builder returns events in the order their source gave them and
// marks those earlier than an event before them (Check); Chronological
// orders a copy for exports.
package timeline

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
)

// The sources the builders give their events.
const (
	SourcePaste = "paste"
	SourceSlack = "slack"
	SourceAlert = "alert"
)

// utcLayout writes a moment in TimeText when the source gave a moment
// rather than text: it reads back through the timestamp package as the
// same moment, to the second.
const utcLayout = "2006-01-02 15:04:05 UTC"

// FromAlerts turns the incident's own timeline, as its alerts wrote it,
// into report events, keeping their order and kinds.
func FromAlerts(events []debrief.IncidentEvent) []debrief.TimelineEvent {
	out := make([]debrief.TimelineEvent, 0, len(events))
	for _, e := range events {
		ev := debrief.TimelineEvent{Text: clean(e.Text), Kind: e.Kind, Source: SourceAlert}
		if e.At.IsZero() {
			ev.Flag = debrief.FlagUnparsed
		} else {
			ev.Time = e.At.UTC()
			ev.TimeText = ev.Time.Format(utcLayout)
		}
		if strings.TrimSpace(ev.Text) == "" {
			ev.Text = strings.TrimSpace(string(e.Source) + " alert " + string(e.Status))
		}
		out = append(out, ev)
	}
	return Check(out)
}

// Check returns a copy of events, in the same order, in which each timed
// event earlier than the latest timed event before it is flagged out of
// order, unless it is flagged impossible; an out-of-order flag that no
// longer holds is cleared. Events without a time are left as they are.
func Check(events []debrief.TimelineEvent) []debrief.TimelineEvent {
	out := slices.Clone(events)
	var latest time.Time
	for i := range out {
		e := &out[i]
		if e.Time.IsZero() {
			continue
		}
		late := !latest.IsZero() && e.Time.Before(latest)
		switch {
		case late && e.Flag != debrief.FlagImpossible:
			e.Flag = debrief.FlagOutOfOrder
		case !late && e.Flag == debrief.FlagOutOfOrder:
			e.Flag = ""
		}
		if e.Time.After(latest) {
			latest = e.Time
		}
	}
	return out
}

// Chronological returns a copy of events in time order, for exports. The
// sort is stable; an event without a time stays right after the event it
// followed, and those before any timed event stay first. Flags are kept:
// an out-of-order event is in its place now, but its time is still the
// doubtful one its source gave.
func Chronological(events []debrief.TimelineEvent) []debrief.TimelineEvent {
	out := make([]debrief.TimelineEvent, 0, len(events))
	for _, i := range ChronologicalOrder(events) {
		out = append(out, events[i])
	}
	return out
}

// ChronologicalOrder is the order Chronological puts events in: order[i]
// is the index in events of the event that goes i-th.
func ChronologicalOrder(events []debrief.TimelineEvent) (order []int) {
	type run struct {
		at      time.Time
		indices []int
	}
	var runs []run
	for i, e := range events {
		if e.Time.IsZero() && len(runs) > 0 {
			runs[len(runs)-1].indices = append(runs[len(runs)-1].indices, i)
			continue
		}
		runs = append(runs, run{at: e.Time, indices: []int{i}})
	}
	rest := runs
	if len(rest) > 0 && rest[0].at.IsZero() {
		rest = rest[1:] // the untimed events before any timed one keep their place
	}
	slices.SortStableFunc(rest, func(a, b run) int { return a.at.Compare(b.at) })
	order = make([]int, 0, len(events))
	for _, r := range runs {
		order = append(order, r.indices...)
	}
	return order
}

// Merge adds to existing the events of added that it does not hold yet:
// one with the same moment and the same text, once runs of white space
// are folded, is already there. New events go after the existing ones,
// in their own order, and the result is checked (see Check), so those
// earlier than an existing event are flagged, not moved. skipped counts
// the events left out.
func Merge(existing, added []debrief.TimelineEvent) (merged []debrief.TimelineEvent, skipped int) {
	type key struct {
		at   int64
		text string
	}
	keyOf := func(e debrief.TimelineEvent) key {
		k := key{text: strings.Join(strings.Fields(e.Text), " ")}
		if !e.Time.IsZero() {
			k.at = e.Time.UnixMicro() // Slack's precision, and what stores keep
		}
		return k
	}
	seen := map[key]bool{}
	for _, e := range existing {
		seen[keyOf(e)] = true
	}
	merged = slices.Clone(existing)
	for _, e := range added {
		k := keyOf(e)
		if seen[k] {
			skipped++
			continue
		}
		seen[k] = true
		merged = append(merged, e)
	}
	return Check(merged), skipped
}

// clean makes outside text safe to store and show: invalid UTF-8, control
// characters (but tabs and line breaks) and the bidirectional overrides
// that make a line read other than it is become U+FFFD, so the reader
// sees that something was there.
func clean(s string) string {
	s = strings.ToValidUTF8(s, string(utf8.RuneError))
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case unicode.IsControl(r), r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069':
			return utf8.RuneError
		}
		return r
	}, s)
}

// joinText appends more to text with a space between.
func joinText(text, more string) string {
	switch {
	case text == "":
		return more
	case more == "":
		return text
	}
	return text + " " + more
}
