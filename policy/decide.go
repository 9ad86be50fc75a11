package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// Facts are what the policy reads about one incident. The caller gathers
// them from its stores; the policy asks for nothing itself.
type Facts struct {
	Incident debrief.Incident
	// Recurrences counts the incidents on the same service and category
	// that started within the recurrence window ending at this incident's
	// start (see RecurrenceWindow), this one included. With several
	// services it is the largest count of any one.
	Recurrences int
	// RecurrenceService names the service Recurrences was counted on, for
	// the explanation; empty means the incident's only service, or "one of"
	// its services when it has several.
	RecurrenceService string
	// Requests are the incident's waivers and learning requests, in any
	// order. Requests for another incident are set aside.
	Requests []debrief.PolicyRequest
	// Now is when the decision is made; it becomes the decision's DecidedAt.
	Now time.Time
}

// LearningRule is the Rule of a decision made by a learning request.
const LearningRule = "learning request"

// Decide decides whether the incident needs a postmortem, and why. The
// rules are checked in the policy's order; the first one met decides and
// gives the Rule and the Explanation, and Reasons lists every rule with the
// facts it saw. An incident not resolved yet has no duration: the duration
// rule says so and the others decide. A required postmortem is waived by
// the latest waiver with a reason, when every rule that was met may be
// waived for the incident's severity. An approved learning request requires
// a postmortem the rules did not (or that was waived); one waiting for its
// approver makes the outcome "requested". trigger says what asked
// ("resolved", "changed", "on demand") and is kept in the decision.
func (p *Policy) Decide(f Facts, trigger string) debrief.Decision {
	sev, sevText := severityOf(f.Incident.Severity)
	d := debrief.Decision{IncidentID: f.Incident.ID, Trigger: trigger, DecidedAt: f.Now}
	checks := make([]check, len(p.rules))
	var met []*check
	for i := range p.rules {
		checks[i] = p.rules[i].check(&f, sev)
		d.Reasons = append(d.Reasons, checks[i].reason(sevText))
		if checks[i].met {
			met = append(met, &checks[i])
		}
	}
	rs := sortRequests(&f)
	d.Reasons = append(d.Reasons, rs.notes...)

	if len(met) > 0 {
		d.Outcome, d.Rule = debrief.OutcomeRequired, met[0].rule.name
		d.Explanation = "required: " + met[0].summary(sevText)
		applyWaiver(&d, rs.waiver, met, sev, sevText)
	} else {
		d.Outcome = debrief.OutcomeNotRequired
		d.Explanation = "not required: " + notMet(checks, sev, sevText)
		if w := rs.waiver; w != nil {
			d.Reasons = append(d.Reasons, fmt.Sprintf("waiver by %s: nothing to waive, "+
				"no rule requires a postmortem", who(w.RequestedBy)))
		}
	}
	applyLearning(&d, &rs)
	return d
}

// applyWaiver waives a required postmortem when every rule that required
// it may be waived for the severity, and otherwise says which may not.
func applyWaiver(
	d *debrief.Decision,
	w *debrief.PolicyRequest,
	met []*check,
	sev debrief.Severity,
	sevText string,
) {
	if w == nil {
		return
	}
	for _, c := range met {
		if !slices.Contains(c.rule.waivable, sev) {
			why := fmt.Sprintf("the %s rule cannot be waived for %s", c.rule.name, sevText)
			d.Explanation += fmt.Sprintf("; waiver by %s not applied: %s",
				who(w.RequestedBy), why)
			d.Reasons = append(d.Reasons, fmt.Sprintf("waiver by %s: %s (reason given: %s)",
				who(w.RequestedBy), why, oneLine(w.Reason)))
			return
		}
	}
	d.Outcome = debrief.OutcomeWaived
	d.Explanation = fmt.Sprintf("waived: %s, reason: %s (by %s)", sevText,
		oneLine(w.Reason), who(w.RequestedBy))
	d.Reasons = append(d.Reasons, fmt.Sprintf("waiver by %s: %s", who(w.RequestedBy),
		oneLine(w.Reason)))
}

// applyLearning lets a learning request decide an incident the rules did
// not require a postmortem for, or whose postmortem was waived.
func applyLearning(d *debrief.Decision, rs *requests) {
	for _, r := range []*debrief.PolicyRequest{rs.approved, rs.pending} {
		if r == nil {
			continue
		}
		state := "waiting for an approver"
		if r == rs.approved {
			state = "approved by " + who(r.ApprovedBy)
		}
		line := fmt.Sprintf("learning request by %s, %s", who(r.RequestedBy), state)
		d.Reasons = append(d.Reasons, line+": "+oneLine(r.Reason))
		if d.Outcome == debrief.OutcomeRequired {
			continue
		}
		d.Rule = LearningRule
		if r == rs.approved {
			d.Outcome, d.Explanation = debrief.OutcomeRequired, "required: "+line
			return
		}
		d.Outcome, d.Explanation = debrief.OutcomeRequested, "requested: "+line
	}
}

// requests are an incident's requests as Decide uses them.
type requests struct {
	// waiver is the latest waiver that gives a reason.
	waiver *debrief.PolicyRequest
	// approved is the learning request approved first; pending the first
	// one still waiting, when none is approved.
	approved, pending *debrief.PolicyRequest
	// notes say which requests were set aside, and why.
	notes []string
}

func sortRequests(f *Facts) requests {
	var rs requests
	for i := range f.Requests {
		r := &f.Requests[i]
		switch {
		case r.IncidentID != "" && r.IncidentID != f.Incident.ID:
			rs.notes = append(rs.notes, fmt.Sprintf("request %d set aside: it is about "+
				"another incident", r.ID))
		case r.Kind != debrief.RequestWaiver && r.Kind != debrief.RequestLearning:
			rs.notes = append(rs.notes, fmt.Sprintf("request %d set aside: %q is not "+
				"a kind of request", r.ID, r.Kind))
		case strings.TrimSpace(r.Reason) == "":
			rs.notes = append(rs.notes, fmt.Sprintf("%s by %s set aside: it gives no reason",
				kindName(r.Kind), who(r.RequestedBy)))
		case r.Kind == debrief.RequestWaiver:
			if rs.waiver == nil || !r.RequestedAt.Before(rs.waiver.RequestedAt) {
				rs.waiver = r
			}
		case r.Approved():
			if rs.approved == nil || r.ApprovedAt.Before(rs.approved.ApprovedAt) {
				rs.approved = r
			}
		case rs.pending == nil:
			rs.pending = r
		}
	}
	if rs.approved != nil {
		rs.pending = nil
	}
	return rs
}

func kindName(k debrief.RequestKind) string {
	if k == debrief.RequestWaiver {
		return "waiver"
	}
	return "learning request"
}

// who names a person in an explanation.
func who(login string) string {
	if login = strings.TrimSpace(login); login == "" {
		return "someone unnamed"
	}
	return login
}

// oneLine puts a person's text on one line, as an explanation is.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// severityOf reads the incident's severity onto the ladder, and how the
// explanation names it. A severity not on the ladder is treated as none.
func severityOf(s debrief.Severity) (debrief.Severity, string) {
	text := strings.TrimSpace(string(s))
	if text == "" {
		return "", "no severity"
	}
	if sev, _, ok := debrief.ParseSeverity(text); ok {
		return sev, string(sev)
	}
	return "", fmt.Sprintf("severity %q (not on the ladder)", oneLine(text))
}
