package alerting

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/debrief-oss/debrief"
)

// genericEvent is one event of debrief's own webhook shape, for tools that
// have no integration of their own (docs/webhooks.md documents it).
type genericEvent struct {
	GroupKey        string   `json:"group_key"`
	AlertKey        string   `json:"alert_key"`
	Status          string   `json:"status"`
	Title           string   `json:"title"`
	Text            string   `json:"text"`
	Time            string   `json:"time"`
	StartsAt        string   `json:"starts_at"`
	EndsAt          string   `json:"ends_at"`
	Severity        string   `json:"severity"`
	Services        []string `json:"services"`
	Category        string   `json:"category"`
	URL             string   `json:"url"`
	UserImpact      bool     `json:"user_impact"`
	CriticalProcess bool     `json:"critical_process"`
}

// genericKinds gives each status of the generic shape its timeline kind.
var genericKinds = map[debrief.AlertStatus]debrief.EventKind{
	debrief.AlertFiring:       debrief.EventDetection,
	debrief.AlertAcknowledged: debrief.EventEscalation,
	debrief.AlertResolved:     debrief.EventResolution,
}

// parseGeneric reads one event, or several under "events". Unlike the
// tools' shapes, which debrief reads as leniently as their variants need,
// this one is debrief's own, so it is checked strictly: a missing or
// mistyped field is named rather than guessed.
func parseGeneric(body []byte) ([]debrief.AlertEvent, error) {
	const want = `an alert event of debrief's generic shape (or {"events": [...]})`
	top, err := readObject(body, want)
	if err != nil {
		return nil, err
	}
	rawEvents, many := top["events"]
	if !many {
		if _, ok := top["group_key"]; !ok {
			return nil, notThis(top, debrief.SourceGeneric, "group_key", want)
		}
		ev, err := genericAlertEvent(body, "")
		if err != nil {
			return nil, err
		}
		return []debrief.AlertEvent{ev}, nil
	}
	if _, ok := top["group_key"]; ok {
		return nil, invalid("events", "send either one event or a list under events, not both")
	}
	var raws []json.RawMessage
	if err := decode(rawEvents, "events", &raws); err != nil {
		return nil, err
	}
	if len(raws) == 0 {
		return nil, invalid("events", "the list holds no events")
	}
	events := make([]debrief.AlertEvent, 0, len(raws))
	for i, raw := range raws {
		ev, err := genericAlertEvent(raw, fmt.Sprintf("events[%d]", i))
		if err != nil {
			return nil, err
		}
		events = append(events, ev)
	}
	return events, nil
}

// genericAlertEvent reads the event in raw, naming its fields under
// prefix.
func genericAlertEvent(raw []byte, prefix string) (debrief.AlertEvent, error) {
	var g genericEvent
	if err := decode(raw, prefix, &g); err != nil {
		return debrief.AlertEvent{}, err
	}
	path := func(field string) string { return joinPath(prefix, field) }
	ev := debrief.AlertEvent{Source: debrief.SourceGeneric}
	var err error
	if ev.GroupKey, err = genericKey(path("group_key"), g.GroupKey); err != nil {
		return ev, err
	}
	if ev.GroupKey == "" {
		return ev, missing(path("group_key"))
	}
	if ev.AlertKey, err = genericKey(path("alert_key"), g.AlertKey); err != nil {
		return ev, err
	}
	if ev.AlertKey == "" {
		ev.AlertKey = ev.GroupKey
	}
	if err := genericStatus(&ev, &g, path); err != nil {
		return ev, err
	}
	if err := genericFacts(&ev, &g, path); err != nil {
		return ev, err
	}
	ev.Title = title(g.Title)
	ev.Text = oneLine(g.Text, maxText)
	if ev.Text == "" {
		ev.Text = statusWord(ev.Status) + ": " + firstOf(ev.Title, ev.GroupKey)
		ev.Text = oneLine(ev.Text, maxText)
	}
	return ev, nil
}

// genericKey checks a group or alert key: an identifier, so it is refused
// rather than cleaned when it holds what a page cannot show.
func genericKey(path, key string) (string, error) {
	key = strings.TrimSpace(key)
	switch {
	case len(key) > debrief.MaxTitleLen:
		return "", invalid(path, "the key is %d bytes long; the limit is %d",
			len(key), debrief.MaxTitleLen)
	case strings.IndexFunc(key, unprintable) >= 0:
		return "", invalid(path, "the key holds a control character")
	}
	return key, nil
}

// genericStatus reads the status and the times: time is when the event
// happened, starts_at when the alert started, ends_at when a resolved
// alert ended (time when not given).
func genericStatus(ev *debrief.AlertEvent, g *genericEvent, path func(string) string) error {
	ev.Status = debrief.AlertStatus(g.Status)
	kind, ok := genericKinds[ev.Status]
	switch {
	case g.Status == "":
		return missing(path("status"))
	case !ok:
		return invalid(path("status"), "%s is not firing, acknowledged or resolved",
			quote(g.Status))
	}
	ev.Kind = kind
	var err error
	if ev.At, err = parseTime(path("time"), g.Time); err != nil {
		return err
	}
	if ev.At.IsZero() {
		return missing(path("time"))
	}
	if ev.StartsAt, err = parseTime(path("starts_at"), g.StartsAt); err != nil {
		return err
	}
	if ev.EndsAt, err = parseTime(path("ends_at"), g.EndsAt); err != nil {
		return err
	}
	switch {
	case ev.Status != debrief.AlertResolved && !ev.EndsAt.IsZero():
		return invalid(path("ends_at"), "an alert that is %s has not ended; "+
			"send ends_at with status resolved", ev.Status)
	case ev.Status == debrief.AlertResolved && ev.EndsAt.IsZero():
		ev.EndsAt = ev.At
	}
	return nil
}

// genericFacts reads what the event says about the incident.
func genericFacts(ev *debrief.AlertEvent, g *genericEvent, path func(string) string) error {
	sev, err := debrief.NormalizeSeverity(path("severity"), debrief.Severity(g.Severity))
	if err != nil {
		return err
	}
	ev.Severity = sev
	if len(g.Services) > debrief.MaxListLen {
		return invalid(path("services"), "%d services; the limit is %d",
			len(g.Services), debrief.MaxListLen)
	}
	for _, s := range g.Services {
		ev.Services = append(ev.Services, services(s)...)
	}
	ev.Category = category(g.Category)
	if ev.Category == "" {
		ev.Category = debrief.Category(title(g.Category))
	}
	if ev.URL = webURL(g.URL); ev.URL == "" && strings.TrimSpace(g.URL) != "" {
		return invalid(path("url"), "%s is not an http or https address", quote(g.URL))
	}
	ev.UserImpact, ev.CriticalProcess = g.UserImpact, g.CriticalProcess
	return nil
}
