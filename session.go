package debrief

import (
	"context"
	"time"
)

// Actor is who is asking: a signed-in person or a token acting for one. Role
// is what this request may do, which for a token is the lower of the token's
// and its user's role. Name is the login name; DisplayName, when the person
// has one, is the name reports may give them by (see VisibleTo).
type Actor struct {
	UserID      int64      `json:"user_id"`
	Name        string     `json:"name"`
	DisplayName string     `json:"display_name,omitempty"`
	Role        AccessRole `json:"role"`
}

// Can reports whether the actor's role allows what need is required for.
func (a Actor) Can(need AccessRole) bool { return a.Role.Allows(need) }

// Session is a browser sign-in. The session secret travels only in its
// cookie; the store keeps its SHA-256 hash, like a token's. CSRFToken is the
// value every state-changing form of the session must echo.
type Session struct {
	UserID   int64  `json:"user_id"`
	UserName string `json:"user"`
	// DisplayName is the user's display name, as SessionByHash reads it.
	DisplayName string     `json:"display_name,omitempty"`
	Role        AccessRole `json:"role"`
	CSRFToken   string     `json:"-"`
	CreatedAt   time.Time  `json:"created_at"`
	ExpiresAt   time.Time  `json:"expires_at"`
}

// SessionStore keeps browser sessions.
type SessionStore interface {
	// CreateSession stores a session for the user s.UserName under the hash
	// of its secret, setting s.UserID, s.Role and s.CreatedAt. An unknown or
	// disabled user is KindNotFound.
	CreateSession(ctx context.Context, s *Session, hash string) error
	// SessionByHash returns the live session with the hash, its Role and
	// DisplayName the user's current ones. An unknown or expired session, or one whose user
	// is disabled, is KindNotFound.
	SessionByHash(ctx context.Context, hash string) (*Session, error)
	// DeleteSession ends the session with the hash; ending it again changes
	// nothing.
	DeleteSession(ctx context.Context, hash string) error
	// DeleteExpiredSessions removes sessions that expired before now and
	// returns how many there were.
	DeleteExpiredSessions(ctx context.Context) (int, error)
}
