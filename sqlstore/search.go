package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/debrief-oss/debrief"
)

// Search runs a full-text query (see searchQuery for its syntax) and returns
// one page of hits, best first, with the total number of hits. Rank is
// larger for better hits on both dialects. A query with no searchable term
// (empty, only stopwords or only exclusions) has no hits.
func (db *DB) Search(ctx context.Context, sq debrief.SearchQuery) (*debrief.SearchResult, error) {
	q := parseSearch(sq.Text)
	if q.empty() {
		return &debrief.SearchResult{}, nil
	}
	res := &debrief.SearchResult{}
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		if sq.Reader, err = readerFor(ctx, tx, sq.Reader); err != nil {
			return err
		}
		if db.dialect == dialectPostgres {
			err = searchPostgres(ctx, tx, q, sq, res)
		} else {
			err = searchSQLite(ctx, tx, q, sq, res)
		}
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// searchFrom is the FROM clause of a search over the documents d, joining
// the report p and incident i only when a filter needs them.
func searchFrom(base string, sq debrief.SearchQuery) string {
	if !filtered(sq) {
		return base
	}
	return base + ` JOIN postmortems p ON p.id = d.postmortem_id
		JOIN incidents i ON i.id = p.incident_id`
}

// filtered reports whether the search narrows its hits by a report field,
// its visibility to the reader included.
func filtered(sq debrief.SearchQuery) bool {
	return sq.Service != "" || sq.Category != "" || sq.Severity != "" || restricts(sq.Reader)
}

// snippetTokens is roughly how many words a snippet shows.
const snippetTokens = 24

// searchSQLite ranks with bm25 as configured on both FTS5 indexes (the title
// weighted ten, the summary four, the rest one). Ranking and counting run
// over every match; snippets, which are costly, only for the page's hits.
// Hits of equal rank come in report ID order.
func searchSQLite(
	ctx context.Context,
	tx *sql.Tx,
	q searchQuery,
	sq debrief.SearchQuery,
	res *debrief.SearchResult,
) error {
	plan := q.sqlitePlan()
	limit, offset := page(sq.Limit, sq.Offset)
	if len(plan.ranked) == 1 && len(plan.filters) == 0 && !filtered(sq) {
		return searchSQLiteRanked(ctx, tx, plan.ranked[0], limit, offset, res)
	}
	return searchSQLiteFiltered(ctx, tx, plan, sq, limit, offset, res)
}

// searchSQLiteRanked runs a search that is one FTS5 match and nothing else,
// the common case, letting FTS5 order it: ORDER BY rank is handed to the
// index, which sorts the matches itself and then computes snippets for the
// rows read only.
//
// FTS5 leaves matches of equal rank in no set order. So the hits are read
// from the one before the page to the end of the page and on to the end of
// its last rank, then put in rank and ID order. When the hit before the page
// ties with the first of it, the page's first rank began earlier, and
// searchSQLiteTied, slower, reads the ranks from the start.
func searchSQLiteRanked(
	ctx context.Context,
	tx *sql.Tx,
	m ftsMatch,
	limit, offset int,
	res *debrief.SearchResult,
) error {
	c := conditions{}
	match := m.index + ` MATCH ` + c.placeholder(m.expr)
	err := tx.QueryRowContext(ctx, `SELECT count(*) FROM `+m.index+` WHERE `+match, c.args...).
		Scan(&res.Total)
	if err != nil || offset >= res.Total {
		return err
	}

	first := max(offset-1, 0)
	end := offset - first + min(limit, res.Total-offset) // hits needed at least
	var hits []hit
	query := sqliteHit(&c, m.index) + ` WHERE ` + match + ` ORDER BY ` + m.index +
		`.rank LIMIT -1 OFFSET ` + c.placeholder(first)
	err = eachRowWhile(ctx, tx, query, c.args, func(r *sql.Rows) (bool, error) {
		h, err := scanHit(r)
		if err != nil || (len(hits) >= end && h.Rank != hits[len(hits)-1].Rank) {
			return false, err
		}
		hits = append(hits, h)
		return true, nil
	})
	if err != nil || len(hits) < end {
		return err
	}
	if first < offset && hits[0].Rank == hits[1].Rank {
		return searchSQLiteTied(ctx, tx, m, limit, offset, res)
	}
	hits = hits[offset-first:]
	slices.SortStableFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(b.Rank, a.Rank), strings.Compare(a.ID, b.ID))
	})
	return finishHits(ctx, tx, hits[:min(limit, len(hits))], res)
}

