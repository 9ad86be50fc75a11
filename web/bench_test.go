package web

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
	"github.com/debrief-oss/debrief/importer"
	"github.com/debrief-oss/debrief/internal/corpus"
	"github.com/debrief-oss/debrief/sqlstore"
)

// benchReports is the collection size the speed targets are stated for.
const benchReports = 10_000

// benchServer imports the corpus replicated to 10,000 reports into a new
// SQLite store and returns the handler, a viewer's token and the IDs.
func benchServer(b *testing.B) (http.Handler, string, []string) {
	b.Helper()
	ctx := context.Background()
	src := b.TempDir()
	corpus.Replicate(b, src, benchReports)
	db, err := sqlstore.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if _, err := (&importer.Importer{Store: db}).Import(ctx, []string{src}, nil); err != nil {
		b.Fatal(err)
	}
	list, _, err := db.Postmortems(ctx, debrief.PostmortemFilter{Limit: benchReports})
	if err != nil || len(list) != benchReports {
		b.Fatalf("listed %d reports: %v", len(list), err)
	}
	ids := make([]string, len(list))
	for i, s := range list {
		ids[i] = s.ID
	}

	if err := db.CreateUser(ctx, &debrief.User{Name: "bench",
		Role: debrief.AccessViewer}); err != nil {
		b.Fatal(err)
	}
	secret, hash := auth.NewToken()
	if err := db.CreateToken(ctx, &debrief.Token{UserName: "bench"}, hash); err != nil {
		b.Fatal(err)
	}
	srv, err := NewServer(db, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	return srv.Handler(), secret, ids
}

// benchRequests serves GET requests for random reports one after another
// and reports the median and 99th percentile of the server-side time.
func benchRequests(b *testing.B, path func(id string) string) {
	h, token, ids := benchServer(b)
	rng := rand.New(rand.NewPCG(1, 2))
	var took []time.Duration
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, path(ids[rng.IntN(len(ids))]), nil)
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		start := time.Now()
		h.ServeHTTP(rec, req)
		took = append(took, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("%s: status %d: %s", req.URL.Path, rec.Code, rec.Body.String())
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "ms-median")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "ms-p99")
}

// BenchmarkReportPage renders the report page of random reports among
// 10,000 stored. Target: under 10 ms at p99.
func BenchmarkReportPage(b *testing.B) {
	benchRequests(b, func(id string) string { return "/postmortems/" + id })
}

// BenchmarkAPIPostmortem answers GET /api/v1/postmortems/{id} for random
// reports among 10,000 stored.
func BenchmarkAPIPostmortem(b *testing.B) {
	benchRequests(b, func(id string) string { return fmt.Sprintf("/api/v1/postmortems/%s", id) })
}
