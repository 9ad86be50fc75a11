package web

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
	"github.com/debrief-oss/debrief/ical"
	"github.com/debrief-oss/debrief/workflow"
)

// Calendar feeds: iCalendar files of action item due dates that calendar
// apps subscribe to. Those apps cannot sign in, so the feed's address
// carries a secret: made on the account's calendar page, shown once, kept
// as its SHA-256 (as API tokens are), and revocable. A feed lists, at
// every fetch, what its user may read now: a disabled user's feed, a
// revoked feed and a secret never made all answer the same 404.

// calendarSecretPrefix starts every feed secret, so that one found in a
// log or a chat is recognised for what it is.
const calendarSecretPrefix = "dbc_"

// calendarPathPrefix is where feeds are served; the request log writes
// these paths without their secret (see loggedPath).
const calendarPathPrefix = "/calendar/"

// calendarRoutes registers the feeds and the page that manages them.
func (s *Server) calendarRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /account/calendars", s.handleCalendars)
	mux.HandleFunc("POST /account/calendars", s.handleCreateCalendar)
	mux.HandleFunc("POST /account/calendars/{id}/revoke", s.handleRevokeCalendar)
	mux.HandleFunc("GET "+calendarPathPrefix+"{file}", s.handleCalendarFeed)
}

// newCalendarSecret makes a feed's secret and the hash the store keeps.
func newCalendarSecret() (secret, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	secret = calendarSecretPrefix + base64.RawURLEncoding.EncodeToString(b)
	return secret, auth.HashToken(secret)
}

// loggedPath is the path as logs may show it: a calendar feed's secret is
// a password, so it is left out.
func loggedPath(path string) string {
	if strings.HasPrefix(path, calendarPathPrefix) {
		return calendarPathPrefix + "[secret]"
	}
	return path
}

// baseURL is the address this server was reached at, scheme and host, for
// the absolute links feeds and exports carry; "" when the request named no
// host.
func (s *Server) baseURL(r *http.Request) string {
	if r.Host == "" {
		return ""
	}
	scheme := "http"
	if s.secureRequest(r) {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// calendarsView is the page of a person's feeds.
type calendarsView struct {
	layout
	Feeds  []calendarFeedRow
	Scopes []selectOption
	Error  string
	// NewURL is a new feed's address, shown on the one page that answers
	// its creation and never again; WebcalURL is the same for calendar
	// apps that subscribe to webcal: links.
	NewURL, WebcalURL string
	NewFeed           *calendarFeedRow
}

type calendarFeedRow struct {
	debrief.CalendarFeed
	// What says what the feed lists: "Your items", "Items of storage".
	What string
	// TeamGone is true when the team the feed follows is no longer
	// configured: the feed answers 404, as a revoked one does.
	TeamGone bool
}

func feedRow(f debrief.CalendarFeed) calendarFeedRow {
	what := "Your action items"
	if team := f.Team(); team != "" {
		what = "Action items of team " + team
	}
	return calendarFeedRow{CalendarFeed: f, What: what}
}

func (s *Server) handleCalendars(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.require(w, r, debrief.AccessViewer); !ok {
		return
	}
	s.renderCalendars(w, r, http.StatusOK, calendarsView{})
}

// renderCalendars fills v with the signed-in person's feeds and the
// scopes a new one may have.
func (s *Server) renderCalendars(
	w http.ResponseWriter,
	r *http.Request,
	status int,
	v calendarsView,
) {
	a := actorFrom(r.Context())
	feeds, err := s.store.CalendarFeeds(r.Context(), a.Name)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	for _, f := range feeds {
		row := feedRow(f)
		if team := f.Team(); team != "" {
			_, err := s.flow.Team(team)
			row.TeamGone = debrief.IsNotFound(err)
		}
		v.Feeds = append(v.Feeds, row)
	}
	v.Scopes = []selectOption{{Value: debrief.CalendarScopeMine, Label: "Your action items"}}
	for _, t := range s.flow.Teams() {
		v.Scopes = append(v.Scopes, selectOption{Value: debrief.CalendarTeamScope(t.Name),
			Label: "Action items of team " + t.Name})
	}
	v.layout = s.layout(r, "Calendar feeds")
	// The page may show a feed's secret: no cache may keep it.
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, status, "calendars", v)
}

func (s *Server) handleCreateCalendar(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	ctx := r.Context()
	scope := strings.TrimSpace(r.PostFormValue("scope"))
	err := debrief.ValidateCalendarScope(scope)
	if team := (&debrief.CalendarFeed{Scope: scope}).Team(); err == nil && team != "" {
		if _, terr := s.flow.Team(team); terr != nil {
			err = debrief.FieldErrorf("scope", "there is no team %q to follow", team)
		}
	}
	if err != nil {
		s.renderCalendars(w, r, StatusCode(err), calendarsView{
			Error: "Feed: " + debrief.ErrorMessage(err)})
		return
	}

	secret, hash := newCalendarSecret()
	feed, err := s.store.CreateCalendarFeed(ctx, a.Name, scope, hash)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.logger.LogAttrs(ctx, slog.LevelInfo, "calendar feed created",
		slog.String("request_id", requestID(ctx)), slog.Int64("user_id", a.UserID),
		slog.Int64("feed_id", feed.ID))

	row := feedRow(*feed)
	v := calendarsView{NewFeed: &row, NewURL: s.baseURL(r) + calendarPathPrefix + secret + ".ics"}
	if rest, ok := strings.CutPrefix(v.NewURL, "https://"); ok {
		v.WebcalURL = "webcal://" + rest
	} else if rest, ok := strings.CutPrefix(v.NewURL, "http://"); ok {
		v.WebcalURL = "webcal://" + rest
	}
	s.renderCalendars(w, r, http.StatusCreated, v)
}

func (s *Server) handleRevokeCalendar(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.serveError(w, r, debrief.Errorf(debrief.KindNotFound, "no calendar feed %q",
			r.PathValue("id")))
		return
	}
	if err := s.store.RevokeCalendarFeed(r.Context(), id, a.Name); err != nil {
		s.serveError(w, r, err)
		return
	}
	s.logger.LogAttrs(r.Context(), slog.LevelInfo, "calendar feed revoked",
		slog.String("request_id", requestID(r.Context())), slog.Int64("user_id", a.UserID),
		slog.Int64("feed_id", id))
	http.Redirect(w, r, "/account/calendars", http.StatusSeeOther)
}

