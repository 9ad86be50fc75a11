package debrief

import (
	"context"
	"strings"
	"time"
)

// The scopes of a calendar feed: the items of the feed's owner, or of a
// team, named after the prefix ("team:storage").
const (
	CalendarScopeMine = "mine"
	calendarTeamScope = "team:"
)

// CalendarTeamScope is the scope of a feed of the named team's items.
func CalendarTeamScope(team string) string { return calendarTeamScope + strings.TrimSpace(team) }

// CalendarFeed is an iCalendar feed of action item due dates. Calendar
// apps cannot sign in, so the feed's address carries a secret; like an
// API token's, the secret is shown once and only its SHA-256 is stored.
// The feed lists what its user may read, as that user, at every fetch.
type CalendarFeed struct {
	ID       int64  `json:"id"`
	UserID   int64  `json:"user_id"`
	UserName string `json:"user"`
	// UserDisplayName and UserRole are the user's now, as
	// CalendarFeedByHash reads them to act for the user.
	UserDisplayName string     `json:"-"`
	UserRole        AccessRole `json:"-"`
	// Scope is CalendarScopeMine or a team's (see CalendarTeamScope).
	Scope     string    `json:"scope"`
	CreatedAt time.Time `json:"created_at"`
	RevokedAt time.Time `json:"revoked_at,omitzero"`
}

// Revoked reports whether the feed has been revoked.
func (f *CalendarFeed) Revoked() bool { return !f.RevokedAt.IsZero() }

// Team returns the team a team feed lists, or "" for the user's own items.
func (f *CalendarFeed) Team() string {
	team, _ := strings.CutPrefix(f.Scope, calendarTeamScope)
	if team == f.Scope {
		return ""
	}
	return team
}

// Actor is the feed's user, as whom the feed reads items.
func (f *CalendarFeed) Actor() Actor {
	return Actor{UserID: f.UserID, Name: f.UserName, DisplayName: f.UserDisplayName,
		Role: f.UserRole}
}

// ValidateCalendarScope checks a feed's scope: "mine", or "team:" and a
// team's name of at most MaxTitleLen bytes on one line. Whether the team
// exists is for the caller to check against the configured teams.
func ValidateCalendarScope(scope string) error {
	if scope == CalendarScopeMine {
		return nil
	}
	team, ok := strings.CutPrefix(scope, calendarTeamScope)
	switch {
	case !ok:
		return FieldErrorf("scope", "a calendar feed lists %q items or a team's "+
			"(\"team:<name>\"), not %q", CalendarScopeMine, scope)
	case strings.TrimSpace(team) == "" || team != strings.TrimSpace(team):
		return FieldErrorf("scope", "a team feed names its team after \"team:\"")
	case len(team) > MaxTitleLen || strings.ContainsAny(team, "\t\r\n") ||
		strings.IndexFunc(team, unprintable) >= 0:
		return FieldErrorf("scope", "a team's name has at most %d bytes on one line",
			MaxTitleLen)
	}
	return nil
}

// CalendarFeedStore keeps the secrets of calendar feeds, as hashes.
type CalendarFeedStore interface {
	// CreateCalendarFeed stores a feed of the scope for the user, under
	// the hash of its secret. An unknown user is KindNotFound, an invalid
	// scope KindInvalid, a hash already stored KindConflict.
	CreateCalendarFeed(
		ctx context.Context,
		userName, scope, hash string,
	) (*CalendarFeed, error)
	// CalendarFeedByHash returns the live feed with the hash, with its
	// user's current display name and role. An unknown or revoked feed, or
	// one whose user is disabled, is KindNotFound: all three are answered
	// alike.
	CalendarFeedByHash(ctx context.Context, hash string) (*CalendarFeed, error)
	// CalendarFeeds lists the user's feeds, revoked ones included, oldest
	// first. An unknown user is KindNotFound.
	CalendarFeeds(ctx context.Context, userName string) ([]CalendarFeed, error)
	// RevokeCalendarFeed revokes the user's feed with the ID; revoking it
	// again changes nothing. A feed that is not the user's is KindNotFound.
	RevokeCalendarFeed(ctx context.Context, id int64, userName string) error
}
