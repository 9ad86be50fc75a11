package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

func searchIDs(t *testing.T, db *sqlstore.DB, q debrief.SearchQuery) ([]string,
	*debrief.SearchResult) {
	t.Helper()
	res, err := db.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("search %q: %v", q.Text, err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids, res
}

func TestSearchQueries(t *testing.T) {
	tests := []struct {
		name string
		q    debrief.SearchQuery
		want []string // in rank order when it matters, else sorted by the test
	}{
		{"title match ranks above body match", debrief.SearchQuery{Text: "failover"},
			[]string{"failover", "dns"}},
		{"stemmed", debrief.SearchQuery{Text: "failures"}, []string{"dns"}},
		{"phrase", debrief.SearchQuery{Text: `"replica promoted"`}, []string{"failover"}},
		{"phrase not in order", debrief.SearchQuery{Text: `"promoted replica"`}, nil},
		{"prefix", debrief.SearchQuery{Text: "resolv*"}, []string{"dns"}},
		{"prefix of a word stemmed shorter", debrief.SearchQuery{Text: "replicati*"},
			[]string{"failover"}},
		{"prefix in the title", debrief.SearchQuery{Text: "resolutio*"}, []string{"dns"}},
		{"prefix and word", debrief.SearchQuery{Text: "database resolutio*"}, []string{"dns"}},
		{"prefix or word", debrief.SearchQuery{Text: "typo OR resolutio*"},
			[]string{"config", "dns"}},
		{"two clauses mixing prefix and word", debrief.SearchQuery{
			Text: "typo OR resolutio* routing OR upstrea*"}, []string{"config", "dns"}},
		{"prefix excluded", debrief.SearchQuery{Text: "database -replicati*"},
			[]string{"config", "dns"}},
		{"word excluded from prefix", debrief.SearchQuery{Text: "resolutio* -database"}, nil},
		{"prefix filtered", debrief.SearchQuery{Text: "resolv*", Severity: "P1"}, nil},
		{"prefix phrase", debrief.SearchQuery{Text: "api-gatew*"}, []string{"config", "failover"}},
		{"exclusion", debrief.SearchQuery{Text: "failover -resolver"}, []string{"failover"}},
		{"NOT excludes", debrief.SearchQuery{Text: "failover NOT resolver"}, []string{"failover"}},
		{"AND joins", debrief.SearchQuery{Text: "database AND typo"}, []string{"config"}},
		{"or", debrief.SearchQuery{Text: "typo OR resolver"}, []string{"config", "dns"}},
		{"hyphenated", debrief.SearchQuery{Text: "api-gateway"}, []string{"config", "failover"}},
		{"service filter", debrief.SearchQuery{Text: "failover", Service: "dns"}, []string{"dns"}},
		{"service filter in another case", debrief.SearchQuery{Text: "failover",
			Service: "PostgreS"}, []string{"failover"}},
		{"category filter", debrief.SearchQuery{Text: "database",
			Category: debrief.CategoryConfiguration}, []string{"config"}},
		{"severity filter", debrief.SearchQuery{Text: "failover", Severity: "P1"},
			[]string{"failover"}},
		{"tag is indexed", debrief.SearchQuery{Text: "network"}, []string{"dns"}},
		{"lesson is indexed", debrief.SearchQuery{Text: "validation"}, []string{"config"}},
		{"factor is indexed", debrief.SearchQuery{Text: "upstream resolver"}, []string{"dns"}},
		{"action item is indexed", debrief.SearchQuery{Text: "automate"}, []string{"failover"}},
		{"empty", debrief.SearchQuery{Text: "  "}, nil},
		{"only stopwords", debrief.SearchQuery{Text: "the of and"}, nil},
		{"only exclusions", debrief.SearchQuery{Text: "-database"}, nil},
	}
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		saveCorpus(t, db)
		for _, tt := range tests {
			got, res := searchIDs(t, db, tt.q)
			if !strings.HasPrefix(tt.name, "title match") {
				sortStrings(got)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("%s: %q hits (-want +got):\n%s", tt.name, tt.q.Text, diff)
			}
			if res.Total != len(tt.want) {
				t.Errorf("%s: total = %d, want %d", tt.name, res.Total, len(tt.want))
			}
		}
	})
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func TestSearchHitFields(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		saveCorpus(t, db)
		_, res := searchIDs(t, db, debrief.SearchQuery{Text: "replica"})
		if len(res.Hits) != 1 {
			t.Fatalf("hits = %+v, want one", res.Hits)
		}
		h := res.Hits[0]
		want := debrief.SearchHit{ID: "failover", Title: "Database failover took too long",
			Severity: "P1", Category: debrief.CategoryAvailability,
			Services: []string{"postgres", "api-gateway"}, StartedAt: at("2024-03-01T10:00:00Z")}
		got := h
		got.Snippet, got.Rank = "", 0
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("hit (-want +got):\n%s", diff)
		}
		mark := debrief.HighlightStart + "Replica" + debrief.HighlightEnd
		if !strings.Contains(h.Snippet, mark) {
			t.Errorf("snippet %q does not mark %q", h.Snippet, mark)
		}
		if h.Rank <= 0 {
			t.Errorf("rank = %v, want positive", h.Rank)
		}
	})
}

