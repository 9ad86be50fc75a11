package web

import "net/http"

// apiRoutes registers the JSON API under /api/v1 and its OpenAPI document.
func (s *Server) apiRoutes(mux *http.ServeMux) {
}
