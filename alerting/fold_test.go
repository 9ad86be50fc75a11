package alerting

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

// The tests here fold parsed corpus payloads into incidents with the
// domain's rules, and check the incident a person would expect.

func TestAlertmanagerAlertsWithTheSameLabelsAreTwoAlerts(t *testing.T) {
	// zulip-alert.json holds two alerts whose labels are the same but
	// whose fingerprints differ (two CPU cores): both count.
	f := fold(t, parseFile(t, "alertmanager/zulip-alert.json")...)
	if len(f.alerts) != 2 {
		t.Errorf("%d alerts, want 2", len(f.alerts))
	}
	in := f.incident
	start := at(t, "2020-02-06T00:17:58.432911368Z")
	if in.Status != debrief.IncidentOpen || in.Severity != "P1" ||
		!in.DetectedAt.Equal(start) || !in.StartedAt.Equal(start) {
		t.Errorf("incident %s %s detected %v started %v, want open P1 detected and "+
			"started %v", in.Status, in.Severity, in.DetectedAt, in.StartedAt, start)
	}
	if in.Title != "High CPU core temperature" {
		t.Errorf("title %q", in.Title)
	}
}

// threeAlerts is the corpus's three-alert Alertmanager group with the
// alerts whose index is in ends resolved at the given times.
func threeAlerts(t *testing.T, ends map[int]string) []byte {
	body := readPayload(t, "alertmanager/prometheus-msteams-card-grafana-inspired-payload.json")
	return edit(t, body, func(m map[string]any) {
		for i, a := range m["alerts"].([]any) {
			if end, ok := ends[i]; ok {
				a.(map[string]any)["status"] = "resolved"
				a.(map[string]any)["endsAt"] = end
			}
		}
	})
}

func TestAlertmanagerResolvesTheIncidentWhenEveryAlertHasResolved(t *testing.T) {
	parse := func(body []byte) []debrief.AlertEvent {
		events, err := Parse(debrief.SourceAlertmanager, body)
		if err != nil {
			t.Fatal(err)
		}
		return events
	}
	fired := parse(threeAlerts(t, nil))
	// One body may carry resolved alerts under a group that still fires.
	oneResolved := parse(threeAlerts(t, map[int]string{1: "2020-10-11T16:40:00.5+02:00"}))
	if got := oneResolved[1]; got.Status != resolved ||
		!got.At.Equal(at(t, "2020-10-11T14:40:00.5Z")) {
		t.Fatalf("the resolved alert reads as %s at %v", got.Status, got.At)
	}

	f := fold(t, slices.Concat(fired, oneResolved)...)
	if f.incident.Status != debrief.IncidentOpen || !f.incident.ResolvedAt.IsZero() {
		t.Errorf("one alert of three resolved: incident %s resolved at %v, want open",
			f.incident.Status, f.incident.ResolvedAt)
	}

	allResolved := parse(threeAlerts(t, map[int]string{
		0: "2020-10-11T14:45:00Z",
		1: "2020-10-11T16:40:00.5+02:00",
		2: "2020-10-11T10:50:00.123456789-04:00", // the last: 14:50:00.123456789Z
	}))
	f = fold(t, slices.Concat(fired, oneResolved, allResolved)...)
	last := at(t, "2020-10-11T14:50:00.123456789Z")
	if f.incident.Status != debrief.IncidentResolved || !f.incident.ResolvedAt.Equal(last) {
		t.Errorf("all resolved: incident %s resolved at %v, want resolved at %v",
			f.incident.Status, f.incident.ResolvedAt, last)
	}
	// The replayed resolution of alert 1 added nothing to the timeline.
	if len(f.timeline) != 6 {
		t.Errorf("%d timeline entries, want 3 firing and 3 resolved", len(f.timeline))
	}
}

