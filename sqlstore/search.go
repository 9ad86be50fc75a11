package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
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
	if sq.Service == "" && sq.Category == "" && sq.Severity == "" {
		return base
	}
	return base + ` JOIN postmortems p ON p.id = d.postmortem_id
		JOIN incidents i ON i.id = p.incident_id`
}

// snippetTokens is roughly how many words a snippet shows.
const snippetTokens = 24

// searchSQLite ranks with bm25 as configured on search_fts (the title
// weighted ten, the summary four, the rest one). Ranking and counting run
// over every match; snippets, which are costly, only for the page's hits.
func searchSQLite(
	ctx context.Context,
	tx *sql.Tx,
	q searchQuery,
	sq debrief.SearchQuery,
	res *debrief.SearchResult,
) error {
	c := conditions{}
	c.add(`search_fts MATCH ?`, q.fts5())
	c.addFilters(sq.Service, sq.Category, sq.Severity)
	filtered := len(c.args) > 1
	from := searchFrom(` FROM search_fts JOIN search_documents d ON d.id = search_fts.rowid`, sq)
	where := c.where()

	limit, offset := page(sq.Limit, sq.Offset)
	if filtered {
		return searchSQLiteFiltered(ctx, tx, from+where, c, limit, offset, res)
	}

	if err := tx.QueryRowContext(ctx, `SELECT count(*)`+from+where, c.args...).
		Scan(&res.Total); err != nil {
		return err
	}
	if res.Total == 0 {
		return nil
	}
	// ORDER BY rank is handed to FTS5, which sorts the matches itself and
	// then computes snippets for the page's rows only.
	query := sqliteHit(&c) + ` WHERE search_fts MATCH $1 ORDER BY search_fts.rank LIMIT ` +
		c.placeholder(limit) + ` OFFSET ` + c.placeholder(offset)
	return scanHits(ctx, tx, query, c.args, res)
}

// sqliteHit selects a hit from search_fts, binding its snippet markers in c.
func sqliteHit(c *conditions) string {
	snippet := `snippet(search_fts, -1, ` + c.placeholder(debrief.HighlightStart) + `, ` +
		c.placeholder(debrief.HighlightEnd) + `, '…', ` + fmt.Sprint(snippetTokens) + `)`
	return `SELECT d.postmortem_id, p.title, i.severity, p.category, i.started_at,
			p.incident_id, ` + snippet + `, -search_fts.rank
		FROM search_fts
		JOIN search_documents d ON d.id = search_fts.rowid
		JOIN postmortems p ON p.id = d.postmortem_id
		JOIN incidents i ON i.id = p.incident_id`
}

// searchSQLiteFiltered ranks and counts the matches that pass the filters in
// one pass, then fetches snippets for the page's rows.
func searchSQLiteFiltered(
	ctx context.Context,
	tx *sql.Tx,
	fromWhere string,
	c conditions,
	limit, offset int,
	res *debrief.SearchResult,
) error {
	var top []int64
	q := `SELECT search_fts.rowid, count(*) OVER ()` + fromWhere +
		` ORDER BY search_fts.rank, search_fts.rowid LIMIT ` + c.placeholder(limit) +
		` OFFSET ` + c.placeholder(offset)
	err := eachRow(ctx, tx, q, c.args, func(r *sql.Rows) error {
		var id int64
		err := r.Scan(&id, &res.Total)
		top = append(top, id)
		return err
	})
	if err != nil || len(top) == 0 {
		if err == nil && offset > 0 {
			// The page is past the end; count the matches on their own.
			err = tx.QueryRowContext(ctx, `SELECT count(*)`+fromWhere, c.args[:len(c.args)-2]...).
				Scan(&res.Total)
		}
		return err
	}

	h := conditions{args: []any{c.args[0]}}
	marks := make([]string, len(top))
	for i, id := range top {
		marks[i] = h.placeholder(id)
	}
	query := sqliteHit(&h) + ` WHERE search_fts MATCH $1 AND search_fts.rowid IN (` +
		strings.Join(marks, ", ") + `) ORDER BY search_fts.rank, search_fts.rowid`
	return scanHits(ctx, tx, query, h.args, res)
}

// headlineOptions make ts_headline mark matches as FTS5's snippet does.
var headlineOptions = `StartSel="` + debrief.HighlightStart + `", StopSel="` +
	debrief.HighlightEnd + `", MaxFragments=2, MaxWords=24, MinWords=12, ` +
	`FragmentDelimiter=" … "`

// searchPostgres ranks with ts_rank_cd over the weighted document vector.
func searchPostgres(
	ctx context.Context,
	tx *sql.Tx,
	q searchQuery,
	sq debrief.SearchQuery,
	res *debrief.SearchResult,
) error {
	c := conditions{}
	tsq := q.tsquery(c.placeholder)
	from := searchFrom(` FROM search_documents d`, sq)
	c.terms = append(c.terms, `d.document @@ (`+tsq+`)`)
	c.addFilters(sq.Service, sq.Category, sq.Severity)
	where := c.where()

	if err := tx.QueryRowContext(ctx, `SELECT count(*)`+from+where, c.args...).
		Scan(&res.Total); err != nil {
		return err
	}
	if res.Total == 0 {
		return nil
	}

	limit, offset := page(sq.Limit, sq.Offset)
	top := `SELECT d.postmortem_id AS id, ts_rank_cd(d.document, (` + tsq + `)) AS score` +
		from + where + ` ORDER BY score DESC, d.postmortem_id LIMIT ` +
		c.placeholder(limit) + ` OFFSET ` + c.placeholder(offset)
	query := `WITH top AS (` + top + `)
		SELECT d.postmortem_id, p.title, i.severity, p.category, i.started_at, p.incident_id,
			ts_headline('english', d.summary || E'\n' || d.body, (` + tsq + `), ` +
		c.placeholder(headlineOptions) + `),
			top.score
		FROM top
		JOIN search_documents d ON d.postmortem_id = top.id
		JOIN postmortems p ON p.id = d.postmortem_id
		JOIN incidents i ON i.id = p.incident_id
		ORDER BY top.score DESC, top.id`
	return scanHits(ctx, tx, query, c.args, res)
}

func scanHits(
	ctx context.Context,
	tx *sql.Tx,
	query string,
	args []any,
	res *debrief.SearchResult,
) error {
	var incidents []string
	err := eachRow(ctx, tx, query, args, func(r *sql.Rows) error {
		var h debrief.SearchHit
		var started sql.NullTime
		var incident string
		var snippet sql.NullString
		err := r.Scan(&h.ID, &h.Title, &h.Severity, &h.Category, &started, &incident,
			&snippet, &h.Rank)
		h.StartedAt = timeOf(started)
		h.Snippet = strings.TrimSpace(snippet.String)
		res.Hits = append(res.Hits, h)
		incidents = append(incidents, incident)
		return err
	})
	if err != nil {
		return err
	}
	services, err := servicesOf(ctx, tx, incidents)
	for i := range res.Hits {
		res.Hits[i].Services = services[incidents[i]]
	}
	return err
}
