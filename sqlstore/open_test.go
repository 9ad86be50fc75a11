package sqlstore_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// latestSchema is the version of the newest migration.
const latestSchema = 11

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

func TestOpenRefusesWhatItCannotUse(t *testing.T) {
	dir := t.TempDir()
	notDB := filepath.Join(dir, "passwd")
	if err := os.WriteFile(notDB, []byte(strings.Repeat("root:x:0:0:root:/root:/bin/sh\n", 40)),
		0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nonexist", "dir", "x.db")
	tests := []struct {
		dsn  string
		want []string // in the message
	}{
		{"", []string{"no database given"}},
		{"   ", []string{"no database given"}},
		{missing, []string{missing, "folder", "does not exist"}},
		{"file:" + missing + "?mode=rwc", []string{missing, "does not exist"}},
		{notDB, []string{notDB, "not a SQLite database"}},
		{"mysql://admin:hunter2@127.0.0.1/debrief", []string{"mysql://", "not supported",
			"127.0.0.1"}},
		{"MySQL://x", []string{"mysql://", "not supported"}},
	}
	for _, tt := range tests {
		db, err := sqlstore.Open(context.Background(), tt.dsn)
		if err == nil {
			db.Close()
			t.Errorf("Open(%q) succeeded, want an error", tt.dsn)
			continue
		}
		if debrief.ErrorKind(err) != debrief.KindInvalid {
			t.Errorf("Open(%q): %v error %q, want invalid", tt.dsn, debrief.ErrorKind(err), err)
		}
		msg := debrief.ErrorMessage(err)
		for _, w := range tt.want {
			if !strings.Contains(msg, w) {
				t.Errorf("Open(%q) = %q, want it to say %q", tt.dsn, msg, w)
			}
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open(%q) = %q shows the password", tt.dsn, err)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "nonexist")); err == nil {
		t.Errorf("Open created the missing folder")
	}
}

func TestOpenPostgresErrorHidesPassword(t *testing.T) {
	// Nothing listens on port 1; the connection is refused at once.
	dsn := "postgres://debrief:hunter2@127.0.0.1:1/debrief?connect_timeout=2"
	db, err := sqlstore.Open(context.Background(), dsn)
	if err == nil {
		db.Close()
		t.Fatal("Open succeeded, want an error")
	}
	if strings.Contains(err.Error(), "hunter2") {
		t.Errorf("error %q shows the password", err)
	}
	if !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("error %q does not name the database", err)
	}
}

func TestOpenFileURI(t *testing.T) {
	path := filepath.Join(t.TempDir(), "uri.db")
	db, err := sqlstore.Open(context.Background(), "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("file: URI did not create %s: %v", path, err)
	}
}

// A file path holding the characters a file: URI gives meaning to opens
// that very file, with the store's pragmas.
func TestOpenPathWithURICharacters(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "team #1?x=y 100%.db")
	db, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if !slices.Contains(names, "team #1?x=y 100%.db") {
		t.Errorf("opening %q created %v", path, names)
	}
}
