package web

import (
	"context"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/tracker"
	"github.com/debrief-oss/debrief/tracker/trackertest"
	"github.com/debrief-oss/debrief/workflow"
)

func TestTrackerWebhookMovesTheItem(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	j := trackertest.NewJira(t, 3)
	const secret = "jira-hook-secret"
	cfg := &tracker.Config{Jira: j.Client(), JiraWebhookSecret: secret}
	ts := testServer(t, store, WithTrackers(cfg, "https://debrief.example.com"))

	p := &debrief.Postmortem{Title: "Replica lag", ActionItems: []debrief.ActionItem{
		{Description: "Alert on replica lag", Owner: "cleo", Due: "2030-01-10"}}}
	author := debrief.Actor{UserID: 1, Name: "carl", Role: debrief.AccessContributor}
	if err := workflow.New(store).Create(ctx, author, p); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/api/v1/postmortems/%s/actions/1/ticket", p.ID)
	read := versionETag(p.Version)

	viewer := newAPIClient(t, ts, store, debrief.AccessViewer)
	viewer.call("POST", path, ticketRequest{System: "jira"}, "If-Match", read).
		want(t, http.StatusForbidden)
	c := newAPIClient(t, ts, store, debrief.AccessContributor)
	c.call("POST", path, ticketRequest{System: "jira"}).
		want(t, http.StatusPreconditionRequired)
	c.call("POST", path, ticketRequest{System: "jira"}, "If-Match", versionETag(p.Version+1)).
		want(t, http.StatusPreconditionFailed)
	var tk debrief.Ticket
	c.call("POST", path, ticketRequest{System: "jira"}, "If-Match", read).
		want(t, http.StatusCreated).decode(t, &tk)
	if _, ok := j.Issue(tk.Key); !ok || tk.System != "jira" {
		t.Fatalf("ticket %+v", tk)
	}
	c.call("POST", path, ticketRequest{System: "jira"}, "If-Match", read).
		want(t, http.StatusConflict)

	hook := ts.URL + "/api/v1/trackers/jira/webhook"
	post := func(r *http.Request) int {
		t.Helper()
		res, err := ts.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		_ = res.Body.Close()
		return res.StatusCode
	}
	done := j.SetStatus(tk.Key, "Done")
	if got := post(j.WebhookRequest(hook, "wrong-secret", done)); got !=
		http.StatusUnauthorized {
		t.Fatalf("wrong secret: %d", got)
	}
	if got := post(j.SignedWebhookRequest(hook, "wrong-secret", done)); got !=
		http.StatusUnauthorized {
		t.Fatalf("wrong signature: %d", got)
	}
	if got := post(j.WebhookRequest(hook, secret, j.Comment(tk.Key, "looks good"))); got !=
		http.StatusOK {
		t.Fatalf("a comment: %d", got)
	}
	if got := post(j.WebhookRequest(hook, secret, done)); got != http.StatusAccepted {
		t.Fatalf("right secret: %d", got)
	}
	// Jira retries a delivery it thinks was lost: nothing changes again.
	if got := post(j.SignedWebhookRequest(hook, secret, done)); got != http.StatusOK {
		t.Fatalf("the same change again: %d", got)
	}
	got, err := store.Postmortem(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if it := got.ActionItems[0]; it.Status != debrief.ActionDone || it.UpdatedBy != "jira" ||
		it.Ticket == nil || !strings.EqualFold(it.Ticket.Status, "Done") {
		t.Fatalf("item after Jira's Done: %+v", it)
	}

	// GitHub is not configured: its webhook is not found, whatever it sends.
	res, err := ts.Client().Post(ts.URL+"/api/v1/trackers/github/webhook",
		"application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("unconfigured GitHub webhook: %d", res.StatusCode)
	}
}

func TestTrackerGitHubWebhookChecksTheSignature(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	g := trackertest.NewGitHub(t)
	const secret = "github-hook-secret"
	cfg := &tracker.Config{GitHub: g.Client(), GitHubWebhookSecret: secret}
	ts := testServer(t, store, WithTrackers(cfg, ""))
	p := &debrief.Postmortem{Title: "Replica lag", ActionItems: []debrief.ActionItem{
		{Description: "Alert on replica lag", Owner: "cleo"}}}
	author := debrief.Actor{UserID: 1, Name: "carl", Role: debrief.AccessContributor}
	if err := workflow.New(store).Create(ctx, author, p); err != nil {
		t.Fatal(err)
	}
	c := newAPIClient(t, ts, store, debrief.AccessContributor)
	c.call("POST", fmt.Sprintf("/api/v1/postmortems/%s/actions/1/ticket", p.ID),
		ticketRequest{System: "github"}, "If-Match", versionETag(p.Version)).
		want(t, http.StatusCreated)

	hook := ts.URL + "/api/v1/trackers/github/webhook"
	send := func(r *http.Request) int {
		t.Helper()
		res, err := ts.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		return res.StatusCode
	}
	closed := g.SetState(1, "closed", "")
	for _, tc := range []struct {
		name   string
		req    *http.Request
		status int
	}{
		{"unsigned", g.WebhookRequest(hook, "", "issues", closed), http.StatusUnauthorized},
		{"wrong key", g.WebhookRequest(hook, "nope", "issues", closed), http.StatusUnauthorized},
		{"ping", g.WebhookRequest(hook, secret, "ping", g.Ping()), http.StatusOK},
		{"closed", g.WebhookRequest(hook, secret, "issues", closed), http.StatusAccepted},
		{"redelivered", g.WebhookRequest(hook, secret, "issues", closed), http.StatusOK},
	} {
		if got := send(tc.req); got != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, got, tc.status)
		}
	}
	got, err := store.Postmortem(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if it := got.ActionItems[0]; it.Status != debrief.ActionDone || it.UpdatedBy != "github" {
		t.Fatalf("item after the issue closed: %+v", it)
	}
}

