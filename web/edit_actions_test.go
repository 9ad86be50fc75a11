package web

import (
	"net/http"
	"testing"

	"github.com/debrief-oss/debrief"
)

// TestActionEditorShowsStatusAsText: an item's status changes only on
// its own page, so the action items editor shows a saved item's status as
// text with a link there, and offers no status for a new row. A status
// posted anyway is not taken: saved items keep theirs, new ones start
// open.
func TestActionEditorShowsStatusAsText(t *testing.T) {
	ts, store := editorServer(t, draftReport())
	b := signIn(t, ts, store, debrief.AccessContributor)
	path := sectionURL("pm-2024-031", "action_items")

	res, page := b.get(path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d\n%s", res.StatusCode, page)
	}
	assertContains(t, "action items editor", page,
		`<span class="action-status action-in_progress">In progress</span>`,
		`<span class="action-status action-blocked">Blocked</span>: `+
			`Waiting for metrics exporter`,
		`<a href="/postmortems/pm-2024-031/actions/1">change it on the item's page</a>`,
		`<a href="/postmortems/pm-2024-031/actions/2">change it on the item's page</a>`,
		"A new action item starts open")
	for _, name := range []string{"status", "blocked_reason"} {
		for _, row := range []string{"0", "1", "2", "3"} {
			assertNotContains(t, "action items editor", page,
				`name="action_items[`+row+`].`+name+`"`)
		}
	}

	form := change(formValues(t, page, path), map[string]string{
		"action_items[0].status":         "done",
		"action_items[2].description":    "Add a pool-size dashboard",
		"action_items[2].status":         "verified",
		"action_items[2].blocked_reason": "nothing",
	})
	res, body := b.post(path, form)
	assertSaved(t, res, body, "pm-2024-031", "action_items")
	got := stored(t, store, "pm-2024-031").ActionItems
	if len(got) != 3 {
		t.Fatalf("%d items stored, want 3", len(got))
	}
	if got[0].Status != debrief.ActionInProgress ||
		got[1].BlockedReason != "Waiting for metrics exporter" {
		t.Errorf("saved items: %s, blocked by %q; want their stored tracking",
			got[0].Status, got[1].BlockedReason)
	}
	if got[2].Status != debrief.ActionOpen || got[2].BlockedReason != "" {
		t.Errorf("new item: %s, blocked by %q; want open", got[2].Status, got[2].BlockedReason)
	}

	// A refused save shows the items' statuses as stored, beside the input.
	res, body = b.post(path, change(formValues(t, b.fetch(path).body, path),
		map[string]string{"action_items[0].due": "next week"}))
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("bad due date: status %d", res.StatusCode)
	}
	assertContains(t, "refused save", body, `value="next week"`,
		`<span class="action-status action-in_progress">In progress</span>`,
		`<a href="/postmortems/pm-2024-031/actions/3">change it on the item's page</a>`)
}
