package debrief

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// transition is one allowed move of the lifecycle and the least role that
// may make it.
type transition struct {
	from, to Status
	need     AccessRole
}

// transitions are the moves a facilitator would expect. Going final passes
// through review; only facilitators close a review, reopen a final report
// or archive it; only an admin brings an archived report back.
var transitions = []transition{
	{StatusDraft, StatusInReview, AccessContributor},
	{StatusInReview, StatusDraft, AccessContributor},
	{StatusInReview, StatusFinal, AccessFacilitator},
	{StatusFinal, StatusInReview, AccessFacilitator},
	{StatusFinal, StatusArchived, AccessFacilitator},
	{StatusArchived, StatusFinal, AccessAdmin},
}

// ParseStatus reads a lifecycle state by its name ("in_review"; "in review"
// and "In-Review" also do). An unknown name is KindInvalid.
func ParseStatus(s string) (Status, error) {
	v := strings.NewReplacer(" ", "_", "-", "_").Replace(strings.ToLower(strings.TrimSpace(s)))
	for _, st := range Statuses {
		if Status(v) == st {
			return st, nil
		}
	}
	return "", FieldErrorf("status",
		"unknown status %q: use draft, in_review, final or archived", s)
}

// NextStatuses lists the states the actor may move the report to now, in
// lifecycle order. Whether the report is complete enough for final is not
// considered here; CheckTransition says so.
func NextStatuses(a Actor, p *Postmortem) []Status {
	var next []Status
	for _, t := range transitions {
		if t.from == p.Status && a.Can(t.need) {
			next = append(next, t.to)
		}
	}
	return next
}

// CheckTransition says whether the actor may move the report to the state:
// KindInvalid when the lifecycle has no such move or the report lacks what
// the new state needs, KindForbidden when the actor's role is too low.
func CheckTransition(a Actor, p *Postmortem, to Status) error {
	if p.Status == to {
		return FieldErrorf("status", "the report is already %s", to.Label())
	}
	var found *transition
	for i := range transitions {
		if transitions[i].from == p.Status && transitions[i].to == to {
			found = &transitions[i]
		}
	}
	if found == nil {
		return FieldErrorf("status", "a report cannot go from %s to %s",
			p.Status.Label(), to.Label())
	}
	if !a.Can(found.need) {
		return Errorf(KindForbidden, "moving a report from %s to %s needs the %s role",
			p.Status.Label(), to.Label(), found.need)
	}
	if to == StatusFinal {
		if missing := FinalProblems(p); len(missing) > 0 {
			e := FieldErrorf(missing[0].Field, "the report cannot be final yet: %s",
				joinProblems(missing))
			return e
		}
	}
	return nil
}

// Label is the state as a person reads it: "in review".
func (s Status) Label() string { return strings.ReplaceAll(string(s), "_", " ") }

// Problem is one thing a report lacks, named by its field in the JSON shape.
type Problem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// FinalProblems lists what the report lacks before it may be final: a title,
// an executive summary, a timeline, at least one contributing factor, and
// action items that each have an owner and a due date.
func FinalProblems(p *Postmortem) []Problem {
	var ps []Problem
	add := func(field, msg string) { ps = append(ps, Problem{Field: field, Message: msg}) }
	if strings.TrimSpace(p.Title) == "" {
		add("title", "the title is empty")
	}
	if strings.TrimSpace(p.Summary.ExecutiveSummary) == "" {
		add("summary.executive_summary", "the executive summary is empty")
	}
	if len(p.Timeline) == 0 {
		add("timeline", "the timeline has no events")
	}
	if len(p.ContributingFactors) == 0 {
		add("contributing_factors", "no contributing factor is named")
	}
	if len(p.ActionItems) == 0 {
		add("action_items", "there are no action items")
	}
	for i, a := range p.ActionItems {
		if strings.TrimSpace(a.Owner) == "" {
			add(fmt.Sprintf("action_items[%d].owner", i),
				fmt.Sprintf("action item %d has no owner", a.Number))
		}
		if a.Due == "" {
			add(fmt.Sprintf("action_items[%d].due", i),
				fmt.Sprintf("action item %d has no due date", a.Number))
		}
	}
	return ps
}

func joinProblems(ps []Problem) string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Message
	}
	return strings.Join(msgs, "; ")
}

// CheckEdit says whether the actor may change the report's content: viewers
// never may, an archived report is read-only, and a final report changes
// only by a facilitator or admin (so a typo fix does not need a reopened
// review, but a contributor's rewrite does).
func CheckEdit(a Actor, p *Postmortem) error {
	if !a.Can(AccessContributor) {
		return Errorf(KindForbidden, "editing a report needs the contributor role")
	}
	switch p.Status {
	case StatusArchived:
		return Errorf(KindConflict, "the report is archived and read-only")
	case StatusFinal:
		if !a.Can(AccessFacilitator) {
			return Errorf(KindForbidden,
				"the report is final: only a facilitator or admin may change it")
		}
	}
	return nil
}

// LintOverride is a facilitator's recorded decision to move a report to a
// state although the blameless checker finds errors in it: who decided,
// when, why, and what they overrode. Overrides are kept, oldest first, as
// the report's history of such decisions; none is ever changed.
type LintOverride struct {
	PostmortemID string `json:"postmortem_id"`
	// Version is the version of the report the move saved.
	Version int    `json:"version"`
	From    Status `json:"from"`
	To      Status `json:"to"`
	// By is the login name of the facilitator or admin who decided.
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason"`
	// Rules are the rule ids of the errors overridden, sorted, each once;
	// Errors is how many findings of severity error there were.
	Rules  []string `json:"rules"`
	Errors int      `json:"errors"`
}

// MaxOverrideReasonLen bounds an override's reason, in bytes: a paragraph,
// not a report.
const MaxOverrideReasonLen = 4000

// CheckOverrideReason checks the reason a facilitator gives for an
// override: it must say something, in printable text of a paragraph's
// length, since someone must be able to read it later.
func CheckOverrideReason(reason string) error {
	switch {
	case strings.TrimSpace(reason) == "":
		return FieldErrorf("override_reason", "an override needs a reason")
	case !utf8.ValidString(reason) || strings.ContainsRune(reason, 0) ||
		strings.IndexFunc(reason, unprintable) >= 0:
		return FieldErrorf("override_reason",
			"the override's reason has characters that are not printable text")
	case len(reason) > MaxOverrideReasonLen:
		return FieldErrorf("override_reason", "the override's reason is %d bytes long; "+
			"the limit is %d", len(reason), MaxOverrideReasonLen)
	}
	return nil
}
