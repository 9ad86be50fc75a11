package web

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("the export is not CSV: %v\n%s", err, body)
	}
	return rows
}

func TestActionsCSV(t *testing.T) {
	eachActionEnv(t, func(t *testing.T, e *actionEnv) {
		root := e.as("root", debrief.AccessAdmin)
		res := root.fetch("/actions.csv?status=all&service=orders-db")
		if res.status != http.StatusOK {
			t.Fatalf("status %d\n%s", res.status, res.body)
		}
		if ct := res.header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := res.header.Get("Content-Disposition"); cd !=
			`attachment; filename="action-items-2026-03-10.csv"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		rows := readCSV(t, res.body)
		if diff := cmp.Diff(actionCSVHeader, rows[0]); diff != "" {
			t.Errorf("header (-want +got):\n%s", diff)
		}
		if len(rows) != 6 {
			t.Fatalf("%d rows, want the header and 5 items:\n%s", len(rows), res.body)
		}
		base := e.ts.URL
		want := []string{"replica-lag", "1", "Replica lag on orders-db",
			"Alert on replica lag over 30 s", "cleo", "storage", "2026-03-01", "9", "open",
			"quick win", "high", "low", "prevention", "monitoring", "orders-db", "",
			"2026-03-10T12:00:00Z",
			base + "/postmortems/replica-lag/actions/1"}
		if diff := cmp.Diff(want, rows[1]); diff != "" {
			t.Errorf("first row (-want +got):\n%s", diff)
		}
		// Cells a spreadsheet would run as formulas are defused.
		formula := rows[2]
		if formula[3] != `'=HYPERLINK("http://evil.example","x")` || formula[4] != "'@ana" {
			t.Errorf("formula cells: %q, %q", formula[3], formula[4])
		}
		if rows[3][15] != "https://tracker.example/OPS-4" || rows[5][7] != "37" ||
			rows[4][8] != "verified" || rows[4][7] != "0" {
			t.Errorf("ticket %q, days overdue %q, %q %q", rows[3][15], rows[5][7], rows[4][8],
				rows[4][7])
		}

		// A viewer's export leaves out the restricted report; filters apply.
		vic := e.as("vic", debrief.AccessViewer)
		rows = readCSV(t, vic.fetch("/actions.csv?status=all").body)
		for _, r := range rows[1:] {
			if r[0] != "replica-lag" {
				t.Errorf("a viewer's export holds %s #%s", r[0], r[1])
			}
		}
		rows = readCSV(t, vic.fetch("/actions.csv?team=storage&overdue=1").body)
		if len(rows) != 3 || rows[1][1] != "1" || rows[2][1] != "2" {
			t.Errorf("storage's overdue items: %v", rows)
		}
		if res := vic.fetch("/actions.csv?quadrant=soon"); res.status != http.StatusBadRequest {
			t.Errorf("bad filter: status %d", res.status)
		}
	})
}

func TestSpreadsheetSafe(t *testing.T) {
	for in, want := range map[string]string{
		"=1+1": "'=1+1", "+44 20": "'+44 20", "-x": "'-x", "@SUM(A1)": "'@SUM(A1)",
		"\t=1": "'\t=1", "\r=1": "'\r=1", "plain": "plain", "": "", "a=b": "a=b",
	} {
		if got := spreadsheetSafe(in); got != want {
			t.Errorf("spreadsheetSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
