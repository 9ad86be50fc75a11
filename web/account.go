package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
)

// maxLabelLen is the longest token label or display name, in characters.
const maxLabelLen = 100

// accountView is a person's page: who they are, their role and their API
// tokens. People see their own at /account; admins see anyone's at
// /users/{name}, with the controls to manage them.
type accountView struct {
	layout
	Person debrief.User
	// Own is true on the signed-in person's own page, which offers new
	// tokens and a password change.
	Own    bool
	Tokens []debrief.Token
	// TokenRoles are the roles a new token may have, tokenRole selected.
	TokenRoles []selectOption
	tokenRole  debrief.AccessRole
	TokenLabel string
	TokenError string
	// NewSecret is a token's secret, shown on the one page that answers
	// its creation and never again.
	NewSecret string
	NewToken  *debrief.Token

	PasswordError   string
	PasswordChanged bool
	// Email is the e-mail form's value: the stored address, or what was
	// typed when it was refused with EmailError.
	Email      string
	EmailError string
	EmailSaved bool
	// PersonRoles are the roles an admin may give the person.
	PersonRoles []selectOption
	Error       string
}

// handleAccount shows the signed-in person's own page.
func (s *Server) handleAccount(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	q := r.URL.Query()
	v := accountView{PasswordChanged: q.Get("password") == "changed",
		EmailSaved: q.Get("email") == "saved"}
	s.renderAccount(w, r, http.StatusOK, a.Name, v)
}

// renderAccount fills v with the person's details and tokens and renders
// the account page: the person's own, or an admin's view of someone else.
func (s *Server) renderAccount(
	w http.ResponseWriter,
	r *http.Request,
	status int,
	name string,
	v accountView,
) {
	ctx := r.Context()
	a := actorFrom(ctx)
	u, err := s.store.User(ctx, name)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	tokens, err := s.store.Tokens(ctx, u.Name)
	if err != nil {
		s.serveError(w, r, err)
		return
	}

	v.Person, v.Tokens = *u, tokens
	v.Own = u.ID == a.UserID
	if v.EmailError == "" {
		v.Email = u.Email
	}
	title := "Your account"
	if !v.Own {
		title = "Account of " + u.Name
		v.PersonRoles = roleOptions(debrief.AccessAdmin, u.Role)
	}
	if v.tokenRole == "" {
		v.tokenRole = debrief.AccessViewer // the safest choice
	}
	v.TokenRoles = roleOptions(tokenCeiling(a, u), v.tokenRole)
	v.layout = s.layout(r, title)

	// The page may show a token's secret: no cache may keep it.
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "account", v)
}

// tokenCeiling is the highest role a token made by actor a for user u may
// have: neither more than u's role nor more than a's own request allows,
// so that a token acting for someone cannot mint a stronger one.
func tokenCeiling(a debrief.Actor, u *debrief.User) debrief.AccessRole {
	if u.Role.Allows(a.Role) {
		return a.Role
	}
	return u.Role
}

// roleOptions lists the roles up to ceiling for a select, chosen selected.
func roleOptions(ceiling, chosen debrief.AccessRole) []selectOption {
	var opts []selectOption
	for _, role := range debrief.AccessRoles {
		if !ceiling.Allows(role) {
			break
		}
		opts = append(opts, selectOption{
			Value: string(role), Label: humanize(role), Selected: role == chosen,
		})
	}
	return opts
}

// handleCreateToken makes an API token for the signed-in person and shows
// its secret once.
func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	ctx := r.Context()
	label := strings.TrimSpace(r.PostFormValue("label"))
	roleText := r.PostFormValue("role")
	v := accountView{TokenLabel: label, tokenRole: debrief.AccessRole(roleText)}

	role, err := s.tokenRole(ctx, a, roleText)
	if err == nil {
		err = checkLabel("label", "The label", label)
	}
	if err != nil {
		v.TokenError = debrief.ErrorMessage(err)
		s.renderAccount(w, r, StatusCode(err), a.Name, v)
		return
	}

	secret, hash := auth.NewToken()
	tok := &debrief.Token{UserName: a.Name, Role: role, Label: label}
	if err := s.store.CreateToken(ctx, tok, hash); err != nil {
		if StatusCode(err) >= 500 {
			s.serveError(w, r, err)
			return
		}
		v.TokenError = debrief.ErrorMessage(err)
		s.renderAccount(w, r, StatusCode(err), a.Name, v)
		return
	}
	s.logger.LogAttrs(ctx, slog.LevelInfo, "token created",
		slog.String("request_id", requestID(ctx)), slog.Int64("user_id", a.UserID),
		slog.Int64("token_id", tok.ID), slog.String("role", string(tok.Role)))

	s.renderAccount(w, r, http.StatusCreated, a.Name, accountView{NewSecret: secret, NewToken: tok})
}

