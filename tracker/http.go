package tracker

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/debrief-oss/debrief"
)

// RemoteError is the cause under every error a call to a tracker returns
// (inside a *debrief.Error that gives its kind and a message fit to show):
// the tracker's answer, or the failure to get one.
type RemoteError struct {
	System System
	// Op is what debrief was doing: "create", "fetch" or "move".
	Op string
	// StatusCode is the HTTP status the tracker answered, 0 when none came.
	StatusCode int
	// RetryAfter is how long the tracker asked debrief to wait, 0 if it
	// did not say.
	RetryAfter time.Duration
	// Err is the transport's error when no answer came.
	Err error

	retry   bool
	refused []fieldMessage
}

func (e *RemoteError) Error() string {
	if e.StatusCode == 0 {
		return fmt.Sprintf("%s %s: %v", e.System, e.Op, e.Err)
	}
	return fmt.Sprintf("%s %s: answered %d %s", e.System, e.Op, e.StatusCode,
		http.StatusText(e.StatusCode))
}

func (e *RemoteError) Unwrap() error { return e.Err }

// Retryable reports whether a call that failed with err may succeed if
// made again later unchanged: the tracker was unreachable, timed out, was
// rate limiting (429, or GitHub's 403 with its rate-limit headers) or
// failed on its side (5xx). A cancelled context is not retryable.
//
// A Create that failed this way may still have made its ticket (the
// answer was lost, not the request): see docs/trackers.md.
func Retryable(err error) bool {
	var re *RemoteError
	return errors.As(err, &re) && re.retry
}

// RetryAfter tells how long the tracker asked debrief to wait before
// trying again (Retry-After, or GitHub's rate-limit reset), or 0 when it
// did not say.
func RetryAfter(err error) time.Duration {
	var re *RemoteError
	if errors.As(err, &re) {
		return re.RetryAfter
	}
	return 0
}

// Limits on what debrief reads from a tracker: an issue is a few
// kilobytes, so more is a mistake or an attack, not an issue.
const (
	maxAnswer      = 4 << 20
	maxErrorAnswer = 64 << 10
	maxMessage     = 300
)

// defaultHTTP is used when a tracker is given no *http.Client: the
// standard library's has no timeout, and a hung tracker must not hold a
// job forever.
var defaultHTTP = &http.Client{Timeout: 30 * time.Second}

// caller makes JSON calls to one tracker.
type caller struct {
	system System
	client *http.Client
	accept string
	header func(h http.Header)
	token  Secret
	// refusal reads the tracker's error body: the messages it gives and
	// the fields they are about.
	refusal func(body []byte) refusal
}

// refusal is a tracker's explanation of a 4xx answer.
type refusal struct {
	messages []string
	fields   []fieldMessage
}

type fieldMessage struct{ field, message string }

// call sends in (when not nil) as JSON and decodes the answer into out
// (when not nil). what names the thing asked about in messages ("issue
// OPS-12"). 2xx answers succeed; others become a *debrief.Error over a
// *RemoteError.
func (c caller) call(ctx context.Context, op, what, method, target string, in, out any) error {
	req, err := c.request(ctx, method, target, in)
	if err != nil {
		return err
	}
	client := c.client
	if client == nil {
		client = defaultHTTP
	}
	resp, err := client.Do(req)
	if err != nil {
		return c.transportError(op, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorAnswer))
		return c.answerError(op, what, resp, body)
	}
	if out == nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
		return nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return c.transportError(op, err)
	}
	if len(body) > maxAnswer {
		return c.internal(op, resp.StatusCode, "%s answered more than %d MiB for %s",
			c.system.Title(), maxAnswer>>20, what)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return c.internal(op, resp.StatusCode, "%s answered %s with something that is not "+
			"the JSON expected: %v", c.system.Title(), what, err)
	}
	return nil
}

