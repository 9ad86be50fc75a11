package tracker

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
)

// TestAnswerErrors feeds each client the error answers the vendors
// document and checks what the caller gets: the kind, the field, a
// message naming the tracker, and whether to try again.
func TestAnswerErrors(t *testing.T) {
	later := time.Now().Add(2 * time.Minute).UTC().Format(http.TimeFormat)
	tests := []struct {
		name      string
		system    System
		status    int
		header    map[string]string
		body      string
		kind      debrief.Kind
		field     string
		message   string
		retry     bool
		minWait   time.Duration
		maxWait   time.Duration
		forbidden string
	}{
		{name: "jira field error", system: SystemJira, status: 400,
			body: `{"errorMessages":[],"errors":{"summary":"You must specify a summary of ` +
				`the issue."}}`, kind: debrief.KindInvalid, field: "title",
			message: "Jira refused issue OPS-1 (400): summary: You must specify a summary"},
		{name: "jira messages", system: SystemJira, status: 403,
			body:    `{"errorMessages":["You do not have permission to see this issue."]}`,
			kind:    debrief.KindForbidden,
			message: "(403): You do not have permission to see this issue."},
		{name: "jira rate limit", system: SystemJira, status: 429,
			header: map[string]string{"Retry-After": "30"}, body: `{"errorMessages":[]}`,
			kind: debrief.KindInternal, message: "Jira is rate limiting debrief or failing (429)",
			retry: true, minWait: 30 * time.Second, maxWait: 30 * time.Second},
		{name: "jira down until a date", system: SystemJira, status: 503,
			header: map[string]string{"Retry-After": later}, body: `<html>down</html>`,
			kind: debrief.KindInternal, message: "(503)", retry: true,
			minWait: 100 * time.Second, maxWait: 121 * time.Second},
		{name: "jira echoes the token", system: SystemJira, status: 400,
			body: `{"errorMessages":["Bad token s3cr3t-t0ken"]}`, kind: debrief.KindInvalid,
			message: "Bad token [redacted]", forbidden: "s3cr3t-t0ken"},
		// base64("bot@example.com:s3cr3t-t0ken"): Jira's Basic credential.
		{name: "jira echoes the Basic credential", system: SystemJira, status: 400,
			body:      `{"errorMessages":["you sent Basic Ym90QGV4YW1wbGUuY29tOnMzY3IzdC10MGtlbg=="]}`,
			kind:      debrief.KindInvalid,
			message:   "you sent Basic [redacted]",
			forbidden: "Ym90QGV4YW1wbGUuY29tOnMzY3IzdC10MGtlbg"},
		{name: "jira unknown status", system: SystemJira, status: 418, body: `{}`,
			kind: debrief.KindInternal, message: "Jira answered 418 I'm a teapot for issue OPS-1"},
		{name: "github validation", system: SystemGitHub, status: 422,
			body: `{"message":"Validation Failed","errors":[{"resource":"Issue",` +
				`"code":"missing_field","field":"title"}],"documentation_url":"x"}`,
			kind: debrief.KindInvalid, field: "title",
			message: "GitHub refused issue acme/ops#1 (422): Validation Failed; title: " +
				"missing field"},
		{name: "github string errors", system: SystemGitHub, status: 422,
			body:    `{"message":"Validation Failed","errors":["state is not valid"]}`,
			kind:    debrief.KindInvalid,
			message: "Validation Failed; state is not valid"},
		{name: "github issues disabled", system: SystemGitHub, status: 410,
			body: `{"message":"Issues are disabled for this repo"}`, kind: debrief.KindInvalid,
			message: "Issues are disabled for this repo"},
		{name: "github secondary rate limit", system: SystemGitHub, status: 403,
			header: map[string]string{"Retry-After": "60"},
			body:   `{"message":"You have exceeded a secondary rate limit."}`,
			kind:   debrief.KindInternal, retry: true, minWait: time.Minute, maxWait: time.Minute,
			message: "GitHub is rate limiting debrief"},
		{name: "github permission", system: SystemGitHub, status: 403,
			body: `{"message":"Resource not accessible by personal access token"}`,
			kind: debrief.KindForbidden, message: "Resource not accessible"},
		{name: "github bad credentials", system: SystemGitHub, status: 401,
			body: `{"message":"Bad credentials"}`, kind: debrief.KindUnauthorized,
			message: "GitHub refused debrief's credentials (401)"},
		{name: "github server error", system: SystemGitHub, status: 502, body: ``,
			kind: debrief.KindInternal, retry: true, message: "(502)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer := func(w http.ResponseWriter, _ *http.Request) {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}
			srv := httptest.NewServer(http.HandlerFunc(answer))
			defer srv.Close()
			_, err := fetch(tt.system, srv.URL, "s3cr3t-t0ken")
			if got := debrief.ErrorKind(err); got != tt.kind {
				t.Errorf("kind %v, want %v: %v", got, tt.kind, err)
			}
			if got := debrief.ErrorField(err); got != tt.field {
				t.Errorf("field %q, want %q", got, tt.field)
			}
			msg := debrief.ErrorMessage(err)
			if !strings.Contains(msg, tt.message) {
				t.Errorf("message %q lacks %q", msg, tt.message)
			}
			if strings.Contains(err.Error(), "s3cr3t-t0ken") {
				t.Errorf("the error shows the token: %v", err)
			}
			if Retryable(err) != tt.retry {
				t.Errorf("retryable %v, want %v", Retryable(err), tt.retry)
			}
			if d := RetryAfter(err); d < tt.minWait || d > tt.maxWait {
				t.Errorf("retry after %v, want %v to %v", d, tt.minWait, tt.maxWait)
			}
		})
	}
}

