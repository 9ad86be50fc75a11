package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/policy"
	"github.com/debrief-oss/debrief/sqlstore"
	"github.com/debrief-oss/debrief/tracker/trackertest"
	"github.com/debrief-oss/debrief/workflow"
)

// TestActionsConfigTrackersPoll: the trackers section of the --actions
// file gives the runner a poll that brings items in step with their
// tickets on each round.
func TestActionsConfigTrackersPoll(t *testing.T) {
	ctx := context.Background()
	j := trackertest.NewJira(t, 2)
	t.Setenv("DEBRIEF_TEST_JIRA_TOKEN", j.Token)
	path := filepath.Join(t.TempDir(), "actions.yaml")
	body := "trackers:\n  jira:\n    url: " + j.URL + "\n    api: 2\n    project: OPS\n" +
		"    token_env: DEBRIEF_TEST_JIRA_TOKEN\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := loadActionsConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.trackers.Jira == nil || len(c.webOptions()) != 2 {
		t.Fatalf("trackers: %+v", c.trackers)
	}

	db, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "debrief.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	flow := workflow.New(db)
	author := debrief.Actor{UserID: 1, Name: "carl", Role: debrief.AccessContributor}
	p := &debrief.Postmortem{Title: "Replica lag",
		ActionItems: []debrief.ActionItem{{Description: "Alert on lag", Owner: "cleo"}}}
	if err := flow.Create(ctx, author, p); err != nil {
		t.Fatal(err)
	}
	ref := debrief.ActionRef{PostmortemID: p.ID, Number: 1}
	tk, err := workflow.NewTrackers(flow, "", c.trackers.Clients()...).
		CreateTicket(ctx, author, ref, "jira")
	if err != nil {
		t.Fatal(err)
	}
	j.SetStatus(tk.Key, "In Progress")

	e := &env{ctx: ctx, logger: slog.New(slog.DiscardHandler)}
	r := c.runner(e, db, policy.Default())
	if r.Poll == nil {
		t.Fatal("the runner does not poll the trackers")
	}
	if err := r.Poll(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := db.Postmortem(ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if it := got.ActionItems[0]; it.Status != debrief.ActionInProgress ||
		!strings.EqualFold(it.UpdatedBy, "jira") {
		t.Fatalf("item after the poll: %+v", it)
	}
}
