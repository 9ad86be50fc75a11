package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

func revisions(t *testing.T, db *sqlstore.DB, id string) []debrief.Revision {
	t.Helper()
	revs, err := db.Revisions(context.Background(), id)
	if err != nil {
		t.Fatalf("revisions of %s: %v", id, err)
	}
	return revs
}

// wantSnapshots checks that each report reads back as the revision at its
// version.
func wantSnapshots(t *testing.T, db *sqlstore.DB, reports ...*debrief.Postmortem) {
	t.Helper()
	for _, want := range reports {
		got, err := db.PostmortemRevision(context.Background(), want.ID, want.Version)
		if err != nil {
			t.Errorf("revision %d of %s: %v", want.Version, want.ID, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("revision %d of %s (-want +got):\n%s", want.Version, want.ID, diff)
		}
	}
}

func TestSaveRecordsRevisions(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		p := fullReport("pm-1")
		save(t, db, p)
		first := load(t, db, p.ID)
		firstAt := clock.Now().Truncate(time.Microsecond)

		clock.Advance(time.Hour)
		p.Status = debrief.StatusDraft
		p.Title = "Checkout outage, rewritten"
		p.Tags = nil
		p.UpdatedBy = "bob"
		save(t, db, p)
		second := load(t, db, p.ID)

		want := []debrief.Revision{
			{PostmortemID: "pm-1", Version: 2, Author: "bob",
				SavedAt: firstAt.Add(time.Hour), Status: debrief.StatusDraft},
			{PostmortemID: "pm-1", Version: 1, Author: "alice",
				SavedAt: firstAt, Status: debrief.StatusInReview},
		}
		if diff := cmp.Diff(want, revisions(t, db, p.ID)); diff != "" {
			t.Errorf("revisions (-want +got):\n%s", diff)
		}
		wantSnapshots(t, db, first, second)
	})
}

func TestRestoreRecordsRevision(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		restore := func(p *debrief.Postmortem) {
			t.Helper()
			if err := db.RestorePostmortem(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		p := fullReport("pm-1")
		p.Version, p.UpdatedAt, p.UpdatedBy = 7, at("2024-07-01T12:00:00Z"), "restorer"
		restore(p)
		v7 := &debrief.Revision{PostmortemID: "pm-1", Version: 7, Author: "restorer",
			SavedAt: p.UpdatedAt, Status: debrief.StatusInReview}
		if diff := cmp.Diff([]debrief.Revision{*v7}, revisions(t, db, p.ID)); diff != "" {
			t.Errorf("revisions after a restore (-want +got):\n%s", diff)
		}

		// Restoring a version again replaces its revision.
		p.Title, p.Status = "Restored again", debrief.StatusDraft
		restore(p)
		v7.Status = debrief.StatusDraft
		if diff := cmp.Diff([]debrief.Revision{*v7}, revisions(t, db, p.ID)); diff != "" {
			t.Errorf("revisions after restoring v7 again (-want +got):\n%s", diff)
		}
		wantSnapshots(t, db, load(t, db, p.ID))

		p.Version, p.UpdatedAt = 3, at("2024-05-01T12:00:00Z")
		restore(p)
		v3 := debrief.Revision{PostmortemID: "pm-1", Version: 3, Author: "restorer",
			SavedAt: p.UpdatedAt, Status: debrief.StatusDraft}
		if diff := cmp.Diff([]debrief.Revision{*v7, v3}, revisions(t, db, p.ID)); diff != "" {
			t.Errorf("revisions after restoring v3 (-want +got):\n%s", diff)
		}
	})
}

func TestBatchRecordsRevisions(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		save(t, db, fullReport("existing"))

		stale := fullReport("existing")
		stale.Version, stale.UpdatedBy = 7, "mallory"
		restored := fullReport("restored")
		restored.Version, restored.UpdatedAt = 5, at("2024-02-03T04:05:06Z")
		edited := &debrief.Postmortem{ID: "edited", Title: "Draft"}
		save(t, db, edited)
		edited.Title, edited.UpdatedBy = "Edited in a batch", "erin"

		clock.Advance(time.Minute)
		errs, err := db.SavePostmortems(ctx, []debrief.BatchWrite{
			{Postmortem: fullReport("new")},
			{Postmortem: stale},
			{Postmortem: restored, Restore: true},
			{Postmortem: edited},
		})
		if err != nil {
			t.Fatal(err)
		}
		wantKind(t, errs[1], debrief.KindConflict)

		now := clock.Now().Truncate(time.Microsecond)
		for _, tt := range []struct {
			id   string
			want []debrief.Revision
		}{
			{"new", []debrief.Revision{{PostmortemID: "new", Version: 1, Author: "alice",
				SavedAt: now, Status: debrief.StatusInReview}}},
			{"existing", []debrief.Revision{{PostmortemID: "existing", Version: 1,
				Author: "alice", SavedAt: now.Add(-time.Minute), Status: debrief.StatusInReview}}},
			{"restored", []debrief.Revision{{PostmortemID: "restored", Version: 5,
				Author: "alice", SavedAt: restored.UpdatedAt, Status: debrief.StatusInReview}}},
			{"edited", []debrief.Revision{
				{PostmortemID: "edited", Version: 2, Author: "erin", SavedAt: now},
				{PostmortemID: "edited", Version: 1, SavedAt: now.Add(-time.Minute)},
			}},
		} {
			if diff := cmp.Diff(tt.want, revisions(t, db, tt.id)); diff != "" {
				t.Errorf("revisions of %s (-want +got):\n%s", tt.id, diff)
			}
		}
		wantSnapshots(t, db, load(t, db, "new"), load(t, db, "restored"), load(t, db, "edited"))
	})
}

