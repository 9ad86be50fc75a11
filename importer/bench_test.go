package importer_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/importer"
	"github.com/debrief-oss/debrief/internal/corpus"
	"github.com/debrief-oss/debrief/sqlstore"
)

// benchReports is the size of the replicated corpus the speed targets are
// stated for: 1,000 reports a second imported, search under 5 ms at the median.
const benchReports = 10_000

// BenchmarkImportCorpus imports the corpus replicated to 10,000 reports into
// a new SQLite database per iteration and reports reports per second.
func BenchmarkImportCorpus(b *testing.B) {
	src := b.TempDir()
	corpus.Replicate(b, src, benchReports)
	ctx := context.Background()
	var elapsed time.Duration
	for i := 0; b.Loop(); i++ {
		db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("bench-%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		sum, err := (&importer.Importer{Store: db}).Import(ctx, []string{src}, nil)
		elapsed += time.Since(start)
		db.Close()
		if err != nil || sum.Created != benchReports {
			b.Fatalf("import: %v, summary %+v", err, sum)
		}
	}
	b.ReportMetric(float64(benchReports*b.N)/elapsed.Seconds(), "reports/s")
}

// BenchmarkSearchCorpus searches 10,000 imported corpus reports with a mix
// of user queries and reports the median and 95th percentile latency.
func BenchmarkSearchCorpus(b *testing.B) {
	src := b.TempDir()
	corpus.Replicate(b, src, benchReports)
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "search.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := (&importer.Importer{Store: db}).Import(ctx, []string{src}, nil); err != nil {
		b.Fatal(err)
	}
	queries := []string{
		"database", "kubernetes dns", `"root cause"`, "timeout -kafka", "deploy*",
		"certificate OR tls", "memory leak", "zookeeper", "502", "rollback config",
	}
	// A viewer's search first checks for restricted reports hidden from
	// them; the command line on a local file is trusted and does not.
	viewer := &debrief.Actor{Name: "vera", Role: debrief.AccessViewer}
	for _, reader := range []struct {
		name  string
		actor *debrief.Actor
	}{{"viewer", viewer}, {"trusted", nil}} {
		b.Run(reader.name, func(b *testing.B) {
			var times []time.Duration
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				_, err := db.Search(ctx, debrief.SearchQuery{
					Text: queries[i%len(queries)], Limit: 20, Reader: reader.actor,
				})
				times = append(times, time.Since(start))
				if err != nil {
					b.Fatal(err)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}
