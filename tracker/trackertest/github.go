package trackertest

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-oss/debrief/tracker"
)

// GitHub is GitHub's REST API for one repository's issues.
type GitHub struct {
	// URL is the API's base address, http://127.0.0.1:PORT, as
	// https://api.github.com is on github.com.
	URL string
	// Owner and Repo name the only repository ("acme", "ops").
	Owner, Repo string
	// Token is the token the double accepts, as "Bearer TOKEN" (or the
	// older "token TOKEN").
	Token string

	t testing.TB
	recorder
	mu     sync.Mutex
	issues []*GitHubIssue
	events int
}

// GitHubIssue is an issue as the double holds it.
type GitHubIssue struct {
	ID     int64
	Number int
	Title  string
	Body   string
	Labels []string
	// State is "open" or "closed"; StateReason is "", "completed",
	// "not_planned", "duplicate" or "reopened".
	State, StateReason string
	Created, Updated   time.Time
	Closed             time.Time
}

// The API versions GitHub accepts in X-GitHub-Api-Version.
var githubVersions = []string{"2022-11-28", "2026-03-10"}

// NewGitHub starts a GitHub double on 127.0.0.1, stopped when the test
// ends.
func NewGitHub(t testing.TB) *GitHub {
	t.Helper()
	g := &GitHub{Owner: "acme", Repo: "ops", Token: "github-test-token", t: t}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /repos/{owner}/{repo}/issues", g.create)
	mux.HandleFunc("GET /repos/{owner}/{repo}/issues/{number}", g.get)
	mux.HandleFunc("PATCH /repos/{owner}/{repo}/issues/{number}", g.update)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		githubError(w, http.StatusNotFound, "Not Found", nil)
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.record(w, r, g.failureBody) || !g.accepted(w, r) {
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	g.URL = srv.URL
	return g
}

// Client answers a tracker.GitHub aimed at the double with its token.
func (g *GitHub) Client() *tracker.GitHub {
	return &tracker.GitHub{BaseURL: g.URL, Owner: g.Owner, Repo: g.Repo,
		Token: tracker.Secret(g.Token)}
}

// Issue answers the issue with number, or false.
func (g *GitHub) Issue(number int) (GitHubIssue, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if is := g.find(number); is != nil {
		c := *is
		c.Labels = slices.Clone(c.Labels)
		return c, true
	}
	return GitHubIssue{}, false
}

// SetState closes or reopens an issue as a person might, and answers the
// body of the "issues" webhook GitHub sends for it (action closed or
// reopened). reason is the closing reason ("completed", "not_planned",
// "duplicate"); "" closes as completed, as GitHub's button does.
func (g *GitHub) SetState(number int, state, reason string) []byte {
	g.t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	is := g.find(number)
	if is == nil {
		g.t.Fatalf("trackertest: GitHub has no issue #%d", number)
	}
	action := "reopened"
	switch state {
	case "closed":
		action = "closed"
		if reason == "" {
			reason = "completed"
		}
	case "open":
		reason = "reopened"
	default:
		g.t.Fatalf("trackertest: GitHub issue state %q: use open or closed", state)
	}
	g.setState(is, state, reason)
	return g.webhook(action, is, nil)
}

// Opened answers the "issues" webhook body (action opened) GitHub sends
// for an issue, such as one debrief just made: its echo.
func (g *GitHub) Opened(number int) []byte {
	g.t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	is := g.find(number)
	if is == nil {
		g.t.Fatalf("trackertest: GitHub has no issue #%d", number)
	}
	return g.webhook("opened", is, nil)
}

// EditTitle changes an issue's title as a person might, and answers the
// "issues" webhook body (action edited): an event that changes no state.
func (g *GitHub) EditTitle(number int, title string) []byte {
	g.t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	is := g.find(number)
	if is == nil {
		g.t.Fatalf("trackertest: GitHub has no issue #%d", number)
	}
	old := is.Title
	is.Title, is.Updated = title, clock()
	return g.webhook("edited", is, map[string]any{"title": map[string]string{"from": old}})
}

// Ping answers the body of the "ping" event GitHub sends when a webhook
// is created.
func (g *GitHub) Ping() []byte {
	return mustJSON(map[string]any{
		"zen": "Design for failure.", "hook_id": 4242,
		"hook": map[string]any{"type": "Repository", "id": 4242, "name": "web",
			"active": true, "events": []string{"issues"},
			"config": map[string]string{"content_type": "json", "insecure_ssl": "0",
				"url": "https://debrief.example.com/api/v1/trackers/github/webhook"}},
		"repository": g.repository(),
		"sender":     g.person(),
	})
}

// WebhookRequest wraps a webhook body of an event ("issues", "ping") as
// GitHub delivers it to target: its headers, a new delivery ID, and the
// body signed with secret (an empty secret sends no signature, as a
// webhook without a secret does).
func (g *GitHub) WebhookRequest(target, secret, event string, body []byte) *http.Request {
	g.t.Helper()
	r, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		g.t.Fatalf("trackertest: webhook request to %q: %v", target, err)
	}
	g.mu.Lock()
	g.events++
	n := g.events
	g.mu.Unlock()
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("User-Agent", "GitHub-Hookshot/8e0cc1d")
	r.Header.Set(tracker.GitHubEventHeader, event)
	r.Header.Set(tracker.GitHubDeliveryHeader, deliveryID(n))
	r.Header.Set("X-GitHub-Hook-ID", "4242")
	r.Header.Set("X-GitHub-Hook-Installation-Target-Type", "repository")
	r.Header.Set("X-GitHub-Hook-Installation-Target-ID", "35129377")
	if secret != "" {
		r.Header.Set(tracker.GitHubSignatureHeader, tracker.Sign(body, tracker.Secret(secret)))
		mac := hmac.New(sha1.New, []byte(secret))
		mac.Write(body)
		r.Header.Set("X-Hub-Signature", "sha1="+hex.EncodeToString(mac.Sum(nil)))
	}
	return r
}

