package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
)

type listView struct {
	layout
	Filters  []selectField
	Sort     selectField
	Filtered bool
	Reports  []debrief.PostmortemSummary
	Pager    pager
}

// sortOptions are the orders the list offers, keyed by PostmortemFilter.Sort.
var sortOptions = []selectOption{
	{Value: "date", Label: "Newest first"},
	{Value: "date_asc", Label: "Oldest first"},
	{Value: "title", Label: "Title (A–Z)"},
}

func (s *Server) handleList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, page, err := parseListQuery(q)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	f.Limit, f.Offset = s.pageSize, (page-1)*s.pageSize

	reports, total, err := s.flow.List(r.Context(), actorFrom(r.Context()), f)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	facets, err := s.flow.Facets(r.Context(), actorFrom(r.Context()))
	if err != nil {
		s.serveError(w, r, err)
		return
	}

	v := listView{
		layout:  s.layout(r, "Postmortems"),
		Filters: filterSelects(facets, q),
		Sort:    sortSelect(f.Sort),
		Filtered: f.Service != "" || f.Category != "" || f.Severity != "" || f.Year != 0 ||
			f.Status != "",
		Reports: reports,
		Pager:   newPager("/", q, page, s.pageSize, total),
	}
	s.render(w, r, pageStatus(v.Pager), "list", v)
}

// parseListQuery reads the list's filters. Wrong values are refused with a
// message rather than ignored, so a hand-edited URL does not quietly show
// an unfiltered list.
func parseListQuery(q url.Values) (debrief.PostmortemFilter, int, error) {
	f := debrief.PostmortemFilter{
		Service:  strings.TrimSpace(q.Get("service")),
		Category: debrief.Category(strings.TrimSpace(q.Get("category"))),
		Sort:     q.Get("sort"),
	}
	var err error
	if f.Severity, err = apiSeverity(q.Get("severity")); err != nil {
		return f, 0, err
	}
	if st := q.Get("status"); st != "" {
		if f.Status, err = debrief.ParseStatus(st); err != nil {
			return f, 0, err
		}
	}
	if y := q.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 9999 {
			return f, 0, debrief.Errorf(debrief.KindInvalid, "The year must be a four-digit year.")
		}
		f.Year = n
	}
	if !validSort(f.Sort) {
		return f, 0, debrief.Errorf(debrief.KindInvalid, "Unknown sort order.")
	}

	page, err := parsePageNumber(q)
	return f, page, err
}

func validSort(v string) bool {
	if v == "" {
		return true
	}
	for _, o := range sortOptions {
		if o.Value == v {
			return true
		}
	}
	return false
}

func filterSelects(facets *debrief.Facets, q url.Values) []selectField {
	if facets == nil {
		facets = &debrief.Facets{}
	}
	return []selectField{
		facetSelect("service", "Service", "All services", facets.Services, q.Get("service")),
		facetSelect("category", "Category", "All categories", facets.Categories, q.Get("category")),
		facetSelect("severity", "Severity", "All severities", facets.Severities, q.Get("severity")),
		facetSelect("year", "Year", "All years", facets.Years, q.Get("year")),
		statusSelect(q.Get("status")),
	}
}

// statusSelect filters by lifecycle state: a facilitator's "what is in
// review" is one choice away.
func statusSelect(cur string) selectField {
	f := selectField{Name: "status", Label: "Status", AnyText: "Any status"}
	want, _ := debrief.ParseStatus(cur)
	for _, st := range debrief.Statuses {
		f.Options = append(f.Options, selectOption{Value: string(st),
			Label: strings.ToUpper(st.Label()[:1]) + st.Label()[1:], Selected: st == want})
	}
	return f
}

func sortSelect(cur string) selectField {
	if cur == "" {
		cur = "date"
	}
	f := selectField{Name: "sort", Label: "Sort by"}
	for _, o := range sortOptions {
		o.Selected = o.Value == cur
		f.Options = append(f.Options, o)
	}
	return f
}
