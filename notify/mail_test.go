package notify

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var sendTime = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func testMessage() Message {
	return Message{
		Key:     "pm2022-006/3/overdue-1d/email:ops",
		Event:   "action.overdue",
		Subject: "Überfällig: action item 3 — add alerting on ALB 5xx",
		Text: "The action item \"Add alerting on ALB 5xx\" was due on 2026-03-01.\n" +
			"It is a day overdue.\n.\nA line with a dot alone is above; Grüße.",
		URL: "https://debrief.example.com/postmortems/pm2022-006#action-3",
		At:  time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		Item: ItemInfo{PostmortemID: "pm2022-006", PostmortemTitle: "ALB 502 errors",
			Number: 3, Description: "Add alerting on ALB 5xx", Owner: "SRE",
			Due: "2026-03-01", Status: "open", Team: "payments"},
	}
}

func testMailer(addr string) Mailer {
	return Mailer{Name: "mail", Addr: addr, From: "debrief <debrief@example.com>",
		TLS: TLSNone, Timeout: 5 * time.Second, Now: func() time.Time { return sendTime }}
}

// readMail parses a received message and decodes its subject and body.
func readMail(t *testing.T, data []byte) (mail.Header, string, string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the message does not parse: %v\n%s", err, data)
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("the subject does not decode: %v", err)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(msg.Body))
	if err != nil {
		t.Fatalf("the body is not quoted-printable: %v", err)
	}
	return msg.Header, subject, string(body)
}

func TestMailerSends(t *testing.T) {
	srv := startSMTP(t, smtpOptions{})
	ml := testMailer(srv.Addr)
	m := testMessage()
	to := []string{"Ana Müller <ana@example.com>", "ops@example.org", "ANA@example.com"}
	if err := ml.Send(context.Background(), m, to); err != nil {
		t.Fatal(err)
	}
	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("the server received %d messages, want 1", len(got))
	}
	r := got[0]
	if r.From != "debrief@example.com" {
		t.Errorf("envelope sender %q, want debrief@example.com", r.From)
	}
	// ANA@example.com repeats ana@example.com and is sent once.
	if diff := cmp.Diff([]string{"ana@example.com", "ops@example.org"}, r.To); diff != "" {
		t.Errorf("envelope recipients (-want +got):\n%s", diff)
	}

	h, subject, body := readMail(t, r.Data)
	if subject != m.Subject {
		t.Errorf("subject %q, want %q", subject, m.Subject)
	}
	if raw := h.Get("Subject"); !strings.HasPrefix(raw, "=?utf-8?q?") {
		t.Errorf("the non-ASCII subject is not RFC 2047 encoded: %q", raw)
	}
	from, err := h.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Address != "debrief@example.com" ||
		from[0].Name != "debrief" {
		t.Errorf("From %v (%v), want debrief <debrief@example.com>", from, err)
	}
	rcpts, err := h.AddressList("To")
	if err != nil || len(rcpts) != 2 || rcpts[0].Name != "Ana Müller" ||
		rcpts[1].Address != "ops@example.org" {
		t.Errorf("To %v (%v), want Ana Müller and ops@example.org", rcpts, err)
	}
	if d, err := h.Date(); err != nil || !d.Equal(sendTime) {
		t.Errorf("Date %v (%v), want %v", d, err, sendTime)
	}
	want := map[string]string{
		"Mime-Version":              "1.0",
		"Content-Type":              "text/plain; charset=utf-8",
		"Content-Transfer-Encoding": "quoted-printable",
		"Auto-Submitted":            "auto-generated",
		"X-Debrief-Event":           "action.overdue",
		"Message-Id":                messageID(m.Key, "debrief@example.com"),
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	wantBody := strings.ReplaceAll(m.Text+"\n\nOpen it in debrief: "+m.URL+"\n\n-- \n"+
		"Action item 3 of pm2022-006 (ALB 502 errors) · owner: SRE · due: 2026-03-01 · "+
		"status: open · team: payments\n", "\n", "\r\n")
	if diff := cmp.Diff(wantBody, body); diff != "" {
		t.Errorf("decoded body (-want +got):\n%s", diff)
	}
	for i, line := range strings.Split(string(r.Data), "\r\n") {
		if len(line) > 998 {
			t.Errorf("line %d has %d bytes; RFC 5322 allows 998", i+1, len(line))
		}
	}
}

