package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

func saveDeadlines(t *testing.T, db *sqlstore.DB, id string, ds ...debrief.Deadline) {
	t.Helper()
	if err := db.SaveDeadlines(context.Background(), id, ds); err != nil {
		t.Fatalf("save deadlines of %s: %v", id, err)
	}
}

func TestDeadlinesReplacedAndInOrder(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		save(t, db, fullReport("pm-1"))
		meeting := debrief.Deadline{Kind: debrief.DeadlineMeeting,
			Due: at("2025-03-16T09:00:00.000000999Z"), MetAt: at("2025-03-15T14:00:00Z"),
			Rule: "48 hours after resolution"}
		draft := debrief.Deadline{Kind: debrief.DeadlineDraft, Due: at("2025-03-16T09:00:00Z"),
			Rule: "48 hours after resolution"}
		final := debrief.Deadline{Kind: debrief.DeadlineFinal, Due: at("2025-03-21T09:00:00Z")}
		saveDeadlines(t, db, "pm-1", final, draft, meeting)

		got, err := db.Deadlines(ctx, "pm-1")
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range []*debrief.Deadline{&meeting, &draft, &final} {
			d.PostmortemID, d.Due = "pm-1", d.Due.Truncate(time.Microsecond)
		}
		if diff := cmp.Diff([]debrief.Deadline{meeting, draft, final}, got); diff != "" {
			t.Errorf("deadlines as they fall (-want +got):\n%s", diff)
		}

		saveDeadlines(t, db, "pm-1", final)
		if got, err := db.Deadlines(ctx, "pm-1"); err != nil || len(got) != 1 {
			t.Errorf("after a replace: %v, %v; want only the final deadline", got, err)
		}

		due := at("2025-03-16T09:00:00Z")
		tests := []struct {
			name string
			id   string
			ds   []debrief.Deadline
			kind debrief.Kind
		}{
			{"unknown report", "pm-none", nil, debrief.KindNotFound},
			{"unknown kind", "pm-1", []debrief.Deadline{{Kind: "retro", Due: due}},
				debrief.KindInvalid},
			{"kind twice", "pm-1", []debrief.Deadline{{Kind: "draft", Due: due},
				{Kind: "draft", Due: due}}, debrief.KindInvalid},
			{"no due time", "pm-1", []debrief.Deadline{{Kind: "draft"}}, debrief.KindInvalid},
			{"another report's", "pm-1", []debrief.Deadline{{PostmortemID: "pm-2",
				Kind: "draft", Due: due}}, debrief.KindInvalid},
		}
		for _, tt := range tests {
			wantKind(t, db.SaveDeadlines(ctx, tt.id, tt.ds), tt.kind)
		}
		if got, err := db.Deadlines(ctx, "pm-1"); err != nil || len(got) != 1 {
			t.Errorf("after refusals: %v, %v; want the final deadline still", got, err)
		}
	})
}

func TestDeadlinesGoWithTheirReport(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		save(t, db, fullReport("pm-1"))
		saveDeadlines(t, db, "pm-1", debrief.Deadline{Kind: debrief.DeadlineDraft,
			Due: clock.Now().Add(-time.Hour)})
		if err := db.DeletePostmortem(ctx, "pm-1"); err != nil {
			t.Fatal(err)
		}
		if got, err := db.Deadlines(ctx, "pm-1"); err != nil || got != nil {
			t.Errorf("deadlines of a deleted report: %v, %v; want none", got, err)
		}
		if _, n, err := db.OverdueDeadlines(ctx, debrief.OverdueFilter{}); err != nil || n != 0 {
			t.Errorf("overdue after deletion: %d, %v; want none", n, err)
		}
	})
}

