package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/markdown"
)

//go:embed migrations
var migrations embed.FS

// dialect is the database behind a DB. Most SQL is shared: modernc binds $N
// placeholders by number as PostgreSQL does. What differs (row locks, text
// search, migrations) asks the dialect.
type dialect int

const (
	dialectSQLite dialect = iota
	dialectPostgres
)

func (d dialect) String() string {
	if d == dialectPostgres {
		return "postgres"
	}
	return "sqlite"
}

// DB is a debrief.PostmortemStore, RevisionStore, IncidentStore, UserStore,
// SessionStore, AlertStore and PolicyStore on SQLite or PostgreSQL.
type DB struct {
	// read serves queries; write serves transactions that change data. On
	// PostgreSQL both are the same pool.
	read    *sql.DB
	write   *sql.DB
	dialect dialect
	now     func() time.Time
	logger  *slog.Logger

	// stmts holds the statements of a save, prepared on the SQLite write
	// connection at Open so that a save does not compile the same INSERT for
	// every row. They cannot be prepared lazily: the one write connection is
	// busy with the transaction that would need them. Read-only after Open.
	stmts map[string]*sql.Stmt
	// readCache holds statements prepared on the SQLite read pool (see
	// readStmts); nil on PostgreSQL.
	readCache *readStmts

	// failAfterParts, set only by tests, fails a save after all its rows
	// are written, to show that nothing of it stays.
	failAfterParts error
}

var _ debrief.PostmortemStore = (*DB)(nil)

// Option configures a DB.
type Option func(*DB)

// WithClock sets the clock that stamps CreatedAt and UpdatedAt and decides
// whether a session has expired. It defaults to time.Now.
func WithClock(now func() time.Time) Option {
	return func(db *DB) { db.now = now }
}

// WithLogger sets the logger. It defaults to one that discards.
func WithLogger(l *slog.Logger) Option {
	return func(db *DB) { db.logger = l }
}

// Open opens the store named by dsn and migrates it to the current schema.
// A dsn starting with postgres:// or postgresql:// names a PostgreSQL
// database; a path, or a file: URI, names a SQLite file, created if missing.
// A dsn Open cannot use (empty, another URL scheme, a folder that does not
// exist, a file that is not a SQLite database) is refused with a
// KindInvalid error that names it, without its password.
func Open(ctx context.Context, dsn string, opts ...Option) (*DB, error) {
	db := &DB{
		now:    time.Now,
		logger: slog.New(slog.DiscardHandler),
		stmts:  make(map[string]*sql.Stmt),
	}
	for _, o := range opts {
		o(db)
	}

	var err error
	switch scheme := urlScheme(dsn); {
	case strings.TrimSpace(dsn) == "":
		return nil, debrief.Errorf(debrief.KindInvalid,
			"no database given: name a SQLite file or a postgres:// URL")
	case scheme == "postgres" || scheme == "postgresql":
		err = db.openPostgres(ctx, dsn)
	case scheme != "":
		return nil, debrief.Errorf(debrief.KindInvalid,
			"cannot open database %s: %s:// is not supported; "+
				"name a SQLite file or a postgres:// URL", redact(dsn), scheme)
	default:
		err = db.openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	db.logger.Debug("store opened", "dialect", db.dialect.String())
	return db, nil
}

// urlScheme returns the scheme of a dsn written scheme://…, lower-cased, or
// "" for anything else (a path, a file: URI).
func urlScheme(dsn string) string {
	scheme, _, ok := strings.Cut(dsn, "://")
	if !ok || scheme == "" {
		return ""
	}
	for i, r := range scheme {
		letter := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		if !letter && (i == 0 || !strings.ContainsRune("0123456789+-.", r)) {
			return ""
		}
	}
	return strings.ToLower(scheme)
}

// redact returns dsn with the password of a URL replaced by xxxxx, or only
// its scheme when it does not parse, so that messages never show one.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return urlScheme(dsn) + "://…"
	}
	return u.Redacted()
}

func (db *DB) openPostgres(ctx context.Context, dsn string) error {
	db.dialect = dialectPostgres
	pool, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("open database %s: %w", redact(dsn), err)
	}
	if err := migrate(ctx, pool, dialectPostgres); err != nil {
		pool.Close()
		return fmt.Errorf("open database %s: %w", redact(dsn), err)
	}
	// Bound the pool: several debrief processes share one server, whose
	// max_connections (100 by default) counts all of them. Requests beyond
	// the bound wait for a connection instead of being refused by the server.
	pool.SetMaxOpenConns(postgresMaxConns)
	pool.SetMaxIdleConns(postgresMaxConns)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	db.read, db.write = pool, pool
	return nil
}

