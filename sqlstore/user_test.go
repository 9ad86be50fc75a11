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

func createUser(t *testing.T, db *sqlstore.DB, name string, role debrief.AccessRole) *debrief.User {
	t.Helper()
	u := &debrief.User{Name: name, Role: role}
	if err := db.CreateUser(context.Background(), u); err != nil {
		t.Fatalf("create user %s: %v", name, err)
	}
	return u
}

func createToken(t *testing.T, db *sqlstore.DB, tok *debrief.Token) (hash string) {
	t.Helper()
	_, hash = auth.NewToken()
	if err := db.CreateToken(context.Background(), tok, hash); err != nil {
		t.Fatalf("create token for %s: %v", tok.UserName, err)
	}
	return hash
}

func TestUsers(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		alice := &debrief.User{Name: "Alice", DisplayName: "Alice Liddell",
			Role: debrief.AccessFacilitator, PasswordHash: "$argon2id$v=19$…"}
		if err := db.CreateUser(ctx, alice); err != nil {
			t.Fatal(err)
		}
		if alice.ID == 0 || !alice.CreatedAt.Equal(clock.Now().Truncate(time.Microsecond)) {
			t.Errorf("ID %d, CreatedAt %v: want an ID and now", alice.ID, alice.CreatedAt)
		}
		bob := createUser(t, db, "bob", debrief.AccessViewer)

		got, err := db.User(ctx, "ALICE")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(alice, got); diff != "" {
			t.Errorf("read back (-created +read):\n%s", diff)
		}
		all, err := db.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]debrief.User{*alice, *bob}, all); diff != "" {
			t.Errorf("Users (-want +got):\n%s", diff)
		}

		err = db.CreateUser(ctx, &debrief.User{Name: "alice", Role: debrief.AccessViewer})
		wantKind(t, err, debrief.KindConflict)
		err = db.CreateUser(ctx, &debrief.User{Name: "carol smith", Role: debrief.AccessViewer})
		wantKind(t, err, debrief.KindInvalid)
		err = db.CreateUser(ctx, &debrief.User{Name: "carol", Role: "owner"})
		wantKind(t, err, debrief.KindInvalid)
		_, err = db.User(ctx, "carol")
		wantKind(t, err, debrief.KindNotFound)
	})
}

func TestSetPassword(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		createUser(t, db, "alice", debrief.AccessAdmin)
		if err := db.SetPassword(ctx, "Alice", "new-hash"); err != nil {
			t.Fatal(err)
		}
		if u, _ := db.User(ctx, "alice"); u.PasswordHash != "new-hash" {
			t.Errorf("PasswordHash = %q, want the new one", u.PasswordHash)
		}
		wantKind(t, db.SetPassword(ctx, "nobody", "h"), debrief.KindNotFound)
	})
}

func TestTokens(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		alice := createUser(t, db, "alice", debrief.AccessContributor)

		full := &debrief.Token{UserName: "ALICE", Label: "laptop"}
		hash := createToken(t, db, full)
		if full.Role != debrief.AccessContributor || full.UserID != alice.ID ||
			full.UserName != "alice" || full.ID == 0 {
			t.Errorf("token = %+v: want alice's ID, name and role", full)
		}
		got, err := db.TokenByHash(ctx, hash)
		if err != nil {
			t.Fatal(err)
		}
		used := clock.Now().Truncate(time.Microsecond)
		want := *full
		want.LastUsedAt = used
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("TokenByHash (-want +got):\n%s", diff)
		}

		// A use within the minute is not written; one after it is.
		clock.Advance(30 * time.Second)
		got, _ = db.TokenByHash(ctx, hash)
		if !got.LastUsedAt.Equal(used) {
			t.Errorf("LastUsedAt = %v after 30 s, want still %v", got.LastUsedAt, used)
		}
		clock.Advance(time.Minute)
		got, _ = db.TokenByHash(ctx, hash)
		if now := clock.Now().Truncate(time.Microsecond); !got.LastUsedAt.Equal(now) {
			t.Errorf("LastUsedAt = %v after 90 s, want %v", got.LastUsedAt, now)
		}

		_, err = db.TokenByHash(ctx, auth.HashToken("dbf_unknown"))
		wantKind(t, err, debrief.KindNotFound)
		err = db.CreateToken(ctx, &debrief.Token{UserName: "alice"}, hash)
		wantKind(t, err, debrief.KindConflict)
		err = db.CreateToken(ctx, &debrief.Token{UserName: "nobody"}, "h")
		wantKind(t, err, debrief.KindNotFound)
		_, err = db.Tokens(ctx, "nobody")
		wantKind(t, err, debrief.KindNotFound)
	})
}