func TestOverdueLongestFirst(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		now := clock.Now().Truncate(time.Microsecond)
		for _, id := range []string{"pm-1", "pm-2"} {
			p := fullReport(id)
			p.Title = "Report " + id
			save(t, db, p)
		}
		saveDeadlines(t, db, "pm-1",
			debrief.Deadline{Kind: debrief.DeadlineMeeting, Due: now.Add(-72 * time.Hour),
				MetAt: now.Add(-80 * time.Hour)}, // met, though late
			debrief.Deadline{Kind: debrief.DeadlineDraft, Due: now.Add(-2 * time.Hour),
				Rule: "48 hours after resolution"},
			debrief.Deadline{Kind: debrief.DeadlineFinal, Due: now.Add(time.Hour)}) // not due
		saveDeadlines(t, db, "pm-2",
			debrief.Deadline{Kind: debrief.DeadlineMeeting, Due: now.Add(-24 * time.Hour)},
			debrief.Deadline{Kind: debrief.DeadlineFinal, Due: now}) // due this instant

		overdue := func(id string, kind debrief.DeadlineKind, ago time.Duration,
			rule string) debrief.OverdueDeadline {
			return debrief.OverdueDeadline{Deadline: debrief.Deadline{PostmortemID: id,
				Kind: kind, Due: now.Add(-ago), Rule: rule}, Title: "Report " + id,
				Status: debrief.StatusInReview}
		}
		tests := []struct {
			f     debrief.OverdueFilter
			want  []debrief.OverdueDeadline
			total int
		}{
			{debrief.OverdueFilter{}, []debrief.OverdueDeadline{
				overdue("pm-2", debrief.DeadlineMeeting, 24*time.Hour, ""),
				overdue("pm-1", debrief.DeadlineDraft, 2*time.Hour, "48 hours after resolution"),
			}, 2},
			{debrief.OverdueFilter{Limit: 1, Offset: 1}, []debrief.OverdueDeadline{
				overdue("pm-1", debrief.DeadlineDraft, 2*time.Hour, "48 hours after resolution"),
			}, 2},
			{debrief.OverdueFilter{Now: now.Add(-48 * time.Hour)}, nil, 0},
		}
		for _, tt := range tests {
			got, total, err := db.OverdueDeadlines(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" || total != tt.total {
				t.Errorf("%+v: total %d, want %d (-want +got):\n%s", tt.f, total, tt.total, diff)
			}
		}
	})
}

// TestOverdueListShowsOnlyWhatTheReaderMaySee: a restricted report's
// overdue steps are listed to its people and to admins, not to a stranger.
func TestOverdueListShowsOnlyWhatTheReaderMaySee(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		restricted := fullReport("pm-restricted") // Alice Smith wrote it
		open := fullReport("pm-open")
		open.Visibility = debrief.VisibilityInternal
		for _, p := range []*debrief.Postmortem{restricted, open} {
			save(t, db, p)
			saveDeadlines(t, db, p.ID, debrief.Deadline{Kind: debrief.DeadlineDraft,
				Due: clock.Now().Add(-time.Hour)})
		}
		tests := []struct {
			name   string
			reader *debrief.Actor
			want   []string
		}{
			{"trusted caller", nil, []string{"pm-open", "pm-restricted"}},
			{"admin", &debrief.Actor{Name: "root", Role: debrief.AccessAdmin},
				[]string{"pm-open", "pm-restricted"}},
			{"author", &debrief.Actor{Name: "alice", DisplayName: "Alice Smith",
				Role: debrief.AccessViewer}, []string{"pm-open", "pm-restricted"}},
			{"stranger", &debrief.Actor{Name: "sam", DisplayName: "Sam Stone",
				Role: debrief.AccessFacilitator}, []string{"pm-open"}},
		}
		for _, tt := range tests {
			list, total, err := db.OverdueDeadlines(ctx, debrief.OverdueFilter{Reader: tt.reader})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range list {
				got = append(got, o.PostmortemID)
			}
			if !cmp.Equal(got, tt.want) || total != len(tt.want) {
				t.Errorf("%s sees %v of %d, want %v", tt.name, got, total, tt.want)
			}
		}
	})
}
