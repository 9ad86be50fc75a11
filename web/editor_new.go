package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/debrief-oss/debrief"
)

// newSpec is the form that starts a report: enough to name it and file it.
// The rest is written section by section afterwards.
var newSpec = &sectionSpec{
	key: "new",
	fields: []string{"title", "id", "incident.severity", "incident.services",
		"incident.category", "incident"},
}

// maxIncidentChoices is how many incidents without a report the new-report
// page offers to start from, newest first.
const maxIncidentChoices = 200

// newView is the new-report page.
type newView struct {
	layout
	Form      *editForm
	Incidents []debrief.IncidentSummary
}

// IncidentChoice is the select of incidents a report may start from.
func (v newView) IncidentChoice() input {
	in := v.Form.Sel("incident", "Incident", "")
	in.Options = []option{{Value: "", Label: "Choose an incident"}}
	for _, i := range v.Incidents {
		label := i.ID + ": " + shorten(80, i.Title)
		var facts []string
		if i.Severity != "" {
			facts = append(facts, string(i.Severity))
		}
		if !i.StartedAt.IsZero() {
			facts = append(facts, "started "+formatDateTime(i.StartedAt))
		}
		if len(facts) > 0 {
			label += " (" + strings.Join(facts, ", ") + ")"
		}
		in.Options = append(in.Options, option{Value: i.ID, Label: label,
			Selected: i.ID == v.Form.get("incident")})
	}
	return in
}

func (s *Server) handleNewReport(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.require(w, r, debrief.AccessContributor); !ok {
		return
	}
	f := newEditForm(newSpec, "")
	f.CSRF = csrfToken(r.Context())
	s.renderNew(w, r, http.StatusOK, f)
}

func (s *Server) renderNew(w http.ResponseWriter, r *http.Request, status int, f *editForm) {
	incidents, _, err := s.flow.Incidents(r.Context(), actorFrom(r.Context()), debrief.IncidentFilter{
		WithoutPostmortem: true, Limit: maxIncidentChoices,
	})
	if err != nil {
		s.serveError(w, r, fmt.Errorf("list incidents without a report: %w", err))
		return
	}
	title := "New postmortem"
	if status != http.StatusOK {
		title = "Error: " + title
	}
	s.render(w, r, status, "new", newView{
		layout: s.layout(r, title), Form: f, Incidents: incidents,
	})
}

func (s *Server) handleCreateReport(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessContributor)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.serveError(w, r, debrief.Errorf(debrief.KindInvalid, "the form could not be read"))
		return
	}
	f := newEditForm(newSpec, "")
	f.CSRF = csrfToken(r.Context())
	f.parse(r.PostForm)

	if id := strings.TrimSpace(f.get("incident")); id != "" {
		p, err := s.flow.CreateFromIncident(r.Context(), a, id, "web")
		if err != nil {
			s.refuseNew(w, r, f, err, true)
			return
		}
		http.Redirect(w, r, reportURL(p.ID), http.StatusSeeOther)
		return
	}

	p := &debrief.Postmortem{
		ID:    strings.TrimSpace(f.get("id")),
		Title: strings.TrimSpace(f.get("title")),
		Incident: debrief.Incident{
			Severity: debrief.Severity(f.get("incident.severity")),
			Category: debrief.Category(strings.TrimSpace(f.get("incident.category"))),
			Services: splitList(f.get("incident.services")),
		},
	}
	p.Summary.Category = p.Incident.Category
	if err := s.flow.Create(r.Context(), a, p); err != nil {
		s.refuseNew(w, r, f, err, false)
		return
	}
	http.Redirect(w, r, reportURL(p.ID), http.StatusSeeOther)
}

// refuseNew shows the new-report page again with the problem beside the
// input at fault and everything typed kept.
func (s *Server) refuseNew(w http.ResponseWriter, r *http.Request, f *editForm, err error,
	fromIncident bool) {
	status := StatusCode(err)
	if status >= http.StatusInternalServerError {
		s.serveError(w, r, err)
		return
	}
	msg := sentence(err)
	switch {
	case fromIncident:
		f.fail("incident", "%s", msg)
	case debrief.ErrorKind(err) == debrief.KindConflict:
		f.fail("id", "%s Choose another id, or leave it empty to have one made "+
			"from the title.", msg)
	default:
		f.applyError(err)
	}
	s.renderNew(w, r, status, f)
}