// accepted checks the request as GitHub does: a User-Agent, a known API
// version if one is asked for, and the token.
func (g *GitHub) accepted(w http.ResponseWriter, r *http.Request) bool {
	if r.Header.Get("User-Agent") == "" {
		githubError(w, http.StatusForbidden, "Request forbidden by administrative rules. "+
			"Please make sure your request has a User-Agent header.", nil)
		return false
	}
	if v := r.Header.Get("X-GitHub-Api-Version"); v != "" && !slices.Contains(githubVersions, v) {
		githubError(w, http.StatusBadRequest, fmt.Sprintf("API version %s is not supported.",
			v), nil)
		return false
	}
	h := r.Header.Get("Authorization")
	switch {
	case h == "":
		githubError(w, http.StatusUnauthorized, "Requires authentication", nil)
		return false
	case h != "Bearer "+g.Token && h != "token "+g.Token:
		githubError(w, http.StatusUnauthorized, "Bad credentials", nil)
		return false
	}
	return true
}

func (g *GitHub) failureBody(status int) string {
	msg := http.StatusText(status)
	if status == http.StatusForbidden || status == http.StatusTooManyRequests {
		msg = "API rate limit exceeded for user ID 1."
	}
	return string(mustJSON(map[string]any{"message": msg,
		"documentation_url": "https://docs.github.com/rest", "status": strconv.Itoa(status)}))
}

// repo answers whether the request is for the double's repository, and
// answers 404 when it is not.
func (g *GitHub) repo(w http.ResponseWriter, r *http.Request) bool {
	if r.PathValue("owner") != g.Owner || r.PathValue("repo") != g.Repo {
		githubError(w, http.StatusNotFound, "Not Found", nil)
		return false
	}
	return true
}

