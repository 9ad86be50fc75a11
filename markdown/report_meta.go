package markdown

import (
	"regexp"
	"slices"
	"strings"

	"github.com/debrief-oss/debrief"
)

// setSeverity stores a severity read at line, warning about what it cannot
// take at face value.
func (r *reportReader) setSeverity(text string, line int, where string) {
	sev, note, ok := debrief.ParseSeverity(text)
	if !ok {
		r.warn(line, "%s: severity %q is not on the P1–P4 ladder; not stored", where, text)
		return
	}
	if note != "" {
		r.warn(line, "%s: severity %q: %s", where, text, note)
	}
	r.pm.Incident.Severity = sev
}

var (
	// reSeverityLine matches "**Severity:** Critical", "Severity: SEV1",
	// "- Priority: P2"; the value needs a colon before it, so prose
	// such as "Priority-classes not implemented" is not a severity.
	reSeverityLine = regexp.MustCompile(`(?i)^[\s>*_#+-]*(?:incident\s+)?(?:severity|priority)` +
		`(?:\s+level)?[\s*_]*:[\s*_]*(\S.*?)[\s*_]*$`)
	// reSeverityCode matches the colon-less "Severity P1" and "Severity - SEV2".
	reSeverityCode = regexp.MustCompile(`(?i)^[\s>*_#+-]*severity[\s*_-]+` +
		`(P[0-4]|SEV[- ]?[0-4]|S[0-4])\b`)
)

// readSeverityLine takes the severity from the first body line that states
// one, outside code, when the front matter gave none.
func (r *reportReader) readSeverityLine(blocks []srcBlock) {
	if r.pm.Incident.Severity != "" {
		return
	}
	for _, b := range blocks {
		for _, l := range blockLines(b) {
			m := reSeverityLine.FindStringSubmatch(l.text)
			if m == nil {
				m = reSeverityCode.FindStringSubmatch(l.text)
			}
			if m != nil {
				r.setSeverity(m[1], l.line, "body")
				return
			}
		}
	}
}

type numberedLine struct {
	line int
	text string
}

// blockLines returns the prose lines of a paragraph or a list with their
// file lines; code, tables and HTML state no severity of the report.
func blockLines(b srcBlock) []numberedLine {
	var out []numberedLine
	switch b.kind {
	case blockParagraph:
		for i, l := range b.lines {
			out = append(out, numberedLine{b.line + i, l})
		}
	case blockList:
		for _, it := range b.items {
			out = append(out, numberedLine{it.line, it.text})
		}
	}
	return out
}

// categoryWords are what reports write for the predefined categories,
// after lower-casing and turning "-" and "_" into spaces. Words that name a
// place or a mechanism ("cloud", "automation", "hardware", "cascading
// failure") are left out: they do not say which category an incident is.
var categoryWords = []struct {
	category debrief.Category
	words    []string
}{
	{debrief.CategoryPerformance, []string{"latency", "slowness"}},
	{debrief.CategoryAvailability, []string{"outage", "downtime"}},
	{debrief.CategorySecurity, []string{"security incident", "breach"}},
	{debrief.CategoryConfiguration, []string{"config", "config change",
		"configuration change", "misconfiguration"}},
	{debrief.CategoryChangeManagement, []string{"change", "deployment", "bad deploy"}},
	{debrief.CategoryExternalDependency, []string{"third party", "vendor"}},
}

// knownCategory returns the predefined category text names, if any.
func knownCategory(text string) (debrief.Category, bool) {
	s := strings.ToLower(strings.NewReplacer("-", " ", "_", " ").Replace(text))
	s = strings.Join(strings.Fields(s), " ")
	for _, c := range debrief.Categories {
		if strings.EqualFold(s, string(c)) {
			return c, true
		}
	}
	for _, cw := range categoryWords {
		if slices.Contains(cw.words, s) {
			return cw.category, true
		}
	}
	return "", false
}

func (r *reportReader) setCategory(c debrief.Category) {
	r.pm.Summary.Category = c
	r.pm.Incident.Category = c
}
