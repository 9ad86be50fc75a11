package tracker

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
)

// The headers and query parameter webhooks are read from.
const (
	// JiraSecretParam is the query parameter of the webhook URL registered
	// in Jira that carries the shared secret, when Jira does not sign.
	JiraSecretParam = "secret"
	// JiraSignatureHeader holds "sha256=<hex>", the HMAC-SHA256 of the body
	// keyed by the secret, when the webhook was registered with one.
	JiraSignatureHeader = "X-Hub-Signature"
	// JiraDeliveryHeader identifies a delivery; retries repeat it.
	JiraDeliveryHeader = "X-Atlassian-Webhook-Identifier"
	// GitHubSignatureHeader holds "sha256=<hex>", the HMAC-SHA256 of the
	// body keyed by the webhook's secret.
	GitHubSignatureHeader = "X-Hub-Signature-256"
	// GitHubEventHeader names the event ("issues", "ping", …).
	GitHubEventHeader = "X-GitHub-Event"
	// GitHubDeliveryHeader identifies a delivery; redeliveries repeat it.
	GitHubDeliveryHeader = "X-GitHub-Delivery"
)

// MaxWebhookBody is the largest webhook body worth reading: Jira's and
// GitHub's issue events are tens of kilobytes. Callers should cut the
// body there (http.MaxBytesReader) before handing it over.
const MaxWebhookBody = 1 << 20

// ParseJiraWebhook checks and reads a Jira webhook delivery. r gives the
// headers and query; body is the raw body.
//
// The delivery is authentic when it carries an X-Hub-Signature that is
// the body signed with secret (Jira Cloud, and Data Center 10, sign when
// the webhook is registered with a secret), or, failing a signature
// header, when the URL's ?secret= parameter is secret (older Data Center
// cannot sign). Either comparison takes time independent of the values.
// Otherwise, or when no secret is configured, the error is
// KindUnauthorized.
//
// An issue's creation or an update that changed its status gives a
// Change; any other event (a comment, an edit of another field) gives nil
// and no error. A body that cannot be read is KindInvalid.
func ParseJiraWebhook(r *http.Request, body []byte, secret Secret) (*Change, error) {
	return parseJiraWebhook(r, body, secret, DefaultJiraStatuses())
}

// ParseWebhook is ParseJiraWebhook with the site's own StatusMap.
func (j *Jira) ParseWebhook(r *http.Request, body []byte, secret Secret) (*Change, error) {
	return parseJiraWebhook(r, body, secret, j.statuses())
}

