package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// sectionSpecs are the forms of the report's sections, one for each of
// workflow.Sections.
var sectionSpecs = map[string]*sectionSpec{
	"header":               headerSpec,
	"summary":              summarySpec,
	"timeline":             timelineSpec,
	"analysis":             analysisSpec,
	"contributing_factors": factorsSpec,
	"impacts":              impactsSpec,
	"lessons":              lessonsSpec,
	"action_items":         actionsSpec,
	"team":                 teamSpec,
	"links":                linksSpec,
	"sections":             sectionsSpec,
}

// sectionAnchors are the element ids of the report page at which each
// section starts, where a saved edit returns the person to.
var sectionAnchors = map[string]string{
	"header":               "edit-header",
	"summary":              "summary",
	"timeline":             "timeline",
	"analysis":             "analysis",
	"contributing_factors": "factors",
	"impacts":              "impact",
	"lessons":              "lessons",
	"action_items":         "actions",
	"team":                 "team",
	"links":                "links",
	"sections":             "edit-sections",
}

// editView is the page of one section's editor.
type editView struct {
	layout
	P    *debrief.Postmortem
	Form *editForm
}

// ReportURL is the address of the report being edited.
func (v editView) ReportURL() string { return reportURL(v.P.ID) }

func reportURL(id string) string { return "/postmortems/" + url.PathEscape(id) }

// sectionURL is the address of a section's editor.
func sectionURL(id, key string) string { return reportURL(id) + "/edit/" + key }

func (s *Server) handleEditSection(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessContributor)
	if !ok {
		return
	}
	spec, err := specFor(r.PathValue("section"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	p, err := s.flow.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	// Offering a form whose save is bound to be refused would waste the
	// person's typing; say why now instead.
	if err := debrief.CheckEdit(a, p); err != nil {
		s.serveError(w, r, err)
		return
	}

	f := s.newFormFor(r, spec, p)
	spec.fill(f, p)
	if f.review, err = s.sectionReview(r, f, p); err != nil {
		s.serveError(w, r, err)
		return
	}
	f.addBlanks()
	s.renderEdit(w, r, http.StatusOK, p, f)
}

func specFor(key string) (*sectionSpec, error) {
	if _, err := workflow.SectionByKey(key); err != nil {
		return nil, err
	}
	return sectionSpecs[key], nil
}

func (s *Server) newFormFor(r *http.Request, spec *sectionSpec, p *debrief.Postmortem) *editForm {
	f := newEditForm(spec, p.ID)
	f.Version = p.Version
	f.CSRF = csrfToken(r.Context())
	_, f.Zone = reportZone(p.TimeZone)
	return f
}

func (s *Server) handleSaveSection(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessContributor)
	if !ok {
		return
	}
	spec, err := specFor(r.PathValue("section"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	version, ok := s.formVersion(w, r)
	if !ok {
		return
	}
	cur, err := s.flow.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}

	f := s.newFormFor(r, spec, cur)
	f.Version = version
	f.parse(r.PostForm)
	from := spec.build(f, cur)
	if f.failed() {
		f.addBlanks()
		s.renderEdit(w, r, http.StatusBadRequest, cur, f)
		return
	}
	_, err = s.flow.EditSection(r.Context(), a, cur.ID, version, f.Section, from)
	var conflict *workflow.ConflictError
	switch {
	case errors.As(err, &conflict):
		f.Version = conflict.Current.Version
		f.addBlanks()
		s.renderConflict(w, r, conflict, f)
	case err != nil && StatusCode(err) >= http.StatusInternalServerError:
		s.serveError(w, r, err)
	case err != nil:
		// Whatever refused the save, the person's input is shown again.
		f.applyError(err)
		f.addBlanks()
		s.renderEdit(w, r, StatusCode(err), cur, f)
	default:
		s.redirectToSection(w, r, cur.ID, spec.key)
	}
}

// formVersion reads the version a form was loaded from.
func (s *Server) formVersion(w http.ResponseWriter, r *http.Request) (int, bool) {
	if err := r.ParseForm(); err != nil {
		s.serveError(w, r, debrief.Errorf(debrief.KindInvalid, "the form could not be read"))
		return 0, false
	}
	v, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("version")))
	if err != nil || v < 0 {
		s.serveError(w, r, debrief.FieldErrorf("version",
			"the form does not say which version of the report it was loaded from; "+
				"reload the page and try again"))
		return 0, false
	}
	return v, true
}

func (s *Server) redirectToSection(w http.ResponseWriter, r *http.Request, id, key string) {
	http.Redirect(w, r, reportURL(id)+"#"+sectionAnchors[key], http.StatusSeeOther)
}

func (s *Server) renderEdit(
	w http.ResponseWriter,
	r *http.Request,
	status int,
	p *debrief.Postmortem,
	f *editForm,
) {
	title := "Edit " + strings.ToLower(f.Section.Title) + " · " + reportTitle(p)
	if f.failed() || f.Message != "" {
		title = "Error: " + title
	}
	s.render(w, r, status, "edit", editView{layout: s.layout(r, title), P: p, Form: f})
}

// reportTitle is how pages name a report.
func reportTitle(p *debrief.Postmortem) string {
	if strings.TrimSpace(p.Title) == "" {
		return "Untitled report"
	}
	return p.Title
}

// conflictView is the page that refuses a stale save: what changed
// meanwhile and the person's own form, ready to be saved again.
type conflictView struct {
	editView
	Conflict *workflow.ConflictError
	// Message says who changed the report and which versions.
	Message string
	// SameSection is true when the section being edited is among the
	// changes, which is why the save was refused.
	SameSection bool
}

func (s *Server) renderConflict(
	w http.ResponseWriter,
	r *http.Request,
	c *workflow.ConflictError,
	f *editForm,
) {
	v := conflictView{
		editView: editView{
			layout: s.layout(r, "Not saved: "+strings.ToLower(f.Section.Title)+
				" changed meanwhile · "+reportTitle(c.Current)),
			P:    c.Current,
			Form: f,
		},
		Conflict: c,
		Message:  sentence(c),
	}
	for _, d := range c.Changes {
		v.SameSection = v.SameSection || d.Key == f.Section.Key
	}
	s.render(w, r, http.StatusConflict, "conflict", v)
}