// postgresMaxConns is the most connections one process opens to PostgreSQL.
const postgresMaxConns = 16

// sqlitePragmas are applied to every SQLite connection, in this order:
//   - busy_timeout first, so that even setting the journal mode waits for a
//     lock held by another process instead of failing at once;
//   - WAL lets readers proceed while the single writer commits;
//   - foreign_keys is off by default in SQLite, and the cascades that remove
//     a report's parts depend on it;
//   - synchronous NORMAL is safe in WAL mode (a power cut may lose the last
//     commits, never corrupt the file) and saves an fsync per commit;
//   - reading the first 256 MiB of the file through mmap shares the
//     operating system's page cache between connections and processes:
//     searches of 10,000 reports ran 15–20 % faster at the median, a third
//     faster at the 95th percentile, than through each connection's own
//     small cache (docs/benchmarks.md).
var sqlitePragmas = []string{
	"busy_timeout(5000)",
	"journal_mode(WAL)",
	"foreign_keys(1)",
	"synchronous(NORMAL)",
	"mmap_size(268435456)",
}

// sqliteDSN adds the connection settings to a file path. _time_format=sqlite
// makes modernc write times in a form it scans back into time.Time.
func sqliteDSN(path string, extra ...string) string {
	q := url.Values{}
	q.Set("_time_format", "sqlite")
	for _, p := range append(sqlitePragmas, extra...) {
		q.Add("_pragma", p)
	}
	if !strings.HasPrefix(path, "file:") {
		// A plain path becomes a file: URI, in which ? starts the
		// parameters, # a fragment and % an escape: a path holding them
		// would name another file, opened without the pragmas.
		path = "file:" + strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return path + sep + q.Encode()
}

// openSQLite opens two pools on the file. SQLite allows one writer at a time;
// funnelling all writes through one connection makes them queue in Go rather
// than fail with SQLITE_BUSY, and keeps prepared statements on that one
// connection. Reads run concurrently on their own pool, which WAL allows.
func (db *DB) openSQLite(ctx context.Context, path string) error {
	db.dialect = dialectSQLite
	if err := checkFolder(path); err != nil {
		return err
	}

	// _txlock=immediate takes the write lock at BEGIN, so a transaction never
	// fails halfway when another process wrote since it started reading.
	write, err := sql.Open("sqlite", sqliteDSN(path)+"&_txlock=immediate")
	if err != nil {
		return fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	// Reading the schema is the first use of the file: it shows a file that
	// is not a database, or cannot be opened, before the migrations would.
	err = firstContact(ctx, write)
	if err != nil {
		write.Close()
		return sqliteOpenError(path, err)
	}
	db.write = write
	if err := db.prepareWrites(ctx); err != nil {
		write.Close()
		return err
	}

	// query_only guards the read pool against an accidental write.
	read, err := sql.Open("sqlite", sqliteDSN(path, "query_only(1)"))
	if err != nil {
		write.Close()
		return fmt.Errorf("open sqlite: %w", err)
	}
	n := max(4, runtime.NumCPU())
	read.SetMaxOpenConns(n)
	read.SetMaxIdleConns(n)
	db.read, db.write = read, write
	db.readCache = &readStmts{pool: read}
	return nil
}

// firstContact reads the schema, the first use of the file, and migrates
// it. Several processes opening a new file at once race to switch it to
// WAL, and the loser gets SQLITE_BUSY at once, without the busy timeout
// (SQLite does not wait on that lock); it tries again shortly, by which
// time the file is in WAL mode.
func firstContact(ctx context.Context, write *sql.DB) error {
	var err error
	for attempt := 0; attempt < 50; attempt++ {
		var tables int
		err = write.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&tables)
		if err == nil {
			err = migrate(ctx, write, dialectSQLite)
		}
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return err
}

// checkFolder refuses a SQLite path whose folder does not exist, which
// SQLite would report only as "unable to open database file".
func checkFolder(dsn string) error {
	path := strings.TrimPrefix(dsn, "file:")
	path, _, _ = strings.Cut(path, "?")
	if path == "" || strings.HasPrefix(path, ":") {
		return nil // in memory
	}
	dir := filepath.Dir(path)
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return debrief.Errorf(debrief.KindInvalid,
			"cannot create database %s: the folder %s does not exist", path, dir)
	case err == nil && !fi.IsDir():
		return debrief.Errorf(debrief.KindInvalid,
			"cannot create database %s: %s is not a folder", path, dir)
	}
	return nil
}

// sqliteOpenError says in plain words why the SQLite file at path could not
// be opened, when the driver's error code tells.
func sqliteOpenError(path string, err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return fmt.Errorf("open database %s: %w", path, err)
	}
	msg := ""
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_NOTADB:
		msg = "%s is not a SQLite database"
	case sqlite3.SQLITE_CANTOPEN:
		msg = "cannot open database %s: is it a file you may read and write?"
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM:
		msg = "cannot open database %s: it is read-only"
	default:
		return fmt.Errorf("open database %s: %w", path, err)
	}
	return &debrief.Error{Kind: debrief.KindInvalid, Message: fmt.Sprintf(msg, path), Err: err}
}

