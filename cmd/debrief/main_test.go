package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief/internal/corpus"
	"github.com/debrief-oss/debrief/sqlstore"
)

// runCLI runs the command line in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestHelpAndUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"import", "--help"}, {"export", "--help"}} {
		code, out, _ := runCLI(t, args...)
		if code != exitOK || !strings.Contains(out, "Usage: debrief") {
			t.Errorf("%v: exit %d, output %q; want help and exit 0", args, code, out)
		}
	}
	code, _, errOut := runCLI(t, "frobnicate")
	if code != exitUsage || !strings.Contains(errOut, "frobnicate") {
		t.Errorf("unknown command: exit %d, stderr %q; want exit %d naming it",
			code, errOut, exitUsage)
	}
	code, _, _ = runCLI(t, "export", "--format", "pdf")
	if code != exitUsage {
		t.Errorf("bad --format: exit %d, want %d", code, exitUsage)
	}
}

func TestShowUnknownIDFails(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	store, err := sqlstore.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	code, _, errOut := runCLI(t, "--db", db, "show", "no-such-report")
	if code != exitFailure || !strings.Contains(errOut, "no-such-report") {
		t.Errorf("exit %d, stderr %q; want failure naming the id", code, errOut)
	}
}

// TestReadingCommandsNeedADatabase: reading a database file that is not
// there fails, instead of making an empty one and printing nothing.
func TestReadingCommandsNeedADatabase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "missing.db")
	for _, args := range [][]string{{"list"}, {"show", "x"}, {"search", "x"}, {"export"}} {
		code, out, errOut := runCLI(t, append([]string{"--db", db}, args...)...)
		want := "no database at " + db + ": import reports first or pass --db"
		if code != exitFailure || out != "" || !strings.Contains(errOut, want) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 saying %q",
				args, code, out, errOut, want)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("reading commands created %s (%v)", db, err)
	}
}

// TestPeopleAndTokensAreLocalOnly: with a server named, user and token
// commands say where the server's are managed, instead of reading a local
// file that says nothing of the server's.
func TestPeopleAndTokensAreLocalOnly(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	t.Setenv("DEBRIEF_SERVER", "http://127.0.0.1:1")
	for _, tt := range []struct {
		args []string
		says string
	}{
		{[]string{"user", "list"}, "/api/v1/users"},
		{[]string{"user", "add", "ana", "--role", "admin", "--password-stdin"}, "/users"},
		{[]string{"token", "create", "--user", "ana"}, "/account"},
		{[]string{"token", "list", "--user", "ana"}, "/api/v1/tokens"},
	} {
		code, _, errOut := runCLI(t, append([]string{"--db", db}, tt.args...)...)
		if code != exitUsage || !strings.Contains(errOut, "local database") ||
			!strings.Contains(errOut, tt.says) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d pointing to %s", tt.args, code,
				errOut, exitUsage, tt.says)
		}
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("user and token commands opened %s (%v)", db, err)
	}
}

// TestCorpusRoundTrip is the foundation's promise: import the real corpus,
// export it as Markdown, import that export into an empty database, and the
// JSON export of both databases is identical.
func TestCorpusRoundTrip(t *testing.T) {
	reports := corpus.Reports(t)
	dir := t.TempDir()
	first, second := filepath.Join(dir, "first.db"), filepath.Join(dir, "second.db")
	mdDir := filepath.Join(dir, "md")

	code, out, errOut := runCLI(t, "--db", first, "import", "--quiet", reports)
	if code != exitOK || !strings.Contains(out, " 0 failed") {
		t.Fatalf("import corpus: exit %d\n%s\n%s", code, out, errOut)
	}
	mustRun(t, "--db", first, "export", "--format", "md", "--out", mdDir)
	jsonFirst := mustRun(t, "--db", first, "export", "--format", "json")

	code, out, errOut = runCLI(t, "--db", second, "import", mdDir)
	if code != exitOK || !strings.Contains(out, " 0 failed") {
		t.Fatalf("import export: exit %d\n%s\n%s", code, out, errOut)
	}
	jsonSecond := mustRun(t, "--db", second, "export", "--format", "json")
	if jsonFirst != jsonSecond {
		t.Errorf("JSON exports differ after the Markdown round trip:\n%s",
			firstDifference(jsonFirst, jsonSecond))
	}

	// Importing the export again changes nothing.
	_, out, _ = runCLI(t, "--db", second, "import", "--quiet", mdDir)
	if !strings.Contains(out, " 0 created, 0 updated") {
		t.Errorf("re-import of the export: %s", out)
	}

	list := mustRun(t, "--db", second, "list", "--limit", "0")
	if !strings.Contains(list, "ALB 502 Errors") {
		t.Errorf("list lacks a corpus report:\n%.500s", list)
	}
	hits := mustRun(t, "--db", second, "search", "zookeeper")
	if !strings.Contains(hits, "Platform.sh") {
		t.Errorf("search for zookeeper misses the Platform.sh report:\n%s", hits)
	}
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errOut := runCLI(t, args...)
	if code != exitOK {
		t.Fatalf("debrief %s: exit %d\n%s", strings.Join(args, " "), code, errOut)
	}
	return out
}

