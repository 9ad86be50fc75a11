package web

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/debrief-oss/debrief"
)

func TestSecurityHeaders(t *testing.T) {
	ts, b := readerServer(t, openStore(t, fullReport()))
	headers := map[string]http.Header{}
	for _, path := range []string{"/", "/postmortems/pm-2024-031", "/search?q=x", "/nope",
		"/account"} {
		headers[path] = b.fetch(path).header
	}
	for _, path := range []string{"/login", "/healthz", "/postmortems/x"} {
		headers["anonymous "+path] = get(t, ts, path).header
	}
	for path, h := range headers {
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'",
			"default-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: CSP allows inline code: %q", path, csp)
		}
		checks := map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "same-origin",
			"X-Frame-Options":        "DENY",
		}
		for k, v := range checks {
			if got := h.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", path, k, got, v)
			}
		}
	}
}

func TestRequestID(t *testing.T) {
	ts := testServer(t, openStore(t))
	send := func(id string) string {
		req, _ := http.NewRequest("GET", ts.URL+"/healthz", nil)
		if id != "" {
			req.Header.Set("X-Request-ID", id)
		}
		res, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.Header.Get("X-Request-ID")
	}

	if got := send(""); !regexp.MustCompile(`^[0-9a-f]{16}$`).MatchString(got) {
		t.Errorf("generated id = %q, want 16 hex digits", got)
	}
	if got := send("edge-42.abc"); got != "edge-42.abc" {
		t.Errorf("proxy id = %q, want it kept", got)
	}
	if got := send("bad id\twith <html>"); strings.Contains(got, " ") || got == "" {
		t.Errorf("unsafe id kept as %q", got)
	}
}

func TestStaticFiles(t *testing.T) {
	ts, b := readerServer(t, openStore(t))
	page := b.fetch("/").body
	css := regexp.MustCompile(`href="(/static/style\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(page)
	js := regexp.MustCompile(`src="(/static/app\.[0-9a-f]{10}\.js)"`).FindStringSubmatch(page)
	if css == nil || js == nil {
		t.Fatalf("page links no hashed static files:\n%s", page)
	}

	tests := []struct {
		path, ctype, cache string
		status             int
	}{
		{css[1], "text/css; charset=utf-8", "public, max-age=31536000, immutable", 200},
		{js[1], "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", 200},
		{"/static/style.css", "text/html; charset=utf-8", "", 404},
		{"/static/style.0000000000.css", "text/html; charset=utf-8", "", 404},
	}
	for _, tt := range tests {
		res := get(t, ts, tt.path) // static files need no sign-in
		if res.status != tt.status || res.header.Get("Content-Type") != tt.ctype ||
			res.header.Get("Cache-Control") != tt.cache {
			t.Errorf("%s: got %d %q %q, want %d %q %q", tt.path, res.status,
				res.header.Get("Content-Type"), res.header.Get("Cache-Control"),
				tt.status, tt.ctype, tt.cache)
		}
	}
}

func TestUnknownRoutes(t *testing.T) {
	_, b := readerServer(t, openStore(t))
	if res := b.fetch("/no/such/page"); res.status != 404 ||
		!strings.Contains(res.body, "There is no page at this address.") {
		t.Errorf("unknown path: %d", res.status)
	}
	if res, _ := b.post("/postmortems/x", nil); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST report: %d, want 405", res.StatusCode)
	}
}

// TestServerErrorIsGenericAndLoggedOnce: a store failure reaches the log
// once, with the request id, and the client sees neither the cause nor the
// query it searched for.
func TestServerErrorIsGenericAndLoggedOnce(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	store := &faultyStore{Store: openStore(t), err: errStoreDown}
	srv, err := NewServer(store, logger)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	b := signIn(t, ts, store, debrief.AccessViewer)

	for _, path := range []string{"/", "/postmortems/pm-1", "/search?q=private+words"} {
		logs.Reset()
		res := b.fetch(path)
		if res.status != http.StatusInternalServerError {
			t.Fatalf("%s: status %d, want 500", path, res.status)
		}
		id := res.header.Get("X-Request-ID")
		assertContains(t, path, res.body, "Something went wrong on our side.", id)
		assertNotContains(t, path, res.body, "secret internal detail", "database is locked")

		lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
		if len(lines) != 1 {
			t.Fatalf("%s: %d log lines, want 1:\n%s", path, len(lines), logs.String())
		}
		var entry map[string]any
		if err := json.Unmarshal([]byte(lines[0]), &entry); err != nil {
			t.Fatal(err)
		}
		if entry["level"] != "ERROR" || entry["request_id"] != id || entry["status"] != 500.0 {
			t.Errorf("%s: log entry %v", path, entry)
		}
		if strings.Contains(lines[0], "private") {
			t.Errorf("%s: search words reached the log: %s", path, lines[0])
		}
	}
}

func TestTemplatesRefuseToStartIncomplete(t *testing.T) {
	full := fstest.MapFS{}
	_ = fs.WalkDir(templatesDir(), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := fs.ReadFile(templatesDir(), p)
			full[p] = &fstest.MapFile{Data: b}
		}
		return nil
	})
	funcs := (&Server{static: &staticFiles{}, markdown: newMarkdownRenderer()}).templateFuncs()
	if _, err := parseTemplates(full, funcs); err != nil {
		t.Fatalf("complete templates: %v", err)
	}

	tests := map[string]func(fstest.MapFS){
		"missing page":   func(m fstest.MapFS) { delete(m, "pages/report.html") },
		"missing layout": func(m fstest.MapFS) { delete(m, "layout.html") },
		"no content block": func(m fstest.MapFS) {
			m["pages/search.html"] = &fstest.MapFile{Data: []byte(`{{define "title"}}x{{end}}`)}
		},
		"syntax error": func(m fstest.MapFS) {
			m["pages/list.html"] = &fstest.MapFile{Data: []byte(`{{define "content"}}{{if}}`)}
		},
	}
	for name, breakIt := range tests {
		t.Run(name, func(t *testing.T) {
			m := fstest.MapFS{}
			for k, v := range full {
				m[k] = v
			}
			breakIt(m)
			if _, err := parseTemplates(m, funcs); err == nil {
				t.Error("parseTemplates accepted broken templates")
			}
		})
	}
}
