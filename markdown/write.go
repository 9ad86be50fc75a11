package markdown

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
)

// The headings Write uses. The reader finds tables and lists by them; prose
// it finds by its block markers, so prose and free sections may contain any
// of these headings without confusing it.
const (
	nativeHeadSummary   = "Executive summary"
	nativeHeadNarrative = "What happened"
	nativeHeadTimeline  = "Timeline"
	nativeHeadAnalysis  = "Root cause analysis"
	nativeHeadRootCause = "Root cause"
	nativeHeadTrigger   = "Trigger"
	nativeHeadDetection = "Detection"
	nativeHeadResolve   = "Resolution"
	nativeHeadWhys      = "Five whys"
	nativeHeadFishbone  = "Fishbone"
	nativeHeadFactors   = "Contributing factors"
	nativeHeadImpact    = "Impact"
	nativeHeadLessons   = "Lessons learned"
	nativeHeadActions   = "Action items"
	nativeHeadTeam      = "Team"
	nativeHeadMeeting   = "Postmortem meeting"
	nativeHeadAttendees = "Attendees"
	nativeHeadNotes     = "Notes"
	nativeHeadLinks     = "Links"
)

// The keys of the prose blocks.
const (
	nativeKeySummary   = "executive_summary"
	nativeKeyNarrative = "narrative"
	nativeKeyRootCause = "root_cause"
	nativeKeyTrigger   = "trigger"
	nativeKeyDetection = "detection"
	nativeKeyResolve   = "resolution"
	nativeKeyNotes     = "meeting_notes"
	nativeKeySection   = "section"
)

// The table headers. The reader checks the number of cells, not the words,
// so a reviewer may retitle a column.
var (
	nativeTimelineHeader = []string{"Elapsed", "Time (UTC)", "As written", "Kind", "Event",
		"Source", "Flag"}
	nativeCauseHeader  = []string{"Category", "Cause", "Kind"}
	nativeFactorHeader = []string{"Category", "Factor", "How it contributed"}
	nativeImpactHeader = []string{"Area", "Description", "Minutes down", "Users affected",
		"Failed transactions", "Money", "Currency"}
	nativeActionHeader = []string{"No.", "Action", "Owner", "Team owner", "Due", "Impact", "Effort",
		"Category", "Purpose", "Success metric", "Verification", "Status",
		"Blocked because", "Tracker"}
	nativeTeamHeader = []string{"Name", "Role"}
	nativeLinkHeader = []string{"Title", "URL"}
)

// nativeLessonHeadings names the lesson kinds' subheadings; other kinds are
// written under nativeOtherLessons followed by the kind.
var nativeLessonHeadings = map[debrief.LessonKind]string{
	debrief.LessonWentWell:  "What went well",
	debrief.LessonWentWrong: "What went wrong",
	debrief.LessonLucky:     "Where we got lucky",
	debrief.LessonGeneral:   "General lessons",
}

const nativeOtherLessons = "Other lessons:"

// Write writes p in debrief's own Markdown format: YAML front matter with
// the metadata, then the report under conventional headings, tables for
// structured parts and verbatim prose. Parse reads it back as Normalize(p).
func Write(w io.Writer, p *debrief.Postmortem) error {
	if p == nil {
		return debrief.Errorf(debrief.KindInvalid, "no report to write")
	}
	p = Normalize(p)

	var b bytes.Buffer
	if err := writeNativeFront(&b, p); err != nil {
		return err
	}

	m := &nativeWriter{b: &b}
	if p.Title != "" {
		m.heading(1, escapeNative(p.Title, false))
	}
	m.summary(p)
	m.timeline(p.Timeline)
	m.analysis(&p.Analysis)
	m.factors(p.ContributingFactors)
	m.impacts(p.Impacts)
	m.lessons(p.Lessons)
	m.actions(p.ActionItems)
	m.team(p.Team)
	m.meeting(&p.Meeting)
	m.links(p.Links)
	m.sections(p.Sections)

	_, err := w.Write(b.Bytes())
	return err
}

// writeNativeFront writes the front matter between its "---" lines.
func writeNativeFront(b *bytes.Buffer, p *debrief.Postmortem) error {
	b.WriteString("---\n")
	enc := yaml.NewEncoder(b)
	enc.SetIndent(2)
	if err := enc.Encode(frontNode(reflect.ValueOf(newNativeFront(p)))); err != nil {
		return fmt.Errorf("write front matter: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write front matter: %w", err)
	}
	b.WriteString("---\n")
	return nil
}

