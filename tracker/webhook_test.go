package tracker_test

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/tracker"
	"github.com/debrief-oss/debrief/tracker/trackertest"
)

const (
	hookURL = "https://debrief.example.com/api/v1/trackers/jira/webhook"
	secret  = "9f1c2e7a-webhook-secret"
)

// parse reads a request as the web handler will: the raw body, then the
// parser.
func parse(
	t *testing.T,
	parser func(*http.Request, []byte, tracker.Secret) (*tracker.Change, error),
	r *http.Request,
	secret tracker.Secret,
) (*tracker.Change, error) {
	t.Helper()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		t.Fatal(err)
	}
	return parser(r, body, secret)
}

func TestJiraWebhook(t *testing.T) {
	for _, api := range []int{3, 2} {
		t.Run(fmt.Sprintf("v%d", api), func(t *testing.T) { testJiraWebhook(t, api) })
	}
}

func testJiraWebhook(t *testing.T, api int) {
	j := trackertest.NewJira(t, api)
	j.AddStatus("Won't Do", "done")
	ticket, err := j.Client().Create(ctx, tracker.Issue{Title: "Add a runbook link"})
	if err != nil {
		t.Fatal(err)
	}
	done := j.SetStatus(ticket.Key, "Done")
	wontDo := j.SetStatus(ticket.Key, "Won't Do")
	tests := []struct {
		name string
		req  *http.Request
		want *tracker.Change
		kind debrief.Kind
	}{
		{"secret in the URL", j.WebhookRequest(hookURL, secret, done),
			&tracker.Change{System: tracker.SystemJira, Key: "OPS-1", Status: "Done",
				State: debrief.ActionDone}, 0},
		{"signed", j.SignedWebhookRequest(hookURL, secret, done),
			&tracker.Change{System: tracker.SystemJira, Key: "OPS-1", Status: "Done",
				State: debrief.ActionDone}, 0},
		{"dropped work reads as blocked", j.WebhookRequest(hookURL, secret, wontDo),
			&tracker.Change{System: tracker.SystemJira, Key: "OPS-1", Status: "Won't Do",
				State:  debrief.ActionBlocked,
				Reason: `the Jira status of OPS-1 is "Won't Do"`}, 0},
		{"a comment changes no status",
			j.WebhookRequest(hookURL, secret, j.Comment(ticket.Key, "on it")), nil, 0},
		{"an edit of the summary changes no status",
			j.WebhookRequest(hookURL, secret, j.EditSummary(ticket.Key, "Add a link")),
			nil, 0},
		{"wrong secret", j.WebhookRequest(hookURL, "guess", done), nil,
			debrief.KindUnauthorized},
		{"no secret", j.WebhookRequest(hookURL, "", done), nil, debrief.KindUnauthorized},
		{"wrong signature", j.SignedWebhookRequest(hookURL+"?secret="+secret, "guess", done),
			nil, debrief.KindUnauthorized},
		{"body changed after signing", resign(j.SignedWebhookRequest(hookURL, secret, done),
			wontDo), nil, debrief.KindUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(t, tracker.ParseJiraWebhook, tt.req, secret)
			if tt.kind != 0 {
				if debrief.ErrorKind(err) != tt.kind {
					t.Fatalf("got %v, %v; want a %v error", got, err, tt.kind)
				}
				if strings.Contains(err.Error(), secret) {
					t.Errorf("the error shows the secret: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != nil && got.Delivery != tt.req.Header.Get(tracker.JiraDeliveryHeader) {
				t.Errorf("delivery %q, not the header's", got.Delivery)
			}
			if diff := cmp.Diff(tt.want, got,
				cmpopts.IgnoreFields(tracker.Change{}, "Delivery")); diff != "" {
				t.Errorf("change (-want +got):\n%s", diff)
			}
		})
	}
}

// resign replaces a request's body, keeping its headers: a body altered
// on the way.
func resign(r *http.Request, body []byte) *http.Request {
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	return r
}

func TestJiraWebhookWithoutConfiguredSecret(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	ticket, err := j.Client().Create(ctx, tracker.Issue{Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	// A URL registered with an empty secret must not match an unset one.
	r := j.WebhookRequest(hookURL+"?secret=", "", j.SetStatus(ticket.Key, "Done"))
	_, err = parse(t, tracker.ParseJiraWebhook, r, "")
	checkError(t, err, debrief.KindUnauthorized, "", "no Jira webhook secret is configured")
}

func TestJiraWebhookCreated(t *testing.T) {
	body := []byte(`{"timestamp":1767604800000,"webhookEvent":"jira:issue_created",` +
		`"issue_event_type_name":"issue_created","issue":{"id":"10004","key":"OPS-5",` +
		`"fields":{"summary":"s","status":{"name":"To Do","id":"10000",` +
		`"statusCategory":{"id":2,"key":"new","colorName":"blue-gray","name":"To Do"}}}}}`)
	r, _ := http.NewRequest(http.MethodPost, hookURL+"?secret="+url.QueryEscape(secret), nil)
	got, err := tracker.ParseJiraWebhook(r, body, secret)
	if err != nil {
		t.Fatal(err)
	}
	want := &tracker.Change{System: tracker.SystemJira, Key: "OPS-5", Status: "To Do",
		State: debrief.ActionOpen, Delivery: "jira:issue_created-OPS-5-1767604800000"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("change (-want +got):\n%s", diff)
	}
}

func TestJiraWebhookWithTeamStatuses(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	j.AddStatus("Awaiting Vendor", "indeterminate")
	c := j.Client()
	ticket, err := c.Create(ctx, tracker.Issue{Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	c.Map = tracker.DefaultJiraStatuses()
	c.Map.Names["Awaiting Vendor"] = debrief.ActionBlocked
	r := j.WebhookRequest(hookURL, secret, j.SetStatus(ticket.Key, "Awaiting Vendor"))
	got, err := parse(t, c.ParseWebhook, r, secret)
	if err != nil {
		t.Fatal(err)
	}
	if got.State != debrief.ActionBlocked {
		t.Errorf("the site's own map was not used: %+v", got)
	}
}

func TestGitHubWebhook(t *testing.T) {
	g := trackertest.NewGitHub(t)
	for range 2 {
		_, err := g.Client().Create(ctx, tracker.Issue{Title: "Page on disk full"})
		if err != nil {
			t.Fatal(err)
		}
	}
	const target = "https://debrief.example.com/api/v1/trackers/github/webhook"
	opened := g.Opened(2)
	closed := g.SetState(1, "closed", "")
	notPlanned := g.SetState(2, "closed", "not_planned")
	reopened := g.SetState(1, "open", "")
	tests := []struct {
		name string
		req  *http.Request
		want *tracker.Change
		kind debrief.Kind
	}{
		{"opened", g.WebhookRequest(target, secret, "issues", opened),
			&tracker.Change{System: tracker.SystemGitHub, Key: "acme/ops#2", Status: "open",
				State: debrief.ActionOpen}, 0},
		{"closed", g.WebhookRequest(target, secret, "issues", closed),
			&tracker.Change{System: tracker.SystemGitHub, Key: "acme/ops#1",
				Status: "closed as completed", State: debrief.ActionDone}, 0},
		{"closed as not planned", g.WebhookRequest(target, secret, "issues", notPlanned),
			&tracker.Change{System: tracker.SystemGitHub, Key: "acme/ops#2",
				Status: "closed as not planned", State: debrief.ActionBlocked,
				Reason: "acme/ops#2 was closed as not planned on GitHub"}, 0},
		{"reopened", g.WebhookRequest(target, secret, "issues", reopened),
			&tracker.Change{System: tracker.SystemGitHub, Key: "acme/ops#1", Status: "open",
				State: debrief.ActionOpen}, 0},
		{"form-encoded", formRequest(g, target, closed),
			&tracker.Change{System: tracker.SystemGitHub, Key: "acme/ops#1",
				Status: "closed as completed", State: debrief.ActionDone}, 0},
		{"edited", g.WebhookRequest(target, secret, "issues", g.EditTitle(1, "Page earlier")),
			nil, 0},
		{"ping", g.WebhookRequest(target, secret, "ping", g.Ping()), nil, 0},
		{"another event", g.WebhookRequest(target, secret, "issue_comment", closed), nil, 0},
		{"wrong signature", g.WebhookRequest(target, "guess", "issues", closed), nil,
			debrief.KindUnauthorized},
		{"no signature", g.WebhookRequest(target, "", "issues", closed), nil,
			debrief.KindUnauthorized},
		{"ping with a wrong signature", g.WebhookRequest(target, "guess", "ping", g.Ping()),
			nil, debrief.KindUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parse(t, tracker.ParseGitHubWebhook, tt.req, secret)
			if tt.kind != 0 {
				if debrief.ErrorKind(err) != tt.kind {
					t.Fatalf("got %v, %v; want a %v error", got, err, tt.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != nil && got.Delivery != tt.req.Header.Get(tracker.GitHubDeliveryHeader) {
				t.Errorf("delivery %q, not the header's", got.Delivery)
			}
			if diff := cmp.Diff(tt.want, got,
				cmpopts.IgnoreFields(tracker.Change{}, "Delivery")); diff != "" {
				t.Errorf("change (-want +got):\n%s", diff)
			}
		})
	}
}

// formRequest delivers a body as a webhook set to
// application/x-www-form-urlencoded does: signed over the form.
func formRequest(g *trackertest.GitHub, target string, body []byte) *http.Request {
	form := []byte(url.Values{"payload": {string(body)}}.Encode())
	r := g.WebhookRequest(target, secret, "issues", form)
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

func TestGitHubWebhookOfAnotherRepository(t *testing.T) {
	g := trackertest.NewGitHub(t)
	if _, err := g.Client().Create(ctx, tracker.Issue{Title: "t"}); err != nil {
		t.Fatal(err)
	}
	body := g.SetState(1, "closed", "")
	other := g.Client()
	other.Repo = "infra"
	r := g.WebhookRequest("https://debrief.example.com/hook", secret, "issues", body)
	got, err := parse(t, other.ParseWebhook, r, secret)
	if err != nil || got != nil {
		t.Errorf("an issue of acme/ops reached the sync of acme/infra: %+v, %v", got, err)
	}
}

// The signature of GitHub's own example in "Validating webhook
// deliveries": this is what GitHub sends for that body and secret.
func TestSignMatchesGitHubsExample(t *testing.T) {
	got := tracker.Sign([]byte("Hello, World!"), "It's a Secret to Everybody")
	want := "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
	if got != want {
		t.Errorf("Sign = %s, want %s", got, want)
	}
}

// The loop that must not happen: debrief moves a ticket, the tracker
// reports the move back, and debrief must see its own change.
func TestEchoOfDebriefsOwnMove(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	c := j.Client()
	ticket, err := c.Create(ctx, tracker.Issue{Title: "t"})
	if err != nil {
		t.Fatal(err)
	}
	created, err := parse(t, tracker.ParseJiraWebhook,
		j.WebhookRequest(hookURL, secret, j.Created(ticket.Key)), secret)
	if err != nil {
		t.Fatal(err)
	}
	if !tracker.Echo(ticket.Status, *created) {
		t.Errorf("the webhook for debrief's own create (%q) is not an echo of %q",
			created.Status, ticket.Status)
	}
	moved, err := c.Move(ctx, ticket.Key, debrief.ActionInProgress)
	if err != nil {
		t.Fatal(err)
	}
	known := moved.Status
	echo, err := parse(t, tracker.ParseJiraWebhook,
		j.WebhookRequest(hookURL, secret, j.SetStatus(ticket.Key, "In Progress")), secret)
	if err != nil {
		t.Fatal(err)
	}
	if !tracker.Echo(known, *echo) {
		t.Errorf("the webhook for debrief's own move (%q) is not an echo of %q", echo.Status,
			known)
	}
	person, err := parse(t, tracker.ParseJiraWebhook,
		j.WebhookRequest(hookURL, secret, j.SetStatus(ticket.Key, "Done")), secret)
	if err != nil {
		t.Fatal(err)
	}
	if tracker.Echo(known, *person) {
		t.Error("a person's move to Done was taken for an echo")
	}
}
