package trackertest_test

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief/tracker/trackertest"
)

// send makes a raw request to a double and answers the status and the
// decoded JSON body.
func send(
	t *testing.T,
	method, url string,
	header map[string]string,
	body string,
) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out map[string]any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s answered %d with no JSON: %q", method, url, resp.StatusCode, raw)
		}
	}
	return resp.StatusCode, out
}

func jiraHeaders(j *trackertest.Jira) map[string]string {
	cred := base64.StdEncoding.EncodeToString([]byte(j.Email + ":" + j.Token))
	return map[string]string{"Authorization": "Basic " + cred, "Content-Type": "application/json"}
}

// TestJiraRefusesWhatJiraRefuses checks that the double is as strict as
// Jira, so that a client it accepts is one Jira accepts.
func TestJiraRefusesWhatJiraRefuses(t *testing.T) {
	const adf = `{"type":"doc","version":1,"content":[{"type":"paragraph","content":` +
		`[{"type":"text","text":"x"}]}]}`
	tests := []struct {
		name   string
		api    int
		header map[string]string
		body   string
		status int
		field  string
	}{
		{"v3 takes an Atlassian Document", 3, nil, `{"fields":{"project":{"key":"OPS"},` +
			`"summary":"s","issuetype":{"name":"Task"},"description":` + adf + `}}`, 201, ""},
		{"v3 refuses a string description", 3, nil, `{"fields":{"project":{"key":"OPS"},` +
			`"summary":"s","issuetype":{"name":"Task"},"description":"plain"}}`, 400,
			"description"},
		{"v3 refuses an empty text node", 3, nil, `{"fields":{"project":{"key":"OPS"},` +
			`"summary":"s","issuetype":{"name":"Task"},"description":{"type":"doc",` +
			`"version":1,"content":[{"type":"paragraph","content":[{"type":"text",` +
			`"text":""}]}]}}}`, 400, "description"},
		{"v2 takes a string description", 2, nil, `{"fields":{"project":{"key":"OPS"},` +
			`"summary":"s","issuetype":{"name":"Task"},"description":"plain"}}`, 201, ""},
		{"v2 refuses an Atlassian Document", 2, nil, `{"fields":{"project":{"key":"OPS"},` +
			`"summary":"s","issuetype":{"name":"Task"},"description":` + adf + `}}`, 400,
			"description"},
		{"no project", 3, nil, `{"fields":{"summary":"s","issuetype":{"name":"Task"}}}`,
			400, "project"},
		{"no summary", 3, nil, `{"fields":{"project":{"key":"OPS"},"issuetype":` +
			`{"name":"Task"}}}`, 400, "summary"},
		{"a label with a space", 3, nil, `{"fields":{"project":{"key":"OPS"},"summary":"s",` +
			`"issuetype":{"name":"Task"},"labels":["action item"]}}`, 400, "labels"},
		{"an unknown field", 3, nil, `{"fields":{"project":{"key":"OPS"},"summary":"s",` +
			`"issuetype":{"name":"Task"},"priority":{"name":"High"}}}`, 400, "priority"},
		{"wrong content type", 3, map[string]string{"Content-Type": "text/plain"},
			`{"fields":{}}`, 415, ""},
		{"no credentials", 3, map[string]string{"Authorization": ""}, `{"fields":{}}`, 401, ""},
		{"a Cloud API token as a Bearer token", 3,
			map[string]string{"Authorization": "Bearer jira-test-token"}, `{"fields":{}}`,
			401, ""},
		{"a Data Center personal access token", 2,
			map[string]string{"Authorization": "Bearer jira-test-token"},
			`{"fields":{"project":{"key":"OPS"},"summary":"s","issuetype":{"name":"Task"}}}`,
			201, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := trackertest.NewJira(t, tt.api)
			h := jiraHeaders(j)
			for k, v := range tt.header {
				h[k] = v
			}
			path := "/rest/api/3/issue"
			if tt.api == 2 {
				path = "/rest/api/2/issue"
			}
			status, out := send(t, http.MethodPost, j.URL+path, h, tt.body)
			if status != tt.status {
				t.Fatalf("answered %d, want %d: %v", status, tt.status, out)
			}
			if tt.field != "" {
				errs, _ := out["errors"].(map[string]any)
				if errs[tt.field] == nil {
					t.Errorf("no error about %s: %v", tt.field, out)
				}
			}
			if status == 201 && (out["key"] != "OPS-1" || out["id"] != "10000" ||
				!strings.HasSuffix(out["self"].(string), path+"/10000")) {
				t.Errorf("create answered %v", out)
			}
		})
	}
}

