package alerting

import (
	"encoding/json"
	"strings"

	"github.com/debrief-oss/debrief"
)

// pdEvent is the event a PagerDuty v3 webhook delivers, one per body.
// Agent and client may be null; data is an incident, or for notes,
// responders and status updates an object that refers to one.
type pdEvent struct {
	ID           string          `json:"id"`
	EventType    string          `json:"event_type"`
	ResourceType string          `json:"resource_type"`
	OccurredAt   string          `json:"occurred_at"`
	Agent        *pdReference    `json:"agent"`
	Data         json.RawMessage `json:"data"`
}

// pdReference is PagerDuty's reference to another object.
type pdReference struct {
	ID      string `json:"id"`
	Type    string `json:"type"`
	Summary string `json:"summary"`
	HTMLURL string `json:"html_url"`
}

// pdData holds the members of every data type an incident event carries:
// incident, incident_note, incident_responder, incident_status_update.
type pdData struct {
	pdReference
	Status           string        `json:"status"`
	Title            string        `json:"title"`
	CreatedAt        string        `json:"created_at"`
	Service          *pdReference  `json:"service"`
	Priority         *pdReference  `json:"priority"`
	Assignees        []pdReference `json:"assignees"`
	EscalationPolicy *pdReference  `json:"escalation_policy"`
	Incident         *pdReference  `json:"incident"`
	Content          string        `json:"content"`
	Message          string        `json:"message"`
	User             *pdReference  `json:"user"`
	State            string        `json:"state"`
}

// pdEventTypes says what each incident event type does, by its name
// after "incident.".
var pdEventTypes = map[string]effect{
	"triggered":               {debrief.AlertFiring, debrief.EventDetection, "Triggered"},
	"reopened":                {debrief.AlertFiring, debrief.EventDetection, "Reopened"},
	"unacknowledged":          {debrief.AlertFiring, debrief.EventEscalation, "Unacknowledged"},
	"acknowledged":            {debrief.AlertAcknowledged, debrief.EventEscalation, "Acknowledged"},
	"resolved":                {debrief.AlertResolved, debrief.EventResolution, "Resolved"},
	"escalated":               {"", debrief.EventEscalation, "Escalated"},
	"reassigned":              {"", debrief.EventEscalation, "Reassigned"},
	"delegated":               {"", debrief.EventEscalation, "Delegated"},
	"responder.added":         {"", debrief.EventEscalation, "Responder requested"},
	"responder.replied":       {"", debrief.EventEscalation, "Responder replied"},
	"annotated":               {"", debrief.EventCommunication, "Note"},
	"status_update_published": {"", debrief.EventCommunication, "Status update"},
	"priority_updated":        {"", "", "Priority changed"},
}

// pdStatuses maps an incident's status onto an alert's.
var pdStatuses = map[string]debrief.AlertStatus{
	"triggered":    debrief.AlertFiring,
	"acknowledged": debrief.AlertAcknowledged,
	"resolved":     debrief.AlertResolved,
}

// parsePagerDuty reads a PagerDuty v3 webhook. The incident is both the
// group and the alert. An event that is not about an incident (the test
// ping, a service change) gives no events.
func parsePagerDuty(body []byte) ([]debrief.AlertEvent, error) {
	const want = "a PagerDuty v3 webhook body"
	top, err := readObject(body, want)
	if err != nil {
		return nil, err
	}
	raw, ok := top["event"]
	if !ok || kindOfJSON(raw) == "null" {
		return nil, notThis(top, debrief.SourcePagerDuty, "event", want)
	}
	var e pdEvent
	if err := decode(raw, "event", &e); err != nil {
		return nil, err
	}
	if e.EventType == "" {
		return nil, missing("event.event_type")
	}
	if e.ResourceType != "incident" && !strings.HasPrefix(e.EventType, "incident.") {
		return nil, nil
	}
	at, err := parseTime("event.occurred_at", e.OccurredAt)
	if err != nil {
		return nil, err
	}
	if at.IsZero() {
		return nil, missing("event.occurred_at")
	}
	if len(e.Data) == 0 || kindOfJSON(e.Data) == "null" {
		return nil, missing("event.data")
	}
	var d pdData
	if err := decode(e.Data, "event.data", &d); err != nil {
		return nil, err
	}
	ev, err := pdIncidentEvent(&e, &d)
	if err != nil {
		return nil, err
	}
	ev.At = at
	if ev.Status == debrief.AlertResolved {
		ev.EndsAt = at
	}
	return []debrief.AlertEvent{ev}, nil
}

