// Package lint checks postmortem text for blame-oriented language and
// personal identifiers, the blameless-review checks of the product (C4).
//
// The checker is deterministic: text is split into sentences and words with
// the Unicode segmentation rules (UAX #29), and each finding comes from one
// named rule whose word lists live in the embedded rules.yaml.
package lint

import (
	"context"
	"sort"
	"strings"
	"unicode/utf8"
)

// Severity is how strongly a finding asks for a change.
type Severity string

// Severities, from must-fix to advisory.
const (
	Error   Severity = "error"
	Warning Severity = "warning"
	Info    Severity = "info"
)

// Finding is one problem in checked text.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Section  string   `json:"section"`
	// Line and Column are 1-based; Column counts characters (runes).
	Line   int `json:"line"`
	Column int `json:"column"`
	// Start and End are the UTF-8 byte span in the checked text.
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Message    string `json:"message"`
	Suggestion string `json:"suggestion"`
	// Replacement is what redaction puts in place of a personal
	// identifier: the person's role, or what kind of detail was there.
	Replacement string `json:"replacement,omitempty"`
}

// Person is someone who may be named in a report: a debrief user, a member
// of the report's team or an entry of the configured roster.
type Person struct {
	Name string
	Role string // the role to name instead, such as "incident commander"
}

// Roster tells the checker which capitalised words are people and which
// are systems, so that a service called Jarvis is not taken for a person
// and Will is a name only where the roster or the sentence says so.
type Roster struct {
	People  []Person
	Systems []string
}

// Checker checks text against the embedded rules and a roster.
type Checker struct {
	rules   *rules
	people  []rosterPerson
	systems set
}

type rosterPerson struct {
	Person
	words []string
}

// span is a finding before it is located in the text.
type span struct {
	start, end int
	rule       string
	role       string // pii.name: the person's role from the roster
}

// New returns a checker with the embedded rules and the given roster.
func New(r Roster) *Checker {
	c := &Checker{rules: defaultRules, systems: exactSet(r.Systems)}
	for _, p := range r.People {
		ws := strings.Fields(p.Name)
		if len(ws) == 0 || c.systems[ws[0]] {
			continue
		}
		c.people = append(c.people, rosterPerson{Person: p, words: ws})
	}
	// Longer names first, so "Mark Jensen" wins over "Mark Lee"'s "Mark".
	sort.SliceStable(c.people, func(i, j int) bool {
		return len(c.people[i].words) > len(c.people[j].words)
	})
	return c
}

// Text checks free text from one section of a report and returns the
// findings sorted by position. Spans refer to text as given, even when it is
// not valid UTF-8.
func (c *Checker) Text(section, text string) []Finding {
	f, _ := c.TextContext(context.Background(), section, text)
	return f
}

// cancelEvery is how many sentences the checker reads between looks at its
// context: often enough to stop within a fraction of a second.
const cancelEvery = 256

