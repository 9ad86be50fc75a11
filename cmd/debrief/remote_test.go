package main

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/auth"
	"github.com/debrief-oss/debrief/sqlstore"
	"github.com/debrief-oss/debrief/web"
)

// startServer runs the real web server on the database file at db, on
// 127.0.0.1, and returns its URL and an API token of a user with the role.
func startServer(t *testing.T, db string, role debrief.AccessRole) (url, token string) {
	t.Helper()
	ctx := context.Background()
	store, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	name := "cli-" + string(role)
	if err := store.CreateUser(ctx, &debrief.User{Name: name, Role: role}); err != nil {
		t.Fatal(err)
	}
	secret, hash := auth.NewToken()
	if err := store.CreateToken(ctx, &debrief.Token{UserName: name, Role: role}, hash); err != nil {
		t.Fatal(err)
	}
	srv, err := web.NewServer(store, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts.URL, secret
}

// writeFiles writes files by name under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

var remoteReports = map[string]string{
	"reports/2024-03-07-cache.md": "# Cache outage\n\n**Severity:** Critical\n\n" +
		"## Summary\n\nThe cache ran out of memory and checkout slowed down.\n\n" +
		"## Timeline\n\n- 14:00 UTC alert fires\n- 14:20 UTC cache restarted\n",
	"reports/db/failover.md": "---\nservices: [payments-db]\ncategory: availability\n---\n" +
		"# Database failover\n\n## Summary\n\nThe primary failed over to the replica.\n",
	"reports/notes.txt":   "binary\x00data",
	"reports/empty.md":    "   \n",
	"reports/.git/x.md":   "# hidden\n",
	"reports/image.png":   "not markdown",
	"reports/plain-notes": "# Plain notes\n\nA file without an extension.\n",
}

// TestCommandsAgainstServer: import, list, show, export and search give
// the same output and exit codes against a server as against the local
// database file.
func TestCommandsAgainstServer(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, remoteReports)
	reports, missing := filepath.Join(dir, "reports"), filepath.Join(dir, "missing")

	// The same import into a local file and into a server's store.
	local := filepath.Join(dir, "local.db")
	codeL, outL, _ := runCLI(t, "--db", local, "import", reports, missing)
	url, token := startServer(t, filepath.Join(dir, "remote.db"), debrief.AccessAdmin)
	codeR, outR, errR := runCLI(t, "--server", url, "--token", token, "import", reports, missing)
	if codeL != exitFailure || codeR != codeL {
		t.Errorf("import exit codes: local %d, server %d; want %d", codeL, codeR, exitFailure)
	}
	if diff := cmp.Diff(outL, outR); diff != "" {
		t.Errorf("import output differs (-local +server):\n%s\n%s", diff, errR)
	}
	for _, want := range []string{"created  ", "skipped  ", "FAILED   ", "the file is empty",
		"no such file or folder", "6 files: 3 created"} {
		if !strings.Contains(outR, want) {
			t.Errorf("import output lacks %q:\n%s", want, outR)
		}
	}

	// A second import changes nothing.
	_, again, _ := runCLI(t, "--server", url, "--token", token, "import", "-q", reports)
	if !strings.Contains(again, "0 created, 0 updated, 3 unchanged") {
		t.Errorf("re-import: %s", again)
	}

	// Reading: a server over the local file answers what the file does.
	url, token = startServer(t, local, debrief.AccessViewer)
	t.Setenv("DEBRIEF_TOKEN", token)
	for _, args := range [][]string{
		{"list"}, {"list", "--format", "json"}, {"list", "--severity", "critical"},
		{"list", "--limit", "1"}, {"list", "--severity", "nonsense"},
		{"show", "2024-03-07-cache"}, {"show", "2024-03-07-cache", "--format", "json"},
		{"show", "no-such-report"},
		{"search", "cache"}, {"search", "cache", "--format", "json"}, {"search", "zzzz"},
		{"export", "--format", "json", "2024-03-07-cache", "failover"},
	} {
		codeL, outL, errL := runCLI(t, append([]string{"--db", local}, args...)...)
		codeR, outR, errR := runCLI(t, append([]string{"--server", url}, args...)...)
		outL, outR = withoutExportTime(outL), withoutExportTime(outR)
		if codeL != codeR || outL != outR || errL != errR {
			t.Errorf("debrief %s differs:\nlocal  exit %d\n%s%s\nserver exit %d\n%s%s",
				strings.Join(args, " "), codeL, outL, errL, codeR, outR, errR)
		}
		if strings.Contains(outR+errR, token) {
			t.Errorf("debrief %s prints the token", strings.Join(args, " "))
		}
	}

	// Markdown exports write the same files.
	mdL, mdR := filepath.Join(dir, "md-local"), filepath.Join(dir, "md-server")
	mustRun(t, "--db", local, "export", "--out", mdL)
	mustRun(t, "--server", url, "export", "--out", mdR)
	if a, b := readDir(t, mdL), readDir(t, mdR); !cmp.Equal(a, b) || len(a) != 3 {
		t.Errorf("Markdown exports differ (-local +server):\n%s", cmp.Diff(a, b))
	}
}

