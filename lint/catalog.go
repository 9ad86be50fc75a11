package lint

// Rule describes one rule of the checker, for tools that list rules before
// any finding: SARIF's rules array, an editor's help.
type Rule struct {
	ID string
	// Severity is the rule's own grade; a config can regrade it, and the
	// completeness rules report a draft's gaps as warnings.
	Severity Severity
	Summary  string // one sentence
	Help     string // what to write instead
}

// Help texts shared by the rules' findings and the catalog.
const (
	helpLabel = "Describe what made the action possible or likely: what in the " +
		"system allowed it, and what would have caught it?"
	helpPersonFault = "Name the change or the condition instead of its author: " +
		"\"the change to …\", and ask what allowed it to reach production."
	helpJudgement = "State what happened and why it made sense at the time, " +
		"without the judgement."
	helpPunitive = "Aim the action at the system: a guard-rail, a check or an " +
		"automation that makes the mistake hard to make."
	helpPersonFailed = "Make the system the subject: what in the process or tooling " +
		"allowed this, e.g. \"the runbook did not require …\"?"
	helpCounterfactual = "Describe what was known at the time and what would have made " +
		"the safer path the easy one."
	helpHindsight = "Remove the hindsight word; describe what the responder could " +
		"see at the time and what made it hard."
	helpName = "Name the person's role in this incident instead, " +
		"e.g. \"the on-call engineer\" or \"the incident commander\"."
	helpEmail  = "Use the role or a team mailbox instead, e.g. \"the incident commander\"."
	helpPhone  = "Remove the number; refer to the paging tool or the on-call role."
	helpHandle = "Name the role instead, e.g. \"the on-call engineer\"."
)

var catalog = []Rule{
	{"blame.human-error", Error, "The failure is labelled human or operator error.",
		helpLabel},
	{"blame.fault-label", Error, "The failure is labelled a person's mistake " +
		"(\"rookie mistake\", \"dropped the ball\").", helpLabel},
	{"blame.person-fault", Error, "The failure is called a person's fault, mistake " +
		"or oversight.", helpPersonFault},
	{"blame.judgement", Error, "A word judges a person's character or conduct " +
		"(careless, lazy, negligent).", helpJudgement},
	{"blame.punitive", Error, "An outcome or action aims at punishing or " +
		"correcting a person.", helpPunitive},
	{"blame.person-failed", Warning, "A person, role or team is the subject of a " +
		"failure (forgot, ignored, failed to, did not check).", helpPersonFailed},
	{"blame.counterfactual", Warning, "The text says what a person should or could " +
		"have done.", helpCounterfactual},
	{"blame.hindsight", Warning, "A hindsight or trivialising word (obviously, " +
		"simply had to) judges the work after the fact.", helpHindsight},
	{"pii.name", Warning, "A person's name; a postmortem names roles.", helpName},
	{"pii.email", Warning, "A personal e-mail address.", helpEmail},
	{"pii.phone", Warning, "A phone number.", helpPhone},
	{"pii.handle", Warning, "A person's chat handle or user mention.", helpHandle},
	{"lint.accept-reason", Warning, "A marker accepting a finding gives no reason, " +
		"so it accepts nothing.", "Write the reason after the rule: " +
		"<!-- debrief-lint: accept RULE: why it stays -->"},
	{"lint.accept-rule", Warning, "A marker names no rule a marker can accept " +
		"(a misspelt rule, a family such as blame.*, or a completeness rule), so it " +
		"accepts nothing.", "Name one rule of a finding on the marker's line or the next."},
	{"complete.summary", Error, "The executive summary is empty.",
		"Say in two or three sentences what happened, what it cost and what changes."},
	{"complete.timeline", Error, "The timeline is empty.",
		"Add the events from detection to resolution, with their times."},
	{"complete.detection", Warning, "No timeline event is marked as detection.",
		"Mark the event where the problem was first noticed, so time to detect " +
			"can be measured."},
	{"complete.contributing-factor", Error, "No contributing factor is named.",
		"Name at least one condition that made the incident possible or worse."},
	{"complete.impact-quantity", Warning, "The impact has no number.",
		"Give at least one quantity (minutes down, users affected, failed " +
			"transactions, money), even an estimate."},
	{"complete.action-items", Error, "There are no action items.",
		"Turn each contributing factor into at least one change someone owns."},
	{"complete.action-owner", Warning, "An action item has no owner.",
		"Name the person or team who will do it."},
	{"complete.action-due", Warning, "An action item has no due date.",
		"Set a date; a change without one waits for ever."},
	{"complete.action-success_metric", Warning, "An action item has no success metric.",
		"Say how you will know it worked."},
	{"complete.action-vague", Warning, "An action item names no change one could " +
		"check is done.", "Name the change and how to tell it is done."},
}

// Rules lists every rule the checker can report, in a stable order.
func Rules() []Rule {
	return append([]Rule(nil), catalog...)
}
