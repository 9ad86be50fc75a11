package tracker

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
)

// GitHub is one repository's issues on github.com or GitHub Enterprise
// Server.
type GitHub struct {
	// BaseURL is the REST API's address: "" or "https://api.github.com",
	// or "https://HOST/api/v3" for GitHub Enterprise Server.
	BaseURL string
	// Owner and Repo name the repository tickets are made in.
	Owner, Repo string
	// Token is a fine-grained token with Issues read and write on the
	// repository, or a classic one with the repo scope.
	Token Secret
	// Client makes the calls; nil means one with a 30-second timeout.
	Client *http.Client
	// Map translates statuses; the zero map is DefaultGitHubStatuses.
	Map StatusMap
}

// GitHubAPIVersion is the REST API version debrief asks for.
const GitHubAPIVersion = "2022-11-28"

const githubDefaultURL = "https://api.github.com"

// System answers SystemGitHub.
func (g *GitHub) System() System { return SystemGitHub }

// String describes the repository without the token.
func (g *GitHub) String() string {
	return fmt.Sprintf("GitHub %s/%s at %s", g.Owner, g.Repo, redactURL(g.base()))
}

// LogValue describes the repository to log/slog without the token.
func (g *GitHub) LogValue() slog.Value {
	return slog.GroupValue(slog.String("tracker", string(SystemGitHub)),
		slog.String("url", redactURL(g.base())), slog.String("repo", g.Owner+"/"+g.Repo))
}

func (g *GitHub) base() string {
	if g.BaseURL == "" {
		return githubDefaultURL
	}
	return g.BaseURL
}

func (g *GitHub) statuses() StatusMap {
	if g.Map.isZero() {
		return DefaultGitHubStatuses()
	}
	return g.Map
}

func (g *GitHub) caller() caller {
	return caller{
		system: SystemGitHub, client: g.Client, accept: "application/vnd.github+json",
		token: g.Token,
		header: func(h http.Header) {
			h.Set("Authorization", "Bearer "+string(g.Token))
			h.Set("X-GitHub-Api-Version", GitHubAPIVersion)
		},
		refusal: githubRefusal,
	}
}

// githubRefusal reads GitHub's error body: {"message": "Validation
// Failed", "errors": [{"resource": "Issue", "field": "title", "code":
// "missing_field"}]}, where an error may also be a plain string.
func githubRefusal(body []byte) refusal {
	var v struct {
		Message string            `json:"message"`
		Errors  []json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &v) != nil {
		return refusal{}
	}
	r := refusal{}
	if v.Message != "" {
		r.messages = append(r.messages, v.Message)
	}
	for _, raw := range v.Errors {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			r.messages = append(r.messages, s)
			continue
		}
		var e struct{ Field, Code, Message string }
		if json.Unmarshal(raw, &e) != nil {
			continue
		}
		msg := e.Message
		if msg == "" {
			msg = strings.ReplaceAll(e.Code, "_", " ")
		}
		if e.Field != "" {
			r.fields = append(r.fields, fieldMessage{e.Field, msg})
		} else if msg != "" {
			r.messages = append(r.messages, msg)
		}
	}
	return r
}

// githubIssue is GitHub's issue, as far as debrief reads it.
type githubIssue struct {
	ID          int64   `json:"id"`
	Number      int     `json:"number"`
	HTMLURL     string  `json:"html_url"`
	State       string  `json:"state"`
	StateReason *string `json:"state_reason"`
}

// githubStatus names an issue's state as Ticket.Status does: "open", or
// "closed as completed", "closed as not planned", "closed as duplicate",
// or just "closed" for an issue closed before GitHub kept reasons. The
// reason of an open issue ("reopened") is left out: it changes nothing.
func githubStatus(state, reason string) string {
	if state != githubClosed {
		return state
	}
	if reason == "" {
		return githubClosed
	}
	return githubClosedPrefix + strings.ReplaceAll(reason, "_", " ")
}

