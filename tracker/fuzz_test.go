package tracker

import (
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
)

const fuzzSecret = "fuzz-secret"

var jiraSeeds = []string{
	`{"timestamp":1767604800000,"webhookEvent":"jira:issue_updated","issue_event_type_name":` +
		`"issue_generic","issue":{"id":"10000","key":"OPS-1","fields":{"status":{"name":` +
		`"Done","id":"10002","statusCategory":{"id":3,"key":"done","name":"Done"}}}},` +
		`"changelog":{"id":"10401","items":[{"field":"status","fieldtype":"jira","fieldId":` +
		`"status","from":"3","fromString":"In Progress","to":"10002","toString":"Done"}]}}`,
	`{"webhookEvent":"jira:issue_created","issue":{"key":"OPS-2","fields":{"status":` +
		`{"name":"To Do","statusCategory":{"key":"new"}}}}}`,
	`{"webhookEvent":"jira:issue_updated","issue":{"key":"OPS-3","fields":{}},` +
		`"changelog":{"items":[{"field":"summary","toString":"x"}]}}`,
	`{"webhookEvent":"comment_created","comment":{"body":"x"},"issue":{"key":"OPS-1"}}`,
	`{"webhookEvent":"jira:issue_updated","issue":{"key":"OPS-1"},"changelog":{"items":` +
		`[{"field":"status","toString":null}]}}`,
	`[]`, `{"issue":7}`, ``,
}

func FuzzParseJiraWebhook(f *testing.F) {
	for _, s := range jiraSeeds {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, body []byte, signed bool) {
		r, _ := http.NewRequest(http.MethodPost, "https://d.example/hook?secret="+fuzzSecret, nil)
		if signed {
			r, _ = http.NewRequest(http.MethodPost, "https://d.example/hook", nil)
			r.Header.Set(JiraSignatureHeader, Sign(body, fuzzSecret))
		}
		c, err := ParseJiraWebhook(r, body, fuzzSecret)
		checkParsed(t, SystemJira, c, err)
		if c != nil && checkJiraKey(c.Key) != nil {
			t.Fatalf("change names no issue key: %+v", c)
		}
		// The same body with the wrong secret is never accepted.
		if _, err := ParseJiraWebhook(r, body, "other"); debrief.ErrorKind(err) !=
			debrief.KindUnauthorized {
			t.Fatalf("the wrong secret gave %v", err)
		}
	})
}

var githubSeeds = []string{
	`{"action":"closed","issue":{"number":1,"state":"closed","state_reason":"completed",` +
		`"html_url":"https://github.com/acme/ops/issues/1"},"repository":{"full_name":` +
		`"acme/ops"},"sender":{"login":"x"}}`,
	`{"action":"reopened","issue":{"number":12,"state":"open","state_reason":"reopened"},` +
		`"repository":{"full_name":"acme/ops"}}`,
	`{"action":"closed","issue":{"number":3,"state":"closed","state_reason":null},` +
		`"repository":{"full_name":"a/b"}}`,
	`{"action":"edited","issue":{"number":1,"state":"open"},"changes":{"title":{"from":"x"}}}`,
	`{"action":"opened","issue":{"number":0,"state":"open"},"repository":{}}`,
	`payload=%7B%22action%22%3A%22closed%22%7D`, `{}`, `null`,
}

