package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/debrief-oss/debrief"
)

var _ debrief.SessionStore = (*DB)(nil)

// CreateSession stores s for the user s.UserName under the hash of its
// secret, setting s.UserID, s.UserName (as the user's name is stored),
// s.Role and s.CreatedAt, and s.ExpiresAt to its stored form. A session
// without a hash or a CSRF token, or one that does not expire after now, is
// KindInvalid; an unknown or disabled user is KindNotFound; a hash already
// stored is KindConflict.
func (db *DB) CreateSession(ctx context.Context, s *debrief.Session, hash string) error {
	now := db.clock()
	expires := utc(s.ExpiresAt)
	switch {
	case hash == "":
		return debrief.Errorf(debrief.KindInvalid, "a session needs the hash of its secret")
	case s.CSRFToken == "":
		// An empty token would be matched by a form that echoes nothing.
		return debrief.Errorf(debrief.KindInvalid, "a session needs a CSRF token")
	case !expires.After(now):
		return debrief.Errorf(debrief.KindInvalid, "a session must expire after it starts")
	}

	var userID int64
	var userName string
	var role debrief.AccessRole
	err := db.inWriteTx(ctx, func(tx *writeTx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, name, role FROM users
			WHERE lower(name) = lower($1) AND NOT disabled`, s.UserName).
			Scan(&userID, &userName, &role)
		if errors.Is(err, sql.ErrNoRows) {
			return debrief.Errorf(debrief.KindNotFound,
				"user %s not found or disabled", s.UserName)
		}
		if err != nil {
			return fmt.Errorf("read user: %w", err)
		}

		_, err = tx.ExecContext(ctx, `INSERT INTO sessions
			(hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			hash, userID, s.CSRFToken, now, expires)
		if isUniqueViolation(err) {
			return debrief.Errorf(debrief.KindConflict, "a session with this secret exists")
		}
		if err != nil {
			return fmt.Errorf("create session: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	s.UserID, s.UserName, s.Role, s.CreatedAt, s.ExpiresAt = userID, userName, role, now, expires
	return nil
}

// SessionByHash returns the live session with the hash, its Role and
// DisplayName the user's current ones. A session has expired once its
// ExpiresAt is not after now.
// An unknown or expired session, or one whose user is disabled, is
// KindNotFound.
func (db *DB) SessionByHash(ctx context.Context, hash string) (*debrief.Session, error) {
	var s debrief.Session
	var created, expires sql.NullTime
	err := db.queryRow(ctx, `SELECT s.user_id, u.name, u.display_name, u.role, s.csrf_token,
		s.created_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.hash = $1 AND s.expires_at > $2 AND NOT u.disabled`, hash, db.clock()).
		Scan(&s.UserID, &s.UserName, &s.DisplayName, &s.Role, &s.CSRFToken, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, debrief.Errorf(debrief.KindNotFound, "no such session")
	}
	if err != nil {
		return nil, fmt.Errorf("read session: %w", err)
	}
	s.CreatedAt, s.ExpiresAt = timeOf(created), timeOf(expires)
	return &s, nil
}

// DeleteSession ends the session with the hash; ending it again, or ending
// one that never was, changes nothing.
func (db *DB) DeleteSession(ctx context.Context, hash string) error {
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = $1`, hash); err != nil {
			return fmt.Errorf("delete session: %w", err)
		}
		return nil
	})
}

// DeleteExpiredSessions removes the sessions SessionByHash would refuse as
// expired and returns how many there were.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int, error) {
	now := db.clock()
	var n int64
	err := db.inWriteTx(ctx, func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, now)
		if err != nil {
			return fmt.Errorf("delete expired sessions: %w", err)
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
}
