package lint

import "fmt"

// describe gives a span its severity, message and suggested rewrite.
func describe(s span, words string) Finding {
	f := Finding{Rule: s.rule, Severity: Warning}
	switch s.rule {
	case "blame.human-error", "blame.fault-label":
		f.Severity = Error
		f.Message = fmt.Sprintf("%q labels the failure as a person's fault", words)
		f.Suggestion = "Describe what made the action possible or likely: what in the " +
			"system allowed it, and what would have caught it?"
	case "blame.person-fault":
		f.Severity = Error
		f.Message = fmt.Sprintf("%q makes the failure a person's fault", words)
		f.Suggestion = "Name the change or the condition instead of its author: " +
			"\"the change to …\", and ask what allowed it to reach production."
	case "blame.judgement":
		f.Severity = Error
		f.Message = fmt.Sprintf("%q judges a person's character or conduct", words)
		f.Suggestion = "State what happened and why it made sense at the time, " +
			"without the judgement."
	case "blame.punitive":
		f.Severity = Error
		f.Message = fmt.Sprintf("%q aims the outcome at punishing a person", words)
		f.Suggestion = "Aim the action at the system: a guard-rail, a check or an " +
			"automation that makes the mistake hard to make."
	case "blame.person-failed":
		f.Message = fmt.Sprintf("a person is the subject of a failure: %q", words)
		f.Suggestion = "Make the system the subject: what in the process or tooling " +
			"allowed this, e.g. \"the runbook did not require …\"?"
	case "blame.counterfactual":
		f.Message = fmt.Sprintf("%q says what a person ought to have done", words)
		f.Suggestion = "Describe what was known at the time and what would have made " +
			"the safer path the easy one."
	case "blame.hindsight":
		f.Message = fmt.Sprintf("%q judges with hindsight or trivialises the work", words)
		f.Suggestion = "Remove the hindsight word; describe what the responder could " +
			"see at the time and what made it hard."
	case "pii.name":
		f.Message = fmt.Sprintf("%q looks like a person's name", words)
		f.Suggestion = roleSuggestion(s.role)
		f.Replacement = "a responder"
		if s.role != "" {
			f.Replacement = "the " + s.role
		}
	case "pii.email":
		f.Message = "personal e-mail address"
		f.Suggestion = "Use the role or a team mailbox instead, e.g. \"the incident commander\"."
		f.Replacement = "[e-mail address]"
	case "pii.phone":
		f.Message = "phone number"
		f.Suggestion = "Remove the number; refer to the paging tool or the on-call role."
		f.Replacement = "[phone number]"
	case "pii.handle":
		f.Message = fmt.Sprintf("%q is a person's chat handle", words)
		f.Suggestion = "Name the role instead, e.g. \"the on-call engineer\"."
		f.Replacement = "a responder"
	}
	return f
}

func roleSuggestion(role string) string {
	if role == "" {
		return "Name the person's role in this incident instead, " +
			"e.g. \"the on-call engineer\" or \"the incident commander\"."
	}
	return fmt.Sprintf("Use the person's role: %q.", "the "+role)
}
