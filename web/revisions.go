package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// revisionsView is the list of a report's saved versions.
type revisionsView struct {
	layout
	P         *debrief.Postmortem
	Revisions []debrief.Revision
	// From and To are the versions the compare form starts with: the
	// latest and the one before it.
	From, To int
}

// ReportURL is the address of the report's current version.
func (v revisionsView) ReportURL() string { return reportURL(v.P.ID) }

// compareView shows the differences between two versions.
type compareView struct {
	layout
	P        *debrief.Postmortem
	From, To int
	Changes  []workflow.SectionDiff
}

// ReportURL is the address of the report's current version.
func (v compareView) ReportURL() string { return reportURL(v.P.ID) }

func (s *Server) handleRevisions(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	p, err := s.flow.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	revs, err := s.flow.Revisions(r.Context(), a, p.ID)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v := revisionsView{layout: s.layout(r, "Revisions · "+reportTitle(p)), P: p,
		Revisions: revs}
	if len(revs) > 0 {
		v.To, v.From = revs[0].Version, revs[0].Version
	}
	if len(revs) > 1 {
		v.From = revs[1].Version
	}
	s.render(w, r, http.StatusOK, "revisions", v)
}

func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	from, err := versionParam(r.URL.Query().Get("from"), "from")
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	to, err := versionParam(r.URL.Query().Get("to"), "to")
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if from > to {
		from, to = to, from // "what changed" reads from older to newer
	}

	p, err := s.flow.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	changes, err := s.flow.Compare(r.Context(), a, p.ID, from, to)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	title := fmt.Sprintf("Version %d to %d · %s", from, to, reportTitle(p))
	s.render(w, r, http.StatusOK, "compare", compareView{
		layout: s.layout(r, title), P: p, From: from, To: to, Changes: changes,
	})
}

// versionParam reads a version number from the query string.
func versionParam(s, name string) (int, error) {
	if s == "" {
		return 0, debrief.FieldErrorf(name,
			"choose two versions to compare: the address needs from= and to=")
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		return 0, debrief.FieldErrorf(name, "%s=%q is not a version number", name, s)
	}
	return v, nil
}

func (s *Server) handleRevision(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	raw := r.PathValue("version")
	version, err := strconv.Atoi(raw)
	if err != nil || version < 1 {
		s.serveError(w, r, debrief.Errorf(debrief.KindNotFound,
			"there is no version %q of this report", raw))
		return
	}
	cur, err := s.flow.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	old, err := s.flow.Revision(r.Context(), a, cur.ID, version)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	title := fmt.Sprintf("Version %d · %s", version, reportTitle(old))
	v := newReportView(s.layout(r, title), old, s.markdown.page())
	v.Old = &oldVersion{
		Revision: debrief.Revision{PostmortemID: old.ID, Version: old.Version,
			Author: old.UpdatedBy, SavedAt: old.UpdatedAt, Status: old.Status},
		Latest: cur.Version,
	}
	s.render(w, r, http.StatusOK, "report", v)
}
