package sqlstore_test

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
	"github.com/debrief-oss/debrief/workflow"
)

// listToday is the date the list tests measure overdue from.
const listToday = "2025-03-01"

// rankedIDs are report IDs whose order differs between a byte order and a
// locale's (which skips hyphens and folds case), as Go compares them.
var rankedIDs = []string{"ab", "a-c", "B", "a", "b-2"}

// rankedReports hold items varied in everything the ranking and the
// matrix look at: every rating (unrated too), purpose, due date (past,
// today, future, none) and status, with ties on rank across reports.
func rankedReports() []*debrief.Postmortem {
	r := rand.New(rand.NewPCG(7, 11))
	levels := []debrief.Level{"", debrief.LevelLow, debrief.LevelMedium, debrief.LevelHigh}
	purposes := []debrief.Purpose{"", debrief.PurposePrevention, debrief.PurposeMitigation}
	dues := []string{"", "2024-12-31", "2025-02-28", listToday, "2025-03-02", "2026-01-15"}
	var out []*debrief.Postmortem
	for i, id := range rankedIDs {
		p := fullReport(id)
		p.Incident.ID = fmt.Sprint("inc-", i)
		p.Visibility = debrief.VisibilityInternal
		p.ActionItems = nil
		for n := 1; n <= 16; n++ {
			p.ActionItems = append(p.ActionItems, debrief.ActionItem{Number: n,
				Description: fmt.Sprintf("item %d of %s", n, id), Owner: "dana",
				Impact: levels[r.IntN(len(levels))], Effort: levels[r.IntN(len(levels))],
				Purpose: purposes[r.IntN(len(purposes))], Due: dues[r.IntN(len(dues))],
				Status: debrief.ActionStatuses[r.IntN(len(debrief.ActionStatuses))]})
		}
		out = append(out, p)
	}
	return out
}

func saveRanked(t *testing.T, db *sqlstore.DB) []debrief.ActionRow {
	t.Helper()
	for _, p := range rankedReports() {
		mustSave(t, db, p)
	}
	rows, err := db.ActionItems(context.Background(), debrief.ActionFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < len(rankedIDs)*16 {
		t.Fatalf("listed %d items, want at least %d", len(rows), len(rankedIDs)*16)
	}
	return rows
}

func refsOf(rows []debrief.ActionRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.Ref.String()
	}
	return out
}

// keep returns the rows keep keeps, in their order.
func keep(rows []debrief.ActionRow, keep func(*debrief.ActionRow) bool) []debrief.ActionRow {
	var out []debrief.ActionRow
	for i := range rows {
		if keep(&rows[i]) {
			out = append(out, rows[i])
		}
	}
	return out
}

// TestActionListsRankAsSortActions holds the stores' ranking in SQL to the
// ranking in Go, so that the two cannot drift apart.
func TestActionListsRankAsSortActions(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		got := saveRanked(t, db)
		want := slices.Clone(got)
		slices.Reverse(want)
		workflow.SortActions(want)
		if diff := gocmp.Diff(refsOf(want), refsOf(got)); diff != "" {
			t.Fatalf("the store's order differs from SortActions (-want +got):\n%s", diff)
		}

		open, err := db.ActionItems(ctx, debrief.ActionFilter{Open: true})
		if err != nil {
			t.Fatal(err)
		}
		wantOpen := keep(want, func(r *debrief.ActionRow) bool { return !r.Item.Status.Closed() })
		if diff := gocmp.Diff(refsOf(wantOpen), refsOf(open)); diff != "" {
			t.Errorf("open items (-want +got):\n%s", diff)
		}

		// A lead's view: overdue first, the longest overdue first, then
		// the ranking.
		late, err := db.ActionItems(ctx, debrief.ActionFilter{LateFirst: true, Today: listToday})
		if err != nil {
			t.Fatal(err)
		}
		wantLate := slices.Clone(want)
		slices.SortStableFunc(wantLate, func(x, y debrief.ActionRow) int {
			return cmp.Compare(y.Item.DaysOverdue(listToday), x.Item.DaysOverdue(listToday))
		})
		if wantLate[0].Item.DaysOverdue(listToday) == 0 {
			t.Fatal("no item is overdue: the test shows nothing")
		}
		if diff := gocmp.Diff(refsOf(wantLate), refsOf(late)); diff != "" {
			t.Errorf("overdue first (-want +got):\n%s", diff)
		}
	})
}

