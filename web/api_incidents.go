package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// The API's incidents, which exist before any report about them.

func (s *Server) apiListIncidents(w http.ResponseWriter, r *http.Request) {
	if err := canAPI(actorFrom(r.Context()), debrief.AccessViewer, "reading incidents"); err != nil {
		s.apiFail(w, r, err)
		return
	}
	q := r.URL.Query()
	f := debrief.IncidentFilter{Service: strings.TrimSpace(q.Get("service"))}
	if st := q.Get("status"); st != "" {
		f.Status = debrief.IncidentStatus(strings.ToLower(strings.TrimSpace(st)))
		if !slices.Contains(incidentStatusEnum(), string(f.Status)) {
			s.apiFail(w, r, debrief.FieldErrorf("status",
				"status %q is not one of open, acknowledged, mitigated and resolved", st))
			return
		}
	}
	if v := q.Get("without_postmortem"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			s.apiFail(w, r, debrief.FieldErrorf("without_postmortem",
				"without_postmortem %q is not true or false", v))
			return
		}
		f.WithoutPostmortem = b
	}
	var err error
	if f.Limit, f.Offset, err = apiPage(q); err != nil {
		s.apiFail(w, r, err)
		return
	}
	list, total, err := s.store.Incidents(r.Context(), f)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWritePage(s, w, r, listEnvelope[debrief.IncidentSummary]{
		Items: list, Total: total, Limit: f.Limit, Offset: f.Offset,
	})
}

func (s *Server) apiGetIncident(w http.ResponseWriter, r *http.Request) {
	if err := canAPI(actorFrom(r.Context()), debrief.AccessViewer, "reading incidents"); err != nil {
		s.apiFail(w, r, err)
		return
	}
	in, err := s.store.Incident(r.Context(), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, in)
}

func (s *Server) apiCreateIncident(w http.ResponseWriter, r *http.Request) {
	in, ok := s.readIncident(w, r)
	if !ok {
		return
	}
	if in.ID == "" {
		id, err := s.newIncidentID(r, in)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		in.ID = id
	}
	if err := checkIncidentID(in.ID); err != nil {
		s.apiFail(w, r, err)
		return
	}
	if _, err := s.store.Incident(r.Context(), in.ID); err == nil {
		s.apiFail(w, r, debrief.Errorf(debrief.KindConflict,
			"an incident with id %q already exists; PUT /api/v1/incidents/%s changes it",
			in.ID, in.ID))
		return
	} else if !debrief.IsNotFound(err) {
		s.apiFail(w, r, err)
		return
	}
	s.saveIncident(w, r, http.StatusCreated, in)
}

func (s *Server) apiReplaceIncident(w http.ResponseWriter, r *http.Request) {
	in, ok := s.readIncident(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	if in.ID != "" && in.ID != id {
		s.apiFail(w, r, debrief.FieldErrorf("id",
			"the body is incident %q but the address is incident %q", in.ID, id))
		return
	}
	in.ID = id
	if _, err := s.store.Incident(r.Context(), id); err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.saveIncident(w, r, http.StatusOK, in)
}

// readIncident checks the actor's role and reads and validates the body,
// answering the request when it cannot go on.
func (s *Server) readIncident(w http.ResponseWriter, r *http.Request) (*debrief.Incident, bool) {
	if err := canAPI(actorFrom(r.Context()), debrief.AccessContributor,
		"recording incidents"); err != nil {
		s.apiFail(w, r, err)
		return nil, false
	}
	var in debrief.Incident
	if err := apiReadJSON(w, r, &in); err != nil {
		s.apiFail(w, r, err)
		return nil, false
	}
	if strings.TrimSpace(in.Title) == "" {
		s.apiFail(w, r, debrief.FieldErrorf("title", "an incident needs a title"))
		return nil, false
	}
	if in.Status == "" {
		in.Status = debrief.IncidentOpen
	}
	if err := validateIncident(&in); err != nil {
		s.apiFail(w, r, err)
		return nil, false
	}
	return &in, true
}

// validateIncident checks an incident by the rules a report's header is
// checked by, naming fields as the incident's own.
func validateIncident(in *debrief.Incident) error {
	p := debrief.Postmortem{Status: debrief.StatusDraft, Incident: *in}
	err := p.Validate()
	if field := debrief.ErrorField(err); err != nil && strings.HasPrefix(field, "incident.") {
		msg := strings.ReplaceAll(debrief.ErrorMessage(err), "incident.", "")
		return debrief.FieldErrorf(strings.TrimPrefix(field, "incident."), "%s", msg)
	}
	return err
}

func (s *Server) saveIncident(
	w http.ResponseWriter,
	r *http.Request,
	status int,
	in *debrief.Incident,
) {
	if err := s.store.SaveIncident(r.Context(), in); err != nil {
		s.apiFail(w, r, err)
		return
	}
	saved, err := s.store.Incident(r.Context(), in.ID)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if status == http.StatusCreated {
		w.Header().Set("Location", "/api/v1/incidents/"+url.PathEscape(in.ID))
	}
	s.apiJSON(w, r, status, saved)
}

// newIncidentID makes an unused ID from the start date (or today) and the
// title: "inc-2026-03-07-checkout-502s", with a number added when taken.
func (s *Server) newIncidentID(r *http.Request, in *debrief.Incident) (string, error) {
	day := in.StartedAt
	if day.IsZero() {
		day = time.Now()
	}
	base := strings.TrimSuffix("inc-"+day.UTC().Format("2006-01-02")+"-"+
		workflow.Slug(in.Title), "-")
	for n := 1; ; n++ {
		id := base
		if n > 1 {
			id = base + "-" + strconv.Itoa(n)
		}
		_, err := s.store.Incident(r.Context(), id)
		if debrief.IsNotFound(err) {
			return id, nil
		}
		if err != nil {
			return "", err
		}
	}
}

// checkIncidentID accepts IDs that read well in a URL.
func checkIncidentID(id string) error {
	if len(id) > 100 {
		return debrief.FieldErrorf("id", "an id has at most 100 characters")
	}
	for _, c := range id {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '_' || c == '.'
		if !ok {
			return debrief.FieldErrorf("id",
				"id %q: use only letters, digits, '-', '_' and '.'", id)
		}
	}
	return nil
}
