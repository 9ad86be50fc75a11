package tracker_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/tracker"
	"github.com/debrief-oss/debrief/tracker/trackertest"
)

func TestGitHubCreateFetchMove(t *testing.T) {
	g := trackertest.NewGitHub(t)
	c := g.Client()

	ticket, err := c.Create(ctx, issue)
	if err != nil {
		t.Fatal(err)
	}
	want := tracker.Ticket{System: tracker.SystemGitHub, ID: "2100000000", Key: "acme/ops#1",
		URL: "https://github.com/acme/ops/issues/1", Status: "open", State: debrief.ActionOpen}
	if diff := cmp.Diff(want, ticket); diff != "" {
		t.Errorf("created ticket (-want +got):\n%s", diff)
	}
	stored, _ := g.Issue(1)
	if stored.Title != "Alert on replication lag above 30 s" {
		t.Errorf("title %q", stored.Title)
	}
	if !strings.HasSuffix(stored.Body, "lag alert fires in staging.\n\nDue: 2026-05-01") {
		t.Errorf("GitHub has no due date: it belongs at the end of the body: %q", stored.Body)
	}
	if diff := cmp.Diff([]string{"debrief", "action item"}, stored.Labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}

	// GitHub has no in progress: an open issue stays as it is.
	moved, err := c.Move(ctx, ticket.Key, debrief.ActionInProgress)
	if err != nil {
		t.Fatal(err)
	}
	if moved.Status != "open" || g.Count("PATCH") != 0 {
		t.Errorf("in progress: %q after %d changes", moved.Status, g.Count("PATCH"))
	}

	moved, err = c.Move(ctx, ticket.Key, debrief.ActionDone)
	if err != nil {
		t.Fatal(err)
	}
	if moved.Status != "closed as completed" || moved.State != debrief.ActionDone {
		t.Errorf("done: %+v", moved)
	}
	if s, _ := g.Issue(1); s.State != "closed" || s.StateReason != "completed" {
		t.Errorf("GitHub holds %s/%s", s.State, s.StateReason)
	}

	moved, err = c.Move(ctx, "#1", debrief.ActionOpen)
	if err != nil {
		t.Fatal(err)
	}
	if moved.Status != "open" || moved.Key != "acme/ops#1" {
		t.Errorf("reopened: %+v", moved)
	}

	// Someone closes it as not planned: that reads as blocked, and done
	// then needs a reopen first, since GitHub changes the reason only with
	// the state.
	g.SetState(1, "closed", "not_planned")
	fetched, err := c.Fetch(ctx, "1")
	if err != nil {
		t.Fatal(err)
	}
	if fetched.Status != "closed as not planned" || fetched.State != debrief.ActionBlocked {
		t.Errorf("not planned: %+v", fetched)
	}
	before := g.Count("PATCH")
	if moved, err = c.Move(ctx, "acme/ops#1", debrief.ActionDone); err != nil {
		t.Fatal(err)
	}
	if moved.Status != "closed as completed" || g.Count("PATCH") != before+2 {
		t.Errorf("done after not planned: %q after %d changes", moved.Status,
			g.Count("PATCH")-before)
	}
}

func TestGitHubHeaders(t *testing.T) {
	g := trackertest.NewGitHub(t)
	c := g.Client()
	c.Client = &http.Client{Transport: headerCheck{t: t, next: http.DefaultTransport}}
	if _, err := c.Create(ctx, tracker.Issue{Title: "Document the failover"}); err != nil {
		t.Fatal(err)
	}
}

// headerCheck fails the test when a request lacks the headers GitHub's
// documentation asks for.
type headerCheck struct {
	t    *testing.T
	next http.RoundTripper
}

func (h headerCheck) RoundTrip(r *http.Request) (*http.Response, error) {
	want := map[string]string{
		"Accept":               "application/vnd.github+json",
		"X-GitHub-Api-Version": "2022-11-28",
		"Authorization":        "Bearer github-test-token",
		"Content-Type":         "application/json",
	}
	for k, v := range want {
		if got := r.Header.Get(k); got != v {
			h.t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	return h.next.RoundTrip(r)
}

func TestGitHubErrors(t *testing.T) {
	g := trackertest.NewGitHub(t)
	c := g.Client()

	_, err := c.Fetch(ctx, "acme/ops#7")
	checkError(t, err, debrief.KindNotFound, "", "GitHub has no issue acme/ops#7")
	_, err = c.Fetch(ctx, "other/repo#1")
	checkError(t, err, debrief.KindNotFound, "", "issue other/repo#1")
	_, err = c.Fetch(ctx, "acme/ops#x")
	checkError(t, err, debrief.KindInvalid, "key", "not a GitHub issue")

	bad := g.Client()
	bad.Token = "ghp_wrong"
	_, err = bad.Create(ctx, issue)
	checkError(t, err, debrief.KindUnauthorized, "", "GitHub refused debrief's credentials")
	if strings.Contains(err.Error(), "ghp_wrong") {
		t.Errorf("the error shows the token: %v", err)
	}

	reset := time.Now().Add(90 * time.Second).Unix()
	g.FailNext(http.StatusForbidden, http.Header{
		"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {strconv.FormatInt(reset, 10)},
	})
	_, err = c.Create(ctx, issue)
	if !tracker.Retryable(err) {
		t.Errorf("GitHub's rate limit is not retryable: %v", err)
	}
	if d := tracker.RetryAfter(err); d < 80*time.Second || d > 91*time.Second {
		t.Errorf("retry after %v, want about 90s", d)
	}
	g.FailNext(http.StatusForbidden, nil)
	_, err = c.Create(ctx, issue)
	checkError(t, err, debrief.KindForbidden, "", "does not let debrief's account reach")
	if tracker.Retryable(err) {
		t.Errorf("a plain 403 is retryable: %v", err)
	}
	if g.Count("POST /repos/acme/ops/issues") != 3 {
		t.Errorf("requests: %v", g.Requests())
	}
}
