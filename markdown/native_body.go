package markdown

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// The contexts in which the body decoder reads tables and lists, named by
// the heading that opens them.
const (
	nativeInNone      = ""
	nativeInTimeline  = nativeHeadTimeline
	nativeInWhys      = nativeHeadWhys
	nativeInCauses    = nativeHeadFishbone
	nativeInFactors   = nativeHeadFactors
	nativeInImpacts   = nativeHeadImpact
	nativeInLessons   = nativeHeadLessons
	nativeInActions   = nativeHeadActions
	nativeInTeam      = nativeHeadTeam
	nativeInMeeting   = nativeHeadMeeting
	nativeInAttendees = nativeHeadAttendees
	nativeInLinks     = nativeHeadLinks
)

// nativeBody reads the body line by line. Prose blocks are found by their
// markers wherever they are; tables and lists by the headings above them.
type nativeBody struct {
	p        *debrief.Postmortem
	lines    []string
	first    int // the file line of lines[0]
	warnings []Warning

	h2, h3 string
	// section is the heading of a free section that may follow: the last
	// level-two heading, when only blank lines came after it.
	section    *string
	header     []string // the current table's header row, nil before it
	delimiter  bool     // whether the current table's delimiter row was read
	whyParents []int    // the IDs of the open why items, by depth
	blocks     map[string]bool
	title      string
	titleLine  int // index in lines of the title heading, 0 when none
}

func (d *nativeBody) warn(i int, format string, args ...any) {
	d.warnings = append(d.warnings, Warning{Line: d.first + i,
		Message: fmt.Sprintf(format, args...)})
}

func (d *nativeBody) invalid(i int, format string, args ...any) error {
	return nativeInvalid(d.first+i, format, args...)
}

func (d *nativeBody) decode() error {
	for i := 0; i < len(d.lines); i++ {
		if key, ok := parseNativeOpen(d.lines[i]); ok {
			end, err := d.readBlock(i, key)
			if err != nil {
				return err
			}
			i = end
			continue
		}
		if err := d.line(i); err != nil {
			return err
		}
	}
	return nil
}

func (d *nativeBody) readBlock(start int, key string) (end int, err error) {
	for j := start + 1; j < len(d.lines); j++ {
		if isNativeClose(d.lines[j], key) {
			d.setBlock(start, key, unescapeProse(d.lines[start+1:j]))
			return j, nil
		}
	}
	return 0, d.invalid(start, "%s is never closed by %s", nativeOpen(key), nativeClose(key))
}

func (d *nativeBody) setBlock(i int, key, text string) {
	if key == nativeKeySection {
		heading := ""
		if d.section == nil {
			d.warn(i, "a free section has no heading right above it")
		} else {
			heading = *d.section
		}
		d.p.Sections = append(d.p.Sections, debrief.Section{Heading: heading, Body: text})
		// A free section's heading may be a template heading; what follows
		// it is not that part of the template.
		d.h2, d.h3, d.section = "", "", nil
		return
	}
	field := d.proseField(key)
	if field == nil {
		d.warn(i, "unknown block %q ignored", key)
		return
	}
	if d.blocks[key] {
		d.warn(i, "a second %q block replaces the first", key)
	}
	if d.blocks == nil {
		d.blocks = map[string]bool{}
	}
	d.blocks[key] = true
	*field = text
	d.section = nil
}

func (d *nativeBody) proseField(key string) *string {
	p := d.p
	switch key {
	case nativeKeySummary:
		return &p.Summary.ExecutiveSummary
	case nativeKeyNarrative:
		return &p.Summary.Narrative
	case nativeKeyRootCause:
		return &p.Analysis.RootCause
	case nativeKeyTrigger:
		return &p.Analysis.Trigger
	case nativeKeyDetection:
		return &p.Analysis.Detection
	case nativeKeyResolve:
		return &p.Analysis.Resolution
	case nativeKeyNotes:
		return &p.Meeting.Notes
	}
	return nil
}

func (d *nativeBody) line(i int) error {
	t := strings.TrimRight(d.lines[i], " \t\r")
	if strings.TrimSpace(t) == "" {
		return nil
	}
	if level, text, ok := nativeHeading(t); ok {
		d.heading(i, level, unescapeNative(text))
		return nil
	}
	d.section = nil
	return d.content(i, t)
}

