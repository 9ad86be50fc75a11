package alerting

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/corpus"
)

// read is what a test expects of one parsed event. Times are written as
// RFC 3339 in UTC with all their digits; an empty one is the zero time.
type read struct {
	group, key       string
	status           debrief.AlertStatus
	kind             debrief.EventKind
	at, starts, ends string
	severity         debrief.Severity
	services         []string
	title, text      string
}

func readOf(ev debrief.AlertEvent) read {
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339Nano)
	}
	return read{
		group: ev.GroupKey, key: ev.AlertKey, status: ev.Status, kind: ev.Kind,
		at: ts(ev.At), starts: ts(ev.StartsAt), ends: ts(ev.EndsAt),
		severity: ev.Severity, services: ev.Services, title: ev.Title, text: ev.Text,
	}
}

// corpusReads is what debrief reads from every alerting payload of the
// corpus, by its path under the payloads folder.
var corpusReads = map[string][]read{
	"alertmanager/autoremedy-dispatcher-alert.json": {
		{
			group: `{}:{alertname="FooAlert"}`, key: "1c4f1f2d069f82f6",
			status: firing, kind: "detection", at: "2019-04-05T17:43:18.465349398Z",
			starts: "2019-04-05T17:43:18.465349398Z",
			title:  "foo has happened",
			text:   "Firing: FooAlert (foo has happened)",
		},
	},
	"alertmanager/dingtalk-PlaygroundDemoAlert.json": {
		{
			group:  `admins:{alertname="something_happened", instance="server01.int:9100"}`,
			key:    "e30cdbfb7770c18b",
			status: firing, kind: "detection", at: "2016-04-27T20:46:37.903Z",
			starts:   "2016-04-27T20:46:37.903Z",
			severity: "P3", services: []string{"prometheus_bot"},
			title: "Oops, something happened!",
			text: "Firing: something_happened on prometheus_bot at" +
				" server01.int:9100 (Oops, something happened!)",
		},
		{
			group:  `admins:{alertname="something_happened", instance="server01.int:9100"}`,
			key:    "dc7f3a2ed88e78e1",
			status: firing, kind: "detection", at: "2016-04-27T20:49:37.903Z",
			starts:   "2016-04-27T20:49:37.903Z",
			severity: "P3", services: []string{"prometheus_bot"},
			title: "Oops, something happend!",
			text: "Firing: something_happened on prometheus_bot at" +
				" server02.int:9100 (Oops, something happend!)",
		},
	},
	"alertmanager/famedly-sample-v4-payload.json": {
		{
			group: `{}/{severity="critical"}:{alertname="ProbeFailure"}`, key: "1a30ba71cca2921f",
			status: firing, kind: "detection", at: "2023-02-06T13:08:45.828Z",
			starts:   "2023-02-06T13:08:45.828Z",
			severity: "P1", services: []string{"http_checks"},
			title: "BlackBox Probe Failure: https://server.example.org",
			text: "Firing: ProbeFailure on https://server.example.org" +
				" (BlackBox Probe Failure: https://server.example.org)",
		},
	},
	"alertmanager/prometheus-msteams-card-grafana-inspired-payload.json": {
		{
			group:  `{}/{namespace="whatever/promstack"}:{alertname="JustATestAlert_1"}`,
			key:    "ff6a7a0f5f1c1309",
			status: firing, kind: "detection", at: "2020-10-11T14:34:11.279383004Z",
			starts:   "2020-10-11T14:34:11.279383004Z",
			severity: "P4",
			title:    "Memory: Relativ memory usage low",
			text: "Firing: JustATestAlert_1 (Ratio(Max(Working Set, RSS) /" +
				" Reservation) [5m Avg] < 40 %)",
		},
		{
			group:  `{}/{namespace="whatever/promstack"}:{alertname="JustATestAlert_1"}`,
			key:    "554664fa753a2b45",
			status: firing, kind: "detection", at: "2020-10-11T14:34:11.279383004Z",
			starts:   "2020-10-11T14:34:11.279383004Z",
			severity: "P4",
			title:    "Memory: Relativ memory usage low",
			text: "Firing: JustATestAlert_1 (Ratio(Max(Working Set, RSS) /" +
				" Reservation) [5m Avg] < 40 %)",
		},
		{
			group:  `{}/{namespace="whatever/promstack"}:{alertname="JustATestAlert_1"}`,
			key:    "911c76f0240f015b",
			status: firing, kind: "detection", at: "2020-10-11T14:34:11.279383004Z",
			starts:   "2020-10-11T14:34:11.279383004Z",
			severity: "P4",
			title:    "Memory: Relativ memory usage low",
			text: "Firing: JustATestAlert_1 (Ratio(Max(Working Set, RSS) /" +
				" Reservation) [5m Avg] < 40 %)",
		},
	},
	"alertmanager/zulip-alert.json": {
		{
			group: "{}/{}:{}", key: "a1bc48475b20e73d",
			status: firing, kind: "detection", at: "2020-02-06T00:17:58.432911368Z",
			starts:   "2020-02-06T00:17:58.432911368Z",
			severity: "P1",
			title:    "High CPU core temperature",
			text:     "Firing: High CPU Temperature on andromeda (High CPU core temperature)",
		},
		{
			group: "{}/{}:{}", key: "c2ea85182f28cbd9",
			status: firing, kind: "detection", at: "2020-02-06T00:17:58.432911368Z",
			starts:   "2020-02-06T00:17:58.432911368Z",
			severity: "P1",
			title:    "High CPU core temperature",
			text:     "Firing: High CPU Temperature on andromeda (High CPU core temperature)",
		},
	},
	"alertmanager/zulip-single_alert_no_url.json": {
		{
			group: "{}/{}:{}", key: "a1bc48475b20e73d",
			status: firing, kind: "detection", at: "2020-02-06T00:17:58.432911368Z",
			starts:   "2020-02-06T00:17:58.432911368Z",
			severity: "P1",
			title:    "High CPU core temperature",
			text:     "Firing: High CPU Temperature on andromeda (High CPU core temperature)",
		},
	},
	"grafana/bougou-adapter-grafana-alert.json": {
		{
			group:  `{}/{}:{alertname="CPU Usage High", grafana_folder="alert"}`,
			key:    "68d4e65db3ad9208",
			status: firing, kind: "detection", at: "2023-03-29T09:41:10Z",
			starts: "2023-03-29T09:41:10Z",
			title:  "CPU Usage High",
			text:   "Firing: CPU Usage High",
		},
	},
	"grafana/grafana-docs-webhook-notifier-latest.json": {
		{
			group: "{}:{}", key: "c6eadffa33fcdf37",
			status: firing, kind: "detection", at: "2021-10-12T07:51:03.157076Z",
			starts: "2021-10-12T07:51:03.157076Z",
			title:  "This alert was triggered for zone us-1",
			text:   "Firing: High memory usage (This alert was triggered for zone us-1)",
		},
		{
			group: "{}:{}", key: "bc97ff14869b13e3",
			status: firing, kind: "detection", at: "2021-10-12T07:56:03.157076Z",
			starts: "2021-10-12T07:56:03.157076Z",
			title:  "This alert was triggered for zone eu-1",
			text:   "Firing: High CPU usage (This alert was triggered for zone eu-1)",
		},
	},
	"grafana/grafana-docs-webhook-notifier-v9-values.json": {
		{
			group: "{}:{}", key: "c6eadffa33fcdf37",
			status: firing, kind: "detection", at: "2021-10-12T07:51:03.157076Z",
			starts: "2021-10-12T07:51:03.157076Z",
			title:  "This alert was triggered for zone us-1",
			text:   "Firing: High memory usage (This alert was triggered for zone us-1)",
		},
		{
			group: "{}:{}", key: "bc97ff14869b13e3",
			status: firing, kind: "detection", at: "2021-10-12T07:56:03.157076Z",
			starts: "2021-10-12T07:56:03.157076Z",
			title:  "This alert was triggered for zone eu-1",
			text:   "Firing: High CPU usage (This alert was triggered for zone eu-1)",
		},
	},
	"grafana/zulip-alert-9-resolved.json": {
		{
			group: `{}/{test="true"}:{}`, key: "d8a21484c9c25a60",
			status: resolved, kind: "resolution", at: "2022-06-17T00:51:24.067337833Z",
			starts: "2022-06-17T00:41:00.782137894Z", ends: "2022-06-17T00:51:24.067337833Z",
			title: "This is a summary field, failure on",
			text:  "Resolved: Test alert (This is a summary field, failure on)",
		},
	},
	"grafana/zulip-alert_values_v11.json": {
		{
			group:  `{}/{debug="true"}:{alertname="Memory (copy)", grafana_folder="device"}`,
			key:    "e6349a25f5ef0e9e",
			status: firing, kind: "detection", at: "2024-03-01T02:09:00Z",
			starts: "2024-03-01T02:09:00Z",
			title:  "High memory usage",
			text:   "Firing: Memory (copy) (High memory usage)",
		},
	},
	"pagerduty/pd-devdocs-incident.priority_updated.json": {
		{
			group: "PGR0VU2", key: "PGR0VU2",
			status: firing, kind: "", at: "2020-10-02T18:45:22.169Z",
			starts:   "2020-04-09T15:16:27Z",
			severity: "P1", services: []string{"API Service"},
			title: "A little bump in the road",
			text:  "Priority changed to P1 (by Tenex Engineer)",
		},
	},
	"pagerduty/zulip-acknowledged_v3.json": {
		{
			group: "PQ1K5C8", key: "PQ1K5C8",
			status: acked, kind: "escalation", at: "2021-06-04T13:55:30.394Z",
			services: []string{"pig208"},
			title:    "Test Incident",
			text:     "Acknowledged (by PIG 208)",
		},
	},
	"pagerduty/zulip-annotated_v3.json": {
		{
			group: "Q3B15VLMF3ASBD", key: "Q3B15VLMF3ASBD",
			status: "", kind: "communication", at: "2026-04-01T02:18:59.674Z",
			title: "Critical: Checkout API High Latency",
			text: "Note: Running KILL on long-running queries from the" +
				" reporting-service. (by Harsh Santwani)",
		},
	},
	"pagerduty/zulip-escalate_v3.json": {
		{
			group: "Q3B15VLMF3ASBD", key: "Q3B15VLMF3ASBD",
			status: firing, kind: "escalation", at: "2026-04-01T02:08:04.642Z",
			starts:   "2026-04-01T02:07:30Z",
			severity: "P1", services: []string{"Default Service"},
			title: "Critical: Checkout API High Latency",
			text:  "Escalated to Harsh Santwani (by Harsh Santwani)",
		},
	},
	"pagerduty/zulip-priority_updated_v3.json": {
		{
			group: "Q3B15VLMF3ASBD", key: "Q3B15VLMF3ASBD",
			status: firing, kind: "", at: "2026-04-01T02:15:36.315Z",
			starts:   "2026-04-01T02:07:30Z",
			severity: "P2", services: []string{"Default Service"},
			title: "Critical: Checkout API High Latency",
			text:  "Priority changed to P2 (by Harsh Santwani)",
		},
	},
	"pagerduty/zulip-reassigned_v3.json": {
		{
			group: "PIQUG8X", key: "PIQUG8X",
			status: firing, kind: "escalation", at: "2021-06-04T10:17:54.838Z",
			services: []string{"pig208"},
			title:    "Test Incident",
			text:     "Reassigned to Test User (by PIG 208)",
		},
	},
	"pagerduty/zulip-resolved_v3.json": {
		{
			group: "PCPZE64", key: "PCPZE64",
			status: resolved, kind: "resolution", at: "2021-06-04T13:16:53.816Z",
			ends:     "2021-06-04T13:16:53.816Z",
			services: []string{"pig208"},
			title:    "Test Incident",
			text:     "Resolved: Test Incident (by PIG 208)",
		},
	},
	"pagerduty/zulip-responder_added.json": {
		{
			group: "Q3B15VLMF3ASBD", key: "Q3B15VLMF3ASBD",
			status: "", kind: "escalation", at: "2026-04-01T02:20:14.737Z",
			title: "Critical: Checkout API High Latency",
			text:  "Responder requested: Harsh Santwani, pending (by Harsh Santwani)",
		},
	},
	"pagerduty/zulip-triggered_v3.json": {
		{
			group: "PFQZPSY", key: "PFQZPSY",
			status: firing, kind: "detection", at: "2021-06-04T13:35:29.781Z",
			services: []string{"pig208"},
			title:    "Test Incident 3",
			text:     "Triggered: Test Incident 3 (by PIG 208)",
		},
	},
	"pagerduty/zulip-unacknowledged_v3.json": {
		{
			group: "PQ1K5C8", key: "PQ1K5C8",
			status: firing, kind: "escalation", at: "2021-06-04T13:54:23.185Z",
			services: []string{"pig208"},
			title:    "Test Incident",
			text:     "Unacknowledged, back to triggered (by PIG 208)",
		},
	},
	"opsgenie/opsgenie-docs-marid-create.json": {
		{
			group: "aliastest", key: "052652ac-5d1c-464a-812a-7dd18bbfba8c",
			status: firing, kind: "detection", at: "2015-01-05T10:03:11.104Z",
			starts: "2015-01-05T10:03:11.104Z",
			title:  "test alert",
			text:   "Created: test alert (by fili@ifountain.com)",
		},
	},
	"opsgenie/zulip-acknowledge.json": {
		{
			group: "aliastest", key: "052652ac-5d1c-464a-812a-7dd18bbfba8c",
			status: acked, kind: "escalation", at: "2015-01-05T10:03:44.764002246Z",
			starts: "2015-01-05T10:03:11.104Z",
			title:  "test alert",
			text:   "Acknowledged (by fili@ifountain.com)",
		},
	},
	"opsgenie/zulip-addnote.json": {
		{
			group: "aliastest", key: "052652ac-5d1c-464a-812a-7dd18bbfba8c",
			status: "", kind: "communication", at: "2015-01-05T10:04:35.002000962Z",
			starts: "2015-01-05T10:03:11.104Z",
			title:  "test alert",
			text:   "Note: note to test alert (by fili@ifountain.com)",
		},
	},
	"opsgenie/zulip-assignownership.json": {
		{
			group: "aliastest", key: "052652ac-5d1c-464a-812a-7dd18bbfba8c",
			status: "", kind: "escalation", at: "2015-01-05T10:06:14.669001603Z",
			starts: "2015-01-05T10:03:11.104Z",
			title:  "test alert",
			text:   "Ownership assigned to user2@ifountain.com (by fili@ifountain.com)",
		},
	},
	"opsgenie/zulip-close.json": {
		{
			group: "aliastest", key: "052652ac-5d1c-464a-812a-7dd18bbfba8c",
			status: resolved, kind: "resolution", at: "2015-01-05T10:06:14.669001603Z",
			starts: "2015-01-05T10:03:11.104Z", ends: "2015-01-05T10:06:14.669001603Z",
			title: "test alert",
			text:  "Closed: test alert (by fili@ifountain.com)",
		},
	},
	"opsgenie/zulip-create.json": {
		{
			group: "alert-alias", key: "ec03dad6-62c8-4c94-b38b-d88f398e900f",
			status: firing, kind: "detection", at: "2017-08-14T11:25:56.288Z",
			starts:   "2017-08-14T11:25:56.288Z",
			severity: "P3",
			title:    "another alert",
			text:     "Created: another alert (by test@example.com)",
		},
	},
}

