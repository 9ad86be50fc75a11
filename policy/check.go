package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// check is one rule's verdict on an incident.
type check struct {
	rule *rule
	// applies is whether the rule covers the incident's severity; met
	// whether it applies and every condition holds.
	applies, met bool
	// facts say what each condition saw ("lasted 74 min > 60 min"), or
	// for a rule without conditions why it requires a postmortem.
	facts []string
}

func (r *rule) check(f *Facts, sev debrief.Severity) check {
	c := check{rule: r, applies: r.covers(sev)}
	if !c.applies {
		return c
	}
	c.met = true
	if !r.hasCondition() {
		c.facts = []string{always(r.severities)}
		return c
	}
	add := func(fact string, ok bool) {
		c.facts = append(c.facts, fact)
		c.met = c.met && ok
	}
	in := &f.Incident
	if r.longerThan > 0 {
		add(durationFact(in, r.longerThan))
	}
	if r.userImpact {
		add(choose(in.UserImpact, "hit many users", "no user impact"), in.UserImpact)
	}
	if r.criticalProcess {
		add(choose(in.CriticalProcess, "hit a critical process", "no critical process"),
			in.CriticalProcess)
	}
	if r.recurrence != nil {
		add(recurrenceFact(f, r.recurrence))
	}
	return c
}

// summary says why the rule was met, or what it saw, after the severity:
// "P3, lasted 74 min > 60 min", "P1 (P1 and P2 always need a postmortem)".
func (c *check) summary(sevText string) string {
	if !c.rule.hasCondition() {
		return fmt.Sprintf("%s (%s)", sevText, c.facts[0])
	}
	return sevText + ", " + strings.Join(c.facts, ", ")
}

// reason is the check's line in a decision's Reasons.
func (c *check) reason(sevText string) string {
	switch {
	case !c.applies:
		return fmt.Sprintf("%s: does not apply to %s (only to %s)", c.rule.name, sevText,
			joinSeverities(c.rule.severities, "or"))
	case c.met:
		return fmt.Sprintf("%s: met: %s", c.rule.name, c.summary(sevText))
	}
	return fmt.Sprintf("%s: not met: %s", c.rule.name, c.summary(sevText))
}

// notMet says why no rule required a postmortem: every fact the rules that
// apply saw, once each, or that no rule applies to the severity.
func notMet(checks []check, sev debrief.Severity, sevText string) string {
	var facts []string
	for _, c := range checks {
		for _, f := range c.facts {
			if c.applies && !slices.Contains(facts, f) {
				facts = append(facts, f)
			}
		}
	}
	if len(facts) == 0 {
		if sev == "" {
			return sevText + ", no rule applies to an incident without a known severity"
		}
		return fmt.Sprintf("%s, no rule applies to %s", sevText, sevText)
	}
	return sevText + ", " + strings.Join(facts, ", ")
}

// always says that a rule without conditions requires a postmortem for its
// severities: "P1 and P2 always need a postmortem".
func always(sevs []debrief.Severity) string {
	verb := "need"
	if len(sevs) == 1 {
		verb = "needs"
	}
	return fmt.Sprintf("%s always %s a postmortem", joinSeverities(sevs, "and"), verb)
}

// joinSeverities lists severities as a sentence does: "P1, P2 and P3".
func joinSeverities(sevs []debrief.Severity, and string) string {
	names := make([]string, len(sevs))
	for i, s := range sevs {
		names[i] = string(s)
	}
	return joinWords(names, and)
}

func joinWords(words []string, and string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " " + and + " " + words[len(words)-1]
}

func choose(ok bool, yes, no string) string {
	if ok {
		return yes
	}
	return no
}

// durationFact compares how long the incident lasted with the threshold,
// or says why that is not known yet.
func durationFact(in *debrief.Incident, threshold time.Duration) (string, bool) {
	switch {
	case in.StartedAt.IsZero():
		return "start time not known: duration not known", false
	case in.ResolvedAt.IsZero() && in.Status == debrief.IncidentResolved:
		return "resolution time not known: duration not known", false
	case in.ResolvedAt.IsZero():
		return "still open: duration not known yet", false
	case in.ResolvedAt.Before(in.StartedAt):
		return "resolved before it started: duration not known", false
	}
	d := in.Duration()
	lasted := formatDuration(d)
	if lasted == formatDuration(threshold) && d != threshold {
		// Longer or shorter by less than a second: show by how much, so
		// that "60 min > 60 min" never reads as a mistake.
		lasted = d.String()
	}
	if d > threshold {
		return fmt.Sprintf("lasted %s > %s", lasted, formatDuration(threshold)), true
	}
	return fmt.Sprintf("lasted %s ≤ %s", lasted, formatDuration(threshold)), false
}

// recurrenceFact compares the count of incidents on the incident's service
// and category with the rule's, or says why there is nothing to count.
func recurrenceFact(f *Facts, r *recurrence) (string, bool) {
	in := &f.Incident
	switch {
	case len(in.Services) == 0 && strings.TrimSpace(f.RecurrenceService) == "":
		return "recurrence not counted: no service named", false
	case strings.TrimSpace(string(in.Category)) == "":
		return "recurrence not counted: no category", false
	case in.StartedAt.IsZero():
		return "recurrence not counted: start time not known", false
	}
	service := oneLine(f.RecurrenceService)
	if service == "" {
		service = joinWords(in.Services, "or")
	}
	noun := "incidents"
	if f.Recurrences == 1 {
		noun = "incident"
	}
	fact := fmt.Sprintf("%d %s on %s/%s in %s", f.Recurrences, noun, service,
		oneLine(string(in.Category)), formatDuration(r.within))
	if f.Recurrences >= r.count {
		return fmt.Sprintf("%s ≥ %d", fact, r.count), true
	}
	return fmt.Sprintf("%s < %d", fact, r.count), false
}

// formatDuration writes a duration as an explanation reads it: minutes up
// to two hours ("74 min"), then hours ("3 h 5 min"), and whole days as
// days ("30 days"). Seconds show only when there are some, so that
// "60 min 30 s > 60 min" never reads "60 min > 60 min".
func formatDuration(d time.Duration) string {
	const day = 24 * time.Hour
	if d >= day && d%day == 0 {
		if d == day {
			return "1 day"
		}
		return fmt.Sprintf("%d days", d/day)
	}
	var parts []string
	if d >= 2*time.Hour {
		parts = append(parts, fmt.Sprintf("%d h", d/time.Hour))
		d %= time.Hour
	}
	if m := d / time.Minute; m > 0 {
		parts = append(parts, fmt.Sprintf("%d min", m))
	}
	if s := (d % time.Minute) / time.Second; s > 0 || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%d s", s))
	}
	return strings.Join(parts, " ")
}
