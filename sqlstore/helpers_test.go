package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// postgresEnv names the variable holding the URL of a PostgreSQL server for
// the storage suite, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
const postgresEnv = "DEBRIEF_TEST_POSTGRES"

// testClock is a clock tests move by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func newTestClock() *testClock {
	return &testClock{now: time.Date(2025, 3, 14, 9, 26, 53, 589793000, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// eachStore runs fn once on a fresh SQLite store and once on a fresh
// PostgreSQL store, the latter only when postgresEnv is set.
func eachStore(t *testing.T, fn func(t *testing.T, db *sqlstore.DB, clock *testClock)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		clock := newTestClock()
		fn(t, openSQLite(t, sqlstore.WithClock(clock.Now)), clock)
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		clock := newTestClock()
		fn(t, openPostgres(t, sqlstore.WithClock(clock.Now)), clock)
	})
}

func openSQLite(t *testing.T, opts ...sqlstore.Option) *sqlstore.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "debrief.db")
	db, err := sqlstore.Open(context.Background(), path, opts...)
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openPostgres opens a store in a schema of its own, so that parallel tests
// and reruns do not meet. The schema is dropped when the test passes and kept
// for inspection when it fails.
func openPostgres(t *testing.T, opts ...sqlstore.Option) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), postgresSchema(t), opts...)
	if err != nil {
		t.Fatalf("open postgres: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// postgresSchema creates a schema of its own for the test and returns the
// URL of the test server with the schema as search_path.
func postgresSchema(t *testing.T) string {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		// CI sets DEBRIEF_REQUIRE_POSTGRES so that a lost variable fails the
		// run instead of silently testing one store.
		if os.Getenv("DEBRIEF_REQUIRE_POSTGRES") != "" {
			t.Fatalf("%s is not set but DEBRIEF_REQUIRE_POSTGRES is", postgresEnv)
		}
		t.Skipf("%s is not set; the PostgreSQL store is not tested", postgresEnv)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", postgresEnv, err)
	}

	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("connect to postgres: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := "test_" + randomHex(t, 8)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("kept schema %s for inspection", schema)
			return
		}
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})

	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func save(t *testing.T, db *sqlstore.DB, p *debrief.Postmortem) {
	t.Helper()
	if err := db.SavePostmortem(context.Background(), p); err != nil {
		t.Fatalf("save %s: %v", p.ID, err)
	}
}

func load(t *testing.T, db *sqlstore.DB, id string) *debrief.Postmortem {
	t.Helper()
	p, err := db.Postmortem(context.Background(), id)
	if err != nil {
		t.Fatalf("read %s: %v", id, err)
	}
	return p
}

func wantKind(t *testing.T, err error, kind debrief.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want a %v error", kind)
	}
	if got := debrief.ErrorKind(err); got != kind {
		t.Fatalf("got %v error %q, want %v", got, err, kind)
	}
}

var errInjected = errors.New("injected failure")

func ptr[T any](v T) *T { return &v }

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(fmt.Sprintf("bad time %q: %v", s, err))
	}
	return t
}
