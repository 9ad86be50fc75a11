package web

import "net/http"

// editorRoutes registers the pages that change reports: new report, the
// section editors, lifecycle moves, revisions and their comparison.
func (s *Server) editorRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /postmortems/new", s.handleNewReport)
	mux.HandleFunc("POST /postmortems", s.handleCreateReport)
	mux.HandleFunc("GET /postmortems/{id}/edit/{section}", s.handleEditSection)
	mux.HandleFunc("POST /postmortems/{id}/edit/{section}", s.handleSaveSection)
	mux.HandleFunc("POST /postmortems/{id}/status", s.handleTransition)
	mux.HandleFunc("POST /postmortems/{id}/delete", s.handleDelete)
	mux.HandleFunc("GET /postmortems/{id}/revisions", s.handleRevisions)
	mux.HandleFunc("GET /postmortems/{id}/revisions/{version}", s.handleRevision)
	mux.HandleFunc("GET /postmortems/{id}/compare", s.handleCompare)
}
