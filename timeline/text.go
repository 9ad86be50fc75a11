package timeline

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/timestamp"
)

// Options give the context that pasted text leaves out.
type Options struct {
	// Zone is the report's zone, by any name timestamp.LookupZone takes
	// ("Europe/Paris", "PT", "CET"). Times without their own zone are in
	// it, and an abbreviation that means something else in it ("CST" in
	// Asia/Shanghai) is read as it means there.
	Zone string
	// Date gives the date of the first times when the text gives none,
	// as the incident's start does; it is taken on the calendar of Zone.
	Date time.Time
}

// Problem is a line of pasted text that gave no usable time. Its event is
// still made, flagged, so nothing written is lost.
type Problem struct {
	// Line counts from 1; 0 is about the options.
	Line    int    `json:"line"`
	Text    string `json:"text"`
	Message string `json:"message"`
}

// FromText reads pasted text or a chat log into events, one per line or
// list item that starts with a time ("- 14:02 …", "* **16:58 UTC** - …",
// "[10:15] alice: …", "2022-06-02 09:14:00 +0200 …", "10:15 AM PDT …",
// "| 2020-01-21 15:36 | … |"), in the order written. A chat name after the
// time stays in the text.
//
// A Markdown heading or a line that is only a date ("### 2021-05-26",
// "Saturday Oct 30th") sets the date of the times after it; a heading or
// a note such as "All times in CET." sets their zone, and one that calls
// the times approximate flags them so. A time earlier than the one before
// it is read as the next day when that is less than 12 hours on (a run
// across midnight); otherwise it is flagged out of order, never moved.
//
// A line without a time adds to the event before it, unless it is a new
// top-level list item or nothing comes before it: then it becomes an event
// of its own, flagged unparsed, with a Problem. A time that cannot exist
// ("13:55 PM", 02:30 in a daylight-saving gap) is flagged impossible and
// also reported as a Problem, as is a clock when no date is known.
func FromText(text string, o Options) ([]debrief.TimelineEvent, []Problem) {
	b := newTextReader(o)
	lines := strings.Split(text, "\n")
	next := nextLines(lines)
	for i, line := range lines {
		b.line(i+1, strings.TrimRight(line, "\r"), next[i])
	}
	b.flush()
	return Check(b.events), b.problems
}

// textReader holds the state of one FromText call.
type textReader struct {
	p        *timestamp.Parser
	loc      *time.Location // the zone the parser reads times in; nil for UTC
	approx   bool           // a heading or note says the times are approximate
	fenced   bool           // inside a ``` block
	events   []debrief.TimelineEvent
	more     []string // lines that continue the last event, not yet added
	problems []Problem
}

func newTextReader(o Options) *textReader {
	b := &textReader{p: timestamp.NewParser()}
	if strings.TrimSpace(o.Zone) != "" && !b.setZone(o.Zone) {
		b.problems = append(b.problems, Problem{Text: clean(o.Zone), Message: fmt.Sprintf(
			"the zone %q is not known; times without a zone of their own are read as UTC",
			o.Zone)})
	}
	if !o.Date.IsZero() {
		loc := b.loc
		if loc == nil {
			loc = time.UTC
		}
		y, m, d := o.Date.In(loc).Date()
		b.p.SetDate(y, int(m), d)
	}
	return b
}

func (b *textReader) setZone(name string) bool {
	if !b.p.SetZone(name) {
		return false
	}
	b.loc, _, _ = timestamp.LookupZone(name)
	return true
}

// nextLines returns, for each line, the next line after it that is not
// blank, trimmed; "" when there is none.
func nextLines(lines []string) []string {
	next := make([]string, len(lines))
	following := ""
	for i := len(lines) - 1; i >= 0; i-- {
		next[i] = following
		if l := strings.TrimSpace(lines[i]); l != "" {
			following = l
		}
	}
	return next
}

var (
	reFence     = regexp.MustCompile("^(?:```|~~~)")
	reHeading   = regexp.MustCompile(`^#{1,6}(?:\s|$)`)
	reTableRule = regexp.MustCompile(`^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$`)
	reZoneNote  = regexp.MustCompile(`(?i)^\(?\s*(?:all\s+)?(?:times?\b|timeline\b|time ?zone\b)`)
	reApprox    = regexp.MustCompile(`(?i)approximat`)
	reBullet    = regexp.MustCompile(`^(?:[-*+•]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?`)
)

