package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// testClock is a clock the test moves by hand, shared by the server and
// the store so that both agree when a session ends.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Now().UTC().Truncate(time.Second)}
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// syncBuffer is a bytes.Buffer the server's goroutines may log into while
// the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// entries returns the log's JSON records with the message.
func (b *syncBuffer) entries(t *testing.T, msg string) []map[string]any {
	t.Helper()
	var found []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if line == "" {
			continue
		}
		var e map[string]any
		if err := json.Unmarshal([]byte(line), &e); err != nil {
			t.Fatalf("log line is not JSON: %v\n%s", err, line)
		}
		if e["msg"] == msg {
			found = append(found, e)
		}
	}
	return found
}

// authHarness is the whole web app on a store and a clock the test
// controls, logging JSON into a buffer, with two routes of its own under
// /api/test that answer who is asking. They show what the middleware does
// for the API whatever API routes exist.
type authHarness struct {
	ts    *httptest.Server
	srv   *Server
	store Store
	clock *testClock
	logs  *syncBuffer
}

func newAuthHarness(t *testing.T, opts ...Option) *authHarness {
	t.Helper()
	h := &authHarness{clock: newTestClock(), logs: &syncBuffer{}}
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "debrief.db"),
		sqlstore.WithClock(h.clock.now))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	h.store = db

	logger := slog.New(slog.NewJSONHandler(h.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	opts = append([]Option{WithClock(h.clock.now)}, opts...)
	if h.srv, err = NewServer(db, logger, opts...); err != nil {
		t.Fatalf("NewServer: %v", err)
	}

	mux := http.NewServeMux()
	mux.Handle("/", h.srv.routes())
	mux.HandleFunc("GET /api/test/whoami", h.whoami(debrief.AccessViewer))
	mux.HandleFunc("POST /api/test/contribute", h.whoami(debrief.AccessContributor))
	h.ts = httptest.NewServer(h.srv.wrap(mux))
	t.Cleanup(h.ts.Close)
	return h
}

// whoami answers the actor as JSON when their role allows need.
func (h *authHarness) whoami(need debrief.AccessRole) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, ok := h.srv.require(w, r, need)
		if !ok {
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(a)
	}
}

// call makes a request with the headers given as name, value pairs and
// returns the status, the headers and the body.
func (h *authHarness) call(
	t *testing.T,
	method, path, body string,
	headers ...string,
) response {
	t.Helper()
	req, err := http.NewRequest(method, h.ts.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(b)}
}

// whoamiWith asks the test API route who the token acts for.
func (h *authHarness) whoamiWith(t *testing.T, secret string) response {
	t.Helper()
	return h.call(t, "GET", "/api/test/whoami", "", "Authorization", "Bearer "+secret)
}

// apiError reads an API error body, failing the test when it is not one.
func apiError(t *testing.T, res response) errorDetail {
	t.Helper()
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("error answered as %q, want JSON:\n%s", ct, res.body)
	}
	var body errorBody
	if err := json.Unmarshal([]byte(res.body), &body); err != nil {
		t.Fatalf("error body: %v\n%s", err, res.body)
	}
	return body.Error
}
