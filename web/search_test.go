package web

import (
	"html/template"
	"net/http"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

func TestSearchPage(t *testing.T) {
	reports := append(listReports(), fullReport())
	_, b := readerServer(t, openStore(t, reports...), WithPageSize(2))

	tests := []struct {
		name     string
		path     string
		status   int
		wants    []string
		unwanted []string
	}{
		{"empty box shows only the form", "/search", 200,
			[]string{`<input id="search-q" type="search" name="q" value=""`},
			[]string{"result"}},
		{"hits highlighted and counted", "/search?q=purge", 200, []string{
			`1 result for “purge”, showing 1–1.`,
			`CDN cache <mark>purge</mark> storm`,
			`<a href="/postmortems/c">CDN cache purge storm</a>`,
			`value="purge"`, // kept in the page's box and the header's
		}, nil},
		{"query kept in header box", "/search?q=outage", 200, []string{
			`<input id="site-search-q" type="search" name="q" value="outage"`,
			`<title>Search: outage · debrief</title>`,
		}, nil},
		{"paged results keep the query", "/search?q=summary", 200, []string{
			`5 results for “summary”, showing 1–2.`,
			`rel="next" href="/search?page=2&amp;q=summary"`,
		}, nil},
		{"second page", "/search?q=summary&page=3", 200, []string{
			`showing 5–5.`, `rel="prev" href="/search?page=2&amp;q=summary"`,
		}, nil},
		{"filter by service", "/search?q=summary&service=cdn", 200, []string{
			`2 results for “summary”`,
			`<option value="cdn" selected>cdn (2)</option>`,
		}, nil},
		{"filter by severity", "/search?q=summary&severity=P4", 200, []string{
			`1 result for “summary”`, `Email queue backlog`,
		}, nil},
		{"no hits", "/search?q=zebra", 200,
			[]string{`No postmortems match “zebra”.`}, nil},
		{"bad page", "/search?q=x&page=-1", 400,
			[]string{"The page number must be a positive number."}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := b.fetch(tt.path)
			if res.status != tt.status {
				t.Fatalf("status = %d, want %d", res.status, tt.status)
			}
			assertContains(t, tt.path, res.body, tt.wants...)
			assertNotContains(t, tt.path, res.body, tt.unwanted...)
		})
	}
}

// TestSearchSnippetsArePlainText: snippets are cut from Markdown fields, and
// their syntax, even half of a link or code span, is not shown.
func TestSearchSnippetsArePlainText(t *testing.T) {
	_, b := readerServer(t, openStore(t, fullReport()))
	tests := map[string]string{
		"minutes":  `For 64 <mark>minutes</mark> checkout failed`,
		"pool":     `payments connection <mark>pool</mark>. Background The <mark>pool</mark>`,
		"rollback": `Step Owner <mark>Rollback</mark> SRE rolled back`,
	}
	for q, want := range tests {
		body := b.fetch("/search?q=" + q).body
		assertContains(t, q, body, want)
		for _, syntax := range []string{"**", "##", "`", "|", "[x]"} {
			if i := strings.Index(body, `<p class="snippet">`); i >= 0 &&
				strings.Contains(body[i:i+strings.Index(body[i:], "</p>")], syntax) {
				t.Errorf("%s: snippet shows %q", q, syntax)
			}
		}
	}
}

// TestSearchRefusedQuery shows a query the store cannot parse beside the
// box, with its message, instead of on a bare error page.
func TestSearchRefusedQuery(t *testing.T) {
	store := &faultyStore{
		Store:     openStore(t, listReports()...),
		searchErr: debrief.Errorf(debrief.KindInvalid, "The search has an unclosed quote."),
	}
	_, b := readerServer(t, store)
	res := b.fetch(`/search?q=%22dns`)
	if res.status != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400", res.status)
	}
	assertContains(t, "refused query", res.body,
		`<p class="form-error" role="alert">The search has an unclosed quote.</p>`,
		`value="&#34;dns"`, `aria-invalid="true"`)
}

func TestHighlight(t *testing.T) {
	const s, e = debrief.HighlightStart, debrief.HighlightEnd
	tests := []struct {
		name, in string
		want     template.HTML
	}{
		{"plain", "no match here", "no match here"},
		{"one term", "the " + s + "database" + e + " was full",
			"the <mark>database</mark> was full"},
		{"escaped before marking", s + "<script>" + e + "alert(1)</script>",
			"<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;"},
		{"markers inside escaped text", `a & b "` + s + `q` + e + `"`,
			`a &amp; b &#34;<mark>q</mark>&#34;`},
		{"unclosed marker is closed", s + "open", "<mark>open</mark>"},
		{"stray end ignored", "x" + e + "y", "xy"},
		{"doubled start ignored", s + s + "a" + e + e, "<mark>a</mark>"},
		{"utf-8 kept", "blåbær " + s + "søk" + e, "blåbær <mark>søk</mark>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := highlight(tt.in); got != tt.want {
				t.Errorf("highlight(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
