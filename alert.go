package debrief

import (
	"context"
	"net/url"
	"time"
)

// AlertSource names an alerting tool that reports incidents to debrief
// through its webhook.
type AlertSource string

// The alerting tools debrief listens to.
const (
	SourceAlertmanager AlertSource = "alertmanager"
	SourceGrafana      AlertSource = "grafana"
	SourcePagerDuty    AlertSource = "pagerduty"
	SourceOpsgenie     AlertSource = "opsgenie"
	SourceGeneric      AlertSource = "generic"
)

// AlertSources lists the alerting tools, as the webhook paths name them.
var AlertSources = []AlertSource{
	SourceAlertmanager, SourceGrafana, SourcePagerDuty, SourceOpsgenie, SourceGeneric,
}

// AlertStatus is the state an alerting tool gives an alert.
type AlertStatus string

// The alert states. An event that changes no state (a note, a new
// assignee, a priority change) has the empty status.
const (
	AlertFiring       AlertStatus = "firing"
	AlertAcknowledged AlertStatus = "acknowledged"
	AlertResolved     AlertStatus = "resolved"
)

// AlertEvent is one thing an alerting tool said about one alert: that it
// fired, was acknowledged, resolved, or gained a note. A webhook payload
// holds one or more. Times are the tool's own, in UTC, with their
// nanoseconds; a zero time is one the tool did not give.
type AlertEvent struct {
	Source AlertSource `json:"source"`
	// GroupKey gathers alerts into one incident: Alertmanager's and
	// Grafana's groupKey, PagerDuty's incident id, Opsgenie's alias.
	GroupKey string `json:"group_key"`
	// AlertKey names the alert within its group: the fingerprint, or the
	// group key again where the tool has one alert per incident.
	AlertKey string      `json:"alert_key"`
	Status   AlertStatus `json:"status,omitempty"`
	// Kind is the event's kind on a timeline: detection for firing,
	// escalation for an acknowledgement, resolution for resolved.
	Kind EventKind `json:"kind,omitempty"`
	// At is when it happened by the tool's clock: the start of a firing
	// alert, the end of a resolved one, the time of a note.
	At time.Time `json:"at"`
	// StartsAt and EndsAt are the alert's span where the tool gives one;
	// EndsAt is zero while the alert fires.
	StartsAt time.Time `json:"starts_at,omitzero"`
	EndsAt   time.Time `json:"ends_at,omitzero"`
	// Title is the incident title the event suggests; Text is its line on
	// the timeline.
	Title string `json:"title"`
	Text  string `json:"text"`
	// Severity is the alert's rank on the ladder, empty when not said.
	Severity Severity `json:"severity,omitempty"`
	Services []string `json:"services,omitempty"`
	Category Category `json:"category,omitempty"`
	URL      string   `json:"url,omitempty"`
	// UserImpact and CriticalProcess are facts the tool states about the
	// incident (the generic shape and labels of the same names carry them).
	UserImpact      bool `json:"user_impact,omitempty"`
	CriticalProcess bool `json:"critical_process,omitempty"`
}

// Alert is the latest state of one alert of an incident, folded from its
// events: what the alert spans on the incident's timeline picture.
type Alert struct {
	IncidentID string      `json:"incident_id"`
	Source     AlertSource `json:"source"`
	Key        string      `json:"key"`
	Title      string      `json:"title"`
	Status     AlertStatus `json:"status"`
	Severity   Severity    `json:"severity,omitempty"`
	StartsAt   time.Time   `json:"starts_at,omitzero"`
	EndsAt     time.Time   `json:"ends_at,omitzero"`
	// ChangedAt is the tool's time of the event that set Status: an event
	// older than it (a late delivery) does not change the state back.
	ChangedAt time.Time `json:"changed_at,omitzero"`
	// URL is where the tool shows the alert, from its latest event.
	URL string `json:"url,omitempty"`
}

// Name is how the alert is called: its title, or its source and key when
// the tool gave none.
func (a *Alert) Name() string {
	if a.Title != "" {
		return a.Title
	}
	return string(a.Source) + " alert " + a.Key
}

// AlertLinks are the links of the alerts to where their tools show them:
// http and https addresses only, one per address, at most max, in the
// alerts' order.
func AlertLinks(alerts []Alert, max int) []Link {
	var links []Link
	seen := map[string]bool{}
	for _, a := range alerts {
		u, err := url.Parse(a.URL)
		if err != nil || u.Scheme != "http" && u.Scheme != "https" || seen[a.URL] ||
			len(links) == max {
			continue
		}
		seen[a.URL] = true
		links = append(links, Link{Title: a.Name(), URL: a.URL})
	}
	return links
}

