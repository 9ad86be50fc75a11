package web

import (
	"net/http"
	"strconv"
	"strings"

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
	apiWritePage(s, w, r, listEnvelope[debrief.SearchHit]{
		Items: res.Hits, Total: res.Total, Limit: sq.Limit, Offset: sq.Offset,
	})
}