func TestJiraServesOnlyItsVersion(t *testing.T) {
	j := trackertest.NewJira(t, 2)
	status, _ := send(t, http.MethodGet, j.URL+"/rest/api/3/issue/OPS-1", jiraHeaders(j), "")
	if status != http.StatusNotFound {
		t.Errorf("a Data Center double answered v3 with %d", status)
	}
}

func TestJiraTransitions(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	h := jiraHeaders(j)
	send(t, http.MethodPost, j.URL+"/rest/api/3/issue", h, `{"fields":{"project":`+
		`{"key":"OPS"},"summary":"s","issuetype":{"name":"Task"}}}`)

	_, out := send(t, http.MethodGet, j.URL+"/rest/api/3/issue/OPS-1/transitions", h, "")
	var names []string
	for _, tr := range out["transitions"].([]any) {
		to := tr.(map[string]any)["to"].(map[string]any)
		cat := to["statusCategory"].(map[string]any)["key"]
		names = append(names, to["name"].(string)+"/"+cat.(string))
	}
	if got := strings.Join(names, ","); got != "In Progress/indeterminate,Blocked/indeterminate" {
		t.Errorf("transitions from To Do lead to %s", got)
	}

	status, _ := send(t, http.MethodPost, j.URL+"/rest/api/3/issue/OPS-1/transitions", h,
		`{"transition":{"id":"31"}}`)
	if status != http.StatusBadRequest {
		t.Errorf("Done straight from To Do answered %d, want 400", status)
	}
	status, _ = send(t, http.MethodPost, j.URL+"/rest/api/3/issue/OPS-1/transitions", h,
		`{"transition":{"id":"11"}}`)
	if status != http.StatusNoContent {
		t.Errorf("Start progress answered %d, want 204", status)
	}
	if is, _ := j.Issue("OPS-1"); is.Status != "In Progress" {
		t.Errorf("status %q after Start progress", is.Status)
	}
	if n := j.Count("POST /rest/api/3/issue/OPS-1/transitions"); n != 2 {
		t.Errorf("counted %d transition requests, want 2", n)
	}
}

func TestJiraWebhookBody(t *testing.T) {
	j := trackertest.NewJira(t, 3)
	send(t, http.MethodPost, j.URL+"/rest/api/3/issue", jiraHeaders(j), `{"fields":{"project":`+
		`{"key":"OPS"},"summary":"s","issuetype":{"name":"Task"}}}`)
	var hook struct {
		WebhookEvent string `json:"webhookEvent"`
		Issue        struct {
			Key, Self string
			Fields    struct {
				Status struct{ Name string } `json:"status"`
			} `json:"fields"`
		} `json:"issue"`
		Changelog struct {
			Items []struct{ Field, FromString, ToString string } `json:"items"`
		} `json:"changelog"`
	}
	if err := json.Unmarshal(j.SetStatus("OPS-1", "Blocked"), &hook); err != nil {
		t.Fatal(err)
	}
	it := hook.Changelog.Items
	if hook.WebhookEvent != "jira:issue_updated" || hook.Issue.Key != "OPS-1" ||
		hook.Issue.Fields.Status.Name != "Blocked" || len(it) != 1 || it[0].Field != "status" ||
		it[0].FromString != "To Do" || it[0].ToString != "Blocked" {
		t.Errorf("webhook %+v", hook)
	}
	// Jira Cloud sends webhooks in REST v2's shape.
	if !strings.Contains(hook.Issue.Self, "/rest/api/2/issue/") {
		t.Errorf("self %q", hook.Issue.Self)
	}
	r := j.WebhookRequest("https://debrief.example.com/hook?x=1", "s", nil)
	if r.URL.Query().Get("secret") != "s" || r.URL.Query().Get("x") != "1" ||
		r.Header.Get("X-Atlassian-Webhook-Identifier") == "" {
		t.Errorf("webhook request %s %v", r.URL, r.Header)
	}
}

func gitHubHeaders(g *trackertest.GitHub) map[string]string {
	return map[string]string{"Authorization": "Bearer " + g.Token, "User-Agent": "test",
		"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"}
}

