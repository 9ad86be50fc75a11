package escalation_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/escalation"
	"github.com/debrief-oss/debrief/internal/smtptest"
	"github.com/debrief-oss/debrief/notify"
	"github.com/debrief-oss/debrief/sqlstore"
)

// hookReceiver counts the webhook calls it acknowledged, by delivery key.
// While hold is set it keeps a request open until the sender goes away,
// as a receiver does when the sender is killed mid-call.
type hookReceiver struct {
	mu      sync.Mutex
	acked   map[string]int
	hold    bool
	holding chan struct{}
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if err := notify.Verify("hook-secret", r.Header, body, time.Hour, time.Now()); err != nil {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	h.mu.Lock()
	hold := h.hold
	h.mu.Unlock()
	if hold {
		h.holding <- struct{}{}
		<-r.Context().Done() // the sender died; nothing was acknowledged
		return
	}
	h.mu.Lock()
	h.acked[r.Header.Get("X-Debrief-Delivery")]++
	h.mu.Unlock()
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// TestEachStepNotifiesOnceAcrossACrash: overdue items reach both steps;
// the first server dies in the middle of a webhook call; a second server
// on the same database finishes the work. Every step made exactly one
// acknowledged webhook call and one accepted e-mail per item.
func TestEachStepNotifiesOnceAcrossACrash(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)}
	db := openStore(t, clk)

	addUsers(t, db,
		debrief.User{Name: "dana", Role: debrief.AccessContributor, Email: "dana@example.test"},
		debrief.User{Name: "lee", Role: debrief.AccessFacilitator, Email: "lee@example.test"},
	)
	const items = 5
	p := &debrief.Postmortem{ID: "pm-1", Title: "Queue backlog", Status: debrief.StatusFinal,
		Incident: debrief.Incident{ID: "inc-1", Title: "Queue backlog"}}
	for i := 1; i <= items; i++ {
		p.ActionItems = append(p.ActionItems, debrief.ActionItem{Number: i,
			Description: "Fix " + strings.Repeat("x", i), Owner: "dana", Due: "2026-03-10",
			Status: debrief.ActionOpen})
	}
	// Done items are not chased.
	p.ActionItems = append(p.ActionItems, debrief.ActionItem{Number: 99,
		Description: "Already done", Owner: "dana", Due: "2026-03-01",
		Status: debrief.ActionDone})
	if err := db.SavePostmortem(ctx, p); err != nil {
		t.Fatal(err)
	}

	box := smtptest.Start(t)
	smtpAddr := box.Addr
	hooks := &hookReceiver{acked: map[string]int{}, holding: make(chan struct{})}
	web := httptest.NewServer(hooks)
	defer web.Close()

	cfg, err := escalation.Parse([]byte(`
escalation:
  routes:
    overdue: [mail, hooks]
    escalated: [mail, hooks]
teams:
  queues:
    lead: lee
    members: [dana]
`), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	channels := map[string]notify.Channel{
		"mail": &notify.Mailer{Name: "mail", Addr: smtpAddr, From: "debrief@example.test",
			Timeout: 5 * time.Second, TLS: notify.TLSNone},
		"hooks": &notify.Webhook{Name: "hooks", URL: web.URL, Secret: "hook-secret",
			Format: notify.FormatJSON},
	}
	runner := func() *escalation.Runner {
		return &escalation.Runner{Store: db, Config: cfg, Channels: channels, Now: clk.now,
			Lease: time.Minute, Retry: notify.RetryPolicy{First: time.Second, Max: time.Second}}
	}

	// The first server takes the steps (2 steps × 5 items), then dies in
	// the middle of a webhook call.
	first := runner()
	taken, err := first.Scan(ctx)
	if err != nil || taken != 2*items {
		t.Fatalf("first scan took %d steps, %v; want %d", taken, err, 2*items)
	}
	if again, _ := first.Scan(ctx); again != 0 {
		t.Fatalf("a second scan took %d steps again", again)
	}
	hooks.mu.Lock()
	hooks.hold = true
	hooks.mu.Unlock()
	crashCtx, crash := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = first.DeliverDue(crashCtx)
	}()
	<-hooks.holding
	crash()
	<-done
	hooks.mu.Lock()
	hooks.hold = false
	hooks.mu.Unlock()

	// A second server starts on the same database once the lease of the
	// interrupted delivery has run out, and finishes everything.
	clk.advance(2 * time.Minute)
	second := runner()
	if n, _ := second.Scan(ctx); n != 0 {
		t.Fatalf("the restarted server took %d steps again", n)
	}
	if _, err := second.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}

	hooks.mu.Lock()
	defer hooks.mu.Unlock()
	byID := box.ByID()
	if len(hooks.acked) != 2*items || len(byID) != 2*items {
		t.Fatalf("%d webhook deliveries and %d e-mails; want %d of each",
			len(hooks.acked), len(byID), 2*items)
	}
	for key, n := range hooks.acked {
		if n != 1 {
			t.Errorf("webhook %s acknowledged %d times", key, n)
		}
	}
	for id, n := range byID {
		if n != 1 {
			t.Errorf("e-mail %s accepted %d times", id, n)
		}
	}
	lead := 0
	for _, m := range box.Accepted() {
		for _, to := range m.To {
			if to == "lee@example.test" {
				lead++
			}
		}
	}
	if lead != items {
		t.Errorf("the team lead got %d e-mails, want one per item (%d)", lead, items)
	}

	// Every notification is in the item's history.
	evs, err := db.ActionEvents(ctx, debrief.ActionRef{PostmortemID: "pm-1", Number: 1})
	if err != nil {
		t.Fatal(err)
	}
	var notified, steps int
	for _, e := range evs {
		switch e.Kind {
		case debrief.ActionEventNotified:
			notified++
		case debrief.ActionEventStep:
			steps++
		}
	}
	if steps != 2 || notified != 4 {
		t.Errorf("history has %d steps and %d notifications, want 2 and 4: %+v",
			steps, notified, evs)
	}
}

