package web

import (
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// actionPageSize is how many action items a list page shows. Rows are
// one line each, so a page holds more of them than of reports.
const actionPageSize = 100

// actionFilters are the query parameters the lists, the CSV export and the
// API share, as a form shows them back.
type actionFilters struct {
	Owner, Team, Service, Category, Quadrant, Status string
	Overdue, Stalled, Mine                           bool
}

// parseActionFilters reads the lists' query parameters. Status is "open"
// when absent and "all" means any status. A value that cannot be read is
// a KindInvalid error naming its parameter; what the workflow checks
// (status, quadrant, team) it names too.
func parseActionFilters(q url.Values) (actionFilters, error) {
	f := actionFilters{
		Owner:    strings.TrimSpace(q.Get("owner")),
		Team:     strings.TrimSpace(q.Get("team")),
		Service:  strings.TrimSpace(q.Get("service")),
		Category: strings.TrimSpace(q.Get("category")),
		Quadrant: quadrantNamed(q.Get("quadrant")),
		Status:   strings.TrimSpace(q.Get("status")),
	}
	if f.Status == "" {
		f.Status = "open"
	}
	var err error
	for _, flag := range []struct {
		name string
		to   *bool
	}{{"overdue", &f.Overdue}, {"stalled", &f.Stalled}, {"mine", &f.Mine}} {
		if *flag.to, err = queryFlag(q, flag.name); err != nil {
			return f, err
		}
	}
	return f, nil
}

// queryFlag reads a yes/no parameter: 1, true, on or yes; absent, 0,
// false, off or no.
func queryFlag(q url.Values, name string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(q.Get(name))) {
	case "", "0", "false", "off", "no":
		return false, nil
	case "1", "true", "on", "yes":
		return true, nil
	}
	return false, debrief.FieldErrorf(name, "%s is %q: use 1 for yes or 0 for no",
		name, q.Get(name))
}

// quadrantNamed reads a quadrant as people type it in an address
// ("quick-win", "Quick_Win"); anything else is left for the workflow to
// refuse.
func quadrantNamed(s string) string {
	s = strings.TrimSpace(s)
	words := func(v string) string {
		return strings.ToLower(strings.NewReplacer("-", " ", "_", " ").Replace(v))
	}
	for _, q := range debrief.Quadrants {
		if words(q) == words(s) {
			return q
		}
	}
	return s
}

// query is the workflow's question for the filters.
func (f actionFilters) query() workflow.ActionQuery {
	status := f.Status
	if status == "all" {
		status = ""
	}
	return workflow.ActionQuery{Mine: f.Mine, Owner: f.Owner, Team: f.Team,
		Service: f.Service, Category: debrief.Category(f.Category), Quadrant: f.Quadrant,
		Status: status, Overdue: f.Overdue, Stalled: f.Stalled}
}

// values writes the filters back as query parameters, leaving out the
// defaults.
func (f actionFilters) values() url.Values {
	q := url.Values{}
	for _, kv := range [][2]string{{"owner", f.Owner}, {"team", f.Team},
		{"service", f.Service}, {"category", f.Category}, {"quadrant", f.Quadrant}} {
		if kv[1] != "" {
			q.Set(kv[0], kv[1])
		}
	}
	if f.Status != "open" && f.Status != "" {
		q.Set("status", f.Status)
	}
	for name, on := range map[string]bool{"overdue": f.Overdue, "stalled": f.Stalled,
		"mine": f.Mine} {
		if on {
			q.Set(name, "1")
		}
	}
	return q
}