// firstDifference shows the lines around where a and b first differ.
func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			lo := max(0, i-3)
			return "first:\n" + strings.Join(al[lo:min(len(al), i+3)], "\n") +
				"\nsecond:\n" + strings.Join(bl[lo:min(len(bl), i+3)], "\n")
		}
	}
	return "one is a prefix of the other"
}

// TestStaleExportIsRefused: two people edit copies of the same export; the
// second import must not silently undo the first.
func TestStaleExportIsRefused(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	src := filepath.Join(dir, "cache.md")
	report := "# Cache outage\n\n## Summary\n\nThe cache fell over.\n"
	if err := os.WriteFile(src, []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--db", db, "import", src)
	out := filepath.Join(dir, "out")
	mustRun(t, "--db", db, "export", "--out", out)
	exported := filepath.Join(out, "cache.md")
	data, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}

	edit := func(to string) []byte {
		return []byte(strings.Replace(string(data), "The cache fell over.", to, 1))
	}
	first, second := edit("The cache ran out of memory."), edit("The cache was restarted.")
	os.WriteFile(exported, first, 0o644)
	mustRun(t, "--db", db, "import", exported)

	os.WriteFile(exported, second, 0o644)
	code, stdout, _ := runCLI(t, "--db", db, "import", exported)
	if code != exitFailure || !strings.Contains(stdout, "changed after this file was exported") {
		t.Errorf("stale import: exit %d\n%s", code, stdout)
	}
	shown := mustRun(t, "--db", db, "show", "cache")
	if !strings.Contains(shown, "ran out of memory") {
		t.Errorf("the first edit was lost:\n%s", shown)
	}
}

func TestListFiltersReadLikeImports(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "d.db")
	src := filepath.Join(dir, "r.md")
	report := "---\ncategory: configuration\n---\n# Bad config\n\n**Severity:** Critical\n"
	if err := os.WriteFile(src, []byte(report), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "--db", db, "import", src)
	for _, args := range [][]string{
		{"--severity", "p1"}, {"--severity", "SEV-1"}, {"--severity", "critical"},
		{"--category", "CONFIGURATION"},
	} {
		out := mustRun(t, append([]string{"--db", db, "list"}, args...)...)
		if !strings.Contains(out, "Bad config") {
			t.Errorf("list %v misses the report:\n%s", args, out)
		}
	}
	code, _, errOut := runCLI(t, "--db", db, "list", "--severity", "nonsense")
	if code != exitFailure || !strings.Contains(errOut, "not a severity") {
		t.Errorf("unknown severity: exit %d, %s", code, errOut)
	}
}

func TestPrintableDisarmsTerminalControls(t *testing.T) {
	got := oneLine("Evil \x1b]0;PWNED\x07 title \x1b[2J \u202ekcatta", 80)
	if strings.ContainsAny(got, "\x1b\x07\u202e") {
		t.Errorf("oneLine kept terminal controls: %q", got)
	}
	if !strings.Contains(got, "title") {
		t.Errorf("oneLine lost the text: %q", got)
	}
}
