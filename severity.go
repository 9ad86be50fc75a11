package debrief

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// severityWords map the words reports use for severity onto the default
// ladder, P1 (most severe) to P4.
var severityWords = map[string]Severity{
	"critical": "P1", "crit": "P1", "urgent": "P1", "blocker": "P1",
	"high": "P2", "major": "P2",
	"medium": "P3", "moderate": "P3", "med": "P3",
	"low": "P4", "minor": "P4",
}

var (
	// reSeverityRank matches a compacted rank: "p2", "sev1", "s3", "severity4", "1".
	reSeverityRank = regexp.MustCompile(`^(?:p|sev|s|severity|priority|level)?([0-9])$`)
	// reSeverityCut ends the rank where an explanation starts:
	// "Major (High Impact)", "P2 - High", "SEV1, customer facing".
	reSeverityCut = regexp.MustCompile(`\s*(?:[(,;/]|\s-\s|\s–\s).*$`)
)

// ParseSeverity reads a severity as people write it ("Critical", "SEV-1",
// "p2", "Major (High Impact, Service Degradation)") onto the default P1–P4
// ladder. note explains a rank moved onto the ladder (P0 becomes P1); ok is
// false when the text names no rank it knows. Importers and filters share
// it, so "--severity critical" finds what an import stored as P1.
func ParseSeverity(text string) (sev Severity, note string, ok bool) {
	s := strings.ToLower(strings.Trim(text, " \t*_`"))
	s = strings.TrimSpace(reSeverityCut.ReplaceAllString(s, ""))
	if sev, note, ok = severityRank(s); ok {
		return sev, note, true
	}
	// "Major impact", "high severity": the first word carries the rank.
	if f := strings.Fields(s); len(f) > 1 {
		return severityRank(f[0])
	}
	return "", "", false
}

func severityRank(s string) (Severity, string, bool) {
	if sev, ok := severityWords[s]; ok {
		return sev, "", true
	}
	compact := strings.NewReplacer(" ", "", "-", "", "_", "", ".", "").Replace(s)
	m := reSeverityRank.FindStringSubmatch(compact)
	switch {
	case m == nil || m[1] > "4":
		return "", "", false
	case m[1] == "0":
		return "P1", "there is no rank above P1 on the ladder, so it is stored as P1", true
	}
	return Severity("P" + m[1]), "", true
}

// NormalizeSeverity puts a severity a person or a client wrote onto the
// default ladder with ParseSeverity, so "critical" and "sev1" are stored as
// P1 and lists filter them alike. Empty stays empty. A text that names no
// rank is a KindInvalid error on field that lists the ladder. Imports do
// not call it: they warn about a severity they cannot read and leave it
// out instead of refusing the whole document.
func NormalizeSeverity(field string, s Severity) (Severity, error) {
	text := strings.TrimSpace(string(s))
	if text == "" {
		return "", nil
	}
	if slices.Contains(DefaultSeverities, Severity(text)) {
		return Severity(text), nil
	}
	if sev, _, ok := ParseSeverity(text); ok {
		return sev, nil
	}
	return s, FieldErrorf(field, "%s", severityProblem(field, text))
}

// severityProblem says that text is not on the ladder and what is.
func severityProblem(field, text string) string {
	return fmt.Sprintf("%s %q is not a severity debrief knows: use P1, P2, P3 or P4 "+
		"(P1 the most severe); words such as critical, high, medium, low or sev1 "+
		"are read onto that ladder", field, text)
}
