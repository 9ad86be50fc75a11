package markdown

import "strings"

// Inline text — a table cell, a heading, a list item — must stay on one line
// and must not break the structure around it. The writer escapes it with
// Markdown's own backslash escapes and HTML where one exists, so a rendered
// report shows the original text:
//
//	\            → \\
//	|            → \|
//	*            → \*       (why items only, whose layout uses * around parts)
//	line feed    → <br>
//	CR           → &#13;
//	space or tab at either end → &#32; or &#9;  (editors strip them, cells trim them)
//	# at the end → \#       (Markdown would drop it from a heading)
//	< starting <br>, <br/> or <br /> (any case) → \<
//	& starting &#32; &#9; or &#13;               → \&
//
// The reader undoes exactly these: a backslash before ASCII punctuation
// yields that character, <br> in any of its spellings a line feed, the three
// entities their characters; unescaped spaces and tabs at either end are
// layout and are dropped. Everything else, HTML and Markdown included, is
// kept verbatim.

// escapeNative escapes s for a one-line context; stars also escapes '*'.
func escapeNative(s string, stars bool) string {
	lead := len(s) - len(strings.TrimLeft(s, " \t"))
	trail := len(s) - len(strings.TrimRight(s, " \t"))
	if lead == len(s) {
		trail = 0
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		edge := i < lead || i >= len(s)-trail
		switch {
		case edge && c == ' ':
			b.WriteString("&#32;")
		case edge && c == '\t':
			b.WriteString("&#9;")
		case c == '\\' || c == '|' || (c == '*' && stars) || (c == '#' && i == len(s)-1):
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString("<br>")
		case c == '\r':
			b.WriteString("&#13;")
		case c == '<' && nativeBreakLen(s[i:]) > 0, c == '&' && nativeEntityLen(s[i:]) > 0:
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// unescapeNative decodes what escapeNative wrote, after dropping the
// unescaped spaces and tabs around it.
func unescapeNative(s string) string {
	s = strings.Trim(s, " \t")
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		if c == '\\' && i+1 < len(s) && isNativePunct(s[i+1]) {
			b.WriteByte(s[i+1])
			i += 2
			continue
		}
		if n := nativeBreakLen(s[i:]); n > 0 {
			b.WriteByte('\n')
			i += n
			continue
		}
		if n := nativeEntityLen(s[i:]); n > 0 {
			b.WriteByte(nativeEntities[s[i:i+n]])
			i += n
			continue
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

var nativeBreaks = []string{"<br>", "<br/>", "<br />"}

// nativeBreakLen returns the length of the line break tag s starts with, or 0.
func nativeBreakLen(s string) int {
	for _, br := range nativeBreaks {
		if len(s) >= len(br) && strings.EqualFold(s[:len(br)], br) {
			return len(br)
		}
	}
	return 0
}

var nativeEntities = map[string]byte{"&#32;": ' ', "&#9;": '\t', "&#13;": '\r'}

// nativeEntityLen returns the length of the escaping entity s starts with, or 0.
func nativeEntityLen(s string) int {
	for e := range nativeEntities {
		if strings.HasPrefix(s, e) {
			return len(e)
		}
	}
	return 0
}

func isNativePunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' ||
		c >= '{' && c <= '~'
}

// splitNativeRow splits a table row into its unescaped cells; ok is false when
// the line is not a table row. The pipes at either end are optional, as in
// GitHub's tables.
func splitNativeRow(line string) (cells []string, ok bool) {
	s := strings.Trim(line, " \t\r")
	start := 0
	if strings.HasPrefix(s, "|") {
		start = 1
	}
	var raw []string
	for i := start; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '|':
			raw = append(raw, s[start:i])
			start = i + 1
		}
	}
	if raw == nil {
		return nil, false
	}
	if start < len(s) {
		raw = append(raw, s[start:])
	}
	for _, r := range raw {
		cells = append(cells, unescapeNative(r))
	}
	return cells, true
}

// formatNativeRow writes cells as one table row.
func formatNativeRow(cells ...string) string {
	esc := make([]string, len(cells))
	for i, c := range cells {
		esc[i] = escapeNative(c, false)
	}
	return "| " + strings.Join(esc, " | ") + " |"
}

// isNativeDelimiter reports whether cells are a table's delimiter row.
func isNativeDelimiter(cells []string) bool {
	for _, c := range cells {
		c = strings.TrimSuffix(strings.TrimPrefix(c, ":"), ":")
		if c == "" || strings.Trim(c, "-") != "" {
			return false
		}
	}
	return len(cells) > 0
}

// Prose (summaries, narratives, notes, free sections) is Markdown in its own
// right and is written verbatim between two HTML comments, which renderers
// hide:
//
//	<!-- debrief:narrative -->
//
//	…the text, exactly…
//
//	<!-- /debrief:narrative -->
//
// One blank line after the opening and before the closing comment is layout.
// A line of the text that looks like a marker (after any leading
// backslashes) gets one more leading backslash, and the reader removes one,
// so no text can close its block early.

const (
	nativeOpenPrefix  = "<!-- debrief:"
	nativeClosePrefix = "<!-- /debrief:"
	nativeMarkerEnd   = " -->"
)

func nativeOpen(key string) string { return nativeOpenPrefix + key + nativeMarkerEnd }

func nativeClose(key string) string { return nativeClosePrefix + key + nativeMarkerEnd }

// parseNativeOpen returns the key of the block a line opens.
func parseNativeOpen(line string) (key string, ok bool) {
	s := strings.TrimRight(line, " \t\r")
	if !strings.HasPrefix(s, nativeOpenPrefix) || !strings.HasSuffix(s, nativeMarkerEnd) {
		return "", false
	}
	key = s[len(nativeOpenPrefix) : len(s)-len(nativeMarkerEnd)]
	return key, key != "" && !strings.ContainsAny(key, " \t")
}

func isNativeClose(line, key string) bool {
	return strings.TrimRight(line, " \t\r") == nativeClose(key)
}

func looksLikeNativeMarker(line string) bool {
	s := strings.TrimLeft(line, "\\")
	return strings.HasPrefix(s, nativeOpenPrefix) || strings.HasPrefix(s, nativeClosePrefix)
}

// escapeProse returns the lines of a block holding text.
func escapeProse(text string) []string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if looksLikeNativeMarker(l) {
			lines[i] = `\` + l
		}
	}
	return lines
}

// unescapeProse returns the text held by the lines between two markers.
func unescapeProse(lines []string) string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if strings.HasPrefix(l, `\`) && looksLikeNativeMarker(l) {
			l = l[1:]
		}
		out[i] = l
	}
	text := strings.Join(out, "\n")
	text = strings.TrimPrefix(text, "\n")
	return strings.TrimSuffix(text, "\n")
}
