package sqlstore_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"github.com/debrief-oss/debrief/sqlstore"
)

// latestSchema is the version of the newest migration.
const latestSchema = 2

// openAtOnce opens dsn from several goroutines at once, as several
// processes starting on a new database do, and checks that every open
// succeeds and leaves the schema current.
func openAtOnce(t *testing.T, dsn string) {
	t.Helper()
	const openers = 6
	ctx := context.Background()
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range openers {
		wg.Go(func() {
			<-start
			db, err := sqlstore.Open(ctx, dsn)
			if err != nil {
				t.Errorf("open: %v", err)
				return
			}
			defer db.Close()
			if v, err := db.SchemaVersion(ctx); err != nil || v != latestSchema {
				t.Errorf("schema version = %d, %v; want %d", v, err, latestSchema)
			}
		})
	}
	close(start)
	wg.Wait()
}

func TestOpenNewSQLiteFileAtOnce(t *testing.T) {
	for trial := range 3 {
		openAtOnce(t, filepath.Join(t.TempDir(), "new.db"))
		if t.Failed() {
			t.Fatalf("trial %d failed", trial)
		}
	}
}

func TestOpenNewPostgresSchemaAtOnce(t *testing.T) {
	openAtOnce(t, postgresSchema(t))
}