// searchSQLiteTied finds the page of an unfiltered search when a rank
// straddles its start: it reads the matches in rank order, without
// snippets, from the first to the end of the page's last rank, puts them in
// rank and ID order, and then fetches the snippets of the page's hits.
func searchSQLiteTied(
	ctx context.Context,
	tx *sql.Tx,
	m ftsMatch,
	limit, offset int,
	res *debrief.SearchResult,
) error {
	type ranked struct {
		id   int64
		pid  string
		rank float64
	}
	var ms []ranked
	end := offset + min(limit, res.Total-offset)
	q := `SELECT d.id, d.postmortem_id, ` + m.index + `.rank FROM ` + m.index +
		` JOIN search_documents d ON d.id = ` + m.index + `.rowid WHERE ` + m.index +
		` MATCH $1 ORDER BY ` + m.index + `.rank`
	err := eachRowWhile(ctx, tx, q, []any{m.expr}, func(r *sql.Rows) (bool, error) {
		var x ranked
		err := r.Scan(&x.id, &x.pid, &x.rank)
		if err != nil || (len(ms) >= end && x.rank != ms[len(ms)-1].rank) {
			return false, err
		}
		ms = append(ms, x)
		return true, nil
	})
	if err != nil {
		return err
	}
	slices.SortFunc(ms, func(a, b ranked) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), strings.Compare(a.pid, b.pid))
	})
	ms = ms[min(offset, len(ms)):min(end, len(ms))]

	ids := make([]int64, len(ms))
	for i, x := range ms {
		ids[i] = x.id
	}
	hits, err := sqliteHits(ctx, tx, m, ids)
	if err != nil {
		return err
	}
	return finishHits(ctx, tx, inOrder(hits, ms, func(x ranked) string { return x.pid }), res)
}

// sqliteHits returns the hits, with snippets, of the documents ids among the
// matches of m.
func sqliteHits(ctx context.Context, tx *sql.Tx, m ftsMatch, ids []int64) ([]hit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	c := conditions{}
	match := c.placeholder(m.expr)
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = c.placeholder(id)
	}
	query := sqliteHit(&c, m.index) + ` WHERE ` + m.index + ` MATCH ` + match + ` AND ` +
		m.index + `.rowid IN (` + strings.Join(marks, ", ") + `)`
	return queryHits(ctx, tx, query, c.args)
}

// inOrder returns the hits in the order of keys, whose report IDs id gives;
// a report with several hits gets its first.
func inOrder[K any](hits []hit, keys []K, id func(K) string) []hit {
	byID := make(map[string]hit, len(hits))
	for _, h := range hits {
		if _, ok := byID[h.ID]; !ok {
			byID[h.ID] = h
		}
	}
	out := make([]hit, 0, len(keys))
	for _, k := range keys {
		if h, ok := byID[id(k)]; ok {
			out = append(out, h)
		}
	}
	return out
}

// sqliteHit selects a hit from the FTS5 index, binding its snippet markers
// in c.
func sqliteHit(c *conditions, index string) string {
	snippet := `snippet(` + index + `, -1, ` + c.placeholder(debrief.HighlightStart) + `, ` +
		c.placeholder(debrief.HighlightEnd) + `, '…', ` + fmt.Sprint(snippetTokens) + `)`
	return `SELECT d.postmortem_id, p.title, i.severity, p.category, i.started_at,
			p.incident_id, ` + snippet + `, -` + index + `.rank
		FROM ` + index + `
		JOIN search_documents d ON d.id = ` + index + `.rowid
		JOIN postmortems p ON p.id = d.postmortem_id
		JOIN incidents i ON i.id = p.incident_id`
}

// searchSQLiteFiltered ranks and counts the matches that pass the filters in
// one pass, then fetches snippets for the page's rows, so no snippet is made
// of a report the reader may not see. When both indexes
// rank, a document matching both counts once, at its better rank, and its
// snippet comes from the stemmed index.
func searchSQLiteFiltered(
	ctx context.Context,
	tx *sql.Tx,
	plan sqlitePlan,
	sq debrief.SearchQuery,
	limit, offset int,
	res *debrief.SearchResult,
) error {
	c := conditions{}
	selects := make([]string, len(plan.ranked))
	for i, m := range plan.ranked {
		c.terms = nil
		c.add(m.index+` MATCH ?`, m.expr)
		for _, f := range plan.filters {
			c.terms = append(c.terms, f.sql(&c))
		}
		c.addFilters(sq.Service, sq.Category, sq.Severity)
		c.addReader(sq.Reader)
		selects[i] = `SELECT d.id AS id, d.postmortem_id AS pid, ` + m.index + `.rank AS r` +
			searchFrom(` FROM `+m.index+` JOIN search_documents d ON d.id = `+m.index+`.rowid`,
				sq) + c.where()
	}
	matches := strings.Join(selects, ` UNION ALL `)

	var top []int64
	ranks := make(map[string]float64)
	var order []string
	q := `SELECT id, pid, min(r), count(*) OVER () FROM (` + matches +
		`) GROUP BY id, pid ORDER BY min(r), pid LIMIT ` + c.placeholder(limit) +
		` OFFSET ` + c.placeholder(offset)
	err := eachRow(ctx, tx, q, c.args, func(r *sql.Rows) error {
		var id int64
		var pid string
		var rank float64
		err := r.Scan(&id, &pid, &rank, &res.Total)
		top, order = append(top, id), append(order, pid)
		ranks[pid] = -rank
		return err
	})
	if err != nil || len(top) == 0 {
		if err == nil && offset > 0 {
			// The page is past the end; count the matches on their own.
			err = tx.QueryRowContext(ctx, `SELECT count(DISTINCT id) FROM (`+matches+`)`,
				c.args[:len(c.args)-2]...).Scan(&res.Total)
		}
		return err
	}

	var hits []hit
	for _, m := range plan.ranked {
		more, err := sqliteHits(ctx, tx, m, top)
		if err != nil {
			return err
		}
		hits = append(hits, more...)
	}
	hits = inOrder(hits, order, func(pid string) string { return pid })
	for i := range hits {
		hits[i].Rank = ranks[hits[i].ID]
	}
	return finishHits(ctx, tx, hits, res)
}