// TestStalledAndRecheck: an item untouched for two weeks is marked stalled
// once; a verified item followed by an incident on the same service and
// category is flagged for review once, naming the incident.
func TestStalledAndRecheck(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	db := openStore(t, clk)
	started := clk.now().Add(-48 * time.Hour)
	p := &debrief.Postmortem{ID: "pm-1", Title: "Disk full", Status: debrief.StatusFinal,
		Incident: debrief.Incident{ID: "inc-1", Title: "Disk full", StartedAt: started,
			Services: []string{"postgres"}, Category: debrief.CategoryAvailability},
		ActionItems: []debrief.ActionItem{
			{Number: 1, Description: "Alert at 80% disk", Owner: "dana"},
			{Number: 2, Description: "Grow the volume", Owner: "dana"},
		}}
	if err := db.SavePostmortem(ctx, p); err != nil {
		t.Fatal(err)
	}
	// Item 2 is verified now.
	ref := debrief.ActionRef{PostmortemID: "pm-1", Number: 2}
	item := p.ActionItems[1]
	item.Status = debrief.ActionDone
	item.Apply(debrief.ActionMove{To: debrief.ActionVerified, Closure: &debrief.Closure{
		Implemented: true, Tested: true, Documented: true, Result: "grown",
		Evidence: "https://x.test/e"}}, "dana", clk.now())
	if err := db.MoveActionItem(ctx, ref, debrief.ActionOpen, &item, debrief.ActionEvent{
		Ref: ref, At: clk.now(), Kind: debrief.ActionEventStatus}); err != nil {
		t.Fatal(err)
	}

	cfg := escalation.Default()
	r := &escalation.Runner{Store: db, Config: cfg, Now: clk.now}
	clk.advance(15 * 24 * time.Hour)
	if n, err := r.Scan(ctx); err != nil || n != 1 {
		t.Fatalf("after 15 days: %d steps, %v; want item 1 stalled", n, err)
	}
	stalled, _ := db.ActionItems(ctx, debrief.ActionFilter{Stalled: true})
	if len(stalled) != 1 || stalled[0].Ref.Number != 1 {
		t.Fatalf("stalled: %+v", stalled)
	}

	// A later incident on postgres, capacity: item 2 is flagged, once.
	q := &debrief.Postmortem{ID: "pm-2", Title: "Disk full again", Incident: debrief.Incident{
		ID: "inc-2", Title: "Disk full again", StartedAt: clk.now(),
		Services: []string{"Postgres"}, Category: debrief.CategoryAvailability}}
	if err := db.SavePostmortem(ctx, q); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{1, 0} {
		if n, err := r.Scan(ctx); err != nil || n != want {
			t.Fatalf("scan %d: %d steps, %v; want %d", i, n, err, want)
		}
	}
	got, _ := db.Postmortem(ctx, "pm-1")
	if got.ActionItems[1].Recheck != "inc-2" || got.ActionItems[0].Recheck != "" {
		t.Fatalf("recheck flags: %q, %q", got.ActionItems[0].Recheck, got.ActionItems[1].Recheck)
	}
}

