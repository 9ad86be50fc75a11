package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/tracker"
	"github.com/debrief-oss/debrief/tracker/trackertest"
	"github.com/debrief-oss/debrief/workflow"
)

// TestItemPageMakesATicket: with Jira configured, a contributor makes a
// ticket from the item page's button; the page then links it and offers
// no second one; a viewer sees no button and may not post one.
func TestItemPageMakesATicket(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	j := trackertest.NewJira(t, 3)
	ts := testServer(t, store, WithTrackers(&tracker.Config{Jira: j.Client(),
		JiraWebhookSecret: "s"}, "https://debrief.example.com"))
	p := &debrief.Postmortem{Title: "Replica lag", ActionItems: []debrief.ActionItem{
		{Description: "Alert on replica lag", Owner: "cleo", Due: "2030-01-10"}}}
	author := debrief.Actor{UserID: 1, Name: "carl", Role: debrief.AccessContributor}
	if err := workflow.New(store).Create(ctx, author, p); err != nil {
		t.Fatal(err)
	}
	item := "/postmortems/" + p.ID + "/actions/1"

	vic := signInAs(t, ts, "vic", testPassword, newTestUser(t, store, "vic",
		debrief.AccessViewer))
	_, body := vic.get(item)
	if strings.Contains(body, "Make a Jira issue") {
		t.Fatal("a viewer is offered to make a ticket")
	}
	if res, _ := vic.post(item+"/ticket", url.Values{"system": {"jira"}}); res.StatusCode !=
		http.StatusForbidden {
		t.Fatalf("viewer posting a ticket: %d", res.StatusCode)
	}

	cleo := signInAs(t, ts, "cleo", testPassword, newTestUser(t, store, "cleo",
		debrief.AccessContributor))
	_, body = cleo.get(item)
	if !strings.Contains(body, "Make a Jira issue") {
		t.Fatalf("no ticket button on the item page:\n%s", body)
	}
	res, _ := cleo.post(item+"/ticket", url.Values{"system": {"jira"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("making the ticket: %d", res.StatusCode)
	}
	_, body = cleo.get(res.Header.Get("Location"))
	got, err := store.Postmortem(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	tk := got.ActionItems[0].Ticket
	if tk == nil {
		t.Fatal("no ticket linked")
	}
	if _, ok := j.Issue(tk.Key); !ok {
		t.Fatalf("the Jira double has no issue %s", tk.Key)
	}
	if !strings.Contains(body, "Ticket "+tk.Key+" made and linked.") ||
		strings.Contains(body, "Make a Jira issue") {
		t.Fatalf("page after making the ticket:\n%s", body)
	}

	// A second ticket for the same item is refused on the page.
	res, body = cleo.post(item+"/ticket", url.Values{"system": {"jira"}})
	if res.StatusCode != http.StatusConflict || !strings.Contains(body, "The ticket was not made") {
		t.Fatalf("second ticket: %d", res.StatusCode)
	}
}
