package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
)

// usersView is the admin's list of people, with a form to add one.
type usersView struct {
	layout
	Users []userRow
	// Changed names the user an action just changed, to confirm it.
	Changed string

	// Error is why a change to someone in the list was refused.
	Error string

	// The add-user form, refilled after a refusal (without the password).
	Name        string
	DisplayName string
	Roles       []selectOption
	role        debrief.AccessRole
	AddError    string
	// AddErrorField names the input at fault.
	AddErrorField string
}

// userRow is one person in the list, with the roles offered for them.
type userRow struct {
	debrief.User
	Self  bool
	Roles []selectOption
}

// handleUsers lists everyone who may sign in.
func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.require(w, r, debrief.AccessAdmin); !ok {
		return
	}
	s.renderUsers(w, r, http.StatusOK, usersView{Changed: r.URL.Query().Get("changed")})
}

func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, v usersView) {
	a := actorFrom(r.Context())
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.serveError(w, r, err)
		return
	}

	changed := v.Changed
	v.Changed = ""
	for _, u := range users {
		v.Users = append(v.Users, userRow{
			User:  u,
			Self:  u.ID == a.UserID,
			Roles: roleOptions(debrief.AccessAdmin, u.Role),
		})
		// Only a name in the list is confirmed: the query is anyone's to write.
		if strings.EqualFold(u.Name, changed) {
			v.Changed = u.Name
		}
	}
	if v.role == "" {
		v.role = debrief.AccessViewer // the least a new person needs
	}
	v.Roles = roleOptions(debrief.AccessAdmin, v.role)
	v.layout = s.layout(r, "People")
	s.render(w, r, status, "users", v)
}

// handleAddUser adds a person with a role and an initial password.
func (s *Server) handleAddUser(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessAdmin)
	if !ok {
		return
	}
	ctx := r.Context()
	u := &debrief.User{
		Name:        strings.TrimSpace(r.PostFormValue("name")),
		DisplayName: strings.TrimSpace(r.PostFormValue("display_name")),
	}
	v := usersView{Name: u.Name, DisplayName: u.DisplayName,
		role: debrief.AccessRole(r.PostFormValue("role"))}

	err := s.newUser(u, r.PostFormValue("role"), r.PostFormValue("password"))
	if err == nil {
		err = s.store.CreateUser(ctx, u)
	}
	if err != nil {
		if StatusCode(err) >= 500 {
			s.serveError(w, r, err)
			return
		}
		v.AddError, v.AddErrorField = debrief.ErrorMessage(err), debrief.ErrorField(err)
		s.renderUsers(w, r, StatusCode(err), v)
		return
	}

	s.logAdmin(ctx, "user added", a, u.ID, slog.String("role", string(u.Role)))
	redirectChanged(w, r, u.Name)
}

// newUser checks the add-user form and fills u from it, hashing the
// password.
func (s *Server) newUser(u *debrief.User, role, password string) error {
	if err := debrief.ValidateUserName(u.Name); err != nil {
		return debrief.FieldErrorf("name", "%s", debrief.ErrorMessage(err))
	}
	if err := checkLabel("display_name", "The display name", u.DisplayName); err != nil {
		return err
	}
	var err error
	if u.Role, err = debrief.ParseAccessRole(role); err != nil {
		return debrief.FieldErrorf("role", "%s", debrief.ErrorMessage(err))
	}
	if u.PasswordHash, err = auth.HashPassword(password); err != nil {
		return debrief.FieldErrorf("password", "%s", debrief.ErrorMessage(err))
	}
	return nil
}

// handleUser shows one person's account to an admin: their role, whether
// they may sign in, and their tokens.
func (s *Server) handleUser(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.require(w, r, debrief.AccessAdmin); !ok {
		return
	}
	v := accountView{PasswordChanged: r.URL.Query().Get("password") == "changed"}
	s.renderAccount(w, r, http.StatusOK, r.PathValue("name"), v)
}

// handleSetRole changes a person's role.
func (s *Server) handleSetRole(w http.ResponseWriter, r *http.Request) {
	s.changeUser(w, r, func(u *debrief.User) (string, error) {
		role, err := debrief.ParseAccessRole(r.PostFormValue("role"))
		if err != nil {
			return "", debrief.FieldErrorf("role", "%s", debrief.ErrorMessage(err))
		}
		u.Role = role
		return "user role changed", nil
	})
}

// handleDisableUser stops a person from signing in or using tokens; their
// sessions and tokens stop working at once.
func (s *Server) handleDisableUser(w http.ResponseWriter, r *http.Request) {
	s.changeUser(w, r, func(u *debrief.User) (string, error) {
		u.Disabled = true
		return "user disabled", nil
	})
}

