package sqlstore_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

func TestBatchRefusesOneReportAndKeepsTheOthers(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		existing := fullReport("existing")
		save(t, db, existing)

		stale := fullReport("existing")
		stale.Title = "a stale edit"
		stale.Version = 7 // the stored version is 1
		broken := fullReport("broken")
		broken.Analysis.Whys = []debrief.Why{{ID: 1, ParentID: 99, Answer: "orphan"}}
		restored := fullReport("restored")
		restored.Version, restored.CreatedAt, restored.UpdatedAt = 5, at("2024-01-02T03:04:05Z"),
			at("2024-02-03T04:05:06Z")

		batch := []debrief.BatchWrite{
			{Postmortem: fullReport("first")},
			{Postmortem: stale},
			{Postmortem: broken},
			{Postmortem: restored, Restore: true},
		}
		errs, err := db.SavePostmortems(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		if errs[0] != nil || errs[3] != nil {
			t.Errorf("good reports refused: %v, %v", errs[0], errs[3])
		}
		wantKind(t, errs[1], debrief.KindConflict)
		wantKind(t, errs[2], debrief.KindInvalid)

		if got := load(t, db, "existing"); got.Title != existing.Title || got.Version != 1 {
			t.Errorf("stale edit applied: title %q version %d", got.Title, got.Version)
		}
		if _, err := db.Postmortem(ctx, "broken"); !debrief.IsNotFound(err) {
			t.Errorf("refused report stored (err %v)", err)
		}
		if diff := cmp.Diff(restored, load(t, db, "restored")); diff != "" {
			t.Errorf("restored report differs (-want +got):\n%s", diff)
		}
		if got := load(t, db, "first"); got.Version != 1 {
			t.Errorf("first report at version %d, want 1", got.Version)
		}
	})
}

func TestBatchIndexesWhatItKeeps(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		edited := &debrief.Postmortem{ID: "edited", Title: "Kestrel outage"}
		save(t, db, edited)

		edited.Title = "Osprey outage"
		refused := &debrief.Postmortem{ID: "refused", Title: "Osprey stale", Version: 3}
		save(t, db, &debrief.Postmortem{ID: "refused", Title: "Heron"})
		batch := []debrief.BatchWrite{
			{Postmortem: edited},
			{Postmortem: &debrief.Postmortem{ID: "new", Title: "Osprey sighting"}},
			{Postmortem: refused},
		}
		errs, err := db.SavePostmortems(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		wantKind(t, errs[2], debrief.KindConflict)

		for _, tt := range []struct {
			text string
			want []string
		}{
			{"osprey", []string{"edited", "new"}},
			{"ospr*", []string{"edited", "new"}},
			{"kestrel", nil},
			{"heron", []string{"refused"}},
		} {
			got, _ := searchIDs(t, db, debrief.SearchQuery{Text: tt.text})
			sortStrings(got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%q hits (-want +got):\n%s", tt.text, diff)
			}
		}
	})
}
