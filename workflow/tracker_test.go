package workflow_test

import (
	"context"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/tracker"
	"github.com/debrief-oss/debrief/tracker/trackertest"
	"github.com/debrief-oss/debrief/workflow"
)

const (
	trackerSecret = "tracker-webhook-secret"
	webhookTarget = "http://debrief.test/api/v1/trackers/jira/webhook"
)

// jiraChange is the change a Jira webhook body brings, as debrief's
// endpoint would read it.
func jiraChange(t *testing.T, j *trackertest.Jira, body []byte) tracker.Change {
	t.Helper()
	c, err := j.Client().ParseWebhook(j.WebhookRequest(webhookTarget, trackerSecret, body),
		body, trackerSecret)
	if err != nil || c == nil {
		t.Fatalf("jira webhook: %v, %v", c, err)
	}
	return *c
}

func historyKinds(t *testing.T, s *workflow.Service, ref debrief.ActionRef) []string {
	t.Helper()
	v, err := s.Action(context.Background(), viewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range v.History {
		out = append(out, e.Actor+":"+string(e.Kind)+":"+string(e.To))
	}
	return out
}

func itemOf(t *testing.T, s *workflow.Service, ref debrief.ActionRef) debrief.ActionItem {
	t.Helper()
	v, err := s.Action(context.Background(), viewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	return v.Item
}

func TestTrackerJiraRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	j := trackertest.NewJira(t, 3)
	tr := workflow.NewTrackers(s, "https://debrief.example.com", j.Client())
	p := reportWithItems(t, s)
	ref := debrief.ActionRef{PostmortemID: p.ID, Number: 1}

	if _, err := tr.CreateTicket(ctx, viewer, ref, "jira"); debrief.ErrorKind(err) !=
		debrief.KindForbidden {
		t.Fatalf("a viewer made a ticket: %v", err)
	}
	if _, err := tr.CreateTicket(ctx, contributor, ref, "github"); debrief.ErrorField(err) !=
		"system" {
		t.Fatalf("ticket in an unconfigured tracker: %v", err)
	}
	tk, err := tr.CreateTicket(ctx, contributor, ref, "jira")
	if err != nil {
		t.Fatal(err)
	}
	issue, ok := j.Issue(tk.Key)
	if !ok || tk.Status != "To Do" || issue.Summary !=
		"["+p.ID+"#1] Alert on replica lag over 30 s" || issue.Due != "2020-01-10" ||
		!strings.Contains(issue.DescriptionText, "Owner: cleo") ||
		!strings.Contains(issue.DescriptionText,
			"https://debrief.example.com/postmortems/"+p.ID+"/actions/1") {
		t.Fatalf("ticket %+v, issue %+v", tk, issue)
	}
	if _, err := tr.CreateTicket(ctx, contributor, ref, "jira"); debrief.ErrorKind(err) !=
		debrief.KindConflict {
		t.Fatalf("a second ticket for the same item: %v", err)
	}
	if got := itemOf(t, s, ref).Ticket; got == nil || got.Key != tk.Key {
		t.Fatalf("item's ticket: %+v", got)
	}

	// Someone finishes the work in Jira: the webhook makes the item done.
	jiraChange(t, j, j.SetStatus(tk.Key, "In Progress"))
	done := jiraChange(t, j, j.SetStatus(tk.Key, "Done"))
	if changed, err := tr.ApplyChange(ctx, done); err != nil || !changed {
		t.Fatalf("apply Done: %v, %v", changed, err)
	}
	if st := itemOf(t, s, ref).Status; st != debrief.ActionDone {
		t.Fatalf("status after Jira's Done: %s", st)
	}
	want := "carl:created:open,carl:ticket:,jira:status:done,jira:synced:"
	if got := strings.Join(historyKinds(t, s, ref), ","); got != want {
		t.Fatalf("history %s, want %s", got, want)
	}
	// A retried delivery, or a poll that reads Done, changes nothing.
	if changed, err := tr.ApplyChange(ctx, done); err != nil || changed {
		t.Fatalf("the same change again: %v, %v", changed, err)
	}
	if n, err := tr.Poll(ctx); err != nil || n != 0 {
		t.Fatalf("poll after the webhook: %d, %v", n, err)
	}

	// A person takes the item back in progress: Jira follows, and the echo
	// of that push does not come back as a move.
	if _, err := s.MoveAction(ctx, colleague, ref, debrief.ActionMove{
		To: debrief.ActionInProgress}); err != nil {
		t.Fatal(err)
	}
	if issue, _ := j.Issue(tk.Key); issue.Status != "In Progress" {
		t.Fatalf("Jira issue after the push: %s", issue.Status)
	}
	echo := jiraChange(t, j, j.SetStatus(tk.Key, "In Progress"))
	moves := len(historyKinds(t, s, ref))
	if changed, err := tr.ApplyChange(ctx, echo); err != nil || changed {
		t.Fatalf("echo of the push: %v, %v", changed, err)
	}
	if got := len(historyKinds(t, s, ref)); got != moves {
		t.Fatalf("the echo added history: %v", historyKinds(t, s, ref))
	}
}

func TestTrackerCannotVerifyOrUndoAVerification(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	j := trackertest.NewJira(t, 3)
	tr := workflow.NewTrackers(s, "", j.Client())
	p := reportWithItems(t, s)
	ref := debrief.ActionRef{PostmortemID: p.ID, Number: 1}
	tk, err := tr.CreateTicket(ctx, contributor, ref, "jira")
	if err != nil {
		t.Fatal(err)
	}
	jiraChange(t, j, j.SetStatus(tk.Key, "In Progress"))
	if _, err := tr.ApplyChange(ctx, jiraChange(t, j, j.SetStatus(tk.Key, "Done"))); err != nil {
		t.Fatal(err)
	}
	closure := &debrief.Closure{Implemented: true, Tested: true, Documented: true,
		Result: "alert fired in 40 s", Evidence: "https://grafana.example/d/lag"}
	if _, err := s.MoveAction(ctx, colleague, ref, debrief.ActionMove{
		To: debrief.ActionVerified, Closure: closure}); err != nil {
		t.Fatal(err)
	}

	// Jira's workflow takes the issue back to In Progress (through To Do):
	// the lifecycle has no move from verified to in progress, so the item
	// stays verified and the history says why.
	jiraChange(t, j, j.SetStatus(tk.Key, "To Do"))
	back := jiraChange(t, j, j.SetStatus(tk.Key, "In Progress"))
	changed, err := tr.ApplyChange(ctx, back)
	if err != nil || !changed {
		t.Fatalf("apply In Progress: %v, %v", changed, err)
	}
	v, err := s.Action(ctx, viewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	last := v.History[len(v.History)-1]
	if v.Item.Status != debrief.ActionVerified || last.Kind != debrief.ActionEventSynced ||
		!strings.Contains(last.Note, "not applied") {
		t.Fatalf("status %s, last event %+v", v.Item.Status, last)
	}
	for _, e := range v.History {
		if e.To == debrief.ActionVerified && e.Actor != "cleo" {
			t.Fatalf("verified by %s", e.Actor)
		}
	}
}

func TestTrackerGitHubClosedAsNotPlannedBlocks(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	g := trackertest.NewGitHub(t)
	tr := workflow.NewTrackers(s, "", g.Client())
	p := reportWithItems(t, s)
	ref := debrief.ActionRef{PostmortemID: p.ID, Number: 2}
	tk, err := tr.CreateTicket(ctx, contributor, ref, "github")
	if err != nil {
		t.Fatal(err)
	}
	if tk.Key != "acme/ops#1" || tk.Status != "open" {
		t.Fatalf("ticket %+v", tk)
	}

	// Moving the item in progress leaves the open issue as it is, and a
	// poll reading "open" does not undo the move.
	if _, err := s.MoveAction(ctx, contributor, ref, debrief.ActionMove{
		To: debrief.ActionInProgress}); err != nil {
		t.Fatal(err)
	}
	if n, err := tr.Poll(ctx); err != nil || n != 0 {
		t.Fatalf("poll: %d, %v", n, err)
	}
	if st := itemOf(t, s, ref).Status; st != debrief.ActionInProgress {
		t.Fatalf("status after the poll: %s", st)
	}

	body := g.SetState(1, "closed", "not_planned")
	req := g.WebhookRequest("http://debrief.test/api/v1/trackers/github/webhook",
		trackerSecret, "issues", body)
	c, err := g.Client().ParseWebhook(req, body, trackerSecret)
	if err != nil || c == nil {
		t.Fatalf("github webhook: %v, %v", c, err)
	}
	if _, err := tr.ApplyChange(ctx, *c); err != nil {
		t.Fatal(err)
	}
	item := itemOf(t, s, ref)
	if item.Status != debrief.ActionBlocked || item.BlockedReason == "" ||
		item.UpdatedBy != "github" {
		t.Fatalf("item after closed as not planned: %+v", item)
	}

	// The person closes the item: the issue closes as completed.
	if _, err := s.MoveAction(ctx, contributor, ref, debrief.ActionMove{
		To: debrief.ActionDone}); err != nil {
		t.Fatal(err)
	}
	if is, _ := g.Issue(1); is.State != "closed" || is.StateReason != "completed" {
		t.Fatalf("issue after the push: %+v", is)
	}
}

func TestTrackerPushFailureKeepsTheMove(t *testing.T) {
	ctx := context.Background()
	s, _ := newService(t)
	j := trackertest.NewJira(t, 3)
	tr := workflow.NewTrackers(s, "", j.Client())
	p := reportWithItems(t, s)
	ref := debrief.ActionRef{PostmortemID: p.ID, Number: 1}
	if _, err := tr.CreateTicket(ctx, contributor, ref, "jira"); err != nil {
		t.Fatal(err)
	}
	j.FailNext(503, nil)
	if _, err := s.MoveAction(ctx, contributor, ref, debrief.ActionMove{
		To: debrief.ActionInProgress}); err != nil {
		t.Fatalf("the move failed with the tracker: %v", err)
	}
	v, err := s.Action(ctx, viewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	last := v.History[len(v.History)-1]
	if v.Item.Status != debrief.ActionInProgress || !strings.HasPrefix(last.Note,
		"could not move Jira") {
		t.Fatalf("status %s, last event %+v", v.Item.Status, last)
	}
}
