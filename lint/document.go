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
)

// DocumentSystems returns the capitalised words of text that the text
// itself shows are not people's names: written in lower case elsewhere,
// after an article, or in a Markdown heading. Roster names are not
// returned; the checker matches those first.
func DocumentSystems(text string) []string {
	lower := map[string]bool{}
	for _, w := range reWord.FindAllString(text, -1) {
		if w == strings.ToLower(w) {
			lower[w] = true
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
		l := strings.ToLower(w)
		if w != l && lower[l] && !defaultRules.wordNames[w] {
			add(w)
		}
	}
	for _, m := range reArticle.FindAllStringSubmatch(text, -1) {
		add(m[1])
	}
	for _, m := range reHeadingLine.FindAllStringSubmatch(text, -1) {
		for _, w := range reWord.FindAllString(m[1], -1) {
			add(w)
		}
	}
	return out
}
