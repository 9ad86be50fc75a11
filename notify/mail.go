package notify

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"regexp"
	"strings"
	"time"
)

// TLSMode is how a Mailer protects its connection.
type TLSMode int

// The TLS modes. The zero value is STARTTLS, so that a Mailer written
// without one never sends in the clear by accident.
const (
	// TLSStartTLS connects in the clear and upgrades with STARTTLS before
	// anything else is said; a server that does not offer it is an error.
	// The usual port is 587.
	TLSStartTLS TLSMode = iota
	// TLSImplicit speaks TLS from the start ("SMTPS"), usually on port 465.
	TLSImplicit
	// TLSNone never encrypts: only for a relay on the same host or a
	// trusted network. A password is then sent only to a loopback address.
	TLSNone
)

func (t TLSMode) String() string {
	switch t {
	case TLSImplicit:
		return "tls"
	case TLSNone:
		return "none"
	}
	return "starttls"
}

// ParseTLSMode reads a TLS mode as configuration writes it: "starttls",
// "tls" or "none".
func ParseTLSMode(s string) (TLSMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "starttls":
		return TLSStartTLS, nil
	case "tls":
		return TLSImplicit, nil
	case "none":
		return TLSNone, nil
	}
	return 0, fmt.Errorf("%q is not a TLS mode: write starttls, tls or none", s)
}

// Mailer sends messages as e-mail through an SMTP server.
type Mailer struct {
	// Name names the channel in errors and logs.
	Name string
	// Addr is the server's host:port.
	Addr string
	// From is the sender, "debrief@example.com" or "debrief
	// <debrief@example.com>": the envelope sender, the From header and the
	// domain of Message-IDs.
	From string
	// Username and Password, when Username is set, log in with AUTH
	// PLAIN, which is only ever sent over TLS or to a loopback address.
	Username string
	Password string
	TLS      TLSMode
	// TLSConfig verifies the server (for a private CA); nil means the
	// system's roots and the host of Addr.
	TLSConfig *tls.Config
	// Timeout bounds one delivery, from connecting to the end of the
	// message; 0 means 30 s. A deadline on Send's context that comes
	// sooner wins.
	Timeout time.Duration
	// LocalName is the name given in EHLO; "" means "localhost".
	LocalName string
	// Now returns the time for the Date header; nil means time.Now.
	Now func() time.Time
}

// Limits on an e-mail.
const (
	maxRecipients = 100
	maxAddress    = 320 // a display name and an address, as written
	maxMailText   = 20000
)

// Send delivers m to the recipients to, each an address with or without a
// display name. The error is a *SendError: retryable when the connection
// failed or timed out or the server answered 4xx; not retryable for a 5xx
// answer, a bad address or message, or a configuration the server cannot
// work with (no STARTTLS, no AUTH). When the server refuses some
// recipients with 5xx and accepts others, the message is sent to those it
// accepted and the error is Partial.
func (ml Mailer) Send(ctx context.Context, m Message, to []string) error {
	host, _, err := net.SplitHostPort(ml.Addr)
	if err != nil || host == "" {
		return permanent(ml.Name, 0, nil, "the SMTP address %q is not host:port", ml.Addr)
	}
	if ml.Username != "" && ml.TLS == TLSNone && !isLoopback(host) {
		return permanent(ml.Name, 0, nil, "will not send the SMTP password to %s "+
			"unencrypted: set tls to starttls or tls", host)
	}
	if err := headerText(ml.LocalName); err != nil || strings.ContainsAny(ml.LocalName, " ") {
		return permanent(ml.Name, 0, nil, "the local name %q is not a host name",
			ml.LocalName)
	}
	from, err := parseAddress(ml.From)
	if err != nil {
		return permanent(ml.Name, 0, err, "the sender %q", ml.From)
	}
	rcpts, err := parseRecipients(to)
	if err != nil {
		return permanent(ml.Name, 0, err, "cannot send")
	}
	if err := m.check(); err != nil {
		return permanent(ml.Name, 0, err, "cannot send the message")
	}
	msg := buildMail(m, from, rcpts, ml.now())

	envelope := make([]string, len(rcpts))
	for i, r := range rcpts {
		envelope[i] = r.Address
	}
	return ml.deliver(ctx, host, from.Address, envelope, msg)
}