// nativeHeading recognises the ATX headings of levels one to three.
func nativeHeading(t string) (level int, text string, ok bool) {
	level = len(t) - len(strings.TrimLeft(t, "#"))
	if level < 1 || level > 3 || (len(t) > level && t[level] != ' ') {
		return 0, "", false
	}
	return level, t[level:], true
}

func (d *nativeBody) heading(i, level int, text string) {
	d.header, d.delimiter, d.whyParents, d.section = nil, false, nil, nil
	switch level {
	case 1:
		if d.titleLine == 0 {
			d.title, d.titleLine = text, i
		} else {
			d.warn(i, "a second title heading is ignored")
		}
		d.h2, d.h3 = "", ""
	case 2:
		d.h2, d.h3 = text, ""
		d.section = &text
	case 3:
		d.h3 = text
	}
}

func (d *nativeBody) context() string {
	switch d.h2 {
	case nativeHeadTimeline, nativeHeadFactors, nativeHeadImpact, nativeHeadActions,
		nativeHeadTeam, nativeHeadLinks:
		if d.h3 == "" {
			return d.h2
		}
	case nativeHeadAnalysis:
		if d.h3 == nativeHeadWhys || d.h3 == nativeHeadFishbone {
			return d.h3
		}
	case nativeHeadLessons:
		if d.h3 != "" {
			return nativeInLessons
		}
	case nativeHeadMeeting:
		if d.h3 == "" {
			return nativeInMeeting
		}
		if d.h3 == nativeHeadAttendees {
			return nativeInAttendees
		}
	}
	return nativeInNone
}

func (d *nativeBody) content(i int, t string) error {
	switch ctx := d.context(); ctx {
	case nativeInNone:
		d.warn(i, "text outside debrief's blocks, tables and lists is ignored; "+
			"write prose between the <!-- debrief:… --> markers")
	case nativeInWhys:
		return d.whyItem(i, t)
	case nativeInLessons:
		d.lessonItem(i, t)
	case nativeInAttendees:
		if text, ok := nativeListItem(t); ok {
			d.p.Meeting.Attendees = append(d.p.Meeting.Attendees, text)
		} else {
			d.warn(i, "a line that is not a list item is ignored")
		}
	case nativeInMeeting:
		return d.meetingLine(i, t)
	default:
		return d.tableRow(i, ctx, t)
	}
	return nil
}

// nativeListItem returns the text of a "- " list item.
func nativeListItem(t string) (string, bool) {
	if t == "-" {
		return "", true
	}
	if !strings.HasPrefix(t, "- ") {
		return "", false
	}
	return unescapeNative(t[2:]), true
}

func (d *nativeBody) lessonItem(i int, t string) {
	kind, ok := nativeLessonKind(d.h3)
	if !ok {
		d.warn(i, "lessons under the unknown heading %q are ignored", d.h3)
		return
	}
	text, ok := nativeListItem(t)
	if !ok {
		d.warn(i, "a line that is not a list item is ignored")
		return
	}
	d.p.Lessons = append(d.p.Lessons, debrief.Lesson{Kind: kind, Text: text})
}

func nativeLessonKind(heading string) (debrief.LessonKind, bool) {
	for k, h := range nativeLessonHeadings {
		if h == heading {
			return k, true
		}
	}
	if rest, ok := strings.CutPrefix(heading, nativeOtherLessons); ok {
		return debrief.LessonKind(strings.TrimPrefix(rest, " ")), true
	}
	return "", false
}

func (d *nativeBody) meetingLine(i int, t string) error {
	rest, ok := strings.CutPrefix(t, strings.TrimSpace(nativeMeetingDate))
	if !ok {
		d.warn(i, "text outside debrief's blocks, tables and lists is ignored")
		return nil
	}
	date, err := parseNativeTime(unescapeNative(rest))
	if err != nil {
		return d.invalid(i, "the meeting date %q is not an RFC 3339 time", rest)
	}
	d.p.Meeting.Date = date
	return nil
}

