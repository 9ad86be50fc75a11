package web

import "net/http"

// editorRoutes registers the pages that change reports: new report, the
// section editors, lifecycle moves, revisions and their comparison.
func (s *Server) editorRoutes(mux *http.ServeMux) {
}
