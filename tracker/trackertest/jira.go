package trackertest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-oss/debrief/tracker"
)

// Jira is a Jira site: Cloud's REST v3 or Data Center's REST v2, with
// one project and one workflow:
//
//	To Do --Start progress--> In Progress --Done--> Done
//	To Do, In Progress --Block--> Blocked --Unblock--> In Progress
//	In Progress --Stop progress--> To Do;  Done --Reopen--> To Do
//
// so that To Do to Done takes two transitions, as in many real workflows.
type Jira struct {
	// URL is the site's base address, http://127.0.0.1:PORT.
	URL string
	// API is 3 (Cloud) or 2 (Data Center): the double serves only that
	// version's paths, as a Data Center site has no v3.
	API int
	// Email and Token are the credentials the double accepts: Basic
	// email:token, and on v2 also the token as a Bearer token.
	Email, Token string
	// Project is the key of the only project ("OPS").
	Project string
	// IssueTypes are the issue types the project has.
	IssueTypes []string

	t testing.TB
	recorder
	mu       sync.Mutex
	issues   []*jiraIssue
	statuses []jiraStatus
	flows    []jiraFlow
	hidden   map[string]bool
	events   int
}

// JiraIssue is an issue as the double holds it.
type JiraIssue struct {
	ID, Key, Summary, IssueType string
	// Description is what was sent: an Atlassian Document (v3) or a
	// string (v2), decoded as encoding/json decodes into any.
	Description any
	// DescriptionText is the description's text: v2's string, or v3's
	// text nodes with paragraphs and hard breaks as line ends.
	DescriptionText string
	Labels          []string
	Due             string
	Status          string
}

type jiraIssue struct {
	JiraIssue
	created, updated time.Time
}

type jiraStatus struct {
	id, name, category string
}

// jiraFlow is a transition: from "" is a global one, from every status.
type jiraFlow struct {
	id, name, from, to string
}

// The status categories, with the ids and colours Jira gives them.
var jiraCategories = map[string]struct {
	id          int
	color, name string
}{
	"new":           {2, "blue-gray", "To Do"},
	"indeterminate": {4, "yellow", "In Progress"},
	"done":          {3, "green", "Done"},
	"undefined":     {1, "medium-gray", "No Category"},
}

// NewJira starts a Jira double of REST API version api (3 or 2) on
// 127.0.0.1, stopped when the test ends.
func NewJira(t testing.TB, api int) *Jira {
	t.Helper()
	if api != 2 && api != 3 {
		t.Fatalf("trackertest.NewJira: API %d: use 3 (Cloud) or 2 (Data Center)", api)
	}
	j := &Jira{
		API: api, Email: "debrief-bot@example.com", Token: "jira-test-token",
		Project: "OPS", IssueTypes: []string{"Task", "Bug", "Story"}, t: t,
		statuses: []jiraStatus{
			{"10000", "To Do", "new"}, {"3", "In Progress", "indeterminate"},
			{"10001", "Blocked", "indeterminate"}, {"10002", "Done", "done"},
		},
		flows: []jiraFlow{
			{"11", "Start progress", "To Do", "In Progress"},
			{"21", "Block", "To Do", "Blocked"},
			{"21", "Block", "In Progress", "Blocked"},
			{"31", "Done", "In Progress", "Done"},
			{"41", "Stop progress", "In Progress", "To Do"},
			{"51", "Unblock", "Blocked", "In Progress"},
			{"61", "Reopen", "Done", "To Do"},
		},
		hidden: map[string]bool{},
	}
	mux := http.NewServeMux()
	p := fmt.Sprintf("/rest/api/%d", api)
	mux.HandleFunc("POST "+p+"/issue", j.create)
	mux.HandleFunc("GET "+p+"/issue/{key}", j.get)
	mux.HandleFunc("GET "+p+"/issue/{key}/transitions", j.listTransitions)
	mux.HandleFunc("POST "+p+"/issue/{key}/transitions", j.doTransition)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		jiraError(w, http.StatusNotFound, "No resource is served at "+r.URL.Path+".")
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if j.record(w, r, j.failureBody) || !j.authorized(w, r) {
			return
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	j.URL = srv.URL
	return j
}

// Client answers a tracker.Jira aimed at the double with its credentials.
func (j *Jira) Client() *tracker.Jira {
	return &tracker.Jira{BaseURL: j.URL, API: j.API, Project: j.Project, IssueType: "Task",
		Email: j.Email, Token: tracker.Secret(j.Token)}
}

// AddStatus adds a status of a category ("new", "indeterminate", "done")
// to the workflow, with a global transition of the same name into it, as
// a Jira administrator might ("Won't Do", "In Review").
func (j *Jira) AddStatus(name, category string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if _, ok := jiraCategories[category]; !ok {
		j.t.Fatalf("trackertest: status category %q: use new, indeterminate or done", category)
	}
	id := strconv.Itoa(10100 + len(j.statuses))
	j.statuses = append(j.statuses, jiraStatus{id, name, category})
	j.flows = append(j.flows, jiraFlow{id: strconv.Itoa(900 + len(j.flows)), name: name, to: name})
}

// HideField takes a field ("duedate", "labels") off the create screen:
// a create that sets it is refused, as Jira refuses it.
func (j *Jira) HideField(field string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.hidden[field] = true
}

// Issue answers the issue with key, or false.
func (j *Jira) Issue(key string) (JiraIssue, bool) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if is := j.find(key); is != nil {
		c := is.JiraIssue
		c.Labels = slices.Clone(c.Labels)
		return c, true
	}
	return JiraIssue{}, false
}