func FuzzParseGitHubWebhook(f *testing.F) {
	for _, s := range githubSeeds {
		f.Add([]byte(s), strings.HasPrefix(s, "payload="))
	}
	f.Fuzz(func(t *testing.T, body []byte, form bool) {
		r, _ := http.NewRequest(http.MethodPost, "https://d.example/hook", nil)
		r.Header.Set(GitHubEventHeader, "issues")
		r.Header.Set(GitHubSignatureHeader, Sign(body, fuzzSecret))
		if form {
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		c, err := ParseGitHubWebhook(r, body, fuzzSecret)
		checkParsed(t, SystemGitHub, c, err)
		if c != nil {
			g := &GitHub{}
			if _, _, n, err := g.githubKey(c.Key); err != nil || n < 1 {
				t.Fatalf("change names no issue: %+v", c)
			}
		}
		r.Header.Set(GitHubSignatureHeader, Sign(body, "other"))
		if _, err := ParseGitHubWebhook(r, body, fuzzSecret); debrief.ErrorKind(err) !=
			debrief.KindUnauthorized {
			t.Fatalf("a body signed with another secret gave %v", err)
		}
	})
}

// checkParsed checks the promises of a webhook parser given an authentic
// delivery: a change that is whole, nothing, or an invalid-input error
// with a short readable message.
func checkParsed(t *testing.T, s System, c *Change, err error) {
	t.Helper()
	if err != nil {
		msg := debrief.ErrorMessage(err)
		if debrief.ErrorKind(err) != debrief.KindInvalid || msg == "" || len(msg) > 400 ||
			!utf8.ValidString(msg) {
			t.Fatalf("error of kind %v: %q", debrief.ErrorKind(err), msg)
		}
		return
	}
	if c == nil {
		return
	}
	if c.System != s || c.Key == "" || strings.TrimSpace(c.Status) == "" || c.Delivery == "" &&
		s == SystemJira {
		t.Fatalf("incomplete change %+v", c)
	}
	if c.State != "" && !isTrackerState(c.State) {
		t.Fatalf("change to a state no tracker expresses: %+v", c)
	}
	if (c.Reason != "") != (c.State == debrief.ActionBlocked) {
		t.Fatalf("a reason goes with blocked, and only with it: %+v", c)
	}
}

func isTrackerState(st debrief.ActionStatus) bool {
	for _, s := range trackerStates {
		if s == st {
			return true
		}
	}
	return false
}

func FuzzParseConfig(f *testing.F) {
	f.Add([]byte("trackers:\n  jira: {url: https://acme.atlassian.net, api: 3, project: OPS, " +
		"email: a@b.c}\n  github: {repo: acme/ops, statuses: {done: [closed]}}\n"))
	f.Add([]byte("trackers:\n  github:\n    repo: a/b\n    token_env: X\n"))
	f.Add([]byte("trackers: &a\n  jira: *a\n"))
	f.Add([]byte("trackers:\n  jira:\n    url: http://127.0.0.1:1\n    project: A\n" +
		"    statuses:\n      blocked: [A, B]\n      done: b\n"))
	const value = "ENV-VALUE-7d1f"
	getenv := func(string) string { return value }
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig(data, "fuzz.yaml", getenv)
		if err != nil {
			msg := debrief.ErrorMessage(err)
			if debrief.ErrorKind(err) != debrief.KindInvalid ||
				!strings.HasPrefix(msg, "fuzz.yaml") {
				t.Fatalf("error of kind %v: %q", debrief.ErrorKind(err), msg)
			}
			if strings.Contains(msg, value) && !strings.Contains(string(data), value) {
				t.Fatalf("the message shows a credential: %q", msg)
			}
			return
		}
		if c.Jira != nil && (c.Jira.Token != value || c.Jira.Project == "") {
			t.Fatalf("jira without its token or project: %+v", c.Jira)
		}
		if c.GitHub != nil && (c.GitHub.Owner == "" || c.GitHub.Repo == "") {
			t.Fatalf("github without its repository: %+v", c.GitHub)
		}
	})
}

func FuzzADFDocument(f *testing.F) {
	f.Add("one\ntwo\n\nthree https://example.com/x.")
	f.Add("\r\n\r\n")
	f.Add("http://a http://b,")
	f.Fuzz(func(t *testing.T, text string) {
		doc := adfDocument(text)
		if doc.Type != "doc" || doc.Version != 1 {
			t.Fatalf("top node %+v", doc)
		}
		for _, p := range doc.Content {
			if p.Type != "paragraph" || len(p.Content) == 0 {
				t.Fatalf("block %+v", p)
			}
			for _, n := range p.Content {
				// Jira's schema refuses an empty text node.
				if n.Type == "text" && n.Text == "" || n.Type != "text" && n.Type != "hardBreak" {
					t.Fatalf("inline node %+v", n)
				}
				for _, m := range n.Marks {
					if m.Type != "link" || m.Attrs["href"] != n.Text {
						t.Fatalf("mark %+v on %q", m, n.Text)
					}
				}
			}
		}
	})
}
