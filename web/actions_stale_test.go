package web

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// moveFormOf returns what a browser sends with the item page's form of
// that id ("move-done", "move-verified"), with the inputs set.
func moveFormOf(t *testing.T, page, id string, set map[string]string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	form := findElement(doc, func(n *html.Node) bool {
		return n.Data == "form" && attr(n, "id") == id
	})
	if form == nil {
		t.Fatalf("no form %q on the page:\n%s", id, page)
	}
	vals := url.Values{}
	walk(form, func(n *html.Node) {
		name := attr(n, "name")
		if n.Type != html.ElementNode || name == "" || name == "csrf_token" {
			return
		}
		switch n.Data {
		case "input":
			if attr(n, "type") == "checkbox" && !hasAttr(n, "checked") {
				return
			}
			vals.Set(name, attr(n, "value"))
		case "textarea":
			vals.Set(name, textOf(n))
		}
	})
	return change(vals, set)
}

// statusOf reads an item's status from the store.
func (e *actionEnv) statusOf(number int) debrief.ActionStatus {
	e.t.Helper()
	v, err := e.flow.Action(context.Background(), debrief.Actor{Name: "root",
		Role: debrief.AccessAdmin}, debrief.ActionRef{PostmortemID: "replica-lag",
		Number: number})
	if err != nil {
		e.t.Fatal(err)
	}
	return v.Item.Status
}

// TestActionItemStaleForm: a form sent from a page opened before someone
// else moved the item is refused (409) even when the item is back in the
// status the page showed, and what the person typed is kept: in the form
// when the page still offers that move, which then carries the item as it
// is now and may be sent again, or above the forms when it does not.
func TestActionItemStaleForm(t *testing.T) {
	clock := &testClock{t: actionsNow}
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "d.db"),
		sqlstore.WithClock(clock.now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	e := newActionEnvAt(t, db, clock.now)
	cleo := e.as("cleo", debrief.AccessContributor)
	root := e.as("root", debrief.AccessAdmin)
	// move sends a form of the page as it is now, a minute later.
	move := func(b *browser, item, id string, set map[string]string) {
		t.Helper()
		clock.advance(time.Minute)
		form := moveFormOf(t, b.fetch(item).body, id, set)
		if res, body := b.post(item+"/move", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s %s: status %d\n%s", item, id, res.StatusCode, body)
		}
	}

	// Cleo's tab shows her item done; meanwhile it is reopened and done again.
	move(cleo, lagItem, "move-done", nil)
	tab := cleo.fetch(lagItem).body
	move(root, lagItem, "move-open", map[string]string{"reason": "the alert did not fire"})
	move(root, lagItem, "move-done", nil)

	typed := map[string]string{"implemented": "1", "tested": "1", "documented": "1",
		"result":   "Paused replication in staging: paged in 40 s",
		"evidence": "https://grafana.example/d/lag"}
	clock.advance(time.Minute)
	res, body := cleo.post(lagItem+"/move", moveFormOf(t, tab, "move-verified", typed))
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("verifying from a stale page: status %d, want 409\n%s", res.StatusCode, body)
	}
	if st := e.statusOf(1); st != debrief.ActionDone {
		t.Fatalf("the stale form moved the item to %s", st)
	}
	assertContains(t, "stale verification", body,
		"Someone changed this item since the page was opened",
		`name="implemented" value="1" checked`, `name="documented" value="1" checked`,
		">Paused replication in staging: paged in 40 s</textarea>",
		`value="https://grafana.example/d/lag"`)
	// The refusal's page is the item as it is now: its form goes through.
	res, body = cleo.post(lagItem+"/move", moveFormOf(t, body, "move-verified", nil))
	if res.StatusCode != http.StatusSeeOther || e.statusOf(1) != debrief.ActionVerified {
		t.Fatalf("verifying again from the refusal's page: status %d\n%s", res.StatusCode,
			body)
	}

	// A reason typed into a form the page still offers stays in it.
	runbook := "/postmortems/replica-lag/actions/2"
	tab = cleo.fetch(runbook).body
	move(root, runbook, "move-blocked", map[string]string{"reason": "no staging cluster"})
	move(root, runbook, "move-in_progress", nil)
	res, body = cleo.post(runbook+"/move", moveFormOf(t, tab, "move-blocked",
		map[string]string{"reason": "waiting for the DBA review"}))
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("blocking from a stale page: status %d, want 409", res.StatusCode)
	}
	assertContains(t, "stale block", body,
		">waiting for the DBA review</textarea>", "Someone changed this item")

	// A move the page no longer offers keeps its words above the forms.
	slots := "/postmortems/replica-lag/actions/5"
	tab = cleo.fetch(slots).body
	move(root, slots, "move-open", map[string]string{"reason": "lag is back"})
	res, body = cleo.post(slots+"/move", moveFormOf(t, tab, "move-open",
		map[string]string{"reason": "INC-7 was the same slot limit"}))
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("reopening from a stale page: status %d, want 409", res.StatusCode)
	}
	assertContains(t, "stale reopen", body, "INC-7 was the same slot limit")
	assertNotContains(t, "stale reopen", body, `id="move-open"`)
}
