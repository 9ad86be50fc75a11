package markdown

import (
	"regexp"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/timestamp"
)

// timelineReader reads the entries of one timeline section.
type timelineReader struct {
	r      *reportReader
	approx bool // the heading or a note says all times are approximate
	notes  []string
}

var reApproximate = regexp.MustCompile(`(?i)approximat`)

// readTimeline takes events from the lists, tables, paragraphs and code
// blocks of a timeline section; a date or zone in its heading applies to
// the entries under it. What is not an entry is kept under the heading.
func (r *reportReader) readTimeline(s *srcSection) {
	tr := &timelineReader{r: r, approx: reApproximate.MatchString(s.heading)}
	if zone, ok := timestamp.FindZone(s.heading); ok {
		r.ts.SetZone(zone)
	}
	if y, m, d, ok := r.ts.FindDate(s.heading); ok {
		r.ts.SetDate(y, m, d)
		r.ts.ResetRun()
	}
	for _, b := range s.blocks {
		tr.block(b)
	}
	if len(tr.notes) > 0 {
		heading := s.heading
		r.keep(heading, strings.Join(tr.notes, "\n\n"))
	}
}

func (tr *timelineReader) block(b srcBlock) {
	switch b.kind {
	case blockTable:
		if tr.table(b) {
			return
		}
	case blockList:
		tr.list(b)
		return
	case blockParagraph:
		if tr.paragraph(b) {
			return
		}
	case blockCode:
		if tr.code(b) {
			return
		}
	case blockRule:
		return
	}
	tr.note(b)
}

func (tr *timelineReader) note(b srcBlock) {
	tr.notes = append(tr.notes, strings.TrimSpace(strings.Join(b.lines, "\n")))
}

// list reads one event per item that starts with a time; a nested item
// without a time adds to the event above it, a top-level one is a note.
func (tr *timelineReader) list(b srcBlock) {
	var notes []string
	for _, it := range b.items {
		if t, rest, ok := tr.r.ts.EntryPrefix(it.text); ok {
			tr.event(t, rest, it.line)
			continue
		}
		if it.depth > 0 && tr.appendToLast(it.text) {
			continue
		}
		notes = append(notes, "- "+it.text)
	}
	if len(notes) > 0 {
		tr.notes = append(tr.notes, strings.Join(notes, "\n"))
	}
}

// paragraph reads a paragraph whose lines start with times ("12:11 PM:
// …"); a line that is only a date sets the date for the lines after it.
// A paragraph whose first line holds no time is not an entry.
func (tr *timelineReader) paragraph(b srcBlock) bool {
	first := strings.TrimSpace(b.lines[0])
	if tr.zoneNote(b) {
		return true
	}
	if _, _, ok := tr.r.ts.ParsePrefix(first); !ok {
		return false
	}
	var current *debrief.TimelineEvent
	for i, line := range b.lines {
		line = strings.TrimSpace(line)
		if t, rest, ok := tr.r.ts.EntryPrefix(line); ok {
			if rest == "" && t.Precision == timestamp.PrecisionDate && i == len(b.lines)-1 {
				continue // a date heading for the entries below
			}
			current = tr.event(t, rest, b.line+i)
			continue
		}
		if current != nil {
			current.Text = joinText(current.Text, line)
		}
	}
	return true
}

// zoneNote recognises "All times in UTC." and takes its zone.
func (tr *timelineReader) zoneNote(b srcBlock) bool {
	text := strings.Join(b.lines, " ")
	if len(text) > 100 || !strings.Contains(strings.ToLower(text), "time") {
		return false
	}
	zone, ok := timestamp.FindZone(text)
	if ok {
		tr.r.ts.SetZone(zone)
		tr.approx = tr.approx || reApproximate.MatchString(text)
	}
	return ok
}

// code reads a fenced block of log-like lines when most of them start
// with a time.
func (tr *timelineReader) code(b srcBlock) bool {
	lines := b.lines
	if len(lines) >= 2 && reFence.MatchString(lines[0]) {
		lines = lines[1 : len(lines)-1]
	}
	timed := 0
	for _, l := range lines {
		if _, _, ok := tr.r.ts.ParsePrefix(strings.TrimSpace(l)); ok {
			timed++
		}
	}
	if timed == 0 || timed*2 < len(lines) {
		return false
	}
	offset := b.line
	if len(lines) != len(b.lines) {
		offset++
	}
	for i, l := range lines {
		if t, rest, ok := tr.r.ts.EntryPrefix(strings.TrimSpace(l)); ok {
			tr.event(t, rest, offset+i)
		} else {
			tr.appendToLast(strings.TrimSpace(l))
		}
	}
	return true
}

func (tr *timelineReader) appendToLast(text string) bool {
	tl := tr.r.pm.Timeline
	if len(tl) == 0 || text == "" {
		return false
	}
	tl[len(tl)-1].Text = joinText(tl[len(tl)-1].Text, text)
	return true
}

// event adds one timeline event; an impossible or unreadable time is kept
// as written with a warning, never guessed.
func (tr *timelineReader) event(t timestamp.Time, text string, line int) *debrief.TimelineEvent {
	r := tr.r
	text = strings.TrimSpace(text)
	ev := debrief.TimelineEvent{
		Time:     t.UTC,
		TimeText: t.Text,
		Text:     text,
		Kind:     debrief.GuessEventKind(text),
		Source:   "report",
		Flag:     t.Flag(),
	}
	if ev.Flag == "" && tr.approx {
		ev.Flag = debrief.FlagApproximate
	}
	switch {
	case t.Has(timestamp.FlagImpossible):
		r.warn(line, "timeline: %q is not a real time (%s); kept as written", t.Text, t.Problem)
	case t.Has(timestamp.FlagUnparsed):
		r.warn(line, "timeline: %q gives no usable date or time; kept as written", t.Text)
	case t.Has(timestamp.FlagOutOfOrder):
		r.warn(line, "timeline: %q is earlier than the entry before it", t.Text)
	case t.Has(timestamp.FlagApproximate) && t.Problem != "":
		// The text looks exact; only the zone's clock change makes it doubtful.
		r.warn(line, "timeline: %q is ambiguous (%s)", t.Text, t.Problem)
	}
	if t.Zone != "" && !t.UTC.IsZero() {
		r.zones[t.Zone]++
	}
	r.pm.Timeline = append(r.pm.Timeline, ev)
	r.events++
	return &r.pm.Timeline[len(r.pm.Timeline)-1]
}
