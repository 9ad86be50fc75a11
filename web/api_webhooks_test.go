package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/corpus"
	"github.com/debrief-oss/debrief/workflow"
)

// webhookServer is an API server whose Alertmanager has a shared secret
// and whose PagerDuty signs with a signing secret.
func webhookServer(t *testing.T) *apiServer {
	t.Helper()
	store := openStore(t)
	ts := testServer(t, store, WithWebhookAuth(map[debrief.AlertSource]WebhookAuth{
		debrief.SourceAlertmanager: {Secret: "am-secret"},
		debrief.SourcePagerDuty:    {SigningSecrets: []string{"old", "pd-signing"}},
	}))
	return &apiServer{ts: ts, store: store,
		viewer:      newAPIClient(t, ts, store, debrief.AccessViewer),
		contributor: newAPIClient(t, ts, store, debrief.AccessContributor),
		admin:       newAPIClient(t, ts, store, debrief.AccessAdmin),
	}
}

func corpusPayload(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpus.Payloads(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func pdSignature(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "v1=" + hex.EncodeToString(m.Sum(nil))
}

func TestWebhookAuthentication(t *testing.T) {
	srv := webhookServer(t)
	am := corpusPayload(t, "alertmanager/famedly-sample-v4-payload.json")
	pd := corpusPayload(t, "pagerduty/zulip-triggered_v3.json")
	anon := apiClient{t: t, ts: srv.ts}
	path := "/api/v1/webhooks/"

	tests := []struct {
		name    string
		client  apiClient
		source  string
		body    []byte
		headers []string
		want    int
	}{
		{"no credentials", anon, "alertmanager", am, nil, http.StatusUnauthorized},
		{"wrong secret", anon, "alertmanager", am,
			[]string{"Authorization", "Bearer nope"}, http.StatusUnauthorized},
		{"shared secret", anon, "alertmanager", am,
			[]string{"Authorization", "Bearer am-secret"}, http.StatusOK},
		{"viewer token", srv.viewer, "grafana",
			corpusPayload(t, "grafana/zulip-alert_values_v11.json"), nil, http.StatusForbidden},
		{"contributor token", srv.contributor, "grafana",
			corpusPayload(t, "grafana/zulip-alert_values_v11.json"), nil, http.StatusOK},
		{"another source's secret", anon, "opsgenie",
			corpusPayload(t, "opsgenie/zulip-create.json"),
			[]string{"Authorization", "Bearer am-secret"}, http.StatusUnauthorized},
		{"pagerduty unsigned, even with a token", srv.contributor, "pagerduty", pd, nil,
			http.StatusUnauthorized},
		{"pagerduty badly signed", anon, "pagerduty", pd,
			[]string{"X-PagerDuty-Signature", pdSignature("guess", pd)}, http.StatusUnauthorized},
		{"pagerduty signed with the rotated secret", anon, "pagerduty", pd,
			[]string{"X-PagerDuty-Signature", pdSignature("guess", pd) + "," +
				pdSignature("pd-signing", pd)}, http.StatusOK},
		{"unknown source", srv.contributor, "nagios", am, nil, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.client.t = t
			r := tt.client.send("POST", path+tt.source, "application/json", tt.body,
				tt.headers...)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d: %s", r.status, tt.want, r.body)
			}
		})
	}

	// Refused bodies were not stored: only the three accepted ones were.
	_, n, err := srv.store.Payloads(t.Context(), debrief.PayloadFilter{})
	if err != nil || n != 3 {
		t.Errorf("%d payloads stored (%v), want the 3 accepted", n, err)
	}
}

func TestWebhookBasicAuthPassword(t *testing.T) {
	srv := webhookServer(t)
	req, _ := http.NewRequest("POST", srv.ts.URL+"/api/v1/webhooks/alertmanager",
		strings.NewReader(string(corpusPayload(t, "alertmanager/zulip-alert.json"))))
	req.SetBasicAuth("alertmanager", "am-secret")
	res, err := srv.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("Basic auth with the secret as password: status %d", res.StatusCode)
	}
}

