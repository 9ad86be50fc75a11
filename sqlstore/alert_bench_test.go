package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// stormPayloads and stormAlerts size an alert storm: 10,000 alerts sent
// as payloads of a hundred, as Alertmanager batches them.
const stormPayloads, stormAlerts = 100, 100

// storm returns the events of each payload of a storm. In one group, every
// payload adds alerts to one incident, which ends with 10,000; otherwise
// each payload is a group of its own.
func storm(oneGroup bool) [][]debrief.AlertEvent {
	start := time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)
	payloads := make([][]debrief.AlertEvent, stormPayloads)
	for p := range payloads {
		group := "{}:{alertname=\"HighLatency\"}"
		if !oneGroup {
			group = fmt.Sprintf("{}:{alertname=\"HighLatency\", pod=\"p%d\"}", p)
		}
		for a := range stormAlerts {
			n := p*stormAlerts + a
			at := start.Add(time.Duration(n) * time.Millisecond)
			payloads[p] = append(payloads[p], debrief.AlertEvent{
				Source: debrief.SourceAlertmanager, GroupKey: group,
				AlertKey: fmt.Sprintf("%016x", n), Status: debrief.AlertFiring,
				Kind: debrief.EventDetection, At: at, StartsAt: at,
				Title: "HighLatency", Text: fmt.Sprintf("latency above 2s on pod p%d", n),
				Severity: "P2", Services: []string{"checkout"},
			})
		}
	}
	return payloads
}

// BenchmarkRecordAlerts stores and records a storm of 100 payloads of 100
// alerts, one op being the whole storm into a new store; ms/payload is the
// time of one payload's SavePayload and RecordAlerts.
func BenchmarkRecordAlerts(b *testing.B) {
	stores := []struct {
		name string
		open func(b *testing.B) *sqlstore.DB
	}{
		{"sqlite", func(b *testing.B) *sqlstore.DB {
			db, err := sqlstore.Open(context.Background(), filepath.Join(b.TempDir(), "a.db"))
			if err != nil {
				b.Fatal(err)
			}
			return db
		}},
		{"postgres", benchPostgres},
	}
	for _, s := range stores {
		for _, oneGroup := range []bool{true, false} {
			name := s.name + "/group-per-payload"
			if oneGroup {
				name = s.name + "/one-group"
			}
			b.Run(name, func(b *testing.B) {
				payloads := storm(oneGroup)
				var total time.Duration
				for b.Loop() {
					b.StopTimer()
					db := s.open(b)
					b.StartTimer()
					start := time.Now()
					recordStorm(b, db, payloads)
					total += time.Since(start)
					b.StopTimer()
					db.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N*stormPayloads),
					"ms/payload")
			})
		}
	}
}

func recordStorm(b *testing.B, db *sqlstore.DB, payloads [][]debrief.AlertEvent) {
	ctx := context.Background()
	for i, events := range payloads {
		p := &debrief.Payload{Source: debrief.SourceAlertmanager,
			Body: fmt.Appendf(nil, "payload %d", i)}
		if _, err := db.SavePayload(ctx, p); err != nil {
			b.Fatal(err)
		}
		if _, err := db.RecordAlerts(ctx, p.ID, events); err != nil {
			b.Fatal(err)
		}
	}
}

// benchPostgres opens a store in a new schema of the test server, skipping
// when there is none.
func benchPostgres(b *testing.B) *sqlstore.DB {
	base := os.Getenv(postgresEnv)
	if base == "" {
		b.Skipf("%s is not set", postgresEnv)
	}
	ctx := context.Background()
	dsn, drop, err := sqlstore.NewTestSchema(ctx, base)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { drop(ctx) })
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	return db
}