func fetch(system System, base string, token Secret) (Ticket, error) {
	if system == SystemJira {
		j := &Jira{BaseURL: base, Project: "OPS", Email: "bot@example.com", Token: token}
		return j.Fetch(context.Background(), "OPS-1")
	}
	g := &GitHub{BaseURL: base, Owner: "acme", Repo: "ops", Token: token}
	return g.Fetch(context.Background(), "1")
}

func TestUnreadableAnswers(t *testing.T) {
	tests := []struct {
		name, body string
		message    string
	}{
		{"not JSON", "<html>login</html>", "not the JSON expected"},
		{"no status", `{"id":"10000","key":"OPS-1","fields":{}}`, "without its key or status"},
		{"too long", `{"key":"OPS-1","pad":"` + strings.Repeat("x", maxAnswer) + `"}`,
			"more than 4 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			answer := func(w http.ResponseWriter, _ *http.Request) {
				_, _ = w.Write([]byte(tt.body))
			}
			srv := httptest.NewServer(http.HandlerFunc(answer))
			defer srv.Close()
			_, err := fetch(SystemJira, srv.URL, "t")
			if debrief.ErrorKind(err) != debrief.KindInternal ||
				!strings.Contains(debrief.ErrorMessage(err), tt.message) {
				t.Errorf("got %v, want an internal error saying %q", err, tt.message)
			}
			if Retryable(err) {
				t.Errorf("an unreadable answer is retryable: %v", err)
			}
		})
	}
}

func TestADFDocument(t *testing.T) {
	doc := adfDocument("First line\r\nsecond https://x.example/a?b=1.\n \n\n\nNext  paragraph")
	if len(doc.Content) != 2 {
		t.Fatalf("%d paragraphs, want 2", len(doc.Content))
	}
	var types []string
	for _, n := range doc.Content[0].Content {
		types = append(types, n.Type+":"+n.Text)
	}
	want := "text:First line hardBreak: text:second  text:https://x.example/a?b=1 text:."
	if got := strings.Join(types, " "); got != want {
		t.Errorf("first paragraph\n got %s\nwant %s", got, want)
	}
	if empty := adfDocument("  \n\n "); len(empty.Content) != 0 {
		t.Errorf("blank text gave %d paragraphs", len(empty.Content))
	}
}
