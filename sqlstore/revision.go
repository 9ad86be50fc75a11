package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/debrief-oss/debrief"
)

var _ debrief.RevisionStore = (*DB)(nil)

// upsertRevision records a version. A restore may write a version recorded
// before (a backup restored over later saves, or the same export imported
// twice), and a save after such a restore counts on from the restored
// version; the newer write of a version replaces the older.
const upsertRevision = `INSERT INTO revisions
	(postmortem_id, version, author, saved_at, status, snapshot)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (postmortem_id, version) DO UPDATE SET author = excluded.author,
	saved_at = excluded.saved_at, status = excluded.status, snapshot = excluded.snapshot`

// writeRevision records the version of p that meta stamps, with the report
// as it is stored: p with meta's version and times, as the caller sees it
// once the write commits.
func (tx *writeTx) writeRevision(ctx context.Context, p *debrief.Postmortem, meta stamp) error {
	saved := *p
	meta.apply(&saved)
	snapshot, err := json.Marshal(&saved)
	if err != nil {
		return fmt.Errorf("snapshot report: %w", err)
	}
	_, err = tx.exec(ctx, upsertRevision, p.ID, meta.version, p.UpdatedBy,
		nullTime(meta.updatedAt), p.Status, string(snapshot))
	if err != nil {
		return fmt.Errorf("record revision: %w", err)
	}
	return nil
}

// recordStored records the stored version of report id before a write
// replaces it, when that version has no revision: it was saved before
// revisions were recorded, and would otherwise be lost.
func (tx *writeTx) recordStored(ctx context.Context, id string) error {
	old, err := readPostmortem(ctx, tx.Tx, id)
	if err != nil {
		return err
	}
	meta := stamp{version: old.Version, createdAt: old.CreatedAt, updatedAt: old.UpdatedAt}
	return tx.writeRevision(ctx, old, meta)
}

// Revisions lists the report's revisions, highest version first. A report
// last saved before revisions were recorded (schema version 6) has none
// yet; its current version is then listed alone, as its postmortems row
// describes it, and PostmortemRevision returns the current report for it.
// The next write records that version before replacing it (see
// recordStored). An unknown report is KindNotFound.
func (db *DB) Revisions(ctx context.Context, postmortemID string) ([]debrief.Revision, error) {
	var revs []debrief.Revision
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		cur, err := currentRevision(ctx, tx, postmortemID)
		if err != nil {
			return err
		}
		err = eachRow(ctx, tx, `SELECT version, author, saved_at, status FROM revisions
			WHERE postmortem_id = $1 ORDER BY version DESC`, []any{postmortemID},
			func(r *sql.Rows) error {
				rev, err := scanRevision(r, postmortemID)
				revs = append(revs, rev)
				return err
			})
		if err != nil {
			return fmt.Errorf("list revisions: %w", err)
		}
		if len(revs) == 0 {
			revs = []debrief.Revision{cur}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return revs, nil
}

func scanRevision(row interface{ Scan(...any) error }, id string) (debrief.Revision, error) {
	rev := debrief.Revision{PostmortemID: id}
	var saved sql.NullTime
	err := row.Scan(&rev.Version, &rev.Author, &saved, &rev.Status)
	rev.SavedAt = timeOf(saved)
	return rev, err
}

// currentRevision describes the stored version of the report from its
// postmortems row, or is a KindNotFound error.
func currentRevision(ctx context.Context, tx *sql.Tx, id string) (debrief.Revision, error) {
	rev, err := scanRevision(tx.QueryRowContext(ctx, `SELECT version, updated_by, updated_at,
		status FROM postmortems WHERE id = $1`, id), id)
	if errors.Is(err, sql.ErrNoRows) {
		return rev, debrief.Errorf(debrief.KindNotFound, "report %s not found", id)
	}
	if err != nil {
		return rev, fmt.Errorf("read report version: %w", err)
	}
	return rev, nil
}

// PostmortemRevision returns the report as it was stored at the version, or
// a KindNotFound error. See Revisions for reports saved before revisions
// were recorded.
func (db *DB) PostmortemRevision(
	ctx context.Context,
	postmortemID string,
	version int,
) (*debrief.Postmortem, error) {
	var p *debrief.Postmortem
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		var snapshot []byte
		err := tx.QueryRowContext(ctx, `SELECT snapshot FROM revisions
			WHERE postmortem_id = $1 AND version = $2`, postmortemID, version).Scan(&snapshot)
		if errors.Is(err, sql.ErrNoRows) {
			p, err = unrecordedRevision(ctx, tx, postmortemID, version)
			return err
		}
		if err != nil {
			return fmt.Errorf("read revision: %w", err)
		}
		p = new(debrief.Postmortem)
		if err := json.Unmarshal(snapshot, p); err != nil {
			return fmt.Errorf("read revision %d of report %s: %w", version, postmortemID, err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// unrecordedRevision returns the current report when it is at the version
// but has no revision row for it, having been saved before revisions were
// recorded; otherwise the version is KindNotFound.
func unrecordedRevision(
	ctx context.Context,
	tx *sql.Tx,
	id string,
	version int,
) (*debrief.Postmortem, error) {
	cur, err := currentRevision(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if cur.Version != version {
		return nil, debrief.Errorf(debrief.KindNotFound,
			"report %s has no version %d", id, version)
	}
	return readPostmortem(ctx, tx, id)
}
