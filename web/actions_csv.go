package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// actionCSVHeader names the export's columns, in order.
var actionCSVHeader = []string{"report id", "number", "report title", "description",
	"owner", "team", "due", "days overdue", "status", "quadrant", "impact", "effort",
	"purpose", "category", "services", "ticket", "updated at", "link"}

// handleActionsCSV exports the items a list would show, with the same
// filters (mine=1 for one's own, postmortem=ID for one report's), every
// row, in the list's order.
func (s *Server) handleActionsCSV(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	q := r.URL.Query()
	f, err := parseActionFilters(q)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	wq := f.query()
	wq.PostmortemID = strings.TrimSpace(q.Get("postmortem"))
	list, err := s.flow.Actions(r.Context(), a, wq)
	if err != nil {
		s.serveError(w, r, err)
		return
	}

	var buf bytes.Buffer
	if err := writeActionsCSV(&buf, list, s.flow.Teams(), s.baseURL(r)); err != nil {
		s.serveError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="action-items-`+list.Today+`.csv"`)
	h.Set("Cache-Control", "private, no-store")
	_, _ = w.Write(buf.Bytes())
}

// writeActionsCSV writes the list as CSV, a header line first. Every cell
// is defused for spreadsheets (see spreadsheetSafe).
func writeActionsCSV(
	buf *bytes.Buffer,
	list *workflow.ActionList,
	teams []debrief.Team,
	base string,
) error {
	cw := csv.NewWriter(buf)
	if err := cw.Write(actionCSVHeader); err != nil {
		return err
	}
	for _, row := range list.Rows {
		it := &row.Item
		team := ""
		if t := debrief.TeamOf(teams, it); t != nil {
			team = t.Name
		}
		ticket := it.TrackerURL
		if it.Ticket != nil {
			ticket = orDefault(it.Ticket.URL, it.Ticket.Key)
		}
		updated := ""
		if !row.Since.IsZero() {
			updated = formatISO(row.Since)
		}
		status := it.Status
		if status == "" {
			status = debrief.ActionOpen
		}
		cells := []string{row.Ref.PostmortemID, strconv.Itoa(row.Ref.Number), row.Title,
			it.Description, it.Owner, team, it.Due,
			strconv.Itoa(it.DaysOverdue(list.Today)), string(status),
			it.Quadrant(), string(it.Impact), string(it.Effort), string(it.Purpose),
			string(it.Category), strings.Join(row.Services, ", "), ticket, updated,
			base + actionURL(row.Ref)}
		for i := range cells {
			cells[i] = spreadsheetSafe(cells[i])
		}
		if err := cw.Write(cells); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// spreadsheetSafe defuses formula injection: spreadsheets run a cell that
// starts with = + - @ (or a tab or carriage return before one) as a
// formula, so such a cell gets a leading apostrophe, which they show as
// text. OWASP's advice on CSV injection.
func spreadsheetSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