// migrate applies the embedded migrations of the dialect, each in its own
// transaction.
//
// Several processes may open a new database at once. goose reads the
// version before it applies a migration, so the second process to reach a
// migration applies it again and fails (table already exists), its
// transaction rolled back; it fails only once the first has committed, as
// it waits for the first's locks. Such a failure is told by the version
// having moved on meanwhile, and the migrations are then run again from the
// new version. (goose's PostgreSQL advisory lock would do as well there, but
// it polls every few seconds, and SQLite has nothing like it.)
func migrate(ctx context.Context, pool *sql.DB, d dialect) error {
	for {
		p, err := migrator(pool, d)
		if err != nil {
			return err
		}
		before, err := p.GetDBVersion(ctx)
		if err != nil {
			before = -1 // no version table yet
		}
		_, err = p.Up(ctx)
		if err == nil {
			return nil
		}
		after, verr := p.GetDBVersion(ctx)
		if verr != nil || after <= before {
			return fmt.Errorf("migrate: %w", err)
		}
	}
}

// Close closes the pools.
func (db *DB) Close() error {
	for _, s := range db.stmts {
		s.Close()
	}
	if db.readCache != nil {
		db.readCache.close()
	}

	err := db.write.Close()
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// clock returns one moment for a transaction, in UTC and at the microsecond
// precision both databases keep.
func (db *DB) clock() time.Time {
	return db.now().UTC().Truncate(time.Microsecond)
}

// prepareWrites prepares the statements of a save on the write pool.
func (db *DB) prepareWrites(ctx context.Context) error {
	for _, q := range writeQueries() {
		s, err := db.write.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		db.stmts[q] = s
	}
	return nil
}

// isUniqueViolation reports whether err is a unique or primary key
// constraint violation, by the driver's error code.
func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code()
		return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	return false
}

// isForeignKeyViolation reports whether err is a foreign key violation, by
// the driver's error code.
func isForeignKeyViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	return false
}

// schemaVersion returns the version of the newest applied migration.
func (db *DB) schemaVersion(ctx context.Context) (int64, error) {
	p, err := migrator(db.write, db.dialect)
	if err != nil {
		return 0, err
	}
	return p.GetDBVersion(ctx)
}

// migrator returns a goose provider for the dialect's embedded migrations.
func migrator(pool *sql.DB, d dialect) (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations, "migrations/"+d.String())
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	gd := goose.DialectSQLite3
	if d == dialectPostgres {
		gd = goose.DialectPostgres
	}
	p, err := goose.NewProvider(gd, pool, fsys, goose.WithGoMigrations(
		goose.NewGoMigration(4, &goose.GoFunc{RunTx: stripSearchMarkdown}, nil),
	))
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// stripSearchMarkdown is migration 4, in Go because markdown.PlainText is: it strips
// the Markdown syntax from the search text of the reports saved before
// saves did, so that their snippets read as prose too. Updating the rows
// reindexes them (by trigger on SQLite, generated columns on PostgreSQL).
func stripSearchMarkdown(ctx context.Context, tx *sql.Tx) error {
	type doc struct{ id, title, summary, body string }
	var docs []doc
	err := eachRow(ctx, tx, `SELECT postmortem_id, title, summary, body FROM search_documents`,
		nil, func(r *sql.Rows) error {
			var d doc
			err := r.Scan(&d.id, &d.title, &d.summary, &d.body)
			plain := doc{d.id, markdown.PlainText(d.title), markdown.PlainText(d.summary),
				markdown.PlainText(d.body)}
			if plain != d {
				docs = append(docs, plain)
			}
			return err
		})
	if err != nil {
		return fmt.Errorf("read search text: %w", err)
	}
	for _, d := range docs {
		_, err := tx.ExecContext(ctx, `UPDATE search_documents SET title = $1, summary = $2,
			body = $3 WHERE postmortem_id = $4`, d.title, d.summary, d.body, d.id)
		if err != nil {
			return fmt.Errorf("strip search text: %w", err)
		}
	}
	return nil
}
