package web

import "testing"

// The action item lists over the corpus replicated to 10,000 reports
// (benchServer): every open item is read and ranked on each request, and
// a page of them drawn with the matrix of all.

// BenchmarkActionListPage renders GET /actions, the open items of all
// reports.
func BenchmarkActionListPage(b *testing.B) {
	benchRequests(b, func(string) string { return "/actions" })
}

// BenchmarkAPIActions answers GET /api/v1/actions, its first page.
func BenchmarkAPIActions(b *testing.B) {
	benchRequests(b, func(string) string { return "/api/v1/actions" })
}
