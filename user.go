package debrief

import (
	"context"
	"net/mail"
	"strings"
	"time"
)

// AccessRole is what a person, or a token acting for one, may do. The roles
// are ordered: each allows everything the ones below it allow.
type AccessRole string

// The access roles, from least to most allowed. (Role, without Access, is
// the part a person played in a postmortem; these are permissions.)
const (
	// AccessViewer reads reports.
	AccessViewer AccessRole = "viewer"
	// AccessContributor also writes timelines, analysis and action items.
	AccessContributor AccessRole = "contributor"
	// AccessFacilitator also runs reviews: moves reports through their states.
	AccessFacilitator AccessRole = "facilitator"
	// AccessAdmin also manages people and their tokens.
	AccessAdmin AccessRole = "admin"
)

// AccessRoles lists the roles from least to most allowed.
var AccessRoles = []AccessRole{AccessViewer, AccessContributor, AccessFacilitator, AccessAdmin}

// rank is the role's place in AccessRoles counted from one, or zero for a
// value that is not a role.
func (r AccessRole) rank() int {
	for i, known := range AccessRoles {
		if r == known {
			return i + 1
		}
	}
	return 0
}

// Valid reports whether r is one of the access roles.
func (r AccessRole) Valid() bool { return r.rank() > 0 }

// Allows reports whether r may do what need is required for. A value that is
// not a role allows nothing and is allowed by nothing.
func (r AccessRole) Allows(need AccessRole) bool {
	return r.Valid() && need.Valid() && r.rank() >= need.rank()
}

// ParseAccessRole reads a role name, ignoring case and surrounding space. An
// unknown name is a KindInvalid error that lists the roles.
func ParseAccessRole(s string) (AccessRole, error) {
	r := AccessRole(strings.ToLower(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", Errorf(KindInvalid,
			"unknown role %q: use viewer, contributor, facilitator or admin", s)
	}
	return r, nil
}

// MaxUserNameLen is the longest login name, in bytes.
const MaxUserNameLen = 64

// ValidateUserName checks a login name: 1 to MaxUserNameLen ASCII letters,
// digits, '.', '_' or '-'. Names are compared ignoring case, so "Alice" and
// "alice" cannot both exist.
func ValidateUserName(name string) error {
	if name == "" || len(name) > MaxUserNameLen {
		return Errorf(KindInvalid, "a user name has 1 to %d characters", MaxUserNameLen)
	}
	for _, c := range name {
		ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '.' || c == '_' || c == '-'
		if !ok {
			return Errorf(KindInvalid,
				"user name %q: use only letters, digits, '.', '_' and '-'", name)
		}
	}
	return nil
}

// User is a person who may sign in, or act through tokens.
type User struct {
	ID int64 `json:"id"`
	// Name is the unique login name (see ValidateUserName).
	Name        string     `json:"name"`
	DisplayName string     `json:"display_name,omitempty"`
	Role        AccessRole `json:"role"`
	// PasswordHash is the argon2id hash of the password in PHC form (see
	// package auth), or empty when the user has none and signs in only with
	// tokens. It never leaves the server.
	PasswordHash string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	// Disabled users can neither sign in nor use their tokens.
	Disabled bool `json:"disabled,omitempty"`
	// Email is where notifications to the user go; empty when none.
	Email string `json:"email,omitempty"`
}

// Validate checks the fields a new user must have right.
func (u *User) Validate() error {
	if err := ValidateUserName(u.Name); err != nil {
		return err
	}
	if len(u.DisplayName) > MaxTitleLen || strings.IndexFunc(u.DisplayName, unprintable) >= 0 ||
		strings.ContainsRune(u.DisplayName, 0) {
		return Errorf(KindInvalid, "a display name has at most %d bytes and no control "+
			"characters", MaxTitleLen)
	}
	if !u.Role.Valid() {
		return Errorf(KindInvalid,
			"unknown role %q: use viewer, contributor, facilitator or admin", u.Role)
	}
	if e := strings.TrimSpace(u.Email); e != "" {
		a, err := mail.ParseAddress(e)
		local, domain, _ := strings.Cut(e, "@")
		if err != nil || a.Address != e || len(e) > 254 || !isASCIIPrintable(local) ||
			strings.HasPrefix(domain, "[") {
			// The mailer sends to plain ASCII mailboxes on named hosts only.
			return FieldErrorf("email", "%q is not an e-mail address like ana@example.com "+
				"(plain letters before the @, a host name after it)", e)
		}
	}
	return nil
}