func parseJiraWebhook(r *http.Request, body []byte, secret Secret, m StatusMap) (*Change, error) {
	if err := checkJiraAuth(r, body, secret); err != nil {
		return nil, err
	}
	var p struct {
		WebhookEvent string `json:"webhookEvent"`
		Timestamp    int64  `json:"timestamp"`
		Issue        *struct {
			Key    string `json:"key"`
			Fields struct {
				Status *jiraStatus `json:"status"`
			} `json:"fields"`
		} `json:"issue"`
		Changelog *struct {
			ID    string `json:"id"`
			Items []struct {
				Field    string  `json:"field"`
				FieldID  string  `json:"fieldId"`
				ToString *string `json:"toString"`
			} `json:"items"`
		} `json:"changelog"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, invalidBody(SystemJira, err)
	}
	if p.WebhookEvent != "jira:issue_updated" && p.WebhookEvent != "jira:issue_created" {
		return nil, nil
	}
	if p.Issue == nil || checkJiraKey(p.Issue.Key) != nil {
		return nil, debrief.FieldErrorf("issue.key", "the Jira webhook names no issue key")
	}
	status, category := "", ""
	if s := p.Issue.Fields.Status; s != nil {
		status, category = s.Name, s.StatusCategory.Key
	}
	changed := p.WebhookEvent == "jira:issue_created"
	if p.Changelog != nil {
		for _, it := range p.Changelog.Items {
			if it.Field != "status" && it.FieldID != "status" {
				continue
			}
			changed = true
			if it.ToString != nil && !strings.EqualFold(*it.ToString, status) {
				// The changelog is the change itself; the issue's fields
				// may already show a later one, whose category is then not
				// this status's.
				status, category = *it.ToString, ""
			}
		}
	}
	if !changed {
		return nil, nil
	}
	if strings.TrimSpace(status) == "" {
		return nil, debrief.FieldErrorf("issue.fields.status",
			"the Jira webhook for %s gives no status", p.Issue.Key)
	}
	c := &Change{System: SystemJira, Key: p.Issue.Key, Status: status,
		Delivery: r.Header.Get(JiraDeliveryHeader)}
	if c.Delivery == "" && p.Changelog != nil && p.Changelog.ID != "" {
		c.Delivery = "changelog-" + p.Changelog.ID
	} else if c.Delivery == "" {
		c.Delivery = fmt.Sprintf("%s-%s-%d", p.WebhookEvent, p.Issue.Key, p.Timestamp)
	}
	c.State, _ = m.State(status, category)
	if c.State == debrief.ActionBlocked {
		c.Reason = fmt.Sprintf("the Jira status of %s is %q", c.Key, status)
	}
	return c, nil
}

func checkJiraAuth(r *http.Request, body []byte, secret Secret) error {
	if secret == "" {
		return debrief.Errorf(debrief.KindUnauthorized, "no Jira webhook secret is configured "+
			"(trackers.jira.webhook_secret_env), so no Jira webhook is accepted")
	}
	if sig := r.Header.Get(JiraSignatureHeader); sig != "" {
		if !signatureMatches(sig, body, secret) {
			return debrief.Errorf(debrief.KindUnauthorized, "the Jira webhook's %s does not "+
				"match its body signed with the configured secret", JiraSignatureHeader)
		}
		return nil
	}
	given, ok := r.URL.Query()[JiraSecretParam]
	if !ok || len(given) != 1 || given[0] == "" {
		return debrief.Errorf(debrief.KindUnauthorized, "the Jira webhook carries neither "+
			"an %s header nor a ?%s= parameter", JiraSignatureHeader, JiraSecretParam)
	}
	if !sameSecret(given[0], string(secret)) {
		return debrief.Errorf(debrief.KindUnauthorized, "the Jira webhook's ?%s= parameter "+
			"is not the configured secret", JiraSecretParam)
	}
	return nil
}

// ParseGitHubWebhook checks and reads a GitHub webhook delivery. r gives
// the headers; body is the raw body, JSON or (for a webhook set to
// application/x-www-form-urlencoded) a form whose payload field is the
// JSON.
//
// The delivery is authentic when X-Hub-Signature-256 is the body signed
// with secret (compared in constant time); otherwise, or when no secret
// is configured, the error is KindUnauthorized.
//
// An "issues" event that opened, closed or reopened an issue gives a
// Change whose Key names the repository it came from; compare it with
// the configured one. Any other event, including the "ping" GitHub sends
// when the webhook is created, gives nil and no error. A body that cannot
// be read is KindInvalid.
func ParseGitHubWebhook(r *http.Request, body []byte, secret Secret) (*Change, error) {
	return parseGitHubWebhook(r, body, secret, DefaultGitHubStatuses())
}

// ParseWebhook is ParseGitHubWebhook with the repository's own StatusMap,
// and it answers nil for an issue of any other repository (a webhook set
// on an organisation sends them all).
func (g *GitHub) ParseWebhook(r *http.Request, body []byte, secret Secret) (*Change, error) {
	c, err := parseGitHubWebhook(r, body, secret, g.statuses())
	if err != nil || c == nil {
		return c, err
	}
	owner, repo, _, err := g.githubKey(c.Key)
	if err != nil || !strings.EqualFold(owner, g.Owner) || !strings.EqualFold(repo, g.Repo) {
		return nil, nil
	}
	return c, nil
}

func parseGitHubWebhook(
	r *http.Request,
	body []byte,
	secret Secret,
	m StatusMap,
) (*Change, error) {
	if secret == "" {
		return nil, debrief.Errorf(debrief.KindUnauthorized, "no GitHub webhook secret is "+
			"configured (trackers.github.webhook_secret_env), so no GitHub webhook is accepted")
	}
	sig := r.Header.Get(GitHubSignatureHeader)
	if sig == "" {
		return nil, debrief.Errorf(debrief.KindUnauthorized, "the GitHub webhook carries no "+
			"%s header: give the webhook a secret", GitHubSignatureHeader)
	}
	if !signatureMatches(sig, body, secret) {
		return nil, debrief.Errorf(debrief.KindUnauthorized, "the GitHub webhook's %s does "+
			"not match its body signed with the configured secret", GitHubSignatureHeader)
	}
	if r.Header.Get(GitHubEventHeader) != "issues" {
		return nil, nil
	}
	payload, err := githubPayload(r, body)
	if err != nil {
		return nil, err
	}
	var p struct {
		Action string `json:"action"`
		Issue  *struct {
			Number      int     `json:"number"`
			State       string  `json:"state"`
			StateReason *string `json:"state_reason"`
		} `json:"issue"`
		Repository *struct {
			FullName string `json:"full_name"`
		} `json:"repository"`
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, invalidBody(SystemGitHub, err)
	}
	switch p.Action {
	case "opened", "closed", "reopened":
	default:
		return nil, nil
	}
	if p.Issue == nil || p.Issue.Number < 1 || (p.Issue.State != githubOpen &&
		p.Issue.State != githubClosed) {
		return nil, debrief.FieldErrorf("issue", "the GitHub webhook gives no issue number "+
			"and state (open or closed)")
	}
	owner, repo, ok := splitRepo(p.Repository)
	if !ok {
		return nil, debrief.FieldErrorf("repository.full_name", "the GitHub webhook names "+
			"no repository as owner/repo")
	}
	reason := ""
	if p.Issue.StateReason != nil {
		reason = *p.Issue.StateReason
	}
	c := &Change{
		System:   SystemGitHub,
		Key:      fmt.Sprintf("%s/%s#%d", owner, repo, p.Issue.Number),
		Status:   githubStatus(p.Issue.State, reason),
		Delivery: r.Header.Get(GitHubDeliveryHeader),
	}
	c.State, _ = m.State(c.Status, "")
	if c.State == debrief.ActionBlocked {
		c.Reason = fmt.Sprintf("%s was %s on GitHub", c.Key, c.Status)
	}
	return c, nil
}

func splitRepo(r *struct {
	FullName string `json:"full_name"`
}) (owner, repo string, ok bool) {
	if r == nil {
		return "", "", false
	}
	owner, repo, ok = strings.Cut(r.FullName, "/")
	return owner, repo, ok && reGitHubName.MatchString(owner) && reGitHubName.MatchString(repo)
}

// githubPayload is the JSON of a delivery: the body, or its payload
// field when the webhook sends a form.
func githubPayload(r *http.Request, body []byte) ([]byte, error) {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct != "application/x-www-form-urlencoded" {
		return body, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil || form.Get("payload") == "" {
		return nil, debrief.FieldErrorf("payload", "the GitHub webhook's form has no "+
			"readable payload field")
	}
	return []byte(form.Get("payload")), nil
}

// signatureMatches checks a "sha256=<hex>" header against the body signed
// with secret, in time that does not depend on where they differ.
func signatureMatches(header string, body []byte, secret Secret) bool {
	algo, given, ok := strings.Cut(strings.TrimSpace(header), "=")
	if !ok || !strings.EqualFold(algo, "sha256") {
		return false
	}
	got, err := hex.DecodeString(given)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(mac.Sum(nil), got)
}

// Sign returns the "sha256=<hex>" signature of body with secret, as
// GitHub (X-Hub-Signature-256) and Jira (X-Hub-Signature) send it.
func Sign(body []byte, secret Secret) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// sameSecret compares digests, so that the time taken depends on neither
// the values nor their lengths.
func sameSecret(given, want string) bool {
	g, w := sha256.Sum256([]byte(given)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// jsonKind names what a Go type reads from JSON, for a message.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return jsonKind(t.Elem())
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.String:
		return "text"
	case reflect.Bool:
		return "true or false"
	}
	return "a number"
}

func invalidBody(s System, err error) error {
	msg := err.Error()
	if se, ok := err.(*json.SyntaxError); ok {
		msg = "not JSON at byte " + strconv.FormatInt(se.Offset, 10)
	} else if te, ok := err.(*json.UnmarshalTypeError); ok {
		field := te.Field
		if field == "" {
			field = "the body"
		}
		msg = fmt.Sprintf("%s is JSON %s where %s belongs", field, te.Value, jsonKind(te.Type))
	} else {
		msg = "not JSON"
	}
	return debrief.Errorf(debrief.KindInvalid, "the %s webhook's body cannot be read: %s",
		s.Title(), msg)
}