// TestParseCorpus parses every payload of the corpus's alerting folders
// and compares the events with corpusReads. A payload added to the corpus
// without an expectation fails it, so that no real payload goes untested.
func TestParseCorpus(t *testing.T) {
	dir := corpus.Payloads(t)
	seen := map[string]bool{}
	for _, source := range []debrief.AlertSource{debrief.SourceAlertmanager,
		debrief.SourceGrafana, debrief.SourcePagerDuty, debrief.SourceOpsgenie} {
		files, err := filepath.Glob(filepath.Join(dir, string(source), "*"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no payloads in %s: %v", filepath.Join(dir, string(source)), err)
		}
		for _, file := range files {
			name := string(source) + "/" + filepath.Base(file)
			seen[name] = true
			t.Run(name, func(t *testing.T) {
				want, ok := corpusReads[name]
				if !ok {
					t.Fatalf("%s has no entry in corpusReads: write down what debrief "+
						"should read from it", name)
				}
				events := parseFile(t, name)
				var got []read
				for _, ev := range events {
					if problem := eventProblem(source, ev); problem != "" {
						t.Errorf("event %q has %s", ev.AlertKey, problem)
					}
					got = append(got, readOf(ev))
				}
				if diff := cmp.Diff(want, got, cmp.AllowUnexported(read{})); diff != "" {
					t.Errorf("events (-want +got):\n%s", diff)
				}
			})
		}
	}
	for name := range corpusReads {
		if !seen[name] {
			t.Errorf("corpusReads has %s, which is not in the corpus", name)
		}
	}
}
