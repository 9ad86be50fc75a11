package policy

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/debrief-oss/debrief"
)

// MaxReasonLen is the longest reason a waiver or a learning request may
// give, in bytes: a sentence or two, shown in the decision's explanation.
const MaxReasonLen = 1000

// CheckRequest checks a waiver or a learning request before it is stored:
// a known kind, the person asking, and a reason. A waiver's reason is the
// only thing that makes it take effect, and a learning request's is what
// its approver reads, so neither may be empty. The error is KindInvalid
// and names the field.
func (p *Policy) CheckRequest(r debrief.PolicyRequest) error {
	reason := strings.TrimSpace(r.Reason)
	switch {
	case r.Kind != debrief.RequestWaiver && r.Kind != debrief.RequestLearning:
		return debrief.FieldErrorf("kind", "kind %q is not a request: use %s or %s",
			r.Kind, debrief.RequestWaiver, debrief.RequestLearning)
	case strings.TrimSpace(r.RequestedBy) == "":
		return debrief.FieldErrorf("requested_by", "a request names the person who asks")
	case reason == "" && r.Kind == debrief.RequestWaiver:
		return debrief.FieldErrorf("reason", "a waiver needs a reason: say why this "+
			"incident needs no postmortem")
	case reason == "":
		return debrief.FieldErrorf("reason", "a learning request needs a reason: say what "+
			"there is to learn from this incident")
	case len(reason) > MaxReasonLen:
		return debrief.FieldErrorf("reason", "the reason has %d bytes; the limit is %d",
			len(reason), MaxReasonLen)
	case strings.IndexFunc(reason, isControl) >= 0:
		return debrief.FieldErrorf("reason", "the reason holds a control character")
	}
	return nil
}

// isControl reports control characters other than line breaks and tabs,
// which a person may type into a form.
func isControl(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
}

// MayApprove reports whether the actor may approve learning requests: by
// role, or by being named among the approvers (logins compare ignoring
// case). Nobody approves their own request; CheckApprover says so.
func (p *Policy) MayApprove(a debrief.Actor) bool {
	if slices.Contains(p.approvers.roles, a.Role) {
		return true
	}
	return slices.ContainsFunc(p.approvers.people, func(name string) bool {
		return strings.EqualFold(name, strings.TrimSpace(a.Name))
	})
}

// CheckApprover checks that the actor may approve the request: it is a
// learning request not approved yet, the actor did not file it, and the
// policy names the actor's role or login among its approvers. A waiver
// needs no approver (KindInvalid); an approved request is KindConflict;
// anything else is KindForbidden, saying who may approve.
func (p *Policy) CheckApprover(a debrief.Actor, r debrief.PolicyRequest) error {
	switch {
	case r.Kind != debrief.RequestLearning:
		return debrief.Errorf(debrief.KindInvalid, "request %d is a %s: only learning "+
			"requests are approved; a waiver takes effect with its reason", r.ID, r.Kind)
	case r.Approved():
		return debrief.Errorf(debrief.KindConflict, "request %d was approved by %s already",
			r.ID, who(r.ApprovedBy))
	case strings.EqualFold(strings.TrimSpace(a.Name), strings.TrimSpace(r.RequestedBy)):
		return debrief.Errorf(debrief.KindForbidden, "%s asked for this postmortem and "+
			"may not approve it: another approver must", a.Name)
	case !p.MayApprove(a):
		return debrief.Errorf(debrief.KindForbidden, "approving a learning request "+
			"needs %s", p.approverText())
	}
	return nil
}

// approverText says who may approve: "the role facilitator or admin, or
// being ana".
func (p *Policy) approverText() string {
	var who []string
	if rs := p.approvers.roles; len(rs) > 0 {
		names := make([]string, len(rs))
		for i, r := range rs {
			names[i] = string(r)
		}
		who = append(who, "the role "+joinWords(names, "or"))
	}
	if len(p.approvers.people) > 0 {
		who = append(who, "being "+joinWords(p.approvers.people, "or"))
	}
	return fmt.Sprintf("%s (learning_requests.approvers)", joinWords(who, "or"))
}
