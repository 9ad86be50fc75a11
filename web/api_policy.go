package web

import (
	"net/http"
	"strconv"

	"github.com/debrief-oss/debrief"
)

// The API's view of what alerts and the trigger policy did to incidents:
// an incident's alert events and alerts, the policy's decisions, waivers
// and learning requests, and the deadlines of reports.

func (s *Server) apiIncidentEvents(w http.ResponseWriter, r *http.Request) {
	events, err := s.flow.IncidentEvents(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWriteItems(s, w, r, events)
}

func (s *Server) apiIncidentAlerts(w http.ResponseWriter, r *http.Request) {
	alerts, err := s.flow.Alerts(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWriteItems(s, w, r, alerts)
}

func (s *Server) apiListDecisions(w http.ResponseWriter, r *http.Request) {
	ds, err := s.flow.Decisions(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWriteItems(s, w, r, ds)
}

func (s *Server) apiDecide(w http.ResponseWriter, r *http.Request) {
	d, err := s.flow.Decide(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, d)
}

func (s *Server) apiListPolicyRequests(w http.ResponseWriter, r *http.Request) {
	rs, err := s.flow.PolicyRequests(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWriteItems(s, w, r, rs)
}

// newPolicyRequest is what a person sends to ask for a waiver or a
// learning postmortem.
type newPolicyRequest struct {
	Kind   debrief.RequestKind `json:"kind"`
	Reason string              `json:"reason"`
}

// policyAnswer is a request as stored with the decision it led to.
type policyAnswer struct {
	Request  *debrief.PolicyRequest `json:"request"`
	Decision *debrief.Decision      `json:"decision"`
}

func (s *Server) apiCreatePolicyRequest(w http.ResponseWriter, r *http.Request) {
	var in newPolicyRequest
	if err := apiReadJSON(w, r, &in); err != nil {
		s.apiFail(w, r, err)
		return
	}
	if in.Kind != debrief.RequestWaiver && in.Kind != debrief.RequestLearning {
		s.apiFail(w, r, debrief.FieldErrorf("kind",
			"kind %q is not waiver or learning", in.Kind))
		return
	}
	req, d, err := s.flow.Request(r.Context(), actorFrom(r.Context()), r.PathValue("id"),
		in.Kind, in.Reason)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusCreated, policyAnswer{Request: req, Decision: d})
}

func (s *Server) apiApprovePolicyRequest(w http.ResponseWriter, r *http.Request) {
	v := r.PathValue("request")
	rid, err := strconv.ParseInt(v, 10, 64)
	if err != nil || rid <= 0 {
		s.apiFail(w, r, debrief.Errorf(debrief.KindNotFound, "request %q not found", v))
		return
	}
	req, d, err := s.flow.Approve(r.Context(), actorFrom(r.Context()), r.PathValue("id"), rid)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, policyAnswer{Request: req, Decision: d})
}

func (s *Server) apiDeadlines(w http.ResponseWriter, r *http.Request) {
	ds, err := s.flow.Deadlines(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWriteItems(s, w, r, ds)
}

func (s *Server) apiOverdue(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := apiPage(r.URL.Query())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	list, total, err := s.flow.Overdue(r.Context(), actorFrom(r.Context()), limit, offset)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWritePage(s, w, r, listEnvelope[debrief.OverdueDeadline]{
		Items: list, Total: total, Limit: limit, Offset: offset,
	})
}