func TestGitHubRefusesWhatGitHubRefuses(t *testing.T) {
	tests := []struct {
		name   string
		method string
		path   string
		header map[string]string
		body   string
		status int
	}{
		{"create", "POST", "/repos/acme/ops/issues", nil, `{"title":"t","labels":["a b"]}`, 201},
		{"no title", "POST", "/repos/acme/ops/issues", nil, `{"body":"b"}`, 422},
		{"not JSON", "POST", "/repos/acme/ops/issues", nil, `title=t`, 400},
		{"another repository", "POST", "/repos/acme/infra/issues", nil, `{"title":"t"}`, 404},
		{"no User-Agent", "POST", "/repos/acme/ops/issues", map[string]string{"User-Agent": ""},
			`{"title":"t"}`, 403},
		{"unknown API version", "POST", "/repos/acme/ops/issues",
			map[string]string{"X-GitHub-Api-Version": "2021-01-01"}, `{"title":"t"}`, 400},
		{"no token", "POST", "/repos/acme/ops/issues", map[string]string{"Authorization": ""},
			`{"title":"t"}`, 401},
		{"a missing issue", "GET", "/repos/acme/ops/issues/9", nil, ``, 404},
		{"a state that is none", "PATCH", "/repos/acme/ops/issues/1", nil,
			`{"state":"done"}`, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := trackertest.NewGitHub(t)
			if tt.method == "PATCH" {
				send(t, "POST", g.URL+"/repos/acme/ops/issues", gitHubHeaders(g), `{"title":"t"}`)
			}
			h := gitHubHeaders(g)
			for k, v := range tt.header {
				h[k] = v
			}
			status, out := send(t, tt.method, g.URL+tt.path, h, tt.body)
			if status != tt.status {
				t.Fatalf("answered %d, want %d: %v", status, tt.status, out)
			}
			if status == 201 && (out["number"] != float64(1) || out["state"] != "open" ||
				out["html_url"] != "https://github.com/acme/ops/issues/1") {
				t.Errorf("create answered %v", out)
			}
		})
	}
}

func TestGitHubStateChanges(t *testing.T) {
	g := trackertest.NewGitHub(t)
	h := gitHubHeaders(g)
	send(t, "POST", g.URL+"/repos/acme/ops/issues", h, `{"title":"t"}`)
	url := g.URL + "/repos/acme/ops/issues/1"

	_, out := send(t, "PATCH", url, h, `{"state":"closed"}`)
	if out["state_reason"] != "completed" || out["closed_at"] == nil {
		t.Errorf("closed without a reason: %v", out["state_reason"])
	}
	// The reason changes only along with the state.
	_, out = send(t, "PATCH", url, h, `{"state":"closed","state_reason":"not_planned"}`)
	if out["state_reason"] != "completed" {
		t.Errorf("the reason changed without the state: %v", out["state_reason"])
	}
	_, out = send(t, "PATCH", url, h, `{"state":"open"}`)
	if out["state"] != "open" || out["state_reason"] != "reopened" || out["closed_at"] != nil {
		t.Errorf("reopened: %v %v %v", out["state"], out["state_reason"], out["closed_at"])
	}

	var hook struct {
		Action string `json:"action"`
		Issue  struct {
			Number      int    `json:"number"`
			State       string `json:"state"`
			StateReason string `json:"state_reason"`
		} `json:"issue"`
		Repository struct {
			FullName string `json:"full_name"`
		} `json:"repository"`
	}
	if err := json.Unmarshal(g.SetState(1, "closed", "duplicate"), &hook); err != nil {
		t.Fatal(err)
	}
	if hook.Action != "closed" || hook.Issue.Number != 1 || hook.Issue.State != "closed" ||
		hook.Issue.StateReason != "duplicate" || hook.Repository.FullName != "acme/ops" {
		t.Errorf("webhook %+v", hook)
	}
	r := g.WebhookRequest("https://debrief.example.com/hook", "s", "issues", []byte("{}"))
	if !strings.HasPrefix(r.Header.Get("X-Hub-Signature-256"), "sha256=") ||
		r.Header.Get("X-GitHub-Event") != "issues" || r.Header.Get("X-GitHub-Delivery") == "" {
		t.Errorf("webhook headers %v", r.Header)
	}
}

func TestFailNext(t *testing.T) {
	g := trackertest.NewGitHub(t)
	g.FailNext(http.StatusServiceUnavailable, http.Header{"Retry-After": {"3"}})
	status, _ := send(t, "GET", g.URL+"/repos/acme/ops/issues/1", gitHubHeaders(g), "")
	if status != http.StatusServiceUnavailable {
		t.Errorf("first answer %d, want 503", status)
	}
	status, _ = send(t, "GET", g.URL+"/repos/acme/ops/issues/1", gitHubHeaders(g), "")
	if status != http.StatusNotFound {
		t.Errorf("second answer %d, want the usual 404", status)
	}
	if g.Count("GET /repos/acme/ops/issues/1") != 2 || len(g.Requests()) != 2 {
		t.Errorf("requests %v", g.Requests())
	}
}
