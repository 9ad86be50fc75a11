package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// The API's revisions, differences, action items and search: reads only.

// itemList is a list that is never long enough to need pages.
type itemList[T any] struct {
	Items []T `json:"items"`
}

// apiWriteItems answers with a short list, as [] rather than null when it
// is empty.
func apiWriteItems[T any](s *Server, w http.ResponseWriter, r *http.Request, items []T) {
	if items == nil {
		items = []T{}
	}
	s.apiJSON(w, r, http.StatusOK, itemList[T]{items})
}

// diffResponse is what changed from one version of a report to another.
type diffResponse struct {
	ID       string                 `json:"id"`
	From     int                    `json:"from"`
	To       int                    `json:"to"`
	Sections []workflow.SectionDiff `json:"sections"`
}

func (s *Server) apiListRevisions(w http.ResponseWriter, r *http.Request) {
	revs, err := s.flow.Revisions(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWriteItems(s, w, r, revs)
}

func (s *Server) apiGetRevision(w http.ResponseWriter, r *http.Request) {
	version, err := positiveInt("version", r.PathValue("version"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	p, err := s.flow.Revision(r.Context(), actorFrom(r.Context()), r.PathValue("id"), version)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiReport(w, r, http.StatusOK, p)
}

func (s *Server) apiDiff(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from, err := positiveInt("from", q.Get("from"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	to, err := positiveInt("to", q.Get("to"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	id := r.PathValue("id")
	diffs, err := s.flow.Compare(r.Context(), actorFrom(r.Context()), id, from, to)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if diffs == nil {
		diffs = []workflow.SectionDiff{}
	}
	s.apiJSON(w, r, http.StatusOK, diffResponse{ID: id, From: from, To: to, Sections: diffs})
}

// positiveInt reads a number from 1 up, naming the parameter when it is not.
func positiveInt(name, v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		if v == "" {
			return 0, debrief.FieldErrorf(name, "%s is missing: give a number from 1", name)
		}
		return 0, debrief.FieldErrorf(name, "%s %q is not a number from 1", name, v)
	}
	return n, nil
}

func (s *Server) apiListActionItems(w http.ResponseWriter, r *http.Request) {
	p, err := s.flow.Get(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.Header().Set("ETag", versionETag(p.Version))
	apiWriteItems(s, w, r, p.ActionItems)
}

func (s *Server) apiGetActionItem(w http.ResponseWriter, r *http.Request) {
	n, err := positiveInt("number", r.PathValue("number"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	p, err := s.flow.Get(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	for _, item := range p.ActionItems {
		if item.Number == n {
			w.Header().Set("ETag", versionETag(p.Version))
			s.apiJSON(w, r, http.StatusOK, item)
			return
		}
	}
	s.apiFail(w, r, debrief.Errorf(debrief.KindNotFound,
		"report %s has no action item %d", p.ID, n))
}

func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	sq := debrief.SearchQuery{
		Text:     strings.TrimSpace(q.Get("q")),
		Service:  strings.TrimSpace(q.Get("service")),
		Category: debrief.Category(strings.TrimSpace(q.Get("category"))),
	}
	if sq.Text == "" {
		s.apiFail(w, r, debrief.FieldErrorf("q", "q is empty: say what to search for"))
		return
	}
	var err error
	if sq.Severity, err = apiSeverity(q.Get("severity")); err != nil {
		s.apiFail(w, r, err)
		return
	}
	if sq.Limit, sq.Offset, err = apiPage(q); err != nil {
		s.apiFail(w, r, err)
		return
	}
	res, err := s.flow.Search(r.Context(), actorFrom(r.Context()), sq)
	if err != nil {
		if debrief.ErrorKind(err) == debrief.KindInvalid && debrief.ErrorField(err) == "" {
			err = debrief.FieldErrorf("q", "%s", debrief.ErrorMessage(err))
		}
		s.apiFail(w, r, err)
		return
	}
	hits := make([]apiSearchHit, len(res.Hits))
	for i, h := range res.Hits {
		hits[i] = newAPISearchHit(h)
	}
	apiWritePage(s, w, r, listEnvelope[apiSearchHit]{
		Items: hits, Total: res.Total, Limit: sq.Limit, Offset: sq.Offset,
	})
}

// apiSearchHit is a search hit as the API answers it: the snippet as plain
// text, and the matched terms in it as [start, end) byte offsets, so that
// no client has to know the markers the stores put in.
type apiSearchHit struct {
	ID         string           `json:"id"`
	Title      string           `json:"title"`
	Severity   debrief.Severity `json:"severity,omitempty"`
	Category   debrief.Category `json:"category,omitempty"`
	Services   []string         `json:"services,omitempty"`
	StartedAt  time.Time        `json:"started_at,omitzero"`
	Snippet    string           `json:"snippet"`
	Highlights [][]int          `json:"highlights"`
	Rank       float64          `json:"rank"`
}

func newAPISearchHit(h debrief.SearchHit) apiSearchHit {
	snippet, marks := splitHighlights(h.Snippet)
	return apiSearchHit{
		ID: h.ID, Title: h.Title, Severity: h.Severity, Category: h.Category,
		Services: h.Services, StartedAt: h.StartedAt,
		Snippet: snippet, Highlights: marks, Rank: h.Rank,
	}
}

// splitHighlights takes the highlight markers out of a snippet and returns
// the plain text and where the marked runs were in it. The markers are
// single ASCII bytes, never part of a longer UTF-8 sequence, so the text
// is walked byte by byte; a marker without its partner is dropped.
func splitHighlights(marked string) (string, [][]int) {
	var b strings.Builder
	marks := [][]int{}
	start := -1
	for i := range len(marked) {
		switch c := marked[i]; c {
		case debrief.HighlightStart[0]:
			start = b.Len()
		case debrief.HighlightEnd[0]:
			if start >= 0 && b.Len() > start {
				marks = append(marks, []int{start, b.Len()})
			}
			start = -1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), marks
}