// headlineOptions make ts_headline mark matches as FTS5's snippet does.
var headlineOptions = `StartSel="` + debrief.HighlightStart + `", StopSel="` +
	debrief.HighlightEnd + `", MaxFragments=2, MaxWords=24, MinWords=12, ` +
	`FragmentDelimiter=" … "`

// searchPostgres ranks with ts_rank_cd over the weighted document vectors.
// Hits of equal rank come in report ID order, compared byte by byte as
// SQLite does.
func searchPostgres(
	ctx context.Context,
	tx *sql.Tx,
	q searchQuery,
	sq debrief.SearchQuery,
	res *debrief.SearchResult,
) error {
	c := conditions{}
	pq := q.postgres(c.placeholder)
	from := searchFrom(` FROM search_documents d`, sq)
	c.terms = append(c.terms, pq.match)
	c.addFilters(sq.Service, sq.Category, sq.Severity)
	c.addReader(sq.Reader)
	where := c.where()

	if err := tx.QueryRowContext(ctx, `SELECT count(*)`+from+where, c.args...).
		Scan(&res.Total); err != nil {
		return err
	}
	if res.Total == 0 {
		return nil
	}

	limit, offset := page(sq.Limit, sq.Offset)
	top := `SELECT d.postmortem_id AS id, ` + pq.rank + ` AS score` +
		from + where + ` ORDER BY score DESC, d.postmortem_id COLLATE "C" LIMIT ` +
		c.placeholder(limit) + ` OFFSET ` + c.placeholder(offset)
	query := `WITH top AS (` + top + `)
		SELECT d.postmortem_id, p.title, i.severity, p.category, i.started_at, p.incident_id,
			ts_headline('` + pq.config + `', d.summary || E'\n' || d.body, (` + pq.marked + `), ` +
		c.placeholder(headlineOptions) + `),
			top.score
		FROM top
		JOIN search_documents d ON d.postmortem_id = top.id
		JOIN postmortems p ON p.id = d.postmortem_id
		JOIN incidents i ON i.id = p.incident_id
		ORDER BY top.score DESC, top.id COLLATE "C"`
	hits, err := queryHits(ctx, tx, query, c.args)
	if err != nil {
		return err
	}
	return finishHits(ctx, tx, hits, res)
}

// hit is a search hit and the incident whose services it shows.
type hit struct {
	debrief.SearchHit
	incident string
}

func queryHits(ctx context.Context, tx *sql.Tx, query string, args []any) ([]hit, error) {
	var hits []hit
	err := eachRow(ctx, tx, query, args, func(r *sql.Rows) error {
		h, err := scanHit(r)
		hits = append(hits, h)
		return err
	})
	return hits, err
}

// scanHit scans a row of the hit queries.
func scanHit(r *sql.Rows) (hit, error) {
	var h hit
	var started sql.NullTime
	var snippet sql.NullString
	err := r.Scan(&h.ID, &h.Title, &h.Severity, &h.Category, &started, &h.incident,
		&snippet, &h.Rank)
	h.StartedAt = timeOf(started)
	h.Snippet = strings.TrimSpace(snippet.String)
	return h, err
}

// finishHits adds the services of the hits and makes them the result's.
func finishHits(ctx context.Context, tx *sql.Tx, hits []hit, res *debrief.SearchResult) error {
	incidents := make([]string, len(hits))
	for i, h := range hits {
		incidents[i] = h.incident
	}
	if len(hits) == 0 {
		return nil
	}
	services, err := servicesOf(ctx, tx, incidents)
	if err != nil {
		return err
	}
	res.Hits = make([]debrief.SearchHit, len(hits))
	for i, h := range hits {
		res.Hits[i] = h.SearchHit
		res.Hits[i].Services = services[h.incident]
	}
	return nil
}

// eachRowWhile runs query and calls scan for each row until scan returns
// false or an error.
func eachRowWhile(
	ctx context.Context,
	tx *sql.Tx,
	query string,
	args []any,
	scan func(*sql.Rows) (bool, error),
) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		more, err := scan(rows)
		if err != nil || !more {
			return err
		}
	}
	return rows.Err()
}