// TestRefusedSaveRecordsNoRevision: a save that is refused or fails leaves
// the history as it was.
func TestRefusedSaveRecordsNoRevision(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		p := fullReport("pm-1")
		save(t, db, p)
		want := revisions(t, db, p.ID)

		stale := fullReport("pm-1")
		stale.Version, stale.UpdatedBy = 0, "mallory"
		wantKind(t, db.SavePostmortem(ctx, stale), debrief.KindConflict)
		broken := load(t, db, p.ID)
		broken.Analysis.Whys = []debrief.Why{{ID: 1, ParentID: 1}}
		wantKind(t, db.SavePostmortem(ctx, broken), debrief.KindInvalid)
		db.FailAfterParts(errInjected)
		if err := db.SavePostmortem(ctx, load(t, db, p.ID)); err == nil {
			t.Fatal("save succeeded despite the injected failure")
		}
		db.FailAfterParts(nil)

		if diff := cmp.Diff(want, revisions(t, db, p.ID)); diff != "" {
			t.Errorf("revisions after refused saves (-before +after):\n%s", diff)
		}
		_, err := db.PostmortemRevision(ctx, p.ID, 2)
		wantKind(t, err, debrief.KindNotFound)
	})
}

func TestRevisionNotFound(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		_, err := db.Revisions(ctx, "missing")
		wantKind(t, err, debrief.KindNotFound)
		_, err = db.PostmortemRevision(ctx, "missing", 1)
		wantKind(t, err, debrief.KindNotFound)

		save(t, db, fullReport("pm-1"))
		for _, v := range []int{0, 2, -1} {
			_, err = db.PostmortemRevision(ctx, "pm-1", v)
			wantKind(t, err, debrief.KindNotFound)
		}
	})
}

func TestDeleteRemovesRevisions(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		p := fullReport("pm-1")
		save(t, db, p)
		save(t, db, p)
		if err := db.DeletePostmortem(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		_, err := db.Revisions(ctx, p.ID)
		wantKind(t, err, debrief.KindNotFound)

		// A new report under the same ID starts a history of its own.
		again := &debrief.Postmortem{ID: "pm-1", Title: "Another outage"}
		save(t, db, again)
		if revs := revisions(t, db, p.ID); len(revs) != 1 || revs[0].Version != 1 {
			t.Errorf("revisions of the new report = %+v, want only its version 1", revs)
		}
		wantSnapshots(t, db, load(t, db, p.ID))
		_, err = db.PostmortemRevision(ctx, p.ID, 2)
		wantKind(t, err, debrief.KindNotFound)
	})
}

// TestRevisionsOfReportSavedBeforeThem: a report saved before migration 6
// shows its current version, which its next save records before replacing.
func TestRevisionsOfReportSavedBeforeThem(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		p := fullReport("pm-1")
		save(t, db, p)
		savedAt := p.UpdatedAt
		if err := db.MigrateDownTo(ctx, 5); err != nil {
			t.Fatal(err)
		}
		if err := db.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		old := load(t, db, p.ID)

		v1 := debrief.Revision{PostmortemID: "pm-1", Version: 1, SavedAt: savedAt,
			Status: debrief.StatusInReview}
		if diff := cmp.Diff([]debrief.Revision{v1}, revisions(t, db, p.ID)); diff != "" {
			t.Errorf("revisions before a save (-want +got):\n%s", diff)
		}
		wantSnapshots(t, db, old)

		clock.Advance(time.Hour)
		edit := load(t, db, p.ID)
		edit.Title, edit.UpdatedBy = "Edited after the upgrade", "bob"
		save(t, db, edit)
		v2 := debrief.Revision{PostmortemID: "pm-1", Version: 2, Author: "bob",
			SavedAt: savedAt.Add(time.Hour), Status: debrief.StatusInReview}
		if diff := cmp.Diff([]debrief.Revision{v2, v1}, revisions(t, db, p.ID)); diff != "" {
			t.Errorf("revisions after a save (-want +got):\n%s", diff)
		}
		wantSnapshots(t, db, old, load(t, db, p.ID))
	})
}
