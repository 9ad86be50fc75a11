package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

func TestLintExitCodesAndFormats(t *testing.T) {
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.md")
	blaming := filepath.Join(dir, "blaming.md")
	writeFiles(t, dir, map[string]string{
		"clean.md": "---\nstatus: draft\n---\n# Checkout outage\n\n## Summary\n\n" +
			"The payment service ran out of " +
			"database connections after a deploy raised the pool size.\n",
		"blaming.md": "# Checkout outage\n\n## Summary\n\nThe outage was caused by " +
			"human error: the engineer was careless and failed to check the config.\n",
	})

	// A draft without timeline or action items gets warnings of what it
	// lacks, but nothing about its words, and passes.
	code, out, errOut := runCLI(t, "lint", clean)
	if code != exitOK || strings.Contains(out, "blame.") || strings.Contains(out, "pii.") ||
		!strings.Contains(out, "warning complete.timeline") {
		t.Errorf("clean report: exit %d, %q %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, "lint", blaming)
	if code != exitFailure || !strings.Contains(out, "blaming.md:5:") ||
		!strings.Contains(out, "blame.") {
		t.Errorf("blaming report: exit %d\n%s", code, out)
	}

	code, out, _ = runCLI(t, "lint", "--format", "json", clean, blaming)
	var doc struct {
		Files []struct {
			Path     string
			Findings []struct{ Rule, Severity, Section string }
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || len(doc.Files) != 2 {
		t.Fatalf("json: %v\n%s", err, out)
	}
	if len(doc.Files[1].Findings) == 0 || doc.Files[1].Findings[0].Section != "Summary" {
		t.Errorf("json findings: %+v", doc.Files)
	}
	if code != exitFailure {
		t.Errorf("json with an error finding: exit %d", code)
	}

	missing := filepath.Join(dir, "missing.md")
	code, _, errOut = runCLI(t, "lint", clean, missing)
	if code != exitUsage || !strings.Contains(errOut, "missing.md") {
		t.Errorf("unreadable file: exit %d, %q", code, errOut)
	}
	binary := filepath.Join(dir, "binary.md")
	if err := os.WriteFile(binary, []byte{0, 1, 2, 0xff}, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := runCLI(t, "lint", binary); code != exitUsage {
		t.Errorf("binary file: exit %d", code)
	}
}

func TestLintConfigAndMarkers(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"r.md": "---\nstatus: draft\n---\n# Outage\n\n## Summary\n\n" +
			"<!-- debrief-lint: accept blame.human-error: quoted from the vendor's report -->\n" +
			"The vendor called it human error.\n\nThe engineer was careless.\n",
		"lint.yaml": "rules:\n  blame.judgement: info\n  complete.timeline: off\n",
		"bad.yaml":  "rules:\n  blame.judgement: maybe\n",
	})
	r := filepath.Join(dir, "r.md")
	code, out, _ := runCLI(t, "lint", r)
	if code != exitFailure || strings.Contains(out, "human-error") ||
		!strings.Contains(out, "error blame.judgement") {
		t.Errorf("markers: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "lint", "--config", filepath.Join(dir, "lint.yaml"), r)
	if code != exitOK || !strings.Contains(out, "info blame.judgement") ||
		strings.Contains(out, "complete.timeline") {
		t.Errorf("config: exit %d\n%s", code, out)
	}
	code, _, errOut := runCLI(t, "lint", "--config", filepath.Join(dir, "bad.yaml"), r)
	if code != exitUsage || !strings.Contains(errOut, "bad.yaml") {
		t.Errorf("bad config: exit %d %q", code, errOut)
	}
}

func TestRedactWritesACopyWithRoles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"r.md": "# DNS outage\n\n## Team\n\n| Name | Role |\n|---|---|\n" +
			"| Priya Raman | Incident commander |\n\n## Timeline\n\n" +
			"- 09:14 Priya Raman paged the DNS team; call +1 415 555 0100.\n",
	})
	src := filepath.Join(dir, "r.md")
	out := filepath.Join(dir, "redacted.md")
	if code, _, errOut := runCLI(t, "redact", src, "-o", out); code != exitOK {
		t.Fatalf("redact: exit %d %s", code, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	got := string(data)
	if strings.Contains(got, "Priya") || strings.Contains(got, "555 0100") ||
		!strings.Contains(got, "[phone number]") {
		t.Errorf("redacted copy:\n%s", got)
	}
	if orig, _ := os.ReadFile(src); !strings.Contains(string(orig), "Priya Raman paged") {
		t.Error("the original was changed")
	}
	if code, _, _ := runCLI(t, "redact", src, "-o", src); code != exitUsage {
		t.Errorf("redacting over the original: exit %d", code)
	}
}

func TestLintStoredReportByID(t *testing.T) {
	p := timelineReport()
	p.Summary.ExecutiveSummary = "The outage was human error."
	in := p.Incident
	db := seedIncident(t, &in, p)
	code, out, errOut := runCLI(t, "--db", db, "lint", p.ID)
	if code != exitFailure || !strings.Contains(out, "summary.executive_summary") ||
		!strings.Contains(out, "blame.human-error") {
		t.Errorf("stored report: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, _ := runCLI(t, "--db", db, "lint", "no-such-report"); code == exitOK {
		t.Error("an unknown ID passed")
	}
}

// TestLintSARIF checks a Markdown report and a stored one in one SARIF log,
// valid against the SARIF 2.1.0 schema, with the exit code of the text
// format.
func TestLintSARIF(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"blaming.md": "# Checkout outage\n\n## Summary\n\nThe outage was caused by " +
			"human error: Priya Raman failed to check the config.\n",
	})
	p := timelineReport()
	p.Summary.ExecutiveSummary = "The outage was human error."
	in := p.Incident
	db := seedIncident(t, &in, p)

	file := filepath.Join(dir, "blaming.md")
	code, out, errOut := runCLI(t, "--db", db, "lint", "--format", "sarif", file, p.ID)
	if code != exitFailure {
		t.Fatalf("exit %d, want %d: %s", code, exitFailure, errOut)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	schema, err := c.Compile(filepath.Join("..", "..", "lint", "testdata",
		"sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(out))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("not valid SARIF 2.1.0: %v\n%s", err, out)
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn, CharLength int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &log); err != nil {
		t.Fatal(err)
	}
	stored := "debrief:postmortem/" + p.ID + "#summary.executive_summary"
	uri := "file://" + filepath.ToSlash(file) // t.TempDir is absolute
	want := map[string]bool{
		uri + " blame.human-error 5:26":    false,
		uri + " pii.name 5:39":             false,
		stored + " blame.human-error 1:16": false,
	}
	for _, r := range log.Runs[0].Results {
		loc := r.Locations[0].PhysicalLocation
		key := fmt.Sprintf("%s %s %d:%d", loc.ArtifactLocation.URI, r.RuleID,
			loc.Region.StartLine, loc.Region.StartColumn)
		if _, ok := want[key]; ok {
			want[key] = true
		}
	}
	for k, seen := range want {
		if !seen {
			t.Errorf("no result %s in:\n%s", k, out)
		}
	}
}

// TestRedactNameAlsoWrittenInLowerCase checks that a person stays a
// person when the report also writes their first name in lower case:
// "priya" in a tool's name, a handle or an address must not leave "Priya
// Raman" in the redacted copy.
func TestRedactNameAlsoWrittenInLowerCase(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"r.md": "# DNS outage\n\n## Summary\n\n" +
			"Priya Raman forgot to renew the certificate. The priya-exporter crashed. " +
			"Mail priya@example.com or ask @priya, or ask priya in chat.\n",
	})
	code, out, errOut := runCLI(t, "redact", filepath.Join(dir, "r.md"))
	if code != exitOK {
		t.Fatalf("redact: exit %d %s", code, errOut)
	}
	if strings.Contains(out, "Priya") || strings.Contains(out, "@priya") {
		t.Errorf("redacted copy:\n%s", out)
	}
}

// TestLintStopsOnInterrupt checks that SIGINT ends a long `debrief lint`
// and `debrief redact` promptly, as it ends other commands: "interrupted",
// exit code 1.
func TestLintStopsOnInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the command on a large file")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(t.TempDir(), "big.md")
	writeFile(t, big, "# Outage\n\n## Summary\n\n"+
		strings.Repeat("Priya forgot to renew the certificate. ", 200_000)+"\n")
	for _, args := range [][]string{{"lint", big}, {"redact", big}} {
		cmd := exec.Command(self, args...)
		cmd.Env = append(os.Environ(), "DEBRIEF_TEST_MAIN=1")
		var stderr strings.Builder
		cmd.Stdout, cmd.Stderr = io.Discard, &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(300 * time.Millisecond)
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		// Without the interruption the command would finish its work and
		// say nothing of it; how long it takes to stop is the machine's.
		err := cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != exitFailure ||
			!strings.Contains(stderr.String(), "interrupted") {
			t.Errorf("%s after SIGINT: %v, stderr %q", args[0], err, stderr.String())
		}
	}
}

// TestLintGapsAreErrorsOnlyInFinalReports checks that a file's gaps are
// errors only when the file says it is final, in its front matter or a
// status line; without a status it is a draft.
func TestLintGapsAreErrorsOnlyInFinalReports(t *testing.T) {
	dir := t.TempDir()
	body := "# Draft two\n\n## Summary\n\nThe cache expired.\n"
	writeFiles(t, dir, map[string]string{
		"none.md":   body,
		"front.md":  "---\nstatus: final\n---\n" + body,
		"line.md":   "# Draft two\n\n**Status:** Final\n\n## Summary\n\nThe cache expired.\n",
		"draft.md":  "---\nstatus: draft\n---\n" + body,
		"review.md": "# Draft two\n\nStatus: in review\n\n## Summary\n\nThe cache expired.\n",
	})
	for name, want := range map[string]int{"none.md": exitOK, "front.md": exitFailure,
		"line.md": exitFailure, "draft.md": exitOK, "review.md": exitOK} {
		code, out, _ := runCLI(t, "lint", filepath.Join(dir, name))
		if code != want {
			t.Errorf("%s: exit %d, want %d\n%s", name, code, want, out)
		}
	}
}

// TestLintUnreadableInputs checks that the JSON output lists a file it
// could not read with the error, that "files" is a list even when empty,
// and that a missing database is bad input (exit 2) like an unknown ID.
func TestLintUnreadableInputs(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.md")
	code, out, _ := runCLI(t, "lint", "--format", "json", missing)
	var doc struct {
		Files []struct {
			Path, Error string
			Findings    []any
		} `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil || code != exitUsage {
		t.Fatalf("json: exit %d, %v\n%s", code, err, out)
	}
	if len(doc.Files) != 1 || doc.Files[0].Path != missing || doc.Files[0].Error == "" ||
		doc.Files[0].Findings == nil {
		t.Errorf("an unreadable file in the JSON: %s", out)
	}
	if code, _, errOut := runCLI(t, "--db", filepath.Join(dir, "none.db"), "lint",
		"PM-1"); code != exitUsage {
		t.Errorf("a missing database: exit %d, %s", code, errOut)
	}
}

// TestLintSARIFGapsAndUnreadableFiles checks the SARIF of a file given by
// its absolute path with a gap (a file:// URI, the gap at its section's
// heading) and of a file that cannot be read (a notification).
func TestLintSARIFGapsAndUnreadableFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"r.md": "---\nstatus: final\n---\n# Outage\n\n" +
		"## Summary\n\nThe cache expired.\n\n## Timeline\n\nNothing yet.\n"})
	abs := filepath.Join(dir, "r.md")
	_, out, _ := runCLI(t, "lint", "--format", "sarif", abs, filepath.Join(dir, "gone.md"))
	var doc struct {
		Runs []struct {
			Invocations []struct {
				ToolExecutionNotifications []struct{ Message struct{ Text string } }
			}
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	run := doc.Runs[0]
	found := false
	for _, r := range run.Results {
		loc := r.Locations[0].PhysicalLocation
		if !strings.HasPrefix(loc.ArtifactLocation.URI, "file:///") {
			t.Errorf("uri %q for an absolute path", loc.ArtifactLocation.URI)
		}
		if r.RuleID == "complete.timeline" {
			found = loc.Region.StartLine == 10
		}
	}
	if !found {
		t.Errorf("complete.timeline not at the Timeline heading (line 10):\n%s", out)
	}
	if len(run.Invocations) != 1 || len(run.Invocations[0].ToolExecutionNotifications) != 1 {
		t.Errorf("the unreadable file is not a notification:\n%s", out)
	}
}

// TestRedactUnwritableOutput checks that a copy that cannot be written is
// reported under the name the user gave, not a temporary file's.
func TestRedactUnwritableOutput(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"r.md": "# Outage\n\nThe cache expired.\n"})
	out := filepath.Join(dir, "no-such-dir", "x.md")
	code, _, errOut := runCLI(t, "redact", filepath.Join(dir, "r.md"), "-o", out)
	if code != exitUsage || !strings.Contains(errOut, "cannot write "+out) ||
		strings.Contains(errOut, ".tmp") {
		t.Errorf("exit %d, %q", code, errOut)
	}
}

// TestLintStoredReportHonoursOverride checks that linting a final report
// whose errors a facilitator overrode when finalising it does not fail:
// the overridden errors are shown as warnings saying so.
func TestLintStoredReportHonoursOverride(t *testing.T) {
	p := timelineReport()
	p.Status = debrief.StatusFinal
	p.Summary.ExecutiveSummary = "The outage was human error."
	in := p.Incident
	db := seedIncident(t, &in)
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	err = store.SavePostmortemOverriding(ctx, p, &debrief.LintOverride{From: debrief.StatusInReview,
		To: debrief.StatusFinal, By: "fay", At: time.Now(), Reason: "quoted from the vendor",
		Rules: []string{"blame.human-error"}, Errors: 1})
	store.Close()
	if err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "--db", db, "lint", p.ID)
	if !strings.Contains(out, "warning blame.human-error") || !strings.Contains(out, "overrid") ||
		strings.Contains(out, "error blame.human-error") {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.Contains(line, ": error ") {
			return // another error may still fail the run
		}
	}
	if code != exitOK {
		t.Errorf("only overridden errors: exit %d\n%s", code, out)
	}
}

// TestLintAllowedNameIsNoPerson checks that a word the config allows is
// not a person failing either: "Jarvis failed to respond" with Jarvis
// allowed has no finding.
func TestLintAllowedNameIsNoPerson(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"lint.yaml": "allow: [Jarvis]\n",
		"r.md": "---\nstatus: draft\n---\n# Outage\n\n## Summary\n\n" +
			"Jarvis failed to respond.\n",
	})
	_, out, _ := runCLI(t, "lint", "--config", filepath.Join(dir, "lint.yaml"),
		filepath.Join(dir, "r.md"))
	if strings.Contains(out, "blame.") || strings.Contains(out, "pii.") {
		t.Errorf("an allowed name is reported:\n%s", out)
	}
}
