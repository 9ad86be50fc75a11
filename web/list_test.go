package web

import (
	"net/http"
	"strings"
	"testing"
)

// rowTitles returns, in page order, which of the list fixtures' titles the
// body shows, so a test can assert both filtering and order.
func rowTitles(body string) []string {
	type pos struct {
		title string
		at    int
	}
	var found []pos
	for _, p := range listReports() {
		if i := strings.Index(body, ">"+p.Title+"</a>"); i >= 0 {
			found = append(found, pos{p.Title, i})
		}
	}
	for i := 1; i < len(found); i++ { // insertion sort: five items at most
		for j := i; j > 0 && found[j].at < found[j-1].at; j-- {
			found[j], found[j-1] = found[j-1], found[j]
		}
	}
	titles := make([]string, len(found))
	for i, f := range found {
		titles[i] = f.title
	}
	return titles
}

const (
	authTitle = "Auth tokens expired early"
	billing   = "Billing batch ran twice"
	cdn       = "CDN cache purge storm"
	dns       = "DNS provider outage"
	email     = "Email queue backlog"
)

func TestListFiltersSortsAndPages(t *testing.T) {
	_, b := readerServer(t, openStore(t, listReports()...), WithPageSize(2))

	tests := []struct {
		name   string
		path   string
		status int
		titles []string
		wants  []string
	}{
		{"newest first by default", "/", 200, []string{cdn, email},
			[]string{"Showing 1–2 of 5 postmortems", `rel="next" href="/?page=2"`}},
		{"second page", "/?page=2", 200, []string{billing, authTitle},
			[]string{"Showing 3–4 of 5", `rel="prev" href="/"`, `href="/?page=3"`}},
		{"last page has no next", "/?page=3", 200, []string{dns},
			[]string{"Page 3 of 3"}},
		{"oldest first", "/?sort=date_asc", 200, []string{dns, authTitle},
			[]string{`<option value="date_asc" selected>`}},
		{"by title", "/?sort=title&page=2", 200, []string{cdn, dns},
			[]string{`href="/?sort=title"`, `href="/?page=3&amp;sort=title"`}},
		{"by service", "/?service=cdn", 200, []string{cdn, dns},
			[]string{`<option value="cdn" selected>cdn (2)</option>`, "Clear filters"}},
		{"by severity", "/?severity=P1&sort=date_asc", 200, []string{dns, cdn},
			[]string{`<option value="P1" selected>P1 (2)</option>`}},
		{"by category", "/?category=Performance", 200, []string{cdn, email}, nil},
		{"by year", "/?year=2024", 200, []string{cdn, email},
			[]string{"Showing 1–2 of 3", `<option value="2024" selected>2024 (3)</option>`,
				`href="/?page=2&amp;year=2024"`}},
		{"filters combine", "/?year=2024&service=cdn", 200, []string{cdn}, nil},
		{"nothing matches", "/?service=nope", 200, nil,
			[]string{"No postmortems match these filters.",
				`<option value="nope" selected>nope (0)</option>`}},
		{"by status", "/?status=final", 200, []string{cdn, email},
			[]string{"Showing 1–2 of 5", `<option value="final" selected>Final</option>`}},
		{"no drafts", "/?status=draft", 200, nil, []string{"No postmortems match these filters."}},
		{"bad status", "/?status=nope", 400, nil, []string{`unknown status &#34;nope&#34;`}},
		{"bad severity", "/?severity=P9", 400, nil, []string{`severity &#34;P9&#34; is not one`}},
		{"bad year", "/?year=twenty", 400, nil, []string{"The year must be a four-digit year."}},
		{"bad sort", "/?sort=random", 400, nil, []string{"Unknown sort order."}},
		{"bad page", "/?page=0", 400, nil, []string{"The page number must be a positive number."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := b.fetch(tt.path)
			if res.status != tt.status {
				t.Fatalf("status = %d, want %d", res.status, tt.status)
			}
			if got := rowTitles(res.body); strings.Join(got, "|") != strings.Join(tt.titles, "|") {
				t.Errorf("rows = %q, want %q", got, tt.titles)
			}
			assertContains(t, tt.path, res.body, tt.wants...)
		})
	}
}

func TestListRowShowsSummaryFields(t *testing.T) {
	_, b := readerServer(t, openStore(t, fullReport()))
	res := b.fetch("/")
	if res.status != http.StatusOK {
		t.Fatalf("status = %d", res.status)
	}
	assertContains(t, "list row", res.body,
		`<a href="/postmortems/pm-2024-031">Checkout outage from a connection-pool setting</a>`,
		`<time datetime="2024-03-07T14:00:00Z">2024-03-07</time>`,
		`<span class="sev sev-p1" title="Severity P1">P1</span>`,
		"Configuration",
		`<span class="service">checkout</span>, <span class="service">payments-api</span>`,
		`<span class="status status-final">Final</span>`,
		"7 events", "2 action items",
		`<p class="summary">For 64 minutes checkout failed`, // plain text, not Markdown
		`<option value="checkout">checkout (1)</option>`,
		`<option value="P1">P1 (1)</option>`,
	)
	assertNotContains(t, "list row", res.body, "**64", "<strong>")
}

// TestPagePastTheEnd: a page after the last one, on the list or a search,
// says so and leads back to the last page, keeping filters and query,
// instead of showing "Page 14 of 3".
func TestPagePastTheEnd(t *testing.T) {
	_, b := readerServer(t, openStore(t, listReports()...), WithPageSize(2))

	tests := []struct {
		name, path string
		wants      []string
	}{
		{"list", "/?page=14&sort=title", []string{
			"5 postmortems.", "There is no page 14 here.",
			`<a href="/?page=3&amp;sort=title">Go to the last page, 3</a>`,
		}},
		{"filtered list on one page", "/?page=2&service=cdn", []string{
			"There is no page 2 here.", `<a href="/?service=cdn">Go to the first page</a>`,
		}},
		{"list with nothing", "/?page=2&service=nope", []string{
			"No postmortems match these filters.",
			`<a href="/?service=nope">Go to the first page</a>`,
		}},
		{"search", "/search?q=summary&page=14", []string{
			"5 results for “summary”.", "There is no page 14 here.",
			`<a href="/search?page=3&amp;q=summary">Go to the last page, 3</a>`,
		}},
		{"search with no hits", "/search?q=zebra&page=3", []string{
			"No postmortems match “zebra”.",
			`<a href="/search?q=zebra">Go to the first page</a>`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := b.fetch(tt.path)
			if res.status != http.StatusNotFound {
				t.Errorf("status = %d, want 404", res.status)
			}
			assertContains(t, tt.path, res.body, tt.wants...)
			assertNotContains(t, tt.path, res.body, "Page 14 of", "Page 3 of", "Page 2 of",
				`class="report-row"`, `rel="prev"`, `rel="next"`)
		})
	}
}
