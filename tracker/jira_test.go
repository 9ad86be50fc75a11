package tracker_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/tracker"
	"github.com/debrief-oss/debrief/tracker/trackertest"
)

var ctx = context.Background()

// issue is an action item as the lead's code would turn it into a ticket.
var issue = tracker.Issue{
	Title: "Alert on replication lag above 30 s\n(second line is dropped)",
	Body: "Action item 3 of pm-2026-014.\nSee https://debrief.example.com/pm/pm-2026-014.\n\n" +
		"Success metric: lag alert fires in staging.",
	Labels: []string{"debrief", "action item", "debrief"},
	Due:    "2026-05-01",
}

func TestJiraCreateFetchMove(t *testing.T) {
	for _, api := range []int{3, 2} {
		t.Run(fmt.Sprintf("v%d", api), func(t *testing.T) {
			j := trackertest.NewJira(t, api)
			client := j.Client()
			if api == 2 {
				// Data Center: a personal access token as a Bearer token.
				client.Email = ""
			}

			ticket, err := client.Create(ctx, issue)
			if err != nil {
				t.Fatal(err)
			}
			want := tracker.Ticket{System: tracker.SystemJira, ID: "10000", Key: "OPS-1",
				URL: j.URL + "/browse/OPS-1", Status: "To Do", State: debrief.ActionOpen}
			if diff := cmp.Diff(want, ticket); diff != "" {
				t.Errorf("created ticket (-want +got):\n%s", diff)
			}
			// Jira's create answers only id, key and self: the status is read after.
			if got := j.Count(""); got != 2 {
				t.Errorf("create took %d requests, want 2: %v", got, j.Requests())
			}
			stored, _ := j.Issue("OPS-1")
			if stored.Summary != "Alert on replication lag above 30 s" {
				t.Errorf("summary %q", stored.Summary)
			}
			wantText := strings.TrimSpace(issue.Body)
			if stored.DescriptionText != wantText {
				t.Errorf("description %q, want %q", stored.DescriptionText, wantText)
			}
			if _, isText := stored.Description.(string); isText != (api == 2) {
				t.Errorf("v%d description sent as %T", api, stored.Description)
			}
			if diff := cmp.Diff([]string{"debrief", "action-item"}, stored.Labels); diff != "" {
				t.Errorf("labels (-want +got):\n%s", diff)
			}
			if stored.Due != "2026-05-01" {
				t.Errorf("due %q", stored.Due)
			}

			// To Do reaches Done only through In Progress in this workflow.
			moved, err := client.Move(ctx, "OPS-1", debrief.ActionDone)
			if err != nil {
				t.Fatal(err)
			}
			if moved.Status != "Done" || moved.State != debrief.ActionDone {
				t.Errorf("moved to %q (%s), want Done", moved.Status, moved.State)
			}
			if s, _ := j.Issue("OPS-1"); s.Status != "Done" {
				t.Errorf("Jira holds %q after the move", s.Status)
			}
			path := fmt.Sprintf("POST /rest/api/%d/issue/OPS-1/transitions", api)
			if n := j.Count(path); n != 2 {
				t.Errorf("%d transitions, want 2", n)
			}

			// A move to where the ticket is changes nothing.
			if _, err := client.Move(ctx, "OPS-1", debrief.ActionVerified); err != nil {
				t.Fatal(err)
			}
			if n := j.Count(path); n != 2 {
				t.Errorf("a move to the status it had made %d transitions", n-2)
			}

			// Done reaches Blocked through To Do: Reopen, then Block.
			moved, err = client.Move(ctx, "OPS-1", debrief.ActionBlocked)
			if err != nil {
				t.Fatal(err)
			}
			if moved.Status != "Blocked" || moved.State != debrief.ActionBlocked {
				t.Errorf("moved to %q (%s), want Blocked", moved.Status, moved.State)
			}

			fetched, err := client.Fetch(ctx, "OPS-1")
			if err != nil {
				t.Fatal(err)
			}
			if fetched.Status != "Blocked" || fetched.Key != "OPS-1" {
				t.Errorf("fetched %+v", fetched)
			}
		})
	}
}

func TestJiraADFDescription(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	if _, err := j.Client().Create(ctx, issue); err != nil {
		t.Fatal(err)
	}
	stored, _ := j.Issue("OPS-1")
	doc := stored.Description.(map[string]any)
	para := doc["content"].([]any)[0].(map[string]any)["content"].([]any)
	var link map[string]any
	for _, n := range para {
		if n := n.(map[string]any); n["marks"] != nil {
			link = n
		}
	}
	if link == nil || link["text"] != "https://debrief.example.com/pm/pm-2026-014" {
		t.Fatalf("the postmortem's address is not a link (the full stop must stay out): %v",
			para)
	}
}

