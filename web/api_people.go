package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
)

// The API's people and tokens. Admins manage accounts; everyone manages
// their own tokens.

// newUserRequest is a person to add.
type newUserRequest struct {
	Name        string             `json:"name"`
	DisplayName string             `json:"display_name,omitempty"`
	Role        debrief.AccessRole `json:"role"`
	Password    string             `json:"password,omitempty"`
}

// userPatch changes an account; fields left out keep their value.
type userPatch struct {
	Role     *debrief.AccessRole `json:"role,omitempty"`
	Disabled *bool               `json:"disabled,omitempty"`
}

// meResponse is the person asking and what this request may do.
type meResponse struct {
	debrief.User
	RequestRole debrief.AccessRole `json:"request_role"`
}

// newTokenRequest is a token to make.
type newTokenRequest struct {
	Label string `json:"label,omitempty"`
	Role  string `json:"role,omitempty"`
}

// createdToken is a new token and, this once, its secret.
type createdToken struct {
	Token  debrief.Token `json:"token"`
	Secret string        `json:"secret"`
}

func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) {
	if err := canAPI(actorFrom(r.Context()), debrief.AccessAdmin, "listing people"); err != nil {
		s.apiFail(w, r, err)
		return
	}
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWriteItems(s, w, r, users)
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) {
	if err := canAPI(actorFrom(r.Context()), debrief.AccessAdmin, "adding people"); err != nil {
		s.apiFail(w, r, err)
		return
	}
	var req newUserRequest
	if err := apiReadJSON(w, r, &req); err != nil {
		s.apiFail(w, r, err)
		return
	}
	u := &debrief.User{Name: strings.TrimSpace(req.Name),
		DisplayName: strings.TrimSpace(req.DisplayName), Role: req.Role}
	if err := u.Validate(); err != nil {
		s.apiFail(w, r, withField(err, userField(err)))
		return
	}
	if req.Password != "" {
		hash, err := auth.HashPassword(req.Password)
		if err != nil {
			s.apiFail(w, r, withField(err, "password"))
			return
		}
		u.PasswordHash = hash
	}
	if err := s.store.CreateUser(r.Context(), u); err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.logger.Info("user added", "user_id", u.ID, "role", string(u.Role),
		"by_user_id", actorFrom(r.Context()).UserID, "request_id", requestID(r.Context()))
	w.Header().Set("Location", "/api/v1/users/"+url.PathEscape(u.Name))
	s.apiJSON(w, r, http.StatusCreated, u)
}

// userField says which field of a new user a validation error is about.
func userField(err error) string {
	if strings.Contains(debrief.ErrorMessage(err), "role") {
		return "role"
	}
	return "name"
}

// withField gives a domain error that names no field the one it is about.
func withField(err error, field string) error {
	if debrief.ErrorField(err) != "" || debrief.ErrorKind(err) != debrief.KindInvalid {
		return err
	}
	return debrief.FieldErrorf(field, "%s", debrief.ErrorMessage(err))
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r.Context())
	if err := canAPI(a, debrief.AccessViewer, "this"); err != nil {
		s.apiFail(w, r, err)
		return
	}
	u, err := s.store.User(r.Context(), a.Name)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, meResponse{User: *u, RequestRole: a.Role})
}

