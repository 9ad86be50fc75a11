package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// eachAPIStore runs fn on a fresh SQLite store and, when
// DEBRIEF_TEST_POSTGRES names a server, on a fresh PostgreSQL schema.
func eachAPIStore(t *testing.T, fn func(t *testing.T, store Store)) {
	t.Run("sqlite", func(t *testing.T) {
		db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("DEBRIEF_TEST_POSTGRES")
		if base == "" {
			if os.Getenv("DEBRIEF_REQUIRE_POSTGRES") != "" {
				t.Fatal("DEBRIEF_TEST_POSTGRES is not set but DEBRIEF_REQUIRE_POSTGRES is")
			}
			t.Skip("DEBRIEF_TEST_POSTGRES is not set; the PostgreSQL store is not tested")
		}
		ctx := context.Background()
		dsn, drop, err := sqlstore.NewTestSchema(ctx, base)
		if err != nil {
			t.Fatal(err)
		}
		db, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			db.Close()
			if t.Failed() {
				t.Logf("kept the schema of %s for inspection", dsn)
				return
			}
			if err := drop(ctx); err != nil {
				t.Error(err)
			}
		})
		fn(t, db)
	})
}

// TestAPIConcurrentWriters: fifty programs change one report at once, each
// reading it, changing it and writing it back with If-Match, and reading
// again when the answer is 412. Half replace the whole report to add a tag,
// half replace the timeline section to add an event. Every change lands.
func TestAPIConcurrentWriters(t *testing.T) {
	const writers = 50
	eachAPIStore(t, func(t *testing.T, store Store) {
		api := newAPIServer(t, store)
		p := api.contributor.call("POST", "/api/v1/postmortems",
			map[string]any{"id": "shared", "title": "Shared report"}).
			want(t, http.StatusCreated).report(t)
		loc := "/api/v1/postmortems/" + p.ID

		var wg sync.WaitGroup
		var mu sync.Mutex
		stale := 0
		for i := range writers {
			wg.Go(func() {
				write := addTag
				if i%2 == 1 {
					write = addEvent
				}
				for attempt := 0; ; attempt++ {
					if attempt == 500 {
						t.Errorf("writer %d: still refused after %d tries", i, attempt)
						return
					}
					status := write(t, api.contributor, loc, i)
					if status == http.StatusOK {
						return
					}
					if status != http.StatusPreconditionFailed {
						t.Errorf("writer %d: status %d", i, status)
						return
					}
					mu.Lock()
					stale++
					mu.Unlock()
				}
			})
		}
		wg.Wait()

		got := api.viewer.call("GET", loc, nil).want(t, http.StatusOK).report(t)
		var tags, events []string
		for i := range writers {
			if i%2 == 0 {
				tags = append(tags, "writer-"+strconv.Itoa(i))
			} else {
				events = append(events, "event of writer "+strconv.Itoa(i))
			}
		}
		var gotEvents []string
		for _, e := range got.Timeline {
			gotEvents = append(gotEvents, e.Text)
		}
		slices.Sort(got.Tags)
		slices.Sort(tags)
		slices.Sort(gotEvents)
		slices.Sort(events)
		if !slices.Equal(got.Tags, tags) || !slices.Equal(gotEvents, events) {
			t.Errorf("lost updates:\ntags %v\nwant %v\nevents %v\nwant %v",
				got.Tags, tags, gotEvents, events)
		}
		if got.Version != writers+1 {
			t.Errorf("version %d, want %d", got.Version, writers+1)
		}
		t.Logf("%d writers, %d stale writes refused and retried", writers, stale)
	})
}

// addTag adds the writer's tag by replacing the whole report.
func addTag(t *testing.T, c apiClient, loc string, i int) int {
	res := c.call("GET", loc, nil)
	if res.status != http.StatusOK {
		return res.status
	}
	p := res.report(t)
	p.Tags = append(p.Tags, "writer-"+strconv.Itoa(i))
	return c.call("PUT", loc, p, "If-Match", res.header.Get("ETag")).status
}

// addEvent adds the writer's event by replacing the timeline section.
func addEvent(t *testing.T, c apiClient, loc string, i int) int {
	res := c.call("GET", loc+"/sections/timeline", nil)
	if res.status != http.StatusOK {
		return res.status
	}
	var sec struct {
		Timeline []debrief.TimelineEvent `json:"timeline"`
	}
	res.decode(t, &sec)
	sec.Timeline = append(sec.Timeline,
		debrief.TimelineEvent{Text: fmt.Sprint("event of writer ", i)})
	return c.call("PUT", loc+"/sections/timeline", sec,
		"If-Match", res.header.Get("ETag")).status
}
