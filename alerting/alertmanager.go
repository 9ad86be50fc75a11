package alerting

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
)

// amGroup is the body Alertmanager's webhook receiver posts for a group of
// alerts (version 4; bodies older than 0.16 lack groupKey and
// fingerprints). Grafana Alerting posts the same body with fields of its
// own. The alerts are decoded one by one so that errors name their index.
type amGroup struct {
	Receiver     string            `json:"receiver"`
	GroupKey     string            `json:"groupKey"`
	GroupLabels  map[string]string `json:"groupLabels"`
	CommonLabels map[string]string `json:"commonLabels"`
}

// amAlert is one alert of a group. PanelURL and DashboardURL are
// Grafana's.
type amAlert struct {
	Status       string            `json:"status"`
	Labels       map[string]string `json:"labels"`
	Annotations  map[string]string `json:"annotations"`
	StartsAt     string            `json:"startsAt"`
	EndsAt       string            `json:"endsAt"`
	GeneratorURL string            `json:"generatorURL"`
	Fingerprint  string            `json:"fingerprint"`
	PanelURL     string            `json:"panelURL"`
	DashboardURL string            `json:"dashboardURL"`
}

func parseAlertmanager(body []byte) ([]debrief.AlertEvent, error) {
	return parseAlertGroup(debrief.SourceAlertmanager, body, "an Alertmanager webhook body")
}

// parseAlertGroup reads an Alertmanager-shaped body into one event per
// alert, each with the alert's own status: one body may carry firing and
// resolved alerts together, whatever the group's status says.
func parseAlertGroup(
	source debrief.AlertSource,
	body []byte,
	want string,
) ([]debrief.AlertEvent, error) {
	top, err := readObject(body, want)
	if err != nil {
		return nil, err
	}
	rawAlerts, ok := top["alerts"]
	if !ok {
		return nil, notThis(top, source, "alerts", want)
	}
	var g amGroup
	if err := decode(body, "", &g); err != nil {
		return nil, err
	}
	var alerts []json.RawMessage
	if err := decode(rawAlerts, "alerts", &alerts); err != nil {
		return nil, err
	}
	if len(alerts) == 0 {
		return nil, invalid("alerts", "the group holds no alerts")
	}
	groupKey := strings.TrimSpace(g.GroupKey)
	if groupKey == "" {
		groupKey = fallbackGroupKey(g)
	}
	events := make([]debrief.AlertEvent, 0, len(alerts))
	for i, raw := range alerts {
		path := fmt.Sprintf("alerts[%d]", i)
		var a amAlert
		if err := decode(raw, path, &a); err != nil {
			return nil, err
		}
		ev, err := alertEvent(source, groupKey, path, &a)
		if err != nil {
			return nil, err
		}
		events = append(events, ev)
	}
	return events, nil
}

// alertEvent reads one alert. A firing alert happened at its start and has
// no end yet: Alertmanager sends the zero time as its endsAt, or a time
// resolve_timeout ahead, neither of which is an end. A resolved alert
// happened at its end.
func alertEvent(
	source debrief.AlertSource,
	groupKey, path string,
	a *amAlert,
) (debrief.AlertEvent, error) {
	startsAt, err := parseTime(path+".startsAt", a.StartsAt)
	if err != nil {
		return debrief.AlertEvent{}, err
	}
	endsAt, err := parseTime(path+".endsAt", a.EndsAt)
	if err != nil {
		return debrief.AlertEvent{}, err
	}
	ev := debrief.AlertEvent{Source: source, GroupKey: groupKey, StartsAt: startsAt}
	switch a.Status {
	case "firing":
		if startsAt.IsZero() {
			return ev, missing(path + ".startsAt")
		}
		ev.Status, ev.Kind, ev.At = debrief.AlertFiring, debrief.EventDetection, startsAt
	case "resolved":
		if endsAt.IsZero() {
			return ev, invalid(path+".endsAt", "a resolved alert needs the time it ended")
		}
		ev.Status, ev.Kind, ev.At = debrief.AlertResolved, debrief.EventResolution, endsAt
		ev.EndsAt = endsAt
	case "":
		return ev, missing(path + ".status")
	default:
		return ev, invalid(path+".status", "%s is neither firing nor resolved", quote(a.Status))
	}
	ev.AlertKey = strings.TrimSpace(a.Fingerprint)
	if ev.AlertKey == "" {
		ev.AlertKey = labelsHash(a.Labels)
	}
	describeAlert(&ev, a)
	return ev, nil
}