// Token is an API token: a secret a program presents instead of a password.
// The secret itself is shown once when the token is made and never stored;
// the store keeps only its SHA-256 hash, so Token has neither.
type Token struct {
	ID       int64  `json:"id"`
	UserID   int64  `json:"user_id"`
	UserName string `json:"user"`
	// UserDisplayName is the user's display name, as TokenByHash reads it
	// for the actor of a request. It is not part of the API's token.
	UserDisplayName string `json:"-"`
	// Role is what the token allows: at most its user's role. When the
	// user's role is lowered later, the lower of the two applies.
	Role       AccessRole `json:"role"`
	Label      string     `json:"label,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt time.Time  `json:"last_used_at,omitzero"`
	RevokedAt  time.Time  `json:"revoked_at,omitzero"`
}

// Revoked reports whether the token has been revoked.
func (t *Token) Revoked() bool { return !t.RevokedAt.IsZero() }

// UserStore keeps people and their API tokens. It stores password and token
// hashes, never the secrets themselves. Implementations (sqlstore on SQLite
// and PostgreSQL) pass one shared test suite.
type UserStore interface {
	// CreateUser adds u, setting its ID and CreatedAt. An invalid name or
	// role is KindInvalid; a name taken, ignoring case, is KindConflict.
	CreateUser(ctx context.Context, u *User) error
	// User returns the user with the name, ignoring case, or a KindNotFound
	// error.
	User(ctx context.Context, name string) (*User, error)
	// Users lists all users by name.
	Users(ctx context.Context) ([]User, error)
	// UpdateUser changes the user's role and whether they are disabled. An
	// unknown user is KindNotFound; an invalid role is KindInvalid. Lowering
	// the role lowers what the user's tokens and sessions allow at once.
	UpdateUser(ctx context.Context, name string, role AccessRole, disabled bool) error
	// SetPassword replaces the user's password hash; an empty hash removes
	// the password. It ends the user's browser sessions, so whoever signed
	// in with the old password is signed out. An unknown user is
	// KindNotFound.
	SetPassword(ctx context.Context, name, hash string) error
	// SetEmail sets the address notifications to the user go to; empty
	// removes it. An address that does not read is KindInvalid, an unknown
	// user KindNotFound.
	SetEmail(ctx context.Context, name, email string) error
	// CreateToken stores a token for the user t.UserName with the hash of
	// its secret, setting t's ID, UserID and CreatedAt. An empty t.Role
	// becomes the user's role; a role above the user's is KindInvalid. An
	// unknown user is KindNotFound; a hash already stored is KindConflict.
	CreateToken(ctx context.Context, t *Token, hash string) error
	// TokenByHash returns the live token with the hash, with its user's
	// display name, and records its use in LastUsedAt. Its Role is the lower
	// of its own and its user's. An
	// unknown or revoked token, or one whose user is disabled, is
	// KindNotFound.
	TokenByHash(ctx context.Context, hash string) (*Token, error)
	// RevokeToken revokes the token with the ID; revoking it again changes
	// nothing. An unknown ID is KindNotFound.
	RevokeToken(ctx context.Context, id int64) error
	// Tokens lists the user's tokens, revoked ones included, oldest first.
	// An unknown user is KindNotFound.
	Tokens(ctx context.Context, userName string) ([]Token, error)
}

func isASCIIPrintable(s string) bool {
	for _, r := range s {
		if r < 0x21 || r > 0x7e {
			return false
		}
	}
	return s != ""
}
