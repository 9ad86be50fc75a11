package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

func TestMigrateEmptyDatabase(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		got, err := db.SchemaVersion(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if got != latestSchema {
			t.Errorf("schema version = %d, want %d", got, latestSchema)
		}
	})
}

func TestSaveNewReport(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		p := fullReport("pm-1")
		save(t, db, p)

		if p.Version != 1 {
			t.Errorf("Version = %d, want 1", p.Version)
		}
		if want := at("2024-06-03T08:00:00.123456Z"); !p.CreatedAt.Equal(want) {
			t.Errorf("CreatedAt = %v, want the given %v at microseconds", p.CreatedAt, want)
		}
		if want := clock.Now().Truncate(time.Microsecond); !p.UpdatedAt.Equal(want) {
			t.Errorf("UpdatedAt = %v, want now %v", p.UpdatedAt, want)
		}
		if diff := cmp.Diff(p, load(t, db, p.ID)); diff != "" {
			t.Errorf("read back differs (-saved +read):\n%s", diff)
		}
	})
}

func TestSaveStampsCreatedAtWhenUnset(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		p := &debrief.Postmortem{ID: "bare", Title: "Bare"}
		save(t, db, p)

		want := clock.Now().Truncate(time.Microsecond)
		if !p.CreatedAt.Equal(want) || !p.UpdatedAt.Equal(want) {
			t.Errorf("CreatedAt, UpdatedAt = %v, %v; want both %v", p.CreatedAt, p.UpdatedAt, want)
		}
		if p.Incident.ID != "bare" {
			t.Errorf("Incident.ID = %q, want the report's ID", p.Incident.ID)
		}
		if diff := cmp.Diff(p, load(t, db, p.ID)); diff != "" {
			t.Errorf("read back differs (-saved +read):\n%s", diff)
		}
	})
}

func TestEmptySlicesReadBackAsNil(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		p := &debrief.Postmortem{ID: "empty", Tags: []string{}, Timeline: []debrief.TimelineEvent{},
			Fields: map[string]string{}}
		save(t, db, p)

		got := load(t, db, p.ID)
		if got.Tags != nil || got.Timeline != nil || got.Fields != nil {
			t.Errorf("empty parts read back as %#v, %#v, %#v; want nil", got.Tags, got.Timeline, got.Fields)
		}
		if diff := cmp.Diff(p, got); diff != "" {
			t.Errorf("saved report was not normalised (-saved +read):\n%s", diff)
		}
	})
}

func TestSaveReplacesParts(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		p := fullReport("pm-1")
		save(t, db, p)
		created := p.CreatedAt

		p.Timeline = p.Timeline[:1]
		p.Analysis.Whys = []debrief.Why{{ID: 9, Answer: "Only one"}}
		p.ActionItems = nil
		p.Impacts[0].MinutesDown = nil
		p.Tags = []string{"config"}
		p.Fields = map[string]string{"team": "platform"}
		p.Incident.Services = []string{"checkout"}
		p.CreatedAt = time.Time{}
		clock.Advance(time.Hour)
		save(t, db, p)

		if p.Version != 2 {
			t.Errorf("Version = %d, want 2", p.Version)
		}
		if !p.CreatedAt.Equal(created) {
			t.Errorf("CreatedAt = %v, want the stored %v", p.CreatedAt, created)
		}
		if diff := cmp.Diff(p, load(t, db, p.ID)); diff != "" {
			t.Errorf("read back differs (-saved +read):\n%s", diff)
		}
	})
}

func TestSaveConflictLeavesReportUnchanged(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		p := fullReport("pm-1")
		save(t, db, p)
		want := load(t, db, p.ID)

		stale := fullReport("pm-1")
		stale.Title = "Stale edit"
		stale.Tags = nil
		stale.Version = 0
		wantKind(t, db.SavePostmortem(context.Background(), stale), debrief.KindConflict)

		if diff := cmp.Diff(want, load(t, db, p.ID)); diff != "" {
			t.Errorf("refused save changed the report (-before +after):\n%s", diff)
		}
	})
}

func TestFailedSaveWritesNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		p := fullReport("pm-1")
		save(t, db, p)
		want := load(t, db, p.ID)

		db.FailAfterParts(errInjected)
		edit := load(t, db, p.ID)
		edit.Tags = []string{"changed"}
		edit.Timeline = nil
		if err := db.SavePostmortem(ctx, edit); err == nil {
			t.Fatal("save succeeded despite the injected failure")
		}
		if err := db.SavePostmortem(ctx, fullReport("pm-2")); err == nil {
			t.Fatal("save succeeded despite the injected failure")
		}
		db.FailAfterParts(nil)

		if diff := cmp.Diff(want, load(t, db, p.ID)); diff != "" {
			t.Errorf("failed save changed the report (-before +after):\n%s", diff)
		}
		if ok, err := db.PostmortemIDExists(ctx, "pm-2"); err != nil || ok {
			t.Errorf("PostmortemIDExists(pm-2) = %v, %v after a failed insert; want false", ok, err)
		}
		if ok, err := db.IncidentExists(ctx, "inc-pm-2"); err != nil || ok {
			t.Errorf("incident of failed insert exists = %v, %v; want false", ok, err)
		}
	})
}

