package sqlstore

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// plainText strips the common inline Markdown syntax from report text
// before it is indexed, so that snippets read as prose: emphasis and
// strike-through markers, inline code backticks, link and image syntax
// (keeping the link text), HTML tags, heading and quote marks at the start
// of a line, table pipes and table separator rows. An autolink keeps its
// address; a backslash escape keeps the character. It works line by line,
// so stripping joined text gives the joined stripped lines.
func plainText(s string) string {
	if !strings.ContainsAny(s, "*_~`[]<>#|\\") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i, line := range strings.Split(s, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		if isTableSeparator(line) {
			continue
		}
		writePlain(&b, lineContent(line))
	}
	return b.String()
}

// lineContent drops the heading hashes and quote marks that start a line.
func lineContent(line string) string {
	rest := strings.TrimLeft(line, " \t")
	for strings.HasPrefix(rest, ">") {
		rest = strings.TrimLeft(rest[1:], " \t")
	}
	if h := strings.TrimLeft(rest, "#"); len(rest)-len(h) <= 6 && h != rest &&
		(h == "" || h[0] == ' ' || h[0] == '\t') {
		rest = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(h), "#"))
	}
	if rest == line {
		return line
	}
	return rest
}

// isTableSeparator reports whether line is the row of dashes under a
// table's header: pipes, dashes, colons and spaces, at least one of each of
// the first two.
func isTableSeparator(line string) bool {
	return strings.Contains(line, "|") && strings.Contains(line, "-") &&
		strings.Trim(line, "|-: \t") == ""
}

// writePlain writes the inline text s to b without its Markdown syntax.
func writePlain(b *strings.Builder, s string) {
	for i := 0; i < len(s); {
		c := s[i]
		switch c {
		case '\\':
			if i+1 < len(s) && strings.IndexByte("\\`*_{}[]()#+-.!|<>~", s[i+1]) >= 0 {
				b.WriteByte(s[i+1])
				i += 2
				continue
			}
		case '*', '~', '`':
			i++
			continue
		case '_':
			// Underscores inside a word (max_connections) are kept.
			if !wordRuneBefore(s, i) || !wordRuneAfter(s, i+1) {
				i++
				continue
			}
		case '|':
			b.WriteByte(' ')
			i++
			continue
		case '!':
			if strings.HasPrefix(s[i+1:], "[") {
				i++
				continue
			}
		case '[':
			if text, n := link(s[i:]); n > 0 {
				writePlain(b, text)
				i += n
				continue
			}
		case '<':
			if inner, n := tag(s[i:]); n > 0 {
				if strings.Contains(inner, "://") || strings.HasPrefix(inner, "mailto:") {
					b.WriteString(inner) // an autolink
				}
				i += n
				continue
			}
		}
		b.WriteByte(c)
		i++
	}
}

// link parses a link at the start of s, [text](url) or [text][ref], and
// returns its text and length, or a zero length when there is none.
func link(s string) (text string, n int) {
	end := closing(s, '[', ']')
	if end < 0 || end+1 >= len(s) {
		return "", 0
	}
	var stop int
	switch s[end+1] {
	case '(':
		stop = closing(s[end+1:], '(', ')')
	case '[':
		stop = closing(s[end+1:], '[', ']')
	default:
		return "", 0
	}
	if stop < 0 {
		return "", 0
	}
	return s[1:end], end + 1 + stop + 1
}

// closing returns the index of the bracket that closes the one s starts
// with, counting nested pairs, or -1.
func closing(s string, open, close byte) int {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return i
			}
		}
	}
	return -1
}

// tag parses an HTML tag or autolink at the start of s, returning what is
// between the angle brackets and the length, or a zero length when s does
// not start with one: < must be followed by a letter, / or !.
func tag(s string) (inner string, n int) {
	if len(s) < 3 {
		return "", 0
	}
	if r := s[1]; !(r == '/' || r == '!' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
		return "", 0
	}
	end := strings.IndexByte(s, '>')
	if end < 0 || strings.IndexByte(s[1:end], '<') >= 0 {
		return "", 0
	}
	return s[1:end], end + 1
}

func wordRuneBefore(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return i > 0 && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

func wordRuneAfter(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return i < len(s) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}
