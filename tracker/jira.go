package tracker

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// Jira is a Jira site: Cloud through REST v3, or Data Center (and
// Server) through REST v2.
type Jira struct {
	// BaseURL is the site's address, with its context path if it has one:
	// "https://acme.atlassian.net", "https://jira.acme.com/jira".
	BaseURL string
	// API is 3 for Cloud (rich text in the Atlassian Document Format) or
	// 2 for Data Center (plain text); 0 means 3.
	API int
	// Project is the key of the project tickets are made in ("OPS").
	Project string
	// IssueType names the issue type of new tickets; "" means "Task".
	IssueType string
	// Email is the account's e-mail address on Cloud, or its user name on
	// Data Center, for Basic authentication with Token. When empty, Token
	// is sent as a Bearer token (a Data Center personal access token).
	Email string
	// Token is the account's API token (Cloud) or personal access token
	// (Data Center).
	Token Secret
	// Client makes the calls; nil means one with a 30-second timeout.
	Client *http.Client
	// Map translates statuses; the zero map is DefaultJiraStatuses.
	Map StatusMap
}

// System answers SystemJira.
func (j *Jira) System() System { return SystemJira }

// String describes the site without its credentials.
func (j *Jira) String() string {
	return fmt.Sprintf("Jira %s (REST v%d, project %s)", redactURL(j.BaseURL), j.api(),
		j.Project)
}

// LogValue describes the site to log/slog without its credentials.
func (j *Jira) LogValue() slog.Value {
	return slog.GroupValue(slog.String("tracker", string(SystemJira)),
		slog.String("url", redactURL(j.BaseURL)), slog.Int("api", j.api()),
		slog.String("project", j.Project))
}

func (j *Jira) api() int {
	if j.API == 0 {
		return 3
	}
	return j.API
}

func (j *Jira) statuses() StatusMap {
	if j.Map.isZero() {
		return DefaultJiraStatuses()
	}
	return j.Map
}

func (j *Jira) caller() caller {
	return caller{
		system: SystemJira, client: j.Client, accept: "application/json", token: j.Token,
		header: func(h http.Header) {
			if j.Email != "" {
				cred := base64.StdEncoding.EncodeToString([]byte(j.Email + ":" + string(j.Token)))
				h.Set("Authorization", "Basic "+cred)
			} else {
				h.Set("Authorization", "Bearer "+string(j.Token))
			}
		},
		refusal: jiraRefusal,
	}
}

// endpoint is the address of a REST path under the site's API version.
func (j *Jira) endpoint(path string) (string, error) {
	if a := j.api(); a != 2 && a != 3 {
		return "", debrief.FieldErrorf("api", "Jira REST API version %d: use 3 (Cloud) "+
			"or 2 (Data Center)", a)
	}
	base, err := checkBase(SystemJira, j.BaseURL)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s/rest/api/%d%s", base, j.api(), path), nil
}

// jiraRefusal reads Jira's error body: {"errorMessages": [...],
// "errors": {"field": "message"}}.
func jiraRefusal(body []byte) refusal {
	var v struct {
		ErrorMessages []string          `json:"errorMessages"`
		Errors        map[string]string `json:"errors"`
	}
	if json.Unmarshal(body, &v) != nil {
		return refusal{}
	}
	r := refusal{messages: v.ErrorMessages}
	for f, m := range v.Errors {
		r.fields = append(r.fields, fieldMessage{f, m})
	}
	sort.Slice(r.fields, func(a, b int) bool { return r.fields[a].field < r.fields[b].field })
	return r
}

// The shapes of Jira's answers, as far as debrief reads them.
type (
	jiraStatus struct {
		ID             string `json:"id"`
		Name           string `json:"name"`
		StatusCategory struct {
			Key string `json:"key"`
		} `json:"statusCategory"`
	}
	jiraIssue struct {
		ID     string `json:"id"`
		Key    string `json:"key"`
		Fields struct {
			Status *jiraStatus `json:"status"`
		} `json:"fields"`
		Transitions []jiraTransition `json:"transitions"`
	}
	jiraTransition struct {
		ID          string     `json:"id"`
		Name        string     `json:"name"`
		To          jiraStatus `json:"to"`
		IsAvailable *bool      `json:"isAvailable"`
	}
)

var reJiraKey = regexp.MustCompile(`^(?:[A-Za-z][A-Za-z0-9_]*-[0-9]+|[0-9]+)$`)

func checkJiraKey(key string) error {
	if len(key) > 100 || !reJiraKey.MatchString(key) {
		return debrief.FieldErrorf("key", "%q is not a Jira issue key such as OPS-12", key)
	}
	return nil
}

// jiraSummaryMax is the length Jira allows a summary, in characters.
const jiraSummaryMax = 255

