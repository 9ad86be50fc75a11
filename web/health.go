package web

import (
	"context"
	"net/http"
	"time"
)

// healthTimeout bounds the store probe: a health check that hangs is as
// bad as one that fails, and load balancers give up after a few seconds.
const healthTimeout = 2 * time.Second

// handleHealth answers 200 "ok" when the store answers a trivial query.
// The probe asks whether an ID exists, which every store can do cheaply.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
	defer cancel()

	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if _, err := s.store.PostmortemIDExists(ctx, "healthz"); err != nil {
		s.logServerError(r, http.StatusServiceUnavailable, err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}
