package tracker_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/tracker"
)

const exampleConfig = `
server: {addr: ":8080"}   # another section's: left alone
trackers:
  jira: {url: https://acme.atlassian.net, api: 3, project: OPS, issue_type: Task,
    email: bot@acme.com, token_env: DEBRIEF_JIRA_TOKEN,
    webhook_secret_env: DEBRIEF_JIRA_WEBHOOK_SECRET}
  github: {url: https://api.github.com, repo: acme/ops, token_env: DEBRIEF_GITHUB_TOKEN,
    webhook_secret_env: DEBRIEF_GITHUB_WEBHOOK_SECRET}
`

var env = map[string]string{
	"DEBRIEF_JIRA_TOKEN":            "jira-token-value",
	"DEBRIEF_JIRA_WEBHOOK_SECRET":   "jira-hook-value",
	"DEBRIEF_GITHUB_TOKEN":          "github-token-value",
	"DEBRIEF_GITHUB_WEBHOOK_SECRET": "github-hook-value",
	"OTHER_TOKEN":                   "other-token-value",
}

func getenv(name string) string { return env[name] }

func TestParseConfig(t *testing.T) {
	c, err := tracker.ParseConfig([]byte(exampleConfig), "debrief.yaml", getenv)
	if err != nil {
		t.Fatal(err)
	}
	want := &tracker.Config{
		Jira: &tracker.Jira{BaseURL: "https://acme.atlassian.net", API: 3, Project: "OPS",
			IssueType: "Task", Email: "bot@acme.com", Token: "jira-token-value",
			Map: tracker.DefaultJiraStatuses()},
		GitHub: &tracker.GitHub{BaseURL: "https://api.github.com", Owner: "acme", Repo: "ops",
			Token: "github-token-value", Map: tracker.DefaultGitHubStatuses()},
		JiraWebhookSecret:   "jira-hook-value",
		GitHubWebhookSecret: "github-hook-value",
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
	if n := len(c.Clients()); n != 2 {
		t.Errorf("%d clients", n)
	}
}

func TestParseConfigDefaults(t *testing.T) {
	c, err := tracker.ParseConfig([]byte(`
trackers:
  jira:
    url: https://jira.acme.com/jira/
    project: SRE
  github:
    repo: acme/ops
    statuses:
      blocked: [closed as not planned]
      done: ["closed as duplicate"]
`), "debrief.yaml", getenv)
	if err != nil {
		t.Fatal(err)
	}
	// A site not on atlassian.net is Data Center: REST v2, a personal
	// access token as a Bearer token when no email is given.
	j := c.Jira
	if j.API != 2 || j.BaseURL != "https://jira.acme.com/jira" || j.IssueType != "Task" ||
		j.Email != "" || j.Token != "jira-token-value" {
		t.Errorf("jira %+v", j)
	}
	if c.GitHub.BaseURL != "https://api.github.com" {
		t.Errorf("github url %q", c.GitHub.BaseURL)
	}
	if st, _ := c.GitHub.Map.State("closed as duplicate", ""); st != debrief.ActionDone {
		t.Errorf("the team's statuses were not laid over the defaults: duplicate is %q", st)
	}
	if st, _ := c.GitHub.Map.State("open", ""); st != debrief.ActionOpen {
		t.Errorf("the defaults were lost: open is %q", st)
	}

	none, err := tracker.ParseConfig([]byte("server: {addr: ':8080'}\n"), "debrief.yaml", getenv)
	if err != nil || len(none.Clients()) != 0 {
		t.Errorf("no trackers section: %+v, %v", none, err)
	}
}

func TestParseConfigJiraStatuses(t *testing.T) {
	c, err := tracker.ParseConfig([]byte(`
trackers:
  jira:
    url: https://acme.atlassian.net
    project: OPS
    email: bot@acme.com
    statuses:
      blocked: [Waiting for Vendor, Blocked]
      in_progress: In Review
`), "debrief.yaml", getenv)
	if err != nil {
		t.Fatal(err)
	}
	m := c.Jira.Map
	if st, _ := m.State("waiting for vendor", "indeterminate"); st != debrief.ActionBlocked {
		t.Errorf("Waiting for Vendor is %q", st)
	}
	want := []string{"Waiting for Vendor", "Blocked", "On Hold"}
	if diff := cmp.Diff(want, m.Prefer[debrief.ActionBlocked]); diff != "" {
		t.Errorf("blocked preferences (-want +got):\n%s", diff)
	}
	if st, _ := m.State("Deployed", "done"); st != debrief.ActionDone {
		t.Errorf("categories were lost: Deployed is %q", st)
	}
}

func TestParseConfigErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown key", "trackers:\n  jira:\n    url: https://acme.atlassian.net\n" +
			"    projct: OPS\n",
			"debrief.yaml line 4: trackers.jira.projct: unknown key; the keys here are url, api"},
		{"unknown tracker", "trackers:\n  gitlab: {}\n",
			"line 2: trackers.gitlab: unknown key; the keys here are jira, github"},
		{"api", "trackers:\n  jira: {url: https://j.acme.com, project: OPS, api: 4}\n",
			`line 2: trackers.jira.api: "4" is not 3 (Cloud) or 2 (Data Center)`},
		{"cloud needs email", "trackers:\n  jira: {url: https://acme.atlassian.net, " +
			"project: OPS}\n", "line 2: trackers.jira: Jira Cloud (api: 3) needs the email"},
		{"project key", "trackers:\n  jira: {url: https://j.acme.com, project: ops-team}\n",
			`trackers.jira.project: "ops-team" is not a Jira project key`},
		{"no url", "trackers:\n  jira: {project: OPS}\n", "trackers.jira: url is missing"},
		{"plain http", "trackers:\n  jira: {url: 'http://jira.acme.com', project: OPS}\n",
			"trackers.jira.url: Jira's URL \"http://jira.acme.com\" must use https"},
		{"token missing", "trackers:\n  github: {repo: acme/ops, token_env: UNSET_TOKEN}\n",
			"line 2: trackers.github.token_env: the environment variable UNSET_TOKEN is not " +
				"set or empty"},
		{"token in the file", "trackers:\n  github: {repo: acme/ops, token: ghp_abc123}\n",
			"trackers.github.token: credentials are not written in the file"},
		{"token in token_env", "trackers:\n  github: {repo: acme/ops, " +
			"token_env: 'ghp_abc123 '}\n",
			"trackers.github.token_env: give the name of an environment variable"},
		{"named webhook secret missing", "trackers:\n  github: {repo: acme/ops, " +
			"webhook_secret_env: UNSET}\n", "webhook_secret_env: the environment variable " +
			"UNSET is not set"},
		{"repo", "trackers:\n  github: {repo: acme}\n",
			`trackers.github.repo: "acme" is not a repository written owner/name`},
		{"status twice", "trackers:\n  github:\n    repo: acme/ops\n    statuses:\n" +
			"      done: [open]\n      open: [Open]\n",
			`line 6: trackers.github.statuses.open[0]: "Open" is already listed under done`},
		{"unknown state", "trackers:\n  github:\n    repo: acme/ops\n    statuses:\n" +
			"      verified: [closed]\n", "trackers.github.statuses.verified: unknown key"},
		{"not YAML", "trackers:\n  jira: [\n", "debrief.yaml line 2: not valid YAML"},
		{"key twice", "trackers:\n  github: {repo: a/b}\n  github: {repo: a/c}\n",
			"line 3: trackers.github: given twice (first on line 2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tracker.ParseConfig([]byte(tt.yaml), "debrief.yaml", getenv)
			if debrief.ErrorKind(err) != debrief.KindInvalid {
				t.Fatalf("got %v, want an invalid error", err)
			}
			msg := debrief.ErrorMessage(err)
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q lacks %q", msg, tt.want)
			}
			for _, v := range append(mapValues(env), "ghp_abc123") {
				if strings.Contains(msg, v) {
					t.Errorf("the message shows a credential: %q", msg)
				}
			}
		})
	}
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}
