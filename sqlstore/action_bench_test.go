package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// actionBenchReports is how many reports BenchmarkActionPage stores, each
// with 0 to 2 action items rated at random: about as many items as the
// corpus replicated to 10,000 reports holds, but spread over the matrix.
const actionBenchReports = 10000

// actionBenchReport is a small report whose items vary in everything the
// lists filter and rank by.
func actionBenchReport(r *rand.Rand, i int) *debrief.Postmortem {
	levels := []debrief.Level{"", debrief.LevelLow, debrief.LevelMedium, debrief.LevelHigh}
	purposes := []debrief.Purpose{"", debrief.PurposePrevention, debrief.PurposeMitigation}
	statuses := []debrief.ActionStatus{debrief.ActionOpen, debrief.ActionOpen,
		debrief.ActionOpen, debrief.ActionInProgress, debrief.ActionBlocked,
		debrief.ActionDone, debrief.ActionVerified}
	started := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
	p := &debrief.Postmortem{ID: fmt.Sprintf("report-%05d", i), Title: "Report",
		Status: debrief.StatusFinal, Visibility: debrief.VisibilityInternal,
		Incident: debrief.Incident{ID: fmt.Sprintf("INC-%05d", i), Title: "Incident",
			StartedAt: started, Services: []string{fmt.Sprint("service-", i%20)}}}
	for n := range r.IntN(3) {
		due := ""
		if r.IntN(3) > 0 {
			due = started.AddDate(0, 0, r.IntN(900)).Format(time.DateOnly)
		}
		p.ActionItems = append(p.ActionItems, debrief.ActionItem{Number: n + 1,
			Description: "Do the thing that prevents this", Owner: fmt.Sprint("owner-", r.IntN(40)),
			Impact: levels[r.IntN(4)], Effort: levels[r.IntN(4)],
			Purpose: purposes[r.IntN(3)], Due: due, Status: statuses[r.IntN(len(statuses))]})
	}
	return p
}

// actionBenchStore opens a store of the dialect filled with
// actionBenchReports reports, or skips when PostgreSQL is not configured.
func actionBenchStore(b *testing.B, dialect string) *sqlstore.DB {
	b.Helper()
	ctx := context.Background()
	dsn := filepath.Join(b.TempDir(), "actions.db")
	if dialect == "postgres" {
		base := os.Getenv("DEBRIEF_TEST_POSTGRES")
		if base == "" {
			b.Skip("DEBRIEF_TEST_POSTGRES is not set")
		}
		var drop func(context.Context) error
		var err error
		if dsn, drop, err = sqlstore.NewTestSchema(ctx, base); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = drop(ctx) })
	}
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })

	r := rand.New(rand.NewPCG(3, 5))
	var batch []debrief.BatchWrite
	for i := range actionBenchReports {
		batch = append(batch, debrief.BatchWrite{Postmortem: actionBenchReport(r, i)})
		if len(batch) == 500 || i == actionBenchReports-1 {
			errs, err := db.SavePostmortems(ctx, batch)
			if err != nil {
				b.Fatal(err)
			}
			for _, err := range errs {
				if err != nil {
					b.Fatal(err)
				}
			}
			batch = batch[:0]
		}
	}
	return db
}

// BenchmarkActionPage lists the open items of 10,000 reports as a viewer
// would: the list page (a page of 100 with the matrix's cells and their
// first 12 items), the API's first page (50 and the total) and the CSV
// export (every item), reporting the median time of each on SQLite and,
// when DEBRIEF_TEST_POSTGRES is set, on PostgreSQL.
func BenchmarkActionPage(b *testing.B) {
	viewer := &debrief.Actor{Name: "viewer", Role: debrief.AccessViewer}
	cases := []struct {
		name      string
		limit     int
		cellItems int
	}{{"list", 100, 12}, {"api", 50, 0}, {"csv", 0, 0}}
	for _, dialect := range []string{"sqlite", "postgres"} {
		b.Run(dialect, func(b *testing.B) {
			db := actionBenchStore(b, dialect)
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					f := debrief.ActionFilter{Reader: viewer, Open: true, Today: "2025-06-01",
						Limit: c.limit}
					var took []time.Duration
					for b.Loop() {
						start := time.Now()
						if _, err := db.ActionPage(context.Background(), f,
							c.cellItems); err != nil {
							b.Fatal(err)
						}
						took = append(took, time.Since(start))
					}
					slices.Sort(took)
					b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
				})
			}
		})
	}
}
