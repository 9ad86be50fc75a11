package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

// request is what a test receiver got.
type request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// receiver is an HTTP server on 127.0.0.1 that records requests and
// answers with answer.
type receiver struct {
	URL string

	mu     sync.Mutex
	got    []request
	answer http.HandlerFunc
}

func startReceiver(t *testing.T, answer http.HandlerFunc) *receiver {
	t.Helper()
	rc := &receiver{answer: answer}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.got = append(rc.got, request{r.Method, r.URL.Path, r.Header.Clone(), body})
		rc.mu.Unlock()
		if rc.answer != nil {
			rc.answer(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	rc.URL = srv.URL
	return rc
}

func (rc *receiver) requests() []request {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]request(nil), rc.got...)
}

func answerWith(code int, body string, header ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for i := 0; i+1 < len(header); i += 2 {
			w.Header().Set(header[i], header[i+1])
		}
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

func sprintAll(v any) string { return fmt.Sprintf("%v %+v %#v %s", v, v, v, v) }

func TestWebhookJSON(t *testing.T) {
	rc := startReceiver(t, answerWith(http.StatusNoContent, ""))
	w := Webhook{Name: "hooks", URL: rc.URL + "/debrief/hook", Secret: "shh",
		Now: func() time.Time { return sendTime }}
	m := testMessage()
	m.Text = "Due <2026-03-01> & overdue"
	if err := w.Send(context.Background(), m, []string{"ignored@example.com"}); err != nil {
		t.Fatal(err)
	}
	got := rc.requests()
	if len(got) != 1 {
		t.Fatalf("%d requests, want 1", len(got))
	}
	r := got[0]
	if r.Method != http.MethodPost || r.Path != "/debrief/hook" {
		t.Errorf("%s %s, want POST /debrief/hook", r.Method, r.Path)
	}
	wantHeaders := map[string]string{
		"Content-Type":  "application/json; charset=utf-8",
		HeaderEvent:     "action.overdue",
		HeaderDelivery:  m.Key,
		HeaderTimestamp: strconv.FormatInt(sendTime.Unix(), 10),
	}
	for k, v := range wantHeaders {
		if got := r.Header.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	if err := Verify("shh", r.Header, r.Body, time.Minute, sendTime.Add(30*time.Second)); err != nil {
		t.Errorf("the signature does not verify: %v", err)
	}

	var body map[string]any
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatalf("the body is not JSON: %v\n%s", err, r.Body)
	}
	want := map[string]any{
		"event": "action.overdue", "key": m.Key, "subject": m.Subject,
		"text": "Due <2026-03-01> & overdue", "url": m.URL, "at": "2026-03-02T09:00:00Z",
		"item": map[string]any{
			"postmortem_id": "pm2022-006", "postmortem_title": "ALB 502 errors",
			"number": 3.0, "description": "Add alerting on ALB 5xx", "owner": "SRE",
			"due": "2026-03-01", "status": "open", "team": "payments",
		},
	}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

func TestWebhookWithoutSecretIsUnsigned(t *testing.T) {
	rc := startReceiver(t, nil)
	if err := (Webhook{Name: "h", URL: rc.URL}).Send(context.Background(), testMessage(),
		nil); err != nil {
		t.Fatal(err)
	}
	if s := rc.requests()[0].Header.Get(HeaderSignature); s != "" {
		t.Errorf("%s %q sent without a secret", HeaderSignature, s)
	}
}

func TestVerify(t *testing.T) {
	body := []byte(`{"event":"action.overdue"}`)
	ts := strconv.FormatInt(sendTime.Unix(), 10)
	signed := func(edit func(h http.Header)) http.Header {
		h := http.Header{}
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, Sign("shh", ts, body))
		if edit != nil {
			edit(h)
		}
		return h
	}
	tests := []struct {
		name   string
		secret string
		header http.Header
		body   []byte
		now    time.Time
		want   string // in the error; "" for none
	}{
		{name: "good", header: signed(nil)},
		{name: "tampered body", header: signed(nil), body: []byte(`{"event":"action.done"}`),
			want: "does not match"},
		{name: "tampered timestamp", header: signed(func(h http.Header) {
			h.Set(HeaderTimestamp, strconv.FormatInt(sendTime.Unix()+1, 10))
		}), want: "does not match"},
		{name: "other secret", secret: "other", header: signed(nil), want: "does not match"},
		{name: "no secret configured", secret: "-", header: signed(nil), want: "no secret"},
		{name: "too old", header: signed(nil), now: sendTime.Add(6 * time.Minute),
			want: "6m0s old"},
		{name: "from the future", header: signed(nil), now: sendTime.Add(-6 * time.Minute),
			want: "in the future"},
		{name: "no timestamp", header: signed(func(h http.Header) { h.Del(HeaderTimestamp) }),
			want: "missing"},
		{name: "timestamp not a number", header: signed(func(h http.Header) {
			h.Set(HeaderTimestamp, "-"+ts)
		}), want: "not a time"},
		{name: "no signature", header: signed(func(h http.Header) { h.Del(HeaderSignature) }),
			want: "no sha256 signature"},
		{name: "signature not hex", header: signed(func(h http.Header) {
			h.Set(HeaderSignature, "sha256=zz")
		}), want: "no sha256 signature"},
		{name: "one of several signatures", header: signed(func(h http.Header) {
			h.Set(HeaderSignature, "sha256="+strings.Repeat("00", 32)+", "+
				Sign("shh", ts, body))
		})},
		{name: "a signature per header line", header: signed(func(h http.Header) {
			h.Add(HeaderSignature, "v2=whatever")
		})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secret := cmpOr(tt.secret, "shh")
			if secret == "-" {
				secret = ""
			}
			b := body
			if tt.body != nil {
				b = tt.body
			}
			now := tt.now
			if now.IsZero() {
				now = sendTime
			}
			err := Verify(secret, tt.header, b, 0, now)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want one saying %q", err, tt.want)
			case err != nil && debrief.ErrorKind(err) != debrief.KindUnauthorized:
				t.Errorf("error kind %v, want unauthorized", debrief.ErrorKind(err))
			}
		})
	}
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Sign is the documented algorithm; the value was computed apart from
// this package (Python's hmac module), as a receiver in another language
// would.
func TestSignKnownValue(t *testing.T) {
	got := Sign("It's a Secret to Everybody", "1767225600", []byte(`{"hello":"world"}`))
	const want = "sha256=" +
		"3f2d5c607dc677e80e55ab529e02a50951565e4d69be5cadb3f79f1060ad7056"
	if got != want {
		t.Errorf("Sign = %q, want %q", got, want)
	}
}