// TestActionPagesCoverTheList: pages of any size, put end to end, are the
// list, each saying how many items there are in all.
func TestActionPagesCoverTheList(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		all := saveRanked(t, db)
		for _, size := range []int{1, 7, 50, len(all)} {
			var got []debrief.ActionRow
			for offset := 0; offset < len(all)+size; offset += size {
				page, err := db.ActionPage(ctx, debrief.ActionFilter{Limit: size,
					Offset: offset}, 0)
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != len(all) || len(page.Rows) > size {
					t.Fatalf("page of %d from %d: %d rows of %d in all, want at most %d of %d",
						size, offset, len(page.Rows), page.Total, size, len(all))
				}
				got = append(got, page.Rows...)
			}
			if diff := gocmp.Diff(refsOf(all), refsOf(got)); diff != "" {
				t.Errorf("pages of %d (-want +got):\n%s", size, diff)
			}
		}
		page, err := db.ActionPage(ctx, debrief.ActionFilter{Limit: 3, Offset: 1}, 0)
		if err != nil {
			t.Fatal(err)
		}
		if r := page.Rows[0]; r.Title == "" || len(r.Services) != 3 || r.Since.IsZero() {
			t.Errorf("a page's row lacks what lists show of its report: %+v", r)
		}
	})
}

// TestActionListTeamAndQuadrant: a team's list holds what (*Team).Owns
// says it owns, and a quadrant's what (*ActionItem).Quadrant places there.
func TestActionListTeamAndQuadrant(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		p := fullReport("pm-team")
		owners := []struct {
			name string
			team bool
		}{{"Storage", true}, {" STORAGE ", false}, {"LEE", false}, {"cleo", false},
			{"Cleo", true}, {"platform", true}, {"pat", false}, {"", false}, {"lee ", false}}
		p.ActionItems = nil
		for i, o := range owners {
			p.ActionItems = append(p.ActionItems, debrief.ActionItem{Number: i + 1,
				Description: "item", Owner: o.name, OwnerIsTeam: o.team,
				Impact: debrief.LevelHigh, Effort: debrief.LevelLow})
		}
		mustSave(t, db, p)
		all, err := db.ActionItems(ctx, debrief.ActionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, team := range []debrief.Team{
			{Name: "storage", Lead: "lee", Members: []string{"Cleo", "ana"}},
			{Name: "Platform"},
			{Name: "nobody", Lead: "zed"},
		} {
			got, err := db.ActionItems(ctx, debrief.ActionFilter{Team: &team})
			if err != nil {
				t.Fatal(err)
			}
			want := keep(all, func(r *debrief.ActionRow) bool { return team.Owns(&r.Item) })
			if diff := gocmp.Diff(refsOf(want), refsOf(got)); diff != "" {
				t.Errorf("team %s (-want +got):\n%s", team.Name, diff)
			}
		}

		saveRanked(t, db)
		all, err = db.ActionItems(ctx, debrief.ActionFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range debrief.Quadrants {
			got, err := db.ActionItems(ctx, debrief.ActionFilter{Quadrant: q})
			if err != nil {
				t.Fatal(err)
			}
			want := keep(all, func(r *debrief.ActionRow) bool { return r.Item.Quadrant() == q })
			if len(want) == 0 {
				t.Fatalf("no item is a %s: the test shows nothing", q)
			}
			if diff := gocmp.Diff(refsOf(want), refsOf(got)); diff != "" {
				t.Errorf("quadrant %s (-want +got):\n%s", q, diff)
			}
		}
		_, err = db.ActionItems(ctx, debrief.ActionFilter{Quadrant: "urgent"})
		if debrief.ErrorKind(err) != debrief.KindInvalid {
			t.Errorf("an unknown quadrant: %v, want invalid", err)
		}
	})
}

// TestActionMatrixCountsAndFirstItems: each cell counts all its items and
// holds its first ones in the order the matrix draws a cell.
func TestActionMatrixCountsAndFirstItems(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		all := saveRanked(t, db)
		// The store reads only the tiers of a cell (prevention, finished,
		// overdue) that hold its first items: a cell's first item, its
		// first few, or all of them.
		for _, tt := range []struct {
			f       debrief.ActionFilter
			perCell int
		}{
			{debrief.ActionFilter{Today: listToday}, 1},
			{debrief.ActionFilter{Today: listToday}, 3},
			{debrief.ActionFilter{Today: listToday}, 12},
			{debrief.ActionFilter{Today: listToday, Open: true}, 2},
			{debrief.ActionFilter{Today: listToday, Statuses: []debrief.ActionStatus{
				debrief.ActionDone}}, 3},
		} {
			f, perCell := tt.f, tt.perCell
			page, err := db.ActionPage(ctx, f, perCell)
			if err != nil {
				t.Fatal(err)
			}
			kept := all
			if f.Open {
				kept = keep(all, func(r *debrief.ActionRow) bool { return !r.Item.Status.Closed() })
			}
			if len(f.Statuses) > 0 {
				kept = keep(all, func(r *debrief.ActionRow) bool {
					return r.Item.Status == f.Statuses[0]
				})
			}
			want := matrixOf(kept, perCell)
			if page.Total != len(kept) {
				t.Errorf("%+v: total %d, want %d", f, page.Total, len(kept))
			}
			got := page.Matrix
			slices.SortFunc(got.Cells, func(x, y debrief.ActionCell) int {
				return cmp.Or(cmp.Compare(x.Impact, y.Impact), cmp.Compare(x.Effort, y.Effort))
			})
			for i := range got.Cells {
				for j := range got.Cells[i].Items {
					got.Cells[i].Items[j] = debrief.ActionRow{Ref: got.Cells[i].Items[j].Ref}
				}
			}
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("%+v: matrix (-want +got):\n%s", f, diff)
			}
		}
	})
}