// tokenRole reads the role asked for a new token, which may not be above
// what the request itself may do.
func (s *Server) tokenRole(
	ctx context.Context,
	a debrief.Actor,
	text string,
) (debrief.AccessRole, error) {
	role, err := debrief.ParseAccessRole(text)
	if err != nil {
		return "", debrief.FieldErrorf("role", "%s", debrief.ErrorMessage(err))
	}
	if !a.Can(role) {
		return "", debrief.FieldErrorf("role",
			"A token can have at most your own role, %s; you asked for %s.", a.Role, role)
	}
	return role, nil
}

// checkLabel refuses a label or display name that is too long or holds
// control characters, which would garble the pages and tables showing it.
func checkLabel(field, what, s string) error {
	if utf8.RuneCountInString(s) > maxLabelLen {
		return debrief.FieldErrorf(field, "%s is too long: use at most %d characters.",
			what, maxLabelLen)
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return debrief.FieldErrorf(field, "%s must be one line of text.", what)
	}
	return nil
}

// handleRevokeOwnToken revokes one of the signed-in person's tokens.
func (s *Server) handleRevokeOwnToken(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	if err := s.revokeToken(r, a, a.Name); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, "/account", http.StatusSeeOther)
}

// revokeToken revokes the token the path names if it belongs to the user
// called owner. Someone else's token is not found, so that token ids do
// not tell what exists.
func (s *Server) revokeToken(r *http.Request, a debrief.Actor, owner string) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return debrief.Errorf(debrief.KindNotFound, "There is no such token.")
	}
	tokens, err := s.store.Tokens(ctx, owner)
	if err != nil {
		return err
	}
	var found *debrief.Token
	for i := range tokens {
		if tokens[i].ID == id {
			found = &tokens[i]
		}
	}
	if found == nil {
		return debrief.Errorf(debrief.KindNotFound, "There is no such token.")
	}
	if err := s.store.RevokeToken(ctx, id); err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	s.logger.LogAttrs(ctx, slog.LevelInfo, "token revoked",
		slog.String("request_id", requestID(ctx)), slog.Int64("actor_id", a.UserID),
		slog.Int64("user_id", found.UserID), slog.Int64("token_id", id))
	return nil
}

// handleSetEmail sets the address the signed-in person's notifications go
// to; an empty one removes it. The store checks the address.
func (s *Server) handleSetEmail(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	ctx := r.Context()
	email := strings.TrimSpace(r.PostFormValue("email"))
	if err := s.store.SetEmail(ctx, a.Name, email); err != nil {
		if StatusCode(err) >= 500 {
			s.serveError(w, r, err)
			return
		}
		s.renderAccount(w, r, StatusCode(err), a.Name, accountView{Email: email,
			EmailError: sentenceCase(debrief.ErrorMessage(err))})
		return
	}
	// The address is personal data: the log says only whose changed.
	s.logger.LogAttrs(ctx, slog.LevelInfo, "e-mail changed",
		slog.String("request_id", requestID(ctx)), slog.Int64("user_id", a.UserID))
	http.Redirect(w, r, "/account?email=saved", http.StatusSeeOther)
}

// handleChangePassword changes the signed-in person's password after
// checking the current one. Wrong guesses count like refused logins.
func (s *Server) handleChangePassword(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	ctx := r.Context()
	current := r.PostFormValue("current_password")
	newPassword := r.PostFormValue("new_password")
	fail := func(status int, msg string) {
		s.renderAccount(w, r, status, a.Name, accountView{PasswordError: msg})
	}

	nameKey := loginNameKey(a.Name)
	if blocked, _ := s.loginsByName.blocked(nameKey); blocked {
		fail(http.StatusTooManyRequests,
			"Too many wrong passwords lately. Wait a few minutes and try again.")
		return
	}
	u, err := s.store.User(ctx, a.Name)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if ok, _ := auth.VerifyPassword(u.PasswordHash, current); !ok {
		s.loginsByName.fail(nameKey)
		s.logRefusedLogin(r, s.clientAddr(r), reasonBadPassword, u)
		fail(http.StatusBadRequest, "The current password is not right.")
		return
	}
	if newPassword != r.PostFormValue("confirm_password") {
		fail(http.StatusBadRequest, "The new password and its confirmation differ.")
		return
	}
	hash, err := auth.HashPassword(newPassword)
	if err != nil {
		fail(StatusCode(err), debrief.ErrorMessage(err))
		return
	}
	// Changing the password ends every session of the person, this one
	// included; a new one keeps them signed in here.
	if err := s.store.SetPassword(ctx, u.Name, hash); err != nil {
		s.serveError(w, r, err)
		return
	}
	if err := s.startSession(ctx, w, r, u); err != nil {
		s.serveError(w, r, err)
		return
	}
	s.logger.LogAttrs(ctx, slog.LevelInfo, "password changed",
		slog.String("request_id", requestID(ctx)), slog.Int64("user_id", u.ID))
	http.Redirect(w, r, "/account?password=changed", http.StatusSeeOther)
}
