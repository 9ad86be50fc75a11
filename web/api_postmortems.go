package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// The API's reports: each handler reads the request, asks package workflow
// (which enforces who may do what) and answers with JSON.

// createFromIncident is the body that starts a report from an incident.
type createFromIncident struct {
	IncidentID string `json:"incident_id"`
}

// transitionRequest is the body of a lifecycle move.
type transitionRequest struct {
	Status debrief.Status `json:"status"`
	// OverrideReason, from a facilitator, finalises the report although
	// the blameless checker finds errors in it; the override is recorded.
	OverrideReason string `json:"override_reason,omitempty"`
}

func (s *Server) apiListPostmortems(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, err := apiPostmortemFilter(q)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	list, total, err := s.flow.List(r.Context(), actorFrom(r.Context()), f)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWritePage(s, w, r, listEnvelope[debrief.PostmortemSummary]{
		Items: list, Total: total, Limit: f.Limit, Offset: f.Offset,
	})
}

// apiPostmortemFilter reads the list's filters. A wrong value is refused,
// naming the parameter, rather than ignored.
func apiPostmortemFilter(q url.Values) (debrief.PostmortemFilter, error) {
	f := debrief.PostmortemFilter{
		Service:  strings.TrimSpace(q.Get("service")),
		Category: debrief.Category(strings.TrimSpace(q.Get("category"))),
		Tag:      strings.TrimSpace(q.Get("tag")),
		Sort:     q.Get("sort"),
	}
	var err error
	if f.Severity, err = apiSeverity(q.Get("severity")); err != nil {
		return f, err
	}
	if st := q.Get("status"); st != "" {
		if f.Status, err = debrief.ParseStatus(st); err != nil {
			return f, err
		}
	}
	if y := q.Get("year"); y != "" {
		n, err := strconv.Atoi(y)
		if err != nil || n < 1900 || n > 9999 {
			return f, debrief.FieldErrorf("year", "year %q is not a four-digit year", y)
		}
		f.Year = n
	}
	if !validSort(f.Sort) {
		return f, debrief.FieldErrorf("sort",
			"sort %q is not one of date, date_asc and title", f.Sort)
	}
	f.Limit, f.Offset, err = apiPage(q)
	return f, err
}

// apiSeverity reads a severity filter as people write it ("p1",
// "critical", "SEV-1"), as imports read it from reports.
func apiSeverity(s string) (debrief.Severity, error) {
	if strings.TrimSpace(s) == "" {
		return "", nil
	}
	sev, _, ok := debrief.ParseSeverity(s)
	if !ok {
		return "", debrief.FieldErrorf("severity",
			"severity %q is not one: use P1 to P4, or words such as critical or minor", s)
	}
	return sev, nil
}

func (s *Server) apiCreatePostmortem(w http.ResponseWriter, r *http.Request) {
	data, err := apiReadBody(w, r, "application/json")
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	a := actorFrom(r.Context())
	var p *debrief.Postmortem
	if incidentID, ok, err := startsFromIncident(data); err != nil {
		s.apiFail(w, r, err)
		return
	} else if ok {
		p, err = s.flow.CreateFromIncident(r.Context(), a, incidentID, "api")
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
	} else {
		if p, err = workflow.DecodeReport(data); err != nil {
			s.apiFail(w, r, err)
			return
		}
		p.Source = debrief.Source{Format: "api"}
		if err := s.flow.Create(r.Context(), a, p); err != nil {
			s.apiFail(w, r, err)
			return
		}
	}
	w.Header().Set("Location", "/api/v1/postmortems/"+url.PathEscape(p.ID))
	s.apiCurrentReport(w, r, http.StatusCreated, p)
}

// startsFromIncident tells the two bodies of a create apart: an object
// whose only field is incident_id starts from an incident.
func startsFromIncident(data []byte) (string, bool, error) {
	var probe map[string]json.RawMessage
	if json.Unmarshal(data, &probe) != nil || probe["incident_id"] == nil {
		return "", false, nil
	}
	var c createFromIncident
	if err := apiDecodeJSON(data, &c); err != nil {
		return "", false, debrief.FieldErrorf(debrief.ErrorField(err),
			"a body with incident_id starts a report from an incident and has no "+
				"other field: %s", debrief.ErrorMessage(err))
	}
	if strings.TrimSpace(c.IncidentID) == "" {
		return "", false, debrief.FieldErrorf("incident_id", "incident_id is empty")
	}
	return c.IncidentID, true, nil
}