// Create makes an issue of the configured type in the project, then reads
// its status: Jira's answer to a create holds only id, key and self. When
// that read fails, the ticket is still answered, with Status empty; the
// next Fetch fills it in.
//
// Jira refuses a field that is not on the project's create screen. When
// only the due date or the labels are refused so, the issue is made
// without them and Ticket.Dropped names them: the ticket matters more.
func (j *Jira) Create(ctx context.Context, in Issue) (Ticket, error) {
	fields, err := j.fields(in)
	if err != nil {
		return Ticket{}, err
	}
	target, err := j.endpoint("/issue")
	if err != nil {
		return Ticket{}, err
	}
	var created struct {
		ID  string `json:"id"`
		Key string `json:"key"`
	}
	what := "the new issue in project " + j.Project
	call := func() error {
		return j.caller().call(ctx, "create", what, http.MethodPost, target,
			map[string]any{"fields": fields}, &created)
	}
	var dropped []string
	err = call()
	if drop := unscreened(err, fields); len(drop) > 0 {
		for _, f := range drop {
			delete(fields, f)
			dropped = append(dropped, issueField(f))
		}
		err = call()
	}
	if err != nil {
		return Ticket{}, err
	}
	if checkJiraKey(created.Key) != nil {
		return Ticket{}, debrief.Errorf(debrief.KindInternal, "Jira answered the create "+
			"with no usable issue key")
	}
	t, err := j.Fetch(ctx, created.Key)
	if err != nil {
		t = Ticket{System: SystemJira, ID: created.ID, Key: created.Key,
			URL: j.browse(created.Key)}
	}
	t.Dropped = dropped
	return t, nil
}

// fields are the fields of a new issue, in the site's API version.
func (j *Jira) fields(in Issue) (map[string]any, error) {
	if strings.TrimSpace(j.Project) == "" {
		return nil, debrief.FieldErrorf("project", "no Jira project is configured to make "+
			"tickets in")
	}
	summary := firstLine(in.Title, jiraSummaryMax)
	if summary == "" {
		return nil, debrief.FieldErrorf("title", "a ticket needs a title")
	}
	if err := checkDue(in.Due); err != nil {
		return nil, err
	}
	issueType := j.IssueType
	if issueType == "" {
		issueType = "Task"
	}
	fields := map[string]any{
		"project":   map[string]string{"key": j.Project},
		"summary":   summary,
		"issuetype": map[string]string{"name": issueType},
	}
	if body := strings.TrimSpace(in.Body); body != "" {
		if j.api() == 3 {
			fields["description"] = adfDocument(body)
		} else {
			fields["description"] = body
		}
	}
	if labels := jiraLabels(in.Labels); len(labels) > 0 {
		fields["labels"] = labels
	}
	if in.Due != "" {
		fields["duedate"] = in.Due
	}
	return fields, nil
}

// unscreened lists the optional fields a create was refused for because
// they are not on the project's create screen ("Field 'duedate' cannot be
// set. It is not on the appropriate screen, or unknown."), provided every
// field refused is one of them: a refusal of anything else stands.
func unscreened(err error, fields map[string]any) []string {
	var re *RemoteError
	if !errors.As(err, &re) || re.StatusCode != http.StatusBadRequest || len(re.refused) == 0 {
		return nil
	}
	var drop []string
	for _, f := range re.refused {
		_, sent := fields[f.field]
		optional := f.field == "duedate" || f.field == "labels"
		if !sent || !optional || !strings.Contains(strings.ToLower(f.message), "cannot be set") {
			return nil
		}
		drop = append(drop, f.field)
	}
	return drop
}

