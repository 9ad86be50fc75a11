package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

var _ debrief.UserStore = (*DB)(nil)

// tokenUseGranularity is how stale a token's LastUsedAt may be. Recording
// every use would make each API request a write, and SQLite has one writer;
// to the minute is enough to tell a token in use from a forgotten one.
const tokenUseGranularity = time.Minute

// CreateUser adds u, setting its ID and CreatedAt. An invalid name or role
// is KindInvalid; a name taken, ignoring case, is KindConflict, and so is a
// display name that is another person's login or display name, or a login
// that is another person's display name: restricted reports name people,
// and a name must lead to one person only.
func (db *DB) CreateUser(ctx context.Context, u *debrief.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	now := db.clock()

	var id int64
	err := db.inWriteTx(ctx, func(tx *writeTx) error {
		if err := checkNameClash(ctx, tx, u); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `INSERT INTO users
			(name, display_name, role, password_hash, created_at, disabled, email)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			u.Name, u.DisplayName, string(u.Role), u.PasswordHash, now, u.Disabled,
			strings.TrimSpace(u.Email)).Scan(&id)
	})
	if isUniqueViolation(err) {
		return debrief.Errorf(debrief.KindConflict, "the user name %s is taken", u.Name)
	}
	if err != nil {
		return fmt.Errorf("create user: %w", err)
	}
	u.ID, u.CreatedAt = id, now
	return nil
}

// checkNameClash refuses a user whose names are already someone else's.
func checkNameClash(ctx context.Context, tx *writeTx, u *debrief.User) error {
	display := strings.TrimSpace(u.DisplayName)
	names := []string{u.Name}
	if display != "" {
		names = append(names, display)
	}
	for i, name := range names {
		var other string
		err := tx.QueryRowContext(ctx, `SELECT name FROM users
			WHERE (lower(trim(display_name)) = lower($1) AND display_name <> '')
			   OR ($2 AND lower(name) = lower($1))
			LIMIT 1`, name, i > 0).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("check names: %w", err)
		}
		return debrief.Errorf(debrief.KindConflict, "%q is already the name of user %s: "+
			"restricted reports are shared by name, so each name belongs to one person",
			name, other)
	}
	return nil
}

const selectUser = `SELECT id, name, display_name, role, password_hash, created_at, disabled,
	email FROM users`

func scanUser(row interface{ Scan(...any) error }) (debrief.User, error) {
	var u debrief.User
	var created sql.NullTime
	err := row.Scan(&u.ID, &u.Name, &u.DisplayName, &u.Role, &u.PasswordHash,
		&created, &u.Disabled, &u.Email)
	u.CreatedAt = timeOf(created)
	return u, err
}

// User returns the user with the name, ignoring case, or a KindNotFound
// error.
func (db *DB) User(ctx context.Context, name string) (*debrief.User, error) {
	u, err := scanUser(db.queryRow(ctx,
		selectUser+` WHERE lower(name) = lower($1)`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, userNotFound(name)
	}
	if err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	return &u, nil
}

func userNotFound(name string) error {
	return debrief.Errorf(debrief.KindNotFound, "user %s not found", name)
}

// Users lists all users by name.
func (db *DB) Users(ctx context.Context) ([]debrief.User, error) {
	var users []debrief.User
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		return eachRow(ctx, tx, selectUser+` ORDER BY lower(name), id`, nil,
			func(r *sql.Rows) error {
				u, err := scanUser(r)
				users = append(users, u)
				return err
			})
	})
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// SetPassword replaces the user's password hash and ends the user's
// browser sessions; an empty hash removes the password. An unknown user is
// KindNotFound.
func (db *DB) SetPassword(ctx context.Context, name, hash string) error {
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE users SET password_hash = $1 WHERE lower(name) = lower($2)`, hash, name)
		if err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(userNotFound(name), err)
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id =
			(SELECT id FROM users WHERE lower(name) = lower($1))`, name)
		if err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		return nil
	})
}

// UpdateUser changes the user's role and disabled flag. See
// debrief.UserStore.
func (db *DB) UpdateUser(
	ctx context.Context,
	name string,
	role debrief.AccessRole,
	disabled bool,
) error {
	if !role.Valid() {
		return debrief.Errorf(debrief.KindInvalid,
			"unknown role %q: use viewer, contributor, facilitator or admin", role)
	}
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE users SET role = $1, disabled = $2 WHERE lower(name) = lower($3)`,
			string(role), disabled, name)
		if err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(userNotFound(name), err)
		}
		return nil
	})
}

