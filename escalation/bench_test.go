package escalation_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/escalation"
	"github.com/debrief-oss/debrief/notify"
	"github.com/debrief-oss/debrief/sqlstore"
)

// BenchmarkScan measures the minutely scan over 10,000 reports of three
// items each, a third of them overdue: the first scan takes every step,
// later ones find nothing new.
func BenchmarkScan(b *testing.B) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)}
	db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "d.db"),
		sqlstore.WithClock(clk.now))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const reports = 10000
	var batch []debrief.BatchWrite
	for i := range reports {
		p := &debrief.Postmortem{ID: fmt.Sprintf("pm-%05d", i), Title: "Report",
			Incident: debrief.Incident{ID: fmt.Sprintf("inc-%05d", i), Title: "Incident"}}
		for n := 1; n <= 3; n++ {
			due := "2027-01-01"
			if n == 1 {
				due = "2026-03-01"
			}
			p.ActionItems = append(p.ActionItems, debrief.ActionItem{Number: n,
				Description: "Item", Owner: "dana", Due: due})
		}
		batch = append(batch, debrief.BatchWrite{Postmortem: p})
		if len(batch) == 500 {
			if _, err := db.SavePostmortems(ctx, batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
	cfg, err := escalation.Parse([]byte("escalation:\n  routes: {overdue: [hooks], "+
		"escalated: [hooks]}\n"), "bench.yaml")
	if err != nil {
		b.Fatal(err)
	}
	r := &escalation.Runner{Store: db, Config: cfg, Now: clk.now,
		Channels: map[string]notify.Channel{"hooks": &recorder{}}}
	start := time.Now()
	taken, err := r.Scan(ctx)
	if err != nil || taken != 2*reports {
		b.Fatalf("first scan: %d steps, %v", taken, err)
	}
	first := time.Since(start)
	for b.Loop() {
		if n, err := r.Scan(ctx); err != nil || n != 0 {
			b.Fatalf("steady scan: %d, %v", n, err)
		}
	}
	b.ReportMetric(float64(first.Milliseconds()), "first-scan-ms")
}