// jiraLabels makes labels Jira takes: no spaces, at most 255 characters,
// each once.
func jiraLabels(in []string) []string {
	var out []string
	for _, l := range in {
		l = strings.Join(strings.Fields(l), "-")
		if r := []rune(l); len(r) > 255 {
			l = string(r[:255])
		}
		if l != "" && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}

// Fetch reads an issue's status. The key answered is Jira's current one,
// which differs from key when the issue moved to another project.
func (j *Jira) Fetch(ctx context.Context, key string) (Ticket, error) {
	issue, err := j.get(ctx, "fetch", key, false)
	if err != nil {
		return Ticket{}, err
	}
	return j.ticket(issue), nil
}

func (j *Jira) get(ctx context.Context, op, key string, transitions bool) (*jiraIssue, error) {
	if err := checkJiraKey(key); err != nil {
		return nil, err
	}
	q := url.Values{"fields": {"status"}}
	if transitions {
		// One call answers both the status and the ways out of it.
		q.Set("expand", "transitions")
	}
	target, err := j.endpoint("/issue/" + url.PathEscape(key) + "?" + q.Encode())
	if err != nil {
		return nil, err
	}
	var issue jiraIssue
	if err := j.caller().call(ctx, op, "issue "+key, http.MethodGet, target, nil,
		&issue); err != nil {
		return nil, err
	}
	if checkJiraKey(issue.Key) != nil || issue.Fields.Status == nil {
		return nil, debrief.Errorf(debrief.KindInternal, "Jira answered issue %s without "+
			"its key or status", key)
	}
	return &issue, nil
}

func (j *Jira) ticket(issue *jiraIssue) Ticket {
	t := Ticket{System: SystemJira, ID: issue.ID, Key: issue.Key, URL: j.browse(issue.Key)}
	if s := issue.Fields.Status; s != nil {
		t.Status = s.Name
		t.State, _ = j.statuses().State(s.Name, s.StatusCategory.Key)
	}
	return t
}

// browse is an issue's page for people.
func (j *Jira) browse(key string) string {
	base, err := checkBase(SystemJira, j.BaseURL)
	if err != nil {
		return ""
	}
	return base + "/browse/" + url.PathEscape(key)
}

// maxHops bounds the transitions one Move takes: enough to cross a
// workflow that passes through In Progress on the way to Done.
const maxHops = 3

// Move walks the issue's workflow to a status that means to. A
// transition straight there is taken when the issue has one (the status
// Map.Prefer lists first, if several); otherwise it goes through a status
// meaning in progress, then open, never twice through one status, in at
// most three transitions. A workflow with no such path is a conflict
// that names the status reached and the transitions Jira offered there:
// the issue may have been moved part of the way.
func (j *Jira) Move(ctx context.Context, key string, to debrief.ActionStatus) (Ticket, error) {
	to, err := target(SystemJira, to)
	if err != nil {
		return Ticket{}, err
	}
	m := j.statuses()
	seen := map[string]bool{}
	for hop := 0; ; hop++ {
		issue, err := j.get(ctx, "move", key, true)
		if err != nil {
			return Ticket{}, err
		}
		t := j.ticket(issue)
		if t.State == to {
			return t, nil
		}
		seen[statusKey(t.Status)] = true
		next, direct := m.route(issue.Transitions, t.State, to, seen)
		if next == nil || hop == maxHops {
			return Ticket{}, noRoute(issue, to)
		}
		if err := j.transition(ctx, issue.Key, next.ID); err != nil {
			return Ticket{}, err
		}
		if direct {
			// The transition's target is the new status: no need to read
			// the issue again.
			t.Status = next.To.Name
			t.State = to
			return t, nil
		}
		key = issue.Key
	}
}

// route picks the transition to take towards to: one straight to a
// status meaning to, else one to a status meaning in progress, else open,
// that has not been passed through and means something other than the
// status the issue is in (from). direct tells which it is.
func (m StatusMap) route(
	ts []jiraTransition,
	from, to debrief.ActionStatus,
	seen map[string]bool,
) (next *jiraTransition, direct bool) {
	via := []debrief.ActionStatus{to, debrief.ActionInProgress, debrief.ActionOpen}
	for i, st := range via {
		if i > 0 && (st == to || st == from) {
			continue
		}
		var best *jiraTransition
		for k := range ts {
			t := &ts[k]
			if t.IsAvailable != nil && !*t.IsAvailable || seen[statusKey(t.To.Name)] {
				continue
			}
			if got, ok := m.State(t.To.Name, t.To.StatusCategory.Key); !ok || got != st {
				continue
			}
			if best == nil || m.preference(st, t.To.Name) < m.preference(st, best.To.Name) {
				best = t
			}
		}
		if best != nil {
			return best, i == 0
		}
	}
	return nil, false
}

func noRoute(issue *jiraIssue, to debrief.ActionStatus) error {
	var names []string
	for _, t := range issue.Transitions {
		names = append(names, fmt.Sprintf("%q", t.To.Name))
	}
	offered := "none"
	if len(names) > 0 {
		offered = strings.Join(names, ", ")
	}
	return debrief.Errorf(debrief.KindConflict, "Jira's workflow offers no way from %q to a "+
		"status meaning %s for %s (its transitions lead to %s); map one of its statuses to %s "+
		"under trackers.jira.statuses", issue.Fields.Status.Name, to, issue.Key, offered, to)
}

func (j *Jira) transition(ctx context.Context, key, id string) error {
	target, err := j.endpoint("/issue/" + url.PathEscape(key) + "/transitions")
	if err != nil {
		return err
	}
	body := map[string]any{"transition": map[string]string{"id": id}}
	return j.caller().call(ctx, "move", "the transition of issue "+key, http.MethodPost,
		target, body, nil)
}

// firstLine is a title as one line, cut to max characters.
func firstLine(s string, max int) string {
	for line := range strings.SplitSeq(s, "\n") {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			if r := []rune(line); len(r) > max {
				return string(r[:max-1]) + "…"
			}
			return line
		}
	}
	return ""
}

func checkDue(due string) error {
	if due == "" {
		return nil
	}
	if _, err := time.Parse(time.DateOnly, due); err != nil {
		return debrief.FieldErrorf("due", "%q is not a date such as 2026-05-01", due)
	}
	return nil
}