func (ml Mailer) now() time.Time {
	if ml.Now != nil {
		return ml.Now()
	}
	return time.Now()
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// parseAddress reads one address, refusing what would break a header or
// an SMTP command: line breaks and other control characters, a local part
// that needs quoting, non-ASCII in the address itself (debrief does not
// speak SMTPUTF8) and an address literal. The display name may be any
// text; it is encoded when the header is written.
func parseAddress(s string) (*mail.Address, error) {
	if len(s) > maxAddress {
		return nil, fmt.Errorf("is longer than %d bytes", maxAddress)
	}
	if err := headerText(s); err != nil {
		return nil, err
	}
	a, err := mail.ParseAddress(s)
	if err != nil {
		return nil, fmt.Errorf("is not an e-mail address")
	}
	if err := checkAddrSpec(a.Address); err != nil {
		return nil, err
	}
	if err := headerText(a.Name); err != nil {
		return nil, fmt.Errorf("has a name that %w", err)
	}
	return a, nil
}

// reAtom is RFC 5322's dot-atom: atext runs joined by single dots.
var reAtom = regexp.MustCompile("^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+" +
	"(?:\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")

// reDomain is a host name: letters, digits and hyphens in dotted labels.
var reDomain = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?` +
	`(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$`)

func checkAddrSpec(addr string) error {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 {
		return fmt.Errorf("has no @")
	}
	local, domain := addr[:at], addr[at+1:]
	if len(local) > 64 || !reAtom.MatchString(local) {
		return fmt.Errorf("has a local part debrief does not send to (quoted, " +
			"non-ASCII or longer than 64 bytes)")
	}
	if len(domain) > 253 || !reDomain.MatchString(domain) {
		return fmt.Errorf("has a domain that is not a host name")
	}
	return nil
}

// parseRecipients reads the recipients, dropping repeats of an address.
// Its errors name a recipient by its place in to, not by its address: the
// error is logged.
func parseRecipients(to []string) ([]*mail.Address, error) {
	if len(to) == 0 {
		return nil, fmt.Errorf("no recipients were given")
	}
	var out []*mail.Address
	seen := map[string]bool{}
	for i, s := range to {
		a, err := parseAddress(s)
		if err != nil {
			return nil, fmt.Errorf("recipient %d: %w", i+1, err)
		}
		if k := strings.ToLower(a.Address); !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	if len(out) > maxRecipients {
		return nil, fmt.Errorf("%d recipients; the limit is %d", len(out), maxRecipients)
	}
	return out, nil
}

// buildMail writes an RFC 5322 message with a quoted-printable UTF-8 text
// body. Its inputs have been checked: no header value holds a line break.
func buildMail(m Message, from *mail.Address, to []*mail.Address, now time.Time) []byte {
	var b bytes.Buffer
	header := func(name, value string) { b.WriteString(name + ": " + value + "\r\n") }
	header("From", from.String())
	names := make([]string, len(to))
	for i, a := range to {
		names[i] = a.String()
	}
	header("To", strings.Join(names, ",\r\n "))
	// Readers drop a header's outer spaces; dropping them here keeps the
	// subject the same either way.
	header("Subject", encodeSubject(strings.TrimSpace(m.Subject)))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", messageID(m.Key, from.Address))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	// RFC 3834: an automatic message, to which no vacation reply is due.
	header("Auto-Submitted", "auto-generated")
	header("X-Debrief-Event", m.Event)
	b.WriteString("\r\n")

	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(mailText(m)))
	_ = qp.Close()
	return b.Bytes()
}

// encodeSubject writes a subject for its header. Non-ASCII text becomes
// RFC 2047 Q-encoded words, each short enough that its line, the first
// with "Subject: " before it, stays within 78 characters; ASCII is folded
// at spaces to the same width where it can be.
func encodeSubject(s string) string {
	if !needsEncoding(s) {
		return foldASCII(s, len("Subject: "))
	}
	// 54 encoded characters and the 12 of "=?utf-8?q?" and "?=" are 66.
	const maxText = 54
	var words []string
	var cur strings.Builder
	for _, r := range s {
		enc := qChar(r)
		if cur.Len()+len(enc) > maxText {
			words = append(words, cur.String())
			cur.Reset()
		}
		cur.WriteString(enc)
	}
	words = append(words, cur.String())
	return "=?utf-8?q?" + strings.Join(words, "?=\r\n =?utf-8?q?") + "?="
}

// needsEncoding reports whether a subject must be encoded: it has
// non-ASCII text, or "=?", which a reader would take for the start of an
// encoded word.
func needsEncoding(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 || s[i] < ' ' {
			return true
		}
	}
	return strings.Contains(s, "=?")
}

// qChar encodes one character in RFC 2047's Q encoding, keeping as they
// are only the characters it allows in every position (section 5 (3)).
func qChar(r rune) string {
	switch {
	case r == ' ':
		return "_"
	case r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
		r >= '0' && r <= '9' || strings.ContainsRune("!*+-/", r)):
		return string(r)
	}
	var b strings.Builder
	for _, c := range []byte(string(r)) {
		fmt.Fprintf(&b, "=%02X", c)
	}
	return b.String()
}

// foldASCII breaks a long header value before spaces so that lines stay
// within 78 characters where the words allow; used is the length of the
// line's start ("Subject: "). Unfolding (removing each CRLF) restores it.
func foldASCII(s string, used int) string {
	const width = 78
	var b strings.Builder
	line := used
	for i, word := range strings.Split(s, " ") {
		if i > 0 {
			if line+1+len(word) > width && line > 1 && word != "" {
				b.WriteString("\r\n")
				line = 0
			}
			b.WriteByte(' ')
			line++
		}
		b.WriteString(word)
		line += len(word)
	}
	return b.String()
}

// messageID derives a Message-ID from the delivery key, the same on every
// retry, so that mail systems that keep track can drop a duplicate.
func messageID(key, from string) string {
	sum := sha256.Sum256([]byte(key))
	domain := from[strings.LastIndexByte(from, '@')+1:]
	return "<debrief." + hex.EncodeToString(sum[:16]) + "@" + domain + ">"
}

// mailText is the body: the text, the link, and a line about the item.
func mailText(m Message) string {
	text := strings.ToValidUTF8(m.Text, "\uFFFD")
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	text = strings.Trim(truncate(text, maxMailText), "\n ")
	var b strings.Builder
	b.WriteString(text)
	if m.URL != "" && !strings.Contains(text, m.URL) {
		b.WriteString("\n\nOpen it in debrief: " + oneLine(m.URL))
	}
	if about := itemLine(m.Item); about != "" {
		b.WriteString("\n\n-- \n" + truncate(strings.ToValidUTF8(about, "\uFFFD"), 1000))
	}
	b.WriteString("\n")
	return strings.TrimLeft(b.String(), "\n")
}

// deliver speaks SMTP to the server: EHLO, STARTTLS, AUTH, MAIL, RCPT,
// DATA, QUIT, all within the time-out.
func (ml Mailer) deliver(ctx context.Context, host, from string, to []string,
	msg []byte) error {
	timeout := ml.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	conn, err := ml.dial(ctx, host)
	if err != nil {
		return ml.fail(ctx, "connect", err)
	}
	defer conn.Close()
	// net/smtp takes no context: the deadline bounds every read and write,
	// and a cancellation moves it to the past to end the one under way.
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()

	c, err := smtp.NewClient(conn, host)
	if err != nil {
		return ml.fail(ctx, "greeting", err)
	}
	defer c.Close()
	if err := ml.hello(ctx, c, host); err != nil {
		return err
	}
	if err := c.Mail(from); err != nil {
		return ml.fail(ctx, "MAIL FROM", err)
	}
	refused, err := ml.recipients(ctx, c, to)
	if err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return ml.fail(ctx, "DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return ml.fail(ctx, "DATA", err)
	}
	if err := w.Close(); err != nil {
		return ml.fail(ctx, "end of DATA", err)
	}
	// The message is accepted; a failure to say goodbye changes nothing,
	// so a server slow to answer QUIT is not waited for long.
	quitBy := time.Now().Add(2 * time.Second)
	if dl, ok := ctx.Deadline(); ok && dl.Before(quitBy) {
		quitBy = dl
	}
	_ = conn.SetDeadline(quitBy)
	_ = c.Quit()
	if len(refused) > 0 {
		return &SendError{Channel: ml.Name, Code: refused[0].code, Partial: true,
			Reason: fmt.Sprintf("sent to %d of %d recipients; refused: %s",
				len(to)-len(refused), len(to), describeRefused(refused))}
	}
	return nil
}

func (ml Mailer) dial(ctx context.Context, host string) (net.Conn, error) {
	if ml.TLS == TLSImplicit {
		d := tls.Dialer{Config: ml.tlsConfig(host)}
		return d.DialContext(ctx, "tcp", ml.Addr)
	}
	var d net.Dialer
	return d.DialContext(ctx, "tcp", ml.Addr)
}

func (ml Mailer) tlsConfig(host string) *tls.Config {
	if ml.TLSConfig == nil {
		return &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}
	}
	c := ml.TLSConfig.Clone()
	if c.ServerName == "" {
		c.ServerName = host
	}
	return c
}

// hello greets the server, upgrades to TLS and logs in, as configured.
func (ml Mailer) hello(ctx context.Context, c *smtp.Client, host string) error {
	name := ml.LocalName
	if name == "" {
		name = "localhost"
	}
	if err := c.Hello(name); err != nil {
		return ml.fail(ctx, "EHLO", err)
	}
	if ml.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return permanent(ml.Name, 0, nil, "the server %s does not offer STARTTLS: "+
				"set tls to tls for port 465, or to none for a trusted relay", ml.Addr)
		}
		if err := c.StartTLS(ml.tlsConfig(host)); err != nil {
			return ml.fail(ctx, "STARTTLS", err)
		}
	}
	if ml.Username == "" {
		return nil
	}
	if ok, _ := c.Extension("AUTH"); !ok {
		return permanent(ml.Name, 0, nil, "the server %s does not offer AUTH, and a "+
			"username is configured", ml.Addr)
	}
	if err := c.Auth(smtp.PlainAuth("", ml.Username, ml.Password, host)); err != nil {
		return ml.fail(ctx, "AUTH", err)
	}
	return nil
}

// refusal is a recipient the server refused for good.
type refusal struct {
	index int // from 1, in the envelope
	addr  string
	code  int
}

// recipients names each recipient to the server. A 5xx refusal of some
// leaves the others to be sent to; a 4xx refusal of any, or a refusal of
// all, ends the delivery before anything is sent, so that a retry sends
// nothing twice.
func (ml Mailer) recipients(ctx context.Context, c *smtp.Client, to []string) (
	[]refusal, error) {
	var refused []refusal
	for i, r := range to {
		err := c.Rcpt(r)
		var te *textproto.Error
		if errors.As(err, &te) && te.Code >= 500 && te.Code < 600 {
			refused = append(refused, refusal{i + 1, r, te.Code})
			continue
		}
		if err != nil {
			return nil, ml.fail(ctx, fmt.Sprintf("RCPT TO for recipient %d", i+1), err)
		}
	}
	if len(refused) == len(to) {
		return nil, permanent(ml.Name, refused[0].code, nil,
			"the server refused every recipient: %s", describeRefused(refused))
	}
	return refused, nil
}

// describeRefused names refused recipients by their place and domain, not
// their whole address: the error is logged.
func describeRefused(refused []refusal) string {
	parts := make([]string, len(refused))
	for i, r := range refused {
		parts[i] = fmt.Sprintf("recipient %d (%s, %d)", r.index, maskAddress(r.addr), r.code)
	}
	return strings.Join(parts, ", ")
}

func maskAddress(addr string) string {
	return "…" + addr[strings.LastIndexByte(addr, '@'):]
}

// fail describes a failed step. SMTP replies keep their code (4xx is
// retryable, 5xx not) with the addresses in their text masked; a time-out
// or cancellation wraps the context's error; anything else is a network
// failure and retryable.
func (ml Mailer) fail(ctx context.Context, step string, err error) error {
	var te *textproto.Error
	if errors.As(err, &te) {
		masked := &textproto.Error{Code: te.Code, Msg: truncate(maskAddresses(te.Msg), 200)}
		if te.Code >= 400 && te.Code < 500 {
			return temporary(ml.Name, te.Code, masked, "the server refused %s for now", step)
		}
		return permanent(ml.Name, te.Code, masked, "the server refused %s", step)
	}
	if cerr := contextError(ctx, err); cerr != nil {
		return temporary(ml.Name, 0, cerr, "no answer from %s in time (%s)", ml.Addr, step)
	}
	return temporary(ml.Name, 0, err, "%s with %s failed", step, ml.Addr)
}

// contextError returns the context's error when it ended the step that
// failed with err. The connection's deadline is the context's, and its
// time-out can be seen a moment before the context's own timer fires.
func contextError(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	var ne net.Error
	if dl, ok := ctx.Deadline(); ok && errors.As(err, &ne) && ne.Timeout() &&
		!time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return nil
}

var reAddress = regexp.MustCompile(`[^\s<>"'()\[\]:;,]+@`)

// maskAddresses hides the local parts of the addresses in a server's
// reply, which often quotes the recipient it refused.
func maskAddresses(s string) string { return reAddress.ReplaceAllString(s, "…@") }

// String describes the mailer without its password.
func (ml Mailer) String() string {
	s := fmt.Sprintf("email %s via %s (%s)", ml.Name, ml.Addr, ml.TLS)
	if ml.Username != "" {
		s += ", with login"
	}
	return s
}

// GoString is String, so that %#v does not print the password either.
func (ml Mailer) GoString() string { return ml.String() }

// LogValue describes the mailer to log/slog without its password or its
// user name.
func (ml Mailer) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("name", ml.Name),
		slog.String("type", "email"),
		slog.String("addr", ml.Addr),
		slog.String("tls", ml.TLS.String()),
		slog.Bool("login", ml.Username != ""),
	)
}
