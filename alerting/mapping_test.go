package alerting

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

// oneAlert parses an Alertmanager group of one alert with the given
// labels, annotations and further members (JSON text after a comma).
func oneAlert(t *testing.T, labels, annotations, more string) debrief.AlertEvent {
	t.Helper()
	alert := `{"status":"firing","labels":` + labels + `,"annotations":` + annotations +
		`,"startsAt":"2026-03-07T10:00:00Z","endsAt":"0001-01-01T00:00:00Z"` + more + `}`
	events, err := Parse(am, []byte(alertBody(alert)))
	if err != nil {
		t.Fatal(err)
	}
	return events[0]
}

func TestAlertmanagerLabels(t *testing.T) {
	for _, c := range []struct {
		labels string
		want   debrief.AlertEvent
	}{
		{`{"severity":"critical"}`, debrief.AlertEvent{Severity: "P1"}},
		{`{"severity":"error"}`, debrief.AlertEvent{Severity: "P2"}},
		{`{"severity":"High"}`, debrief.AlertEvent{Severity: "P2"}},
		{`{"severity":"warning"}`, debrief.AlertEvent{Severity: "P3"}},
		{`{"severity":"info"}`, debrief.AlertEvent{Severity: "P4"}},
		{`{"severity":"none"}`, debrief.AlertEvent{}},
		{`{"priority":"P5"}`, debrief.AlertEvent{Severity: "P4"}},
		{`{"severity":"warning","priority":"P1"}`, debrief.AlertEvent{Severity: "P3"}},
		{`{"job":"node","app":"shop","service":"checkout"}`,
			debrief.AlertEvent{Services: []string{"checkout"}}},
		{`{"job":"node","app":"shop"}`, debrief.AlertEvent{Services: []string{"shop"}}},
		{`{"job":"node"}`, debrief.AlertEvent{Services: []string{"node"}}},
		{`{"category":"external_dependency"}`,
			debrief.AlertEvent{Category: debrief.CategoryExternalDependency}},
		{`{"category":"AVAILABILITY"}`, debrief.AlertEvent{Category: debrief.CategoryAvailability}},
		{`{"category":"plumbing"}`, debrief.AlertEvent{}},
		{`{"user_impact":"true","critical_process":"True"}`,
			debrief.AlertEvent{UserImpact: true, CriticalProcess: true}},
		{`{"user_impact":"false","critical_process":"maybe"}`, debrief.AlertEvent{}},
	} {
		t.Run(c.labels, func(t *testing.T) {
			ev := oneAlert(t, c.labels, `{}`, "")
			got := debrief.AlertEvent{Severity: ev.Severity, Services: ev.Services,
				Category: ev.Category, UserImpact: ev.UserImpact,
				CriticalProcess: ev.CriticalProcess}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestAlertmanagerTitleAndText(t *testing.T) {
	long := strings.Repeat("très long ", 100)
	for _, c := range []struct {
		name, labels, annotations string
		title, text               string
	}{
		{"summary", `{"alertname":"HighLatency","service":"api"}`,
			`{"summary":"p99 above 2s"}`,
			"p99 above 2s", "Firing: HighLatency on api (p99 above 2s)"},
		{"title annotation first", `{"alertname":"A"}`, `{"title":"T","summary":"S"}`,
			"T", "Firing: A (S)"},
		{"description when no summary", `{"alertname":"A","instance":"db1:9100"}`,
			`{"description":"disk full"}`, "A on db1:9100", "Firing: A on db1:9100 (disk full)"},
		{"service and instance", `{"alertname":"A","service":"api","instance":"h:1"}`, `{}`,
			"A on api", "Firing: A on api at h:1"},
		{"no value", `{"alertname":"A"}`, `{"summary":"<no value>"}`, "A", "Firing: A"},
		{"no names", `{}`, `{}`, "", "" /* the alert key, set below */},
		{"lines and controls", `{"alertname":"A"}`,
			`{"summary":"first\nsecond\u001b[31m\u202Ered"}`,
			"first second [31m red", "Firing: A (first second [31m red)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ev := oneAlert(t, c.labels, c.annotations, "")
			if c.name == "no names" {
				c.text = "Firing: alert " + ev.AlertKey
			}
			if ev.Title != c.title || ev.Text != c.text {
				t.Errorf("title %q, text %q\nwant  %q, %q", ev.Title, ev.Text, c.title, c.text)
			}
		})
	}
	t.Run("long", func(t *testing.T) {
		ev := oneAlert(t, `{"alertname":"A"}`, fmt.Sprintf(`{"summary":%q}`, long), "")
		if len(ev.Title) > debrief.MaxTitleLen || len(ev.Text) >= 500 ||
			!strings.HasSuffix(ev.Title, "…") || !utf8.ValidString(ev.Text) {
			t.Errorf("title of %d bytes, text of %d bytes (%q)",
				len(ev.Title), len(ev.Text), ev.Text)
		}
	})
}

func TestAlertmanagerLinks(t *testing.T) {
	for _, c := range []struct{ more, want string }{
		{`,"generatorURL":"http://prom:9090/graph?g0.expr=up\\u0026g0.tab=1"`,
			"http://prom:9090/graph?g0.expr=up&g0.tab=1"},
		{`,"generatorURL":"https://g.example.com/grafana/alerting/x/view?orgId=1"`,
			"https://g.example.com/grafana/alerting/x/view?orgId=1"},
		{`,"generatorURL":"javascript:alert(1)"`, ""},
		{`,"generatorURL":"/graph?g0.expr=up"`, ""},
		{`,"generatorURL":"","panelURL":"https://g/d/1?viewPanel=2",` +
			`"dashboardURL":"https://g/d/1"`, "https://g/d/1?viewPanel=2"},
		{``, ""},
	} {
		if got := oneAlert(t, `{"alertname":"A"}`, `{}`, c.more).URL; got != c.want {
			t.Errorf("%s: link %q, want %q", c.more, got, c.want)
		}
	}
}

func TestAlertmanagerTimes(t *testing.T) {
	// A firing alert's endsAt is never its end: Alertmanager sends the
	// zero time, or now plus resolve_timeout.
	ev := oneAlert(t, `{"alertname":"A"}`, `{}`, `,"endsAt":"2026-03-07T10:05:00Z"`)
	if !ev.EndsAt.IsZero() {
		t.Errorf("a firing alert ends at %v", ev.EndsAt)
	}
	alert := `{"status":"resolved","labels":{"alertname":"A"},` +
		`"startsAt":"2026-03-07T11:00:00.000000001+01:00",` +
		`"endsAt":"2026-03-07T05:30:00.999999999-05:00"}`
	events, err := Parse(am, []byte(alertBody(alert)))
	if err != nil {
		t.Fatal(err)
	}
	ev = events[0]
	end := time.Date(2026, 3, 7, 10, 30, 0, 999999999, time.UTC)
	if ev.At != end || ev.EndsAt != end ||
		ev.StartsAt != time.Date(2026, 3, 7, 10, 0, 0, 1, time.UTC) {
		t.Errorf("at %v, from %v to %v", ev.At, ev.StartsAt, ev.EndsAt)
	}
}

func TestAlertmanagerWithoutGroupKeyOrFingerprint(t *testing.T) {
	body := func(groupLabels, labels string) []byte {
		return []byte(`{"receiver":"ops","status":"firing","groupLabels":` + groupLabels +
			`,"commonLabels":{"alertname":"A","env":"prod"},"alerts":[{"status":"firing",` +
			`"labels":` + labels + `,"startsAt":"2026-03-07T10:00:00Z"}]}`)
	}
	parse := func(b []byte) debrief.AlertEvent {
		events, err := Parse(am, b)
		if err != nil {
			t.Fatal(err)
		}
		return events[0]
	}
	a := parse(body(`{"instance":"h1","alertname":"A"}`, `{"b":"2","a":"1"}`))
	b := parse(body(`{"alertname":"A","instance":"h1"}`, `{"a":"1","b":"2"}`))
	if want := `ops:{alertname="A", instance="h1"}`; a.GroupKey != want {
		t.Errorf("group %q, want %q", a.GroupKey, want)
	}
	if a.GroupKey != b.GroupKey || a.AlertKey != b.AlertKey || len(a.AlertKey) != 16 {
		t.Errorf("the same labels in another order: keys %q %q and %q %q",
			a.GroupKey, a.AlertKey, b.GroupKey, b.AlertKey)
	}
	if other := parse(body(`{}`, `{"a":"1","b":"3"}`)); other.AlertKey == a.AlertKey {
		t.Error("alerts with other labels share a key")
	} else if want := `ops:{alertname="A", env="prod"}`; other.GroupKey != want {
		t.Errorf("grouped by nothing: group %q, want the common labels %q",
			other.GroupKey, want)
	}
}

func TestPagerDutyVariants(t *testing.T) {
	base := readPayload(t, "pagerduty/zulip-escalate_v3.json")
	for _, c := range []struct {
		name   string
		change func(e, d map[string]any)
		status debrief.AlertStatus
		kind   debrief.EventKind
		sev    debrief.Severity
		text   string
	}{
		{"agent null", func(e, d map[string]any) { e["agent"] = nil },
			firing, debrief.EventEscalation, "P1", "Escalated to Harsh Santwani"},
		{"priority P5", func(e, d map[string]any) {
			e["event_type"] = "incident.priority_updated"
			d["priority"].(map[string]any)["summary"] = "P5"
		}, firing, "", "P4", "Priority changed to P5 (by Harsh Santwani)"},
		{"priority removed", func(e, d map[string]any) {
			e["event_type"] = "incident.priority_updated"
			d["priority"] = nil
		}, firing, "", "", "Priority changed to none (by Harsh Santwani)"},
		{"while acknowledged", func(e, d map[string]any) { d["status"] = "acknowledged" },
			acked, debrief.EventEscalation, "P1",
			"Escalated to Harsh Santwani (by Harsh Santwani)"},
		{"reopened", func(e, d map[string]any) { e["event_type"] = "incident.reopened" },
			firing, debrief.EventDetection, "P1",
			"Reopened: Critical: Checkout API High Latency (by Harsh Santwani)"},
		{"delegated", func(e, d map[string]any) { e["event_type"] = "incident.delegated" },
			firing, debrief.EventEscalation, "P1", "Delegated to Default (by Harsh Santwani)"},
		{"a new event type", func(e, d map[string]any) {
			e["event_type"] = "incident.custom_field_values.updated"
		}, firing, "", "P1",
			"PagerDuty incident.custom_field_values.updated (by Harsh Santwani)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := edit(t, base, func(m map[string]any) {
				e := m["event"].(map[string]any)
				c.change(e, e["data"].(map[string]any))
			})
			events, err := Parse(pd, body)
			if err != nil {
				t.Fatal(err)
			}
			ev := events[0]
			if ev.Status != c.status || ev.Kind != c.kind || ev.Severity != c.sev ||
				ev.Text != c.text {
				t.Errorf("%q %q %q %q\nwant %q %q %q %q", ev.Status, ev.Kind, ev.Severity,
					ev.Text, c.status, c.kind, c.sev, c.text)
			}
		})
	}
}