// recorder is a channel that keeps what it was asked to send.
type recorder struct {
	mu   sync.Mutex
	sent []notify.Message
	to   [][]string
}

func (c *recorder) Send(_ context.Context, m notify.Message, to []string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sent = append(c.sent, m)
	c.to = append(c.to, to)
	return nil
}

// mailRecorder is a recorder that writes to people, as e-mail does.
type mailRecorder struct{ rec *recorder }

func (m mailRecorder) Personal() bool { return true }

// TestEscalationKeepsPrivacyAndWaitsForRoutes: a step with nobody to tell
// waits for notifications to be configured; a restricted report's words
// go only to people who may read it, by e-mail; channels get only a link;
// a later incident of a restricted report is not named.
func TestEscalationKeepsPrivacyAndWaitsForRoutes(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)}
	db := openStore(t, clk)
	addUsers(t, db,
		debrief.User{Name: "dana", Role: debrief.AccessContributor, Email: "dana@example.test"},
		debrief.User{Name: "lee", Role: debrief.AccessContributor, Email: "lee@example.test"},
	)
	secret := &debrief.Postmortem{ID: "pm-secret", Title: "SECRET merger outage",
		Visibility: debrief.VisibilityRestricted, Authors: []string{"dana"},
		Incident: debrief.Incident{ID: "inc-secret", Title: "x"},
		ActionItems: []debrief.ActionItem{{Number: 1, Description: "SECRET fix",
			Owner: "dana", Due: "2026-03-01"}}}
	if err := db.SavePostmortem(ctx, secret); err != nil {
		t.Fatal(err)
	}

	// No routes: nothing is taken, so nothing is lost.
	r := &escalation.Runner{Store: db, Config: escalation.Default(), Now: clk.now}
	if n, err := r.Scan(ctx); err != nil || n != 0 {
		t.Fatalf("scan without routes took %d steps, %v", n, err)
	}

	cfg, err := escalation.Parse([]byte(`
escalation:
  routes: {overdue: [mail, hooks], escalated: [mail, hooks]}
teams:
  ops: {lead: lee, members: [dana]}
`), "t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mail, hooks := &recorder{}, &recorder{}
	r = &escalation.Runner{Store: db, Config: cfg, Now: clk.now,
		Channels: map[string]notify.Channel{"hooks": hooks,
			"mail": mailRecorder{rec: mail}}}
	if n, err := r.Scan(ctx); err != nil || n != 2 {
		t.Fatalf("scan with routes took %d steps, %v; want both", n, err)
	}
	if _, err := r.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	for _, m := range hooks.sent {
		if strings.Contains(m.Subject+m.Text+m.Item.Description+m.Item.PostmortemTitle,
			"SECRET") {
			t.Errorf("a channel was told a restricted report's words: %+v", m)
		}
	}
	if len(hooks.sent) != 2 {
		t.Errorf("channel messages: %d, want 2", len(hooks.sent))
	}
	for _, to := range mail.to {
		for _, addr := range to {
			if addr == "lee@example.test" {
				t.Errorf("the lead, who may not read the report, was e-mailed")
			}
		}
	}
	if len(mail.sent) != 1 {
		t.Errorf("e-mails: %d, want 1 (to dana, the owner; the lead's step has no reader)",
			len(mail.sent))
	}
}

func (m mailRecorder) Send(ctx context.Context, msg notify.Message, to []string) error {
	return m.rec.Send(ctx, msg, to)
}

