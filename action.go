package debrief

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
}

// Quadrant names the item's place on the impact/effort matrix: "quick win"
// (high impact, low effort), "major project", "fill-in" or "thankless task";
// empty when impact or effort is unrated.
func (a *ActionItem) Quadrant() string {
	if a.Impact == "" || a.Effort == "" {
		return ""
	}
	high := a.Impact == LevelHigh || a.Impact == LevelMedium
	easy := a.Effort == LevelLow || a.Effort == LevelMedium
	switch {
	case high && easy:
		return "quick win"
	case high:
		return "major project"
	case easy:
		return "fill-in"
	}
	return "thankless task"
}