// SetStatus moves an issue to a status as a person might (any status of
// the workflow, whatever the transitions), and answers the
// jira:issue_updated webhook body Jira sends for it.
func (j *Jira) SetStatus(key, status string) []byte {
	j.t.Helper()
	j.mu.Lock()
	defer j.mu.Unlock()
	is := j.find(key)
	if is == nil {
		j.t.Fatalf("trackertest: Jira has no issue %s", key)
	}
	to, ok := j.status(status)
	if !ok {
		j.t.Fatalf("trackertest: Jira's workflow has no status %q", status)
	}
	from, _ := j.status(is.Status)
	is.Status, is.updated = to.name, clock()
	j.events++
	item := map[string]any{
		"field": "status", "fieldtype": "jira", "fieldId": "status",
		"from": from.id, "fromString": from.name, "to": to.id, "toString": to.name,
	}
	return j.webhook(is, "jira:issue_updated", "issue_generic", item)
}

// Created answers the jira:issue_created webhook body Jira sends for an
// issue, such as one debrief just made: its echo.
func (j *Jira) Created(key string) []byte {
	j.t.Helper()
	j.mu.Lock()
	defer j.mu.Unlock()
	is := j.find(key)
	if is == nil {
		j.t.Fatalf("trackertest: Jira has no issue %s", key)
	}
	j.events++
	return mustJSON(map[string]any{
		"timestamp":             clock().UnixMilli(),
		"webhookEvent":          "jira:issue_created",
		"issue_event_type_name": "issue_created",
		"user":                  j.person(),
		"issue":                 j.webhookIssue(is),
	})
}

// EditSummary changes an issue's summary as a person might, and answers
// the webhook body: a jira:issue_updated whose changelog has no status.
func (j *Jira) EditSummary(key, summary string) []byte {
	j.t.Helper()
	j.mu.Lock()
	defer j.mu.Unlock()
	is := j.find(key)
	if is == nil {
		j.t.Fatalf("trackertest: Jira has no issue %s", key)
	}
	old := is.Summary
	is.Summary, is.updated = summary, clock()
	j.events++
	item := map[string]any{
		"field": "summary", "fieldtype": "jira", "fieldId": "summary",
		"from": nil, "fromString": old, "to": nil, "toString": summary,
	}
	return j.webhook(is, "jira:issue_updated", "issue_updated", item)
}

// Comment answers the comment_created webhook body of a comment on an
// issue: an event that changes no status.
func (j *Jira) Comment(key, text string) []byte {
	j.t.Helper()
	j.mu.Lock()
	defer j.mu.Unlock()
	is := j.find(key)
	if is == nil {
		j.t.Fatalf("trackertest: Jira has no issue %s", key)
	}
	j.events++
	body := map[string]any{
		"timestamp":    clock().UnixMilli(),
		"webhookEvent": "comment_created",
		"comment": map[string]any{
			"self": fmt.Sprintf("%s/rest/api/2/issue/%s/comment/%d", j.URL, is.ID,
				10500+j.events),
			"id":      strconv.Itoa(10500 + j.events),
			"author":  j.person(),
			"body":    text,
			"created": jiraTime(clock()), "updated": jiraTime(clock()),
		},
		"issue": j.webhookIssue(is),
	}
	return mustJSON(body)
}

