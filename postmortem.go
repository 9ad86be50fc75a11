package debrief

import (
	"strings"
	"time"
)

// Status is the lifecycle state of a postmortem report.
type Status string

// The postmortem lifecycle: draft → in review → final → archived.
const (
	StatusDraft    Status = "draft"
	StatusInReview Status = "in_review"
	StatusFinal    Status = "final"
	StatusArchived Status = "archived"
)

// Statuses lists the lifecycle states in order.
var Statuses = []Status{StatusDraft, StatusInReview, StatusFinal, StatusArchived}

// Visibility says who may read a report: every signed-in user (internal) or
// only named teams and people (restricted).
type Visibility string

// The visibility classes.
const (
	VisibilityInternal   Visibility = "internal"
	VisibilityRestricted Visibility = "restricted"
)

// Postmortem is a blameless postmortem report: every part of the guide's
// template as data. Slices keep the order the authors gave.
type Postmortem struct {
	ID         string     `json:"id"`
	Incident   Incident   `json:"incident"`
	Title      string     `json:"title"`
	Status     Status     `json:"status"`
	Visibility Visibility `json:"visibility,omitempty"`

	Authors     []string `json:"authors,omitempty"`
	Facilitator string   `json:"facilitator,omitempty"`
	// TimeZone is the report-wide zone the timeline was written in, as an
	// IANA name or an abbreviation ("Europe/Copenhagen", "CET", "UTC").
	TimeZone string `json:"time_zone,omitempty"`

	Summary             Summary              `json:"summary"`
	Timeline            []TimelineEvent      `json:"timeline,omitempty"`
	Analysis            Analysis             `json:"analysis"`
	ContributingFactors []ContributingFactor `json:"contributing_factors,omitempty"`
	Impacts             []Impact             `json:"impacts,omitempty"`
	Lessons             []Lesson             `json:"lessons,omitempty"`
	ActionItems         []ActionItem         `json:"action_items,omitempty"`
	Team                []TeamMember         `json:"team,omitempty"`
	Meeting             Meeting              `json:"meeting"`
	Links               []Link               `json:"links,omitempty"`
	Tags                []string             `json:"tags,omitempty"`
	// Sections holds text that maps to no field of the template, in the order
	// it appeared, so that nothing an author wrote is lost.
	Sections []Section `json:"sections,omitempty"`
	// Fields holds organisation-defined fields by name.
	Fields map[string]string `json:"fields,omitempty"`

	Source Source `json:"source"`

	CreatedAt time.Time `json:"created_at,omitzero"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// UpdatedBy is the login name of whoever saved this version, or empty
	// for a report written by an import without a signed-in person.
	UpdatedBy string `json:"updated_by,omitempty"`
	// Version increases by one with every saved change; writers pass the
	// version they read so that a stale save is refused, not silently applied.
	Version int `json:"version"`
}

// Summary is the part of the report read first: category, a two or three
// sentence executive summary for leadership, and the narrative of what happened.
type Summary struct {
	Category         Category `json:"category,omitempty"`
	ExecutiveSummary string   `json:"executive_summary,omitempty"`
	Narrative        string   `json:"narrative,omitempty"`
}

// Source records where a report came from, so re-importing the same file
// updates the same record instead of duplicating it.
type Source struct {
	// Path identifies the origin: a path relative to what was imported, or
	// "archive.zip/inner/path.md" for a file inside a zip.
	Path   string `json:"path,omitempty"`
	Format string `json:"format,omitempty"` // "markdown", "debrief-markdown", "web", "api"
	// Digest is the SHA-256 of the imported bytes, in hex.
	Digest string `json:"digest,omitempty"`
}

// Section is free text under a heading that the template does not name.
// Body is Markdown.
type Section struct {
	Heading string `json:"heading"`
	Body    string `json:"body"`
}

// Link is a reference from the report to somewhere else: a ticket, a
// dashboard, a status page, the original publication.
type Link struct {
	Title string `json:"title,omitempty"`
	URL   string `json:"url"`
}

// TeamMember is a person (or a team) who took part in the postmortem, in a role.
type TeamMember struct {
	Name string `json:"name"`
	Role Role   `json:"role,omitempty"`
}

// Role is what a team member did in the postmortem.
type Role string

// Words writes the role as a reader says it: "incident commander".
func (r Role) Words() string { return strings.ReplaceAll(string(r), "_", " ") }

// The postmortem team roles of the guide.
const (
	RoleIncidentCommander Role = "incident_commander"
	RoleServiceOwner      Role = "service_owner"
	RoleSubjectExpert     Role = "subject_matter_expert"
	RoleTeamLead          Role = "team_lead"
	RoleDeveloper         Role = "developer"
	RoleCustomerSupport   Role = "customer_support"
	RoleFacilitator       Role = "facilitator"
	RoleAttendee          Role = "attendee"
)

// Meeting is the postmortem meeting. A zero Date means it has not been held.
type Meeting struct {
	Date      time.Time `json:"date,omitzero"`
	Attendees []string  `json:"attendees,omitempty"`
	Notes     string    `json:"notes,omitempty"`
}

// Compact makes every empty list and map of the report nil, the one form
// in which "none" is stored and compared: a client that sends [] for an
// empty list says the same as one that leaves it out.
func (p *Postmortem) Compact() {
	p.Incident.Compact()
	p.Authors = nilIfEmpty(p.Authors)
	p.Timeline = nilIfEmpty(p.Timeline)
	p.Analysis.Whys = nilIfEmpty(p.Analysis.Whys)
	p.Analysis.Causes = nilIfEmpty(p.Analysis.Causes)
	p.ContributingFactors = nilIfEmpty(p.ContributingFactors)
	p.Impacts = nilIfEmpty(p.Impacts)
	p.Lessons = nilIfEmpty(p.Lessons)
	p.ActionItems = nilIfEmpty(p.ActionItems)
	p.Team = nilIfEmpty(p.Team)
	p.Meeting.Attendees = nilIfEmpty(p.Meeting.Attendees)
	p.Links = nilIfEmpty(p.Links)
	p.Tags = nilIfEmpty(p.Tags)
	p.Sections = nilIfEmpty(p.Sections)
	if len(p.Fields) == 0 {
		p.Fields = nil
	}
}

func nilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}

// NumberActionItems gives every action item without a number (0) the next
// number after the highest in the report, in list order, so each item can
// be named by (report, number) from its first save.
func (p *Postmortem) NumberActionItems() { p.NumberActionItemsAbove(0) }

// NumberActionItemsAbove numbers the items without a number after both the
// highest in the report and floor: the highest number an item of the
// report ever had, so a removed item's number is not given to another.
func (p *Postmortem) NumberActionItemsAbove(floor int) {
	high := floor
	for _, a := range p.ActionItems {
		high = max(high, a.Number)
	}
	for i := range p.ActionItems {
		if p.ActionItems[i].Number == 0 {
			high++
			p.ActionItems[i].Number = high
		}
	}
}
