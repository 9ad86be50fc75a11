// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp)
// on 127.0.0.1 for tests, and keeps the messages it accepted: a message
// counts once the server answered 250 to the end of its DATA, as a mail
// system would have it.
package smtptest

import (
	"bufio"
	"bytes"
	"io"
	"log"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From string
	To   []string
	// ID is the message's Message-ID header.
	ID   string
	Data []byte
}

// Server is the running server; Addr is its host:port.
type Server struct {
	Addr string

	mu       sync.Mutex
	accepted []Message
}

// Start starts a server for the test; it stops when the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	s := &Server{}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{srv: s}, nil
	}))
	srv.Domain = "localhost"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.Addr = l.Addr().String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(l)
	}()
	t.Cleanup(func() {
		_ = srv.Close()
		_ = l.Close()
		<-done
	})
	return s
}

// Accepted returns the messages accepted so far.
func (s *Server) Accepted() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.accepted...)
}

// ByID counts the accepted messages by Message-ID.
func (s *Server) ByID() map[string]int {
	out := map[string]int{}
	for _, m := range s.Accepted() {
		out[m.ID]++
	}
	return out
}

type session struct {
	srv *Server
	msg Message
}

func (s *session) Reset()        { s.msg = Message{} }
func (s *session) Logout() error { return nil }

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.msg.From = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := s.msg
	m.Data = data
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if name, v, ok := strings.Cut(sc.Text(), ":"); ok &&
			strings.EqualFold(name, "Message-ID") {
			m.ID = strings.TrimSpace(v)
			break
		}
		if sc.Text() == "" {
			break // the headers end
		}
	}
	s.srv.mu.Lock()
	defer s.srv.mu.Unlock()
	s.srv.accepted = append(s.srv.accepted, m)
	return nil
}