func TestJiraFieldNotOnCreateScreen(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	j.HideField("duedate")
	ticket, err := j.Client().Create(ctx, issue)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"due"}, ticket.Dropped); diff != "" {
		t.Errorf("dropped (-want +got):\n%s", diff)
	}
	stored, _ := j.Issue(ticket.Key)
	if stored.Due != "" || len(stored.Labels) != 2 {
		t.Errorf("stored %+v", stored)
	}
}

func TestJiraRefusals(t *testing.T) {
	tests := []struct {
		name    string
		change  func(c *tracker.Jira, j *trackertest.Jira)
		in      tracker.Issue
		kind    debrief.Kind
		field   string
		message string
	}{
		{"wrong project", func(c *tracker.Jira, _ *trackertest.Jira) { c.Project = "OPZ" },
			issue, debrief.KindInvalid, "project", "Specify a valid project ID or key"},
		{"unknown issue type", func(c *tracker.Jira, _ *trackertest.Jira) {
			c.IssueType = "Chore"
		}, issue, debrief.KindInvalid, "issuetype", "Specify a valid issue type"},
		{"no title", nil, tracker.Issue{Title: " \n "}, debrief.KindInvalid, "title",
			"a ticket needs a title"},
		{"bad due date", nil, tracker.Issue{Title: "t", Due: "1 May"}, debrief.KindInvalid,
			"due", "not a date"},
		{"wrong token", func(c *tracker.Jira, _ *trackertest.Jira) {
			c.Token = "not-the-token"
		}, issue, debrief.KindUnauthorized, "", "Jira refused debrief's credentials (401)"},
		{"cloud token as bearer", func(c *tracker.Jira, _ *trackertest.Jira) { c.Email = "" },
			issue, debrief.KindUnauthorized, "", "401"},
		{"plain http to another host", func(c *tracker.Jira, _ *trackertest.Jira) {
			c.BaseURL = "http://jira.example.com"
		}, issue, debrief.KindInvalid, "url", "must use https"},
		{"credentials in the URL", func(c *tracker.Jira, j *trackertest.Jira) {
			c.BaseURL = strings.Replace(j.URL, "http://", "http://bot:hunter2@", 1)
		}, issue, debrief.KindInvalid, "url", "holds credentials"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := trackertest.NewJira(t, 3)
			c := j.Client()
			if tt.change != nil {
				tt.change(c, j)
			}
			_, err := c.Create(ctx, tt.in)
			checkError(t, err, tt.kind, tt.field, tt.message)
			for _, secret := range []string{j.Token, "hunter2", "not-the-token"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error shows a credential: %v", err)
				}
			}
		})
	}
}

func TestJiraFetchErrors(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	c := j.Client()
	_, err := c.Fetch(ctx, "OPS-99")
	checkError(t, err, debrief.KindNotFound, "", "Jira has no issue OPS-99")

	before := j.Count("")
	_, err = c.Fetch(ctx, "../../../admin")
	checkError(t, err, debrief.KindInvalid, "key", "not a Jira issue key")
	if j.Count("") != before {
		t.Error("a key that is not one was sent to Jira")
	}

	j.FailNext(http.StatusTooManyRequests, http.Header{"Retry-After": {"7"}})
	_, err = c.Fetch(ctx, "OPS-99")
	if !tracker.Retryable(err) || tracker.RetryAfter(err) != 7*time.Second {
		t.Errorf("429: retryable %v after %v: %v", tracker.Retryable(err),
			tracker.RetryAfter(err), err)
	}
	j.FailNext(http.StatusServiceUnavailable, nil)
	if _, err = c.Fetch(ctx, "OPS-99"); !tracker.Retryable(err) {
		t.Errorf("503 is not retryable: %v", err)
	}
	if _, err = c.Fetch(ctx, "OPS-99"); tracker.Retryable(err) {
		t.Errorf("404 is retryable: %v", err)
	}
}