// handleCalendarFeed serves a feed to a calendar app, which has no
// sign-in: the secret in the path is the credential.
func (s *Server) handleCalendarFeed(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	secret, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || !strings.HasPrefix(secret, calendarSecretPrefix) {
		calendarNotFound(w)
		return
	}
	feed, err := s.store.CalendarFeedByHash(ctx, auth.HashToken(secret))
	if debrief.IsNotFound(err) {
		calendarNotFound(w)
		return
	}
	if err != nil {
		s.calendarFailed(w, r, 0, err)
		return
	}

	q := workflow.ActionQuery{Status: "open", Mine: true}
	name := "debrief: action items of " + feed.UserName
	if team := feed.Team(); team != "" {
		q.Mine, q.Team, name = false, team, "debrief: action items of team "+team
	}
	list, err := s.flow.Actions(ctx, feed.Actor(), q)
	if k := debrief.ErrorKind(err); k == debrief.KindInvalid || k == debrief.KindNotFound {
		// The team the feed follows is no longer configured.
		calendarNotFound(w)
		return
	}
	if err != nil {
		s.calendarFailed(w, r, feed.ID, err)
		return
	}

	var buf bytes.Buffer
	entries := calendarEntries(list, s.baseURL(r))
	if err := ical.Write(&buf, name, entries, s.now()); err != nil {
		s.calendarFailed(w, r, feed.ID, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Robots-Tag", "noindex")
	_, _ = w.Write(buf.Bytes())
}

// calendarEntries are the list's items that have a due date, as events.
func calendarEntries(list *workflow.ActionList, base string) []ical.Entry {
	var out []ical.Entry
	for _, row := range list.Rows {
		it := &row.Item
		if _, err := time.Parse(time.DateOnly, it.Due); err != nil {
			continue // no date, or one the report wrote unreadably: nothing to show
		}
		link := ""
		if base != "" {
			link = base + actionURL(row.Ref)
		}
		updated := it.UpdatedAt
		if updated.IsZero() {
			updated = row.Since
		}
		out = append(out, ical.Entry{
			UID: fmt.Sprintf("%s-%d@debrief", row.Ref.PostmortemID, row.Ref.Number),
			Due: it.Due, Summary: shorten(120, strings.Join(strings.Fields(it.Description), " ")),
			// Plain text: calendar apps show it as it is, escapes and all.
			Description: fmt.Sprintf("Action item %d of the postmortem: %s", row.Ref.Number,
				orDefault(row.Title, row.Ref.PostmortemID)),
			URL: link, Status: string(orOpen(it.Status)), Updated: updated, Owner: it.Owner,
		})
	}
	return out
}

// calendarNotFound is the one answer for every address that is not a live
// feed, so that the answer says nothing of why.
func calendarNotFound(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNotFound)
	_, _ = w.Write([]byte("There is no calendar feed at this address. It may have been " +
		"revoked; make a new one on your account's calendar page.\n"))
}

// calendarFailed answers a feed that could not be made. It logs the feed
// by its ID, never by its path, which holds the secret.
func (s *Server) calendarFailed(w http.ResponseWriter, r *http.Request, feed int64, err error) {
	s.logger.LogAttrs(r.Context(), slog.LevelError, "calendar feed failed",
		slog.String("request_id", requestID(r.Context())), slog.Int64("feed_id", feed),
		slog.String("error", err.Error()))
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte("Internal server error. Request id: " + requestID(r.Context()) + "\n"))
}
