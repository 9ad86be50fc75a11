package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
)

// writeTx is a transaction on the write pool.
type writeTx struct {
	*sql.Tx
	db *DB

	// searchDocs, when not nil, collects the search documents of a batch,
	// to be written after its savepoints (see SavePostmortems).
	searchDocs *[]searchDocument
}

// exec runs a statement in the transaction. On SQLite it reuses the
// statement prepared on the write connection at Open, when there is one;
// pgx caches prepared statements itself.
func (tx *writeTx) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s, ok := tx.db.stmts[query]; ok {
		return tx.StmtContext(ctx, s).ExecContext(ctx, args...)
	}
	return tx.ExecContext(ctx, query, args...)
}

// queryRow runs a query in the transaction, prepared as exec's statements are.
func (tx *writeTx) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if s, ok := tx.db.stmts[query]; ok {
		return tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// inWriteTx runs fn in a transaction on the write pool, committing when fn
// returns nil and rolling back otherwise.
func (db *DB) inWriteTx(ctx context.Context, fn func(*writeTx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(&writeTx{Tx: tx, db: db}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// inReadTx runs fn in a transaction on the read pool, so that its queries see
// one snapshot.
func (db *DB) inReadTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.read.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	return fn(tx)
}
