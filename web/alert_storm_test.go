package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// An alert storm: many Alertmanager groups, each posting its alerts in one
// batch, from several senders at once over loopback, as a real outage
// looks from debrief's side. Nothing may be lost and every group must be
// one incident holding exactly its own alerts.

// stormServer starts debrief on a new SQLite store behind a real listener
// on 127.0.0.1, with a shared secret for Alertmanager.
func stormServer(tb testing.TB) (*httptest.Server, *sqlstore.DB) {
	tb.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(tb.TempDir(), "storm.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = db.Close() })
	srv, err := NewServer(db, slog.New(slog.DiscardHandler), WithWebhookAuth(
		map[debrief.AlertSource]WebhookAuth{debrief.SourceAlertmanager: {Secret: "storm"}}))
	if err != nil {
		tb.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	tb.Cleanup(ts.Close)
	return ts, db
}

// stormPayloads builds one Alertmanager v4 body per group, each with
// perGroup firing alerts of distinct fingerprints.
func stormPayloads(groups, perGroup int) [][]byte {
	start := time.Date(2026, 3, 7, 14, 0, 0, 123456789, time.UTC)
	bodies := make([][]byte, groups)
	for g := range groups {
		alerts := make([]map[string]any, perGroup)
		for a := range perGroup {
			alerts[a] = map[string]any{
				"status": "firing",
				"labels": map[string]string{"alertname": "HighErrorRate",
					"service": fmt.Sprintf("svc-%03d", g), "instance": fmt.Sprintf("i-%04d", a),
					"severity": "critical"},
				"annotations":  map[string]string{"summary": "5xx above 5%"},
				"startsAt":     start.Add(time.Duration(a) * time.Millisecond).Format(time.RFC3339Nano),
				"endsAt":       "0001-01-01T00:00:00Z",
				"generatorURL": "http://prometheus.example/graph",
				"fingerprint":  fmt.Sprintf("%04x%04x", g, a),
			}
		}
		body, _ := json.Marshal(map[string]any{
			"version": "4", "groupKey": fmt.Sprintf(`{}:{service="svc-%03d"}`, g),
			"truncatedAlerts": 0, "status": "firing", "receiver": "debrief",
			"groupLabels":       map[string]string{"service": fmt.Sprintf("svc-%03d", g)},
			"commonLabels":      map[string]string{"alertname": "HighErrorRate"},
			"commonAnnotations": map[string]string{}, "externalURL": "http://am.example",
			"alerts": alerts,
		})
		bodies[g] = body
	}
	return bodies
}

// sendStorm posts every body with senders at once and fails on any answer
// but 200.
func sendStorm(tb testing.TB, url string, bodies [][]byte, senders int) {
	tb.Helper()
	work := make(chan []byte)
	errs := make(chan error, len(bodies))
	var wg sync.WaitGroup
	for range senders {
		wg.Go(func() {
			for body := range work {
				req, _ := http.NewRequest("POST", url+"/api/v1/webhooks/alertmanager",
					bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer storm")
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					errs <- err
					continue
				}
				var buf bytes.Buffer
				_, _ = buf.ReadFrom(res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("status %d: %s", res.StatusCode, buf.String())
				}
			}
		})
	}
	for _, b := range bodies {
		work <- b
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		tb.Fatal(err)
	}
}

// checkStorm asserts that every group became one incident with all its
// alerts and events.
func checkStorm(tb testing.TB, db *sqlstore.DB, groups, perGroup int) {
	tb.Helper()
	ctx := context.Background()
	list, total, err := db.Incidents(ctx, debrief.IncidentFilter{Limit: groups + 10})
	if err != nil {
		tb.Fatal(err)
	}
	if total != groups {
		tb.Fatalf("%d incidents, want one per group: %d", total, groups)
	}
	services := map[string]bool{}
	for _, in := range list {
		alerts, err := db.Alerts(ctx, in.ID)
		if err != nil {
			tb.Fatal(err)
		}
		events, err := db.IncidentEvents(ctx, in.ID)
		if err != nil {
			tb.Fatal(err)
		}
		if len(alerts) != perGroup || len(events) != perGroup {
			tb.Fatalf("incident %s: %d alerts and %d events, want %d of each",
				in.ID, len(alerts), len(events), perGroup)
		}
		if len(in.Services) != 1 || services[in.Services[0]] {
			tb.Fatalf("incident %s has services %v: groups were mixed", in.ID, in.Services)
		}
		services[in.Services[0]] = true
	}
	_, failed, err := db.Payloads(ctx, debrief.PayloadFilter{Status: debrief.PayloadFailed})
	if err != nil || failed != 0 {
		tb.Fatalf("%d payloads failed (%v)", failed, err)
	}
}

func TestAlertStormLosesNothing(t *testing.T) {
	const groups, perGroup = 40, 50
	ts, db := stormServer(t)
	bodies := stormPayloads(groups, perGroup)
	sendStorm(t, ts.URL, bodies, 8)
	checkStorm(t, db, groups, perGroup)

	// The same storm delivered again (Alertmanager repeats groups) changes
	// nothing.
	sendStorm(t, ts.URL, bodies, 8)
	checkStorm(t, db, groups, perGroup)
}

// BenchmarkAlertStorm sends 10,000 Alertmanager alerts (100 groups of 100,
// one POST per group, 8 senders) over loopback to a new SQLite store and
// checks that all are stored and grouped. Target: under 5 s a storm.
func BenchmarkAlertStorm(b *testing.B) {
	const groups, perGroup = 100, 100
	bodies := stormPayloads(groups, perGroup)
	for b.Loop() {
		b.StopTimer()
		ts, db := stormServer(b)
		b.StartTimer()
		sendStorm(b, ts.URL, bodies, 8)
		b.StopTimer()
		checkStorm(b, db, groups, perGroup)
		ts.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(groups*perGroup), "alerts/op")
}