// apiReport answers with a whole report and its version as the ETag.
func (s *Server) apiReport(
	w http.ResponseWriter,
	r *http.Request,
	status int,
	p *debrief.Postmortem,
) {
	w.Header().Set("ETag", versionETag(p.Version))
	s.apiJSON(w, r, status, p)
}

// apiReadChange reads what every change to a stored report sends: the
// version it was made from, in If-Match, and a JSON body. A missing
// If-Match is refused before the body is read.
func apiReadChange(w http.ResponseWriter, r *http.Request) (int, []byte, error) {
	base, err := apiIfMatch(r)
	if err != nil {
		return 0, nil, err
	}
	data, err := apiReadBody(w, r, "application/json")
	return base, data, err
}

func (s *Server) apiGetPostmortem(w http.ResponseWriter, r *http.Request) {
	p, err := s.flow.Get(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if apiNotModified(r, p.Version) {
		w.Header().Set("ETag", versionETag(p.Version))
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.apiCurrentReport(w, r, http.StatusOK, p)
}

func (s *Server) apiReplacePostmortem(w http.ResponseWriter, r *http.Request) {
	base, data, err := apiReadChange(w, r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	p, err := workflow.DecodeReport(withoutReadOnly(data))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	id := r.PathValue("id")
	if p.ID != "" && p.ID != id {
		s.apiFail(w, r, debrief.FieldErrorf("id",
			"the body is report %q but the address is report %q", p.ID, id))
		return
	}
	p.ID, p.Version = id, base
	if err := s.flow.Replace(r.Context(), actorFrom(r.Context()), p); err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiCurrentReport(w, r, http.StatusOK, p)
}

func (s *Server) apiDeletePostmortem(w http.ResponseWriter, r *http.Request) {
	base, err := apiIfMatch(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if err := s.flow.Delete(r.Context(), actorFrom(r.Context()), r.PathValue("id"), base); err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiGetSection(w http.ResponseWriter, r *http.Request) {
	sec, err := workflow.SectionByKey(r.PathValue("section"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	p, err := s.flow.Get(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.Header().Set("ETag", versionETag(p.Version))
	if apiNotModified(r, p.Version) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	s.apiJSON(w, r, http.StatusOK, sec.Value(withEmptyLists(p)))
}

func (s *Server) apiEditSection(w http.ResponseWriter, r *http.Request) {
	sec, err := workflow.SectionByKey(r.PathValue("section"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	base, data, err := apiReadChange(w, r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	from, err := sec.Decode(data)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	id := r.PathValue("id")
	p, err := s.flow.EditSection(r.Context(), actorFrom(r.Context()), id, base, sec, from)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.Header().Set("ETag", versionETag(p.Version))
	s.apiJSON(w, r, http.StatusOK, sec.Value(withEmptyLists(p)))
}

// withEmptyLists returns a copy of p whose absent lists and maps are empty
// ones, so that a section encodes them as [] and {} rather than null.
func withEmptyLists(p *debrief.Postmortem) *debrief.Postmortem {
	c := *p
	v := reflect.ValueOf(&c).Elem()
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case f.Kind() == reflect.Slice && f.IsNil():
			f.Set(reflect.MakeSlice(f.Type(), 0, 0))
		case f.Kind() == reflect.Map && f.IsNil():
			f.Set(reflect.MakeMap(f.Type()))
		}
	}
	return &c
}

func (s *Server) apiTransition(w http.ResponseWriter, r *http.Request) {
	base, data, err := apiReadChange(w, r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	var body transitionRequest
	if err := apiDecodeJSON(data, &body); err != nil {
		s.apiFail(w, r, err)
		return
	}
	to, err := debrief.ParseStatus(string(body.Status))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	id := r.PathValue("id")
	p, err := s.flow.Transition(r.Context(), actorFrom(r.Context()), id, base, to,
		workflow.OverrideErrors(body.OverrideReason))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiCurrentReport(w, r, http.StatusOK, p)
}