func (s *Server) apiGetUser(w http.ResponseWriter, r *http.Request) {
	if err := canAPI(actorFrom(r.Context()), debrief.AccessAdmin, "reading accounts"); err != nil {
		s.apiFail(w, r, err)
		return
	}
	u, err := s.store.User(r.Context(), r.PathValue("name"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.apiJSON(w, r, http.StatusOK, u)
}

func (s *Server) apiUpdateUser(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r.Context())
	if err := canAPI(a, debrief.AccessAdmin, "changing accounts"); err != nil {
		s.apiFail(w, r, err)
		return
	}
	var patch userPatch
	if err := apiReadJSON(w, r, &patch); err != nil {
		s.apiFail(w, r, err)
		return
	}
	u, err := s.store.User(r.Context(), r.PathValue("name"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	role, disabled := u.Role, u.Disabled
	if patch.Role != nil {
		if role, err = debrief.ParseAccessRole(string(*patch.Role)); err != nil {
			s.apiFail(w, r, withField(err, "role"))
			return
		}
	}
	if patch.Disabled != nil {
		disabled = *patch.Disabled
	}
	// An admin who demoted or disabled themselves could lock everyone out.
	if u.ID == a.UserID && (role != u.Role || disabled) {
		s.apiFail(w, r, debrief.Errorf(debrief.KindConflict,
			"you cannot lower or disable your own account; ask another admin"))
		return
	}
	if err := s.store.UpdateUser(r.Context(), u.Name, role, disabled); err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.logger.Info("user changed", "user_id", u.ID, "role", string(role),
		"disabled", disabled, "by_user_id", a.UserID, "request_id", requestID(r.Context()))
	u.Role, u.Disabled = role, disabled
	s.apiJSON(w, r, http.StatusOK, u)
}

func (s *Server) apiListTokens(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r.Context())
	if err := canAPI(a, debrief.AccessViewer, "listing tokens"); err != nil {
		s.apiFail(w, r, err)
		return
	}
	user := r.URL.Query().Get("user")
	if user == "" {
		user = a.Name
	}
	if !strings.EqualFold(user, a.Name) && !a.Can(debrief.AccessAdmin) {
		s.apiFail(w, r, debrief.Errorf(debrief.KindForbidden,
			"listing someone else's tokens needs the admin role"))
		return
	}
	tokens, err := s.store.Tokens(r.Context(), user)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	apiWriteItems(s, w, r, tokens)
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r.Context())
	if err := canAPI(a, debrief.AccessViewer, "making tokens"); err != nil {
		s.apiFail(w, r, err)
		return
	}
	var req newTokenRequest
	if err := apiReadJSON(w, r, &req); err != nil {
		s.apiFail(w, r, err)
		return
	}
	role := a.Role
	if req.Role != "" {
		var err error
		if role, err = debrief.ParseAccessRole(req.Role); err != nil {
			s.apiFail(w, r, withField(err, "role"))
			return
		}
	}
	// A token never allows more than the request that made it: a viewer
	// token of an admin cannot mint an admin token.
	if !a.Role.Allows(role) {
		s.apiFail(w, r, debrief.Errorf(debrief.KindForbidden,
			"a token made by this request can have at most the %s role", a.Role))
		return
	}
	if len(req.Label) > debrief.MaxTitleLen {
		s.apiFail(w, r, debrief.FieldErrorf("label",
			"the label is %d bytes long; the limit is %d", len(req.Label), debrief.MaxTitleLen))
		return
	}
	secret, hash := auth.NewToken()
	t := &debrief.Token{UserName: a.Name, Role: role, Label: strings.TrimSpace(req.Label)}
	if err := s.store.CreateToken(r.Context(), t, hash); err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.logger.Info("token created", "user_id", t.UserID, "token_id", t.ID,
		"role", string(t.Role), "request_id", requestID(r.Context()))
	s.apiJSON(w, r, http.StatusCreated, createdToken{Token: *t, Secret: secret})
}

func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r.Context())
	if err := canAPI(a, debrief.AccessViewer, "revoking tokens"); err != nil {
		s.apiFail(w, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		s.apiFail(w, r, debrief.FieldErrorf("id", "token id %q is not a number from 1",
			r.PathValue("id")))
		return
	}
	if !a.Can(debrief.AccessAdmin) {
		if err := s.checkOwnToken(r, a, id); err != nil {
			s.apiFail(w, r, err)
			return
		}
	}
	if err := s.store.RevokeToken(r.Context(), id); err != nil {
		s.apiFail(w, r, err)
		return
	}
	s.logger.Info("token revoked", "token_id", id, "by_user_id", a.UserID,
		"request_id", requestID(r.Context()))
	w.WriteHeader(http.StatusNoContent)
}

// checkOwnToken is KindNotFound unless the token is the actor's: someone
// else's token is not theirs to revoke, nor to learn exists.
func (s *Server) checkOwnToken(r *http.Request, a debrief.Actor, id int64) error {
	own, err := s.store.Tokens(r.Context(), a.Name)
	if err != nil {
		return err
	}
	for _, t := range own {
		if t.ID == id {
			return nil
		}
	}
	return debrief.Errorf(debrief.KindNotFound, "you have no token %d", id)
}