var (
	reGitHubName = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,100}$`)
	reGitHubKey  = regexp.MustCompile(`^(?:([^/#\s]+)/([^/#\s]+))?#?([0-9]{1,10})$`)
)

// githubKey reads a key: "owner/repo#42", or "#42" or "42" for an issue of
// the configured repository.
func (g *GitHub) githubKey(key string) (owner, repo string, number int, err error) {
	m := reGitHubKey.FindStringSubmatch(strings.TrimSpace(key))
	if m == nil {
		return "", "", 0, debrief.FieldErrorf("key", "%q is not a GitHub issue such as "+
			"acme/ops#42", key)
	}
	owner, repo = g.Owner, g.Repo
	if m[1] != "" {
		owner, repo = m[1], m[2]
	}
	if !reGitHubName.MatchString(owner) || !reGitHubName.MatchString(repo) {
		return "", "", 0, debrief.FieldErrorf("key", "%q does not name a GitHub repository "+
			"as owner/repo", key)
	}
	number, err = strconv.Atoi(m[3])
	if err != nil || number < 1 {
		return "", "", 0, debrief.FieldErrorf("key", "%q is not a GitHub issue number", key)
	}
	return owner, repo, number, nil
}

func (g *GitHub) endpoint(owner, repo, path string) (string, error) {
	base, err := checkBase(SystemGitHub, g.base())
	if err != nil {
		return "", err
	}
	return base + "/repos/" + url.PathEscape(owner) + "/" + url.PathEscape(repo) + path, nil
}

// githubTitleMax is the length GitHub allows an issue title.
const githubTitleMax = 256

// Create opens an issue in the repository. GitHub has no due date, so a
// "Due: 2026-05-01" line ends the body.
func (g *GitHub) Create(ctx context.Context, in Issue) (Ticket, error) {
	if !reGitHubName.MatchString(g.Owner) || !reGitHubName.MatchString(g.Repo) {
		return Ticket{}, debrief.FieldErrorf("repo", "no GitHub repository is configured to "+
			"open issues in")
	}
	title := firstLine(in.Title, githubTitleMax)
	if title == "" {
		return Ticket{}, debrief.FieldErrorf("title", "a ticket needs a title")
	}
	if err := checkDue(in.Due); err != nil {
		return Ticket{}, err
	}
	body := strings.TrimSpace(in.Body)
	if in.Due != "" {
		body = strings.TrimSpace(body + "\n\nDue: " + in.Due)
	}
	req := map[string]any{"title": title}
	if body != "" {
		req["body"] = body
	}
	var labels []string
	for _, l := range in.Labels {
		if l = strings.TrimSpace(l); l != "" && !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	if len(labels) > 0 {
		req["labels"] = labels
	}
	target, err := g.endpoint(g.Owner, g.Repo, "/issues")
	if err != nil {
		return Ticket{}, err
	}
	var issue githubIssue
	what := "the new issue in " + g.Owner + "/" + g.Repo
	if err := g.caller().call(ctx, "create", what, http.MethodPost, target, req,
		&issue); err != nil {
		return Ticket{}, err
	}
	return g.ticket(g.Owner, g.Repo, &issue)
}

// Fetch reads an issue's state.
func (g *GitHub) Fetch(ctx context.Context, key string) (Ticket, error) {
	owner, repo, n, err := g.githubKey(key)
	if err != nil {
		return Ticket{}, err
	}
	issue, err := g.call(ctx, "fetch", owner, repo, n, http.MethodGet, nil)
	if err != nil {
		return Ticket{}, err
	}
	return g.ticket(owner, repo, issue)
}

// Move closes or reopens an issue. Done closes it as completed (an issue
// closed for another reason is reopened first: GitHub changes the reason
// only along with the state). Open, in progress and blocked all reopen a
// closed issue, except that an issue closed as not planned is already
// blocked. GitHub has no in progress or blocked: an open issue is left
// as it is, and the ticket answered says "open".
func (g *GitHub) Move(ctx context.Context, key string, to debrief.ActionStatus) (Ticket, error) {
	to, err := target(SystemGitHub, to)
	if err != nil {
		return Ticket{}, err
	}
	owner, repo, n, err := g.githubKey(key)
	if err != nil {
		return Ticket{}, err
	}
	issue, err := g.call(ctx, "move", owner, repo, n, http.MethodGet, nil)
	if err != nil {
		return Ticket{}, err
	}
	t, err := g.ticket(owner, repo, issue)
	if err != nil || t.State == to {
		return t, err
	}
	open := map[string]string{"state": githubOpen}
	switch {
	case to == debrief.ActionDone:
		if issue.State == githubClosed {
			if _, err := g.call(ctx, "move", owner, repo, n, http.MethodPatch, open); err != nil {
				return Ticket{}, err
			}
		}
		issue, err = g.call(ctx, "move", owner, repo, n, http.MethodPatch,
			map[string]string{"state": githubClosed, "state_reason": "completed"})
	case issue.State == githubClosed:
		issue, err = g.call(ctx, "move", owner, repo, n, http.MethodPatch, open)
	}
	if err != nil {
		return Ticket{}, err
	}
	return g.ticket(owner, repo, issue)
}

func (g *GitHub) call(
	ctx context.Context,
	op, owner, repo string,
	n int,
	method string,
	body any,
) (*githubIssue, error) {
	target, err := g.endpoint(owner, repo, "/issues/"+strconv.Itoa(n))
	if err != nil {
		return nil, err
	}
	var issue githubIssue
	what := fmt.Sprintf("issue %s/%s#%d", owner, repo, n)
	if err := g.caller().call(ctx, op, what, method, target, body, &issue); err != nil {
		return nil, err
	}
	return &issue, nil
}

func (g *GitHub) ticket(owner, repo string, issue *githubIssue) (Ticket, error) {
	if issue.Number < 1 || issue.State == "" {
		return Ticket{}, debrief.Errorf(debrief.KindInternal, "GitHub answered an issue of "+
			"%s/%s without its number or state", owner, repo)
	}
	reason := ""
	if issue.StateReason != nil {
		reason = *issue.StateReason
	}
	t := Ticket{
		System: SystemGitHub,
		ID:     strconv.FormatInt(issue.ID, 10),
		Key:    fmt.Sprintf("%s/%s#%d", owner, repo, issue.Number),
		URL:    issue.HTMLURL,
		Status: githubStatus(issue.State, reason),
	}
	t.State, _ = g.statuses().State(t.Status, "")
	return t, nil
}