// actionsView is a list of action items.
type actionsView struct {
	layout
	Heading string
	Lede    string
	// Path is where the filter form is sent; Fixed lists the filters the
	// page itself sets (its team, its report, "mine"), which the form
	// does not offer.
	Path    string
	Filters actionFilters
	Fixed   map[string]bool
	Selects []selectField
	// Error is why the filters were refused; ErrorField the input at
	// fault.
	Error, ErrorField string
	Today             string
	Rows              []actionRow
	Total             int
	Matrix            template.HTML
	Pager             pager
	CSVURL            string
	Team              *debrief.Team
	// LeadView is set on a team's list for its lead: overdue items first.
	LeadView bool
	// ReportID is set on a report's list, ReportURL its address.
	ReportID, ReportURL string
	// TeamLinks lead to the teams' lists.
	TeamLinks []teamLink
}

type teamLink struct{ Name, URL string }

// Invalid reports whether the named filter was refused.
func (v actionsView) Invalid(name string) bool { return v.ErrorField == name }

// actionRow is one item of a list.
type actionRow struct {
	Ref           debrief.ActionRef
	URL           string
	ReportURL     string
	ReportTitle   string
	Description   string
	Owner         string
	OwnerIsTeam   bool
	Due           string
	DaysOverdue   int
	Status        debrief.ActionStatus
	BlockedReason string
	Quadrant      string
	Purpose       debrief.Purpose
	Category      debrief.ActionCategory
	Stalled       bool
	Recheck       string
}

// OverdueWords says how late the item is: "overdue by 3 days".
func (r actionRow) OverdueWords() string {
	if r.DaysOverdue == 0 {
		return ""
	}
	return "overdue by " + count(int64(r.DaysOverdue), "day")
}

func newActionRow(r debrief.ActionRow, today string) actionRow {
	it := &r.Item
	status := it.Status
	if status == "" {
		status = debrief.ActionOpen
	}
	return actionRow{Ref: r.Ref, URL: actionURL(r.Ref), ReportURL: reportURL(r.Ref.PostmortemID),
		ReportTitle: orDefault(r.Title, "Untitled report"), Description: it.Description,
		Owner: it.Owner, OwnerIsTeam: it.OwnerIsTeam, Due: it.Due,
		DaysOverdue: it.DaysOverdue(today), Status: status,
		BlockedReason: it.BlockedReason, Quadrant: it.Quadrant(), Purpose: it.Purpose,
		Category: it.Category, Stalled: it.Stalled, Recheck: it.Recheck}
}

// matrixItemOf draws an item on the matrix; label names it there.
func matrixItemOf(ref debrief.ActionRef, it *debrief.ActionItem, label, today string) matrixItem {
	return matrixItem{Label: label, Title: it.Description, URL: actionURL(ref),
		Impact: it.Impact.Score(), Effort: it.Effort.Score(),
		Prevention: it.Purpose == debrief.PurposePrevention, NoPurpose: it.Purpose == "",
		Overdue: it.DaysOverdue(today) > 0, Status: string(it.Status)}
}

func (s *Server) handleActions(w http.ResponseWriter, r *http.Request) {
	v := actionsView{Heading: "Action items", Path: "/actions",
		Lede: "Open action items of every report you may read, quick wins first, " +
			"prevention before mitigation, then by due date."}
	s.listActions(w, r, v, nil)
}

func (s *Server) handleMyActions(w http.ResponseWriter, r *http.Request) {
	v := actionsView{Heading: "My action items", Path: "/actions/mine",
		Fixed: map[string]bool{"mine": true, "owner": true},
		Lede: "Action items whose owner is you, by login or display name, ranked as " +
			"work is taken."}
	s.listActions(w, r, v, func(f *actionFilters) { f.Mine, f.Owner = true, "" })
}