func TestSearchPrefixHit(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		saveCorpus(t, db)
		_, res := searchIDs(t, db, debrief.SearchQuery{Text: "replicati*"})
		if len(res.Hits) != 1 {
			t.Fatalf("hits = %+v, want one", res.Hits)
		}
		h := res.Hits[0]
		mark := debrief.HighlightStart + "replication" + debrief.HighlightEnd
		if !strings.Contains(h.Snippet, mark) {
			t.Errorf("snippet %q does not mark %q", h.Snippet, mark)
		}
		if h.Rank <= 0 {
			t.Errorf("rank = %v, want positive", h.Rank)
		}
	})
}

func TestSearchPages(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		saveCorpus(t, db)
		all, _ := searchIDs(t, db, debrief.SearchQuery{Text: "database"})
		if len(all) != 3 {
			t.Fatalf("database hits = %v, want 3", all)
		}
		var paged []string
		for off := 0; off < 3; off++ {
			got, res := searchIDs(t, db, debrief.SearchQuery{Text: "database", Limit: 1,
				Offset: off})
			if res.Total != 3 {
				t.Errorf("offset %d: total = %d, want 3", off, res.Total)
			}
			paged = append(paged, got...)
		}
		if diff := cmp.Diff(all, paged); diff != "" {
			t.Errorf("pages differ from one query (-all +paged):\n%s", diff)
		}
	})
}

func TestSearchHostileQueries(t *testing.T) {
	queries := []string{`"unbalanced`, `api-gateway`, `-`, `OR`, `*`, `OR OR`, `a OR`, `"`,
		`""`, `NEAR(a b)`, `title:database`, `database^2`, `(database`, `database)`, `'`,
		`--database`, `-"`, `***`, `AND NOT`, `{a b}`, "\x00", "ö*", `"data" base"`, `+a`,
		`database -`, `OR database`, `-OR`, `"OR"`, `NOT database`}
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		saveCorpus(t, db)
		for _, q := range queries {
			if _, err := db.Search(context.Background(), debrief.SearchQuery{Text: q}); err != nil {
				t.Errorf("search %q: %v", q, err)
			}
		}
	})
}

