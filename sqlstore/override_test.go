package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

func TestOverrideIsSavedWithItsMove(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		p := fullReport("pm-override")
		p.Status = debrief.StatusInReview
		save(t, db, p)

		clock.Advance(time.Hour)
		p.Status = debrief.StatusFinal
		o := &debrief.LintOverride{From: debrief.StatusInReview, To: debrief.StatusFinal,
			By: "fay", Reason: "The quote is the customer's own words.",
			Rules: []string{"blame.judgement", "blame.human-error", "blame.judgement"}, Errors: 3}
		if err := db.SavePostmortemOverriding(ctx, p, o); err != nil {
			t.Fatal(err)
		}
		if p.Version != 2 || load(t, db, p.ID).Status != debrief.StatusFinal {
			t.Errorf("report at version %d; want the move saved as version 2", p.Version)
		}
		want := []debrief.LintOverride{{PostmortemID: p.ID, Version: 2,
			From: debrief.StatusInReview, To: debrief.StatusFinal, By: "fay",
			At: clock.Now().Truncate(time.Microsecond), Reason: o.Reason,
			Rules: []string{"blame.human-error", "blame.judgement"}, Errors: 3}}
		if diff := cmp.Diff(want[0], *o); diff != "" {
			t.Errorf("override as saved (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff(want, overrides(t, db, p.ID)); diff != "" {
			t.Errorf("overrides read back (-want +got):\n%s", diff)
		}

		// A second override, later, is kept after the first.
		p.Status = debrief.StatusInReview
		save(t, db, p)
		p.Status = debrief.StatusFinal
		second := &debrief.LintOverride{From: debrief.StatusInReview, To: debrief.StatusFinal,
			By: "gus", Reason: "Accepted again after the review.", Errors: 1,
			Rules: []string{"blame.punitive"}}
		if err := db.SavePostmortemOverriding(ctx, p, second); err != nil {
			t.Fatal(err)
		}
		got := overrides(t, db, p.ID)
		if len(got) != 2 || got[0].By != "fay" || got[1].By != "gus" || got[1].Version != 4 {
			t.Errorf("overrides = %+v; want fay's then gus's at version 4", got)
		}
	})
}

func TestOverrideOfAStaleVersionRecordsNothing(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		p := fullReport("pm-stale")
		save(t, db, p)
		stale := load(t, db, p.ID)
		save(t, db, p) // someone else saves: version 2

		stale.Status = debrief.StatusFinal
		err := db.SavePostmortemOverriding(ctx, stale, &debrief.LintOverride{
			From: debrief.StatusInReview, To: debrief.StatusFinal, By: "fay", Reason: "why"})
		if !errors.Is(err, debrief.ErrStaleVersion) {
			t.Fatalf("stale save: %v; want ErrStaleVersion", err)
		}
		if got := overrides(t, db, p.ID); len(got) != 0 {
			t.Errorf("overrides after a refused move = %+v; want none", got)
		}
	})
}

func TestOverridesGoWithTheirReport(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		if got := overrides(t, db, "pm-none"); len(got) != 0 {
			t.Errorf("overrides of an unknown report = %+v; want none", got)
		}
		p := fullReport("pm-gone")
		save(t, db, p)
		p.Status = debrief.StatusFinal
		if err := db.SavePostmortemOverriding(ctx, p, &debrief.LintOverride{
			From: debrief.StatusInReview, To: debrief.StatusFinal, By: "fay",
			Reason: "why"}); err != nil {
			t.Fatal(err)
		}
		if err := db.DeletePostmortem(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		again := fullReport("pm-gone")
		save(t, db, again)
		if got := overrides(t, db, p.ID); len(got) != 0 {
			t.Errorf("a new report of a deleted one's id has its overrides: %+v", got)
		}
	})
}

func overrides(t *testing.T, db *sqlstore.DB, id string) []debrief.LintOverride {
	t.Helper()
	list, err := db.LintOverrides(context.Background(), id)
	if err != nil {
		t.Fatalf("overrides of %s: %v", id, err)
	}
	if list == nil {
		t.Fatalf("overrides of %s: nil; want an empty list", id)
	}
	return list
}
