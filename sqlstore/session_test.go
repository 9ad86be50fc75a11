package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
	"github.com/debrief-oss/debrief/sqlstore"
)

// createSession signs the user in for the duration and returns the hash the
// session is stored under.
func createSession(
	t *testing.T,
	db *sqlstore.DB,
	clock *testClock,
	user string,
	d time.Duration,
) (*debrief.Session, string) {
	t.Helper()
	_, hash := auth.NewToken()
	s := &debrief.Session{UserName: user, CSRFToken: "csrf-" + randomHex(t, 8),
		ExpiresAt: clock.Now().Add(d)}
	if err := db.CreateSession(context.Background(), s, hash); err != nil {
		t.Fatalf("create session for %s: %v", user, err)
	}
	return s, hash
}

func TestSessions(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		alice := createUser(t, db, "alice", debrief.AccessContributor)

		s, hash := createSession(t, db, clock, "ALICE", 12*time.Hour)
		now := clock.Now().Truncate(time.Microsecond)
		want := &debrief.Session{UserID: alice.ID, UserName: "alice",
			Role: debrief.AccessContributor, CSRFToken: s.CSRFToken, CreatedAt: now,
			ExpiresAt: now.Add(12 * time.Hour)}
		if diff := cmp.Diff(want, s); diff != "" {
			t.Errorf("created session (-want +got):\n%s", diff)
		}
		got, err := db.SessionByHash(ctx, hash)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("SessionByHash (-want +got):\n%s", diff)
		}

		// The session carries the user's role as it is now.
		if err := db.SetUserRole(ctx, "alice", debrief.AccessViewer); err != nil {
			t.Fatal(err)
		}
		if got, err := db.SessionByHash(ctx, hash); err != nil || got.Role != debrief.AccessViewer {
			t.Errorf("after a demotion: %+v, %v; want role viewer", got, err)
		}

		_, err = db.SessionByHash(ctx, auth.HashToken("dbf_unknown"))
		wantKind(t, err, debrief.KindNotFound)
		err = db.CreateSession(ctx, &debrief.Session{UserName: "alice", CSRFToken: "c",
			ExpiresAt: clock.Now().Add(time.Hour)}, hash)
		wantKind(t, err, debrief.KindConflict)
	})
}

func TestCreateSessionRefuses(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		createUser(t, db, "alice", debrief.AccessAdmin)
		if err := db.CreateUser(ctx, &debrief.User{Name: "gone", Role: debrief.AccessAdmin,
			Disabled: true}); err != nil {
			t.Fatal(err)
		}
		later := clock.Now().Add(time.Hour)
		tests := []struct {
			name string
			s    debrief.Session
			hash string
			want debrief.Kind
		}{
			{"unknown user", debrief.Session{UserName: "nobody", CSRFToken: "c",
				ExpiresAt: later}, "h1", debrief.KindNotFound},
			{"disabled user", debrief.Session{UserName: "gone", CSRFToken: "c",
				ExpiresAt: later}, "h2", debrief.KindNotFound},
			{"no hash", debrief.Session{UserName: "alice", CSRFToken: "c",
				ExpiresAt: later}, "", debrief.KindInvalid},
			{"no CSRF token", debrief.Session{UserName: "alice", ExpiresAt: later},
				"h3", debrief.KindInvalid},
			{"no expiry", debrief.Session{UserName: "alice", CSRFToken: "c"},
				"h4", debrief.KindInvalid},
			{"expired", debrief.Session{UserName: "alice", CSRFToken: "c",
				ExpiresAt: clock.Now()}, "h5", debrief.KindInvalid},
		}
		for _, tt := range tests {
			err := db.CreateSession(ctx, &tt.s, tt.hash)
			if debrief.ErrorKind(err) != tt.want {
				t.Errorf("%s: got %v, want a %v error", tt.name, err, tt.want)
			}
		}
	})
}

