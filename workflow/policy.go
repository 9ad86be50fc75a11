package workflow

import (
	"context"
	"log/slog"
	"slices"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/policy"
)

// The trigger policy decides whether an incident needs a postmortem. It is
// asked when an incident opens or resolves through its alerts, when a
// person changes the incident or files a request, and on demand. A required
// postmortem for a resolved incident is created as a draft at once, with
// its timeline seeded from the incident's alerts, so nobody has to
// remember to start one.

// policyActor is who the policy acts as when it opens a draft: it appears
// as the author of the draft's first revision.
var policyActor = debrief.Actor{Name: "debrief", DisplayName: "debrief policy",
	Role: debrief.AccessAdmin}

// Policy returns the trigger policy in force.
func (s *Service) Policy() *policy.Policy { return s.policy }

// Decide asks the policy about the incident now and records its decision.
// Any reader of the incident may ask.
func (s *Service) Decide(
	ctx context.Context,
	a debrief.Actor,
	incidentID string,
) (*debrief.Decision, error) {
	if _, err := s.Incident(ctx, a, incidentID); err != nil {
		return nil, err
	}
	return s.decide(ctx, incidentID, "on demand")
}

// Decisions returns the incident's decisions, newest first.
func (s *Service) Decisions(
	ctx context.Context,
	a debrief.Actor,
	incidentID string,
) ([]debrief.Decision, error) {
	if _, err := s.Incident(ctx, a, incidentID); err != nil {
		return nil, err
	}
	return s.store.Decisions(ctx, incidentID)
}

// PolicyRequests returns the incident's waivers and learning requests.
func (s *Service) PolicyRequests(
	ctx context.Context,
	a debrief.Actor,
	incidentID string,
) ([]debrief.PolicyRequest, error) {
	if _, err := s.Incident(ctx, a, incidentID); err != nil {
		return nil, err
	}
	return s.store.PolicyRequests(ctx, incidentID)
}

// Request files a waiver or a learning request for the incident, in the
// actor's name, and asks the policy again. Anyone who may read the
// incident may ask for a learning postmortem, as the guide wants; a waiver
// takes someone who may write. The policy says whether a reason is enough
// or an approver is needed.
func (s *Service) Request(
	ctx context.Context,
	a debrief.Actor,
	incidentID string,
	kind debrief.RequestKind,
	reason string,
) (*debrief.PolicyRequest, *debrief.Decision, error) {
	need := debrief.AccessViewer
	if kind != debrief.RequestLearning {
		need = debrief.AccessContributor
	}
	if err := allow(a, need, "asking the policy for a "+string(kind)); err != nil {
		return nil, nil, err
	}
	if _, err := s.Incident(ctx, a, incidentID); err != nil {
		return nil, nil, err
	}
	r := &debrief.PolicyRequest{IncidentID: incidentID, Kind: kind,
		Reason: strings.TrimSpace(reason), RequestedBy: a.Name}
	if err := s.policy.CheckRequest(*r); err != nil {
		return nil, nil, err
	}
	if err := s.store.SavePolicyRequest(ctx, r); err != nil {
		return nil, nil, err
	}
	s.logger.LogAttrs(ctx, slog.LevelInfo, "policy request filed",
		slog.String("incident_id", incidentID), slog.String("kind", string(kind)),
		slog.Int64("user_id", a.UserID))
	d, err := s.decide(ctx, incidentID, "request")
	return r, d, err
}