// line reads one line; next is the next line that is not blank.
func (b *textReader) line(n int, raw, next string) {
	trimmed := strings.TrimSpace(raw)
	switch {
	case trimmed == "":
		return
	case reFence.MatchString(trimmed):
		b.fenced = !b.fenced
		return
	case !b.fenced && reHeading.MatchString(trimmed):
		heading := strings.TrimLeft(trimmed, "# ")
		b.approx = reApprox.MatchString(heading)
		b.context(heading)
		return
	case !b.fenced && strings.HasPrefix(trimmed, "|"):
		b.tableRow(n, trimmed, next)
		return
	}
	content, bullet := listItem(trimmed)
	// An item indented two or more spaces is nested under the one above.
	nested := bullet && len(raw)-len(strings.TrimLeft(raw, " \t")) >= 2
	if !b.fenced && b.zoneNote(content) {
		return
	}
	b.item(n, trimmed, content, bullet && !nested)
}

// item reads the content of a line: an event when it starts with a time,
// else more of the event before, else an unparsed event of its own.
func (b *textReader) item(n int, line, content string, topBullet bool) {
	t, rest, ok := b.entry(content)
	if ok && len(t.Text) <= debrief.MaxTitleLen {
		if rest == "" && t.Precision == timestamp.PrecisionDate {
			return // a date on its own line: the date of what follows
		}
		b.add(n, line, t, rest)
		return
	}
	if !topBullet && len(b.events) > 0 {
		b.more = append(b.more, content)
		return
	}
	b.flush()
	b.problems = append(b.problems, Problem{Line: n, Text: clean(line),
		Message: "no time at the start of the line; kept as an event without one"})
	b.events = append(b.events, debrief.TimelineEvent{Text: clean(content),
		Kind: debrief.GuessEventKind(content), Source: SourcePaste, Flag: debrief.FlagUnparsed})
}

// add makes the event of a line that starts with a time.
func (b *textReader) add(n int, line string, t timestamp.Time, rest string) {
	ev := debrief.TimelineEvent{Time: t.UTC, TimeText: clean(t.Text), Text: clean(rest),
		Kind: debrief.GuessEventKind(rest), Source: SourcePaste, Flag: t.Flag()}
	if ev.Flag == "" && b.approx {
		ev.Flag = debrief.FlagApproximate
	}
	var msg string
	switch {
	case t.Has(timestamp.FlagImpossible):
		msg = fmt.Sprintf("%q is not a real time (%s); kept as written", t.Text, t.Problem)
	case t.Has(timestamp.FlagUnparsed):
		msg = fmt.Sprintf("%q gives no usable date or time; kept as written", t.Text)
	case t.UTC.IsZero() && t.Precision >= timestamp.PrecisionMinute:
		msg = fmt.Sprintf("%q has no date: write one above it (### 2024-01-15) or give "+
			"the incident's start", t.Text)
	}
	if msg != "" {
		b.problems = append(b.problems, Problem{Line: n, Text: clean(line), Message: msg})
	}
	b.flush()
	b.events = append(b.events, ev)
}

// flush adds the lines that continue the last event to its text.
func (b *textReader) flush() {
	if len(b.more) == 0 {
		return
	}
	last := &b.events[len(b.events)-1]
	last.Text = joinText(last.Text, clean(strings.Join(b.more, " ")))
	b.more = b.more[:0]
}

// context takes the zone and date a heading or note states. Only its
// start is read: a date or zone further on is not the heading's, and
// searching a long line at every position would be slow.
func (b *textReader) context(heading string) {
	heading = prefix(heading, 200)
	if zone, ok := timestamp.FindZone(heading); ok {
		b.setZone(zone)
	}
	if y, m, d, ok := b.p.FindDate(heading); ok {
		b.p.SetDate(y, m, d)
		b.p.ResetRun()
	}
}

// zoneNote takes a line such as "All times in UTC." or "Timeline (all
// times PST) 06/10/2025" as context rather than an event.
func (b *textReader) zoneNote(content string) bool {
	if len(content) > 100 || !reZoneNote.MatchString(content) {
		return false
	}
	if _, ok := timestamp.FindZone(content); !ok {
		return false
	}
	b.context(content)
	b.approx = b.approx || reApprox.MatchString(content)
	return true
}

// tableRow reads a row of a Markdown table: the header (the row above the
// rule) may name the zone and year, and each row is an entry whose first
// cells hold its time.
func (b *textReader) tableRow(n int, row, next string) {
	if reTableRule.MatchString(row) {
		return
	}
	cells := strings.Trim(row, "| ")
	if reTableRule.MatchString(next) {
		header := prefix(cells, 200)
		if zone, ok := timestamp.FindZone(header); ok {
			b.setZone(zone)
		}
		if y, ok := timestamp.FindYear(header); ok {
			b.p.SetYear(y)
		}
		return
	}
	b.item(n, row, cells, true)
}

// listItem strips a list marker ("- ", "* ", "1. ", "- [ ] ").
func listItem(line string) (content string, bullet bool) {
	if m := reBullet.FindString(line); m != "" {
		return strings.TrimSpace(line[len(m):]), true
	}
	return line, false
}

// prefix returns the first n bytes of s or fewer, not cutting a character.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
