package alerting

import (
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

const (
	am      = debrief.SourceAlertmanager
	grafana = debrief.SourceGrafana
	pd      = debrief.SourcePagerDuty
	og      = debrief.SourceOpsgenie
	generic = debrief.SourceGeneric
)

// alertBody is an Alertmanager group of one alert whose members are
// written out by the caller.
func alertBody(alert string) string {
	return `{"version":"4","groupKey":"{}:{}","status":"firing","receiver":"r",` +
		`"alerts":[` + alert + `]}`
}

func TestParseRefusesWhatItCannotRead(t *testing.T) {
	okAlert := `{"status":"firing","labels":{"alertname":"A"},` +
		`"startsAt":"2026-03-07T10:00:00Z","endsAt":"0001-01-01T00:00:00Z"}`
	pdEvent := func(event string) string { return `{"event":` + event + `}` }
	for _, c := range []struct {
		name   string
		source debrief.AlertSource
		body   string
		field  string
		says   []string
	}{
		{"empty", am, "", "", []string{"the body is empty"}},
		{"blank", pd, " \n\t", "", []string{"the body is empty"}},
		{"not UTF-8", og, "{\n \"action\": \"Cr\xffeate\"}", "",
			[]string{"not UTF-8", "line 2, column 15"}},
		{"not JSON", generic, "status=firing", "", []string{"not valid JSON", "line 1, column 1"}},
		{"cut short", am, "{\"alerts\": [\n  {\"status\": ", "",
			[]string{"not valid JSON", "line 2"}},
		{"two values", am, alertBody(okAlert) + " {}", "", []string{"not valid JSON"}},
		{"an array", am, "[" + alertBody(okAlert) + "]", "",
			[]string{"the body is an array, not a JSON object", "Alertmanager"}},
		{"null", grafana, "null", "", []string{"the body is null"}},
		{"unknown source", "nagios", "{}", "", []string{`"nagios" is not an alerting tool`}},

		// A body sent to the wrong endpoint says where it belongs.
		{"PagerDuty to Alertmanager", am, pdEvent(`{"event_type":"incident.triggered"}`),
			"alerts", []string{"alerts is missing", "PagerDuty v3",
				"/api/v1/webhooks/pagerduty"}},
		{"Alertmanager to PagerDuty", pd, alertBody(okAlert), "event",
			[]string{"event is missing", "Alertmanager", "/api/v1/webhooks/alertmanager"}},
		{"Opsgenie to generic", generic, `{"action":"Create","alert":{}}`, "group_key",
			[]string{"/api/v1/webhooks/opsgenie"}},
		{"generic to Opsgenie", og, `{"group_key":"g","status":"firing"}`, "alert",
			[]string{"/api/v1/webhooks/generic"}},
		{"Grafana legacy alerting", grafana,
			`{"ruleId":1,"ruleName":"CPU","state":"alerting","evalMatches":[]}`, "alerts",
			[]string{"legacy alerting", "Grafana 8"}},
		{"PagerDuty v2", pd, `{"messages":[{"event":"incident.trigger"}]}`, "event",
			[]string{"v2", "v3 webhook subscription"}},

		// Alertmanager and Grafana.
		{"alerts not a list", am, `{"alerts":{}}`, "alerts",
			[]string{"alerts: found an object where an array belongs"}},
		{"no alerts", grafana, `{"alerts":[],"groupKey":"g"}`, "alerts",
			[]string{"holds no alerts"}},
		{"groupKey a number", am, `{"alerts":[],"groupKey":7}`, "groupKey",
			[]string{"groupKey: found a number where a string belongs"}},
		{"alert not an object", am, alertBody(okAlert + `,"x"`), "alerts[1]",
			[]string{"alerts[1]: found a string where an object belongs"}},
		{"bad start", am, alertBody(okAlert + "," + okAlert + "," +
			strings.Replace(okAlert, "2026-03-07T10:00:00Z", "07/03/2026 10:00", 1)),
			"alerts[2].startsAt", []string{`alerts[2].startsAt: "07/03/2026 10:00" is not ` +
				"an RFC 3339 time"}},
		{"no start", am, alertBody(`{"status":"firing","labels":{}}`), "alerts[0].startsAt",
			[]string{"alerts[0].startsAt is missing"}},
		{"no status", am, alertBody(`{"startsAt":"2026-03-07T10:00:00Z"}`),
			"alerts[0].status", []string{"alerts[0].status is missing"}},
		{"unknown status", grafana, alertBody(strings.Replace(okAlert, `"firing"`,
			`"pending"`, 1)), "alerts[0].status",
			[]string{`alerts[0].status: "pending" is neither firing nor resolved`}},
		{"resolved without end", am, alertBody(strings.Replace(okAlert, `"firing"`,
			`"resolved"`, 1)), "alerts[0].endsAt", []string{"needs the time it ended"}},
		{"label a number", am, alertBody(`{"status":"firing","labels":{"n":1}}`),
			"alerts[0].labels", []string{"alerts[0].labels: found a number where a string"}},
		{"year 3000", am, alertBody(strings.Replace(okAlert, "2026-", "3000-", 1)),
			"alerts[0].startsAt", []string{"the year 3000", "between 1900 and 2100"}},

		// PagerDuty.
		{"event a string", pd, pdEvent(`"incident.triggered"`), "event",
			[]string{"event: found a string where an object belongs"}},
		{"no event type", pd, pdEvent(`{"occurred_at":"2026-03-07T10:00:00Z"}`),
			"event.event_type", []string{"event.event_type is missing"}},
		{"no occurred_at", pd, pdEvent(`{"event_type":"incident.triggered",` +
			`"resource_type":"incident","data":{"id":"P1","type":"incident"}}`),
			"event.occurred_at", []string{"event.occurred_at is missing"}},
		{"bad occurred_at", pd, pdEvent(`{"event_type":"incident.triggered",` +
			`"occurred_at":"yesterday","data":{"id":"P1","type":"incident"}}`),
			"event.occurred_at", []string{`"yesterday" is not an RFC 3339 time`}},
		{"no incident id", pd, pdEvent(`{"event_type":"incident.triggered",` +
			`"resource_type":"incident","occurred_at":"2026-03-07T10:00:00Z",` +
			`"data":{"type":"incident","title":"t"}}`),
			"event.data.id", []string{"event.data.id is missing"}},
		{"note without incident", pd, pdEvent(`{"event_type":"incident.annotated",` +
			`"resource_type":"incident","occurred_at":"2026-03-07T10:00:00Z",` +
			`"data":{"type":"incident_note","id":"N1","content":"c"}}`),
			"event.data.incident.id", []string{"event.data.incident.id is missing"}},
		{"no data", pd, pdEvent(`{"event_type":"incident.triggered",` +
			`"resource_type":"incident","occurred_at":"2026-03-07T10:00:00Z","data":null}`),
			"event.data", []string{"event.data is missing"}},
		{"title a number", pd, pdEvent(`{"event_type":"incident.triggered",` +
			`"resource_type":"incident","occurred_at":"2026-03-07T10:00:00Z",` +
			`"data":{"id":"P1","type":"incident","title":5}}`),
			"event.data.title", []string{"event.data.title: found a number"}},

		// Opsgenie.
		{"no action", og, `{"alert":{"alias":"a","createdAt":1420452191104}}`, "action",
			[]string{"action is missing"}},
		{"no alias or id", og, `{"action":"Create","alert":{"createdAt":1420452191104}}`,
			"alert.alias", []string{"alert.alias is missing"}},
		{"no time", og, `{"action":"Close","alert":{"alias":"a"}}`, "alert.updatedAt",
			[]string{"alert.updatedAt is missing"}},
		{"time a word", og, `{"action":"Create","alert":{"alias":"a","createdAt":"now"}}`,
			"alert.createdAt", []string{"alert.createdAt"}},
		{"time a fraction", og, `{"action":"Create","alert":{"alias":"a",` +
			`"createdAt":1420452191104.5}}`, "alert.createdAt",
			[]string{"alert.createdAt: 1420452191104.5 is not a whole number"}},
		{"tags a string", og, `{"action":"Create","alert":{"alias":"a",` +
			`"createdAt":1420452191104,"tags":"a,b"}}`, "alert.tags",
			[]string{"alert.tags: found a string where an array belongs"}},

		// The generic shape.
		{"blank group key", generic, `{"group_key":" ","status":"firing",` +
			`"time":"2026-03-07T10:00:00Z"}`, "group_key", []string{"group_key is missing"}},
		{"no status", generic, `{"group_key":"g","time":"2026-03-07T10:00:00Z"}`,
			"status", []string{"status is missing"}},
		{"status ok", generic, `{"group_key":"g","status":"ok","time":"2026-03-07T10:00:00Z"}`,
			"status", []string{`status: "ok" is not firing, acknowledged or resolved`}},
		{"no time", generic, `{"group_key":"g","status":"firing"}`, "time",
			[]string{"time is missing"}},
		{"end of a firing alert", generic, `{"group_key":"g","status":"firing",` +
			`"time":"2026-03-07T10:00:00Z","ends_at":"2026-03-07T11:00:00Z"}`, "ends_at",
			[]string{"has not ended"}},
		{"unknown severity", generic, `{"group_key":"g","status":"firing",` +
			`"time":"2026-03-07T10:00:00Z","severity":"mauve"}`, "severity",
			[]string{`severity "mauve" is not a severity`}},
		{"javascript link", generic, `{"group_key":"g","status":"firing",` +
			`"time":"2026-03-07T10:00:00Z","url":"javascript:alert(1)"}`, "url",
			[]string{"not an http or https address"}},
		{"services a string", generic, `{"group_key":"g","status":"firing",` +
			`"time":"2026-03-07T10:00:00Z","services":"api"}`, "services",
			[]string{"services: found a string where an array belongs"}},
		{"impact a word", generic, `{"group_key":"g","status":"firing",` +
			`"time":"2026-03-07T10:00:00Z","user_impact":"yes"}`, "user_impact",
			[]string{"user_impact: found a string where true or false belongs"}},
		{"key with control", generic, `{"group_key":"g\u001b[31m","status":"firing",` +
			`"time":"2026-03-07T10:00:00Z"}`, "group_key", []string{"control character"}},
		{"second event", generic, `{"events":[{"group_key":"g","status":"firing",` +
			`"time":"2026-03-07T10:00:00Z"},{"group_key":"g","status":"resolved",` +
			`"time":"07.03.2026"}]}`, "events[1].time", []string{`events[1].time: "07.03.2026"`}},
		{"no events", generic, `{"events":[]}`, "events", []string{"holds no events"}},
		{"events and one", generic, `{"events":[],"group_key":"g"}`, "events",
			[]string{"not both"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			events, err := Parse(c.source, []byte(c.body))
			if err == nil {
				t.Fatalf("no error; events %+v", events)
			}
			if k := debrief.ErrorKind(err); k != debrief.KindInvalid {
				t.Errorf("kind %v, want invalid", k)
			}
			if f := debrief.ErrorField(err); f != c.field {
				t.Errorf("field %q, want %q", f, c.field)
			}
			msg := debrief.ErrorMessage(err)
			for _, s := range c.says {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q does not say %q", msg, s)
				}
			}
		})
	}
}

func TestPagerDutyEventsAboutNoIncidentGiveNothing(t *testing.T) {
	for _, body := range []string{
		`{"event":{"id":"01FKZOXA868SHYEE4DVNWB5P9W","event_type":"pagey.ping",` +
			`"resource_type":"pagey","occurred_at":"2025-04-07T03:00:55.532Z",` +
			`"agent":null,"client":null,"data":{"message":"Hello","type":"ping"}}}`,
		`{"event":{"id":"01BRB6ZP4M6T8ZG4X6BP63ZB9O","event_type":"service.updated",` +
			`"resource_type":"service","occurred_at":"2021-03-02T13:35:11.682Z",` +
			`"agent":null,"client":null,"data":{"id":"PF9KMXH","type":"service"}}}`,
	} {
		events, err := Parse(pd, []byte(body))
		if err != nil || len(events) != 0 {
			t.Errorf("%.60s: %d events, error %v; want none", body, len(events), err)
		}
	}
}
