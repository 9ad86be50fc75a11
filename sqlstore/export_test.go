package sqlstore

import (
	"context"
	"fmt"
)

// SchemaVersion exposes the applied migration version to tests.
func (db *DB) SchemaVersion(ctx context.Context) (int64, error) { return db.schemaVersion(ctx) }

// FailAfterParts makes every later save fail with err once its rows are written.
func (db *DB) FailAfterParts(err error) { db.failAfterParts = err }

// PartRows counts the rows report id owns in its part tables.
func (db *DB) PartRows(ctx context.Context, id string) (int, error) {
	total := 0
	for _, t := range partTables {
		var n int
		q := fmt.Sprintf(`SELECT count(*) FROM %s WHERE postmortem_id = $1`, t)
		if err := db.read.QueryRowContext(ctx, q, id).Scan(&n); err != nil {
			return 0, err
		}
		total += n
	}
	return total, nil
}

// IncidentExists reports whether the incidents table has a row with id.
func (db *DB) IncidentExists(ctx context.Context, id string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM incidents WHERE id = $1`, id).Scan(&n)
	return n > 0, err
}
