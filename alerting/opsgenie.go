package alerting

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// ogWebhook is the body of an Opsgenie outgoing webhook: one action on one
// alert.
type ogWebhook struct {
	Action string `json:"action"`
}

// ogAlert is the alert an action was taken on. Opsgenie gives createdAt in
// milliseconds and updatedAt in nanoseconds since 1970; both are kept raw
// and read as integers, because a float64 cannot hold nanoseconds exactly.
type ogAlert struct {
	AlertID   string          `json:"alertId"`
	Alias     string          `json:"alias"`
	TinyID    string          `json:"tinyId"`
	Message   string          `json:"message"`
	Note      string          `json:"note"`
	Owner     string          `json:"owner"`
	Username  string          `json:"username"`
	Tags      []string        `json:"tags"`
	Priority  json.RawMessage `json:"priority"`
	CreatedAt json.RawMessage `json:"createdAt"`
	UpdatedAt json.RawMessage `json:"updatedAt"`
}

// ogActions says what each action does: the state it puts the alert in
// ("" for none), its kind on the timeline and the words of its line.
// Actions not listed change nothing and have the plain kind.
var ogActions = map[string]effect{
	"create":          {debrief.AlertFiring, debrief.EventDetection, "Created"},
	"unacknowledge":   {debrief.AlertFiring, debrief.EventEscalation, "Unacknowledged"},
	"acknowledge":     {debrief.AlertAcknowledged, debrief.EventEscalation, "Acknowledged"},
	"close":           {debrief.AlertResolved, debrief.EventResolution, "Closed"},
	"addnote":         {"", debrief.EventCommunication, "Note"},
	"assignownership": {"", debrief.EventEscalation, "Ownership assigned"},
	"takeownership":   {"", debrief.EventEscalation, "Ownership taken"},
	"escalate":        {"", debrief.EventEscalation, "Escalated"},
	"addresponder":    {"", debrief.EventEscalation, "Responder added"},
	"addteam":         {"", debrief.EventEscalation, "Team added"},
	"addrecipient":    {"", debrief.EventEscalation, "Recipient added"},
	"updatepriority":  {"", "", "Priority changed"},
}

// parseOpsgenie reads an Opsgenie outgoing webhook. Opsgenie keeps one
// open alert per alias, so the alias is the group and the alert's id the
// alert in it.
func parseOpsgenie(body []byte) ([]debrief.AlertEvent, error) {
	const want = "an Opsgenie webhook body"
	top, err := readObject(body, want)
	if err != nil {
		return nil, err
	}
	raw, ok := top["alert"]
	if !ok || kindOfJSON(raw) == "null" {
		return nil, notThis(top, debrief.SourceOpsgenie, "alert", want)
	}
	var w ogWebhook
	if err := decode(body, "", &w); err != nil {
		return nil, err
	}
	var a ogAlert
	if err := decode(raw, "alert", &a); err != nil {
		return nil, err
	}
	action := strings.TrimSpace(w.Action)
	if action == "" {
		return nil, missing("action")
	}
	ev := debrief.AlertEvent{Source: debrief.SourceOpsgenie}
	ev.GroupKey = firstOf(a.Alias, a.AlertID)
	ev.AlertKey = firstOf(a.AlertID, a.Alias)
	if ev.GroupKey == "" {
		return nil, missing("alert.alias")
	}
	if err := ogTimes(&ev, &a, action); err != nil {
		return nil, err
	}
	do := ogActions[strings.ToLower(action)]
	ev.Status, ev.Kind = do.status, do.kind
	if ev.Status == debrief.AlertResolved {
		ev.EndsAt = ev.At
	}
	ev.Title = title(firstOf(a.Message, "Opsgenie alert "+firstOf(a.TinyID, ev.GroupKey)))
	ev.Severity = severity(ogPriority(a.Priority))
	ev.Services = tagServices(a.Tags)
	ev.Text = oneLine(ogLine(action, do.words, &a), maxText)
	return []debrief.AlertEvent{ev}, nil
}

