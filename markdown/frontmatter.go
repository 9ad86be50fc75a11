package markdown

import (
	"fmt"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
)

// nativeFront is the YAML block of debrief's own format: the report's
// metadata, which no reader edits as prose. Field order is the order written.
type nativeFront struct {
	Debrief     int                  `yaml:"debrief"`
	ID          string               `yaml:"id,omitempty"`
	Title       string               `yaml:"title,omitempty"`
	Status      string               `yaml:"status,omitempty"`
	Visibility  string               `yaml:"visibility,omitempty"`
	Category    string               `yaml:"category,omitempty"`
	Incident    *nativeFrontIncident `yaml:"incident,omitempty"`
	Authors     []string             `yaml:"authors,omitempty"`
	Facilitator string               `yaml:"facilitator,omitempty"`
	TimeZone    string               `yaml:"time_zone,omitempty"`
	Tags        []string             `yaml:"tags,omitempty"`
	Source      *nativeFrontSource   `yaml:"source,omitempty"`
	CreatedAt   nativeTime           `yaml:"created_at,omitempty"`
	UpdatedAt   nativeTime           `yaml:"updated_at,omitempty"`
	UpdatedBy   string               `yaml:"updated_by,omitempty"`
	Version     int                  `yaml:"version,omitempty"`
	Fields      map[string]string    `yaml:"fields,omitempty"`
	// Actions is the action items' tracking, by number.
	Actions []nativeFrontAction `yaml:"action_tracking,omitempty"`
}

type nativeFrontIncident struct {
	ID              string     `yaml:"id,omitempty"`
	Title           string     `yaml:"title,omitempty"`
	Services        []string   `yaml:"services,omitempty"`
	Severity        string     `yaml:"severity,omitempty"`
	Category        string     `yaml:"category,omitempty"`
	Status          string     `yaml:"status,omitempty"`
	StartedAt       nativeTime `yaml:"started_at,omitempty"`
	DetectedAt      nativeTime `yaml:"detected_at,omitempty"`
	AcknowledgedAt  nativeTime `yaml:"acknowledged_at,omitempty"`
	MitigatedAt     nativeTime `yaml:"mitigated_at,omitempty"`
	ResolvedAt      nativeTime `yaml:"resolved_at,omitempty"`
	UserImpact      bool       `yaml:"user_impact,omitempty"`
	CriticalProcess bool       `yaml:"critical_process,omitempty"`
}

type nativeFrontSource struct {
	Path   string `yaml:"path,omitempty"`
	Format string `yaml:"format,omitempty"`
	Digest string `yaml:"digest,omitempty"`
}

// nativeFrontKeys lists the front matter keys this version reads, by mapping:
// "" for the top level, else the key of the nested mapping.
var nativeFrontKeys = map[string][]string{
	"": {"debrief", "id", "title", "status", "visibility", "category", "incident",
		"authors", "facilitator", "time_zone", "tags", "source", "created_at",
		"updated_at", "updated_by", "version", "fields", "action_tracking"},
	"incident": {"id", "title", "services", "severity", "category", "status",
		"started_at", "detected_at", "acknowledged_at", "mitigated_at", "resolved_at",
		"user_impact", "critical_process"},
	"source": {"path", "format", "digest"},
}

// nativeTime is a moment written in RFC 3339 UTC, to the nanosecond.
type nativeTime struct{ time.Time }

// MarshalYAML writes the time as a string so that every YAML reader sees
// the same text, whatever it makes of timestamps.
func (t nativeTime) MarshalYAML() (any, error) {
	return t.UTC().Format(time.RFC3339Nano), nil
}

// UnmarshalYAML parses an RFC 3339 time. The error names the line within
// the front matter, as go-yaml's own errors do; yamlProblem turns both into
// file lines.
func (t *nativeTime) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: a time must be a single value", n.Line)
	}
	if n.Value == "" {
		t.Time = time.Time{}
		return nil
	}
	parsed, err := time.Parse(time.RFC3339Nano, n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %q is not an RFC 3339 time such as %s",
			n.Line, n.Value, "2024-03-07T14:02:00Z")
	}
	t.Time = canonTime(parsed)
	return nil
}

func newNativeFront(p *debrief.Postmortem) nativeFront {
	fm := nativeFront{
		Debrief: FormatVersion, ID: p.ID, Title: p.Title, Status: string(p.Status),
		Visibility: string(p.Visibility), Category: string(p.Summary.Category),
		Authors: p.Authors, Facilitator: p.Facilitator, TimeZone: p.TimeZone,
		Tags: p.Tags, CreatedAt: nativeTime{p.CreatedAt}, UpdatedAt: nativeTime{p.UpdatedAt},
		UpdatedBy: p.UpdatedBy, Version: p.Version, Fields: p.Fields,
		Actions: actionTracking(p.ActionItems),
	}
	in := p.Incident
	fi := nativeFrontIncident{
		ID: in.ID, Title: in.Title, Services: in.Services, Severity: string(in.Severity),
		Category: string(in.Category), Status: string(in.Status),
		StartedAt: nativeTime{in.StartedAt}, DetectedAt: nativeTime{in.DetectedAt},
		AcknowledgedAt: nativeTime{in.AcknowledgedAt}, MitigatedAt: nativeTime{in.MitigatedAt},
		ResolvedAt: nativeTime{in.ResolvedAt},
		UserImpact: in.UserImpact, CriticalProcess: in.CriticalProcess,
	}
	if fi.ID != "" || fi.Title != "" || fi.Services != nil || fi.Severity != "" ||
		fi.Category != "" || fi.Status != "" || !in.StartedAt.IsZero() ||
		!in.DetectedAt.IsZero() || !in.AcknowledgedAt.IsZero() ||
		!in.MitigatedAt.IsZero() || !in.ResolvedAt.IsZero() || in.UserImpact ||
		in.CriticalProcess {
		fm.Incident = &fi
	}
	if p.Source != (debrief.Source{}) {
		fm.Source = &nativeFrontSource{p.Source.Path, p.Source.Format, p.Source.Digest}
	}
	return fm
}

// apply copies the front matter into p.
func (fm *nativeFront) apply(p *debrief.Postmortem) {
	p.ID, p.Title = fm.ID, fm.Title
	p.Status, p.Visibility = debrief.Status(fm.Status), debrief.Visibility(fm.Visibility)
	p.Summary.Category = debrief.Category(fm.Category)
	p.Authors, p.Facilitator, p.TimeZone, p.Tags = fm.Authors, fm.Facilitator, fm.TimeZone, fm.Tags
	p.CreatedAt, p.UpdatedAt, p.UpdatedBy = fm.CreatedAt.Time, fm.UpdatedAt.Time, fm.UpdatedBy
	p.Version, p.Fields = fm.Version, fm.Fields
	if s := fm.Source; s != nil {
		p.Source = debrief.Source{Path: s.Path, Format: s.Format, Digest: s.Digest}
	}
	if fi := fm.Incident; fi != nil {
		p.Incident = debrief.Incident{
			ID: fi.ID, Title: fi.Title, Services: fi.Services,
			Severity: debrief.Severity(fi.Severity), Category: debrief.Category(fi.Category),
			Status:    debrief.IncidentStatus(fi.Status),
			StartedAt: fi.StartedAt.Time, DetectedAt: fi.DetectedAt.Time,
			AcknowledgedAt: fi.AcknowledgedAt.Time, MitigatedAt: fi.MitigatedAt.Time,
			ResolvedAt: fi.ResolvedAt.Time,
			UserImpact: fi.UserImpact, CriticalProcess: fi.CriticalProcess,
		}
	}
}