// handleEnableUser lets a disabled person sign in again.
func (s *Server) handleEnableUser(w http.ResponseWriter, r *http.Request) {
	s.changeUser(w, r, func(u *debrief.User) (string, error) {
		u.Disabled = false
		return "user enabled", nil
	})
}

// changeUser applies change to the person the path names and stores their
// role and disabled flag, refusing what would leave no admin able to sign
// in.
func (s *Server) changeUser(
	w http.ResponseWriter,
	r *http.Request,
	change func(*debrief.User) (string, error),
) {
	a, ok := s.require(w, r, debrief.AccessAdmin)
	if !ok {
		return
	}
	ctx := r.Context()
	users, err := s.store.Users(ctx)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	u := findUser(users, r.PathValue("name"))
	if u == nil {
		s.serveError(w, r, debrief.Errorf(debrief.KindNotFound,
			"There is no user called %s.", r.PathValue("name")))
		return
	}

	before := *u
	what, err := change(u)
	if err == nil {
		err = keepAnAdmin(users, before, *u)
	}
	if err == nil {
		err = s.store.UpdateUser(ctx, u.Name, u.Role, u.Disabled)
	}
	if err != nil {
		if StatusCode(err) >= 500 {
			s.serveError(w, r, err)
			return
		}
		s.renderUsers(w, r, StatusCode(err), usersView{Error: debrief.ErrorMessage(err)})
		return
	}

	s.logAdmin(ctx, what, a, u.ID, slog.String("role", string(u.Role)),
		slog.Bool("disabled", u.Disabled))
	redirectChanged(w, r, u.Name)
}

// keepAnAdmin refuses a change to a user, from before to after, that would
// leave no enabled admin: nobody could then manage people from the web.
func keepAnAdmin(users []debrief.User, before, after debrief.User) error {
	wasAdmin := before.Role == debrief.AccessAdmin && !before.Disabled
	isAdmin := after.Role == debrief.AccessAdmin && !after.Disabled
	if !wasAdmin || isAdmin {
		return nil
	}
	for _, u := range users {
		if u.ID != before.ID && u.Role == debrief.AccessAdmin && !u.Disabled {
			return nil
		}
	}
	return debrief.Errorf(debrief.KindConflict,
		"%s is the only enabled admin. Make someone else an admin first.", before.Name)
}

// findUser returns the user with the name, ignoring case, or nil.
func findUser(users []debrief.User, name string) *debrief.User {
	for i := range users {
		if strings.EqualFold(users[i].Name, name) {
			return &users[i]
		}
	}
	return nil
}

// handleSetUserPassword sets a person's password, for someone who forgot
// theirs.
func (s *Server) handleSetUserPassword(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessAdmin)
	if !ok {
		return
	}
	ctx := r.Context()
	name := r.PathValue("name")
	u, err := s.store.User(ctx, name)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	hash, err := auth.HashPassword(r.PostFormValue("password"))
	if err == nil {
		err = s.store.SetPassword(ctx, u.Name, hash)
	}
	if err != nil {
		if StatusCode(err) >= 500 {
			s.serveError(w, r, err)
			return
		}
		s.renderAccount(w, r, StatusCode(err), u.Name,
			accountView{PasswordError: debrief.ErrorMessage(err)})
		return
	}
	s.logAdmin(ctx, "password set", a, u.ID)
	http.Redirect(w, r, userPath(u.Name)+"?password=changed", http.StatusSeeOther)
}

// handleRevokeUserToken revokes one of a person's tokens, for an admin.
func (s *Server) handleRevokeUserToken(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessAdmin)
	if !ok {
		return
	}
	name := r.PathValue("name")
	if err := s.revokeToken(r, a, name); err != nil {
		s.serveError(w, r, err)
		return
	}
	http.Redirect(w, r, userPath(name), http.StatusSeeOther)
}

// logAdmin records an admin's change to a person: who did it and to whom,
// by id.
func (s *Server) logAdmin(
	ctx context.Context,
	msg string,
	a debrief.Actor,
	userID int64,
	attrs ...slog.Attr,
) {
	attrs = append([]slog.Attr{
		slog.String("request_id", requestID(ctx)),
		slog.Int64("actor_id", a.UserID),
		slog.Int64("user_id", userID),
	}, attrs...)
	s.logger.LogAttrs(ctx, slog.LevelInfo, msg, attrs...)
}

// redirectChanged sends the admin back to the list, confirming the change.
func redirectChanged(w http.ResponseWriter, r *http.Request, name string) {
	http.Redirect(w, r, "/users?"+url.Values{"changed": {name}}.Encode()+"#user-"+name,
		http.StatusSeeOther)
}

// userPath is the address of a person's page for admins.
func userPath(name string) string { return "/users/" + url.PathEscape(name) }
