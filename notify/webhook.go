package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The headers a webhook request carries.
const (
	// HeaderEvent holds the Message's Event.
	HeaderEvent = "X-Debrief-Event"
	// HeaderDelivery holds the Message's Key, the same on every retry, so
	// that a receiver can drop a delivery it has already handled.
	HeaderDelivery = "X-Debrief-Delivery"
	// HeaderTimestamp holds the time of sending in Unix seconds, the
	// first part of what the signature covers.
	HeaderTimestamp = "X-Debrief-Timestamp"
	// HeaderSignature holds "sha256=" and the hex HMAC-SHA256, keyed by
	// the webhook's secret, of the timestamp, a dot and the body. It is
	// sent only when the webhook has a secret.
	HeaderSignature = "X-Debrief-Signature"
)

// Format is the body a webhook sends.
type Format int

// The webhook formats.
const (
	// FormatJSON is debrief's own JSON body (see docs/notifications.md).
	FormatJSON Format = iota
	// FormatSlack is Slack's incoming-webhook message: text and blocks.
	FormatSlack
)

func (f Format) String() string {
	if f == FormatSlack {
		return "slack"
	}
	return "json"
}

// Webhook posts messages to a URL.
type Webhook struct {
	// Name names the channel in errors and logs.
	Name string
	// URL is where to post. Slack's webhook URLs hold their secret in the
	// path, so a URL is never shown whole: String shows its scheme and host.
	URL string
	// Secret, when set, signs every request (see HeaderSignature).
	Secret string
	Format Format
	// Client sends the requests; nil means one with a 30 s time-out that
	// does not follow redirects (a redirect is reported as an error to fix
	// in the configuration, since it would turn the POST into a GET).
	Client *http.Client
	// Now returns the time of sending; nil means time.Now.
	Now func() time.Time
}

var defaultClient = &http.Client{
	Timeout: 30 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	},
}

// Limits on what a webhook reads of an answer.
const (
	maxAnswerRead  = 4 << 10  // kept, for the error's text
	maxAnswerDrain = 64 << 10 // read and dropped, so the connection can be reused
)

// Send posts m. The error, a *SendError, is retryable for network failures,
// time-outs, 408, 429 and 5xx answers; RetryAfter then holds a Retry-After
// the receiver sent. Other answers outside 2xx, redirects included, and a
// bad URL or message are not retryable.
func (w Webhook) Send(ctx context.Context, m Message, _ []string) error {
	u, err := checkURL(w.URL)
	if err != nil {
		return permanent(w.Name, 0, nil, "the webhook URL %v", err)
	}
	if err := m.check(); err != nil {
		return permanent(w.Name, 0, err, "cannot send the message")
	}
	var body []byte
	if w.Format == FormatSlack {
		body, err = slackBody(m)
	} else {
		body, err = jsonBody(m)
	}
	if err != nil {
		return permanent(w.Name, 0, err, "cannot encode the message")
	}

	now := w.now()
	ts := strconv.FormatInt(now.Unix(), 10)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(),
		bytes.NewReader(body))
	if err != nil {
		return permanent(w.Name, 0, nil, "cannot make a request to %s", redactURL(u))
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "debrief-notify/1")
	req.Header.Set(HeaderEvent, m.Event)
	req.Header.Set(HeaderDelivery, m.Key)
	req.Header.Set(HeaderTimestamp, ts)
	if w.Secret != "" {
		req.Header.Set(HeaderSignature, Sign(w.Secret, ts, body))
	}

	client := w.Client
	if client == nil {
		client = defaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return w.transportError(ctx, u, err)
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, maxAnswerRead))
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswerDrain))
	return w.classify(resp, u, answer, now)
}

func (w Webhook) now() time.Time {
	if w.Now != nil {
		return w.Now()
	}
	return time.Now()
}

// checkURL parses a webhook URL without ever putting it in an error.
func checkURL(raw string) (*url.URL, error) {
	if raw == "" {
		return nil, errors.New("is empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, errors.New("is not a URL")
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, errors.New("does not start with https:// or http://")
	}
	if u.Host == "" {
		return nil, errors.New("has no host")
	}
	return u, nil
}

// redactURL shows a URL's scheme and host only: the path of a Slack
// webhook URL is its secret, and a query may hold a token.
func redactURL(u *url.URL) string {
	if u == nil {
		return "(no URL)"
	}
	s := u.Scheme + "://" + u.Host
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		s += "/…"
	}
	return s
}

