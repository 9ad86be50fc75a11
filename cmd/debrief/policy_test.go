package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/corpus"
	"github.com/debrief-oss/debrief/policy"
	"github.com/debrief-oss/debrief/sqlstore"
)

// seedIncident stores an incident in a new database file and returns its path.
func seedIncident(t *testing.T, in *debrief.Incident, reports ...*debrief.Postmortem) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "debrief.db")
	store, err := sqlstore.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.SaveIncident(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	for _, p := range reports {
		if err := store.SavePostmortem(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestPolicyCheckExplainsAndOpensTheDraft(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	db := seedIncident(t, &debrief.Incident{ID: "inc-1", Title: "Slow checkout",
		Severity: "P3", Status: debrief.IncidentResolved, StartedAt: start,
		ResolvedAt: start.Add(74 * time.Minute)})

	out := mustRun(t, "--db", db, "policy", "check", "inc-1")
	if !strings.Contains(out, "required: P3, lasted 74 min > 60 min") ||
		!strings.Contains(out, "postmortem: ") {
		t.Errorf("policy check said:\n%s\nwant the rule with its facts and the draft opened", out)
	}

	// A policy that gives P3 two hours finds the same incident not required.
	file := filepath.Join(t.TempDir(), "policy.yaml")
	err := os.WriteFile(file, []byte("rules:\n  - name: duration\n    severities: [P3]\n"+
		"    longer_than: 2h\n"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	db2 := seedIncident(t, &debrief.Incident{ID: "inc-1", Title: "Slow checkout",
		Severity: "P3", Status: debrief.IncidentResolved, StartedAt: start,
		ResolvedAt: start.Add(74 * time.Minute)})
	out = mustRun(t, "--db", db2, "--policy", file, "policy", "check", "inc-1")
	if !strings.HasPrefix(out, "inc-1: not required") {
		t.Errorf("with a 2 h threshold policy check said:\n%s", out)
	}

	code, _, errOut := runCLI(t, "--db", db, "policy", "check", "inc-nope")
	if code != exitFailure || !strings.Contains(errOut, "inc-nope") {
		t.Errorf("unknown incident: exit %d, %q", code, errOut)
	}
}

func TestPolicyShowPrintsTheDefaultAndRefusesABrokenFile(t *testing.T) {
	out := mustRun(t, "policy", "show")
	if p, err := policy.Parse([]byte(out), "shown"); err != nil || p == nil {
		t.Fatalf("policy show printed a policy that does not parse: %v", err)
	}
	file := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(file, []byte("rules:\n  - name: x\n    longer_than: 6O m\n"),
		0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "--policy", file, "policy", "show")
	if code == exitOK || !strings.Contains(errOut, "line 3") {
		t.Errorf("broken policy: exit %d, %q; want an error naming line 3", code, errOut)
	}
}

func timelineReport() *debrief.Postmortem {
	start := time.Date(2024, 1, 15, 9, 0, 0, 0, time.UTC)
	return &debrief.Postmortem{ID: "pm-slack", Title: "Chat", Status: debrief.StatusDraft,
		Incident: debrief.Incident{ID: "inc-1", Title: "Chat", StartedAt: start},
		TimeZone: "UTC", Source: debrief.Source{Format: "web"}}
}

func TestTimelineImportLocalAndOnServer(t *testing.T) {
	in := timelineReport().Incident
	db := seedIncident(t, &in, timelineReport())
	notes := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(notes, []byte("- 10:05 Rolled back the deploy\n"+
		"- 10:00 Paged the on-call engineer\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	out := mustRun(t, "--db", db, "timeline", "import", "pm-slack", "--text", notes, "--dry-run")
	if !strings.Contains(out, "would add 2 events") ||
		!strings.Contains(out, "[out_of_order] Paged") {
		t.Fatalf("dry run said:\n%s", out)
	}
	out = mustRun(t, "--db", db, "timeline", "import", "pm-slack", "--text", notes)
	if !strings.Contains(out, "added 2 events") {
		t.Fatalf("import said:\n%s", out)
	}
	out = mustRun(t, "--db", db, "timeline", "import", "pm-slack", "--text", notes)
	if !strings.Contains(out, "added 0 events; 2 already in the timeline") {
		t.Errorf("second import said:\n%s", out)
	}

	// The same from a Slack export folder, on a server.
	url, token := startServer(t, db, debrief.AccessContributor)
	export := filepath.Join(corpus.Payloads(t), "slack-export", "campfire-ce")
	code, out, errOut := runCLI(t, "--server", url, "--token", token, "timeline", "import",
		"pm-slack", "--slack", export, "--channel", "general")
	if code != exitOK || !strings.Contains(out, "added ") {
		t.Fatalf("server Slack import: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = runCLI(t, "--server", url, "--token", token, "timeline", "import",
		"pm-slack", "--slack", export, "--channel", "nope")
	if code != exitFailure || !strings.Contains(errOut, "general") {
		t.Errorf("unknown channel: exit %d, %q; want the known channels listed", code, errOut)
	}
	for _, args := range [][]string{
		{"--db", db, "timeline", "import", "pm-slack"},
		{"--db", db, "timeline", "import", "pm-slack", "--slack", export, "--channel",
			"general", "--from", "yesterday"},
		{"--db", db, "timeline", "import", "pm-slack", "--slack", export, "--channel",
			"general", "--from", "2024-01-16T00:00:00Z", "--to", "2024-01-15T00:00:00Z"},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != exitUsage || strings.Contains(errOut, "2006-01-02") {
			t.Errorf("%v: exit %d, %q; want a usage error in words", args[4:], code, errOut)
		}
	}
}
