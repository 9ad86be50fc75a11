package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/debrief-oss/debrief"
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

// MigrateDownTo undoes the migrations after version v.
func (db *DB) MigrateDownTo(ctx context.Context, v int64) error {
	p, err := migrator(db.write, db.dialect)
	if err != nil {
		return err
	}
	_, err = p.DownTo(ctx, v)
	return err
}

// MigrateUp applies the pending migrations.
func (db *DB) MigrateUp(ctx context.Context) error { return migrate(ctx, db.write, db.dialect) }

// SetSearchText overwrites the search text of report id, as an older
// version of the store may have written it.
func (db *DB) SetSearchText(ctx context.Context, id, title, summary, body string) error {
	_, err := db.write.ExecContext(ctx, `UPDATE search_documents SET title = $1, summary = $2,
		body = $3 WHERE postmortem_id = $4`, title, summary, body, id)
	return err
}

// SetUserRole changes a user's role, as an admin would.
func (db *DB) SetUserRole(ctx context.Context, name string, role debrief.AccessRole) error {
	_, err := db.write.ExecContext(ctx, `UPDATE users SET role = $1 WHERE lower(name) = lower($2)`,
		string(role), name)
	return err
}

// SetUserDisabled disables or enables a user, as an admin would.
func (db *DB) SetUserDisabled(ctx context.Context, name string, disabled bool) error {
	_, err := db.write.ExecContext(ctx,
		`UPDATE users SET disabled = $1 WHERE lower(name) = lower($2)`, disabled, name)
	return err
}

// UserNames lists the users' login names with a query that reads only the
// columns every schema version has, for tests of old versions.
func (db *DB) UserNames(ctx context.Context) ([]string, error) {
	var names []string
	err := eachRow(ctx, db.read, `SELECT name FROM users ORDER BY name`, nil,
		func(r *sql.Rows) error {
			var n string
			err := r.Scan(&n)
			names = append(names, n)
			return err
		})
	return names, err
}
