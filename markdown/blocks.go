package markdown

import (
	"regexp"
	"strings"
)

// The reader works on a line scanner of its own rather than goldmark's AST:
// every entry it takes needs the line it came from, and free sections must
// keep the author's Markdown verbatim. goldmark gives source segments only for
// leaf blocks (not list items, table rows or fences as written) and its AST
// is built for rendering, so mapping back would cost more code than the
// scanner below, which only needs the block shapes reports actually use.

// blockKind is the shape of a top-level Markdown block.
type blockKind int

const (
	blockParagraph blockKind = iota
	blockHeading
	blockList
	blockTable
	blockCode
	blockHTML
	blockQuote
	blockRule
)

// srcBlock is one block of the body with the file line it starts on.
type srcBlock struct {
	kind  blockKind
	line  int
	lines []string
	// heading
	level   int
	heading string
	// list
	items []listItem
	// table
	header []string
	rows   []tableRow
}

// listItem is one item of a list; nested items have depth > 0.
type listItem struct {
	line    int
	depth   int
	text    string
	checked int // 0: no checkbox, 1: "[ ]", 2: "[x]"
	ordered bool
}

// tableRow is one body row of a table.
type tableRow struct {
	line  int
	cells []string
}

var (
	reATX        = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$`)
	reFence      = regexp.MustCompile("^ {0,3}(`{3,}|~{3,})")
	reSetext1    = regexp.MustCompile(`^ {0,3}=+[ \t]*$`)
	reSetext2    = regexp.MustCompile(`^ {0,3}-+[ \t]*$`)
	reRule       = regexp.MustCompile(`^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$`)
	reListMarker = regexp.MustCompile(`^([ \t]*)([-*+]|\d{1,3}[.)])(?:[ \t]+|$)`)
	reHTMLStart  = regexp.MustCompile(`^ {0,3}<(?:!--|/?[A-Za-z][A-Za-z0-9-]*(?:[ \t/>]|$))`)
	reDelimRow   = regexp.MustCompile(
		`^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$`)
	reCheckbox = regexp.MustCompile(`^\[([ xX])\][ \t]+`)
)

// scanBlocks splits body into blocks; firstLine is the file line of body[0].
func scanBlocks(body string, firstLine int) []srcBlock {
	lines := strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n")
	s := &blockScanner{lines: lines, first: firstLine}
	for s.i < len(lines) {
		s.next()
	}
	return s.blocks
}

type blockScanner struct {
	lines  []string
	first  int
	i      int
	blocks []srcBlock
}

func (s *blockScanner) emit(b srcBlock, from, to int) {
	b.line = s.first + from
	b.lines = s.lines[from:to]
	s.blocks = append(s.blocks, b)
	s.i = to
}

// next reads the block starting at the current line.
func (s *blockScanner) next() {
	line := s.lines[s.i]
	switch {
	case strings.TrimSpace(line) == "":
		s.i++
	case reFence.MatchString(line):
		s.fence()
	case reATX.MatchString(line):
		m := reATX.FindStringSubmatch(line)
		s.emit(srcBlock{kind: blockHeading, level: len(m[1]), heading: m[2]}, s.i, s.i+1)
	case reHTMLStart.MatchString(line):
		s.untilBlank(blockHTML)
	case s.tableStart(s.i):
		s.table()
	case reRule.MatchString(line):
		s.emit(srcBlock{kind: blockRule}, s.i, s.i+1)
	case reListMarker.MatchString(line):
		s.list()
	case strings.HasPrefix(strings.TrimLeft(line, " "), ">"):
		s.untilBlank(blockQuote)
	case strings.HasPrefix(line, "    ") || strings.HasPrefix(line, "\t"):
		s.indentedCode()
	default:
		s.paragraph()
	}
}

func (s *blockScanner) fence() {
	open := reFence.FindStringSubmatch(s.lines[s.i])[1]
	end := s.i + 1
	for end < len(s.lines) {
		t := strings.TrimSpace(s.lines[end])
		end++
		if strings.HasPrefix(t, open) && strings.Trim(t, open[:1]) == "" {
			break
		}
	}
	s.emit(srcBlock{kind: blockCode}, s.i, end)
}

func (s *blockScanner) untilBlank(kind blockKind) {
	end := s.i + 1
	for end < len(s.lines) && strings.TrimSpace(s.lines[end]) != "" {
		end++
	}
	s.emit(srcBlock{kind: kind}, s.i, end)
}

func (s *blockScanner) indentedCode() {
	end := s.i + 1
	for end < len(s.lines) {
		l := s.lines[end]
		if strings.TrimSpace(l) != "" && !strings.HasPrefix(l, "    ") && !strings.HasPrefix(l, "\t") {
			break
		}
		end++
	}
	for end > s.i+1 && strings.TrimSpace(s.lines[end-1]) == "" {
		end--
	}
	s.emit(srcBlock{kind: blockCode}, s.i, end)
}

// interrupts reports whether line starts a new block inside a paragraph.
func interrupts(line string) bool {
	return reATX.MatchString(line) || reFence.MatchString(line) ||
		reHTMLStart.MatchString(line) || reRule.MatchString(line) ||
		reListMarker.MatchString(line) || strings.HasPrefix(strings.TrimLeft(line, " "), ">")
}

// paragraph reads text lines up to a blank line; an underline of "=" or "-"
// makes it a setext heading.
func (s *blockScanner) paragraph() {
	end := s.i + 1
	for end < len(s.lines) {
		l := s.lines[end]
		if reSetext1.MatchString(l) || reSetext2.MatchString(l) {
			level := 1
			if reSetext2.MatchString(l) {
				level = 2
			}
			text := strings.TrimSpace(strings.Join(s.lines[s.i:end], " "))
			s.emit(srcBlock{kind: blockHeading, level: level, heading: text}, s.i, end+1)
			return
		}
		if strings.TrimSpace(l) == "" || interrupts(l) || s.tableStart(end) {
			break
		}
		end++
	}
	s.emit(srcBlock{kind: blockParagraph}, s.i, end)
}