func TestWebhookAnswers(t *testing.T) {
	tests := []struct {
		name       string
		format     Format
		answer     http.HandlerFunc
		retry      bool
		retryAfter time.Duration
		want       string
	}{
		{name: "slack ok", format: FormatSlack, answer: answerWith(200, "ok")},
		{name: "202", answer: answerWith(202, "")},
		{name: "500", answer: answerWith(500, "boom"), retry: true, want: "500 boom"},
		{name: "502 with HTML", answer: answerWith(502, "<html>bad gateway</html>"),
			retry: true, want: "502 Bad Gateway"},
		{name: "503 with Retry-After", answer: answerWith(503, "", "Retry-After", "120"),
			retry: true, retryAfter: 2 * time.Minute},
		{name: "408", answer: answerWith(408, ""), retry: true},
		{name: "429 with Retry-After seconds", format: FormatSlack,
			answer: answerWith(429, "rate_limited", "Retry-After", "30"), retry: true,
			retryAfter: 30 * time.Second, want: "429 rate_limited"},
		{name: "429 with Retry-After date",
			answer: answerWith(429, "", "Retry-After",
				sendTime.Add(90*time.Second).Format(http.TimeFormat)),
			retry: true, retryAfter: 90 * time.Second},
		{name: "slack 404 no_service", format: FormatSlack,
			answer: answerWith(404, "no_service"), want: "404 no_service: the webhook no " +
				"longer exists"},
		{name: "slack 410 channel_is_archived", format: FormatSlack,
			answer: answerWith(410, "channel_is_archived"), want: "channel was archived"},
		{name: "slack 400 invalid_payload", format: FormatSlack,
			answer: answerWith(400, "invalid_payload"), want: "400 invalid_payload"},
		{name: "slack 403 action_prohibited", format: FormatSlack,
			answer: answerWith(403, "action_prohibited"), want: "does not let"},
		{name: "401", answer: answerWith(401, "bad signature"), want: "401 bad signature"},
		{name: "redirect", answer: answerWith(302, "", "Location", "https://elsewhere.example/"),
			want: "a redirect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := startReceiver(t, tt.answer)
			w := Webhook{Name: "hook", URL: rc.URL + "/services/T000/B000/XXXXSECRET",
				Format: tt.format, Now: func() time.Time { return sendTime }}
			err := w.Send(context.Background(), testMessage(), nil)
			if tt.want == "" && !tt.retry {
				if err != nil {
					t.Fatalf("error %v, want none", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if Retryable(err) != tt.retry {
				t.Errorf("Retryable = %v, want %v: %v", Retryable(err), tt.retry, err)
			}
			if ra, _ := RetryAfter(err); ra != tt.retryAfter {
				t.Errorf("RetryAfter = %v, want %v", ra, tt.retryAfter)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "T000") {
				t.Errorf("the error shows the URL's path: %v", err)
			}
			if n := len(rc.requests()); n != 1 {
				t.Errorf("%d requests, want 1: a channel does not retry or follow redirects", n)
			}
		})
	}
}

func TestWebhookNoAnswer(t *testing.T) {
	rc := startReceiver(t, nil)
	url := rc.URL + "/services/T000/B000/XXXXSECRET"
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close() // nothing listens at its address now
	w := Webhook{Name: "hook", URL: srv.URL + "/services/T000/B000/XXXXSECRET"}
	err := w.Send(context.Background(), testMessage(), nil)
	if err == nil || !Retryable(err) || strings.Contains(err.Error(), "SECRET") {
		t.Errorf("connection refused: error %v, want a retryable one without the path", err)
	}

	release := make(chan struct{})
	defer close(release)
	rc.answer = func(http.ResponseWriter, *http.Request) { <-release }
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	w.URL = url
	err = w.Send(ctx, testMessage(), nil)
	if !errors.Is(err, context.DeadlineExceeded) || !Retryable(err) ||
		strings.Contains(err.Error(), "SECRET") {
		t.Errorf("no answer in time: error %v, want a retryable deadline without the path", err)
	}
}

func TestWebhookRefusesBadInput(t *testing.T) {
	rc := startReceiver(t, nil)
	injected := testMessage()
	injected.Key = "k\r\nX-Evil: 1"
	spaced := testMessage()
	spaced.Key = " pm/3/overdue"
	noSubject := testMessage()
	noSubject.Subject = " "
	tests := []struct {
		name string
		url  string
		m    Message
	}{
		{"key with a line break", rc.URL, injected},
		{"key with an outer space", rc.URL, spaced},
		{"no subject", rc.URL, noSubject},
		{"no URL", "", testMessage()},
		{"not http", "ftp://example.com/x", testMessage()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := (Webhook{Name: "h", URL: tt.url}).Send(context.Background(), tt.m, nil)
			if err == nil || Retryable(err) {
				t.Errorf("error %v, want a permanent refusal", err)
			}
		})
	}
	if n := len(rc.requests()); n != 0 {
		t.Errorf("%d requests sent, want none", n)
	}
}

func TestSlackBody(t *testing.T) {
	rc := startReceiver(t, answerWith(200, "ok"))
	m := testMessage()
	m.Subject = "Overdue: <!channel> & friends"
	m.Text = "Fix <https://evil.example|this link> > now"
	w := Webhook{Name: "ops-slack", URL: rc.URL + "/services/T/B/X", Format: FormatSlack}
	if err := w.Send(context.Background(), m, nil); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(rc.requests()[0].Body, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"text": "Overdue: &lt;!channel&gt; &amp; friends",
		"blocks": []any{
			map[string]any{"type": "section", "text": map[string]any{"type": "mrkdwn",
				"text": "*Overdue: &lt;!channel&gt; &amp; friends*\n" +
					"Fix &lt;https://evil.example|this link&gt; &gt; now"}},
			map[string]any{"type": "context", "elements": []any{map[string]any{
				"type": "mrkdwn",
				"text": "Action item 3 of pm2022-006 (ALB 502 errors) · owner: SRE · " +
					"due: 2026-03-01 · status: open · team: payments"}}},
			map[string]any{"type": "actions", "elements": []any{map[string]any{
				"type": "button", "url": m.URL,
				"text": map[string]any{"type": "plain_text", "text": "Open in debrief"}}}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Slack body (-want +got):\n%s", diff)
	}
}

func TestSlackBodyWithoutLinkOrItem(t *testing.T) {
	m := testMessage()
	m.URL = "javascript:alert(1)"
	m.Item = ItemInfo{}
	b, err := slackBody(m)
	if err != nil {
		t.Fatal(err)
	}
	var got slackMessage
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Blocks) != 1 || got.Blocks[0].Type != "section" {
		t.Errorf("blocks %+v: want only the section, with no link to a non-http URL", got.Blocks)
	}
}

func TestSlackBodyKeepsToLimits(t *testing.T) {
	m := testMessage()
	m.Text = strings.Repeat("é<", 5000)
	b, err := slackBody(m)
	if err != nil {
		t.Fatal(err)
	}
	var got slackMessage
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if n := len([]rune(got.Blocks[0].Text.Text)); n > slackSectionMax {
		t.Errorf("the section has %d characters; Slack allows %d", n, slackSectionMax)
	}
}

func TestWebhookStringHidesSecrets(t *testing.T) {
	w := Webhook{Name: "ops-slack", URL: "https://hooks.slack.com/services/T0/B0/SECRETPATH",
		Secret: "signing-key", Format: FormatSlack}
	for _, s := range []string{w.String(), w.LogValue().String(), sprintAll(w), sprintAll(&w)} {
		if strings.Contains(s, "SECRETPATH") || strings.Contains(s, "signing-key") {
			t.Errorf("a secret shows in %q", s)
		}
		if !strings.Contains(s, "hooks.slack.com") {
			t.Errorf("%q does not show the host", s)
		}
	}
}
