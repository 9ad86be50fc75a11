package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
	"github.com/debrief-oss/debrief/sqlstore"
	"github.com/debrief-oss/debrief/web"
)

// password is every test user's password.
const password = "correct horse battery staple"

// app is a running debrief: its store and its address on loopback.
type app struct {
	store *sqlstore.DB
	url   string
}

// eachStore runs the test on SQLite and, when DEBRIEF_TEST_POSTGRES names
// a database, on PostgreSQL in a schema of its own. With
// DEBRIEF_REQUIRE_POSTGRES set, a missing PostgreSQL fails the test.
func eachStore(t *testing.T, test func(t *testing.T, a *app)) {
	t.Run("sqlite", func(t *testing.T) {
		test(t, startApp(t, filepath.Join(t.TempDir(), "debrief.db")))
	})
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("DEBRIEF_TEST_POSTGRES")
		if base == "" {
			if os.Getenv("DEBRIEF_REQUIRE_POSTGRES") != "" {
				t.Fatal("DEBRIEF_REQUIRE_POSTGRES is set but DEBRIEF_TEST_POSTGRES is empty")
			}
			t.Skip("DEBRIEF_TEST_POSTGRES is not set")
		}
		dsn, drop, err := sqlstore.NewTestSchema(context.Background(), base)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if !t.Failed() {
				_ = drop(context.Background())
			}
		})
		test(t, startApp(t, dsn))
	})
}

// startApp serves debrief over a fresh store at dsn on 127.0.0.1 with one
// user per role, named after the role.
func startApp(t *testing.T, dsn string) *app {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range debrief.AccessRoles {
		u := &debrief.User{Name: string(role), Role: role, PasswordHash: hash}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatalf("create user %s: %v", role, err)
		}
	}
	srv, err := web.NewServer(db, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &app{store: db, url: ts.URL}
}

// chromium finds the browser, or skips the test saying how to install it.
// With DEBRIEF_REQUIRE_BROWSER set, a missing browser fails the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	msg := "browser tests skipped: Chromium is not installed (apt-get install -y chromium)"
	if os.Getenv("DEBRIEF_REQUIRE_BROWSER") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// tab is one browser window with its own profile, so two tabs are two
// people with their own sessions. It records JavaScript dialogs and
// exceptions: a report's text must never run script.
type tab struct {
	t   *testing.T
	ctx context.Context
	app *app

	mu      sync.Mutex
	dialogs []string
	errors  []string
}

// newTab starts a headless Chromium with a fresh profile.
func newTab(t *testing.T, a *app) *tab {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.WindowSize(1280, 1024),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })

	tb := &tab{t: t, ctx: ctx, app: a}
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			tb.mu.Lock()
			tb.dialogs = append(tb.dialogs, ev.Message)
			tb.mu.Unlock()
			go tb.dismissDialog()
		case *runtime.EventExceptionThrown:
			tb.mu.Lock()
			tb.errors = append(tb.errors, ev.ExceptionDetails.Text)
			tb.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatalf("listen to chromium: %v", err)
	}
	return tb
}

// dismissDialog closes a JavaScript dialog, which would block the page.
func (tb *tab) dismissDialog() {
	_, _ = chromedp.Call(tb.ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{})
}

// run performs browser actions and fails the test, with a screenshot
// saved for inspection, when one does not succeed.
func (tb *tab) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.fail(what, err)
	}
}

// fail stops the test with what the tab shows, for the reader of the log.
func (tb *tab) fail(what string, err error) {
	tb.t.Helper()
	loc, _ := chromedp.Run(tb.ctx, chromedp.Location())
	html, _ := chromedp.Run(tb.ctx, chromedp.OuterHTML(chromedp.CSS("main")))
	tb.t.Fatalf("%s: %v\nat %s\n%s", what, err, loc, truncate(html, 4000))
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// open loads a path of the app.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.run("open "+path, chromedp.Navigate(tb.app.url+path))
}

// text returns the visible text of the first element matching sel.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		tb.fail("read "+sel, err)
	}
	return s
}

// location returns the path and query the tab shows.
func (tb *tab) location() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.fail("read location", err)
	}
	return strings.TrimPrefix(loc, tb.app.url)
}

// noScriptRan fails the test when any dialog opened or script threw.
func (tb *tab) noScriptRan() {
	tb.t.Helper()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	if len(tb.dialogs) > 0 {
		tb.t.Errorf("JavaScript dialogs opened: %q", tb.dialogs)
	}
	if len(tb.errors) > 0 {
		tb.t.Errorf("JavaScript exceptions: %q", tb.errors)
	}
}

// unlabelledInputs returns a description of every visible form control on
// the page that has no label: no <label>, aria-label or aria-labelledby.
func (tb *tab) unlabelledInputs() []string {
	tb.t.Helper()
	bad, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll(
		'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea'))
		.filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
			&& !el.getAttribute('aria-labelledby'))
		.map(el => el.outerHTML.slice(0, 120))`))
	if err != nil {
		tb.fail("check labels", err)
	}
	return bad
}

func (tb *tab) String() string { return fmt.Sprintf("tab on %s", tb.app.url) }
