package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/debrief-oss/debrief"
)

// The rule of (*debrief.Postmortem).VisibleTo, in SQL, so that lists,
// facets and searches count and page over only what the reader may see.
//
// Names are compared as lower(trim(name)) = lower(given), each dialect
// folding both sides its own way: SQLite's lower() folds ASCII letters
// only, PostgreSQL's every letter. Where the two differ (a display name
// with non-ASCII capitals written in another case), SQLite lists less than
// VisibleTo allows, never more.

// restricts reports whether reports must be narrowed to what reader may
// read: nil (a trusted caller) and admins read everything.
func restricts(reader *debrief.Actor) bool {
	return reader != nil && !reader.Can(debrief.AccessAdmin)
}

// visibleTo returns a condition true for the rows of postmortems p (the
// alias given) that reader may read, binding its names in c, or "" when
// reader reads every report.
func (c *conditions) visibleTo(reader *debrief.Actor, p string) string {
	if !restricts(reader) {
		return ""
	}
	or := []string{p + `.visibility <> '` + string(debrief.VisibilityRestricted) + `'`}
	if login := strings.TrimSpace(reader.Name); login != "" {
		or = append(or, `lower(trim(`+p+`.updated_by)) = lower(`+c.placeholder(login)+`)`)
	}
	names := reader.Names()
	if len(names) == 0 {
		return `(` + strings.Join(or, ` OR `) + `)`
	}
	marks := make([]string, len(names))
	for i, n := range names {
		marks[i] = `lower(` + c.placeholder(n) + `)`
	}
	in := ` IN (` + strings.Join(marks, `, `) + `)`
	or = append(or, `lower(trim(`+p+`.facilitator))`+in)
	for _, table := range []string{"postmortem_authors", "team_members", "meeting_attendees"} {
		or = append(or, `EXISTS (SELECT 1 FROM `+table+` n WHERE n.postmortem_id = `+p+
			`.id AND lower(trim(n.name))`+in+`)`)
	}
	return `(` + strings.Join(or, `
		OR `) + `)`
}

// addReader keeps only the reports p that reader may read.
func (c *conditions) addReader(reader *debrief.Actor) {
	if cond := c.visibleTo(reader, "p"); cond != "" {
		c.terms = append(c.terms, cond)
	}
}

// readerFor returns reader when some report is hidden from it, else nil:
// one probe of the restricted reports (a partial index holds only those)
// lets the list, facets and search of a reader from whom nothing is hidden,
// the common case, run as a trusted caller's do, on their fast paths.
// It runs in the caller's transaction, so the answer holds for the queries
// that follow it.
func readerFor(ctx context.Context, tx *sql.Tx, reader *debrief.Actor) (*debrief.Actor, error) {
	var c conditions
	cond := c.visibleTo(reader, "p")
	if cond == "" {
		return nil, nil
	}
	var hidden bool
	err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM postmortems p
		WHERE p.visibility = '`+string(debrief.VisibilityRestricted)+`' AND NOT `+cond+`)`,
		c.args...).Scan(&hidden)
	if err != nil {
		return nil, fmt.Errorf("find hidden reports: %w", err)
	}
	if !hidden {
		return nil, nil
	}
	return reader, nil
}
