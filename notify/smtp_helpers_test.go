package notify

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// received is one message an SMTP test server accepted.
type received struct {
	From string
	To   []string
	Data []byte
	TLS  bool
	User string
}

// smtpServer is a real SMTP server (github.com/emersion/go-smtp) on
// 127.0.0.1, with answers a test can set.
type smtpServer struct {
	Addr string

	mu       sync.Mutex
	msgs     []received
	rcptCode map[string]int // address → SMTP code to refuse it with
	dataCode int            // code to refuse the message with, or 0
	user     string         // the login it accepts, when set
	password string
}

type smtpOptions struct {
	TLS      *tls.Config // offers STARTTLS with it
	Implicit bool        // speaks TLS from the start (needs TLS)
	User     string      // offers AUTH PLAIN for this user
	Password string
}

// startSMTP starts a server for the test; it stops when the test ends.
func startSMTP(t *testing.T, opt smtpOptions) *smtpServer {
	t.Helper()
	srv := &smtpServer{rcptCode: map[string]int{}, user: opt.User, password: opt.Password}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &smtpSession{srv: srv, conn: c}, nil
	}))
	s.Domain = "localhost"
	s.ReadTimeout = 10 * time.Second
	s.WriteTimeout = 10 * time.Second
	s.ErrorLog = log.New(io.Discard, "", 0)
	s.TLSConfig = opt.TLS

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if opt.Implicit {
		l = tls.NewListener(l, opt.TLS)
	}
	srv.Addr = l.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = s.Serve(l)
	}()
	t.Cleanup(func() {
		// Closing the listener too ends Serve when Close came before
		// Serve had registered it.
		_ = s.Close()
		_ = l.Close()
		<-done
	})
	return srv
}

func (srv *smtpServer) refuseRcpt(addr string, code int) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	srv.rcptCode[addr] = code
}

func (srv *smtpServer) refuseData(code int) {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	srv.dataCode = code
}

func (srv *smtpServer) messages() []received {
	srv.mu.Lock()
	defer srv.mu.Unlock()
	return append([]received(nil), srv.msgs...)
}

type smtpSession struct {
	srv  *smtpServer
	conn *smtp.Conn
	msg  received
}

func (s *smtpSession) Reset()        { s.msg = received{User: s.msg.User} }
func (s *smtpSession) Logout() error { return nil }

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	s.msg.From = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.srv.mu.Lock()
	code := s.srv.rcptCode[to]
	s.srv.mu.Unlock()
	if code != 0 {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1},
			Message: "<" + to + ">: Recipient address rejected"}
	}
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	if code := s.srv.dataCode; code != 0 {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 3, 0},
			Message: "Message refused"}
	}
	m := s.msg
	m.Data = data
	_, m.TLS = s.conn.TLSConnectionState()
	s.srv.msgs = append(s.srv.msgs, m)
	return nil
}

func (s *smtpSession) AuthMechanisms() []string {
	if s.srv.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		if user != s.srv.user || password != s.srv.password {
			return smtp.ErrAuthFailed // 535, as real servers answer
		}
		s.msg.User = user
		return nil
	}), nil
}

// testCert returns a server TLS configuration for 127.0.0.1 and a client
// configuration that trusts it.
func testCert(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "debrief test SMTP"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der},
		PrivateKey: key}}}
	return server, &tls.Config{RootCAs: pool}
}
