package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/debrief-oss/debrief"
)

// SaveDeadlines replaces a report's deadlines, in one transaction. The
// deadlines are brought to their stored form: the report's ID, times in UTC
// at microseconds. A report that does not exist is KindNotFound. See
// debrief.PolicyStore.
func (db *DB) SaveDeadlines(
	ctx context.Context,
	postmortemID string,
	ds []debrief.Deadline,
) error {
	seen := make(map[debrief.DeadlineKind]bool, len(ds))
	rows := make([][]any, len(ds))
	for i := range ds {
		d := &ds[i]
		field := "deadlines[" + strconv.Itoa(i) + "]"
		switch {
		case d.PostmortemID != "" && d.PostmortemID != postmortemID:
			return debrief.FieldErrorf(field+".postmortem_id",
				"%s belongs to report %s, not %s", field, d.PostmortemID, postmortemID)
		case !slices.Contains(debrief.DeadlineKinds, d.Kind):
			return debrief.FieldErrorf(field+".kind",
				"%s: %q is not a deadline: meeting, draft or final", field, d.Kind)
		case seen[d.Kind]:
			return debrief.FieldErrorf(field+".kind", "%s: the %s deadline is given twice",
				field, d.Kind)
		case d.Due.IsZero():
			return debrief.FieldErrorf(field+".due", "%s has no due time", field)
		}
		seen[d.Kind] = true
		d.PostmortemID, d.Due, d.MetAt = postmortemID, utc(d.Due), utc(d.MetAt)
		rows[i] = []any{postmortemID, d.Kind, d.Due, nullTime(d.MetAt), d.Rule}
	}

	return db.inWriteTx(ctx, func(tx *writeTx) error {
		var one int
		err := tx.QueryRowContext(ctx, `SELECT 1 FROM postmortems WHERE id = $1`,
			postmortemID).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return debrief.Errorf(debrief.KindNotFound, "report %s not found", postmortemID)
		}
		if err != nil {
			return fmt.Errorf("save deadlines: %w", err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM postmortem_deadlines WHERE postmortem_id = $1`,
			postmortemID)
		if err != nil {
			return fmt.Errorf("save deadlines: %w", err)
		}
		err = tx.insertMany(ctx, `INSERT INTO postmortem_deadlines (postmortem_id, kind, due,
			met_at, rule) VALUES %s`, rows)
		if isForeignKeyViolation(err) {
			// Deleted since the check above.
			return debrief.Errorf(debrief.KindNotFound, "report %s not found", postmortemID)
		}
		if err != nil {
			return fmt.Errorf("save deadlines: %w", err)
		}
		return nil
	})
}

// deadlineOrder orders deadlines of one due time as they fall.
const deadlineOrder = `CASE d.kind WHEN 'meeting' THEN 0 WHEN 'draft' THEN 1 ELSE 2 END`

// Deadlines returns a report's deadlines in the order they fall. See
// debrief.PolicyStore.
func (db *DB) Deadlines(ctx context.Context, postmortemID string) ([]debrief.Deadline, error) {
	var list []debrief.Deadline
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		return eachRow(ctx, db.cached(tx), `SELECT d.kind, d.due, d.met_at, d.rule
			FROM postmortem_deadlines d WHERE d.postmortem_id = $1
			ORDER BY d.due, `+deadlineOrder, []any{postmortemID}, func(r *sql.Rows) error {
			d := debrief.Deadline{PostmortemID: postmortemID}
			var due, met sql.NullTime
			err := r.Scan(&d.Kind, &due, &met, &d.Rule)
			d.Due, d.MetAt = timeOf(due), timeOf(met)
			list = append(list, d)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read deadlines: %w", err)
	}
	return list, nil
}

// OverdueDeadlines lists the steps not done and past due at f.Now (now
// when zero), the longest overdue first, leaving out the reports f.Reader
// may not read as lists of reports do. See debrief.PolicyStore.
func (db *DB) OverdueDeadlines(
	ctx context.Context,
	f debrief.OverdueFilter,
) ([]debrief.OverdueDeadline, int, error) {
	now := utc(f.Now)
	if now.IsZero() {
		now = db.clock()
	}
	var c conditions
	c.add(`d.met_at IS NULL AND d.due < ?`, now)

	var list []debrief.OverdueDeadline
	var total int
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		reader, err := readerFor(ctx, tx, f.Reader)
		if err != nil {
			return err
		}
		c.addReader(reader)
		from := ` FROM postmortem_deadlines d JOIN postmortems p ON p.id = d.postmortem_id` +
			c.where()
		if err := tx.QueryRowContext(ctx, `SELECT count(*)`+from, c.args...).Scan(&total); err != nil {
			return fmt.Errorf("count overdue deadlines: %w", err)
		}
		limit, offset := page(f.Limit, f.Offset)
		q := `SELECT d.postmortem_id, d.kind, d.due, d.rule, p.title, p.status` + from +
			` ORDER BY d.due, d.postmortem_id, ` + deadlineOrder +
			` LIMIT ` + c.placeholder(limit) + ` OFFSET ` + c.placeholder(offset)
		return eachRow(ctx, tx, q, c.args, func(r *sql.Rows) error {
			var o debrief.OverdueDeadline
			var due sql.NullTime
			err := r.Scan(&o.PostmortemID, &o.Kind, &due, &o.Rule, &o.Title, &o.Status)
			o.Due = timeOf(due)
			list = append(list, o)
			return err
		})
	})
	if err != nil {
		return nil, 0, fmt.Errorf("list overdue deadlines: %w", err)
	}
	return list, total, nil
}