func TestJiraUnreachable(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	c := j.Client()
	c.BaseURL = closedURL(t)
	_, err := c.Fetch(ctx, "OPS-1")
	checkError(t, err, debrief.KindInternal, "", "Jira could not be reached")
	if !tracker.Retryable(err) {
		t.Errorf("an unreachable Jira is not retryable: %v", err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := j.Client().Fetch(cancelled, "OPS-1"); tracker.Retryable(err) {
		t.Errorf("a cancelled call is retryable: %v", err)
	}
}

func TestJiraStatusesOutsideTheDefaults(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	j.AddStatus("Won't Do", "done")
	j.AddStatus("Awaiting Vendor", "indeterminate")
	c := j.Client()
	ticket, err := c.Create(ctx, tracker.Issue{Title: "Rotate the TLS certificates"})
	if err != nil {
		t.Fatal(err)
	}

	j.SetStatus(ticket.Key, "Won't Do")
	got, err := c.Fetch(ctx, ticket.Key)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != debrief.ActionBlocked {
		t.Errorf("Won't Do (category done) reads as %q, want blocked", got.State)
	}

	// By category alone, Awaiting Vendor is in progress; a team's map says
	// blocked, and Move then prefers it to the workflow's Blocked.
	j.SetStatus(ticket.Key, "To Do")
	c.Map = tracker.DefaultJiraStatuses()
	c.Map.Names["awaiting vendor"] = debrief.ActionBlocked
	c.Map.Prefer[debrief.ActionBlocked] = []string{"Awaiting Vendor", "Blocked"}
	moved, err := c.Move(ctx, ticket.Key, debrief.ActionBlocked)
	if err != nil {
		t.Fatal(err)
	}
	if moved.Status != "Awaiting Vendor" {
		t.Errorf("moved to %q, want the preferred Awaiting Vendor", moved.Status)
	}
}

func TestJiraNoWayThere(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	c := j.Client()
	if _, err := c.Create(ctx, tracker.Issue{Title: "t"}); err != nil {
		t.Fatal(err)
	}
	// A map in which no status means blocked.
	c.Map = tracker.StatusMap{Categories: map[string]debrief.ActionStatus{
		"new": debrief.ActionOpen, "indeterminate": debrief.ActionInProgress,
		"done": debrief.ActionDone,
	}}
	c.Map.Names = map[string]debrief.ActionStatus{"blocked": debrief.ActionInProgress}
	_, err := c.Move(ctx, "OPS-1", debrief.ActionBlocked)
	// It tries the way through In Progress, then stops there rather than
	// wander: In Progress and Blocked both mean in progress now.
	checkError(t, err, debrief.KindConflict, "", `offers no way from "In Progress" to a `+
		`status meaning blocked for OPS-1 (its transitions lead to "Blocked", "Done", "To Do")`)
	if n := j.Count("POST /rest/api/3/issue/OPS-1/transitions"); n != 1 {
		t.Errorf("%d transitions taken on the way to nowhere, want 1", n)
	}
}

func TestJiraMoveRefusesUnknownState(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	_, err := j.Client().Move(ctx, "OPS-1", "archived")
	checkError(t, err, debrief.KindInvalid, "status", "not an action item status")
}

func TestCredentialsNeverPrint(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	g := trackertest.NewGitHub(t)
	for _, v := range []any{j.Client(), g.Client(), *j.Client(), *g.Client()} {
		for _, format := range []string{"%v", "%+v", "%#v", "%s"} {
			out := fmt.Sprintf(format, v)
			if strings.Contains(out, j.Token) || strings.Contains(out, g.Token) {
				t.Errorf("%s shows the token: %s", format, out)
			}
		}
	}
	cfg, err := json.Marshal(tracker.Config{Jira: j.Client(), JiraWebhookSecret: "hook-secret"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(cfg), j.Token) || strings.Contains(string(cfg), "hook-secret") {
		t.Errorf("JSON shows a credential: %s", cfg)
	}
	var logged strings.Builder
	logger := newTextLogger(&logged)
	logger.Info("sync", "jira", j.Client(), "github", g.Client(),
		"token", tracker.Secret(j.Token))
	if strings.Contains(logged.String(), j.Token) || strings.Contains(logged.String(), g.Token) {
		t.Errorf("the log shows a token: %s", logged.String())
	}
	if !strings.Contains(logged.String(), "project=OPS") {
		t.Errorf("the log does not describe the tracker: %s", logged.String())
	}
}

func TestDoublesListenOnLoopback(t *testing.T) {
	for _, base := range []string{trackertest.NewJira(t, 3).URL, trackertest.NewGitHub(t).URL} {
		u, err := url.Parse(base)
		if err != nil || u.Hostname() != "127.0.0.1" {
			t.Errorf("a double listens at %s", base)
		}
	}
}

func checkError(t *testing.T, err error, kind debrief.Kind, field, message string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error; want %v %q", kind, message)
	}
	if got := debrief.ErrorKind(err); got != kind {
		t.Errorf("kind %v, want %v: %v", got, kind, err)
	}
	if got := debrief.ErrorField(err); got != field {
		t.Errorf("field %q, want %q: %v", got, field, err)
	}
	if msg := debrief.ErrorMessage(err); !strings.Contains(msg, message) {
		t.Errorf("message %q lacks %q", msg, message)
	}
}