// frontNode builds the YAML tree of the front matter by hand. Node.Encode
// would parse go-yaml's own output back, and that fails for some strings
// go-yaml writes (a literal block starting with a tab); building the tree
// also lets awkward strings be double-quoted, which always reads back.
func frontNode(v reflect.Value) *yaml.Node {
	if t, ok := v.Interface().(nativeTime); ok {
		return textNode(t.UTC().Format(time.RFC3339Nano))
	}
	switch v.Kind() {
	case reflect.Pointer:
		return frontNode(v.Elem())
	case reflect.Struct:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for i := range v.NumField() {
			name, opts, _ := strings.Cut(v.Type().Field(i).Tag.Get("yaml"), ",")
			f := v.Field(i)
			if opts == "omitempty" && emptyFront(f) {
				continue
			}
			n.Content = append(n.Content, textNode(name), frontNode(f))
		}
		return n
	case reflect.Slice:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for i := range v.Len() {
			n.Content = append(n.Content, frontNode(v.Index(i)))
		}
		return n
	case reflect.Map:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			return strings.Compare(a.String(), b.String())
		})
		for _, k := range keys {
			n.Content = append(n.Content, textNode(k.String()), frontNode(v.MapIndex(k)))
		}
		return n
	case reflect.Int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(int(v.Int()))}
	case reflect.Bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v.Bool())}
	}
	return textNode(v.String())
}

func emptyFront(v reflect.Value) bool {
	if t, ok := v.Interface().(nativeTime); ok {
		return t.IsZero()
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Map:
		return v.Len() == 0
	}
	return v.IsZero()
}

// textNode is a YAML string. Strings holding control characters, unusual
// white space or white space at either end are double-quoted, with escapes.
func textNode(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if awkwardScalar(s) {
		n.Style = yaml.DoubleQuotedStyle
	}
	return n
}

func awkwardScalar(s string) bool {
	if strings.TrimSpace(s) != s {
		return true
	}
	for _, r := range s {
		if unicode.IsControl(r) || (unicode.IsSpace(r) && r != ' ') || r == '\ufeff' ||
			unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) {
			return true
		}
	}
	return false
}

// FileName returns a safe, stable file name for p: its ID in lower case,
// with anything but letters, digits, '.', '-' and '_' replaced by '-'. When
// that changed the ID, a short hash of the ID is appended, so that two IDs
// never share a file, not even on a case-insensitive file system.
func FileName(p *debrief.Postmortem) string {
	id := p.ID
	var b strings.Builder
	for _, r := range strings.ToLower(id) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	name := strings.TrimLeft(b.String(), ".-")
	if len(name) > 80 {
		name = name[:80]
	}
	if name == "" || name != id {
		sum := sha256.Sum256([]byte(id))
		name = strings.TrimSuffix(name+"-"+hex.EncodeToString(sum[:4]), "-")
		name = strings.TrimLeft(name, "-")
	}
	return name + ".md"
}

// nativeWriter writes the body. Every element starts with a blank line, so
// elements are always apart however they follow each other.
type nativeWriter struct{ b *bytes.Buffer }

func (m *nativeWriter) heading(level int, text string) {
	fmt.Fprintf(m.b, "\n%s %s\n", strings.Repeat("#", level), text)
}

func (m *nativeWriter) block(key, text string) {
	fmt.Fprintf(m.b, "\n%s\n\n%s\n\n%s\n",
		nativeOpen(key), strings.Join(escapeProse(text), "\n"), nativeClose(key))
}

// prose writes a heading and a block, or nothing when text is empty.
func (m *nativeWriter) prose(level int, heading, key, text string) {
	if text == "" {
		return
	}
	m.heading(level, heading)
	m.block(key, text)
}

func (m *nativeWriter) table(header []string, rows [][]string) {
	m.b.WriteString("\n" + formatNativeRow(header...) + "\n")
	m.b.WriteString("|" + strings.Repeat(" --- |", len(header)) + "\n")
	for _, r := range rows {
		m.b.WriteString(formatNativeRow(r...) + "\n")
	}
}