func TestRecheckDoesNotNameARestrictedIncident(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	db := openStore(t, clk)
	p := &debrief.Postmortem{ID: "pm-1", Title: "Cache", Status: debrief.StatusFinal,
		Incident: debrief.Incident{ID: "inc-1", Title: "Cache", StartedAt: clk.now(),
			Services: []string{"cache"}, Category: debrief.CategoryPerformance},
		ActionItems: []debrief.ActionItem{{Number: 1, Description: "Warm the cache",
			Owner: "dana", Status: debrief.ActionDone}}}
	if err := db.SavePostmortem(ctx, p); err != nil {
		t.Fatal(err)
	}
	ref := debrief.ActionRef{PostmortemID: "pm-1", Number: 1}
	item := p.ActionItems[0]
	clk.advance(time.Hour)
	item.Apply(debrief.ActionMove{To: debrief.ActionVerified, Closure: &debrief.Closure{
		Implemented: true, Tested: true, Documented: true, Result: "warm",
		Evidence: "https://x.test/e"}}, "dana", clk.now())
	if err := db.MoveActionItem(ctx, ref, debrief.ActionDone, &item, debrief.ActionEvent{
		Ref: ref, At: clk.now(), Kind: debrief.ActionEventStatus}); err != nil {
		t.Fatal(err)
	}
	clk.advance(time.Hour)
	hidden := &debrief.Postmortem{ID: "pm-ceo", Title: "CEO cache",
		Visibility: debrief.VisibilityRestricted,
		Incident: debrief.Incident{ID: "inc-ceo-cache",
			Title: "x", StartedAt: clk.now(), Services: []string{"cache"},
			Category: debrief.CategoryPerformance}}
	if err := db.SavePostmortem(ctx, hidden); err != nil {
		t.Fatal(err)
	}
	r := &escalation.Runner{Store: db, Config: escalation.Default(), Now: clk.now}
	if n, err := r.Scan(ctx); err != nil || n != 1 {
		t.Fatalf("scan: %d, %v", n, err)
	}
	got, _ := db.Postmortem(ctx, "pm-1")
	if got.ActionItems[0].Recheck != debrief.RecheckRestricted {
		t.Fatalf("recheck mark %q", got.ActionItems[0].Recheck)
	}
	evs, _ := db.ActionEvents(ctx, ref)
	for _, e := range evs {
		if strings.Contains(e.Note+e.Link, "inc-ceo-cache") {
			t.Fatalf("the history names the restricted incident: %+v", e)
		}
	}
}

// TestRestrictingAReportReachesQueuedNotifications: a report made
// restricted after its notifications were queued sends no words to
// channels and no e-mail to people who may no longer read it.
func TestRestrictingAReportReachesQueuedNotifications(t *testing.T) {
	ctx := context.Background()
	clk := &clock{t: time.Date(2026, 3, 20, 9, 0, 0, 0, time.UTC)}
	db := openStore(t, clk)
	u := debrief.User{Name: "carl", Role: debrief.AccessContributor, Email: "carl@x.test"}
	if err := db.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	p := &debrief.Postmortem{ID: "pm-vis", Title: "Merger outage",
		Incident: debrief.Incident{ID: "inc-vis", Title: "x"},
		ActionItems: []debrief.ActionItem{{Number: 1, Description: "Merger fix",
			Owner: "carl", Due: "2026-03-01"}}}
	if err := db.SavePostmortem(ctx, p); err != nil {
		t.Fatal(err)
	}
	cfg, err := escalation.Parse([]byte("escalation:\n  routes: {overdue: [mail, hooks]}\n"),
		"t.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mail, hooks := &recorder{}, &recorder{}
	r := &escalation.Runner{Store: db, Config: cfg, Now: clk.now,
		Channels: map[string]notify.Channel{"hooks": hooks, "mail": mailRecorder{rec: mail}}}
	if n, err := r.Scan(ctx); err != nil || n != 1 {
		t.Fatalf("scan: %d, %v", n, err)
	}
	// Restricted to its author, who is not carl, before anything is sent.
	stored, _ := db.Postmortem(ctx, "pm-vis")
	stored.Visibility, stored.Authors = debrief.VisibilityRestricted, []string{"fay"}
	if err := db.SavePostmortem(ctx, stored); err != nil {
		t.Fatal(err)
	}
	if _, err := r.DeliverDue(ctx); err != nil {
		t.Fatal(err)
	}
	if len(mail.sent) != 0 {
		t.Errorf("carl was e-mailed about a report he may no longer read")
	}
	for _, m := range hooks.sent {
		if strings.Contains(m.Subject+m.Text+m.Item.Description, "Merger") {
			t.Errorf("a channel was told a restricted report's words: %+v", m)
		}
	}
	if len(hooks.sent) != 1 {
		t.Errorf("channel messages: %d, want 1 (without the words)", len(hooks.sent))
	}
}

// openStore opens a SQLite store on the test's clock, closed at its end.
func openStore(t *testing.T, clk *clock) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"),
		sqlstore.WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

// addUsers adds people to the store.
func addUsers(t *testing.T, db *sqlstore.DB, users ...debrief.User) {
	t.Helper()
	for _, u := range users {
		if err := db.CreateUser(context.Background(), &u); err != nil {
			t.Fatal(err)
		}
	}
}
