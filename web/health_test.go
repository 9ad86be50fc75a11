package web

import (
	"net/http"
	"testing"
)

func TestHealth(t *testing.T) {
	tests := []struct {
		name   string
		store  *faultyStore
		status int
		body   string
	}{
		{"store answers", &faultyStore{}, http.StatusOK, "ok\n"},
		{"store down", &faultyStore{err: errStoreDown}, http.StatusServiceUnavailable,
			"unavailable\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.store.Store = openStore(t)
			res := get(t, testServer(t, tt.store), "/healthz")
			if res.status != tt.status || res.body != tt.body {
				t.Errorf("got %d %q, want %d %q", res.status, res.body, tt.status, tt.body)
			}
			if ct := res.header.Get("Content-Type"); ct != "text/plain; charset=utf-8" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}