func TestRestoreKeepsVersionAndTimes(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		p := fullReport("pm-1")
		p.Version = 7
		p.UpdatedAt = at("2024-07-01T12:00:00Z")
		if err := db.RestorePostmortem(ctx, p); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, load(t, db, p.ID)); diff != "" {
			t.Errorf("restored report differs (-given +read):\n%s", diff)
		}

		// Restoring over a newer report needs no version check.
		p.Version = 3
		p.Title = "Restored title"
		if err := db.RestorePostmortem(ctx, p); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(p, load(t, db, p.ID)); diff != "" {
			t.Errorf("second restore differs (-given +read):\n%s", diff)
		}
	})
}

func TestUpdatedByIsKept(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		p := &debrief.Postmortem{ID: "pm-1", UpdatedBy: "carol"}
		save(t, db, p)
		if got := load(t, db, p.ID).UpdatedBy; got != "carol" {
			t.Errorf("UpdatedBy after save = %q, want carol", got)
		}

		// An import without a signed-in person leaves it empty.
		p.UpdatedBy = ""
		save(t, db, p)
		if got := load(t, db, p.ID).UpdatedBy; got != "" {
			t.Errorf("UpdatedBy after an anonymous save = %q, want empty", got)
		}

		p.UpdatedBy = "dave"
		if err := db.RestorePostmortem(ctx, p); err != nil {
			t.Fatal(err)
		}
		if got := load(t, db, p.ID).UpdatedBy; got != "dave" {
			t.Errorf("UpdatedBy after restore = %q, want dave", got)
		}
	})
}

func TestNotFound(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		_, err := db.Postmortem(ctx, "missing")
		wantKind(t, err, debrief.KindNotFound)
		_, err = db.PostmortemIDBySource(ctx, "missing.md")
		wantKind(t, err, debrief.KindNotFound)
		wantKind(t, db.DeletePostmortem(ctx, "missing"), debrief.KindNotFound)
		ok, err := db.PostmortemIDExists(ctx, "missing")
		if err != nil || ok {
			t.Errorf("PostmortemIDExists = %v, %v; want false, nil", ok, err)
		}
	})
}

func TestInvalidReports(t *testing.T) {
	tests := []struct {
		name string
		edit func(p *debrief.Postmortem)
	}{
		{"no id", func(p *debrief.Postmortem) { p.ID = "" }},
		{"missing why parent", func(p *debrief.Postmortem) {
			p.Analysis.Whys = append(p.Analysis.Whys, debrief.Why{ID: 20, ParentID: 99})
		}},
		{"duplicate why", func(p *debrief.Postmortem) {
			p.Analysis.Whys = append(p.Analysis.Whys, debrief.Why{ID: 1})
		}},
		{"why loop", func(p *debrief.Postmortem) {
			p.Analysis.Whys = []debrief.Why{{ID: 1, ParentID: 2}, {ID: 2, ParentID: 1}}
		}},
		{"duplicate action number", func(p *debrief.Postmortem) {
			p.ActionItems = append(p.ActionItems, debrief.ActionItem{Number: 1})
		}},
	}
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		for _, tt := range tests {
			p := fullReport("pm-1")
			tt.edit(p)
			err := db.SavePostmortem(context.Background(), p)
			if debrief.ErrorKind(err) != debrief.KindInvalid {
				t.Errorf("%s: got %v, want an invalid error", tt.name, err)
			}
		}
	})
}

func TestDeleteRemovesEverything(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		p := fullReport("pm-1")
		save(t, db, p)
		save(t, db, fullReport("pm-2"))

		if err := db.DeletePostmortem(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.Postmortem(ctx, p.ID)
		wantKind(t, err, debrief.KindNotFound)
		if n, err := db.PartRows(ctx, p.ID); err != nil || n != 0 {
			t.Errorf("part rows after delete = %d, %v; want 0", n, err)
		}
		if ok, err := db.IncidentExists(ctx, p.Incident.ID); err != nil || ok {
			t.Errorf("incident exists after delete = %v, %v; want false", ok, err)
		}
		res, err := db.Search(ctx, debrief.SearchQuery{Text: "checkout"})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Hits) != 1 || res.Hits[0].ID != "pm-2" {
			t.Errorf("search after delete found %+v, want only pm-2", res.Hits)
		}
		if n, err := db.PartRows(ctx, "pm-2"); err != nil || n == 0 {
			t.Errorf("other report's part rows = %d, %v; want them kept", n, err)
		}
	})
}

func TestSourcePathIsUnique(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		p := fullReport("pm-1")
		save(t, db, p)

		id, err := db.PostmortemIDBySource(ctx, p.Source.Path)
		if err != nil || id != p.ID {
			t.Errorf("PostmortemIDBySource = %q, %v; want %q", id, err, p.ID)
		}

		other := fullReport("pm-2")
		other.Source.Path = p.Source.Path
		wantKind(t, db.SavePostmortem(ctx, other), debrief.KindConflict)

		// Reports without a source do not clash.
		for _, id := range []string{"a", "b"} {
			save(t, db, &debrief.Postmortem{ID: id})
		}
	})
}
