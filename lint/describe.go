package lint

import "fmt"

// describe gives a span its severity, message and suggested rewrite.
func describe(s span, words string) Finding {
	f := Finding{Rule: s.rule, Severity: Warning}
	switch s.rule {
	case "blame.human-error", "blame.fault-label":
		f.Severity = Error
		f.Message = fmt.Sprintf("%q labels the failure as a person's fault", words)
		f.Suggestion = helpLabel
	case "blame.person-fault":
		f.Severity = Error
		f.Message = fmt.Sprintf("%q makes the failure a person's fault", words)
		f.Suggestion = helpPersonFault
	case "blame.judgement":
		f.Severity = Error
		f.Message = fmt.Sprintf("%q judges a person's character or conduct", words)
		f.Suggestion = helpJudgement
	case "blame.punitive":
		f.Severity = Error
		f.Message = fmt.Sprintf("%q aims the outcome at punishing a person", words)
		f.Suggestion = helpPunitive
	case "blame.person-failed":
		f.Message = fmt.Sprintf("a person is the subject of a failure: %q", words)
		f.Suggestion = helpPersonFailed
	case "blame.counterfactual":
		f.Message = fmt.Sprintf("%q says what a person ought to have done", words)
		f.Suggestion = helpCounterfactual
	case "blame.hindsight":
		f.Message = fmt.Sprintf("%q judges with hindsight or trivialises the work", words)
		f.Suggestion = helpHindsight
	case "pii.name":
		f.Message = fmt.Sprintf("%q looks like a person's name", words)
		f.Suggestion = roleSuggestion(s.role)
		f.Replacement = "a responder"
		if s.role != "" {
			f.Replacement = "the " + s.role
		}
	case "pii.email":
		f.Message = "personal e-mail address"
		f.Suggestion = helpEmail
		f.Replacement = "[e-mail address]"
	case "pii.phone":
		f.Message = "phone number"
		f.Suggestion = helpPhone
		f.Replacement = "[phone number]"
	case "pii.handle":
		f.Message = fmt.Sprintf("%q is a person's chat handle", words)
		f.Suggestion = helpHandle
		f.Replacement = "a responder"
	}
	return f
}

func roleSuggestion(role string) string {
	if role == "" {
		return helpName
	}
	return fmt.Sprintf("Use the person's role: %q.", "the "+role)
}