// WebhookRequest wraps a webhook body as Jira delivers it to target (a
// URL of the server under test) when the webhook was registered with
// ?secret=SECRET in its URL: Jira's headers, and a new delivery
// identifier. An empty secret leaves the parameter out.
func (j *Jira) WebhookRequest(target, secret string, body []byte) *http.Request {
	j.t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		j.t.Fatalf("trackertest: webhook target %q: %v", target, err)
	}
	if secret != "" {
		q := u.Query()
		q.Set(tracker.JiraSecretParam, secret)
		u.RawQuery = q.Encode()
	}
	return j.webhookRequest(u.String(), body)
}

// SignedWebhookRequest wraps a webhook body as Jira delivers it when the
// webhook was registered with a secret in its Secret field: signed in
// X-Hub-Signature, with no secret in the URL.
func (j *Jira) SignedWebhookRequest(target, secret string, body []byte) *http.Request {
	j.t.Helper()
	r := j.webhookRequest(target, body)
	r.Header.Set(tracker.JiraSignatureHeader, tracker.Sign(body, tracker.Secret(secret)))
	return r
}

func (j *Jira) webhookRequest(target string, body []byte) *http.Request {
	r, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		j.t.Fatalf("trackertest: webhook request to %q: %v", target, err)
	}
	j.mu.Lock()
	j.events++
	n := j.events
	j.mu.Unlock()
	r.Header.Set("Content-Type", "application/json; charset=utf-8")
	r.Header.Set("User-Agent", "Atlassian Webhook HTTP Client")
	r.Header.Set(tracker.JiraDeliveryHeader, deliveryID(n))
	r.Header.Set("X-Atlassian-Webhook-Flow", "Primary")
	r.Header.Set("X-Atlassian-Webhook-Retry", "0")
	return r
}

// authorized checks credentials as the site would, answering 401 when
// they are wrong.
func (j *Jira) authorized(w http.ResponseWriter, r *http.Request) bool {
	h := r.Header.Get("Authorization")
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(j.Email+":"+j.Token))
	ok := h == basic || j.API == 2 && h == "Bearer "+j.Token
	if !ok {
		w.Header().Set("WWW-Authenticate", `Basic realm="protected-by-api-token"`)
		jiraError(w, http.StatusUnauthorized, "You are not authenticated. Authentication "+
			"required to perform this operation.")
	}
	return ok
}

func (j *Jira) failureBody(status int) string {
	msg := http.StatusText(status)
	if status == http.StatusTooManyRequests {
		msg = "Rate limit exceeded."
	}
	return string(mustJSON(map[string]any{"errorMessages": []string{msg},
		"errors": map[string]string{}}))
}