func TestWebhookUnreadableBodyIsKeptAndNamed(t *testing.T) {
	srv := webhookServer(t)
	bad := []byte(`{"version":"4","groupKey":"g","status":"firing","alerts":[` +
		`{"status":"firing","labels":{"alertname":"X"},"startsAt":"07/03/2026 10:00"}]}`)
	d := srv.contributor.send("POST", "/api/v1/webhooks/alertmanager", "application/json",
		bad).want(t, http.StatusBadRequest).fail(t)
	if d.Code != "invalid_payload" || d.PayloadID == 0 || d.Field != "alerts[0].startsAt" ||
		!strings.Contains(d.Message, "07/03/2026 10:00") {
		t.Fatalf("refusal %+v; want invalid_payload naming alerts[0].startsAt and the payload",
			d)
	}

	// The admin finds it among the failed payloads, with its body as sent.
	var list listEnvelope[debrief.Payload]
	srv.admin.call("GET", "/api/v1/payloads?status=failed", nil).
		want(t, http.StatusOK).decode(t, &list)
	if list.Total != 1 || list.Items[0].ID != d.PayloadID || list.Items[0].Problem == "" {
		t.Fatalf("failed payloads: %+v", list)
	}
	var view payloadView
	srv.admin.call("GET", "/api/v1/payloads/"+strconv.FormatInt(d.PayloadID, 10), nil).
		want(t, http.StatusOK).decode(t, &view)
	if view.Body != string(bad) {
		t.Errorf("stored body differs from the one sent:\n%s", view.Body)
	}
	srv.contributor.call("GET", "/api/v1/payloads", nil).want(t, http.StatusForbidden)

	// Processing it again fails the same way and says so; nothing is lost.
	srv.admin.call("POST", "/api/v1/payloads/"+strconv.FormatInt(d.PayloadID, 10)+
		"/reprocess", nil).want(t, http.StatusBadRequest)
}

// TestEveryCorpusPayloadThroughTheWebhook posts every alerting payload of
// the corpus to its endpoint: each is accepted, and a replay changes
// nothing.
func TestEveryCorpusPayloadThroughTheWebhook(t *testing.T) {
	srv := webhookServer(t)
	root := corpus.Payloads(t)
	for _, source := range []string{"alertmanager", "grafana", "opsgenie", "pagerduty"} {
		entries, err := os.ReadDir(filepath.Join(root, source))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			body := corpusPayload(t, filepath.Join(source, e.Name()))
			post := func() workflow.Receipt {
				var r workflow.Receipt
				headers := []string{"X-PagerDuty-Signature", pdSignature("pd-signing", body)}
				srv.contributor.send("POST", "/api/v1/webhooks/"+source, "application/json",
					body, headers...).want(t, http.StatusOK).decode(t, &r)
				return r
			}
			first := post()
			if len(first.Incidents) == 0 || first.Payload.Status != debrief.PayloadProcessed {
				t.Errorf("%s/%s: %+v", source, e.Name(), first)
			}
			if again := post(); !again.Replay || len(again.Incidents) != 0 {
				t.Errorf("%s/%s replayed: %+v; want a replay that changes nothing",
					source, e.Name(), again)
			}
		}
	}
	var list listEnvelope[debrief.IncidentSummary]
	srv.viewer.call("GET", "/api/v1/incidents?limit=200", nil).
		want(t, http.StatusOK).decode(t, &list)
	if list.Total < 10 {
		t.Errorf("the corpus opened %d incidents; expected one per distinct group", list.Total)
	}
}

func TestWebhookTooLargeBodyIsRefusedAndItsStartKept(t *testing.T) {
	srv := webhookServer(t)
	big := []byte(`{"version":"4","alerts":[` + strings.Repeat(" ", maxWebhookBody) + `]}`)
	d := srv.contributor.send("POST", "/api/v1/webhooks/alertmanager", "application/json",
		big).want(t, http.StatusRequestEntityTooLarge).fail(t)
	if d.PayloadID == 0 {
		t.Fatalf("refusal %+v names no kept payload", d)
	}
	var view payloadView
	srv.admin.call("GET", "/api/v1/payloads/"+strconv.FormatInt(d.PayloadID, 10), nil).
		want(t, http.StatusOK).decode(t, &view)
	if len(view.Body) != maxWebhookBody || view.Status != debrief.PayloadFailed {
		t.Errorf("kept %d bytes with status %s; want the first MiB, failed",
			len(view.Body), view.Status)
	}
	d = srv.admin.call("POST", "/api/v1/payloads/"+strconv.FormatInt(d.PayloadID, 10)+
		"/reprocess", nil).want(t, http.StatusConflict).fail(t)
	if !strings.Contains(d.Message, "cut short") {
		t.Errorf("reprocessing a cut payload: %q", d.Message)
	}
}

func TestWebhookOtherMethodsAreNotAllowed(t *testing.T) {
	srv := webhookServer(t)
	anon := apiClient{t: t, ts: srv.ts}
	r := anon.send("GET", "/api/v1/webhooks/alertmanager", "", nil,
		"Authorization", "Bearer am-secret").want(t, http.StatusMethodNotAllowed)
	if r.header.Get("Allow") != "POST" {
		t.Errorf("Allow %q, want POST", r.header.Get("Allow"))
	}
}