// transportError describes a request that got no answer. The client's
// *url.Error names the whole URL, so only its cause is kept.
func (w Webhook) transportError(ctx context.Context, u *url.URL, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if ctx.Err() != nil {
		return temporary(w.Name, 0, ctx.Err(), "no answer from %s in time", redactURL(u))
	}
	return temporary(w.Name, 0, err, "no answer from %s", redactURL(u))
}

// classify turns the receiver's answer into nil or a *SendError.
func (w Webhook) classify(resp *http.Response, u *url.URL, answer []byte, now time.Time) error {
	code := resp.StatusCode
	if code >= 200 && code < 300 {
		return nil
	}
	said := statusText(code, answer)
	host := redactURL(u)
	switch {
	case code == http.StatusRequestTimeout || code == http.StatusTooManyRequests ||
		code >= 500:
		e := temporary(w.Name, code, nil, "%s answered %s", host, said)
		e.RetryAfter = parseRetryAfter(resp.Header.Get("Retry-After"), now)
		return e
	case code >= 300 && code < 400:
		return permanent(w.Name, code, nil, "%s answered %s, a redirect: configure the "+
			"URL it points to", host, said)
	}
	hint := ""
	if w.Format == FormatSlack {
		hint = slackHint(code)
	}
	return permanent(w.Name, code, nil, "%s answered %s%s", host, said, hint)
}

// reAnswerWord matches an answer short and plain enough to quote in an
// error, such as Slack's "no_service"; anything else might echo the
// message or hold markup, and is left out.
var reAnswerWord = regexp.MustCompile(`^[A-Za-z0-9_ .:,'()/-]{1,80}$`)

// statusText is "404 no_service", or "404 Not Found" when the body is not
// a plain word or two.
func statusText(code int, answer []byte) string {
	if a := strings.TrimSpace(string(answer)); reAnswerWord.MatchString(a) {
		return fmt.Sprintf("%d %s", code, a)
	}
	return fmt.Sprintf("%d %s", code, http.StatusText(code))
}

// String describes the webhook without its secret or its URL's path.
func (w Webhook) String() string {
	s := fmt.Sprintf("webhook %s (%s) to %s", w.Name, w.Format, w.redactedURL())
	if w.Secret != "" {
		s += ", signed"
	}
	return s
}

// GoString is String, so that %#v does not print the secret either.
func (w Webhook) GoString() string { return w.String() }

// LogValue describes the webhook to log/slog without its secret or its
// URL's path.
func (w Webhook) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("name", w.Name),
		slog.String("type", w.Format.String()),
		slog.String("url", w.redactedURL()),
		slog.Bool("signed", w.Secret != ""),
	)
}

func (w Webhook) redactedURL() string {
	u, err := checkURL(w.URL)
	if err != nil {
		return "(invalid URL)"
	}
	return redactURL(u)
}

// body is the JSON body of a FormatJSON webhook.
type body struct {
	Event   string   `json:"event"`
	Key     string   `json:"key"`
	Subject string   `json:"subject"`
	Text    string   `json:"text"`
	URL     string   `json:"url,omitempty"`
	At      string   `json:"at,omitempty"`
	Item    ItemInfo `json:"item"`
}

// Longest text a JSON body carries, in characters.
const (
	maxJSONText        = 8000
	maxJSONDescription = 4000
)

func jsonBody(m Message) ([]byte, error) {
	b := body{Event: m.Event, Key: m.Key, Subject: m.Subject,
		Text: truncate(m.Text, maxJSONText), URL: m.URL, Item: m.Item}
	b.Item.Description = truncate(b.Item.Description, maxJSONDescription)
	if !m.At.IsZero() {
		b.At = m.At.UTC().Format(time.RFC3339)
	}
	return marshal(b)
}

// marshal encodes v without escaping <, > and & as \u003c and the like,
// which is valid either way but harder to read in a receiver's log.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