func TestPagerDutyStatusUpdate(t *testing.T) {
	body := `{"event":{"id":"E1","event_type":"incident.status_update_published",` +
		`"resource_type":"incident","occurred_at":"2026-03-07T10:00:00.123456Z","agent":null,` +
		`"client":null,"data":{"incident":{"id":"PGR0VU2","type":"incident_reference",` +
		`"summary":"A little bump","html_url":"https://acme.pagerduty.com/incidents/PGR0VU2"},` +
		`"id":"P2LA89X","message":"A fix is being developed","type":"incident_status_update"}}}`
	events, err := Parse(pd, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := debrief.AlertEvent{Source: pd, GroupKey: "PGR0VU2", AlertKey: "PGR0VU2",
		Kind: debrief.EventCommunication, At: at(t, "2026-03-07T10:00:00.123456Z"),
		Title: "A little bump", Text: "Status update: A fix is being developed",
		URL: "https://acme.pagerduty.com/incidents/PGR0VU2"}
	if diff := cmp.Diff([]debrief.AlertEvent{want}, events); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestOpsgenieTimesInEveryUnit(t *testing.T) {
	want := time.Date(2015, 1, 5, 10, 3, 44, 764000000, time.UTC)
	for _, n := range []string{`1420452224764`, `1420452224764000`, `1420452224764000000`,
		`"1420452224764000000"`} {
		body := `{"action":"Acknowledge","alert":{"alias":"a","updatedAt":` + n + `}}`
		events, err := Parse(og, []byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if !events[0].At.Equal(want) {
			t.Errorf("%s reads as %v, want %v", n, events[0].At, want)
		}
	}
	seconds := `{"action":"Close","alert":{"alias":"a","updatedAt":1420452224}}`
	events, err := Parse(og, []byte(seconds))
	if err != nil || !events[0].At.Equal(want.Truncate(time.Second)) {
		t.Errorf("seconds: %v, %v", events, err)
	}
}

func TestOpsgenieActions(t *testing.T) {
	alert := `"alert":{"alertId":"id1","alias":"a","message":" disk full","tinyId":"7",` +
		`"createdAt":1420452191104,"updatedAt":1420452224764002246,` +
		`"tags":["service:checkout","Service = payments","vip"],"priority":%s}`
	for _, c := range []struct {
		action, priority string
		status           debrief.AlertStatus
		kind             debrief.EventKind
		sev              debrief.Severity
		text             string
	}{
		{"Create", `"P1"`, firing, debrief.EventDetection, "P1", "Created: disk full"},
		{"UnAcknowledge", `2`, firing, debrief.EventEscalation, "P2", "Unacknowledged"},
		{"TakeOwnership", `"P5"`, "", debrief.EventEscalation, "P4", "Ownership taken"},
		{"Escalate", `null`, "", debrief.EventEscalation, "", "Escalated"},
		{"UpdatePriority", `"P2"`, "", "", "P2", "Priority changed to P2"},
		{"AddTags", `"P3"`, "", "", "P3", "Opsgenie action AddTags: disk full"},
	} {
		t.Run(c.action, func(t *testing.T) {
			body := `{"action":"` + c.action + `",` + fmt.Sprintf(alert, c.priority) + `}`
			events, err := Parse(og, []byte(body))
			if err != nil {
				t.Fatal(err)
			}
			ev := events[0]
			if ev.Status != c.status || ev.Kind != c.kind || ev.Severity != c.sev ||
				ev.Text != c.text || ev.Title != "disk full" {
				t.Errorf("%q %q %q %q %q\nwant %q %q %q %q", ev.Status, ev.Kind, ev.Severity,
					ev.Text, ev.Title, c.status, c.kind, c.sev, c.text)
			}
			if !cmp.Equal(ev.Services, []string{"checkout", "payments"}) {
				t.Errorf("services %q, want checkout and payments", ev.Services)
			}
		})
	}
}

func TestGenericShape(t *testing.T) {
	body := `{"group_key":"checkout-502","status":"resolved","title":"Checkout 502s",` +
		`"time":"2026-03-07T15:30:00.5+01:00","starts_at":"2026-03-07T14:02:11Z",` +
		`"severity":"critical","services":["checkout"," "],"category":"availability",` +
		`"url":"https://status.example.com/x","user_impact":true,"critical_process":true,` +
		`"extra":{"added":"by the tool"}}`
	events, err := Parse(generic, []byte(body))
	if err != nil {
		t.Fatal(err)
	}
	end := at(t, "2026-03-07T14:30:00.5Z")
	want := debrief.AlertEvent{Source: generic, GroupKey: "checkout-502",
		AlertKey: "checkout-502", Status: resolved, Kind: debrief.EventResolution,
		At: end, StartsAt: at(t, "2026-03-07T14:02:11Z"), EndsAt: end,
		Title: "Checkout 502s", Text: "Resolved: Checkout 502s", Severity: "P1",
		Services: []string{"checkout"}, Category: debrief.CategoryAvailability,
		URL: "https://status.example.com/x", UserImpact: true, CriticalProcess: true}
	if diff := cmp.Diff([]debrief.AlertEvent{want}, events); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}

	many := `{"events":[{"group_key":"g","alert_key":"a1","status":"firing",` +
		`"time":"2026-03-07T10:00:00Z","text":"disk 91%","category":"Backups"},` +
		`{"group_key":"g","alert_key":"a2","status":"acknowledged","time":"2026-03-07T10:01:00Z"}]}`
	events, err = Parse(generic, []byte(many))
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[0].Text != "disk 91%" || events[0].Category != "Backups" ||
		events[1].Kind != debrief.EventEscalation || events[1].Text != "Acknowledged: g" {
		t.Errorf("events %+v", events)
	}
}

func TestParseToleratesAByteOrderMark(t *testing.T) {
	for _, name := range []string{"alertmanager/zulip-alert.json",
		"grafana/zulip-alert-9-resolved.json", "pagerduty/zulip-triggered_v3.json",
		"opsgenie/zulip-create.json"} {
		body := append([]byte("\xEF\xBB\xBF"), readPayload(t, name)...)
		source := debrief.AlertSource(strings.Split(name, "/")[0])
		if events, err := Parse(source, body); err != nil || len(events) == 0 {
			t.Errorf("%s after a byte order mark: %d events, %v", name, len(events), err)
		}
	}
}

func TestGrafanaOrganisationsAreKeptApart(t *testing.T) {
	name := "grafana/grafana-docs-webhook-notifier-latest.json"
	first := parseFile(t, name)
	second, err := Parse(grafana, edit(t, readPayload(t, name), func(m map[string]any) {
		m["orgId"] = 2
	}))
	if err != nil {
		t.Fatal(err)
	}
	if first[0].GroupKey != "{}:{}" || second[0].GroupKey != "org 2/{}:{}" {
		t.Errorf("group keys %q and %q, want {}:{} and org 2/{}:{}",
			first[0].GroupKey, second[0].GroupKey)
	}
}
