package lint

import (
	"regexp"
	"strings"
)

// A whole report says more about its capitalised words than one sentence
// does: a word the report also writes in lower case ("Candidate",
// "candidate"), puts after an article ("the Chia blockchain") or uses in a
// heading is a thing the report talks about, not a person. DocumentSystems
// collects such words, for the caller to pass as Roster.Systems when it
// checks the report's text.

var (
	reWord = regexp.MustCompile(`\p{L}[\p{L}\p{N}'’]*`)
	// reArticle is a capitalised word after an article or a possessive
	// determiner: "the Chia", "a Discord", "our Foliage".
	reArticle = regexp.MustCompile(`(?i:\b(?:the|a|an|our|their|its|this|that|these|those)\s+)` +
		`(\p{Lu}[\p{L}\p{N}]*)`)
	reHeadingLine = regexp.MustCompile(`(?m)^\s{0,3}#{1,6}\s+(.*)$`)
	// reTableHeader is a Markdown table's header row: the row above the
	// delimiter row of dashes.
	reTableHeader = regexp.MustCompile(`(?m)^[ \t]*(\|?.*\|.*)\n[ \t]*\|?[ \t]*:?-{3,}:?[ \t]*\|`)
)

// DocumentSystems returns the capitalised words of text that the text
// itself shows are not people's names: written in lower case elsewhere
// (as they are or in another form of the same word: "Pods" and "pod",
// "Deployed" and "deploy"), after an article, in a Markdown heading or in
// a table's header row. Roster names are not returned; the checker matches
// those first.
func DocumentSystems(text string) []string {
	lower := map[string]bool{}
	for _, w := range reWord.FindAllString(text, -1) {
		if w == strings.ToLower(w) {
			for _, f := range wordForms(w) {
				lower[f] = true
			}
		}
	}
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		if w != "" && !seen[w] && isCapitalised(w) {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, w := range reWord.FindAllString(text, -1) {
		// Given names that are also words (Will, Mark) are written in
		// lower case as words; that says nothing of the name.
		w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
		l := strings.ToLower(w)
		if w != l && !defaultRules.wordNames[w] && anyForm(lower, l) {
			add(w)
		}
	}
	for _, m := range reArticle.FindAllStringSubmatch(text, -1) {
		add(m[1])
	}
	for _, re := range []*regexp.Regexp{reHeadingLine, reTableHeader} {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			for _, w := range reWord.FindAllString(m[1], -1) {
				add(w)
			}
		}
	}
	return out
}

// wordForms returns a lower-case word and the stems it may be an
// inflection of: "pods" gives "pod", "deployed" gives "deploy", "caused"
// gives "cause" and "caus".
func wordForms(w string) []string {
	out := []string{w}
	for _, suf := range []string{"s", "es", "ed", "d", "ing", "ment", "ments"} {
		if stem, ok := strings.CutSuffix(w, suf); ok && len(stem) >= 3 {
			out = append(out, stem)
		}
	}
	return out
}

// anyForm reports whether a lower-case word, or a stem of it, is in set.
func anyForm(set map[string]bool, w string) bool {
	for _, f := range wordForms(w) {
		if set[f] {
			return true
		}
	}
	return false
}