var exportedAt = regexp.MustCompile(`"exported_at": "[^"]*"`)

func withoutExportTime(s string) string { return exportedAt.ReplaceAllString(s, "") }

func readDir(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(data)
	}
	return out
}

func TestServerCommandsRefuseWhatTheyCannotDo(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, remoteReports)
	url, token := startServer(t, filepath.Join(dir, "d.db"), debrief.AccessViewer)

	// No token: said before anything is sent.
	t.Setenv("DEBRIEF_TOKEN", "")
	code, _, errOut := runCLI(t, "--server", url, "list")
	if code != exitFailure || !strings.Contains(errOut, "DEBRIEF_TOKEN") {
		t.Errorf("no token: exit %d, %s", code, errOut)
	}
	// A token the server does not know.
	code, _, errOut = runCLI(t, "--server", url, "--token", "dbf_nonsense", "list")
	if code != exitFailure || !strings.Contains(errOut, "token") ||
		strings.Contains(errOut, "dbf_nonsense") {
		t.Errorf("unknown token: exit %d, %s", code, errOut)
	}
	// A viewer may not import: the file fails, naming the role it needs.
	code, out, errOut := runCLI(t, "--server", url, "--token", token, "import",
		filepath.Join(dir, "reports", "db", "failover.md"))
	if code != exitFailure || !strings.Contains(out, "contributor") {
		t.Errorf("viewer import: exit %d\n%s%s", code, out, errOut)
	}
	// An id no report can have would name the list once the server cleans
	// the path: refused, not shown as an empty report.
	for _, id := range []string{".", ".."} {
		code, out, errOut = runCLI(t, "--server", url, "--token", token, "show", id)
		if code != exitFailure || out != "" || !strings.Contains(errOut, "report id") {
			t.Errorf("show %q: exit %d, stdout %q, stderr %q", id, code, out, errOut)
		}
	}
	// Nobody listens here.
	code, _, errOut = runCLI(t, "--server", "http://127.0.0.1:1", "--token", token, "list")
	if code != exitFailure || !strings.Contains(errOut, "cannot reach the server") {
		t.Errorf("no server: exit %d, %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "--server", "ftp://example", "--token", token, "list")
	if code != exitFailure || !strings.Contains(errOut, "not an http") {
		t.Errorf("bad URL: exit %d, %s", code, errOut)
	}
}

// TestServerImportByContributor: a contributor's import starts drafts and
// says so; an admin's keeps the document's status, as a local import does.
func TestServerImportByContributor(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, remoteReports)
	url, token := startServer(t, filepath.Join(dir, "d.db"), debrief.AccessContributor)
	code, out, errOut := runCLI(t, "--server", url, "--token", token, "import",
		filepath.Join(dir, "reports", "db", "failover.md"))
	if code != exitOK || !strings.Contains(out, "started as a draft") {
		t.Errorf("contributor import: exit %d\n%s%s", code, out, errOut)
	}
	list := mustRun(t, "--server", url, "--token", token, "list")
	if !regexp.MustCompile(`failover\s+\S*\s*\S*\s*draft`).MatchString(list) {
		t.Errorf("the imported report is not a draft:\n%s", list)
	}
}

// TestServerImportRefusedPerFile: a document the server refuses to this
// person fails alone, and the import goes on to the next.
func TestServerImportRefusedPerFile(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, remoteReports)
	url, token := startServer(t, filepath.Join(dir, "d.db"), debrief.AccessViewer)
	code, out, errOut := runCLI(t, "--server", url, "--token", token, "import",
		filepath.Join(dir, "reports"))
	if code != exitFailure {
		t.Errorf("viewer import: exit %d, want %d\n%s%s", code, exitFailure, out, errOut)
	}
	failed := strings.Count(out, "FAILED")
	if failed < 2 || !strings.Contains(out, strconv.Itoa(failed)+" failed") {
		t.Errorf("want every document failed alone and counted:\n%s%s", out, errOut)
	}
}
