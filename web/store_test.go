package web

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// openStore returns a real SQLite store in a temporary file holding the
// given reports, so the pages are tested against the store they run on.
func openStore(t *testing.T, reports ...*debrief.Postmortem) Store {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "debrief.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })

	for _, p := range reports {
		if err := db.RestorePostmortem(ctx, p); err != nil {
			t.Fatalf("restore %s: %v", p.ID, err)
		}
	}
	return db
}

// faultyStore wraps a store and fails the calls the pages make, to show how
// the server behaves when the database is down or refuses a query.
type faultyStore struct {
	Store
	err       error // returned by every read the pages make
	searchErr error // returned by Search only
}

func (s *faultyStore) Postmortem(ctx context.Context, id string) (*debrief.Postmortem, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.Store.Postmortem(ctx, id)
}

func (s *faultyStore) PostmortemIDExists(ctx context.Context, id string) (bool, error) {
	if s.err != nil {
		return false, s.err
	}
	return s.Store.PostmortemIDExists(ctx, id)
}

func (s *faultyStore) Postmortems(
	ctx context.Context,
	f debrief.PostmortemFilter,
) ([]debrief.PostmortemSummary, int, error) {
	if s.err != nil {
		return nil, 0, s.err
	}
	return s.Store.Postmortems(ctx, f)
}

func (s *faultyStore) Facets(ctx context.Context, f debrief.FacetFilter) (*debrief.Facets, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.Store.Facets(ctx, f)
}

func (s *faultyStore) Search(
	ctx context.Context,
	q debrief.SearchQuery,
) (*debrief.SearchResult, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.searchErr != nil {
		return nil, s.searchErr
	}
	return s.Store.Search(ctx, q)
}

// errStoreDown carries internal detail that must never reach a client.
var errStoreDown = errors.New("database is locked: secret internal detail")
