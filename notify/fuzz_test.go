package notify

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/http"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// FuzzVerify feeds Verify headers and bodies from outside. It must never
// panic, must accept only a request carrying the right signature of its
// timestamp and body, and must accept the right one.
func FuzzVerify(f *testing.F) {
	f.Add("shh", "1772443800", "sha256=00", []byte(`{"event":"action.overdue"}`), int64(0))
	f.Add("shh", "1772443800", "", []byte("{}"), int64(-400))
	f.Add("", "+1772443800", "sha256=zz, v1=x", []byte(nil), int64(301))
	f.Add("k", "99999999999", ",,,=,sha256=", []byte("\x00\xff"), int64(1<<40))
	f.Fuzz(func(t *testing.T, secret, ts, sig string, body []byte, skew int64) {
		// Within a century of sendTime: debrief sends no other times.
		now := sendTime.Add(time.Duration(skew%(100*365*24*3600)) * time.Second)
		h := http.Header{}
		h.Set(HeaderTimestamp, ts)
		h.Set(HeaderSignature, sig)
		if err := Verify(secret, h, body, 0, now); err == nil {
			want := Sign(secret, ts, body)
			if secret == "" || !strings.Contains(strings.ToLower(sig), want[len("sha256="):]) {
				t.Fatalf("accepted signature %q for timestamp %q, want %q", sig, ts, want)
			}
		}

		// A request debrief signed passes, and fails once its body changes.
		sent := strconv.FormatInt(now.Unix(), 10)
		h.Set(HeaderTimestamp, sent)
		h.Set(HeaderSignature, Sign(secret, sent, body))
		err := Verify(secret, h, body, time.Minute, now)
		if secret != "" && err != nil {
			t.Fatalf("refused a signed request: %v", err)
		}
		if err := Verify(secret, h, append(slices.Clone(body), 'x'), time.Minute, now); err == nil {
			t.Fatal("accepted a changed body")
		}
	})
}

// FuzzAddress checks the address reader: what it accepts can go into an
// SMTP command and a header unchanged, and reads back the same.
func FuzzAddress(f *testing.F) {
	for _, s := range []string{"a@example.com", "Ana Müller <ana@example.com>",
		"\"a b\"@example.com", "a@example.com\r\nBcc: x@example.com", "a@[127.0.0.1]",
		"=?utf-8?q?A=0D=0AB?= <a@example.com>", "jörg@example.com", "<a@b>", "a@b.c,d@e.f",
		"(comment) a@example.com", "a..b@example.com", "\"\\\r\"@x.y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := parseAddress(s)
		if err != nil {
			return
		}
		if strings.ContainsAny(a.Address, "\r\n <>\"\x00") {
			t.Fatalf("%q gave the envelope address %q", s, a.Address)
		}
		for i := 0; i < len(a.Address); i++ {
			if a.Address[i] >= 0x80 {
				t.Fatalf("%q gave a non-ASCII envelope address %q", s, a.Address)
			}
		}
		msg := buildMail(testMessage(), a, []*mail.Address{a}, sendTime)
		read, err := mail.ReadMessage(bytes.NewReader(msg))
		if err != nil {
			t.Fatalf("%q: the message does not parse: %v", s, err)
		}
		for _, name := range []string{"From", "To"} {
			list, err := read.Header.AddressList(name)
			if err != nil || len(list) != 1 || list[0].Address != a.Address ||
				list[0].Name != a.Name {
				t.Fatalf("%q: %s reads back as %v (%v), want %v", s, name, list, err, a)
			}
		}
		if len(read.Header) != len(wantHeaders) {
			t.Fatalf("%q: the message has headers %v", s, keys(read.Header))
		}
	})
}

// wantHeaders are the headers of every e-mail; no input may add another.
var wantHeaders = []string{"From", "To", "Subject", "Date", "Message-Id", "Mime-Version",
	"Content-Type", "Content-Transfer-Encoding", "Auto-Submitted", "X-Debrief-Event"}

