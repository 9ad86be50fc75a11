package web

import (
	"net/url"
	"testing"

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
