package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alecthomas/kong"

	"github.com/debrief-oss/debrief/sqlstore"
)

func TestServeFlags(t *testing.T) {
	parse := func(args ...string) serveCmd {
		t.Helper()
		var c cli
		parser, err := kong.New(&c, kong.Vars{"roles": roles})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parser.Parse(args); err != nil {
			t.Fatalf("parse %v: %v", args, err)
		}
		return c.Serve
	}

	if c := parse("serve"); c.SecureCookies || c.TrustProxy || c.Addr != ":8080" {
		t.Errorf("defaults: %+v", c)
	}
	if c := parse("serve", "--secure-cookies", "--trust-proxy"); !c.SecureCookies || !c.TrustProxy {
		t.Errorf("flags: %+v", c)
	}
	t.Setenv("DEBRIEF_SECURE_COOKIES", "true")
	t.Setenv("DEBRIEF_TRUST_PROXY", "1")
	if c := parse("serve"); !c.SecureCookies || !c.TrustProxy {
		t.Errorf("environment: %+v", c)
	}
}

// lockedBuffer collects the server's log while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startServe runs `debrief serve` on the database file on a loopback port
// until the test ends, and returns its address and log.
func startServe(t *testing.T, db string, c serveCmd) (string, *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	logs := &lockedBuffer{}
	e := &env{ctx: ctx, stdout: io.Discard, stderr: io.Discard, dsn: db,
		logger: slog.New(slog.NewTextHandler(logs, nil))}
	store, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}

	done := make(chan error, 1)
	go func() { done <- c.serve(e, store, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve returned %v after the stop", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not stop")
		}
		_ = store.Close()
	})
	return "http://" + ln.Addr().String(), logs
}

// TestServeNeedsSignIn: the server `debrief serve` starts asks who is
// there, lets the person `debrief user add` made sign in, and marks the
// cookie Secure when told.
func TestServeNeedsSignIn(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	if code, _, errOut := runWithStdin(t, "correct horse battery\n", "--db", db, "user", "add",
		"alice", "--role", "admin", "--password-stdin"); code != exitOK {
		t.Fatalf("user add: %s", errOut)
	}
	base, logs := startServe(t, db, serveCmd{SecureCookies: true})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}

	res, err := client.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
		t.Errorf("anonymous GET /: %d to %q, want the login page", res.StatusCode,
			res.Header.Get("Location"))
	}

	res, err = client.PostForm(base+"/login",
		url.Values{"name": {"alice"}, "password": {"correct horse battery"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookie := res.Header.Get("Set-Cookie")
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(cookie, "debrief_session=") ||
		!strings.Contains(cookie, "Secure") {
		t.Errorf("login: %d, cookie %q; want a Secure session cookie", res.StatusCode, cookie)
	}
	if log := logs.String(); !strings.Contains(log, "secure_cookies=true") ||
		strings.Contains(log, "no users yet") {
		t.Errorf("start-up log:\n%s", log)
	}
}

func TestServeSaysHowToAddTheFirstAdmin(t *testing.T) {
	_, logs := startServe(t, filepath.Join(t.TempDir(), "empty.db"), serveCmd{})
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "no users yet") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if log := logs.String(); !strings.Contains(log, "debrief user add NAME --role admin") {
		t.Errorf("no hint about the first admin in the log:\n%s", log)
	}
}