// ogTimes sets the event's times: a Create happened when the alert was
// created, any other action when it was last updated.
func ogTimes(ev *debrief.AlertEvent, a *ogAlert, action string) error {
	created, err := epoch("alert.createdAt", a.CreatedAt)
	if err != nil {
		return err
	}
	updated, err := epoch("alert.updatedAt", a.UpdatedAt)
	if err != nil {
		return err
	}
	ev.StartsAt = created
	if strings.EqualFold(action, "Create") {
		ev.At = firstTime(created, updated)
		if ev.At.IsZero() {
			return missing("alert.createdAt")
		}
		return nil
	}
	ev.At = firstTime(updated, created)
	if ev.At.IsZero() {
		return missing("alert.updatedAt")
	}
	return nil
}

func firstTime(times ...time.Time) time.Time {
	for _, t := range times {
		if !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// The magnitudes that tell epoch units apart. Any moment after March 1973
// is at least 1e11 in milliseconds, 1e14 in microseconds and 1e17 in
// nanoseconds, and any moment before the year 5138 is below 1e11 in
// seconds, so each range below holds exactly one unit's plausible values.
const (
	millisFrom = 1e11
	microsFrom = 1e14
	nanosFrom  = 1e17
)

// epoch reads a count since 1970 whose unit (seconds, milliseconds,
// microseconds or nanoseconds) is told by its size. Opsgenie writes
// createdAt in milliseconds and updatedAt in nanoseconds, as numbers; a
// number in a string is read too.
func epoch(path string, raw json.RawMessage) (time.Time, error) {
	text := string(raw)
	switch kindOfJSON(raw) {
	case "nothing", "null":
		return time.Time{}, nil
	case "string":
		if err := json.Unmarshal(raw, &text); err != nil {
			return time.Time{}, invalid(path, "%s is not a string", quote(string(raw)))
		}
	}
	v, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil || v < 0 {
		return time.Time{}, invalid(path, "%s is not a whole number of milliseconds or "+
			"nanoseconds since 1970", oneLine(string(raw), 80))
	}
	if v == 0 {
		return time.Time{}, nil
	}
	var t time.Time
	switch {
	case v < millisFrom:
		t = time.Unix(v, 0)
	case v < microsFrom:
		t = time.UnixMilli(v)
	case v < nanosFrom:
		t = time.UnixMicro(v)
	default:
		t = time.Unix(0, v)
	}
	return checkYear(path, t.UTC())
}

// ogPriority reads a priority given as "P3", "3" or 3.
func ogPriority(raw json.RawMessage) string {
	var s string
	switch kindOfJSON(raw) {
	case "string":
		_ = json.Unmarshal(raw, &s)
	case "number":
		s = string(raw)
	}
	return s
}

// tagServices reads services from tags written "service:name" (or
// "service=name"), the convention debrief documents for Opsgenie, which
// has no field for them.
func tagServices(tags []string) []string {
	var out []string
	for _, tag := range tags {
		i := strings.IndexAny(tag, ":=")
		if i > 0 && strings.EqualFold(strings.TrimSpace(tag[:i]), "service") {
			out = append(out, services(tag[i+1:])...)
		}
	}
	return out
}

// ogLine is the action's line on the timeline.
func ogLine(action, words string, a *ogAlert) string {
	var line string
	switch strings.ToLower(action) {
	case "create", "close":
		line = joinNonEmpty(": ", words, oneLine(a.Message, maxText*3/4))
	case "addnote":
		line = joinNonEmpty(": ", words, oneLine(a.Note, maxText*3/4))
	case "assignownership":
		line = joinNonEmpty(" to ", words, oneLine(a.Owner, 100))
	case "updatepriority":
		line = joinNonEmpty(" to ", words, ogPriority(a.Priority))
	default:
		line = firstOf(words, "Opsgenie action "+action)
		if words == "" {
			line = joinNonEmpty(": ", line, oneLine(a.Message, maxText/2))
		}
	}
	if u := oneLine(a.Username, 100); u != "" {
		line += " (by " + u + ")"
	}
	return line
}