// Approve approves a learning request. The policy names who may approve
// (a manager or the incident management lead); nobody approves their own.
func (s *Service) Approve(
	ctx context.Context,
	a debrief.Actor,
	incidentID string,
	requestID int64,
) (*debrief.PolicyRequest, *debrief.Decision, error) {
	rs, err := s.PolicyRequests(ctx, a, incidentID)
	if err != nil {
		return nil, nil, err
	}
	i := slices.IndexFunc(rs, func(r debrief.PolicyRequest) bool { return r.ID == requestID })
	if i < 0 {
		return nil, nil, debrief.Errorf(debrief.KindNotFound,
			"incident %s has no request %d", incidentID, requestID)
	}
	r := &rs[i]
	switch {
	case r.Kind != debrief.RequestLearning:
		return nil, nil, debrief.Errorf(debrief.KindInvalid,
			"request %d is a %s: only learning requests are approved", requestID, r.Kind)
	case r.Approved():
		return nil, nil, debrief.Errorf(debrief.KindConflict,
			"request %d was approved by %s already", requestID, r.ApprovedBy)
	}
	if err := s.policy.CheckApprover(a, *r); err != nil {
		return nil, nil, err
	}
	r.ApprovedBy, r.ApprovedAt = a.Name, s.now().UTC()
	if err := s.store.SavePolicyRequest(ctx, r); err != nil {
		return nil, nil, err
	}
	s.logger.LogAttrs(ctx, slog.LevelInfo, "learning request approved",
		slog.String("incident_id", incidentID), slog.Int64("user_id", a.UserID))
	d, err := s.decide(ctx, incidentID, "approval")
	return r, d, err
}

// decide asks the policy about an incident, records the decision when it
// differs from the last one, and opens the draft a required, resolved
// incident does not have yet (unless it had one, which was deleted).
func (s *Service) decide(
	ctx context.Context,
	incidentID string,
	trigger string,
) (*debrief.Decision, error) {
	in, err := s.store.Incident(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	facts, err := s.policyFacts(ctx, &in.Incident)
	if err != nil {
		return nil, err
	}
	past, err := s.store.Decisions(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	d := s.policy.Decide(facts, trigger)
	d.IncidentID, d.DecidedAt, d.PostmortemID = incidentID, s.now().UTC(), in.PostmortemID
	if d.Required() && in.PostmortemID == "" && in.Status == debrief.IncidentResolved &&
		!openedBefore(past) {
		p, err := s.CreateFromIncident(ctx, policyActor, incidentID, "policy")
		if err != nil {
			return nil, err
		}
		d.PostmortemID = p.ID
		s.logger.LogAttrs(ctx, slog.LevelInfo, "postmortem required: draft opened",
			slog.String("incident_id", incidentID), slog.String("postmortem_id", p.ID),
			slog.String("rule", d.Rule))
	}
	if len(past) > 0 && sameDecision(&past[0], &d) {
		return &past[0], nil
	}
	if err := s.store.SaveDecision(ctx, &d); err != nil {
		return nil, err
	}
	if d.PostmortemID != "" && len(past) > 0 && past[0].Outcome != d.Outcome {
		// Waived, or required again: the report's deadlines follow.
		p, err := s.store.Postmortem(ctx, d.PostmortemID)
		if err != nil {
			return nil, err
		}
		s.settleDeadlines(ctx, p)
	}
	return &d, nil
}

// openedBefore reports whether the policy opened a draft for the incident
// before: when that report is gone, an admin deleted it, and the policy
// does not bring it back by itself (a person still may).
func openedBefore(past []debrief.Decision) bool {
	return slices.ContainsFunc(past, func(d debrief.Decision) bool { return d.PostmortemID != "" })
}

// sameDecision reports whether a new decision says nothing the last did not.
func sameDecision(last, d *debrief.Decision) bool {
	return last.Outcome == d.Outcome && last.Rule == d.Rule &&
		last.Explanation == d.Explanation && last.PostmortemID == d.PostmortemID
}

// policyFacts gathers what the policy reads about an incident: the
// incident, its requests, and how many incidents on the same service and
// category fell in the recurrence window before it (with several services,
// the most on any one).
func (s *Service) policyFacts(ctx context.Context, in *debrief.Incident) (policy.Facts, error) {
	f := policy.Facts{Incident: *in, Now: s.now()}
	rs, err := s.store.PolicyRequests(ctx, in.ID)
	if err != nil {
		return f, err
	}
	f.Requests = rs
	within, ok := s.policy.RecurrenceWindow()
	if !ok || in.Category == "" || in.StartedAt.IsZero() {
		return f, nil
	}
	for _, svc := range in.Services {
		n, err := s.store.CountIncidents(ctx, debrief.RecurrenceQuery{Service: svc,
			Category: in.Category, From: in.StartedAt.Add(-within), To: in.StartedAt})
		if err != nil {
			return f, err
		}
		if n > f.Recurrences {
			f.Recurrences, f.RecurrenceService = n, svc
		}
	}
	return f, nil
}