func TestSearchTiesInIDOrder(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		// Alike reports rank alike. They are saved out of ID order, so that
		// neither insertion order nor row ids can pass for ID order. The
		// report that ranks first is saved last.
		for _, id := range []string{"tie-c", "tie-a", "tie-e", "tie-d", "tie-b"} {
			save(t, db, &debrief.Postmortem{ID: id, Title: "Identical outage",
				Incident: debrief.Incident{Services: []string{"ledger"}},
				Summary:  debrief.Summary{ExecutiveSummary: "The ledger stalled."}})
		}
		save(t, db, &debrief.Postmortem{ID: "tie-z", Title: "Outage after outage",
			Incident: debrief.Incident{Services: []string{"ledger"}},
			Summary:  debrief.Summary{ExecutiveSummary: "The ledger stalled."}})
		want := []string{"tie-z", "tie-a", "tie-b", "tie-c", "tie-d", "tie-e"}

		for _, text := range []string{"outage", "outag*", "outage OR outag*"} {
			for _, service := range []string{"", "ledger"} {
				q := debrief.SearchQuery{Text: text, Service: service}
				all, _ := searchIDs(t, db, q)
				if diff := cmp.Diff(want, all); diff != "" {
					t.Errorf("%q, service %q: order (-want +got):\n%s", text, service, diff)
				}
				for _, limit := range []int{1, 2, 4} {
					var paged []string
					for off := 0; off < len(want); off += limit {
						q.Limit, q.Offset = limit, off
						got, _ := searchIDs(t, db, q)
						paged = append(paged, got...)
					}
					if diff := cmp.Diff(want, paged); diff != "" {
						t.Errorf("%q, service %q, pages of %d (-want +got):\n%s",
							text, service, limit, diff)
					}
				}
			}
		}
	})
}

// markdownReport has inline Markdown in its text, as imported reports do.
func markdownReport() *debrief.Postmortem {
	return &debrief.Postmortem{ID: "md", Title: "`etcd` quorum lost",
		Summary: debrief.Summary{ExecutiveSummary: "**Root causes:** the [etcd runbook]" +
			"(http://wiki.example.com/etcd) was _stale_ and the <b>quorum</b> check missing."}}
}

// checkPlainSnippet searches the markdown report and checks that its
// snippet shows the text without the syntax around it.
func checkPlainSnippet(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	for _, q := range []string{"runbook", "runb*"} {
		_, res := searchIDs(t, db, debrief.SearchQuery{Text: q})
		if len(res.Hits) != 1 {
			t.Fatalf("%q hits = %+v, want one", q, res.Hits)
		}
		s := strings.NewReplacer(debrief.HighlightStart, "", debrief.HighlightEnd, "").
			Replace(res.Hits[0].Snippet)
		if !strings.Contains(s, "Root causes: the etcd runbook was stale and the quorum check") {
			t.Errorf("%q snippet %q is not plain text", q, s)
		}
		for _, syntax := range []string{"**", "](", "http", "<b>", "`", "_stale"} {
			if strings.Contains(s, syntax) {
				t.Errorf("%q snippet %q shows %q", q, s, syntax)
			}
		}
	}
	if ids, _ := searchIDs(t, db, debrief.SearchQuery{Text: "wiki"}); ids != nil {
		t.Errorf("link address is indexed: wiki finds %v", ids)
	}
}

func TestSearchSnippetsArePlainText(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		save(t, db, markdownReport())
		checkPlainSnippet(t, db)
	})
}

func TestMigrationStripsMarkdownOfSavedReports(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		p := markdownReport()
		save(t, db, p)
		// As saved before the text was stripped:
		if err := db.MigrateDownTo(ctx, 3); err != nil {
			t.Fatal(err)
		}
		if err := db.SetSearchText(ctx, p.ID, p.Title, p.Summary.ExecutiveSummary, ""); err != nil {
			t.Fatal(err)
		}
		if _, res := searchIDs(t, db, debrief.SearchQuery{Text: "runbook"}); len(res.Hits) != 1 ||
			!strings.Contains(res.Hits[0].Snippet, "**") {
			t.Fatalf("raw text not in place: hits %+v", res.Hits)
		}

		if err := db.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		checkPlainSnippet(t, db)
	})
}

// TestSnippetsCannotBeForged: text holding the highlight markers, as an
// import may bring, marks nothing in a snippet.
func TestSnippetsCannotBeForged(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		p := &debrief.Postmortem{ID: "forged", Title: "Zebra outage",
			Summary: debrief.Summary{Narrative: "The zebra cache \x02FAKE HIT\x03 failed."}}
		save(t, db, p)
		res, err := db.Search(context.Background(), debrief.SearchQuery{Text: "zebra"})
		if err != nil || len(res.Hits) != 1 {
			t.Fatalf("search: %+v, %v", res, err)
		}
		if s := res.Hits[0].Snippet; strings.Contains(s, debrief.HighlightStart+"FAKE") {
			t.Errorf("snippet %q marks words the search did not find", s)
		}
	})
}
