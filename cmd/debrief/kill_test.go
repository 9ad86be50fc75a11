package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/smtptest"
	"github.com/debrief-oss/debrief/notify"
	"github.com/debrief-oss/debrief/sqlstore"
)

// TestMain lets a test start this test binary as the debrief command: with
// DEBRIEF_TEST_MAIN set it runs the command line it was given, so a test
// can run `debrief serve` as a process of its own and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("DEBRIEF_TEST_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// acks counts the webhook calls the receiver acknowledged (answered 2xx),
// by delivery key.
type acks struct {
	mu      sync.Mutex
	hooks   map[string]int
	holdOne bool
	holding chan struct{}
}

func (a *acks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if notify.Verify("kill-test-secret", r.Header, body, time.Hour, time.Now()) != nil {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	a.mu.Lock()
	hold := a.holdOne
	a.holdOne = false
	a.mu.Unlock()
	if hold {
		// Keep this call open until the server is killed: the call was
		// never acknowledged, so it must be made again.
		a.holding <- struct{}{}
		<-r.Context().Done()
		return
	}
	a.mu.Lock()
	a.hooks[r.Header.Get(notify.HeaderDelivery)]++
	a.mu.Unlock()
}

// TestServeKilledMidDeliveryNotifiesOnce runs `debrief serve` as a process
// with overdue action items, kills it (SIGKILL) while a webhook call is in
// flight, and starts it again on the same database: in the end every step
// of every item made exactly one acknowledged webhook call and sent
// exactly one accepted e-mail.
func TestServeKilledMidDeliveryNotifiesOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("starts debrief serve twice")
	}
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "debrief.db")
	const items = 4
	seedOverdueItems(t, dbPath, items)

	a := &acks{hooks: map[string]int{}, holdOne: true, holding: make(chan struct{}, 1)}
	hooks := httptest.NewServer(a)
	defer hooks.Close()
	mail := smtptest.Start(t)
	mailAddr := mail.Addr

	cfg := filepath.Join(dir, "actions.yaml")
	writeFile(t, cfg, fmt.Sprintf(`
escalation:
  routes: {overdue: [hooks, mail], escalated: [hooks, mail]}
teams:
  queues: {lead: lee, members: [dana]}
channels:
  hooks: {type: webhook, url: %q, secret_env: KILL_TEST_HOOK_SECRET}
  mail: {type: email, addr: %q, from: debrief@example.test, tls: none}
`, hooks.URL, mailAddr))

	first := startServeProcess(t, dbPath, cfg)
	select {
	case <-a.holding:
	case <-time.After(60 * time.Second):
		t.Fatal("the server sent no webhook call within a minute")
	}
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()

	second := startServeProcess(t, dbPath, cfg)
	defer func() {
		_ = second.Process.Signal(syscall.SIGKILL)
		_ = second.Wait()
	}()
	want := 2 * items // two steps an item, each to both channels
	deadline := time.Now().Add(90 * time.Second)
	for {
		a.mu.Lock()
		done := len(a.hooks) == want && len(mail.ByID()) == want
		a.mu.Unlock()
		if done || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	// Give a duplicate, were one coming, the time to arrive.
	time.Sleep(3 * time.Second)

	a.mu.Lock()
	defer a.mu.Unlock()
	mails := mail.ByID()
	if len(a.hooks) != want || len(mails) != want {
		t.Fatalf("%d webhook keys and %d e-mails acknowledged; want %d of each",
			len(a.hooks), len(mails), want)
	}
	for k, n := range a.hooks {
		if n != 1 {
			t.Errorf("webhook %s acknowledged %d times", k, n)
		}
	}
	for k, n := range mails {
		if n != 1 {
			t.Errorf("e-mail %s accepted %d times", k, n)
		}
	}
}

// seedOverdueItems writes a report with overdue items owned by dana, whose
// lead is lee, both with e-mail addresses.
func seedOverdueItems(t *testing.T, path string, items int) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, u := range []debrief.User{
		{Name: "dana", Role: debrief.AccessContributor, Email: "dana@example.test"},
		{Name: "lee", Role: debrief.AccessFacilitator, Email: "lee@example.test"},
	} {
		if err := db.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
	}
	p := &debrief.Postmortem{ID: "pm-kill", Title: "Queue backlog",
		Status:   debrief.StatusFinal,
		Incident: debrief.Incident{ID: "inc-kill", Title: "Queue backlog"}}
	for i := 1; i <= items; i++ {
		p.ActionItems = append(p.ActionItems, debrief.ActionItem{Number: i,
			Description: fmt.Sprintf("Fix part %d", i), Owner: "dana", Due: "2020-01-10"})
	}
	if err := db.SavePostmortem(ctx, p); err != nil {
		t.Fatal(err)
	}
}

// startServeProcess starts this test binary as `debrief serve` on the
// database, escalating every second with a two-second delivery lease.
func startServeProcess(t *testing.T, dbPath, actions string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self, "--db", dbPath, "serve", "--addr", "127.0.0.1:0",
		"--actions", actions, "--escalate-every", "1s", "--delivery-lease", "2s")
	cmd.Env = append(os.Environ(), "DEBRIEF_TEST_MAIN=1",
		"KILL_TEST_HOOK_SECRET=kill-test-secret")
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if testing.Verbose() {
		cmd.Stderr = os.Stderr
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}
