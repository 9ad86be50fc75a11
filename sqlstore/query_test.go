package sqlstore

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"
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

func TestParseSearchTSQuery(t *testing.T) {
	q := parseSearch(`"connection pool" dns OR resolv* -timeout`)
	var args []any
	got := q.tsquery(func(a any) string {
		args = append(args, a)
		return "$" + string(rune('0'+len(args)))
	})
	want := `(websearch_to_tsquery('english', $1)) && ` +
		`(websearch_to_tsquery('english', $2) || to_tsquery('english', $3)) && ` +
		`!!websearch_to_tsquery('english', $4)`
	if got != want {
		t.Errorf("tsquery = %s\nwant %s", got, want)
	}
	wantArgs := []any{`"connection pool"`, "dns", "resolv:*", "timeout"}
	for i := range wantArgs {
		if i >= len(args) || args[i] != wantArgs[i] {
			t.Fatalf("args = %q, want %q", args, wantArgs)
		}
	}
}

var fuzzDB struct {
	once sync.Once
	db   *sql.DB
	err  error
}

// ftsTable returns an in-memory FTS5 table configured as the store's.
func ftsTable(t testing.TB) *sql.DB {
	fuzzDB.once.Do(func() {
		db, err := sql.Open("sqlite", "file::memory:")
		if err != nil {
			fuzzDB.err = err
			return
		}
		db.SetMaxOpenConns(1)
		_, err = db.Exec(`CREATE VIRTUAL TABLE f USING fts5 (title, summary, body,
			tokenize = 'porter unicode61 remove_diacritics 2');
			INSERT INTO f VALUES ('Database failover', 'the api-gateway failed', 'résumé of DNS');`)
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
		`database NOT redis`, `NOT`, `AND`, `a AND NOT "b c"`, `NOT NOT x`, `x OR NOT y*`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := parseSearch(s)
		if q.empty() {
			return
		}
		expr := q.fts5()
		var n int
		err := ftsTable(t).QueryRowContext(context.Background(),
			`SELECT count(*) FROM f WHERE f MATCH $1`, expr).Scan(&n)
		if err != nil {
			t.Fatalf("input %q rendered as %q: %v", s, expr, err)
		}
		if strings.Count(expr, `"`)%2 != 0 {
			t.Fatalf("unbalanced quotes in %q", expr)
		}
	})
}
