package markdown

import (
	"regexp"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/timestamp"
)

var (
	reOwner = regexp.MustCompile(
		`(?i)\b(?:owner|assignee|assigned to|owned by)\s*[:=-]?\s*([^,;)\n]+)`)
	reMention = regexp.MustCompile(`(?:^|[\s(])@([A-Za-z0-9][\w.-]*(?:/[\w.-]+)?)`)
	reDue     = regexp.MustCompile(`(?i)\b(?:due|deadline|by)\s*[:=]?\s*` +
		`(\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}|[A-Z][a-z]+ \d{1,2},? \d{4})`)
	reTracker   = regexp.MustCompile(`https?://[^\s)>\]]+(?:/issues/\d+|/pull/\d+|/browse/[A-Z]+-\d+)`)
	reDoneWords = regexp.MustCompile(`(?i)\((?:done|completed?|fixed|resolved)\)|✅|\bDONE\b`)
	reWIPWords  = regexp.MustCompile(`(?i)\((?:in progress|ongoing|wip)\)`)
	reCompleted = regexp.MustCompile(`(?i)\b(?:completed?|done|finished)\b`)
)

// readActions takes action items from tables, checkbox lists and plain
// lists. A heading such as "Immediate Actions (Completed)" marks its items
// done; prose under the heading is kept as a section.
func (r *reportReader) readActions(s *srcSection) {
	done := reCompleted.MatchString(s.heading)
	var notes []srcBlock
	for _, b := range s.blocks {
		switch b.kind {
		case blockList:
			r.actionList(b, done)
		case blockTable:
			if !r.actionTable(b) {
				notes = append(notes, b)
			}
		default:
			notes = append(notes, b)
		}
	}
	if text := s.markdownOf(notes); text != "" {
		r.keep(s.heading, text)
	}
}

func (r *reportReader) actionList(b srcBlock, done bool) {
	// Numbered actions with bullets under them at the margin ("1. **Fix**"
	// then "- detail") are written as one list; the bullets are details.
	numbered := len(b.items) > 0 && b.items[0].ordered
	for _, it := range b.items {
		detail := it.depth > 0 || numbered && !it.ordered
		if detail && len(r.pm.ActionItems) > 0 {
			last := &r.pm.ActionItems[len(r.pm.ActionItems)-1]
			last.Description = joinText(last.Description, cleanInline(it.text))
			continue
		}
		if strings.TrimSpace(it.text) == "" {
			continue // an empty template checkbox
		}
		a := r.newAction(it.text)
		switch {
		case it.checked == 2 || done && it.checked == 0:
			a.Status = debrief.ActionDone
		case it.checked == 1:
			a.Status = debrief.ActionOpen
		}
		r.pm.ActionItems = append(r.pm.ActionItems, a)
	}
}

// newAction reads owner, due date, status and ticket from an item's text.
func (r *reportReader) newAction(text string) debrief.ActionItem {
	a := debrief.ActionItem{
		Number:      len(r.pm.ActionItems) + 1,
		Description: cleanInline(text),
		Status:      debrief.ActionOpen,
	}
	if m := reOwner.FindStringSubmatch(text); m != nil {
		a.Owner = strings.TrimSpace(strings.TrimRight(cleanInline(m[1]), ". "))
	} else if m := reMention.FindStringSubmatch(text); m != nil {
		a.Owner = "@" + m[1]
	}
	a.OwnerIsTeam = ownerIsTeam(a.Owner)
	if m := reDue.FindStringSubmatch(text); m != nil {
		a.Due = dueDate(m[1])
	}
	switch {
	case reDoneWords.MatchString(text):
		a.Status = debrief.ActionDone
	case reWIPWords.MatchString(text):
		a.Status = debrief.ActionInProgress
	}
	a.TrackerURL = reTracker.FindString(text)
	return a
}

func ownerIsTeam(owner string) bool {
	o := strings.ToLower(owner)
	return strings.Contains(o, "team") || strings.Contains(o, "/") || strings.Contains(o, "squad")
}

// dueDate turns a written date into "2006-01-02", or "" when it is not one.
func dueDate(text string) string {
	t := timestamp.NewParser().Parse(text)
	if t.Year == 0 || t.Month == 0 || t.Day == 0 || t.Has(timestamp.FlagImpossible) {
		return ""
	}
	return strings.Join([]string{pad(t.Year, 4), pad(t.Month, 2), pad(t.Day, 2)}, "-")
}

func pad(n, width int) string {
	s := strings.Repeat("0", width) + itoa(n)
	return s[len(s)-width:]
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// actionColumns name the columns of an action table by header words.
var actionColumns = []struct {
	name string
	re   *regexp.Regexp
}{
	{"owner", regexp.MustCompile(`owner|assignee|who|responsible`)},
	{"due", regexp.MustCompile(`due|deadline|eta|date`)},
	{"status", regexp.MustCompile(`status|state|done`)},
	{"ticket", regexp.MustCompile(`ticket|issue|link|jira`)},
	{"description", regexp.MustCompile(`action|description|item|task|what|title|summary`)},
}

// actionTable reads a table whose columns are named by meaning: the action,
// its owner, due date, status and ticket.
func (r *reportReader) actionTable(b srcBlock) bool {
	cols := map[string]int{}
	for i, h := range b.header {
		h = strings.ToLower(cleanInline(h))
		for _, c := range actionColumns {
			if _, taken := cols[c.name]; !taken && c.re.MatchString(h) {
				cols[c.name] = i
				break
			}
		}
	}
	desc, ok := cols["description"]
	if !ok {
		if len(b.header) == 0 {
			return false
		}
		desc = 0
	}
	for _, row := range b.rows {
		a := r.tableAction(row, cols, desc)
		if a.Description != "" {
			r.pm.ActionItems = append(r.pm.ActionItems, a)
		}
	}
	return true
}

func (r *reportReader) tableAction(row tableRow, cols map[string]int, desc int) debrief.ActionItem {
	get := func(name string) string {
		i, ok := cols[name]
		if !ok {
			return ""
		}
		return cleanInline(cell(row, i))
	}
	a := r.newAction(cell(row, desc))
	if o := get("owner"); o != "" {
		a.Owner, a.OwnerIsTeam = o, ownerIsTeam(o)
	}
	if d := get("due"); d != "" {
		a.Due = dueDate(d)
	}
	a.Status = tableStatus(get("status"), a.Status)
	if i, ok := cols["ticket"]; ok && a.TrackerURL == "" {
		a.TrackerURL = reTracker.FindString(cell(row, i))
	}
	return a
}

// tableStatus maps a status cell to the lifecycle.
func tableStatus(s string, fallback debrief.ActionStatus) debrief.ActionStatus {
	s = strings.ToLower(strings.TrimSpace(s))
	switch {
	case s == "":
		return fallback
	case containsAny(s, "verified"):
		return debrief.ActionVerified
	case containsAny(s, "done", "complete", "closed", "fixed", "resolved", "✅", "yes", "[x]"):
		return debrief.ActionDone
	case containsAny(s, "progress", "ongoing", "started", "wip"):
		return debrief.ActionInProgress
	case containsAny(s, "blocked"):
		return debrief.ActionBlocked
	}
	return debrief.ActionOpen
}