func TestReplayedPayloadsGiveTheSameEvents(t *testing.T) {
	for name := range corpusReads {
		t.Run(name, func(t *testing.T) {
			first, second := parseFile(t, name), parseFile(t, name)
			if diff := cmp.Diff(first, second); diff != "" {
				t.Fatalf("the second parse differs:\n%s", diff)
			}
			keys := map[string]bool{}
			for _, ev := range first {
				if keys[ev.EventKey()] {
					t.Errorf("two events of one payload share the key of %q", ev.AlertKey)
				}
				keys[ev.EventKey()] = true
			}
		})
	}
}

func TestAlertmanagerRepeatWithNewAnnotationsIsTheSameEvent(t *testing.T) {
	// Alertmanager re-sends a firing group every repeat_interval, with
	// annotations rendered afresh: the events are the ones recorded.
	name := "alertmanager/zulip-alert.json"
	repeat := edit(t, readPayload(t, name), func(m map[string]any) {
		for _, a := range m["alerts"].([]any) {
			a.(map[string]any)["annotations"] = map[string]any{"summary": "now 99C"}
		}
	})
	events, err := Parse(debrief.SourceAlertmanager, repeat)
	if err != nil {
		t.Fatal(err)
	}
	for i, ev := range parseFile(t, name) {
		if ev.EventKey() != events[i].EventKey() {
			t.Errorf("alert %d: the repeat is a new event", i)
		}
	}
}

func TestPagerDutyEventsOfOneIncident(t *testing.T) {
	var events []debrief.AlertEvent
	for _, name := range []string{"zulip-escalate_v3.json", "zulip-priority_updated_v3.json",
		"zulip-annotated_v3.json", "zulip-responder_added.json"} {
		events = append(events, parseFile(t, "pagerduty/"+name)...)
	}
	for _, ev := range events {
		if ev.GroupKey != "Q3B15VLMF3ASBD" {
			t.Fatalf("event %q is of incident %q", ev.Text, ev.GroupKey)
		}
	}
	if events[0].Severity != "P1" || events[1].Severity != "P2" {
		t.Fatalf("severities %s then %s, want P1 then P2", events[0].Severity, events[1].Severity)
	}

	f := fold(t, events[0])
	if f.incident.Severity != "P1" {
		t.Errorf("after the escalation: %s, want P1", f.incident.Severity)
	}
	f = fold(t, events...)
	in := f.incident
	if in.Severity != "P2" || in.Status != debrief.IncidentOpen ||
		in.Title != "Critical: Checkout API High Latency" ||
		!slices.Equal(in.Services, []string{"Default Service"}) ||
		!in.StartedAt.Equal(at(t, "2026-04-01T02:07:30Z")) {
		t.Errorf("incident %+v, want the open P2 checkout incident started at its creation", in)
	}
	var kinds []debrief.EventKind
	for _, e := range f.timeline {
		kinds = append(kinds, e.Kind)
	}
	want := []debrief.EventKind{debrief.EventEscalation, debrief.EventOther,
		debrief.EventCommunication, debrief.EventEscalation}
	if !slices.Equal(kinds, want) {
		t.Errorf("timeline kinds %q, want %q", kinds, want)
	}

	// Resolving the incident in PagerDuty resolves it here.
	resolvedBody := edit(t, readPayload(t, "pagerduty/zulip-priority_updated_v3.json"),
		func(m map[string]any) {
			e := m["event"].(map[string]any)
			e["event_type"], e["occurred_at"] = "incident.resolved", "2026-04-01T02:40:00.25Z"
			e["data"].(map[string]any)["status"] = "resolved"
		})
	resolution, err := Parse(debrief.SourcePagerDuty, resolvedBody)
	if err != nil {
		t.Fatal(err)
	}
	f = fold(t, slices.Concat(events, resolution)...)
	if end := at(t, "2026-04-01T02:40:00.25Z"); f.incident.Status != debrief.IncidentResolved ||
		!f.incident.ResolvedAt.Equal(end) {
		t.Errorf("incident %s resolved at %v, want resolved at %v",
			f.incident.Status, f.incident.ResolvedAt, end)
	}
}

