package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

func TestConcurrentSaves(t *testing.T) {
	const writers = 50
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		shared := fullReport("shared")
		save(t, db, shared)

		// Round one: fifty writers save other reports while fifty others save the
		// shared one, all from version 1. Exactly one of the latter may win.
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins, conflicts := 0, 0
		for i := range writers {
			wg.Go(func() {
				if err := db.SavePostmortem(ctx, fullReport(fmt.Sprint("other-", i))); err != nil {
					t.Errorf("save other-%d: %v", i, err)
				}
			})
			wg.Go(func() {
				p := fullReport("shared")
				p.Version = 1
				p.Title = fmt.Sprint("edit ", i)
				err := db.SavePostmortem(ctx, p)
				mu.Lock()
				defer mu.Unlock()
				switch debrief.ErrorKind(err) {
				case debrief.KindConflict:
					if !errors.Is(err, debrief.ErrStaleVersion) {
						t.Errorf("conflict %v does not wrap ErrStaleVersion", err)
					}
					conflicts++
				case debrief.KindInternal:
					if err != nil {
						t.Errorf("save shared: %v", err)
						return
					}
					wins++
				}
			})
		}
		wg.Wait()
		if wins != 1 || conflicts != writers-1 {
			t.Fatalf("wins, conflicts = %d, %d; want 1, %d", wins, conflicts, writers-1)
		}

		// Round two: every writer adds one to a counter twice, reading
		// again after a conflict. No increment may be lost.
		const increments = 2
		for range writers {
			wg.Go(func() {
				for range increments {
					for {
						p, err := db.Postmortem(ctx, "shared")
						if err != nil {
							t.Error(err)
							return
						}
						n, _ := strconv.Atoi(p.Fields["counter"])
						p.Fields["counter"] = strconv.Itoa(n + 1)
						err = db.SavePostmortem(ctx, p)
						if err == nil {
							break
						}
						if debrief.ErrorKind(err) != debrief.KindConflict {
							t.Error(err)
							return
						}
					}
				}
			})
		}
		wg.Wait()

		p := load(t, db, "shared")
		if got, want := p.Fields["counter"], strconv.Itoa(writers*increments); got != want {
			t.Errorf("counter = %s, want %s: an update was lost", got, want)
		}
		if want := 2 + writers*increments; p.Version != want {
			t.Errorf("version = %d, want %d", p.Version, want)
		}
		_, total, err := db.Postmortems(ctx, debrief.PostmortemFilter{})
		if err != nil || total != writers+1 {
			t.Errorf("reports = %d, %v; want %d", total, err, writers+1)
		}
	})
}

// TestManyConcurrentReads reads one report from far more goroutines than
// the read pool has connections, as a busy server does, on a fresh store
// whose statements are not prepared yet: every read must finish.
func TestManyConcurrentReads(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		save(t, db, fullReport("busy"))
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		for range 64 {
			wg.Go(func() {
				for range 20 {
					if _, err := db.Postmortem(ctx, "busy"); err != nil {
						t.Errorf("read: %v", err)
						return
					}
				}
			})
		}
		wg.Wait()
	})
}