// create handles POST /issue.
func (j *Jira) create(w http.ResponseWriter, r *http.Request) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		jiraError(w, http.StatusUnsupportedMediaType, "Unsupported Media Type: send "+
			"application/json.")
		return
	}
	var req struct {
		Fields map[string]json.RawMessage `json:"fields"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(body, &req); err != nil || req.Fields == nil {
		jiraError(w, http.StatusBadRequest, "The request body is not an object with fields.")
		return
	}
	is, errs := j.readFields(req.Fields)
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"errorMessages": []string{},
			"errors": errs})
		return
	}
	j.mu.Lock()
	n := len(j.issues)
	is.ID = strconv.Itoa(10000 + n)
	is.Key = fmt.Sprintf("%s-%d", j.Project, n+1)
	is.Status = "To Do"
	is.created = clock()
	is.updated = is.created
	j.issues = append(j.issues, is)
	j.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]string{
		"id": is.ID, "key": is.Key, "self": j.self(is.ID),
	})
}

// readFields checks a create's fields as Jira does, answering the issue
// or Jira's field errors.
func (j *Jira) readFields(f map[string]json.RawMessage) (*jiraIssue, map[string]string) {
	errs := map[string]string{}
	is := &jiraIssue{}
	var project struct{ Key, ID string }
	if json.Unmarshal(f["project"], &project) != nil || project.Key != j.Project &&
		project.ID != "10000" {
		errs["project"] = "Specify a valid project ID or key"
	}
	var it struct{ Name string }
	if json.Unmarshal(f["issuetype"], &it) != nil || it.Name == "" {
		errs["issuetype"] = "Specify an issue type"
	} else if !slices.Contains(j.IssueTypes, it.Name) {
		errs["issuetype"] = "Specify a valid issue type"
	}
	is.IssueType = it.Name
	switch err := json.Unmarshal(f["summary"], &is.Summary); {
	case err != nil || strings.TrimSpace(is.Summary) == "":
		errs["summary"] = "You must specify a summary of the issue."
	case strings.ContainsAny(is.Summary, "\r\n"):
		errs["summary"] = "The summary is invalid because it contains newline characters."
	case len([]rune(is.Summary)) > 255:
		errs["summary"] = "Summary must be less than 255 characters."
	}
	if raw, ok := f["description"]; ok {
		j.readDescription(raw, is, errs)
	}
	if raw, ok := f["labels"]; ok {
		if json.Unmarshal(raw, &is.Labels) != nil {
			errs["labels"] = "Operation value must be an array of strings."
		}
		for _, l := range is.Labels {
			if strings.ContainsAny(l, " \t\n") {
				errs["labels"] = fmt.Sprintf("The label '%s' contains spaces which is invalid.", l)
			}
		}
	}
	if raw, ok := f["duedate"]; ok {
		if json.Unmarshal(raw, &is.Due) != nil {
			errs["duedate"] = "Operation value must be a string."
		} else if _, err := time.Parse(time.DateOnly, is.Due); err != nil {
			errs["duedate"] = "Error parsing date string: " + is.Due
		}
	}
	known := []string{"project", "issuetype", "summary", "description", "labels", "duedate"}
	j.mu.Lock()
	defer j.mu.Unlock()
	for name := range f {
		if j.hidden[name] || !slices.Contains(known, name) {
			errs[name] = fmt.Sprintf("Field '%s' cannot be set. It is not on the appropriate "+
				"screen, or unknown.", name)
		}
	}
	return is, errs
}

func (j *Jira) readDescription(raw json.RawMessage, is *jiraIssue, errs map[string]string) {
	if json.Unmarshal(raw, &is.Description) != nil {
		errs["description"] = "The description cannot be read."
		return
	}
	if j.API == 2 {
		s, ok := is.Description.(string)
		if !ok {
			errs["description"] = "Operation value must be a string"
		}
		is.DescriptionText = s
		return
	}
	text, err := adfText(is.Description)
	if err != "" {
		errs["description"] = "Operation value must be an Atlassian Document (see the " +
			"Atlassian Document Format): " + err
	}
	is.DescriptionText = text
}

// get handles GET /issue/{key}, with fields= and expand=transitions.
func (j *Jira) get(w http.ResponseWriter, r *http.Request) {
	j.mu.Lock()
	defer j.mu.Unlock()
	is := j.find(r.PathValue("key"))
	if is == nil {
		jiraError(w, http.StatusNotFound, "Issue does not exist or you do not have "+
			"permission to see it.")
		return
	}
	fields := j.fields(is)
	if want := r.URL.Query().Get("fields"); want != "" && want != "*all" {
		picked := map[string]any{}
		for name := range strings.SplitSeq(want, ",") {
			if v, ok := fields[strings.TrimSpace(name)]; ok {
				picked[strings.TrimSpace(name)] = v
			}
		}
		fields = picked
	}
	out := map[string]any{
		"expand": "renderedFields,names,schema,operations,editmeta,changelog," +
			"versionedRepresentations",
		"id": is.ID, "self": j.self(is.ID), "key": is.Key, "fields": fields,
	}
	if slices.Contains(strings.Split(r.URL.Query().Get("expand"), ","), "transitions") {
		out["transitions"] = j.transitions(is)
	}
	writeJSON(w, http.StatusOK, out)
}

// listTransitions handles GET /issue/{key}/transitions.
func (j *Jira) listTransitions(w http.ResponseWriter, r *http.Request) {
	j.mu.Lock()
	defer j.mu.Unlock()
	is := j.find(r.PathValue("key"))
	if is == nil {
		jiraError(w, http.StatusNotFound, "Issue does not exist or you do not have "+
			"permission to see it.")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"expand": "transitions",
		"transitions": j.transitions(is)})
}

// doTransition handles POST /issue/{key}/transitions.
func (j *Jira) doTransition(w http.ResponseWriter, r *http.Request) {
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/json" {
		jiraError(w, http.StatusUnsupportedMediaType, "Unsupported Media Type: send "+
			"application/json.")
		return
	}
	var req struct {
		Transition struct {
			ID string `json:"id"`
		} `json:"transition"`
	}
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if json.Unmarshal(body, &req) != nil || req.Transition.ID == "" {
		jiraError(w, http.StatusBadRequest, "Missing 'transition' identifier")
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	is := j.find(r.PathValue("key"))
	if is == nil {
		jiraError(w, http.StatusNotFound, "Issue does not exist or you do not have "+
			"permission to see it.")
		return
	}
	for _, f := range j.flows {
		if f.id == req.Transition.ID && (f.from == "" || f.from == is.Status) {
			is.Status, is.updated = f.to, clock()
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	jiraError(w, http.StatusBadRequest, fmt.Sprintf("Transition id '%s' is not valid for "+
		"this issue.", req.Transition.ID))
}

// transitions are the issue's ways out of its status, as Jira lists them.
func (j *Jira) transitions(is *jiraIssue) []map[string]any {
	out := []map[string]any{}
	for _, f := range j.flows {
		if f.from != "" && f.from != is.Status || f.to == is.Status {
			continue
		}
		to, _ := j.status(f.to)
		out = append(out, map[string]any{
			"id": f.id, "name": f.name, "to": j.statusJSON(to),
			"hasScreen": false, "isGlobal": f.from == "", "isInitial": false,
			"isAvailable": true, "isConditional": false, "isLooped": false,
		})
	}
	return out
}

func (j *Jira) fields(is *jiraIssue) map[string]any {
	st, _ := j.status(is.Status)
	f := map[string]any{
		"summary": is.Summary,
		"status":  j.statusJSON(st),
		"issuetype": map[string]any{"self": j.URL + j.api("/issuetype/10001"), "id": "10001",
			"name": is.IssueType, "subtask": false},
		"project": map[string]any{"self": j.URL + j.api("/project/10000"), "id": "10000",
			"key": j.Project, "name": "Operations", "projectTypeKey": "software"},
		"labels":      append([]string{}, is.Labels...),
		"duedate":     nil,
		"description": is.Description,
		"created":     jiraTime(is.created),
		"updated":     jiraTime(is.updated),
	}
	if is.Due != "" {
		f["duedate"] = is.Due
	}
	return f
}

func (j *Jira) statusJSON(s jiraStatus) map[string]any {
	c := jiraCategories[s.category]
	return map[string]any{
		"self": j.URL + j.api("/status/"+s.id), "description": "",
		"iconUrl": j.URL + "/images/icons/statuses/generic.png",
		"name":    s.name, "id": s.id,
		"statusCategory": map[string]any{
			"self": j.URL + j.api("/statuscategory/"+strconv.Itoa(c.id)),
			"id":   c.id, "key": s.category, "colorName": c.color, "name": c.name,
		},
	}
}

// webhook is the body of an issue event. Jira sends webhooks in REST v2's
// shapes on Cloud too: v2 links, and the description as plain text.
func (j *Jira) webhook(is *jiraIssue, event, kind string, item map[string]any) []byte {
	return mustJSON(map[string]any{
		"timestamp":             clock().UnixMilli(),
		"webhookEvent":          event,
		"issue_event_type_name": kind,
		"user":                  j.person(),
		"issue":                 j.webhookIssue(is),
		"changelog": map[string]any{
			"id":    strconv.Itoa(10400 + j.events),
			"items": []any{item},
		},
	})
}

func (j *Jira) webhookIssue(is *jiraIssue) map[string]any {
	fields := j.fields(is)
	fields["description"] = is.DescriptionText
	fields["status"] = j.v2(fields["status"])
	return map[string]any{"id": is.ID, "self": j.URL + "/rest/api/2/issue/" + is.ID,
		"key": is.Key, "fields": fields}
}

// v2 rewrites a v3 link in a value to its v2 form.
func (j *Jira) v2(v any) any {
	var out any
	b := bytes.ReplaceAll(mustJSON(v), []byte("/rest/api/3/"), []byte("/rest/api/2/"))
	_ = json.Unmarshal(b, &out)
	return out
}

// person is the user a webhook says made the change.
func (j *Jira) person() map[string]any {
	if j.API == 2 {
		return map[string]any{"self": j.URL + "/rest/api/2/user?username=r.ops",
			"name": "r.ops", "key": "JIRAUSER10100", "displayName": "Release Ops",
			"active": true, "timeZone": "Europe/Berlin"}
	}
	return map[string]any{
		"self":        j.URL + "/rest/api/2/user?accountId=5b10a2844c20165700ede21g",
		"accountId":   "5b10a2844c20165700ede21g",
		"displayName": "Release Ops", "active": true, "timeZone": "Europe/Berlin",
		"accountType": "atlassian",
	}
}

func (j *Jira) find(key string) *jiraIssue {
	for _, is := range j.issues {
		if is.Key == key || is.ID == key {
			return is
		}
	}
	return nil
}

func (j *Jira) status(name string) (jiraStatus, bool) {
	for _, s := range j.statuses {
		if s.name == name {
			return s, true
		}
	}
	return jiraStatus{}, false
}

func (j *Jira) api(path string) string { return fmt.Sprintf("/rest/api/%d%s", j.API, path) }

func (j *Jira) self(id string) string { return j.URL + j.api("/issue/"+id) }

func jiraTime(t time.Time) string { return t.Format("2006-01-02T15:04:05.000-0700") }

func jiraError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]any{"errorMessages": []string{msg},
		"errors": map[string]string{}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	writeRaw(w, status, string(mustJSON(v)))
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("trackertest: encode: %v", err))
	}
	return b
}

// adfText checks an Atlassian Document as Jira's schema would, for the
// nodes a ticket's description uses, and answers its text, or what is
// wrong with it.
func adfText(v any) (string, string) {
	doc, ok := v.(map[string]any)
	if !ok || doc["type"] != "doc" || doc["version"] != float64(1) {
		return "", "the top node must be {\"type\": \"doc\", \"version\": 1, \"content\": [...]}"
	}
	blocks, ok := doc["content"].([]any)
	if !ok {
		return "", "the doc node has no content array"
	}
	var paras []string
	for i, b := range blocks {
		text, err := adfParagraph(b)
		if err != "" {
			return "", fmt.Sprintf("content[%d]: %s", i, err)
		}
		paras = append(paras, text)
	}
	return strings.Join(paras, "\n\n"), ""
}

func adfParagraph(v any) (string, string) {
	p, ok := v.(map[string]any)
	if !ok || p["type"] != "paragraph" {
		return "", "a block node here must be a paragraph"
	}
	inline, _ := p["content"].([]any)
	var sb strings.Builder
	for i, n := range inline {
		node, _ := n.(map[string]any)
		switch node["type"] {
		case "hardBreak":
			sb.WriteString("\n")
		case "text":
			s, _ := node["text"].(string)
			if s == "" {
				return "", fmt.Sprintf("content[%d]: a text node must have non-empty text", i)
			}
			if err := adfMarks(node["marks"]); err != "" {
				return "", fmt.Sprintf("content[%d]: %s", i, err)
			}
			sb.WriteString(s)
		default:
			return "", fmt.Sprintf("content[%d]: %v is not an inline node", i, node["type"])
		}
	}
	return sb.String(), ""
}

func adfMarks(v any) string {
	if v == nil {
		return ""
	}
	marks, ok := v.([]any)
	if !ok {
		return "marks must be an array"
	}
	for _, m := range marks {
		mark, _ := m.(map[string]any)
		switch mark["type"] {
		case "strong", "em", "code", "strike", "underline":
		case "link":
			attrs, _ := mark["attrs"].(map[string]any)
			if href, _ := attrs["href"].(string); href == "" {
				return "a link mark needs attrs.href"
			}
		default:
			return fmt.Sprintf("%v is not a mark", mark["type"])
		}
	}
	return ""
}
