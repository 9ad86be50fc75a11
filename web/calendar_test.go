package web

import (
	"context"
	"errors"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	goical "github.com/emersion/go-ical"

	"github.com/debrief-oss/debrief"
)

// newFeedURL finds a new feed's address on the page that made it.
var newFeedURL = regexp.MustCompile(`id="new-feed-url" class="secret" type="text" value="([^"]+)"`)

// makeFeed makes a feed of the scope on the calendar page and returns its
// address, as the page shows it once.
func (b *browser) makeFeed(scope string) string {
	b.t.Helper()
	res, body := b.post("/account/calendars", url.Values{"scope": {scope}})
	if res.StatusCode != http.StatusCreated {
		b.t.Fatalf("make a %s feed: status %d\n%s", scope, res.StatusCode, body)
	}
	m := newFeedURL.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no feed address on the page\n%s", body)
	}
	return html.UnescapeString(m[1])
}

// fetchFeed gets a feed as a calendar app does: without signing in.
func fetchFeed(t *testing.T, feedURL string) response {
	t.Helper()
	res, err := http.Get(feedURL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

// feedEvents parses a feed with go-ical, whose encoder also checks the
// properties RFC 5545 requires, and returns its events by UID.
func feedEvents(t *testing.T, feed string) map[string]*goical.Component {
	t.Helper()
	dec := goical.NewDecoder(strings.NewReader(feed))
	cal, err := dec.Decode()
	if err != nil {
		t.Fatalf("go-ical cannot read the feed: %v\n%s", err, feed)
	}
	if _, err := dec.Decode(); !errors.Is(err, io.EOF) {
		t.Fatalf("something follows the calendar: %v", err)
	}
	if err := goical.NewEncoder(io.Discard).Encode(cal); err != nil {
		t.Fatalf("go-ical finds the feed invalid: %v", err)
	}
	events := map[string]*goical.Component{}
	for _, ev := range cal.Events() {
		uid, err := ev.Props.Text(goical.PropUID)
		if err != nil {
			t.Fatal(err)
		}
		events[uid] = ev.Component
	}
	return events
}

func uids(events map[string]*goical.Component) []string {
	var out []string
	for uid := range events {
		out = append(out, uid)
	}
	slices.Sort(out)
	return out
}

func TestCalendarFeeds(t *testing.T) {
	eachActionEnv(t, func(t *testing.T, e *actionEnv) {
		cleo := e.as("cleo", debrief.AccessContributor)
		assertContains(t, "account page", cleo.fetch("/account").body,
			`<a href="/account/calendars">Calendar feeds</a>`)
		mine := cleo.makeFeed("mine")
		if !strings.HasPrefix(mine, e.ts.URL+"/calendar/dbc_") ||
			!strings.HasSuffix(mine, ".ics") {
			t.Fatalf("feed address %q", mine)
		}

		res := fetchFeed(t, mine)
		if res.status != http.StatusOK {
			t.Fatalf("status %d\n%s", res.status, res.body)
		}
		if ct := res.header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		// Cleo owns the vault item too, but may not read its report.
		events := feedEvents(t, res.body)
		if got := uids(events); !slices.Equal(got, []string{"replica-lag-1@debrief"}) {
			t.Fatalf("cleo's feed: %v", got)
		}
		ev := events["replica-lag-1@debrief"]
		start, err := ev.Props.DateTime(goical.PropDateTimeStart, nil)
		if err != nil || start.Format("2006-01-02") != "2026-03-01" {
			t.Errorf("DTSTART %v, %v; want the due date", start, err)
		}
		summary, _ := ev.Props.Text(goical.PropSummary)
		link := ev.Props.Get(goical.PropURL)
		if summary != "Alert on replica lag over 30 s" || link == nil ||
			link.Value != e.ts.URL+"/postmortems/replica-lag/actions/1" {
			t.Errorf("summary %q, URL %+v", summary, link)
		}

		// A team's feed: open items with a due date, as its maker may see them.
		team := feedEvents(t, fetchFeed(t, cleo.makeFeed("team:storage")).body)
		if got := uids(team); !slices.Equal(got, []string{"replica-lag-1@debrief",
			"replica-lag-2@debrief"}) {
			t.Errorf("storage's feed for cleo: %v", got)
		}
		root := e.as("root", debrief.AccessAdmin)
		team = feedEvents(t, fetchFeed(t, root.makeFeed("team:storage")).body)
		if _, ok := team["vault-sealed-1@debrief"]; !ok || len(team) != 3 {
			t.Errorf("storage's feed for an admin: %v", uids(team))
		}

		// The page lists the feeds without their secrets, and revokes them.
		page := cleo.fetch("/account/calendars").body
		secret := mine[strings.LastIndex(mine, "/")+1:]
		assertContains(t, "calendar page", page, "Your action items",
			"Action items of team storage", "Active")
		assertNotContains(t, "calendar page", page, secret, `id="new-feed-url"`)
		feeds, err := e.store.CalendarFeeds(context.Background(), "cleo")
		if err != nil || len(feeds) != 2 {
			t.Fatalf("cleo's feeds: %v, %v", feeds, err)
		}
		// Someone else cannot revoke it.
		vic := e.as("vic", debrief.AccessViewer)
		revoke := "/account/calendars/" + strconv.FormatInt(feeds[0].ID, 10) + "/revoke"
		if r, _ := vic.post(revoke, url.Values{}); r.StatusCode != http.StatusNotFound {
			t.Errorf("revoking someone else's feed: status %d", r.StatusCode)
		}
		r, _ := cleo.post(revoke, url.Values{})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke: status %d", r.StatusCode)
		}
		revoked := fetchFeed(t, mine)
		unknown := fetchFeed(t, e.ts.URL+"/calendar/dbc_"+strings.Repeat("A", 43)+".ics")
		if revoked.status != http.StatusNotFound || unknown.status != http.StatusNotFound ||
			revoked.body != unknown.body {
			t.Errorf("revoked %d, unknown %d: want the same 404", revoked.status, unknown.status)
		}

		// A disabled person's feeds answer as unknown ones.
		rootFeed := root.makeFeed("mine")
		if err := e.store.UpdateUser(context.Background(), "root", debrief.AccessAdmin,
			true); err != nil {
			t.Fatal(err)
		}
		if res := fetchFeed(t, rootFeed); res.status != http.StatusNotFound ||
			res.body != unknown.body {
			t.Errorf("a disabled user's feed: status %d", res.status)
		}

		// No secret reaches the log, though every path held one.
		logs := e.logs.String()
		for _, secretURL := range []string{mine, rootFeed} {
			s := secretURL[strings.LastIndex(secretURL, "/dbc_")+1:]
			if strings.Contains(logs, strings.TrimSuffix(s, ".ics")) {
				t.Errorf("the log holds a feed secret:\n%s", logs)
			}
		}
		if !strings.Contains(logs, "path=/calendar/[secret]") {
			t.Errorf("the request log does not show feed requests:\n%s", logs)
		}
	})
}

func TestCalendarFeedRefusals(t *testing.T) {
	e := sqliteActionEnv(t)
	cleo := e.as("cleo", debrief.AccessContributor)
	for _, scope := range []string{"team:nobody", "everyone", ""} {
		res, body := cleo.post("/account/calendars", url.Values{"scope": {scope}})
		if res.StatusCode != http.StatusBadRequest ||
			!strings.Contains(body, `<p id="feed-error" class="form-error" role="alert">Feed: `) {
			t.Errorf("scope %q: status %d", scope, res.StatusCode)
		}
	}
	// A feed of a team no longer configured answers as an unknown one.
	secret, hash := newCalendarSecret()
	if _, err := e.store.CreateCalendarFeed(context.Background(), "cleo", "team:gone",
		hash); err != nil {
		t.Fatal(err)
	}
	if res := fetchFeed(t, e.ts.URL+"/calendar/"+secret+".ics"); res.status != 404 {
		t.Errorf("a feed of a team gone: status %d", res.status)
	}
	// Its page says so, rather than that it works.
	page := cleo.fetch("/account/calendars").body
	assertContains(t, "calendar page", page, "<td>Action items of team gone</td>",
		"team no longer configured")
	assertNotContains(t, "calendar page", page, "Active")
	for _, path := range []string{"/calendar/" + secret, "/calendar/x.ics",
		"/calendar/" + strings.TrimPrefix(secret, "dbc_") + ".ics"} {
		if res := fetchFeed(t, e.ts.URL+path); res.status != http.StatusNotFound {
			t.Errorf("%s: status %d", path, res.status)
		}
	}
	// The page needs a sign-in; the feed does not, and is not a page.
	anon := newBrowser(t, e.ts)
	if res := anon.fetch("/account/calendars"); res.status != http.StatusSeeOther {
		t.Errorf("anonymous calendar page: status %d", res.status)
	}
}

// TestCalendarFeedDescription: an event's description names the report
// by its title as written, without the escapes of a Go string.
func TestCalendarFeedDescription(t *testing.T) {
	e := sqliteActionEnv(t)
	title := `ICS; escaping, test\ with "quotes"`
	restore(t, e.store, &debrief.Postmortem{ID: "odd-title", Title: title,
		Status: debrief.StatusDraft, Visibility: debrief.VisibilityInternal, Version: 1,
		ActionItems: []debrief.ActionItem{{Number: 1, Description: "Escape the feed",
			Owner: "cleo", Due: "2026-03-20", Status: debrief.ActionOpen}}})
	cleo := e.as("cleo", debrief.AccessContributor)

	ev := feedEvents(t, fetchFeed(t, cleo.makeFeed("mine")).body)["odd-title-1@debrief"]
	if ev == nil {
		t.Fatal("no event for the item")
	}
	desc, err := ev.Props.Text(goical.PropDescription)
	first, _, _ := strings.Cut(desc, "\n")
	if want := "Action item 1 of the postmortem: " + title; err != nil || first != want {
		t.Errorf("DESCRIPTION starts %q (%v), want %q", first, err, want)
	}
}
