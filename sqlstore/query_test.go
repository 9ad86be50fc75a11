package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSearchFTS5(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" when the query is empty
	}{
		{`database`, `(("database"))`},
		{`database -dns`, `(("database")) NOT "dns"`},
		{`api-gateway`, `(("api gateway"))`},
		{`"connection pool" exhausted`, `(("connection pool") AND ("exhausted"))`},
		{`"unbalanced quote`, `(("unbalanced quote"))`},
		{`resolv*`, `(("resolv"*))`},
		{`dns OR resolver timeout`, `(("dns" OR "resolver") AND ("timeout"))`},
		{`OR dns OR`, `(("dns"))`},
		{`The Outage`, `(("outage"))`},
		{`"the outage"`, `(("the outage"))`},
		{`-"root cause" failover`, `(("failover")) NOT "root cause"`},
		{`Ünïcode café`, `(("ünïcode") AND ("café"))`},
		{`say "it's" NEAR(x)`, `(("say") AND ("it s") AND ("near x"))`},
		{`database NOT redis`, `(("database")) NOT "redis"`},
		{`database AND redis`, `(("database") AND ("redis"))`},
		{`NOT "root cause" failover`, `(("failover")) NOT "root cause"`},
		{`dns OR NOT resolver timeout`, `(("dns") AND ("timeout")) NOT "resolver"`},
		{`database NOT NOT redis`, `(("database")) NOT "redis"`},
		{`database NOT`, `(("database"))`},
		{`database not redis`, `(("database") AND ("redis"))`},
		{`"NOT" database`, `(("not") AND ("database"))`},
		{`AND database AND`, `(("database"))`},
		{`the and of`, ``},
		{`NOT database`, ``},
		{`-database`, ``},
		{`- * OR "" -`, ``},
		{``, ``},
	}
	for _, tt := range tests {
		q := parseSearch(tt.in)
		got := ""
		if !q.empty() {
			got = q.fts5()
		}
		if got != tt.want {
			t.Errorf("parseSearch(%q).fts5() = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestParseSearchPostgres(t *testing.T) {
	q := parseSearch(`"connection pool" dns OR resolv* inciden* -timeout -deploy*`)
	var args []any
	got := q.postgres(func(a any) string {
		args = append(args, a)
		return "$" + string(rune('0'+len(args)))
	})
	want := pgSearch{
		match: `d.document @@ ((websearch_to_tsquery('english', $1))) AND ` +
			`d.words @@ ((to_tsquery('simple', $4))) AND ` +
			`(d.document @@ (websearch_to_tsquery('english', $2)) OR ` +
			`d.words @@ (to_tsquery('simple', $3))) AND ` +
			`NOT d.document @@ (websearch_to_tsquery('english', $5)) AND ` +
			`NOT d.words @@ (to_tsquery('simple', $6))`,
		rank: `ts_rank_cd(d.document, websearch_to_tsquery('english', $1) || ` +
			`websearch_to_tsquery('english', $2)) + ` +
			`ts_rank_cd(d.words, to_tsquery('simple', $3) || to_tsquery('simple', $4))`,
		config: "english",
		marked: `websearch_to_tsquery('english', $1) || websearch_to_tsquery('english', $2)`,
	}
	if got != want {
		t.Errorf("postgres =\n%+v\nwant\n%+v", got, want)
	}
	wantArgs := []any{`"connection pool"`, "dns", "resolv:*", "inciden:*", "timeout", "deploy:*"}
	for i := range wantArgs {
		if len(args) != len(wantArgs) || args[i] != wantArgs[i] {
			t.Fatalf("args = %q, want %q", args, wantArgs)
		}
	}

	got = parseSearch(`inciden*`).postgres(func(any) string { return "$1" })
	if got.config != "simple" || got.marked != `to_tsquery('simple', $1)` {
		t.Errorf("prefix only: headline with %s %s, want simple and the prefix", got.config,
			got.marked)
	}
}

func TestSQLitePlan(t *testing.T) {
	fts := func(expr string) ftsMatch { return ftsMatch{stemmedIndex, expr} }
	words := func(expr string) ftsMatch { return ftsMatch{wordsIndex, expr} }
	tests := []struct {
		in   string
		want sqlitePlan
	}{
		{`database -dns`, sqlitePlan{ranked: []ftsMatch{fts(`(("database")) NOT "dns"`)}}},
		{`inciden* -dns*`, sqlitePlan{ranked: []ftsMatch{words(`(("inciden"*)) NOT "dns"*`)}}},
		{`database inciden* -dns*`, sqlitePlan{
			ranked: []ftsMatch{fts(`(("database"))`)},
			filters: []ftsFilter{{any: []ftsMatch{words(`(("inciden"*))`)}},
				{not: true, any: []ftsMatch{words(`(("dns"*))`)}}},
		}},
		{`inciden* -dns`, sqlitePlan{
			ranked:  []ftsMatch{words(`(("inciden"*))`)},
			filters: []ftsFilter{{not: true, any: []ftsMatch{fts(`(("dns"))`)}}},
		}},
		{`dns OR resolv*`, sqlitePlan{
			ranked: []ftsMatch{fts(`(("dns"))`), words(`(("resolv"*))`)},
		}},
		{`dns OR resolv* cache OR evict* -ttl`, sqlitePlan{
			ranked: []ftsMatch{fts(`(("dns" OR "cache"))`), words(`(("resolv"* OR "evict"*))`)},
			filters: []ftsFilter{
				{any: []ftsMatch{fts(`(("dns"))`), words(`(("resolv"*))`)}},
				{any: []ftsMatch{fts(`(("cache"))`), words(`(("evict"*))`)}},
				{not: true, any: []ftsMatch{fts(`(("ttl"))`)}},
			},
		}},
	}
	for _, tt := range tests {
		got := parseSearch(tt.in).sqlitePlan()
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(sqlitePlan{}, ftsMatch{},
			ftsFilter{})); diff != "" {
			t.Errorf("plan of %q (-want +got):\n%s", tt.in, diff)
		}
	}
}

var fuzzDB struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// ftsTable returns in-memory FTS5 indexes tokenized as the store's two.
func ftsTable(t testing.TB) *sql.DB {
	fuzzDB.once.Do(func() {
		db, err := sql.Open("sqlite", "file::memory:")
		if err != nil {
			fuzzDB.err = err
			return
		}
		db.SetMaxOpenConns(1)
		_, err = db.Exec(`CREATE VIRTUAL TABLE search_fts USING fts5 (title, summary, body,
				tokenize = 'porter unicode61 remove_diacritics 2');
			CREATE VIRTUAL TABLE search_words USING fts5 (title, summary, body,
				tokenize = 'unicode61 remove_diacritics 2');
			INSERT INTO search_fts VALUES ('Database failover', 'the api-gateway failed',
				'résumé of DNS');
			INSERT INTO search_words SELECT * FROM search_fts;`)
		fuzzDB.db, fuzzDB.err = db, err
	})
	if fuzzDB.err != nil {
		t.Fatal(fuzzDB.err)
	}
	return fuzzDB.db
}

// FuzzFTSQuery checks that whatever a user types, the rendered query is one
// FTS5 accepts.
func FuzzFTSQuery(f *testing.F) {
	for _, s := range []string{`database -dns`, `api-gateway`, `"unbalanced`, `-`, `OR`, `*`,
		`"a b" OR c* -"d e"`, `NEAR(a b, 2)`, `col:term`, `a AND b NOT c`, `^start`, "\u0301x",
		"𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "中文 検索", "a\x00b", `x**`, `"" OR ""`,
		`database NOT redis`, `NOT`, `inciden* -dns*`, `dns OR resolv* x OR y* -z -w*`, `AND`, `a AND NOT "b c"`, `NOT NOT x`, `x OR NOT y*`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := parseSearch(s)
		if q.empty() {
			return
		}
		plan := q.sqlitePlan()
		matches := plan.ranked
		for _, f := range plan.filters {
			matches = append(matches, f.any...)
		}
		for _, m := range matches {
			var n int
			err := ftsTable(t).QueryRowContext(context.Background(),
				`SELECT count(*) FROM `+m.index+` WHERE `+m.index+` MATCH $1`, m.expr).Scan(&n)
			if err != nil {
				t.Fatalf("input %q rendered as %q: %v", s, m.expr, err)
			}
			if strings.Count(m.expr, `"`)%2 != 0 {
				t.Fatalf("unbalanced quotes in %q", m.expr)
			}
		}
	})
}
