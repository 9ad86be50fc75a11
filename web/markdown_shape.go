package web

import "strings"

// Limits on the Markdown a field may have before it is shown as written
// instead of formatted. goldmark's cost is not linear in its input: each
// nesting level is re-checked on every following line, a paragraph's open
// brackets are each re-scanned to the paragraph's end, and a table row is
// padded to the header's width. A report of a few megabytes could keep a
// request busy for seconds and yield tens of megabytes of HTML. Real reports
// stay far below every one of these limits.
const (
	// maxMarkdownBytes bounds one field; a longer one is most likely a
	// pasted log, which reads better as written anyway.
	maxMarkdownBytes = 64 << 10
	// maxMarkdownDepth bounds list and block-quote nesting.
	maxMarkdownDepth = 32
	// maxBracketWork bounds the sum, over paragraphs, of open brackets times
	// paragraph length: about a nanosecond of parsing each.
	maxBracketWork = 32 << 20
	// maxTableCells bounds the cells of all tables, counting the empty ones
	// a short row is padded with.
	maxTableCells = 50_000
	// maxPageMarkdownBytes bounds how much Markdown one page formats, so a
	// report with many fields just under the limits stays cheap too.
	maxPageMarkdownBytes = 512 << 10
)

// markdownShape is what a cheap, linear pass over a field's source can tell
// about how costly it is to format. Every measure errs on the high side.
type markdownShape struct {
	depth       int // deepest nesting of list items and block quotes
	bracketWork int // open brackets times the length of their paragraph
	tableCells  int // table columns times the lines that could be rows
}

// tooComplex says why src should not be formatted, or "" when it may be.
func tooComplex(src string) string {
	if len(src) > maxMarkdownBytes {
		return "it is too long to format"
	}
	shape := measureMarkdown(src)
	switch {
	case shape.depth > maxMarkdownDepth:
		return "it is nested too deeply to format"
	case shape.bracketWork > maxBracketWork, shape.tableCells > maxTableCells:
		return "it is too complex to format"
	}
	return ""
}

func measureMarkdown(src string) markdownShape {
	var (
		shape     markdownShape
		paraLen   int // bytes of the paragraph so far
		brackets  int // '[' in the paragraph so far
		tableCols int // columns of the table the paragraph holds, if any
	)
	endParagraph := func() {
		shape.bracketWork += brackets * paraLen
		paraLen, brackets, tableCols = 0, 0, 0
	}

	for line := range strings.Lines(src) {
		if strings.TrimSpace(line) == "" {
			endParagraph()
			continue
		}
		paraLen += len(line)
		brackets += strings.Count(line, "[")
		shape.depth = max(shape.depth, lineDepth(line))

		if tableCols > 0 {
			shape.tableCells += tableCols
		} else if isTableDelimiter(line) {
			// The header above the delimiter has as many cells.
			tableCols = strings.Count(line, "|") + 1
			shape.tableCells += 2 * tableCols
		}
	}
	endParagraph()
	return shape
}

// lineDepth estimates how many containers a line opens or continues: one
// for each list marker or '>' at its start, and, when it has a marker, one
// for every two columns of indentation, the least a nested list item needs.
// Indentation alone nests nothing, so deeply indented code does not count.
func lineDepth(line string) int {
	markers, cols := 0, 0
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ':
			cols++
			i++
		case c == '\t':
			cols += 4 - cols%4
			i++
		case c == '>':
			markers++
			i++
		case c == '-' || c == '*' || c == '+':
			if !markerEnds(line, i+1) {
				return depthOf(markers, cols)
			}
			markers++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 9 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j == len(line) || (line[j] != '.' && line[j] != ')') || !markerEnds(line, j+1) {
				return depthOf(markers, cols)
			}
			markers++
			i = j + 1
		default:
			return depthOf(markers, cols)
		}
	}
	return depthOf(markers, cols)
}

func depthOf(markers, cols int) int {
	if markers == 0 {
		return 0
	}
	return markers + cols/2
}

// markerEnds reports whether a list marker ending before line[i] is one:
// it must be followed by white space or the end of the line.
func markerEnds(line string, i int) bool {
	return i >= len(line) || line[i] == ' ' || line[i] == '\t' || line[i] == '\n' ||
		line[i] == '\r'
}

// isTableDelimiter reports whether line could be a table's delimiter row,
// "| --- | :-: |", seen through any block-quote markers before it.
func isTableDelimiter(line string) bool {
	line = strings.TrimLeft(line, " \t>")
	if !strings.Contains(line, "-") {
		return false
	}
	for _, c := range strings.TrimRight(line, " \t\r\n") {
		if !strings.ContainsRune("|:- \t", c) {
			return false
		}
	}
	return true
}