// TextContext is Text that stops, with ctx's error, when ctx is done: a
// long text takes seconds, and an interrupted command must end.
func (c *Checker) TextContext(ctx context.Context, section, text string) ([]Finding, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Invisible characters (a zero-width space, a soft hyphen, direction
	// controls) must not split or hide words: the rules read the text
	// without them, and the spans are mapped back onto the text as given.
	visible, at := withoutInvisible(text)
	spans, err := c.spans(ctx, visible)
	if err != nil {
		return nil, err
	}
	if at != nil {
		for i := range spans {
			spans[i].start, spans[i].end = at[spans[i].start], at[spans[i].end-1]+1
		}
	}
	return c.locate(section, text, spans), nil
}

// spans runs the rules over text.
func (c *Checker) spans(ctx context.Context, text string) ([]span, error) {
	ids, covered := c.identifiers(text)
	code := codeRanges(text)
	spans := append([]span(nil), ids...)
	for k, se := range sentenceSpans(text, c.rules) {
		if k%cancelEvery == cancelEvery-1 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		toks := tokenize(text, se[0], se[1])
		for i := range toks {
			toks[i].covered = overlapsAny(covered, toks[i].start, toks[i].end)
			if overlapsAny(code, toks[i].start, toks[i].end) {
				// A log line in a code block is quoted, not written: no
				// blame and no names there (addresses are still found).
				toks[i].code, toks[i].quoted = true, true
			}
		}
		isName, names := c.names(toks)
		spans = append(spans, names...)
		person := c.personTokens(toks, isName, spansIn(ids, se[0], se[1]))
		spans = append(spans, c.blame(toks, person)...)
	}
	return distinct(spans), nil
}

// blamePriority orders the blame rules from the most specific: where two
// findings cover the same words, the more specific one says it all.
var blamePriority = map[string]int{
	"blame.human-error": 8, "blame.fault-label": 7, "blame.person-fault": 6,
	"blame.judgement": 5, "blame.punitive": 4, "blame.counterfactual": 3,
	"blame.hindsight": 2, "blame.person-failed": 1,
}

// distinct drops a blame finding whose words lie within another's ("more
// careful" within "be more careful"), keeping per span the most specific
// rule ("didn't bother" is a judgement, not also a person failing).
func distinct(spans []span) []span {
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].end > spans[j].end
	})
	out := spans[:0]
	last := -1 // the index in out of the blame span that reaches furthest
	for _, s := range spans {
		p := blamePriority[s.rule]
		if p == 0 {
			out = append(out, s)
			continue
		}
		if last >= 0 && s.end <= out[last].end {
			if k := out[last]; k.start == s.start && k.end == s.end &&
				p > blamePriority[k.rule] {
				out[last] = s
			}
			continue
		}
		out = append(out, s)
		last = len(out) - 1
	}
	return out
}

// invisible reports a character that shows nothing and joins or splits
// nothing for a reader: zero-width spaces and joiners, the soft hyphen, the
// byte-order mark and the bidirectional controls.
func invisible(r rune) bool {
	switch {
	case r == '\u00ad', r == '\ufeff', r == '\u2060',
		'\u200b' <= r && r <= '\u200f', '\u202a' <= r && r <= '\u202e',
		'\u2066' <= r && r <= '\u2069':
		return true
	}
	return false
}

// withoutInvisible returns text without invisible characters and, when
// some were removed, the offset in text of each byte of the result.
func withoutInvisible(text string) (string, []int) {
	if strings.IndexFunc(text, invisible) < 0 {
		return text, nil
	}
	var b strings.Builder
	at := make([]int, 0, len(text))
	for i, r := range text {
		if invisible(r) {
			continue
		}
		_, n := utf8.DecodeRuneInString(text[i:]) // an invalid byte counts one
		b.WriteString(text[i : i+n])
		for k := range n {
			at = append(at, i+k)
		}
	}
	return b.String(), at
}

// overlapsAny reports whether [s, e) overlaps one of rs, which are sorted
// and do not overlap.
func overlapsAny(rs [][2]int, s, e int) bool {
	k := sort.Search(len(rs), func(k int) bool { return rs[k][1] > s })
	return k < len(rs) && rs[k][0] < e
}

// spansIn returns the spans of ids, sorted by start, that may overlap
// [s, e).
func spansIn(ids []span, s, e int) []span {
	i := sort.Search(len(ids), func(k int) bool { return ids[k].end > s })
	j := sort.Search(len(ids), func(k int) bool { return ids[k].start >= e })
	if i >= j {
		return nil
	}
	return ids[i:j]
}

// locate turns spans into findings with line, column, message and
// suggestion, sorted by position.
func (c *Checker) locate(section, text string, spans []span) []Finding {
	sort.SliceStable(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].end < spans[j].end
	})
	out := make([]Finding, 0, len(spans))
	// Line and column are counted in one walk over the text: counting
	// from the line's start for each finding takes time in the square of
	// a long line's findings.
	line, col, pos := 1, 0, 0
	for _, s := range spans {
		for ; pos < s.start; pos++ {
			switch b := text[pos]; {
			case b == '\n':
				line, col = line+1, 0
			case !utf8.RuneStart(b):
			default:
				col++
			}
		}
		f := describe(s, text[s.start:s.end])
		f.Section = section
		f.Line = line
		f.Column = col + 1
		f.Start, f.End = s.start, s.end
		out = append(out, f)
	}
	return out
}
