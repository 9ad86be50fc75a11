// Package debrief holds the nouns of blameless postmortems (incident,
// postmortem, timeline event, contributing factor, action item) and the
// interfaces through which they are stored and searched. Packages named after
// a technology (sqlstore, markdown, web) implement or use them; cmd/debrief
// wires them together.
package debrief

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Severity is a rung of the severity ladder. The default ladder is P1 (most
// severe) to P4; organisations may configure their own.
type Severity string

// DefaultSeverities is the default severity ladder, most severe first.
var DefaultSeverities = []Severity{"P1", "P2", "P3", "P4"}

// Category is an incident type category, used for trend analysis. The
// predefined ones come from the guide; organisations may add custom ones.
type Category string

// The predefined incident type categories.
const (
	CategoryPerformance        Category = "Performance"
	CategoryAvailability       Category = "Availability"
	CategorySecurity           Category = "Security"
	CategoryConfiguration      Category = "Configuration"
	CategoryChangeManagement   Category = "Change Management"
	CategoryExternalDependency Category = "External Dependency"
)

// Categories lists the predefined incident type categories in display order.
var Categories = []Category{
	CategoryPerformance, CategoryAvailability, CategorySecurity,
	CategoryConfiguration, CategoryChangeManagement, CategoryExternalDependency,
}

// IncidentStatus is where an incident is in its response.
type IncidentStatus string

// The incident statuses.
const (
	IncidentOpen         IncidentStatus = "open"
	IncidentAcknowledged IncidentStatus = "acknowledged"
	IncidentMitigated    IncidentStatus = "mitigated"
	IncidentResolved     IncidentStatus = "resolved"
)

// Incident is something that went wrong in production, as alerting or a person
// reported it. A postmortem belongs to exactly one incident. Zero times are
// moments that are not known.
type Incident struct {
	ID       string         `json:"id"`
	Title    string         `json:"title"`
	Services []string       `json:"services,omitempty"`
	Severity Severity       `json:"severity,omitempty"`
	Category Category       `json:"category,omitempty"`
	Status   IncidentStatus `json:"status,omitempty"`

	StartedAt      time.Time `json:"started_at,omitzero"`
	DetectedAt     time.Time `json:"detected_at,omitzero"`
	AcknowledgedAt time.Time `json:"acknowledged_at,omitzero"`
	MitigatedAt    time.Time `json:"mitigated_at,omitzero"`
	ResolvedAt     time.Time `json:"resolved_at,omitzero"`

	// UserImpact marks an incident that hit many users; CriticalProcess
	// one that stopped a critical business process. The trigger policy
	// reads both.
	UserImpact      bool `json:"user_impact,omitempty"`
	CriticalProcess bool `json:"critical_process,omitempty"`
}

// Moments returns the incident's five moments, in order, to be read or set
// alike: started, detected, acknowledged, mitigated, resolved.
func (in *Incident) Moments() []*time.Time {
	return []*time.Time{&in.StartedAt, &in.DetectedAt, &in.AcknowledgedAt,
		&in.MitigatedAt, &in.ResolvedAt}
}

// Compact makes an empty service list nil, the one form of "none".
func (in *Incident) Compact() { in.Services = nilIfEmpty(in.Services) }

// Duration is the time from start to resolution, or zero when either is unknown.
func (i *Incident) Duration() time.Duration {
	if i.StartedAt.IsZero() || i.ResolvedAt.IsZero() || i.ResolvedAt.Before(i.StartedAt) {
		return 0
	}
	return i.ResolvedAt.Sub(i.StartedAt)
}

// IncidentFilter narrows a list of incidents. Empty fields do not filter.
type IncidentFilter struct {
	Service string
	Status  IncidentStatus
	// WithoutPostmortem keeps only incidents no report belongs to yet.
	WithoutPostmortem bool
	// Reader, when set, leaves out the incidents of reports Reader may not
	// read (see (*Postmortem).VisibleTo): an incident is the header of its
	// report. Nil lists every incident.
	Reader *Actor
	Limit  int
	Offset int
}

// IncidentSummary is an incident as a list shows it, with the report that
// belongs to it, if any.
type IncidentSummary struct {
	Incident
	PostmortemID string `json:"postmortem_id,omitempty"`
}

// IncidentStore keeps incidents, which exist before any report about them:
// a person or an alert records one, and a postmortem may be written from it.
type IncidentStore interface {
	// SaveIncident inserts or replaces the incident with in.ID, which must
	// be set. Replacing leaves the report that belongs to it in place.
	SaveIncident(ctx context.Context, in *Incident) error
	// Incident returns the incident with the ID and the ID of the report
	// about it ("" when none), or a KindNotFound error.
	Incident(ctx context.Context, id string) (*IncidentSummary, error)
	// Incidents lists incidents matching the filter, newest start first,
	// and the number of matches ignoring Limit and Offset.
	Incidents(ctx context.Context, f IncidentFilter) ([]IncidentSummary, int, error)
}

// IncidentStatuses lists the incident statuses in the order a response
// goes through them.
var IncidentStatuses = []IncidentStatus{
	IncidentOpen, IncidentAcknowledged, IncidentMitigated, IncidentResolved,
}

// ParseIncidentStatus reads a status as people type it, in any case.
func ParseIncidentStatus(s string) (IncidentStatus, error) {
	v := IncidentStatus(strings.ToLower(strings.TrimSpace(s)))
	if slices.Contains(IncidentStatuses, v) {
		return v, nil
	}
	return "", FieldErrorf("status",
		"status %q is not one of open, acknowledged, mitigated and resolved", s)
}

// Validate checks the incident's fields as a person or an alert wrote them:
// sizes within the limits, a known status, and a resolution no earlier than
// the start. Its error names the field at fault. The header of a report is
// checked by the same rules, as part of (*Postmortem).Validate.
func (i *Incident) Validate() error {
	v := validator{}
	v.incident("", i)
	return v.err
}

// incident checks in, naming its fields under prefix ("incident." in a
// report, "" for an incident on its own).
func (v *validator) incident(prefix string, in *Incident) {
	v.short(prefix+"id", in.ID)
	v.short(prefix+"title", in.Title)
	v.severity(prefix+"severity", in.Severity)
	v.short(prefix+"category", string(in.Category))
	statuses := []string{""}
	for _, s := range IncidentStatuses {
		statuses = append(statuses, string(s))
	}
	v.oneOf(prefix+"status", string(in.Status), statuses)
	v.list(prefix+"services", len(in.Services))
	for i, s := range in.Services {
		v.short(fmt.Sprintf("%sservices[%d]", prefix, i), s)
	}
	for _, m := range []struct {
		name string
		at   time.Time
	}{{"started_at", in.StartedAt}, {"detected_at", in.DetectedAt},
		{"acknowledged_at", in.AcknowledgedAt}, {"mitigated_at", in.MitigatedAt},
		{"resolved_at", in.ResolvedAt}} {
		if y := m.at.UTC().Year(); !m.at.IsZero() && (y < 1900 || y > 2100) {
			v.fail(prefix+m.name, fmt.Sprintf("%s%s is in the year %d: give a time "+
				"between 1900 and 2100", prefix, m.name, y))
		}
	}
	if !in.StartedAt.IsZero() && !in.ResolvedAt.IsZero() && in.ResolvedAt.Before(in.StartedAt) {
		v.fail(prefix+"resolved_at", "the incident is resolved before it started")
	}
}
