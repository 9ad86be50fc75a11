package markdown

import "strings"

// tableStart reports whether a GFM table starts at line i: a row with a pipe
// followed by a delimiter row.
func (s *blockScanner) tableStart(i int) bool {
	if i+1 >= len(s.lines) || !strings.Contains(s.lines[i], "|") {
		return false
	}
	d := s.lines[i+1]
	return strings.Contains(d, "-") && reDelimRow.MatchString(d) &&
		(strings.Contains(d, "|") || strings.Contains(s.lines[i], "|"))
}

func (s *blockScanner) table() {
	b := srcBlock{kind: blockTable, header: tableCells(s.lines[s.i])}
	end := s.i + 2
	for end < len(s.lines) {
		l := s.lines[end]
		if strings.TrimSpace(l) == "" || !strings.Contains(l, "|") {
			break
		}
		b.rows = append(b.rows, tableRow{line: s.first + end, cells: tableCells(l)})
		end++
	}
	s.emit(b, s.i, end)
}

// tableCells splits a table row on pipes that are neither escaped nor
// inside a code span.
func tableCells(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	if strings.HasSuffix(line, "|") && !strings.HasSuffix(line, `\|`) {
		line = line[:len(line)-1]
	}
	var cells []string
	var cell strings.Builder
	inCode := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '\\' && i+1 < len(line) && line[i+1] == '|':
			cell.WriteByte('|')
			i++
		case c == '`':
			inCode = !inCode
			cell.WriteByte(c)
		case c == '|' && !inCode:
			cells = append(cells, strings.TrimSpace(cell.String()))
			cell.Reset()
		default:
			cell.WriteByte(c)
		}
	}
	return append(cells, strings.TrimSpace(cell.String()))
}

// list reads a list: items, their continuation lines, nested items, and
// blank lines between items.
func (s *blockScanner) list() {
	b := srcBlock{kind: blockList}
	base := len(reListMarker.FindStringSubmatch(s.lines[s.i])[1])
	end := s.i
	for end < len(s.lines) {
		l := s.lines[end]
		if m := reListMarker.FindStringSubmatch(l); m != nil && !reRule.MatchString(l) {
			b.items = append(b.items, newListItem(l, m, base, s.first+end))
			end++
			continue
		}
		if strings.TrimSpace(l) == "" {
			if !s.listContinues(end, base) {
				break
			}
			end++
			continue
		}
		if len(b.items) == 0 || (!indented(l) && interrupts(l)) || s.tableStart(end) {
			break
		}
		if !indented(l) && end > 0 && strings.TrimSpace(s.lines[end-1]) == "" {
			break // a paragraph after a blank line ends the list
		}
		last := &b.items[len(b.items)-1]
		last.text = joinText(last.text, strings.TrimSpace(l))
		end++
	}
	for end > s.i+1 && strings.TrimSpace(s.lines[end-1]) == "" {
		end--
	}
	s.emit(b, s.i, end)
}

// listContinues looks past blank lines: the list goes on when the next text
// is another item or indented under one.
func (s *blockScanner) listContinues(i, base int) bool {
	for i < len(s.lines) && strings.TrimSpace(s.lines[i]) == "" {
		i++
	}
	if i >= len(s.lines) {
		return false
	}
	l := s.lines[i]
	if m := reListMarker.FindStringSubmatch(l); m != nil && !reRule.MatchString(l) {
		return len(m[1]) >= base
	}
	return indented(l) && !reFence.MatchString(strings.TrimLeft(l, " \t"))
}

func indented(l string) bool {
	return strings.HasPrefix(l, "  ") || strings.HasPrefix(l, "\t")
}

func newListItem(line string, m []string, base, fileLine int) listItem {
	it := listItem{line: fileLine, ordered: m[2][0] >= '0' && m[2][0] <= '9'}
	if len(m[1]) > base+1 {
		it.depth = 1
	}
	text := strings.TrimSpace(line[len(m[0]):])
	if c := reCheckbox.FindStringSubmatch(text); c != nil {
		it.checked = 1
		if c[1] != " " {
			it.checked = 2
		}
		text = strings.TrimSpace(text[len(c[0]):])
	} else if text == "[ ]" || text == "[x]" || text == "[X]" {
		it.checked = 1
		if text != "[ ]" {
			it.checked = 2
		}
		text = ""
	}
	it.text = text
	return it
}

func joinText(a, b string) string {
	if a == "" {
		return b
	}
	if b == "" {
		return a
	}
	return a + " " + b
}