// TestTokenRoleScoping: a token allows at most what its user may do.
func TestTokenRoleScoping(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		createUser(t, db, "fran", debrief.AccessFacilitator)

		read := &debrief.Token{UserName: "fran", Role: debrief.AccessViewer}
		hash := createToken(t, db, read)
		got, err := db.TokenByHash(ctx, hash)
		if err != nil || got.Role != debrief.AccessViewer {
			t.Errorf("read-only token: %+v, %v; want role viewer", got, err)
		}

		createToken(t, db, &debrief.Token{UserName: "fran", Role: debrief.AccessFacilitator})
		for _, role := range []debrief.AccessRole{debrief.AccessAdmin, "root"} {
			err := db.CreateToken(ctx, &debrief.Token{UserName: "fran", Role: role}, "h-"+string(role))
			wantKind(t, err, debrief.KindInvalid)
		}
		if list, _ := db.Tokens(ctx, "fran"); len(list) != 2 {
			t.Errorf("fran has %d tokens, want the 2 allowed", len(list))
		}
	})
}

func TestRevokeToken(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		createUser(t, db, "alice", debrief.AccessAdmin)
		old := &debrief.Token{UserName: "alice", Label: "old"}
		oldHash := createToken(t, db, old)
		kept := &debrief.Token{UserName: "alice", Label: "kept"}
		keptHash := createToken(t, db, kept)

		clock.Advance(time.Hour)
		if err := db.RevokeToken(ctx, old.ID); err != nil {
			t.Fatal(err)
		}
		revokedAt := clock.Now().Truncate(time.Microsecond)
		_, err := db.TokenByHash(ctx, oldHash)
		wantKind(t, err, debrief.KindNotFound)
		if _, err := db.TokenByHash(ctx, keptHash); err != nil {
			t.Errorf("the other token: %v", err)
		}

		clock.Advance(time.Hour)
		if err := db.RevokeToken(ctx, old.ID); err != nil {
			t.Errorf("revoking again: %v", err)
		}
		wantKind(t, db.RevokeToken(ctx, 999999), debrief.KindNotFound)

		list, err := db.Tokens(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].Label != "old" || !list[0].RevokedAt.Equal(revokedAt) ||
			list[1].Label != "kept" || list[1].Revoked() {
			t.Errorf("Tokens = %+v: want old revoked at %v, then kept live", list, revokedAt)
		}
	})
}

// TestDisabledUserToken: a disabled user's tokens stop working.
func TestDisabledUserToken(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		u := &debrief.User{Name: "gone", Role: debrief.AccessAdmin, Disabled: true}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		hash := createToken(t, db, &debrief.Token{UserName: "gone"})
		_, err := db.TokenByHash(ctx, hash)
		wantKind(t, err, debrief.KindNotFound)
	})
}

// TestUsersMigrationDown: migration 5 can be undone, for a rollback.
func TestUsersMigrationDown(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		createUser(t, db, "alice", debrief.AccessAdmin)
		if err := db.MigrateDownTo(context.Background(), 4); err != nil {
			t.Fatal(err)
		}
		_, err := db.Users(context.Background())
		if err == nil {
			t.Error("the users table is still there")
		}
	})
}

func TestEachNameBelongsToOnePerson(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		add := func(name, display string) error {
			return db.CreateUser(ctx, &debrief.User{Name: name, DisplayName: display,
				Role: debrief.AccessViewer})
		}
		if err := add("cody", "Cody Banks"); err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct{ name, display string }{
			{"cody2", "cody"},         // another's login as display name
			{"mallory", "cody banks"}, // another's display name
			{"Cody-Banks", ""},        // fine: no clash
		} {
			err := add(tt.name, tt.display)
			clash := tt.display != ""
			if clash && debrief.ErrorKind(err) != debrief.KindConflict {
				t.Errorf("%s as %q: %v, want conflict", tt.name, tt.display, err)
			}
			if !clash && err != nil {
				t.Errorf("%s: %v", tt.name, err)
			}
		}
	})
}