// SetEmail sets the address notifications to the user go to; empty
// removes it. See debrief.UserStore.
func (db *DB) SetEmail(ctx context.Context, name, email string) error {
	u := debrief.User{Name: "x", Role: debrief.AccessViewer, Email: email}
	if err := u.Validate(); err != nil {
		return err
	}
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET email = $1 WHERE lower(name) = lower($2)`,
			strings.TrimSpace(email), name)
		if err != nil {
			return fmt.Errorf("set e-mail: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(userNotFound(name), err)
		}
		return nil
	})
}

// CreateToken stores a token for the user t.UserName with the hash of its
// secret, setting t's ID, UserID and CreatedAt. An empty t.Role becomes the
// user's role; a role above the user's is KindInvalid. An unknown user is
// KindNotFound; a hash already stored is KindConflict.
func (db *DB) CreateToken(ctx context.Context, t *debrief.Token, hash string) error {
	if hash == "" {
		return debrief.Errorf(debrief.KindInvalid, "a token needs the hash of its secret")
	}
	now := db.clock()

	var userID, id int64
	var userName string
	role := t.Role
	err := db.inWriteTx(ctx, func(tx *writeTx) error {
		var userRole debrief.AccessRole
		err := tx.QueryRowContext(ctx, `SELECT id, name, role FROM users
			WHERE lower(name) = lower($1)`, t.UserName).Scan(&userID, &userName, &userRole)
		if errors.Is(err, sql.ErrNoRows) {
			return userNotFound(t.UserName)
		}
		if err != nil {
			return fmt.Errorf("read user: %w", err)
		}
		if role, err = tokenRole(role, userRole, userName); err != nil {
			return err
		}

		err = tx.QueryRowContext(ctx, `INSERT INTO tokens
			(user_id, hash, role, label, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			userID, hash, string(role), t.Label, now).Scan(&id)
		if isUniqueViolation(err) {
			return debrief.Errorf(debrief.KindConflict, "a token with this secret exists")
		}
		if err != nil {
			return fmt.Errorf("create token: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	t.ID, t.UserID, t.UserName, t.Role, t.CreatedAt = id, userID, userName, role, now
	return nil
}

// tokenRole is the role a new token gets: the one asked for, which may not
// exceed the user's, or the user's when none is.
func tokenRole(asked, userRole debrief.AccessRole, userName string) (debrief.AccessRole, error) {
	switch {
	case asked == "":
		return userRole, nil
	case !asked.Valid():
		return "", debrief.Errorf(debrief.KindInvalid, "unknown role %q", asked)
	case !userRole.Allows(asked):
		return "", debrief.Errorf(debrief.KindInvalid,
			"a token of %s may have at most the role %s, not %s", userName, userRole, asked)
	}
	return asked, nil
}

// tokenColumns are what scanToken reads, from tokenTables.
const (
	tokenColumns = `t.id, t.user_id, u.name, t.role, t.label,
	t.created_at, t.last_used_at, t.revoked_at`
	tokenTables = ` FROM tokens t JOIN users u ON u.id = t.user_id`
)

func scanToken(row interface{ Scan(...any) error }, extra ...any) (debrief.Token, error) {
	var t debrief.Token
	var created, used, revoked sql.NullTime
	err := row.Scan(append([]any{&t.ID, &t.UserID, &t.UserName, &t.Role, &t.Label,
		&created, &used, &revoked}, extra...)...)
	t.CreatedAt, t.LastUsedAt, t.RevokedAt = timeOf(created), timeOf(used), timeOf(revoked)
	return t, err
}

// TokenByHash returns the live token with the hash, with its user's display
// name, and records its use in LastUsedAt, to the minute. Its Role is the
// lower of its own and its user's. An unknown or revoked token, or one whose user is disabled, is
// KindNotFound.
func (db *DB) TokenByHash(ctx context.Context, hash string) (*debrief.Token, error) {
	var userRole debrief.AccessRole
	var display string
	t, err := scanToken(db.queryRow(ctx, `SELECT `+tokenColumns+`, u.role, u.display_name`+
		tokenTables+` WHERE t.hash = $1 AND t.revoked_at IS NULL AND NOT u.disabled`,
		hash), &userRole, &display)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, debrief.Errorf(debrief.KindNotFound, "no such token")
	}
	if err != nil {
		return nil, fmt.Errorf("read token: %w", err)
	}
	if !userRole.Allows(t.Role) {
		t.Role = userRole
	}
	t.UserDisplayName = display

	now := db.clock()
	if now.Sub(t.LastUsedAt) < tokenUseGranularity {
		return &t, nil
	}
	err = db.inWriteTx(ctx, func(tx *writeTx) error {
		_, err := tx.ExecContext(ctx, `UPDATE tokens SET last_used_at = $1 WHERE id = $2`, now, t.ID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("record token use: %w", err)
	}
	t.LastUsedAt = now
	return &t, nil
}

// RevokeToken revokes the token with the ID; revoking it again changes
// nothing. An unknown ID is KindNotFound.
func (db *DB) RevokeToken(ctx context.Context, id int64) error {
	now := db.clock()
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		var revoked sql.NullTime
		err := tx.QueryRowContext(ctx, `SELECT revoked_at FROM tokens WHERE id = $1`, id).
			Scan(&revoked)
		if errors.Is(err, sql.ErrNoRows) {
			return debrief.Errorf(debrief.KindNotFound, "token %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("read token: %w", err)
		}
		if revoked.Valid {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = $1 WHERE id = $2`, now, id)
		if err != nil {
			return fmt.Errorf("revoke token: %w", err)
		}
		return nil
	})
}

// Tokens lists the user's tokens, revoked ones included, oldest first. An
// unknown user is KindNotFound.
func (db *DB) Tokens(ctx context.Context, userName string) ([]debrief.Token, error) {
	var tokens []debrief.Token
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		userID, err := userIDOf(ctx, tx, userName)
		if err != nil {
			return err
		}
		return eachRow(ctx, tx, `SELECT `+tokenColumns+tokenTables+
			` WHERE t.user_id = $1 ORDER BY t.id`,
			[]any{userID}, func(r *sql.Rows) error {
				t, err := scanToken(r)
				tokens = append(tokens, t)
				return err
			})
	})
	if err != nil {
		return nil, err
	}
	return tokens, nil
}

// userIDOf returns the ID of the user with the name, ignoring case, or a
// KindNotFound error.
func userIDOf(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM users WHERE lower(name) = lower($1)`,
		name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, userNotFound(name)
	}
	if err != nil {
		return 0, fmt.Errorf("read user: %w", err)
	}
	return id, nil
}