// The Message-ID comes from the key, so that a retry of a delivery whose
// answer was lost can be recognised as the same message; another
// delivery has another.
func TestMailerMessageIDStableAcrossRetries(t *testing.T) {
	srv := startSMTP(t, smtpOptions{})
	ml := testMailer(srv.Addr)
	m := testMessage()
	other := m
	other.Key = "pm2022-006/3/overdue-7d/email:ops"
	for _, msg := range []Message{m, m, other} {
		ml.Now = func() time.Time { return time.Now() }
		if err := ml.Send(context.Background(), msg, []string{"ops@example.org"}); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	for _, r := range srv.messages() {
		h, _, _ := readMail(t, r.Data)
		ids = append(ids, h.Get("Message-Id"))
	}
	if len(ids) != 3 || ids[0] != ids[1] || ids[0] == ids[2] {
		t.Errorf("Message-IDs %q: want the first two equal and the third different", ids)
	}
	if !strings.HasSuffix(ids[0], "@example.com>") {
		t.Errorf("Message-ID %q is not in the sender's domain", ids[0])
	}
}

func TestMailerLongSubjectIsFolded(t *testing.T) {
	srv := startSMTP(t, smtpOptions{})
	m := testMessage()
	m.Subject = strings.TrimSpace(strings.Repeat("Überfällige Maßnahme ", 12))
	err := testMailer(srv.Addr).Send(context.Background(), m, []string{"a@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	data := srv.messages()[0].Data
	head, _, _ := bytes.Cut(data, []byte("\r\n\r\n"))
	for _, line := range strings.Split(string(head), "\r\n") {
		if len(line) > 78 && strings.Contains(line, "=?utf-8?") {
			t.Errorf("an encoded subject line has %d characters: %q", len(line), line)
		}
	}
	if _, subject, _ := readMail(t, data); subject != m.Subject {
		t.Errorf("subject %q, want %q", subject, m.Subject)
	}
}

func TestMailerAnswers(t *testing.T) {
	tests := []struct {
		name      string
		rcpt      map[string]int
		data      int
		retry     bool
		partial   bool
		code      int
		delivered []string
	}{
		{name: "4xx on DATA", data: 451, retry: true, code: 451},
		{name: "5xx on DATA", data: 554, code: 554},
		{name: "4xx for a recipient", rcpt: map[string]int{"b@example.org": 450},
			retry: true, code: 450},
		{name: "5xx for a recipient", rcpt: map[string]int{"b@example.org": 550},
			partial: true, code: 550, delivered: []string{"a@example.com"}},
		{name: "5xx for every recipient",
			rcpt: map[string]int{"a@example.com": 550, "b@example.org": 551}, code: 550},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startSMTP(t, smtpOptions{})
			for addr, code := range tt.rcpt {
				srv.refuseRcpt(addr, code)
			}
			srv.refuseData(tt.data)
			err := testMailer(srv.Addr).Send(context.Background(), testMessage(),
				[]string{"a@example.com", "b@example.org"})
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("error %v, want a *SendError", err)
			}
			if Retryable(err) != tt.retry || se.Partial != tt.partial || se.Code != tt.code {
				t.Errorf("retryable %v, partial %v, code %d; want %v, %v, %d: %v",
					Retryable(err), se.Partial, se.Code, tt.retry, tt.partial, tt.code, err)
			}
			var delivered []string
			for _, r := range srv.messages() {
				delivered = append(delivered, r.To...)
			}
			if diff := cmp.Diff(tt.delivered, delivered); diff != "" {
				t.Errorf("delivered to (-want +got):\n%s", diff)
			}
			// The server quoted the refused address; the error, which is
			// logged, keeps only its domain.
			if strings.Contains(err.Error(), "b@example.org") {
				t.Errorf("the error names a recipient's address: %v", err)
			}
		})
	}
}

// A server that accepts the connection and never answers must not hold
// the delivery past the context's deadline.
func TestMailerServerHangs(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go holdConnections(l)
	ml := testMailer(l.Addr().String())
	ml.Timeout = time.Minute
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err = ml.Send(ctx, testMessage(), []string{"a@example.com"})
	if took := time.Since(start); took > 10*time.Second { // the mailer's own limit is a minute
		t.Errorf("Send returned after %v; the deadline was 300ms", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) || !Retryable(err) {
		t.Errorf("error %v: want a retryable context.DeadlineExceeded", err)
	}
}

// holdConnections accepts connections and says nothing on them until the
// listener is closed.
func holdConnections(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			return
		}
		defer c.Close()
	}
}

