package debrief

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// ActionStatus is where an action item is on its way to a verified close.
type ActionStatus string

// The action item lifecycle: open → in progress → blocked → done → verified.
const (
	ActionOpen       ActionStatus = "open"
	ActionInProgress ActionStatus = "in_progress"
	ActionBlocked    ActionStatus = "blocked"
	ActionDone       ActionStatus = "done"
	ActionVerified   ActionStatus = "verified"
)

// ActionStatuses lists the action statuses in lifecycle order.
var ActionStatuses = []ActionStatus{
	ActionOpen, ActionInProgress, ActionBlocked, ActionDone, ActionVerified,
}

// ActionCategory is the kind of work an action item is.
type ActionCategory string

// The action item categories.
const (
	ActionMonitoring     ActionCategory = "monitoring"
	ActionProcess        ActionCategory = "process"
	ActionDocumentation  ActionCategory = "documentation"
	ActionCodeFix        ActionCategory = "code_fix"
	ActionInfrastructure ActionCategory = "infrastructure"
	ActionTraining       ActionCategory = "training"
	ActionOther          ActionCategory = "other"
)

// ActionCategories lists the action categories in display order.
var ActionCategories = []ActionCategory{
	ActionMonitoring, ActionProcess, ActionDocumentation, ActionCodeFix,
	ActionInfrastructure, ActionTraining, ActionOther,
}

// Level is a rating on the impact/effort matrix.
type Level string

// The levels.
const (
	LevelLow    Level = "low"
	LevelMedium Level = "medium"
	LevelHigh   Level = "high"
)

// Purpose says whether an action item prevents recurrence or mitigates the
// impact of a recurrence. Prevention usually comes first.
type Purpose string

// The purposes.
const (
	PurposePrevention Purpose = "prevention"
	PurposeMitigation Purpose = "mitigation"
)

// ActionItem is a concrete change the postmortem commits to. Number is unique
// within its report and stable across edits, so (report, number) names it.
type ActionItem struct {
	Number      int    `json:"number"`
	Description string `json:"description"`
	Owner       string `json:"owner,omitempty"`
	// OwnerIsTeam is true when the owner is a team, not a person.
	OwnerIsTeam bool `json:"owner_is_team,omitempty"`
	// Due is a calendar date, "2006-01-02", or empty when none was set.
	Due           string         `json:"due,omitempty"`
	Impact        Level          `json:"impact,omitempty"`
	Effort        Level          `json:"effort,omitempty"`
	Category      ActionCategory `json:"category,omitempty"`
	Purpose       Purpose        `json:"purpose,omitempty"`
	SuccessMetric string         `json:"success_metric,omitempty"`
	Verification  string         `json:"verification,omitempty"`
	Status        ActionStatus   `json:"status"`
	BlockedReason string         `json:"blocked_reason,omitempty"`
	// TrackerURL links the item to its ticket in Jira, GitHub or elsewhere.
	TrackerURL string `json:"tracker_url,omitempty"`

	// What follows is the item's tracking: it changes through the item's
	// lifecycle (see ActionMove), not by editing the report, and a report
	// save leaves it as it is.

	// Closure is what the owner recorded when verifying.
	Closure    *Closure  `json:"closure,omitempty"`
	VerifiedBy string    `json:"verified_by,omitempty"`
	VerifiedAt time.Time `json:"verified_at,omitzero"`
	// UpdatedAt is the last change of the item's status or tracking; an
	// item without one for a long time is stalled.
	UpdatedBy string    `json:"updated_by,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	Stalled   bool      `json:"stalled,omitempty"`
	// Ticket is the tracker issue made from the item by debrief, when any.
	Ticket *Ticket `json:"ticket,omitempty"`
	// Recheck names a later incident on the same service and category that
	// followed the item's verification: the fix may not have worked.
	Recheck string `json:"recheck,omitempty"`
}

// The quadrants of the impact/effort matrix, in the order work is taken.
const (
	QuadrantQuickWin     = "quick win"
	QuadrantMajorProject = "major project"
	QuadrantFillIn       = "fill-in"
	QuadrantDeprioritise = "deprioritise"
)

// Quadrants lists the matrix quadrants in the order work is taken.
var Quadrants = []string{
	QuadrantQuickWin, QuadrantMajorProject, QuadrantFillIn, QuadrantDeprioritise,
}

// Quadrant names the item's place on the impact/effort matrix: "quick win"
// (impact 2-3, effort 1-2), "major project" (impact 2-3, effort 3),
// "fill-in" (impact 1, effort 1-2) or "deprioritise" (impact 1, effort 3);
// empty when impact or effort is unrated.
func (a *ActionItem) Quadrant() string {
	if a.Impact.Score() == 0 || a.Effort.Score() == 0 {
		return ""
	}
	high := a.Impact.Score() >= 2
	easy := a.Effort.Score() <= 2
	switch {
	case high && easy:
		return QuadrantQuickWin
	case high:
		return QuadrantMajorProject
	case easy:
		return QuadrantFillIn
	}
	return QuadrantDeprioritise
}

// Rank orders items for the work queue: by quadrant (quick wins first,
// unrated last), prevention before mitigation in the same quadrant, then by
// due date (undated last). Lower ranks come first.
func (a *ActionItem) Rank() (quadrant, purpose int, due string) {
	quadrant = len(Quadrants)
	for i, q := range Quadrants {
		if q == a.Quadrant() {
			quadrant = i
		}
	}
	if a.Purpose != PurposePrevention {
		purpose = 1
	}
	due = a.Due
	if due == "" {
		due = "9999-12-31"
	}
	return quadrant, purpose, due
}

// Score is the level as a number on the matrix's 1-3 scale, 0 when unrated.
func (l Level) Score() int {
	switch l {
	case LevelLow:
		return 1
	case LevelMedium:
		return 2
	case LevelHigh:
		return 3
	}
	return 0
}

// ParseLevel reads a level by name (low, medium, high) or by its score
// (1, 2, 3); empty is unrated.
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", nil
	case "1", "low":
		return LevelLow, nil
	case "2", "medium", "med":
		return LevelMedium, nil
	case "3", "high":
		return LevelHigh, nil
	}
	return "", fmt.Errorf("%q is not a level: use 1-3 or low, medium, high", s)
}

// UnmarshalJSON takes a level as a name ("high") or as a score (3), so the
// API accepts the matrix's numbers.
func (l *Level) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n json.Number
		if json.Unmarshal(b, &n) != nil {
			return fmt.Errorf("a level is a name or a number 1-3, not %s", b)
		}
		s = n.String()
	}
	v, err := ParseLevel(s)
	if err != nil {
		return err
	}
	*l = v
	return nil
}
