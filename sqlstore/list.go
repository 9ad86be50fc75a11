package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
)

// conditions collects the WHERE clause of a query and its arguments, so that
// placeholders are numbered in the order conditions are added.
type conditions struct {
	terms []string
	args  []any
}

// add appends cond, in which each ? stands for arg.
func (c *conditions) add(cond string, arg any) {
	c.args = append(c.args, arg)
	c.terms = append(c.terms, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(c.args))))
}

// placeholder adds arg without a condition and returns its placeholder.
func (c *conditions) placeholder(arg any) string {
	c.args = append(c.args, arg)
	return "$" + strconv.Itoa(len(c.args))
}

func (c *conditions) where() string {
	if len(c.terms) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(c.terms, " AND ")
}

// addFilters adds the filters lists and searches share. The query must name
// postmortems p and incidents i. The service is matched ignoring case, as
// the tag is: people type "simpledb" for SimpleDB. (SQLite's lower() folds
// ASCII letters only, PostgreSQL's all.) Written as IN, the filters start
// from the lower() indexes rather than test every report.
func (c *conditions) addFilters(service string, category debrief.Category, sev debrief.Severity) {
	if service != "" {
		c.add(`p.incident_id IN (SELECT s.incident_id FROM incident_services s
			WHERE lower(s.service) = lower(?))`, service)
	}
	// Categories and severities are short labels people type in any case.
	if category != "" {
		c.add(`lower(p.category) = lower(?)`, category)
	}
	if sev != "" {
		c.add(`lower(i.severity) = lower(?)`, sev)
	}
}

// page turns Limit and Offset into LIMIT and OFFSET values; a Limit of zero
// or less means no limit.
func page(limit, offset int) (int, int) {
	if limit <= 0 {
		limit = math.MaxInt32
	}
	return limit, max(offset, 0)
}

var sortOrders = map[string]string{
	"":         `i.started_at DESC NULLS LAST, p.id`,
	"date":     `i.started_at DESC NULLS LAST, p.id`,
	"date_asc": `i.started_at ASC NULLS LAST, p.id`,
	"title":    `lower(p.title), p.id`,
}

// Postmortems lists summaries of the reports matching f, and how many match
// in all. The category filter matches the report's category, or its
// incident's when the report names none.
func (db *DB) Postmortems(
	ctx context.Context,
	f debrief.PostmortemFilter,
) ([]debrief.PostmortemSummary, int, error) {
	order, ok := sortOrders[f.Sort]
	if !ok {
		return nil, 0, debrief.Errorf(debrief.KindInvalid, "unknown sort order %q", f.Sort)
	}
	var c conditions
	c.addFilters(f.Service, f.Category, f.Severity)
	if f.Status != "" {
		c.add(`p.status = ?`, f.Status)
	}
	if f.Tag != "" {
		c.add(`p.id IN (SELECT t.postmortem_id FROM postmortem_tags t
			WHERE lower(t.tag) = lower(?))`, f.Tag)
	}
	if f.Year != 0 {
		c.add(`i.started_year = ?`, f.Year)
	}

	var list []debrief.PostmortemSummary
	var total int
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		reader, err := readerFor(ctx, tx, f.Reader)
		if err != nil {
			return err
		}
		c.addReader(reader)
		from := ` FROM postmortems p JOIN incidents i ON i.id = p.incident_id` + c.where()
		if err := tx.QueryRowContext(ctx, `SELECT count(*)`+from, c.args...).Scan(&total); err != nil {
			return fmt.Errorf("count reports: %w", err)
		}
		limit, offset := page(f.Limit, f.Offset)
		q := `SELECT p.id, p.title, p.status, i.severity, p.category, i.started_at,
			p.updated_at, p.executive_summary, p.incident_id,
			(SELECT count(*) FROM timeline_events t WHERE t.postmortem_id = p.id),
			(SELECT count(*) FROM action_items a WHERE a.postmortem_id = p.id)` + from +
			` ORDER BY ` + order +
			` LIMIT ` + c.placeholder(limit) + ` OFFSET ` + c.placeholder(offset)

		var incidents []string
		err = eachRow(ctx, tx, q, c.args, func(r *sql.Rows) error {
			var s debrief.PostmortemSummary
			var started, updated sql.NullTime
			var incident string
			err := r.Scan(&s.ID, &s.Title, &s.Status, &s.Severity, &s.Category, &started,
				&updated, &s.ExecutiveSummary, &incident, &s.TimelineEvents, &s.ActionItems)
			s.StartedAt, s.UpdatedAt = timeOf(started), timeOf(updated)
			s.ExecutiveSummary = shorten(s.ExecutiveSummary, summaryRunes)
			list = append(list, s)
			incidents = append(incidents, incident)
			return err
		})
		if err != nil {
			return fmt.Errorf("list reports: %w", err)
		}
		services, err := servicesOf(ctx, tx, incidents)
		for i := range list {
			list[i].Services = services[incidents[i]]
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// summaryRunes is how much of the executive summary a list shows.
const summaryRunes = 300

// shorten cuts s to at most n runes, at a space when one is near, and marks
// the cut with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if n == 0 {
			cut = i
			break
		}
		n--
	}
	s = s[:cut]
	if sp := strings.LastIndexByte(s, ' '); sp > len(s)*3/4 {
		s = s[:sp]
	}
	return strings.TrimRight(s, " ") + "…"
}

