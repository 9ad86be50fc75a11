package debrief

import (
	"context"
	"time"
)

// Outcome is what the trigger policy decided about an incident.
type Outcome string

// The policy outcomes. An incident the policy does not require a
// postmortem for may still get one on an approved learning request; a
// required one may be waived where its rule allows, with a reason.
const (
	OutcomeRequired    Outcome = "required"
	OutcomeNotRequired Outcome = "not_required"
	OutcomeWaived      Outcome = "waived"
	// OutcomeRequested is a learning request waiting for its approver.
	OutcomeRequested Outcome = "requested"
)

// Decision is the trigger policy's verdict on one incident, with the rule
// and the facts that made it, so that nobody has to guess why.
type Decision struct {
	IncidentID string  `json:"incident_id"`
	Outcome    Outcome `json:"outcome"`
	// Rule names the policy rule that decided ("severity", "duration",
	// "recurrence", "learning request"), empty when none applied.
	Rule string `json:"rule,omitempty"`
	// Explanation says it in one line: "required: P3, lasted 74 min > 60 min".
	Explanation string `json:"explanation"`
	// Reasons lists every rule that matched, and for a not-required
	// incident every rule that was checked and why it did not match.
	Reasons []string `json:"reasons,omitempty"`
	// Trigger is what asked for the decision: "resolved", "changed",
	// "on demand".
	Trigger   string    `json:"trigger"`
	DecidedAt time.Time `json:"decided_at"`
	// PostmortemID is the draft created for a required incident, if any.
	PostmortemID string `json:"postmortem_id,omitempty"`
}

// Required reports whether the incident needs a postmortem.
func (d *Decision) Required() bool { return d.Outcome == OutcomeRequired }

// RequestKind is what a person asks of the trigger policy.
type RequestKind string

// The policy requests: a waiver of a required postmortem (its reason is
// kept and shown), and a "learning opportunity" postmortem for an incident
// the policy does not require (it needs an approver).
const (
	RequestWaiver   RequestKind = "waiver"
	RequestLearning RequestKind = "learning"
)

// PolicyRequest is a waiver or a learning request on an incident.
type PolicyRequest struct {
	ID          int64       `json:"id"`
	IncidentID  string      `json:"incident_id"`
	Kind        RequestKind `json:"kind"`
	Reason      string      `json:"reason"`
	RequestedBy string      `json:"requested_by"`
	RequestedAt time.Time   `json:"requested_at"`
	// ApprovedBy and ApprovedAt are set when an approver agreed; a waiver
	// needs no approver, only its reason.
	ApprovedBy string    `json:"approved_by,omitempty"`
	ApprovedAt time.Time `json:"approved_at,omitzero"`
}

// Approved reports whether the request took effect.
func (r *PolicyRequest) Approved() bool {
	return r.Kind == RequestWaiver || !r.ApprovedAt.IsZero()
}

// DeadlineKind is a step of a postmortem that has a deadline.
type DeadlineKind string

// The deadlines: the meeting after resolution, the draft (the report sent
// for review) and the final report after the meeting.
const (
	DeadlineMeeting DeadlineKind = "meeting"
	DeadlineDraft   DeadlineKind = "draft"
	DeadlineFinal   DeadlineKind = "final"
)

// DeadlineKinds lists the deadlines in the order they fall.
var DeadlineKinds = []DeadlineKind{DeadlineMeeting, DeadlineDraft, DeadlineFinal}

// Deadline is when a step of a postmortem is due and when it was done.
type Deadline struct {
	PostmortemID string       `json:"postmortem_id"`
	Kind         DeadlineKind `json:"kind"`
	Due          time.Time    `json:"due"`
	// MetAt is when the step was done; zero while it is not.
	MetAt time.Time `json:"met_at,omitzero"`
	// Rule says how Due was reached: "48 hours after resolution".
	Rule string `json:"rule,omitempty"`
}

// Missed reports whether the step was done late, or is not done and
// overdue at now.
func (d *Deadline) Missed(now time.Time) bool {
	if d.MetAt.IsZero() {
		return now.After(d.Due)
	}
	return d.MetAt.After(d.Due)
}

// OverdueFilter narrows the list of overdue steps.
type OverdueFilter struct {
	// Now is the moment against which "overdue" is judged.
	Now time.Time
	// Reader, when set, leaves out reports Reader may not read.
	Reader *Actor
	Limit  int
	Offset int
}

// OverdueDeadline is a step not done by its due time, with its report.
type OverdueDeadline struct {
	Deadline
	Title  string `json:"title"`
	Status Status `json:"status"`
}

// RecurrenceQuery counts incidents on one service and category that
// started in [From, To].
type RecurrenceQuery struct {
	Service  string
	Category Category
	From, To time.Time
}

// PolicyStore keeps the trigger policy's decisions, people's waivers and
// learning requests, and postmortem deadlines.
type PolicyStore interface {
	// SaveDecision records a decision; the latest one for an incident is
	// its current decision, the earlier ones its history.
	SaveDecision(ctx context.Context, d *Decision) error
	// Decisions returns an incident's decisions, newest first.
	Decisions(ctx context.Context, incidentID string) ([]Decision, error)
	// SavePolicyRequest inserts a request (ID zero; ID and RequestedAt are
	// set) or records its approval (ApprovedBy, ApprovedAt) by ID.
	SavePolicyRequest(ctx context.Context, r *PolicyRequest) error
	// PolicyRequests returns an incident's requests, oldest first.
	PolicyRequests(ctx context.Context, incidentID string) ([]PolicyRequest, error)
	// CountIncidents counts incidents with the service (ignoring case) and
	// category that started within the query's window.
	CountIncidents(ctx context.Context, q RecurrenceQuery) (int, error)
	// SaveDeadlines replaces the report's deadlines.
	SaveDeadlines(ctx context.Context, postmortemID string, ds []Deadline) error
	// Deadlines returns the report's deadlines in the order they fall.
	Deadlines(ctx context.Context, postmortemID string) ([]Deadline, error)
	// OverdueDeadlines lists steps not done and past due at f.Now, the
	// longest overdue first, and how many there are in all.
	OverdueDeadlines(ctx context.Context, f OverdueFilter) ([]OverdueDeadline, int, error)
}