func (s *Server) handleTeamActions(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.require(w, r, debrief.AccessViewer); !ok {
		return
	}
	team, err := s.flow.Team(r.PathValue("team"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v := actionsView{Heading: "Action items of " + team.Name, Team: team,
		Path: teamActionsURL(team.Name), Fixed: map[string]bool{"team": true},
		Lede: "Items the team owns, by its name or by one of its people."}
	v.LeadView = isLead(team, actorFrom(r.Context()))
	s.listActions(w, r, v, func(f *actionFilters) { f.Team = team.Name })
}

func (s *Server) handleReportActions(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	id := r.PathValue("id")
	p, err := s.flow.Get(r.Context(), a, id)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v := actionsView{Heading: "Action items of " + reportTitle(p), Path: reportActionsURL(p.ID),
		ReportID: p.ID, ReportURL: reportURL(p.ID), Fixed: map[string]bool{"report": true},
		Lede: "Every item of the report, in any status unless a filter says otherwise."}
	q := r.URL.Query()
	if q.Get("status") == "" {
		q.Set("status", "all")
		r.URL.RawQuery = q.Encode()
	}
	s.listActions(w, r, v, nil)
}

// filterLabels name the filters as the form labels them, for errors.
var filterLabels = map[string]string{"status": "Status", "quadrant": "Quadrant",
	"team": "Team", "overdue": "Overdue only", "stalled": "Stalled only", "mine": "Mine",
	"owner": "Owner", "service": "Service", "category": "Incident category"}

// isLead reports whether the actor leads the team.
func isLead(t *debrief.Team, a debrief.Actor) bool {
	lead := strings.TrimSpace(t.Lead)
	for _, n := range a.Names() {
		if lead != "" && strings.EqualFold(n, lead) {
			return true
		}
	}
	return false
}

// listActions lists the items the filters keep for the page v; fix sets
// what the page itself decides. Refused filters show the form again with
// the error and answer 400.
func (s *Server) listActions(
	w http.ResponseWriter,
	r *http.Request,
	v actionsView,
	fix func(*actionFilters),
) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	v.layout = s.layout(r, v.Heading)
	q := r.URL.Query()
	f, err := parseActionFilters(q)
	if fix != nil {
		fix(&f)
	}
	v.Filters = f
	var page int
	if err == nil {
		page, err = parsePageNumber(q)
	}
	var list *workflow.ActionList
	if err == nil {
		wq := f.query()
		wq.PostmortemID, wq.LateFirst = v.ReportID, v.LeadView
		wq.Limit, wq.Offset = actionPageSize, (page-1)*actionPageSize
		wq.CellItems = matrixSlots
		list, err = s.flow.Actions(r.Context(), a, wq)
	}
	v.Selects = s.actionSelects(f, v.Fixed)
	for _, t := range s.flow.Teams() {
		v.TeamLinks = append(v.TeamLinks, teamLink{Name: t.Name, URL: teamActionsURL(t.Name)})
	}
	if err != nil {
		if StatusCode(err) >= 500 || debrief.ErrorKind(err) != debrief.KindInvalid {
			s.serveError(w, r, err)
			return
		}
		v.ErrorField = debrief.ErrorField(err)
		v.Error = sentenceCase(debrief.ErrorMessage(err))
		if label, ok := filterLabels[v.ErrorField]; ok {
			v.Error = label + ": " + v.Error
		}
		v.Title = "Error: " + v.Title
		s.render(w, r, http.StatusBadRequest, "actions", v)
		return
	}

	v.Today, v.Total = list.Today, list.Total
	v.CSVURL = csvURL(f, v)
	v.Pager = newPager(v.Path, q, page, actionPageSize, list.Total)
	v.Matrix = listMatrix(list.Matrix, v.ReportID != "", list.Today)
	if !v.Pager.PastEnd {
		for _, row := range list.Rows {
			v.Rows = append(v.Rows, newActionRow(row, list.Today))
		}
	}
	s.render(w, r, pageStatus(v.Pager), "actions", v)
}

// listMatrix draws a list's matrix from the first items of each cell and
// the cells' counts; oneReport labels the items by number alone.
func listMatrix(m *debrief.ActionMatrix, oneReport bool, today string) template.HTML {
	if m == nil {
		return ""
	}
	var items []matrixItem
	counts := make([]matrixCount, 0, len(m.Cells))
	for _, cell := range m.Cells {
		counts = append(counts, matrixCount{Impact: cell.Impact.Score(),
			Effort: cell.Effort.Score(), Items: cell.Count, Prevention: cell.Prevention,
			Overdue: cell.Late})
		for i := range cell.Items {
			row := &cell.Items[i]
			label := row.Ref.PostmortemID + " #" + strconv.Itoa(row.Ref.Number)
			if oneReport {
				label = "#" + strconv.Itoa(row.Ref.Number)
			}
			items = append(items, matrixItemOf(row.Ref, &row.Item, label, today))
		}
	}
	return drawCountedMatrix(items, counts, m.Unrated)
}

// reportMatrix draws the report's items on the impact/effort matrix.
func reportMatrix(p *debrief.Postmortem, today string) template.HTML {
	items := make([]matrixItem, 0, len(p.ActionItems))
	for i := range p.ActionItems {
		it := &p.ActionItems[i]
		ref := debrief.ActionRef{PostmortemID: p.ID, Number: it.Number}
		items = append(items, matrixItemOf(ref, it, "#"+strconv.Itoa(it.Number), today))
	}
	return drawMatrix(items)
}

// ActionURL is the page of the report's action item with the number.
func (v reportView) ActionURL(number int) string {
	return actionURL(debrief.ActionRef{PostmortemID: v.P.ID, Number: number})
}

// ActionsURL is the list of the report's action items.
func (v reportView) ActionsURL() string { return reportActionsURL(v.P.ID) }

// csvURL is the CSV export of the list the page shows.
func csvURL(f actionFilters, v actionsView) string {
	q := f.values()
	if v.ReportID != "" {
		q.Set("postmortem", v.ReportID)
	}
	if len(q) == 0 {
		return "/actions.csv"
	}
	return "/actions.csv?" + q.Encode()
}

// actionSelects are the filter form's choices, leaving out what the page
// fixes.
func (s *Server) actionSelects(f actionFilters, fixed map[string]bool) []selectField {
	status := selectField{Name: "status", Label: "Status"}
	status.Options = append(status.Options,
		selectOption{Value: "open", Label: "Open (not done)", Selected: f.Status == "open"},
		selectOption{Value: "all", Label: "Any status", Selected: f.Status == "all"})
	for _, st := range debrief.ActionStatuses {
		status.Options = append(status.Options, selectOption{Value: string(st),
			Label: humanize(st), Selected: f.Status == string(st)})
	}
	quadrant := selectField{Name: "quadrant", Label: "Quadrant", AnyText: "Any quadrant"}
	for _, q := range debrief.Quadrants {
		quadrant.Options = append(quadrant.Options, selectOption{Value: q,
			Label: humanize(q), Selected: f.Quadrant == q})
	}
	category := selectField{Name: "category", Label: "Incident category",
		AnyText: "Any category"}
	for _, c := range debrief.Categories {
		category.Options = append(category.Options, selectOption{Value: string(c),
			Label: string(c), Selected: strings.EqualFold(f.Category, string(c))})
	}
	if f.Category != "" && !slices.ContainsFunc(category.Options, func(o selectOption) bool {
		return o.Selected
	}) {
		category.Options = append(category.Options,
			selectOption{Value: f.Category, Label: f.Category, Selected: true})
	}
	out := []selectField{status, quadrant, category}
	if !fixed["team"] && len(s.flow.Teams()) > 0 {
		team := selectField{Name: "team", Label: "Team", AnyText: "Any team"}
		known := false
		for _, t := range s.flow.Teams() {
			sel := strings.EqualFold(f.Team, t.Name)
			known = known || sel
			team.Options = append(team.Options, selectOption{Value: t.Name, Label: t.Name,
				Selected: sel})
		}
		if f.Team != "" && !known {
			team.Options = append(team.Options,
				selectOption{Value: f.Team, Label: f.Team, Selected: true})
		}
		out = append(out, team)
	}
	return out
}