func (m *nativeWriter) list(items []string) {
	m.b.WriteString("\n")
	for _, it := range items {
		m.b.WriteString("- " + escapeNative(it, false) + "\n")
	}
}

func (m *nativeWriter) summary(p *debrief.Postmortem) {
	m.prose(2, nativeHeadSummary, nativeKeySummary, p.Summary.ExecutiveSummary)
	m.prose(2, nativeHeadNarrative, nativeKeyNarrative, p.Summary.Narrative)
}

func (m *nativeWriter) timeline(events []debrief.TimelineEvent) {
	if len(events) == 0 {
		return
	}
	var first time.Time
	for _, e := range events {
		if !e.Time.IsZero() {
			first = e.Time
			break
		}
	}
	rows := make([][]string, len(events))
	for i, e := range events {
		rows[i] = []string{nativeElapsed(first, e.Time), formatNativeTime(e.Time), e.TimeText,
			string(e.Kind), e.Text, e.Source, e.Flag}
	}
	m.heading(2, nativeHeadTimeline)
	m.table(nativeTimelineHeader, rows)
}

// nativeElapsed shows the time since the first timed event as "+H:MM" (with
// seconds when there are any); the reader ignores it.
func nativeElapsed(first, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	d := t.Sub(first).Truncate(time.Second)
	sign := "+"
	if d < 0 {
		sign, d = "-", -d
	}
	h, mins, s := int(d/time.Hour), int(d/time.Minute)%60, int(d/time.Second)%60
	if s != 0 {
		return fmt.Sprintf("%s%d:%02d:%02d", sign, h, mins, s)
	}
	return fmt.Sprintf("%s%d:%02d", sign, h, mins)
}

func formatNativeTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func (m *nativeWriter) analysis(a *debrief.Analysis) {
	if a.RootCause == "" && a.Trigger == "" && a.Detection == "" && a.Resolution == "" &&
		len(a.Whys) == 0 && len(a.Causes) == 0 {
		return
	}
	m.heading(2, nativeHeadAnalysis)
	m.prose(3, nativeHeadRootCause, nativeKeyRootCause, a.RootCause)
	m.prose(3, nativeHeadTrigger, nativeKeyTrigger, a.Trigger)
	m.prose(3, nativeHeadDetection, nativeKeyDetection, a.Detection)
	m.prose(3, nativeHeadResolve, nativeKeyResolve, a.Resolution)
	m.whys(a.Whys)
	if len(a.Causes) > 0 {
		rows := make([][]string, len(a.Causes))
		for i, c := range a.Causes {
			rows[i] = []string{string(c.Category), c.Text, string(c.Kind)}
		}
		m.heading(3, nativeHeadFishbone)
		m.table(nativeCauseHeader, rows)
	}
}

// whys writes the why forest as nested lists, one item a why:
//
//   - **question** answer *(#id, under #parent, root cause)*
//
// The question is bold and left out when empty; the part in italics holds
// the ID, the parent when the nesting does not show it, and the kind.
func (m *nativeWriter) whys(whys []debrief.Why) {
	if len(whys) == 0 {
		return
	}
	m.heading(3, nativeHeadWhys)
	m.b.WriteString("\n")
	for _, pw := range canonWhyOrder(whys) {
		m.b.WriteString(strings.Repeat("  ", pw.depth) + "- " + formatNativeWhy(pw) + "\n")
	}
}

func formatNativeWhy(pw canonPlacedWhy) string {
	w := pw.why
	var parts []string
	if w.Question != "" {
		parts = append(parts, "**"+escapeNative(w.Question, true)+"**")
	}
	if w.Answer != "" {
		parts = append(parts, escapeNative(w.Answer, true))
	}
	meta := "#" + strconv.Itoa(w.ID)
	if pw.namesParent {
		meta += ", under #" + strconv.Itoa(w.ParentID)
	}
	switch w.Kind {
	case debrief.CauseUnjudged:
	case debrief.CauseRoot:
		meta += ", " + nativeRootLabel
	case debrief.CauseCausal:
		meta += ", " + nativeCausalLabel
	default:
		meta += ", " + nativeKindLabel + escapeNative(string(w.Kind), true)
	}
	return strings.Join(append(parts, "*("+meta+")*"), " ")
}

