package web

import "net/http"

// accountRoutes registers sign-in, sign-out, the account page (own API
// tokens) and the admin's user pages.
func (s *Server) accountRoutes(mux *http.ServeMux) {
}