func TestSessionExpires(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		createUser(t, db, "alice", debrief.AccessAdmin)
		_, hash := createSession(t, db, clock, "alice", time.Hour)

		clock.Advance(time.Hour - time.Microsecond)
		if _, err := db.SessionByHash(ctx, hash); err != nil {
			t.Errorf("a microsecond before it expires: %v", err)
		}
		clock.Advance(time.Microsecond)
		_, err := db.SessionByHash(ctx, hash)
		wantKind(t, err, debrief.KindNotFound)
	})
}

func TestDisabledUserSession(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		createUser(t, db, "alice", debrief.AccessAdmin)
		_, hash := createSession(t, db, clock, "alice", time.Hour)

		if err := db.SetUserDisabled(ctx, "alice", true); err != nil {
			t.Fatal(err)
		}
		_, err := db.SessionByHash(ctx, hash)
		wantKind(t, err, debrief.KindNotFound)
	})
}

func TestDeleteSession(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		createUser(t, db, "alice", debrief.AccessAdmin)
		_, ended := createSession(t, db, clock, "alice", time.Hour)
		_, kept := createSession(t, db, clock, "alice", time.Hour)

		if err := db.DeleteSession(ctx, ended); err != nil {
			t.Fatal(err)
		}
		_, err := db.SessionByHash(ctx, ended)
		wantKind(t, err, debrief.KindNotFound)
		if _, err := db.SessionByHash(ctx, kept); err != nil {
			t.Errorf("the other session: %v", err)
		}
		if err := db.DeleteSession(ctx, ended); err != nil {
			t.Errorf("ending it again: %v", err)
		}
	})
}

func TestDeleteExpiredSessions(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		createUser(t, db, "alice", debrief.AccessAdmin)
		createSession(t, db, clock, "alice", time.Minute)
		createSession(t, db, clock, "alice", time.Hour)
		_, kept := createSession(t, db, clock, "alice", 2*time.Hour)

		clock.Advance(time.Hour)
		n, err := db.DeleteExpiredSessions(ctx)
		if err != nil || n != 2 {
			t.Errorf("DeleteExpiredSessions = %d, %v; want the 2 expired", n, err)
		}
		if _, err := db.SessionByHash(ctx, kept); err != nil {
			t.Errorf("the live session: %v", err)
		}
		if n, err := db.DeleteExpiredSessions(ctx); err != nil || n != 0 {
			t.Errorf("DeleteExpiredSessions again = %d, %v; want 0", n, err)
		}
	})
}

// TestSessionsMigrationDown: migration 6 can be undone, for a rollback.
// (TestRevisionsOfReportSavedBeforeThem undoes and redoes it with reports.)
func TestSessionsMigrationDown(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		createUser(t, db, "alice", debrief.AccessAdmin)
		_, hash := createSession(t, db, clock, "alice", time.Hour)

		if err := db.MigrateDownTo(ctx, 5); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionByHash(ctx, hash); err == nil {
			t.Error("the sessions table is still there")
		}
		// The users are still there (read with version 5's columns).
		if names, err := db.UserNames(ctx); err != nil || len(names) != 1 {
			t.Errorf("users after the rollback: %v, %v", names, err)
		}
	})
}

func TestSetPasswordEndsSessions(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		createUser(t, db, "alice", debrief.AccessContributor)
		createUser(t, db, "bob", debrief.AccessContributor)
		_, alices := createSession(t, db, clock, "alice", time.Hour)
		_, bobs := createSession(t, db, clock, "bob", time.Hour)

		if err := db.SetPassword(ctx, "alice", "new-hash"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SessionByHash(ctx, alices); !debrief.IsNotFound(err) {
			t.Errorf("alice's session after her password changed: %v, want not found", err)
		}
		if _, err := db.SessionByHash(ctx, bobs); err != nil {
			t.Errorf("bob's session after alice's password changed: %v", err)
		}
	})
}
