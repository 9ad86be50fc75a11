package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
)

// The API's incidents, which exist before any report about them. Each
// handler reads the request and asks package workflow, which decides who
// may do what and what an incident must hold.

func (s *Server) apiListIncidents(w http.ResponseWriter, r *http.Request) {
	f, err := apiIncidentFilter(r.URL.Query())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	list, total, err := s.flow.Incidents(r.Context(), actorFrom(r.Context()), f)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWritePage(s, w, r, listEnvelope[debrief.IncidentSummary]{
		Items: list, Total: total, Limit: f.Limit, Offset: f.Offset,
	})
}

// apiIncidentFilter reads the list's filters, refusing a wrong value by
// the name of its parameter.
func apiIncidentFilter(q url.Values) (debrief.IncidentFilter, error) {
	f := debrief.IncidentFilter{Service: strings.TrimSpace(q.Get("service"))}
	var err error
	if st := q.Get("status"); st != "" {
		if f.Status, err = debrief.ParseIncidentStatus(st); err != nil {
			return f, err
		}
	}
	if v := q.Get("without_postmortem"); v != "" {
		if f.WithoutPostmortem, err = strconv.ParseBool(v); err != nil {
			return f, debrief.FieldErrorf("without_postmortem",
				"without_postmortem %q is not true or false", v)
		}
	}
	f.Limit, f.Offset, err = apiPage(q)
	return f, err
}

func (s *Server) apiGetIncident(w http.ResponseWriter, r *http.Request) {
	in, err := s.flow.Incident(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, in)
}

func (s *Server) apiCreateIncident(w http.ResponseWriter, r *http.Request) {
	var in debrief.Incident
	if err := apiReadJSON(w, r, &in); err != nil {
		s.apiFail(w, r, err)
		return
	}
	saved, err := s.flow.CreateIncident(r.Context(), actorFrom(r.Context()), &in)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/incidents/"+url.PathEscape(saved.ID))
	s.apiJSON(w, r, http.StatusCreated, saved)
}

func (s *Server) apiReplaceIncident(w http.ResponseWriter, r *http.Request) {
	var in debrief.Incident
	if err := apiReadJSON(w, r, &in); err != nil {
		s.apiFail(w, r, err)
		return
	}
	id := r.PathValue("id")
	if in.ID != "" && in.ID != id {
		s.apiFail(w, r, debrief.FieldErrorf("id",
			"the body is incident %q but the address is incident %q", in.ID, id))
		return
	}
	in.ID = id
	// The If-Match, when sent, is the version of the incident's report; an
	// incident without a report needs none.
	base := 0
	if r.Header.Get("If-Match") != "" {
		var err error
		if base, err = apiIfMatch(r); err != nil {
			s.apiFail(w, r, err)
			return
		}
	}
	saved, err := s.flow.ReplaceIncident(r.Context(), actorFrom(r.Context()), &in, base)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, saved)
}
