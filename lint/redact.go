package lint

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redact returns text with every personal identifier the findings point at
// replaced: a name by the person's role ("the incident commander") or "a
// responder", an e-mail address or phone number by what it was. A
// possessive stays one ("Priya's" becomes "the incident commander's"),
// and a sentence still starts with a capital.
// Findings that overlap an earlier one are skipped.
func Redact(text string, findings []Finding) string {
	var pii []Finding
	for _, f := range findings {
		if f.Replacement != "" && f.Start >= 0 && f.End <= len(text) && f.Start < f.End {
			pii = append(pii, f)
		}
	}
	sort.SliceStable(pii, func(i, j int) bool { return pii[i].Start < pii[j].Start })
	var b strings.Builder
	at := 0
	for _, f := range pii {
		if f.Start < at {
			continue
		}
		b.WriteString(text[at:f.Start])
		b.WriteString(replacementText(text, f))
		at = f.End
		if n := bareApostrophe(text, f); n > 0 {
			b.WriteString("'s") // "James' commit": the role's commit
			at += n
		}
	}
	b.WriteString(text[at:])
	return b.String()
}

// replacementText is what replaces a finding's span when it is redacted:
// its Replacement, capitalised at the start of a sentence, and possessive
// when the span was. text must hold the span.
func replacementText(text string, f Finding) string {
	r := f.Replacement
	if r == "" {
		return ""
	}
	if startsSentence(text, f.Start) {
		r = strings.ToUpper(r[:1]) + r[1:]
	}
	span := text[f.Start:f.End]
	if strings.HasSuffix(span, "'s") || strings.HasSuffix(span, "’s") {
		r += "'s"
	}
	return r
}

// startsSentence reports whether text at i begins a sentence or a line.
func startsSentence(text string, i int) bool {
	before := strings.TrimRight(text[:i], " \t")
	return before == "" || strings.ContainsAny(before[len(before)-1:], ".!?\n")
}

// bareApostrophe returns the length of the apostrophe that makes a name
// ending in s possessive ("James' commit"), or 0.
func bareApostrophe(text string, f Finding) int {
	rest := text[f.End:]
	n := 0
	switch {
	case strings.HasPrefix(rest, "'"):
		n = 1
	case strings.HasPrefix(rest, "\u2019"):
		n = len("\u2019")
	}
	quoted := f.Start > 0 && (text[f.Start-1] == '\'' ||
		strings.HasSuffix(text[:f.Start], "\u2018")) // 'Thomas'
	if n == 0 || quoted || !strings.HasSuffix(text[f.Start:f.End], "s") {
		return 0
	}
	if r, _ := utf8.DecodeRuneInString(rest[n:]); unicode.IsLetter(r) {
		return 0 // a contraction or a quote, not a possessive
	}
	return n
}