func TestMailerCancelled(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go holdConnections(l)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	err = testMailer(l.Addr().String()).Send(ctx, testMessage(), []string{"a@example.com"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error %v: want context.Canceled", err)
	}
}

func TestMailerStartTLSAndLogin(t *testing.T) {
	serverTLS, clientTLS := testCert(t)
	srv := startSMTP(t, smtpOptions{TLS: serverTLS, User: "debrief", Password: "s3cret"})
	ml := testMailer(srv.Addr)
	ml.TLS, ml.TLSConfig = TLSStartTLS, clientTLS
	ml.Username, ml.Password = "debrief", "s3cret"
	if err := ml.Send(context.Background(), testMessage(), []string{"a@example.com"}); err != nil {
		t.Fatal(err)
	}
	r := srv.messages()[0]
	if !r.TLS || r.User != "debrief" {
		t.Errorf("TLS %v, user %q: want the message sent over TLS after logging in",
			r.TLS, r.User)
	}

	ml.Password = "wrong"
	err := ml.Send(context.Background(), testMessage(), []string{"a@example.com"})
	if err == nil || Retryable(err) || strings.Contains(err.Error(), "wrong") {
		t.Errorf("a wrong password: error %v, want a permanent error without the password", err)
	}
}

func TestMailerImplicitTLS(t *testing.T) {
	serverTLS, clientTLS := testCert(t)
	srv := startSMTP(t, smtpOptions{TLS: serverTLS, Implicit: true})
	ml := testMailer(srv.Addr)
	ml.TLS, ml.TLSConfig = TLSImplicit, clientTLS
	if err := ml.Send(context.Background(), testMessage(), []string{"a@example.com"}); err != nil {
		t.Fatal(err)
	}
	if r := srv.messages()[0]; !r.TLS {
		t.Error("the message was not sent over TLS")
	}
}

func TestMailerUntrustedCertificate(t *testing.T) {
	serverTLS, _ := testCert(t)
	srv := startSMTP(t, smtpOptions{TLS: serverTLS})
	ml := testMailer(srv.Addr)
	ml.TLS = TLSStartTLS // the system's roots do not know the test's certificate
	err := ml.Send(context.Background(), testMessage(), []string{"a@example.com"})
	if err == nil || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("error %v, want a failed STARTTLS", err)
	}
	if len(srv.messages()) != 0 {
		t.Error("the message was sent over an unverified connection")
	}
}

func TestMailerRefusesWhatItCannotDoSafely(t *testing.T) {
	srv := startSMTP(t, smtpOptions{}) // offers neither STARTTLS nor AUTH
	tests := []struct {
		name  string
		edit  func(*Mailer)
		want  string
		dials bool
	}{
		{name: "no STARTTLS offered", edit: func(ml *Mailer) { ml.TLS = TLSStartTLS },
			want: "does not offer STARTTLS"},
		{name: "no AUTH offered", edit: func(ml *Mailer) { ml.Username, ml.Password = "u", "p" },
			want: "does not offer AUTH"},
		// Refused before connecting: no traffic leaves the machine.
		{name: "password in the clear", edit: func(ml *Mailer) {
			ml.Addr, ml.Username, ml.Password = "smtp.example.com:25", "u", "p"
		}, want: "unencrypted"},
		{name: "no port", edit: func(ml *Mailer) { ml.Addr = "127.0.0.1" },
			want: "not host:port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ml := testMailer(srv.Addr)
			tt.edit(&ml)
			err := ml.Send(context.Background(), testMessage(), []string{"a@example.com"})
			if err == nil || Retryable(err) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want a permanent error saying %q", err, tt.want)
			}
		})
	}
	if n := len(srv.messages()); n != 0 {
		t.Errorf("the server received %d messages, want none", n)
	}
}

func TestMailerRefusesHeaderInjection(t *testing.T) {
	srv := startSMTP(t, smtpOptions{})
	subject := testMessage()
	subject.Subject = "Overdue\r\nBcc: everyone@example.com"
	key := testMessage()
	key.Key = "k\r\nBcc: everyone@example.com"
	tests := []struct {
		name string
		from string
		to   []string
		m    Message
	}{
		{name: "subject", m: subject},
		{name: "key", m: key},
		{name: "recipient", to: []string{"a@example.com\r\nBcc: everyone@example.com"}},
		{name: "recipient name", to: []string{"\"A\r\nBcc: x@example.com\" <a@example.com>"}},
		{name: "encoded name", to: []string{"=?utf-8?q?A=0D=0ABcc:_x@example.com?= <a@example.com>"}},
		{name: "sender", from: "debrief@example.com\nBcc: everyone@example.com"},
		{name: "quoted local part", to: []string{"\"a>b\"@example.com"}},
		{name: "non-ASCII address", to: []string{"jörg@example.com"}},
		{name: "address literal", to: []string{"a@[127.0.0.1]"}},
		{name: "no recipients", to: []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ml := testMailer(srv.Addr)
			if tt.from != "" {
				ml.From = tt.from
			}
			if tt.m.Key == "" {
				tt.m = testMessage()
			}
			if tt.to == nil {
				tt.to = []string{"a@example.com"}
			}
			err := ml.Send(context.Background(), tt.m, tt.to)
			if err == nil || Retryable(err) {
				t.Errorf("error %v, want a permanent refusal", err)
			}
		})
	}
	if n := len(srv.messages()); n != 0 {
		t.Errorf("the server received %d messages, want none", n)
	}
}

func TestMailerStringHidesPassword(t *testing.T) {
	ml := Mailer{Name: "mail", Addr: "smtp.example.com:587", From: "d@example.com",
		Username: "debrief", Password: "hunter2-secret"}
	for _, s := range []string{ml.String(), ml.GoString(), ml.LogValue().String(),
		sprintAll(ml), sprintAll(&ml)} {
		if strings.Contains(s, "hunter2") {
			t.Errorf("the password shows in %q", s)
		}
		if !strings.Contains(s, "smtp.example.com") && !strings.Contains(s, "mail") {
			t.Errorf("%q does not say which channel it is", s)
		}
	}
}