func keys(h mail.Header) []string {
	var out []string
	for k := range h {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// FuzzMailMessage checks the e-mail a message becomes: when the message
// is accepted, the e-mail parses with exactly the expected headers, the
// subject decodes to the one given, and the body to the text given.
func FuzzMailMessage(f *testing.F) {
	f.Add("k/1", "Überfällig: Maßnahme 3", "line one\nline two\n.\n", "https://d.example/x")
	f.Add("k", "=?utf-8?q?hi?= plain", "\r\n\r\n", "")
	f.Add("k", strings.Repeat("word ", 90), strings.Repeat("é", 300), "javascript:x")
	f.Add("k\r\nBcc: x", "s\nBcc: y", "From: z", "u\r\nv")
	f.Fuzz(func(t *testing.T, key, subject, text, url string) {
		m := testMessage()
		m.Key, m.Subject, m.Text, m.URL = key, subject, text, url
		if m.check() != nil {
			return
		}
		from, _ := mail.ParseAddress("debrief@example.com")
		to, _ := mail.ParseAddress("ops@example.org")
		data := buildMail(m, from, []*mail.Address{to}, sendTime)
		read, err := mail.ReadMessage(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("the message does not parse: %v\n%q", err, data)
		}
		if len(read.Header) != len(wantHeaders) {
			t.Fatalf("headers %v, want %v", keys(read.Header), wantHeaders)
		}
		got, err := new(mime.WordDecoder).DecodeHeader(read.Header.Get("Subject"))
		if want := strings.TrimSpace(subject); err != nil || got != want {
			t.Fatalf("subject %q (%v), want %q", got, err, want)
		}
		for i, line := range strings.Split(string(data), "\r\n") {
			if len(line) > 998 {
				t.Fatalf("line %d has %d bytes", i+1, len(line))
			}
		}
		body, err := io.ReadAll(quotedprintable.NewReader(read.Body))
		if err != nil {
			t.Fatalf("the body is not quoted-printable: %v", err)
		}
		// Line breaks of any kind become CRLF; blank lines and spaces
		// around the text go.
		want := strings.ToValidUTF8(text, "\uFFFD")
		want = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(want)
		want = strings.ReplaceAll(strings.Trim(want, "\n "), "\n", "\r\n")
		if len(text) < maxMailText && !strings.HasPrefix(string(body), want) {
			t.Fatalf("body %q does not start with the text %q", body, want)
		}
	})
}

// FuzzParseChannels feeds the channel reader any file. It must never
// panic, and no error may show the value of an environment variable.
func FuzzParseChannels(f *testing.F) {
	f.Add([]byte(exampleConfig))
	f.Add([]byte("channels:\n  a: {type: slack, url_env: X, url: y}\n"))
	f.Add([]byte("channels:\n  a: &x {type: email}\n  b: *x\n  <<: *x\n"))
	f.Add([]byte("channels: [1, 2]\n"))
	f.Add([]byte("channels:\n  m: {type: email, addr: 'h:1', from: a@b.c, tls: none, " +
		"username_env: U, password_env: P}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		getenv := func(string) string { return "TOPSECRET-" }
		chans, err := ParseChannels(data, "notify.yaml", getenv)
		if err != nil {
			if strings.Contains(err.Error(), "TOPSECRET") {
				t.Fatalf("the error shows a secret: %v", err)
			}
			return
		}
		for name, ch := range chans {
			var s string
			switch c := ch.(type) {
			case *Webhook:
				if c.Name != name {
					t.Fatalf("channel %q is named %q", name, c.Name)
				}
				s = sprintAll(c) + c.LogValue().String()
			case *Mailer:
				if c.Name != name {
					t.Fatalf("channel %q is named %q", name, c.Name)
				}
				s = sprintAll(c) + c.LogValue().String()
			default:
				t.Fatalf("channel %q is a %T", name, ch)
			}
			if strings.Contains(s, "TOPSECRET") {
				t.Fatalf("a channel's description shows a secret: %s", s)
			}
		}
	})
}

// FuzzSlackBody checks that user text cannot add Slack markup: every <
// and > in the message's texts is escaped, and the body is valid JSON.
func FuzzSlackBody(f *testing.F) {
	f.Add("<!channel> deploy", "a & b <https://x|y>", "Team <x>")
	f.Add("\u2028", "\xff\xfe", "")
	f.Fuzz(func(t *testing.T, subject, text, owner string) {
		m := testMessage()
		m.Subject, m.Text, m.Item.Owner = subject, text, owner
		b, err := slackBody(m)
		if err != nil {
			t.Fatal(err)
		}
		var got slackMessage
		if err := json.Unmarshal(b, &got); err != nil {
			t.Fatalf("not JSON: %v", err)
		}
		texts := []string{got.Text, got.Blocks[0].Text.Text}
		for _, blk := range got.Blocks[1:] {
			if blk.Type == "context" {
				texts = append(texts, blk.Elements[0].Text.(string))
			}
		}
		for _, s := range texts {
			if strings.ContainsAny(s, "<>") {
				t.Fatalf("unescaped markup in %q", s)
			}
		}
	})
}
