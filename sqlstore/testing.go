package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
)

// NewTestSchema creates an empty schema of its own in the PostgreSQL
// database at baseURL, for tests of other packages that run on PostgreSQL
// (as this package's own tests do) without meeting each other's data. It
// returns a URL that opens the schema with Open, and drop, which removes
// the schema and all in it; a test that failed may keep it for inspection.
func NewTestSchema(
	ctx context.Context,
	baseURL string,
) (dsn string, drop func(context.Context) error, err error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", nil, fmt.Errorf("test schema: %s: %w", redact(baseURL), err)
	}
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	schema := "test_" + hex.EncodeToString(b[:])
	if err := execAdmin(ctx, baseURL, `CREATE SCHEMA `+schema); err != nil {
		return "", nil, fmt.Errorf("test schema: create: %w", err)
	}

	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	drop = func(ctx context.Context) error {
		if err := execAdmin(ctx, baseURL, `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			return fmt.Errorf("test schema: drop %s: %w", schema, err)
		}
		return nil
	}
	return u.String(), drop, nil
}

// execAdmin runs one statement on a connection of its own.
func execAdmin(ctx context.Context, dsn, stmt string) error {
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return err
	}
	defer admin.Close()
	_, err = admin.ExecContext(ctx, stmt)
	return err
}
