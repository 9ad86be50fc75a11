// Package policy is debrief's trigger policy: it decides whether an
// incident needs a postmortem, explains each decision by the rule and the
// facts that made it, and works out when the meeting, the draft and the
// final report are due on a business calendar. It reads its rules from a
// YAML file; the built-in default is the guide's policy (see DefaultYAML).
// It stores nothing and asks nothing: the caller gathers the facts.
package policy

import (
	"slices"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/calendar"
)

// Policy is a trigger policy with its deadlines and business calendar. Make
// one with Default, Parse or Load; it is not changed after that, so one
// Policy may serve many goroutines.
type Policy struct {
	rules     []rule
	approvers approvers
	// deadlines are the meeting's, the draft's and the final report's, in
	// that order.
	deadlines []deadlineRule
	cal       *calendar.Calendar
}

// rule requires a postmortem for an incident of one of its severities (of
// any severity, and none, when the list is empty) when all its conditions
// hold. A rule without conditions requires one on severity alone.
type rule struct {
	name       string
	severities []debrief.Severity
	// waivable are the severities for which a waiver with a reason sets
	// this rule aside.
	waivable        []debrief.Severity
	longerThan      time.Duration
	userImpact      bool
	criticalProcess bool
	recurrence      *recurrence
}

// recurrence holds when at least count incidents on the same service and
// category started within the window that ends at the incident's start.
type recurrence struct {
	count  int
	within time.Duration
}

// hasCondition reports whether the rule looks at more than severity.
func (r *rule) hasCondition() bool {
	return r.longerThan > 0 || r.userImpact || r.criticalProcess || r.recurrence != nil
}

// covers reports whether the rule applies to an incident of severity sev
// ("" when the incident has none).
func (r *rule) covers(sev debrief.Severity) bool {
	return len(r.severities) == 0 || slices.Contains(r.severities, sev)
}

// approvers may approve learning requests: anyone with one of the roles, and
// the people named by login.
type approvers struct {
	roles  []debrief.AccessRole
	people []string
}

// The moments a deadline counts from.
const (
	afterResolution = "resolution"
	afterMeeting    = "meeting"
)

// deadlineRule puts a step's deadline a span after resolution or after the
// meeting.
type deadlineRule struct {
	kind   debrief.DeadlineKind
	after  string
	within calendar.Span
}

// Default returns the guide's policy: a postmortem for every P1 and P2 (a
// P2 may be waived with a reason); for a P3 that lasted over 60 minutes,
// hit many users or a critical business process (each may be waived with a
// reason); for any incident whose service and category had 3 or more
// incidents in 30 days, this one included; and for any incident on a
// learning request approved by a facilitator or an admin. The meeting is due
// 48 hours after resolution, the draft 5 business days and the final report
// 7 days after the meeting, on a Monday-to-Friday calendar in UTC without
// holidays. DefaultYAML is the same policy as a file.
func Default() *Policy {
	p3 := []debrief.Severity{"P3"}
	cal, err := calendar.New(time.UTC, calendar.Weekdays, nil)
	if err != nil {
		panic("policy: the default calendar: " + err.Error())
	}
	return &Policy{
		rules: []rule{
			{name: "severity", severities: []debrief.Severity{"P1", "P2"},
				waivable: []debrief.Severity{"P2"}},
			{name: "duration", severities: p3, waivable: p3, longerThan: time.Hour},
			{name: "user impact", severities: p3, waivable: p3, userImpact: true},
			{name: "critical process", severities: p3, waivable: p3, criticalProcess: true},
			{name: "recurrence", recurrence: &recurrence{count: 3, within: 30 * 24 * time.Hour}},
		},
		approvers: approvers{
			roles: []debrief.AccessRole{debrief.AccessFacilitator, debrief.AccessAdmin},
		},
		deadlines: []deadlineRule{
			{debrief.DeadlineMeeting, afterResolution, calendar.Span{N: 48, Unit: calendar.Hours}},
			{debrief.DeadlineDraft, afterMeeting, calendar.Span{N: 5, Unit: calendar.BusinessDays}},
			{debrief.DeadlineFinal, afterMeeting, calendar.Span{N: 7, Unit: calendar.Days}},
		},
		cal: cal,
	}
}

// Calendar returns the business calendar deadlines are counted on.
func (p *Policy) Calendar() *calendar.Calendar { return p.cal }

// RecurrenceWindow returns how far back from an incident's start the
// caller counts incidents on the same service and category for
// Facts.Recurrences, and false when no rule looks at recurrence (then
// nothing need be counted). The window ends at the incident's start and
// includes it, so the incident counts itself. With several services, the
// caller counts per service and passes the largest count, naming that
// service in Facts.RecurrenceService.
func (p *Policy) RecurrenceWindow() (within time.Duration, ok bool) {
	for _, r := range p.rules {
		if r.recurrence != nil {
			return r.recurrence.within, true
		}
	}
	return 0, false
}

// FactsChanged reports whether an incident changed in a way the policy
// reads: severity, category, services, start, resolution, status, user
// impact or critical process. The caller asks the policy again when it did.
func FactsChanged(before, after *debrief.Incident) bool {
	sameServices := slices.EqualFunc(before.Services, after.Services, strings.EqualFold)
	return before.Severity != after.Severity || before.Category != after.Category ||
		!sameServices || !before.StartedAt.Equal(after.StartedAt) ||
		!before.ResolvedAt.Equal(after.ResolvedAt) || before.Status != after.Status ||
		before.UserImpact != after.UserImpact || before.CriticalProcess != after.CriticalProcess
}
