package web

import "net/http"

// accountRoutes registers sign-in, sign-out, the account page (own API
// tokens, password and e-mail address) and the admin's pages for people and their tokens.
func (s *Server) accountRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /login", s.handleLoginPage)
	mux.HandleFunc("POST /login", s.handleLogin)
	mux.HandleFunc("POST /logout", s.handleLogout)

	mux.HandleFunc("GET /account", s.handleAccount)
	mux.HandleFunc("POST /account/tokens", s.handleCreateToken)
	mux.HandleFunc("POST /account/tokens/{id}/revoke", s.handleRevokeOwnToken)
	mux.HandleFunc("POST /account/password", s.handleChangePassword)
	mux.HandleFunc("POST /account/email", s.handleSetEmail)

	mux.HandleFunc("GET /users", s.handleUsers)
	mux.HandleFunc("POST /users", s.handleAddUser)
	mux.HandleFunc("GET /users/{name}", s.handleUser)
	mux.HandleFunc("POST /users/{name}/role", s.handleSetRole)
	mux.HandleFunc("POST /users/{name}/disable", s.handleDisableUser)
	mux.HandleFunc("POST /users/{name}/enable", s.handleEnableUser)
	mux.HandleFunc("POST /users/{name}/password", s.handleSetUserPassword)
	mux.HandleFunc("POST /users/{name}/tokens/{id}/revoke", s.handleRevokeUserToken)
}