// servicesOf returns the services of the given incidents, in order.
func servicesOf(ctx context.Context, tx *sql.Tx, incidents []string) (map[string][]string, error) {
	m := make(map[string][]string, len(incidents))
	if len(incidents) == 0 {
		return m, nil
	}
	var c conditions
	marks := make([]string, len(incidents))
	for i, id := range incidents {
		marks[i] = c.placeholder(id)
	}
	q := `SELECT incident_id, service FROM incident_services WHERE incident_id IN (` +
		strings.Join(marks, ", ") + `) ORDER BY incident_id, position`
	err := eachRow(ctx, tx, q, c.args, func(r *sql.Rows) error {
		var id, s string
		err := r.Scan(&id, &s)
		m[id] = append(m[id], s)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read services: %w", err)
	}
	return m, nil
}

// Facets counts reports by service, category, severity and year. Services
// and categories come most frequent first, severities in ladder order, years
// newest first. Empty values are not counted, nor reports ff.Reader may not
// read.
func (db *DB) Facets(ctx context.Context, ff debrief.FacetFilter) (*debrief.Facets, error) {
	var f *debrief.Facets
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		reader, err := readerFor(ctx, tx, ff.Reader)
		if err != nil {
			return err
		}
		f, err = facets(ctx, tx, reader)
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// facets runs the counts of Facets for reader in tx.
func facets(ctx context.Context, tx *sql.Tx, reader *debrief.Actor) (*debrief.Facets, error) {
	var c conditions
	visible := ""
	if cond := c.visibleTo(reader, "p"); cond != "" {
		visible = ` AND ` + cond
	}
	f := &debrief.Facets{}
	queries := []struct {
		dst   *[]debrief.FacetCount
		query string
	}{
		{&f.Services, `SELECT s.service, count(DISTINCT p.id) FROM postmortems p
			JOIN incident_services s ON s.incident_id = p.incident_id
			WHERE s.service <> ''` + visible + ` GROUP BY s.service ORDER BY 2 DESC, 1`},
		{&f.Categories, `SELECT p.category, count(*) FROM postmortems p
			WHERE p.category <> ''` + visible + ` GROUP BY p.category ORDER BY 2 DESC, 1`},
		{&f.Severities, `SELECT i.severity, count(*) FROM postmortems p
			JOIN incidents i ON i.id = p.incident_id
			WHERE i.severity <> ''` + visible + ` GROUP BY i.severity ORDER BY 1`},
		{&f.Years, `SELECT CAST(i.started_year AS TEXT), count(*) FROM postmortems p
			JOIN incidents i ON i.id = p.incident_id
			WHERE i.started_year IS NOT NULL` + visible +
			` GROUP BY i.started_year ORDER BY i.started_year DESC`},
	}
	for _, q := range queries {
		err := eachRow(ctx, tx, q.query, c.args, func(r *sql.Rows) error {
			var fc debrief.FacetCount
			err := r.Scan(&fc.Value, &fc.Count)
			*q.dst = append(*q.dst, fc)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("count facets: %w", err)
		}
	}
	return f, nil
}
