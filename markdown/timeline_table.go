package markdown

import (
	"strings"

	"github.com/debrief-oss/debrief/timestamp"
)

// tableColumns finds the time, date and event columns by header meaning.
func tableColumns(header []string) (timeCol, dateCol, eventCol int) {
	timeCol, dateCol, eventCol = -1, -1, -1
	for i, h := range header {
		h = strings.ToLower(cleanInline(h))
		switch {
		case timeCol < 0 && (strings.Contains(h, "time") || strings.Contains(h, "when")):
			timeCol = i
		case dateCol < 0 && strings.Contains(h, "date"):
			dateCol = i
		case eventCol < 0 && containsAny(h, "event", "description", "what", "action",
			"detail", "happen", "update", "activit", "note"):
			eventCol = i
		}
	}
	if timeCol < 0 && dateCol >= 0 {
		timeCol, dateCol = dateCol, -1
	}
	if eventCol < 0 && len(header) > 1 {
		for i := len(header) - 1; i >= 0; i-- {
			if i != timeCol && i != dateCol {
				eventCol = i
				break
			}
		}
	}
	return timeCol, dateCol, eventCol
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// table reads a timeline table: a time column, an event column and perhaps
// a date column; the header may name the zone ("Date and Time in CET") and
// the year ("Date (2022)").
func (tr *timelineReader) table(b srcBlock) bool {
	timeCol, dateCol, eventCol := tableColumns(b.header)
	if timeCol < 0 && len(b.rows) > 0 && len(b.rows[0].cells) > 1 {
		if _, _, ok := tr.r.ts.ParsePrefix(b.rows[0].cells[0]); ok {
			timeCol, eventCol = 0, len(b.header)-1
		}
	}
	if timeCol < 0 || eventCol < 0 {
		return false
	}
	for _, h := range b.header {
		if zone, ok := timestamp.FindZone(h); ok {
			tr.r.ts.SetZone(zone)
		}
		if y, ok := timestamp.FindYear(h); ok {
			tr.r.ts.SetYear(y)
		}
	}
	for _, row := range b.rows {
		when := strings.TrimSpace(cell(row, dateCol) + " " + cell(row, timeCol))
		text := cleanInline(cell(row, eventCol))
		if when == "" {
			if !tr.appendToLast(text) && text != "" {
				tr.notes = append(tr.notes, text)
			}
			continue
		}
		tr.event(tr.r.ts.Entry(cleanInline(when)), text, row.line)
	}
	return true
}

func cell(row tableRow, i int) string {
	if i < 0 || i >= len(row.cells) {
		return ""
	}
	return row.cells[i]
}