// create handles POST /repos/{owner}/{repo}/issues.
func (g *GitHub) create(w http.ResponseWriter, r *http.Request) {
	if !g.repo(w, r) {
		return
	}
	var req struct {
		Title  any      `json:"title"`
		Body   *string  `json:"body"`
		Labels []string `json:"labels"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if json.Unmarshal(body, &req) != nil {
		githubError(w, http.StatusBadRequest, "Problems parsing JSON", nil)
		return
	}
	title, _ := req.Title.(string)
	if n, ok := req.Title.(float64); ok {
		title = strconv.FormatFloat(n, 'f', -1, 64)
	}
	switch {
	case strings.TrimSpace(title) == "":
		githubError(w, http.StatusUnprocessableEntity, "Validation Failed",
			[]any{map[string]string{"resource": "Issue", "code": "missing_field",
				"field": "title"}})
		return
	case len([]rune(title)) > 256:
		githubError(w, http.StatusUnprocessableEntity, "Validation Failed",
			[]any{map[string]string{"resource": "Issue", "code": "custom", "field": "title",
				"message": "title is too long (maximum is 256 characters)"}})
		return
	case req.Body != nil && len([]rune(*req.Body)) > 65536:
		githubError(w, http.StatusUnprocessableEntity, "Validation Failed",
			[]any{map[string]string{"resource": "Issue", "code": "custom", "field": "body",
				"message": "body is too long (maximum is 65536 characters)"}})
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	now := clock()
	is := &GitHubIssue{ID: 2100000000 + int64(len(g.issues)), Number: len(g.issues) + 1,
		Title: title, Labels: req.Labels, State: "open", Created: now, Updated: now}
	if req.Body != nil {
		is.Body = *req.Body
	}
	g.issues = append(g.issues, is)
	w.Header().Set("Location", g.apiURL(is))
	writeJSON(w, http.StatusCreated, g.issueJSON(is))
}

// get handles GET /repos/{owner}/{repo}/issues/{number}.
func (g *GitHub) get(w http.ResponseWriter, r *http.Request) {
	if !g.repo(w, r) {
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	is := g.issue(w, r)
	if is == nil {
		return
	}
	writeJSON(w, http.StatusOK, g.issueJSON(is))
}

// update handles PATCH /repos/{owner}/{repo}/issues/{number}: state and
// state_reason (the reason changes only along with the state), title.
func (g *GitHub) update(w http.ResponseWriter, r *http.Request) {
	if !g.repo(w, r) {
		return
	}
	var req struct {
		Title       *string `json:"title"`
		State       *string `json:"state"`
		StateReason *string `json:"state_reason"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if json.Unmarshal(body, &req) != nil {
		githubError(w, http.StatusBadRequest, "Problems parsing JSON", nil)
		return
	}
	invalid := func(field string) {
		githubError(w, http.StatusUnprocessableEntity, "Validation Failed",
			[]any{map[string]string{"resource": "Issue", "code": "invalid", "field": field}})
	}
	if req.State != nil && *req.State != "open" && *req.State != "closed" {
		invalid("state")
		return
	}
	reasons := []string{"completed", "not_planned", "duplicate", "reopened"}
	if req.StateReason != nil && !slices.Contains(reasons, *req.StateReason) {
		invalid("state_reason")
		return
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	is := g.issue(w, r)
	if is == nil {
		return
	}
	if req.Title != nil {
		is.Title = *req.Title
	}
	if req.State != nil && *req.State != is.State {
		reason := "reopened"
		if *req.State == "closed" {
			reason = "completed"
		}
		if req.StateReason != nil && (*req.State == "closed") == (*req.StateReason != "reopened") {
			reason = *req.StateReason
		}
		g.setState(is, *req.State, reason)
	}
	is.Updated = clock()
	writeJSON(w, http.StatusOK, g.issueJSON(is))
}

func (g *GitHub) issue(w http.ResponseWriter, r *http.Request) *GitHubIssue {
	n, err := strconv.Atoi(r.PathValue("number"))
	is := g.find(n)
	if err != nil || is == nil {
		githubError(w, http.StatusNotFound, "Not Found", nil)
	}
	return is
}

func (g *GitHub) setState(is *GitHubIssue, state, reason string) {
	is.State, is.StateReason, is.Updated = state, reason, clock()
	is.Closed = time.Time{}
	if state == "closed" {
		is.Closed = is.Updated
	}
}

func (g *GitHub) find(number int) *GitHubIssue {
	for _, is := range g.issues {
		if is.Number == number {
			return is
		}
	}
	return nil
}

func (g *GitHub) apiURL(is *GitHubIssue) string {
	return fmt.Sprintf("%s/repos/%s/%s/issues/%d", g.URL, g.Owner, g.Repo, is.Number)
}

// issueJSON is an issue as the REST API answers it.
func (g *GitHub) issueJSON(is *GitHubIssue) map[string]any {
	api := g.apiURL(is)
	labels := []any{}
	for i, l := range is.Labels {
		labels = append(labels, map[string]any{"id": 5200000000 + i, "node_id": "LA_kwDOf" +
			strconv.Itoa(i), "url": fmt.Sprintf("%s/repos/%s/%s/labels/%s", g.URL, g.Owner,
			g.Repo, l), "name": l, "color": "ededed", "default": false, "description": nil})
	}
	out := map[string]any{
		"url": api, "repository_url": fmt.Sprintf("%s/repos/%s/%s", g.URL, g.Owner, g.Repo),
		"labels_url": api + "/labels{/name}", "comments_url": api + "/comments",
		"events_url": api + "/events", "timeline_url": api + "/timeline",
		"html_url": fmt.Sprintf("https://github.com/%s/%s/issues/%d", g.Owner, g.Repo,
			is.Number),
		"id": is.ID, "node_id": "I_kwDOGhub" + strconv.Itoa(is.Number), "number": is.Number,
		"title": is.Title, "user": g.person(), "labels": labels, "state": is.State,
		"locked": false, "assignee": nil, "assignees": []any{}, "milestone": nil,
		"comments": 0, "created_at": is.Created.Format(time.RFC3339),
		"updated_at": is.Updated.Format(time.RFC3339), "closed_at": nil,
		"author_association": "NONE", "active_lock_reason": nil, "body": nil,
		"closed_by": nil, "state_reason": nil,
	}
	if is.Body != "" {
		out["body"] = is.Body
	}
	if is.StateReason != "" {
		out["state_reason"] = is.StateReason
	}
	if !is.Closed.IsZero() {
		out["closed_at"] = is.Closed.Format(time.RFC3339)
	}
	return out
}

func (g *GitHub) webhook(action string, is *GitHubIssue, changes map[string]any) []byte {
	body := map[string]any{
		"action":     action,
		"issue":      g.issueJSON(is),
		"repository": g.repository(),
		"sender":     g.person(),
	}
	if changes != nil {
		body["changes"] = changes
	}
	return mustJSON(body)
}

func (g *GitHub) repository() map[string]any {
	return map[string]any{
		"id": 35129377, "node_id": "MDEwOlJlcG9zaXRvcnkzNTEyOTM3Nw==", "name": g.Repo,
		"full_name": g.Owner + "/" + g.Repo, "private": true,
		"owner":    map[string]any{"login": g.Owner, "id": 21031067, "type": "Organization"},
		"html_url": "https://github.com/" + g.Owner + "/" + g.Repo,
		"url":      fmt.Sprintf("%s/repos/%s/%s", g.URL, g.Owner, g.Repo),
	}
}

func (g *GitHub) person() map[string]any {
	return map[string]any{"login": "release-ops", "id": 9919, "node_id": "MDQ6VXNlcjk5MTk=",
		"type": "User", "site_admin": false,
		"html_url": "https://github.com/release-ops"}
}

func githubError(w http.ResponseWriter, status int, msg string, errs []any) {
	body := map[string]any{"message": msg,
		"documentation_url": "https://docs.github.com/rest/issues/issues",
		"status":            strconv.Itoa(status)}
	if errs != nil {
		body["errors"] = errs
	}
	writeJSON(w, status, body)
}
