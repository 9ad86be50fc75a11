package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// querier is what the read helpers need of a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// readStmts caches statements prepared on the SQLite read pool. Reading a
// report runs about fifteen small queries, and compiling them cost as much
// as running them; database/sql keeps each statement prepared on every
// connection it has been used on. Only fixed query texts belong here.
type readStmts struct {
	pool  *sql.DB
	stmts sync.Map // query text → *sql.Stmt
}

// stmt returns the statement prepared for the query, or nil when it is not
// ready yet. It never waits: preparing on the pool needs a free connection,
// and a caller inside a read transaction holds one, so with every
// connection held by such callers a waiting prepare would never finish.
// The first caller starts the prepare in the background and runs its query
// unprepared; later callers find the statement.
func (c *readStmts) stmt(query string) *sql.Stmt {
	v, loaded := c.stmts.LoadOrStore(query, (*sql.Stmt)(nil))
	if loaded {
		return v.(*sql.Stmt)
	}
	go func() {
		s, err := c.pool.PrepareContext(context.Background(), query)
		if err != nil {
			c.stmts.Delete(query) // try again on a later call
			return
		}
		c.stmts.Store(query, s)
	}()
	return nil
}

func (c *readStmts) close() {
	c.stmts.Range(func(_, s any) bool {
		if s := s.(*sql.Stmt); s != nil {
			s.Close()
		}
		return true
	})
}

// cachedTx runs a read transaction's queries through the cached statements.
type cachedTx struct {
	*sql.Tx
	cache *readStmts
}

// cached wraps a transaction of the read pool so that its fixed queries use
// prepared statements; on PostgreSQL, whose driver caches statements
// itself, it returns tx as it is.
func (db *DB) cached(tx *sql.Tx) querier {
	if db.readCache == nil {
		return tx
	}
	return cachedTx{Tx: tx, cache: db.readCache}
}

func (t cachedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := t.cache.stmt(query); s != nil {
		return t.Tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return t.Tx.QueryContext(ctx, query, args...)
}

func (t cachedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := t.cache.stmt(query); s != nil {
		return t.Tx.StmtContext(ctx, s).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

// queryRow runs a one-row query of fixed text on the read pool, through its
// cached statement once that is ready. Every request looks up its session
// or token this way.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if db.readCache != nil {
		if s := db.readCache.stmt(query); s != nil {
			return s.QueryRowContext(ctx, args...)
		}
	}
	return db.read.QueryRowContext(ctx, query, args...)
}