// matrixOf is the matrix of the rows, ranked, as the store should count
// and fill it: each cell's first items prevention first, then open before
// finished, then overdue before on time, then in rank order.
func matrixOf(rows []debrief.ActionRow, perCell int) *debrief.ActionMatrix {
	m := &debrief.ActionMatrix{}
	cells := map[[2]debrief.Level]*debrief.ActionCell{}
	for _, r := range rows {
		it := r.Item
		if it.Impact.Score() == 0 || it.Effort.Score() == 0 {
			m.Unrated++
			continue
		}
		key := [2]debrief.Level{it.Impact, it.Effort}
		if cells[key] == nil {
			cells[key] = &debrief.ActionCell{Impact: it.Impact, Effort: it.Effort}
		}
		c := cells[key]
		c.Count++
		if it.Purpose == debrief.PurposePrevention {
			c.Prevention++
		}
		if it.DaysOverdue(listToday) > 0 {
			c.Late++
		}
		c.Items = append(c.Items, debrief.ActionRow{Ref: r.Ref, Item: r.Item})
	}
	flag := func(b bool) int {
		if b {
			return 1
		}
		return 0
	}
	for _, c := range cells {
		slices.SortStableFunc(c.Items, func(x, y debrief.ActionRow) int {
			return cmp.Or(
				cmp.Compare(flag(x.Item.Purpose != debrief.PurposePrevention),
					flag(y.Item.Purpose != debrief.PurposePrevention)),
				cmp.Compare(flag(x.Item.Status.Closed()), flag(y.Item.Status.Closed())),
				cmp.Compare(flag(x.Item.DaysOverdue(listToday) == 0),
					flag(y.Item.DaysOverdue(listToday) == 0)))
		})
		c.Items = c.Items[:min(len(c.Items), perCell)]
		for i := range c.Items {
			c.Items[i] = debrief.ActionRow{Ref: c.Items[i].Ref}
		}
		m.Cells = append(m.Cells, *c)
	}
	slices.SortFunc(m.Cells, func(x, y debrief.ActionCell) int {
		return cmp.Or(cmp.Compare(x.Impact, y.Impact), cmp.Compare(x.Effort, y.Effort))
	})
	return m
}

// TestActionListsHideRestrictedReports: a reader not named in a restricted
// report neither sees nor counts its items, on any page or in the matrix;
// one named in it does.
func TestActionListsHideRestrictedReports(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		open := fullReport("pm-open")
		open.Visibility = debrief.VisibilityInternal
		mustSave(t, db, open)
		secret := fullReport("pm-secret")
		secret.Incident.ID = "inc-secret"
		secret.Visibility = debrief.VisibilityRestricted
		secret.Authors = []string{"Vault Keeper"}
		mustSave(t, db, secret)
		for i := range secret.ActionItems {
			secret.ActionItems[i].Impact, secret.ActionItems[i].Effort =
				debrief.LevelHigh, debrief.LevelLow
		}
		mustSave(t, db, secret)

		for _, tt := range []struct {
			reader *debrief.Actor
			total  int
		}{
			{&debrief.Actor{Name: "zed", Role: debrief.AccessViewer}, 2},
			{&debrief.Actor{Name: "vk", DisplayName: "vault keeper",
				Role: debrief.AccessViewer}, 4},
			{&debrief.Actor{Name: "root", Role: debrief.AccessAdmin}, 4},
		} {
			var seen []string
			for offset := 0; offset < 4; offset++ {
				page, err := db.ActionPage(ctx, debrief.ActionFilter{Reader: tt.reader,
					Open: true, Limit: 1, Offset: offset}, 12)
				if err != nil {
					t.Fatal(err)
				}
				counted := page.Matrix.Unrated
				for _, c := range page.Matrix.Cells {
					counted += c.Count
					for _, r := range c.Items {
						seen = append(seen, r.Ref.PostmortemID)
					}
				}
				if page.Total != tt.total || counted != tt.total {
					t.Errorf("%s: %d items, %d in the matrix, want %d", tt.reader.Name,
						page.Total, counted, tt.total)
				}
				seen = append(seen, refsOf(page.Rows)...)
			}
			n, _ := db.ActionPage(ctx, debrief.ActionFilter{Reader: tt.reader, Open: true,
				Limit: 10}, 0)
			if n.Total != tt.total {
				t.Errorf("%s: %d items counted without the matrix, want %d", tt.reader.Name,
					n.Total, tt.total)
			}
			leaked := slices.ContainsFunc(seen, func(s string) bool {
				return s == "pm-secret" || len(s) > 9 && s[:9] == "pm-secret"
			})
			if leaked != (tt.total == 4) {
				t.Errorf("%s: the restricted report's items shown: %v", tt.reader.Name, leaked)
			}
		}
	})
}