// IncidentEvent is an entry of an incident's own timeline, as its alerts
// wrote it. A report's timeline is seeded from these.
type IncidentEvent struct {
	IncidentID string      `json:"incident_id"`
	At         time.Time   `json:"at"`
	Kind       EventKind   `json:"kind,omitempty"`
	Source     AlertSource `json:"source"`
	AlertKey   string      `json:"alert_key,omitempty"`
	Status     AlertStatus `json:"status,omitempty"`
	Text       string      `json:"text"`
	// PayloadID is the raw payload the event was read from.
	PayloadID int64 `json:"payload_id"`
}

// PayloadStatus is where a received webhook payload is in its processing.
type PayloadStatus string

// The payload states: stored and not yet read, read into incidents, or
// refused with a problem that a person can read on the ingestion-errors page.
const (
	PayloadReceived  PayloadStatus = "received"
	PayloadProcessed PayloadStatus = "processed"
	PayloadFailed    PayloadStatus = "failed"
)

// Payload is a webhook body exactly as it arrived, kept before it is read
// so that nothing an alerting tool sends is lost, even when it cannot be
// parsed.
type Payload struct {
	ID          int64       `json:"id"`
	Source      AlertSource `json:"source"`
	ReceivedAt  time.Time   `json:"received_at"`
	ContentType string      `json:"content_type,omitempty"`
	Body        []byte      `json:"-"`
	// Digest is the hex SHA-256 of Body: a replay of the same body is
	// recognised by it and changes nothing.
	Digest string        `json:"digest"`
	Status PayloadStatus `json:"status"`
	// Problem says why a failed payload was refused.
	Problem string `json:"problem,omitempty"`
	// Incidents are the IDs of the incidents a processed payload touched.
	Incidents   []string  `json:"incidents,omitempty"`
	Attempts    int       `json:"attempts"`
	ProcessedAt time.Time `json:"processed_at,omitzero"`
}

// PayloadFilter narrows a list of payloads, newest first. Empty fields do
// not filter.
type PayloadFilter struct {
	Source AlertSource
	Status PayloadStatus
	Limit  int
	Offset int
}

// IncidentChange is what recording alerts did to one incident.
type IncidentChange struct {
	IncidentID string `json:"incident_id"`
	// Created is true when the alerts opened a new incident.
	Created bool           `json:"created,omitempty"`
	Before  IncidentStatus `json:"before,omitempty"`
	After   IncidentStatus `json:"after"`
	// Events is how many new timeline entries the alerts added; a replay
	// adds none.
	Events int `json:"events"`
}

// AlertStore keeps raw webhook payloads, the alerts read from them and the
// incidents they open. Implementations pass one shared test suite.
type AlertStore interface {
	// SavePayload stores p's body before anything reads it, setting ID,
	// Digest, ReceivedAt and Status received. When the same source already
	// sent the same body, it stores nothing, fills p with the stored
	// payload and returns true.
	SavePayload(ctx context.Context, p *Payload) (replay bool, err error)
	// RecordAlerts folds the events read from payload id into incidents
	// in one transaction (see FoldAlert) and marks the payload processed.
	// Events already recorded change nothing. An unknown payload is
	// KindNotFound.
	RecordAlerts(ctx context.Context, payloadID int64, events []AlertEvent) ([]IncidentChange, error)
	// FailPayload marks the payload failed with a problem for people to read.
	FailPayload(ctx context.Context, id int64, problem string) error
	// Payload returns the payload with its body, or KindNotFound.
	Payload(ctx context.Context, id int64) (*Payload, error)
	// Payloads lists payloads without their bodies, newest first, and the
	// number of matches ignoring Limit and Offset.
	Payloads(ctx context.Context, f PayloadFilter) ([]Payload, int, error)
	// IncidentEvents returns the incident's timeline as its alerts wrote
	// it, oldest first.
	IncidentEvents(ctx context.Context, incidentID string) ([]IncidentEvent, error)
	// Alerts returns the incident's alerts in the order they started.
	Alerts(ctx context.Context, incidentID string) ([]Alert, error)
	// GroupIncident returns the ID of the incident the group last opened,
	// or "" when it opened none.
	GroupIncident(ctx context.Context, source AlertSource, groupKey string) (string, error)
}