// describeAlert fills what the alert's labels and annotations say about
// the incident. Labels are read by name: severity (or priority), service
// (or app, or job), category, user_impact and critical_process.
func describeAlert(ev *debrief.AlertEvent, a *amAlert) {
	l := a.Labels
	name := strings.TrimSpace(l["alertname"])
	host := firstOf(l["instance"], l["host"])
	place := joinNonEmpty(" at ", l["service"], host)
	summary := firstOf(annotation(a, "summary"), annotation(a, "description"))

	ev.Title = title(firstOf(annotation(a, "title"), annotation(a, "summary")))
	if ev.Title == "" && name != "" {
		ev.Title = title(joinNonEmpty(" on ", name, firstOf(l["service"], host)))
	}

	what := firstOf(name, ev.Title, "alert "+ev.AlertKey)
	line := statusWord(ev.Status) + ": " + joinNonEmpty(" on ", what, place)
	if summary != "" && summary != what {
		line += " (" + oneLine(summary, maxText/2) + ")"
	}
	ev.Text = oneLine(line, maxText)

	ev.Severity = severity(firstOf(l["severity"], l["priority"]))
	ev.Services = services(firstOf(l["service"], l["app"], l["job"]))
	ev.Category = category(l["category"])
	ev.URL = firstOf(webURL(a.GeneratorURL), webURL(a.PanelURL), webURL(a.DashboardURL))
	ev.UserImpact = isTrue(l["user_impact"])
	ev.CriticalProcess = isTrue(l["critical_process"])
}

// annotation returns the named annotation without the "<no value>" that
// Go templates (Prometheus's and Grafana's) write for a value they lack.
func annotation(a *amAlert, name string) string {
	return strings.TrimSpace(strings.ReplaceAll(a.Annotations[name], "<no value>", ""))
}

func statusWord(s debrief.AlertStatus) string {
	switch s {
	case debrief.AlertFiring:
		return "Firing"
	case debrief.AlertAcknowledged:
		return "Acknowledged"
	case debrief.AlertResolved:
		return "Resolved"
	}
	return "Update"
}

// joinNonEmpty joins the parts that are not blank with sep.
func joinNonEmpty(sep string, parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}

// fallbackGroupKey stands in for the groupKey that bodies older than
// Alertmanager 0.16 lack: the receiver and the group's labels (or, when
// the route groups by nothing, the labels all its alerts share), written
// `receiver:{name="value", ...}` with the names sorted, so that the same
// group always gets the same key.
func fallbackGroupKey(g amGroup) string {
	labels := g.GroupLabels
	if len(labels) == 0 {
		labels = g.CommonLabels
	}
	parts := make([]string, 0, len(labels))
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		parts = append(parts, k+"="+strconv.Quote(labels[k]))
	}
	return g.Receiver + ":{" + strings.Join(parts, ", ") + "}"
}

// labelsHash stands in for a missing fingerprint: 16 hex digits of the
// SHA-256 of the sorted labels. It is stable, but not the fingerprint
// Alertmanager itself would compute.
func labelsHash(labels map[string]string) string {
	h := sha256.New()
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		h.Write([]byte(k))
		h.Write([]byte{0xff})
		h.Write([]byte(labels[k]))
		h.Write([]byte{0xff})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
