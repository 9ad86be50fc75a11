package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

// seedItems writes a report with a quick win that is overdue and a
// deprioritised item, owned by dana.
func seedItems(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := &debrief.Postmortem{ID: "pm-cli", Title: "Queue backlog",
		Incident: debrief.Incident{ID: "inc-cli", Title: "Queue backlog"},
		ActionItems: []debrief.ActionItem{
			{Number: 1, Description: "Runbook for the consumer lag", Owner: "dana",
				Impact: debrief.LevelLow, Effort: debrief.LevelHigh},
			{Number: 2, Description: "Alert on consumer lag", Owner: "dana",
				Due: "2020-02-01", Impact: debrief.LevelHigh, Effort: debrief.LevelLow,
				Purpose: debrief.PurposePrevention},
		}}
	if err := db.SavePostmortem(ctx, p); err != nil {
		t.Fatal(err)
	}
}

func TestActionsCommandsLocally(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	seedItems(t, db)

	out := mustRun(t, "--db", db, "actions", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[1], "pm-cli#2") ||
		!strings.Contains(lines[1], "quick win") || !strings.HasPrefix(lines[2], "pm-cli#1") {
		t.Fatalf("ranked list:\n%s", out)
	}
	if out := mustRun(t, "--db", db, "actions", "list", "--overdue"); strings.Contains(out,
		"pm-cli#1") || !strings.Contains(out, "pm-cli#2") {
		t.Fatalf("overdue:\n%s", out)
	}

	code, _, errOut := runCLI(t, "--db", db, "actions", "move", "pm-cli#2", "--to", "blocked")
	if code == exitOK || !strings.Contains(errOut, "what blocks") {
		t.Fatalf("blocked without a reason: %d %s", code, errOut)
	}
	mustRun(t, "--db", db, "actions", "move", "pm-cli#2", "--to", "done")
	code, _, errOut = runCLI(t, "--db", db, "actions", "move", "pm-cli#2", "--to", "verified",
		"--implemented", "--tested", "--documented", "--result", "alert fired in staging")
	if code == exitOK || !strings.Contains(errOut, "evidence") {
		t.Fatalf("verified without evidence: %d %s", code, errOut)
	}
	out = mustRun(t, "--db", db, "actions", "move", "pm-cli#2", "--to", "verified",
		"--implemented", "--tested", "--documented", "--result", "alert fired in staging",
		"--evidence", "https://grafana.example/d/lag")
	if !strings.Contains(out, "pm-cli#2 is verified") {
		t.Fatalf("verify: %s", out)
	}
	if out := mustRun(t, "--db", db, "actions", "list"); strings.Contains(out, "pm-cli#2") {
		t.Fatalf("a verified item is listed as open:\n%s", out)
	}
}

func TestActionsCommandsOnServer(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	seedItems(t, db)
	url, token := startServer(t, db, debrief.AccessContributor)
	t.Setenv("DEBRIEF_TOKEN", token)

	out := mustRun(t, "--server", url, "actions", "list", "--format", "json")
	if !strings.Contains(out, `"total": 2`) || !strings.Contains(out, `"days_overdue"`) {
		t.Fatalf("list from the server:\n%s", out)
	}
	out = mustRun(t, "--server", url, "actions", "move", "pm-cli#1", "--to", "in progress")
	if !strings.Contains(out, "pm-cli#1 is in progress") {
		t.Fatalf("move on the server: %s", out)
	}
	code, _, errOut := runCLI(t, "--server", url, "actions", "list", "--quadrant", "nowhere")
	if code == exitOK || !strings.Contains(errOut, "quadrant") {
		t.Fatalf("bad quadrant: %d %s", code, errOut)
	}
}
