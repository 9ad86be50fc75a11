package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// Deadlines come from the trigger policy (see workflow/deadlines.go): the
// meeting after the incident's resolution, then the draft and the final
// report after the meeting. The report page shows its own in a box; the
// overdue page lists every step past due that the reader may see.

// deadlineStep names each step as a reader says it.
var deadlineStep = map[debrief.DeadlineKind]string{
	debrief.DeadlineMeeting: "Postmortem meeting",
	debrief.DeadlineDraft:   "Draft for review",
	debrief.DeadlineFinal:   "Final report",
}

func stepName(k debrief.DeadlineKind) string {
	if n, ok := deadlineStep[k]; ok {
		return n
	}
	return humanize(k)
}

// deadlineRow is one step of a report as its deadlines box shows it.
type deadlineRow struct {
	Step string
	Rule string
	Due  zonedTime
	Met  zonedTime
	// State is "met", "late" (met after its due time), "overdue" (not met
	// and past due) or "open" (not met, not due yet), for the CSS class.
	State string
	// Note says how it stands in words: "missed by 3 days 4 hours".
	Note string
}

// zonedTime is a moment written in the report's zone, with its UTC form
// for the title attribute and the machine-readable datetime.
type zonedTime struct {
	Time  time.Time
	Local string
	UTC   string
}

func inZone(t time.Time, loc *time.Location) zonedTime {
	if t.IsZero() {
		return zonedTime{}
	}
	return zonedTime{Time: t, Local: t.In(loc).Format("2006-01-02 15:04 MST"),
		UTC: formatDateTime(t)}
}

// deadlineRows describes each deadline at now, in the report's zone.
func deadlineRows(ds []debrief.Deadline, now time.Time, loc *time.Location) []deadlineRow {
	rows := make([]deadlineRow, 0, len(ds))
	for _, d := range ds {
		row := deadlineRow{Step: stepName(d.Kind), Rule: d.Rule,
			Due: inZone(d.Due, loc), Met: inZone(d.MetAt, loc)}
		switch {
		case !d.MetAt.IsZero() && d.MetAt.After(d.Due):
			row.State, row.Note = "late", "missed by "+spanWords(d.MetAt.Sub(d.Due))
		case !d.MetAt.IsZero():
			row.State, row.Note = "met", "met in time"
		case now.After(d.Due):
			row.State, row.Note = "overdue", "missed by "+spanWords(now.Sub(d.Due))+
				" and not done yet"
		default:
			row.State, row.Note = "open", "due in "+spanWords(d.Due.Sub(now))
		}
		rows = append(rows, row)
	}
	return rows
}

// spanWords writes a span as people say it about a deadline: "3 days
// 4 hours", "5 hours 10 minutes", "12 minutes". Two units are enough;
// the smaller ones are dropped, not rounded.
func spanWords(d time.Duration) string {
	if d < time.Minute {
		return "less than a minute"
	}
	mins := int64(d / time.Minute)
	days, hours, m := mins/(24*60), mins/60%24, mins%60
	switch {
	case days > 0 && hours > 0:
		return count(days, "day") + " " + count(hours, "hour")
	case days > 0:
		return count(days, "day")
	case hours > 0 && m > 0:
		return count(hours, "hour") + " " + count(m, "minute")
	case hours > 0:
		return count(hours, "hour")
	}
	return count(m, "minute")
}

func count(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// overdueView is the page of steps past due.
type overdueView struct {
	layout
	Rows  []overdueRow
	Pager pager
}

type overdueRow struct {
	ReportID, Title string
	Status          debrief.Status
	Step            string
	Due             time.Time
	Late            string
}

// ReportURL is where the step's report is read.
func (r overdueRow) ReportURL() string { return reportURL(r.ReportID) }

func (s *Server) handleOverdue(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	q := r.URL.Query()
	page, err := parsePageNumber(q)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	ds, total, err := s.flow.Overdue(r.Context(), a, s.pageSize, (page-1)*s.pageSize)
	if err != nil {
		s.serveError(w, r, err)
		return
	}

	now := s.now()
	v := overdueView{layout: s.layout(r, "Overdue postmortem steps"),
		Pager: newPager("/overdue", q, page, s.pageSize, total)}
	for _, d := range ds {
		title := d.Title
		if strings.TrimSpace(title) == "" {
			title = "Untitled report"
		}
		v.Rows = append(v.Rows, overdueRow{ReportID: d.PostmortemID, Title: title,
			Status: d.Status, Step: stepName(d.Kind), Due: d.Due,
			Late: spanWords(now.Sub(d.Due))})
	}
	s.render(w, r, pageStatus(v.Pager), "overdue", v)
}
