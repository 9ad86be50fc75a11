package markdown

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Markdown syntax that PlainText removes. The patterns are deliberately
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
	// ~~strike~~ and `code` marks.
	strike      = regexp.MustCompile(`~~+`)
	escapedChar = regexp.MustCompile(`\\[!-/:-@\[-` + "`" + `{-~]`)
	protected   = regexp.MustCompile(`[\x{E000}-\x{E07F}]`)
)

// protectedBase moves a backslash-escaped character into the private use
// area while the syntax around it is removed, and back afterwards.
const protectedBase = 0xE000

// PlainText removes Markdown syntax from s, leaving the words a reader would
// see, on one line: for list summaries, search snippets and the text a
// search index holds. It forgives syntax cut off at either end, as in a
// snippet, and passes the store's highlight markers (control characters)
// through untouched.
func PlainText(s string) string {
	// Each step runs only when its syntax can be present: indexing runs
	// this over every report an import writes.
	escaped := strings.Contains(s, `\`)
	if escaped {
		s = escapedChar.ReplaceAllStringFunc(s, func(m string) string {
			return string(rune(protectedBase + int(m[1])))
		})
	}
	s = plainLines(s)
	if strings.Contains(s, "<") {
		s = autolink.ReplaceAllString(s, "$1")
		s = lineBreak.ReplaceAllString(s, " ")
		s = htmlTag.ReplaceAllString(s, "")
	}
	if strings.Contains(s, "]") {
		s = link.ReplaceAllString(s, "$1")
		s = linkTail.ReplaceAllString(s, "")
	}
	s = stripEmphasis(s)
	if strings.Contains(s, "~~") {
		s = strike.ReplaceAllString(s, "")
	}
	s = strings.ReplaceAll(s, "`", "")
	if escaped {
		s = protected.ReplaceAllStringFunc(s, func(m string) string {
			r := []rune(m)[0]
			return string(rune(r - protectedBase))
		})
	}
	if strings.Contains(s, "&") {
		s = html.UnescapeString(s)
	}
	return strings.Join(strings.Fields(s), " ")
}

// plainLines drops the lines that are only syntax and the block syntax that
// starts the others, and joins them with spaces.
func plainLines(s string) string {
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
	return strings.Join(kept, " ")
}

// stripEmphasis drops the runs of * and _ that open or close emphasis: a run
// that has no letter or digit on one side and text on the other. So
// snake_case names and "2 * 3" survive. It is a loop, not a pattern,
// because search indexing runs it over every report and a Unicode-class
// regular expression was most of an import's time.
func stripEmphasis(s string) string {
	if !strings.ContainsAny(s, "*_") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != '*' && s[i] != '_' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && (s[j] == '*' || s[j] == '_') {
			j++
		}
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		next, _ := utf8.DecodeRuneInString(s[j:])
		opens := !isWordRune(prev) && j < len(s) && !unicode.IsSpace(next)
		closes := i > 0 && !unicode.IsSpace(prev) && !isWordRune(next)
		if !opens && !closes {
			b.WriteString(s[i:j])
		}
		i = j
	}
	return b.String()
}

// isWordRune reports whether r is a letter or a digit; utf8.RuneError,
// which stands for "no rune" at either end of the text, is not.
func isWordRune(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsNumber(r))
}
