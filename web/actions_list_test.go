package web

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/debrief-oss/debrief"

	"github.com/google/go-cmp/cmp"
)

// FuzzActionFilters: any query string is read or refused without a
// panic, and filters written back as a query read as the same filters,
// so the pager, the CSV link and the form keep what the reader chose.
func FuzzActionFilters(f *testing.F) {
	for _, s := range []string{"", "status=all&overdue=1", "quadrant=quick-win&team=storage",
		"owner=%20Ana%20&stalled=yes&mine=on", "overdue=maybe", "status=&quadrant=Fill_In",
		"category=Change+Management&service=db"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		got, err := parseActionFilters(q)
		if err != nil {
			return
		}
		again, err := parseActionFilters(got.values())
		if err != nil {
			t.Fatalf("the filters written back are refused: %v (%q)", err, got.values().Encode())
		}
		if diff := cmp.Diff(got, again); diff != "" {
			t.Fatalf("filters change when written back (-first +again):\n%s", diff)
		}
	})
}

// bulkReport holds n open quick wins owned by bulk, so that a list runs to
// more than one page and its matrix cell overflows.
func bulkReport(n int) *debrief.Postmortem {
	p := &debrief.Postmortem{ID: "bulk", Title: "Many small fixes",
		Status: debrief.StatusFinal, Visibility: debrief.VisibilityInternal, Version: 1,
		Incident: debrief.Incident{ID: "INC-9", Title: "Many", Severity: "P3",
			StartedAt: at("2026-01-05 10:00")}}
	for i := range n {
		p.ActionItems = append(p.ActionItems, debrief.ActionItem{Number: i + 1,
			Description: fmt.Sprintf("Small fix %d", i+1), Owner: "bulk",
			Impact: debrief.LevelHigh, Effort: debrief.LevelLow,
			Status: debrief.ActionOpen})
	}
	return p
}

// TestActionListPagesAndMatrixCounts: the list's pages come from the store
// a page at a time, and its matrix counts every item while drawing only
// the first of each cell.
func TestActionListPagesAndMatrixCounts(t *testing.T) {
	eachActionEnv(t, func(t *testing.T, e *actionEnv) {
		restore(t, e.store, bulkReport(150))
		root := e.as("root", debrief.AccessAdmin)

		first := root.fetch("/actions")
		if first.status != http.StatusOK {
			t.Fatalf("status %d", first.status)
		}
		got := listed(first.body)
		// The fixtures' two open quick wins are prevention items and rank
		// before the bulk's; then the bulk's in number order.
		if len(got) != actionPageSize || got[0] != "replica-lag#1" ||
			got[1] != "vault-sealed#1" || got[2] != "bulk#1" || got[99] != "bulk#98" {
			t.Fatalf("first page: %d items %v…", len(got), got[:min(len(got), 3)])
		}
		// 152 quick wins in one cell: 11 badges and a count of the rest.
		assertContains(t, "first page", first.body, "Showing 1–100 of 154 action items.",
			"&#43;141 more", "Quick wins (152)", "154 action items by impact and effort")

		second := root.fetch("/actions?page=2")
		got = listed(second.body)
		if second.status != http.StatusOK || len(got) != 54 || got[0] != "bulk#99" ||
			got[53] != "replica-lag#2" {
			t.Errorf("second page: status %d, %d items %v", second.status, len(got), got)
		}
		if past := root.fetch("/actions?page=3"); past.status != http.StatusNotFound ||
			len(listed(past.body)) != 0 {
			t.Errorf("past the end: status %d, items %v", past.status, listed(past.body))
		}

		// The API's pages count the same.
		api := e.tokenOf("vic", debrief.AccessViewer)
		var list apiActionList
		api.call("GET", "/api/v1/actions?limit=3&offset=151", nil).
			want(t, http.StatusOK).decode(t, &list)
		if list.Total != 153 || len(list.Items) != 2 ||
			list.Items[1].Ref.String() != "replica-lag#2" {
			t.Errorf("the API's last page: total %d, %+v", list.Total, list.Items)
		}
	})
}
