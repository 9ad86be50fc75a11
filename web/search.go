package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/debrief-oss/debrief"
)

type searchView struct {
	layout
	Query    string
	Filters  []selectField
	Searched bool
	Error    string
	Hits     []debrief.SearchHit
	Pager    pager
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sq := debrief.SearchQuery{
		Text:     strings.TrimSpace(q.Get("q")),
		Service:  strings.TrimSpace(q.Get("service")),
		Category: debrief.Category(strings.TrimSpace(q.Get("category"))),
		Severity: debrief.Severity(strings.TrimSpace(q.Get("severity"))),
	}
	page, err := parsePageNumber(q)
	if err != nil {
		s.serveError(w, r, err)
		return
	}

	facets, err := s.flow.Facets(r.Context(), actorFrom(r.Context()))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v := searchView{
		layout:  s.layout(r, "Search"),
		Query:   sq.Text,
		Filters: filterSelects(facets, q)[:3], // no year filter in search
	}
	v.SearchText = sq.Text
	if sq.Text == "" {
		s.render(w, r, http.StatusOK, "search", v)
		return
	}

	v.Title = "Search: " + sq.Text
	s.runSearch(w, r, v, sq, q, page)
}

// runSearch asks the store and renders the results. A query the store
// cannot parse is the user's to fix, so it is shown on the search page
// beside the box rather than on a bare error page.
func (s *Server) runSearch(
	w http.ResponseWriter,
	r *http.Request,
	v searchView,
	sq debrief.SearchQuery,
	q url.Values,
	page int,
) {
	sq.Limit, sq.Offset = s.pageSize, (page-1)*s.pageSize
	res, err := s.flow.Search(r.Context(), actorFrom(r.Context()), sq)
	if debrief.ErrorKind(err) == debrief.KindInvalid {
		v.Error = debrief.ErrorMessage(err)
		s.render(w, r, http.StatusBadRequest, "search", v)
		return
	}
	if err != nil {
		s.serveError(w, r, err)
		return
	}

	v.Searched = true
	v.Hits = res.Hits
	v.Pager = newPager("/search", q, page, s.pageSize, res.Total)
	s.render(w, r, pageStatus(v.Pager), "search", v)
}
