package web

import (
	"html"
	"regexp"
	"strings"
)

// Markdown syntax that plainText removes. The patterns are deliberately
// forgiving: search snippets are cut out of the middle of a field, so a
// link or a code span may have lost its start or its end.
var (
	// Block syntax at the start of a line: quotes, list markers with an
	// optional task box, headings, and table pipes.
	lineStart = regexp.MustCompile(
		`^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?|#{1,6}(?:[ \t]+|$))?`)
	// Lines that are only syntax: code fences, rules and table delimiters.
	syntaxLine = regexp.MustCompile(`^[ \t>]*(?:` + "```" + `.*|~~~.*|[-*_ \t]{3,}|` +
		`[|:\- \t]*-[|:\- \t]*)$`)
	// [text](target), ![alt](target) and [text][ref] keep their text; the
	// end of a link cut before its text, "](target)", goes entirely.
	link      = regexp.MustCompile(`!?\[([^\]\n]*)\](?:\([^)\n]*\)|\[[^\]\n]*\])`)
	linkTail  = regexp.MustCompile(`\]\([^)\s]*\)`)
	autolink  = regexp.MustCompile(`<((?:https?|mailto):[^>\s]*)>`)
	lineBreak = regexp.MustCompile(`(?i)<br\s*/?>`)
	htmlTag   = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9-]*(?:\s[^<>]*)?/?>`)
	// Emphasis: runs of * or _ touching a word on one side only, so
	// snake_case names and "2 * 3" survive; ~~strike~~ and `code` marks.
	emphasis = regexp.MustCompile(`(^|[^\p{L}\p{N}*_])[*_]+([^\s*_])|` +
		`([^\s*_])[*_]+($|[^\p{L}\p{N}*_])`)
	strike      = regexp.MustCompile(`~~+`)
	backticks   = regexp.MustCompile("`+")
	escapedChar = regexp.MustCompile(`\\[!-/:-@\[-` + "`" + `{-~]`)
	protected   = regexp.MustCompile(`[\x{E000}-\x{E07F}]`)
)

// protectedBase moves a backslash-escaped character into the private use
// area while the syntax around it is removed, and back afterwards.
const protectedBase = 0xE000

// plainText removes Markdown syntax from s, leaving the words a reader would
// see, on one line. It is for short excerpts (list summaries and search
// snippets), which must read as text, not for whole fields. The store's
// highlight markers are control characters and pass through untouched.
func plainText(s string) string {
	s = escapedChar.ReplaceAllStringFunc(s, func(m string) string {
		return string(rune(protectedBase + int(m[1])))
	})

	lines := strings.Split(s, "\n")
	kept := lines[:0]
	for _, line := range lines {
		if syntaxLine.MatchString(line) {
			continue
		}
		line = lineStart.ReplaceAllString(line, "")
		line = strings.ReplaceAll(line, "|", " ")
		kept = append(kept, line)
	}
	s = strings.Join(kept, " ")

	s = autolink.ReplaceAllString(s, "$1")
	s = lineBreak.ReplaceAllString(s, " ")
	s = htmlTag.ReplaceAllString(s, "")
	s = link.ReplaceAllString(s, "$1")
	s = linkTail.ReplaceAllString(s, "")
	// Twice: a run between two words ("**a**b") is matched from one side
	// at a time.
	for range 2 {
		s = emphasis.ReplaceAllString(s, "$1$2$3$4")
	}
	s = strike.ReplaceAllString(s, "")
	s = backticks.ReplaceAllString(s, "")
	s = protected.ReplaceAllStringFunc(s, func(m string) string {
		r := []rune(m)[0]
		return string(rune(r - protectedBase))
	})
	s = html.UnescapeString(s)
	return strings.Join(strings.Fields(s), " ")
}

// maxSummarySource bounds how much of a field a list summary strips: the
// summary shows a few hundred characters, and a list page has many rows.
const maxSummarySource = 8 << 10

// summaryText is the start of a Markdown field as plain text, cut to at most
// n characters at a word boundary.
func summaryText(n int, s string) string {
	if len(s) > maxSummarySource {
		s = strings.ToValidUTF8(s[:maxSummarySource], "")
	}
	return shorten(n, plainText(s))
}