func TestPagerDutyAcknowledgedAndUnacknowledgedInEitherOrder(t *testing.T) {
	// The two files are one incident; the acknowledgement is the later, so
	// the incident is acknowledged whichever arrives first.
	ack := parseFile(t, "pagerduty/zulip-acknowledged_v3.json")[0]
	unack := parseFile(t, "pagerduty/zulip-unacknowledged_v3.json")[0]
	if ack.GroupKey != unack.GroupKey {
		t.Fatalf("incidents %q and %q, want one", ack.GroupKey, unack.GroupKey)
	}
	for _, order := range [][]debrief.AlertEvent{{ack, unack}, {unack, ack}} {
		f := fold(t, order...)
		if f.incident.Status != debrief.IncidentAcknowledged {
			t.Errorf("%s then %s: incident %s, want acknowledged",
				order[0].Status, order[1].Status, f.incident.Status)
		}
	}
	// The resolved file is another incident of the same account.
	res := parseFile(t, "pagerduty/zulip-resolved_v3.json")[0]
	if res.GroupKey == ack.GroupKey {
		t.Errorf("the resolved file names incident %q too", res.GroupKey)
	}
}

func TestOpsgenieAlertLifecycle(t *testing.T) {
	var events []debrief.AlertEvent
	for _, name := range []string{"opsgenie-docs-marid-create.json", "zulip-acknowledge.json",
		"zulip-addnote.json", "zulip-assignownership.json", "zulip-close.json"} {
		events = append(events, parseFile(t, "opsgenie/"+name)...)
	}
	f := fold(t, events...)
	in := f.incident
	want := []time.Time{
		at(t, "2015-01-05T10:03:11.104Z"),       // created, in milliseconds
		at(t, "2015-01-05T10:03:44.764002246Z"), // acknowledged, in nanoseconds
		at(t, "2015-01-05T10:06:14.669001603Z"), // closed
	}
	got := []time.Time{in.DetectedAt, in.AcknowledgedAt, in.ResolvedAt}
	if in.Status != debrief.IncidentResolved || !slices.EqualFunc(got, want, time.Time.Equal) {
		t.Errorf("incident %s detected, acknowledged, resolved at %v, want resolved at %v",
			in.Status, got, want)
	}
	if len(f.alerts) != 1 || len(f.timeline) != 5 {
		t.Errorf("%d alerts and %d timeline entries, want 1 and 5",
			len(f.alerts), len(f.timeline))
	}
}

func TestGrafanaResolvedGroup(t *testing.T) {
	f := fold(t, parseFile(t, "grafana/zulip-alert-9-resolved.json")...)
	in := f.incident
	start, end := at(t, "2022-06-17T00:41:00.782137894Z"), at(t, "2022-06-17T00:51:24.067337833Z")
	if in.Status != debrief.IncidentResolved || !in.StartedAt.Equal(start) ||
		!in.ResolvedAt.Equal(end) {
		t.Errorf("incident %s from %v to %v, want resolved from %v to %v",
			in.Status, in.StartedAt, in.ResolvedAt, start, end)
	}
}

func TestGrafanaAndAlertmanagerGroupsWithManyRules(t *testing.T) {
	// The Grafana docs' group ({}:{}) holds two rules' alerts: one
	// incident with two alerts, detected at the first.
	f := fold(t, parseFile(t, "grafana/grafana-docs-webhook-notifier-latest.json")...)
	first := at(t, "2021-10-12T07:51:03.157076Z")
	if len(f.alerts) != 2 || !f.incident.DetectedAt.Equal(first) {
		t.Errorf("%d alerts, detected at %v; want 2, detected at %v",
			len(f.alerts), f.incident.DetectedAt, first)
	}
	for _, e := range f.timeline {
		if e.Kind != debrief.EventDetection {
			t.Errorf("entry %q is %q, want detection", e.Text, e.Kind)
		}
	}
}