// parseNativeTime reads a table's or the meeting's time; empty is unknown.
func parseNativeTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return canonTime(t), err
}

// whyItem reads one item of the why forest; its indentation gives its
// parent, two spaces a level.
func (d *nativeBody) whyItem(i int, t string) error {
	indent := len(t) - len(strings.TrimLeft(t, " "))
	item, ok := strings.CutPrefix(t[indent:], "- ")
	if !ok {
		d.warn(i, "a line that is not a list item is ignored")
		return nil
	}
	depth := indent / 2
	if indent%2 != 0 || depth > len(d.whyParents) {
		return d.invalid(i, "this why is indented %d spaces; nest a why two spaces "+
			"deeper than the one it answers", indent)
	}
	w, parent, err := parseNativeWhy(item)
	if err != nil {
		return d.invalid(i, "%s", err.Error())
	}
	d.whyParents = d.whyParents[:depth]
	switch {
	case depth > 0:
		w.ParentID = d.whyParents[depth-1]
	case parent != nil:
		w.ParentID = *parent
	}
	d.whyParents = append(d.whyParents, w.ID)
	d.p.Analysis.Whys = append(d.p.Analysis.Whys, w)
	return nil
}

// parseNativeWhy reads "**question** answer *(#id, under #parent, kind)*" as
// formatNativeWhy writes it. Escaped text holds no bare '*', so the parts are
// found by the first "**" pair and the last " *(".
func parseNativeWhy(s string) (debrief.Why, *int, error) {
	var w debrief.Why
	if !strings.HasSuffix(s, ")*") {
		return w, nil, nativeError("a why must end with its ID in italics, like *(#3)*")
	}
	rest, meta := "", ""
	if pos := strings.LastIndex(s, " *("); pos >= 0 {
		rest, meta = s[:pos], s[pos+3:len(s)-2]
	} else if strings.HasPrefix(s, "*(") {
		meta = s[2 : len(s)-2]
	} else {
		return w, nil, nativeError("a why must end with its ID in italics, like *(#3)*")
	}
	if q, ok := strings.CutPrefix(rest, "**"); ok {
		end := nativeClosingBold(q)
		if end < 0 {
			return w, nil, nativeError("the question's bold text is not closed")
		}
		w.Question, rest = unescapeNative(q[:end]), q[end+2:]
	}
	w.Answer = unescapeNative(rest)
	parent, err := parseNativeWhyMeta(meta, &w)
	return w, parent, err
}

// nativeClosingBold finds the first unescaped "**" in s.
func nativeClosingBold(s string) int {
	for j := 0; j+1 < len(s); j++ {
		switch {
		case s[j] == '\\':
			j++
		case s[j] == '*' && s[j+1] == '*':
			return j
		}
	}
	return -1
}

func parseNativeWhyMeta(meta string, w *debrief.Why) (*int, error) {
	parts := strings.SplitN(meta, ", ", 2)
	id, ok := strings.CutPrefix(parts[0], "#")
	n, err := strconv.Atoi(id)
	if !ok || err != nil {
		return nil, nativeError("the why's ID " + strconv.Quote(parts[0]) + " is not #number")
	}
	w.ID = n
	rest := ""
	if len(parts) == 2 {
		rest = parts[1]
	}
	var parent *int
	if under, ok := strings.CutPrefix(rest, "under #"); ok {
		num, after, _ := strings.Cut(under, ", ")
		p, err := strconv.Atoi(num)
		if err != nil {
			return nil, nativeError("the why's parent " + strconv.Quote(num) + " is not a number")
		}
		parent, rest = &p, after
	}
	switch {
	case rest == "":
	case rest == nativeRootLabel:
		w.Kind = debrief.CauseRoot
	case rest == nativeCausalLabel:
		w.Kind = debrief.CauseCausal
	case strings.HasPrefix(rest, nativeKindLabel):
		w.Kind = debrief.CauseKind(unescapeNative(rest[len(nativeKindLabel):]))
	default:
		return nil, nativeError("the why's kind " + strconv.Quote(rest) +
			" is not \"root cause\", \"causal factor\" or \"kind: …\"")
	}
	return parent, nil
}

type nativeError string

func (e nativeError) Error() string { return string(e) }