// pdIncidentEvent reads what the event says about its incident. Events
// that change no state of their own (escalated, priority_updated) take the
// incident's current status from the data they carry, so that the
// priority they bring is applied as the incident's severity.
func pdIncidentEvent(e *pdEvent, d *pdData) (debrief.AlertEvent, error) {
	ev := debrief.AlertEvent{Source: debrief.SourcePagerDuty}
	// data is the incident itself, or (for notes, responders and status
	// updates) an object with a reference to it.
	incident, idPath := d.pdReference, "event.data.id"
	if d.Incident != nil || d.Type != "" && d.Type != "incident" {
		incident, idPath = pdReference{}, "event.data.incident.id"
		if d.Incident != nil {
			incident = *d.Incident
		}
	}
	id := strings.TrimSpace(incident.ID)
	if id == "" {
		return ev, missing(idPath)
	}
	ev.GroupKey, ev.AlertKey = id, id

	kind := pdEventTypes[strings.TrimPrefix(e.EventType, "incident.")]
	ev.Status, ev.Kind = kind.status, kind.kind
	if ev.Status == "" {
		ev.Status = pdStatuses[d.Status]
	}
	startsAt, err := parseTime("event.data.created_at", d.CreatedAt)
	if err != nil {
		return ev, err
	}
	ev.StartsAt = startsAt

	ev.Title = title(firstOf(d.Title, incident.Summary, "PagerDuty incident "+id))
	if d.Priority != nil {
		ev.Severity = severity(d.Priority.Summary)
	}
	if d.Service != nil {
		ev.Services = services(d.Service.Summary)
	}
	ev.URL = webURL(incident.HTMLURL)
	ev.Text = oneLine(pdLine(e, d, kind.words), maxText)
	return ev, nil
}

// pdLine is the event's line on the timeline: what happened, to what, and
// who did it when PagerDuty says. A long note is cut so that the agent
// still shows.
func pdLine(e *pdEvent, d *pdData, words string) string {
	if words == "" {
		words = "PagerDuty " + e.EventType
	}
	detail := func(s string) string { return oneLine(s, maxText*3/4) }
	line := words
	switch e.EventType {
	case "incident.triggered", "incident.reopened", "incident.resolved":
		line = joinNonEmpty(": ", words, detail(d.Title))
	case "incident.unacknowledged":
		line = words + ", back to triggered"
	case "incident.escalated", "incident.reassigned":
		line = words + " to " + detail(assigneeNames(d.Assignees))
	case "incident.delegated":
		if d.EscalationPolicy != nil {
			line = words + " to " + detail(d.EscalationPolicy.Summary)
		}
	case "incident.priority_updated":
		line = words + " to none"
		if d.Priority != nil {
			line = words + " to " + detail(d.Priority.Summary)
		}
	case "incident.annotated":
		line = joinNonEmpty(": ", words, detail(d.Content))
	case "incident.status_update_published":
		line = joinNonEmpty(": ", words, detail(d.Message))
	case "incident.responder.added", "incident.responder.replied":
		var who string
		if d.User != nil {
			who = d.User.Summary
		}
		line = joinNonEmpty(": ", words, detail(joinNonEmpty(", ", who, d.State)))
	}
	if e.Agent != nil && strings.TrimSpace(e.Agent.Summary) != "" {
		line += " (by " + oneLine(e.Agent.Summary, 100) + ")"
	}
	return line
}

func assigneeNames(refs []pdReference) string {
	var names []string
	for _, r := range refs {
		names = append(names, firstOf(r.Summary, r.ID))
	}
	if len(names) == 0 {
		return "nobody"
	}
	return strings.Join(names, ", ")
}
