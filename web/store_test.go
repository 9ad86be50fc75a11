package web

import (
	"context"
	"errors"
	"testing"

	"github.com/debrief-oss/debrief"
)

// openStore returns a store holding the given reports for a page test.
// TODO: use sqlstore.Open on a temporary file once sqlstore is committed;
// it is not yet, and its first save currently deadlocks (see the report),
// so the tests run on the in-memory store in mem_store_test.go.
func openStore(t *testing.T, reports ...*debrief.Postmortem) debrief.PostmortemStore {
	t.Helper()
	return newMemStore(reports...)
}

// faultyStore wraps a store and fails the calls the pages make, to show how
// the server behaves when the database is down or refuses a query.
type faultyStore struct {
	debrief.PostmortemStore
	err       error // returned by every read the pages make
	searchErr error // returned by Search only
}

func (s *faultyStore) Postmortem(ctx context.Context, id string) (*debrief.Postmortem, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.PostmortemStore.Postmortem(ctx, id)
}

func (s *faultyStore) PostmortemIDExists(ctx context.Context, id string) (bool, error) {
	if s.err != nil {
		return false, s.err
	}
	return s.PostmortemStore.PostmortemIDExists(ctx, id)
}

func (s *faultyStore) Postmortems(
	ctx context.Context,
	f debrief.PostmortemFilter,
) ([]debrief.PostmortemSummary, int, error) {
	if s.err != nil {
		return nil, 0, s.err
	}
	return s.PostmortemStore.Postmortems(ctx, f)
}

func (s *faultyStore) Facets(ctx context.Context) (*debrief.Facets, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.PostmortemStore.Facets(ctx)
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
	return s.PostmortemStore.Search(ctx, q)
}

// errStoreDown carries internal detail that must never reach a client.
var errStoreDown = errors.New("database is locked: secret internal detail")