func (c caller) request(
	ctx context.Context,
	method, target string,
	in any,
) (*http.Request, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return nil, fmt.Errorf("encode %s request: %w", c.system, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		return nil, debrief.Errorf(debrief.KindInvalid, "%s: %q is not a usable address",
			c.system.Title(), redactURL(target))
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", c.accept)
	req.Header.Set("User-Agent", "debrief")
	c.header(req.Header)
	return req, nil
}

// transportError is a call that got no answer. Its text comes from
// net/http and names the address, which holds no credential (checkBase
// refuses one in the URL).
func (c caller) transportError(op string, err error) error {
	re := &RemoteError{System: c.system, Op: op, Err: err}
	re.retry = !errors.Is(err, context.Canceled)
	msg := fmt.Sprintf("%s could not be reached", c.system.Title())
	var ne net.Error
	if errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout() {
		msg = fmt.Sprintf("%s did not answer in time", c.system.Title())
	}
	if errors.Is(err, context.Canceled) {
		msg = fmt.Sprintf("the call to %s was cancelled", c.system.Title())
	}
	return &debrief.Error{Kind: debrief.KindInternal, Message: msg, Err: re}
}

func (c caller) internal(op string, status int, format string, args ...any) error {
	return &debrief.Error{Kind: debrief.KindInternal, Message: fmt.Sprintf(format, args...),
		Err: &RemoteError{System: c.system, Op: op, StatusCode: status}}
}

// answerError turns a tracker's non-2xx answer into an error of the kind
// it means, with the tracker's own explanation when it gave one.
func (c caller) answerError(op, what string, resp *http.Response, body []byte) error {
	re := &RemoteError{System: c.system, Op: op, StatusCode: resp.StatusCode}
	name := c.system.Title()
	code := resp.StatusCode
	ref := c.refusal(body)
	re.refused = ref.fields
	said := c.said(ref)
	e := &debrief.Error{Kind: debrief.KindInternal, Err: re}
	switch {
	case code == http.StatusTooManyRequests || code >= 500 || rateLimited(resp):
		re.retry = true
		re.RetryAfter = retryAfter(resp.Header, time.Now())
		e.Message = fmt.Sprintf("%s is rate limiting debrief or failing (%d) for %s; try "+
			"again later", name, code, what)
		if re.RetryAfter > 0 {
			e.Message += fmt.Sprintf(" (it asked for %s)", re.RetryAfter.Round(time.Second))
		}
	case code == http.StatusUnauthorized:
		e.Kind = debrief.KindUnauthorized
		e.Message = fmt.Sprintf("%s refused debrief's credentials (401): check the "+
			"account and the token configured for %s", name, c.system)
	case code == http.StatusForbidden:
		e.Kind = debrief.KindForbidden
		e.Message = fmt.Sprintf("%s does not let debrief's account reach %s (403)", name, what)
	case code == http.StatusNotFound:
		e.Kind = debrief.KindNotFound
		e.Message = fmt.Sprintf("%s has no %s, or debrief's account may not see it (404)",
			name, what)
	case code == http.StatusConflict:
		e.Kind = debrief.KindConflict
		e.Message = fmt.Sprintf("%s refused to change %s now (409)", name, what)
	case code == http.StatusBadRequest || code == http.StatusUnprocessableEntity ||
		code == http.StatusGone:
		e.Kind = debrief.KindInvalid
		e.Message = fmt.Sprintf("%s refused %s (%d)", name, what, code)
		if len(ref.fields) > 0 {
			e.Field = issueField(ref.fields[0].field)
		}
	default:
		e.Message = fmt.Sprintf("%s answered %d %s for %s", name, code,
			http.StatusText(code), what)
	}
	if said != "" {
		e.Message += ": " + said
	}
	return e
}

// said is the tracker's explanation in one line, cut short, with the
// token removed in case a tracker ever echoes it.
func (c caller) said(ref refusal) string {
	parts := make([]string, 0, len(ref.messages)+len(ref.fields))
	for _, m := range ref.messages {
		if m = oneLine(m); m != "" {
			parts = append(parts, m)
		}
	}
	for _, f := range ref.fields {
		parts = append(parts, oneLine(f.field+": "+f.message))
	}
	s := strings.Join(parts, "; ")
	for _, secret := range c.secrets() {
		s = strings.ReplaceAll(s, secret, redacted)
	}
	if r := []rune(s); len(r) > maxMessage {
		s = string(r[:maxMessage-1]) + "…"
	}
	return s
}

// secrets are the forms the credential travels in: the token itself and
// what the Authorization header carries (Jira's Basic is base64 of
// email:token), so that an echo of either is removed.
func (c caller) secrets() []string {
	var out []string
	if c.token != "" {
		out = append(out, string(c.token))
	}
	if c.header != nil {
		h := http.Header{}
		c.header(h)
		if _, cred, ok := strings.Cut(h.Get("Authorization"), " "); ok && len(cred) >= 8 {
			out = append(out, cred)
		}
	}
	return out
}

// oneLine folds a message's spacing and drops control characters.
func oneLine(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// issueField names a tracker's field as the Issue field it comes from,
// for debrief.Error.Field.
func issueField(remote string) string {
	switch remote {
	case "summary", "title":
		return "title"
	case "description", "body":
		return "body"
	case "labels":
		return "labels"
	case "duedate":
		return "due"
	}
	return remote
}

// rateLimited recognises GitHub's rate limits, which answer 403 (or 429)
// with x-ratelimit-remaining: 0, or with Retry-After for the secondary
// limits.
func rateLimited(resp *http.Response) bool {
	if resp.StatusCode != http.StatusForbidden {
		return false
	}
	h := resp.Header
	return h.Get("X-Ratelimit-Remaining") == "0" || h.Get("Retry-After") != ""
}

// retryAfter reads Retry-After (seconds or an HTTP date), else GitHub's
// x-ratelimit-reset (a Unix time) when no requests remain.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After")); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n >= 0 {
			return time.Duration(n) * time.Second
		}
		if t, err := http.ParseTime(v); err == nil && t.After(now) {
			return t.Sub(now)
		}
	}
	if h.Get("X-Ratelimit-Remaining") == "0" {
		if n, err := strconv.ParseInt(h.Get("X-Ratelimit-Reset"), 10, 64); err == nil {
			if t := time.Unix(n, 0); t.After(now) {
				return t.Sub(now)
			}
		}
	}
	return 0
}

// checkBase checks a tracker's base URL: absolute http or https, with no
// credentials, query or fragment in it. Plain http is allowed only to the
// loopback interface (test doubles, a local proxy): a token must not
// cross a network in clear.
func checkBase(system System, base string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(base))
	bad := func(why string) error {
		return debrief.FieldErrorf("url", "%s's URL %q %s", system.Title(), redactURL(base), why)
	}
	switch {
	case err != nil || u.Host == "":
		return "", bad("is not an absolute URL such as https://acme.atlassian.net")
	case u.User != nil:
		return "", bad("holds credentials: give the token through the environment instead")
	case u.RawQuery != "" || u.Fragment != "":
		return "", bad("has a query or fragment")
	case u.Scheme == "https":
	case u.Scheme == "http" && isLoopback(u.Hostname()):
	default:
		return "", bad("must use https")
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// redactURL drops any credentials from an address before it is shown.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unreadable address)"
	}
	return u.Redacted()
}
