package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/debrief-oss/debrief"
)

var _ debrief.CalendarFeedStore = (*DB)(nil)

// Calendar feeds (migration 11, calendar_feeds): the SHA-256 of each feed's
// secret, as tokens are kept, and the scope it lists.

// CreateCalendarFeed stores a feed of the scope for the user under the
// hash of its secret. See debrief.CalendarFeedStore.
func (db *DB) CreateCalendarFeed(
	ctx context.Context,
	userName, scope, hash string,
) (*debrief.CalendarFeed, error) {
	if hash == "" {
		return nil, debrief.Errorf(debrief.KindInvalid, "a feed needs the hash of its secret")
	}
	if err := debrief.ValidateCalendarScope(scope); err != nil {
		return nil, err
	}
	f := &debrief.CalendarFeed{Scope: scope, CreatedAt: db.clock()}
	err := db.inWriteTx(ctx, func(tx *writeTx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, name, display_name, role FROM users
			WHERE lower(name) = lower($1)`, userName).
			Scan(&f.UserID, &f.UserName, &f.UserDisplayName, &f.UserRole)
		if errors.Is(err, sql.ErrNoRows) {
			return userNotFound(userName)
		}
		if err != nil {
			return fmt.Errorf("read user: %w", err)
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO calendar_feeds
			(user_id, scope, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			f.UserID, scope, hash, f.CreatedAt).Scan(&f.ID)
		if isUniqueViolation(err) {
			return debrief.Errorf(debrief.KindConflict, "a feed with this secret exists")
		}
		if err != nil {
			return fmt.Errorf("create calendar feed: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

const feedColumns = `f.id, f.user_id, u.name, u.display_name, u.role, f.scope,
	f.created_at, f.revoked_at FROM calendar_feeds f JOIN users u ON u.id = f.user_id`

func scanFeed(row interface{ Scan(...any) error }) (debrief.CalendarFeed, error) {
	var f debrief.CalendarFeed
	var created, revoked sql.NullTime
	err := row.Scan(&f.ID, &f.UserID, &f.UserName, &f.UserDisplayName, &f.UserRole,
		&f.Scope, &created, &revoked)
	f.CreatedAt, f.RevokedAt = timeOf(created), timeOf(revoked)
	return f, err
}

// CalendarFeedByHash returns the live feed with the hash, with its user's
// current display name and role; an unknown or revoked feed, or one of a
// disabled user, is KindNotFound.
func (db *DB) CalendarFeedByHash(
	ctx context.Context,
	hash string,
) (*debrief.CalendarFeed, error) {
	f, err := scanFeed(db.queryRow(ctx, `SELECT `+feedColumns+`
		WHERE f.hash = $1 AND f.revoked_at IS NULL AND NOT u.disabled`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, debrief.Errorf(debrief.KindNotFound, "no such calendar feed")
	}
	if err != nil {
		return nil, fmt.Errorf("read calendar feed: %w", err)
	}
	return &f, nil
}

// CalendarFeeds lists the user's feeds, revoked ones included, oldest
// first. An unknown user is KindNotFound.
func (db *DB) CalendarFeeds(ctx context.Context, userName string) ([]debrief.CalendarFeed, error) {
	var feeds []debrief.CalendarFeed
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		userID, err := userIDOf(ctx, tx, userName)
		if err != nil {
			return err
		}
		return eachRow(ctx, tx, `SELECT `+feedColumns+` WHERE f.user_id = $1 ORDER BY f.id`,
			[]any{userID}, func(r *sql.Rows) error {
				f, err := scanFeed(r)
				feeds = append(feeds, f)
				return err
			})
	})
	if err != nil {
		return nil, fmt.Errorf("list calendar feeds: %w", err)
	}
	return feeds, nil
}

// RevokeCalendarFeed revokes the user's feed with the ID; revoking it again
// changes nothing. Someone else's feed is KindNotFound, as an unknown one.
func (db *DB) RevokeCalendarFeed(ctx context.Context, id int64, userName string) error {
	now := db.clock()
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		var revoked sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT f.revoked_at FROM calendar_feeds f
			JOIN users u ON u.id = f.user_id
			WHERE f.id = $1 AND lower(u.name) = lower($2)`, id, userName).Scan(&revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return debrief.Errorf(debrief.KindNotFound, "calendar feed %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("read calendar feed: %w", err)
		}
		if revoked.Valid {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE calendar_feeds SET revoked_at = $1 WHERE id = $2`,
			now, id)
		if err != nil {
			return fmt.Errorf("revoke calendar feed: %w", err)
		}
		return nil
	})
}
