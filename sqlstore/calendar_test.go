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

func TestCalendarFeeds(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		alice := &debrief.User{Name: "alice", DisplayName: "Alice Liddell",
			Role: debrief.AccessContributor}
		if err := db.CreateUser(ctx, alice); err != nil {
			t.Fatal(err)
		}
		createUser(t, db, "bob", debrief.AccessViewer)

		mine, err := db.CreateCalendarFeed(ctx, "ALICE", debrief.CalendarScopeMine,
			auth.HashToken("secret-1"))
		if err != nil {
			t.Fatal(err)
		}
		now := clock.Now().Truncate(time.Microsecond)
		want := &debrief.CalendarFeed{ID: mine.ID, UserID: alice.ID, UserName: "alice",
			UserDisplayName: "Alice Liddell", UserRole: debrief.AccessContributor,
			Scope: "mine", CreatedAt: now}
		if diff := cmp.Diff(want, mine); diff != "" {
			t.Errorf("created (-want +got):\n%s", diff)
		}
		got, err := db.CalendarFeedByHash(ctx, auth.HashToken("secret-1"))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("CalendarFeedByHash (-want +got):\n%s", diff)
		}
		if got.Team() != "" || got.Actor().Name != "alice" {
			t.Errorf("Team %q, Actor %+v: want no team, alice", got.Team(), got.Actor())
		}

		clock.Advance(time.Hour)
		team, err := db.CreateCalendarFeed(ctx, "alice", debrief.CalendarTeamScope("storage"),
			auth.HashToken("secret-2"))
		if err != nil || team.Team() != "storage" {
			t.Fatalf("team feed: %+v, %v", team, err)
		}

		// Bob cannot revoke alice's feed; alice can, twice.
		wantKind(t, db.RevokeCalendarFeed(ctx, mine.ID, "bob"), debrief.KindNotFound)
		if _, err := db.CalendarFeedByHash(ctx, auth.HashToken("secret-1")); err != nil {
			t.Fatalf("bob's attempt revoked alice's feed: %v", err)
		}
		clock.Advance(time.Minute)
		for range 2 {
			if err := db.RevokeCalendarFeed(ctx, mine.ID, "Alice"); err != nil {
				t.Fatal(err)
			}
		}
		_, err = db.CalendarFeedByHash(ctx, auth.HashToken("secret-1"))
		wantKind(t, err, debrief.KindNotFound)

		list, err := db.CalendarFeeds(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].ID != mine.ID || !list[0].Revoked() ||
			!list[0].RevokedAt.Equal(clock.Now().Truncate(time.Microsecond)) ||
			list[1].Revoked() || list[1].Scope != "team:storage" {
			t.Errorf("alice's feeds: %+v", list)
		}
		if list, _ := db.CalendarFeeds(ctx, "bob"); len(list) != 0 {
			t.Errorf("bob has feeds: %+v", list)
		}

		// A disabled user's feed answers as an unknown one, and again once
		// they are enabled.
		if err := db.UpdateUser(ctx, "alice", debrief.AccessContributor, true); err != nil {
			t.Fatal(err)
		}
		_, err = db.CalendarFeedByHash(ctx, auth.HashToken("secret-2"))
		wantKind(t, err, debrief.KindNotFound)
		if err := db.UpdateUser(ctx, "alice", debrief.AccessViewer, false); err != nil {
			t.Fatal(err)
		}
		got, err = db.CalendarFeedByHash(ctx, auth.HashToken("secret-2"))
		if err != nil || got.UserRole != debrief.AccessViewer {
			t.Errorf("after enabling: %+v, %v; want the feed with alice's new role", got, err)
		}
	})
}

func TestCalendarFeedRefusals(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		createUser(t, db, "alice", debrief.AccessViewer)
		hash := auth.HashToken("secret")
		if _, err := db.CreateCalendarFeed(ctx, "alice", "mine", hash); err != nil {
			t.Fatal(err)
		}

		_, err := db.CreateCalendarFeed(ctx, "alice", "mine", hash)
		wantKind(t, err, debrief.KindConflict)
		_, err = db.CreateCalendarFeed(ctx, "nobody", "mine", auth.HashToken("x"))
		wantKind(t, err, debrief.KindNotFound)
		_, err = db.CreateCalendarFeed(ctx, "alice", "mine", "")
		wantKind(t, err, debrief.KindInvalid)
		for _, scope := range []string{"", "all", "team:", "team: storage", "team:a\nb"} {
			_, err = db.CreateCalendarFeed(ctx, "alice", scope, auth.HashToken(scope))
			wantKind(t, err, debrief.KindInvalid)
		}
		_, err = db.CalendarFeedByHash(ctx, auth.HashToken("unknown"))
		wantKind(t, err, debrief.KindNotFound)
		wantKind(t, db.RevokeCalendarFeed(ctx, 999, "alice"), debrief.KindNotFound)
		_, err = db.CalendarFeeds(ctx, "nobody")
		wantKind(t, err, debrief.KindNotFound)
	})
}