// TestTicketWhenTheTrackerIsDown: making a ticket while the tracker
// cannot be reached, is failing or refuses debrief's token is answered
// 502 Bad Gateway saying so, on the API and on the item page, without the
// tracker's token; nothing is linked, and the page offers the button
// again. The tracker's 401 is not passed on: the client's own sign-in is
// fine.
func TestTicketWhenTheTrackerIsDown(t *testing.T) {
	ctx := context.Background()
	g := trackertest.NewGitHub(t)
	down := g.Client()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down.BaseURL = "http://" + l.Addr().String()
	l.Close() // nothing listens there now

	for _, tt := range []struct {
		name   string
		client *tracker.GitHub
		fail   func()
		says   string
	}{
		{"unreachable", down, func() {}, "GitHub could not be reached"},
		{"failing", g.Client(), func() { g.FailNext(http.StatusServiceUnavailable, nil) },
			"GitHub is rate limiting debrief or failing (503)"},
		{"refusing", g.Client(), func() { g.FailNext(http.StatusUnauthorized, nil) },
			"GitHub refused debrief's credentials (401)"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store := openStore(t)
			ts := testServer(t, store, WithTrackers(&tracker.Config{GitHub: tt.client,
				GitHubWebhookSecret: "s"}, "https://debrief.example.com"))
			p := &debrief.Postmortem{Title: "Replica lag", ActionItems: []debrief.ActionItem{
				{Description: "Alert on replica lag", Owner: "cleo", Due: "2030-01-10"}}}
			author := debrief.Actor{UserID: 1, Name: "carl", Role: debrief.AccessContributor}
			if err := workflow.New(store).Create(ctx, author, p); err != nil {
				t.Fatal(err)
			}
			item := fmt.Sprintf("/postmortems/%s/actions/1", p.ID)

			tt.fail()
			c := newAPIClient(t, ts, store, debrief.AccessContributor)
			res := c.call("POST", "/api/v1"+item+"/ticket", ticketRequest{System: "github"},
				"If-Match", versionETag(p.Version)).want(t, http.StatusBadGateway)
			if d := res.fail(t); d.Code != "bad_gateway" || !strings.Contains(d.Message,
				tt.says) {
				t.Errorf("API error %+v, want bad_gateway saying %q", d, tt.says)
			}
			if h := res.header.Get("WWW-Authenticate"); h != "" {
				t.Errorf("WWW-Authenticate %q on a tracker's failure", h)
			}

			tt.fail()
			cleo := signInAs(t, ts, "cleo", testPassword, newTestUser(t, store, "cleo",
				debrief.AccessContributor))
			page, body := cleo.post(item+"/ticket", url.Values{"system": {"github"}})
			if page.StatusCode != http.StatusBadGateway {
				t.Fatalf("item page: status %d, want 502\n%s", page.StatusCode, body)
			}
			assertContains(t, "item page", body,
				"The ticket was not made: "+html.EscapeString(tt.says),
				"Alert on replica lag", "Make a GitHub issue")
			for _, answer := range []string{string(res.body), body} {
				if strings.Contains(answer, g.Token) {
					t.Errorf("an answer holds the tracker's token:\n%s", answer)
				}
			}
			if got := stored(t, store, p.ID); got.ActionItems[0].Ticket != nil {
				t.Errorf("a ticket was linked: %+v", got.ActionItems[0].Ticket)
			}
		})
	}
}