const (
	nativeRootLabel   = "root cause"
	nativeCausalLabel = "causal factor"
	nativeKindLabel   = "kind: "
)

func (m *nativeWriter) factors(fs []debrief.ContributingFactor) {
	if len(fs) == 0 {
		return
	}
	rows := make([][]string, len(fs))
	for i, f := range fs {
		rows[i] = []string{string(f.Category), f.Description, f.HowContributed}
	}
	m.heading(2, nativeHeadFactors)
	m.table(nativeFactorHeader, rows)
}

func (m *nativeWriter) impacts(is []debrief.Impact) {
	if len(is) == 0 {
		return
	}
	rows := make([][]string, len(is))
	for i, im := range is {
		rows[i] = []string{string(im.Kind), im.Description, formatNativeFloat(im.MinutesDown),
			formatNativeInt(im.UsersAffected), formatNativeInt(im.FailedTransactions),
			im.Money, im.Currency}
	}
	m.heading(2, nativeHeadImpact)
	m.table(nativeImpactHeader, rows)
}

// formatNativeFloat writes the shortest text that parses back to the same number;
// an empty cell is an unknown quantity.
func formatNativeFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'g', -1, 64)
}

func formatNativeInt(n *int64) string {
	if n == nil {
		return ""
	}
	return strconv.FormatInt(*n, 10)
}

func (m *nativeWriter) lessons(ls []debrief.Lesson) {
	if len(ls) == 0 {
		return
	}
	m.heading(2, nativeHeadLessons)
	for _, k := range canonLessonKinds(ls) {
		heading, ok := nativeLessonHeadings[k]
		if !ok {
			heading = nativeOtherLessons + " " + escapeNative(string(k), false)
		}
		var items []string
		for _, l := range ls {
			if l.Kind == k {
				items = append(items, l.Text)
			}
		}
		m.heading(3, heading)
		m.list(items)
	}
}

func (m *nativeWriter) actions(as []debrief.ActionItem) {
	if len(as) == 0 {
		return
	}
	rows := make([][]string, len(as))
	for i, a := range as {
		team := ""
		if a.OwnerIsTeam {
			team = "yes"
		}
		rows[i] = []string{strconv.Itoa(a.Number), a.Description, a.Owner, team, a.Due,
			string(a.Impact), string(a.Effort), string(a.Category), string(a.Purpose),
			a.SuccessMetric, a.Verification, string(a.Status), a.BlockedReason, a.TrackerURL}
	}
	m.heading(2, nativeHeadActions)
	m.table(nativeActionHeader, rows)
}

func (m *nativeWriter) team(ts []debrief.TeamMember) {
	if len(ts) == 0 {
		return
	}
	rows := make([][]string, len(ts))
	for i, t := range ts {
		rows[i] = []string{t.Name, string(t.Role)}
	}
	m.heading(2, nativeHeadTeam)
	m.table(nativeTeamHeader, rows)
}

const nativeMeetingDate = "**Date:** "

func (m *nativeWriter) meeting(mt *debrief.Meeting) {
	if mt.Date.IsZero() && len(mt.Attendees) == 0 && mt.Notes == "" {
		return
	}
	m.heading(2, nativeHeadMeeting)
	if !mt.Date.IsZero() {
		m.b.WriteString("\n" + nativeMeetingDate + formatNativeTime(mt.Date) + "\n")
	}
	if len(mt.Attendees) > 0 {
		m.heading(3, nativeHeadAttendees)
		m.list(mt.Attendees)
	}
	m.prose(3, nativeHeadNotes, nativeKeyNotes, mt.Notes)
}

func (m *nativeWriter) links(ls []debrief.Link) {
	if len(ls) == 0 {
		return
	}
	rows := make([][]string, len(ls))
	for i, l := range ls {
		rows[i] = []string{l.Title, l.URL}
	}
	m.heading(2, nativeHeadLinks)
	m.table(nativeLinkHeader, rows)
}

// sections writes free sections after everything else, each under its own
// heading; the block marker, not the heading, tells the reader it is one.
func (m *nativeWriter) sections(ss []debrief.Section) {
	for _, s := range ss {
		m.heading(2, escapeNative(s.Heading, false))
		m.block(nativeKeySection, s.Body)
	}
}
