package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief/auth"
	"github.com/debrief-oss/debrief/sqlstore"
)

// runWithStdin runs the command line in-process with the given standard
// input, which is not a terminal.
func runWithStdin(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = runWithInput(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestUserAddAndList(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	code, out, errOut := runWithStdin(t, "correct horse\n",
		"--db", db, "user", "add", "alice", "--role", "facilitator",
		"--display-name", "Alice Liddell", "--email", "alice@example.com", "--password-stdin")
	if code != exitOK {
		t.Fatalf("user add: exit %d\n%s", code, errOut)
	}
	if strings.Contains(out+errOut, "correct horse") || strings.Contains(out+errOut, "argon2") {
		t.Errorf("user add shows the password or its hash:\n%s%s", out, errOut)
	}

	list := mustRun(t, "--db", db, "user", "list")
	if !regexp.MustCompile(`alice\s+facilitator\s+\S+\s+active\s+alice@example\.com\s+`+
		`Alice Liddell`).MatchString(list) || !strings.Contains(list, "EMAIL") {
		t.Errorf("user list lacks alice as facilitator with her e-mail:\n%s", list)
	}
	js := mustRun(t, "--db", db, "user", "list", "--format", "json")
	if strings.Contains(js, "argon2") || !strings.Contains(js, `"name": "alice"`) {
		t.Errorf("user list JSON: want alice without her hash:\n%s", js)
	}

	// The password is stored as typed, without its line ending.
	store, err := sqlstore.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	u, err := store.User(context.Background(), "alice")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := auth.VerifyPassword(u.PasswordHash, "correct horse"); !ok || err != nil {
		t.Errorf("the stored hash does not verify the piped password: %v, %v", ok, err)
	}

	code, _, errOut = runWithStdin(t, "correct horse",
		"--db", db, "user", "add", "ALICE", "--role", "viewer", "--password-stdin")
	if code != exitFailure || !strings.Contains(errOut, "taken") {
		t.Errorf("second alice: exit %d, stderr %q; want a failure saying the name is taken",
			code, errOut)
	}
}

func TestUserAddRefuses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	tests := []struct {
		name, stdin string
		args        []string
		code        int
		stderr      string
	}{
		{"no terminal", "", []string{"alice", "--role", "admin"}, exitFailure, "--password-stdin"},
		{"short password", "short\n", []string{"alice", "--role", "admin", "--password-stdin"},
			exitFailure, "too short"},
		{"long password", strings.Repeat("x", 2000), []string{"alice", "--role", "admin",
			"--password-stdin"}, exitFailure, "too long"},
		{"bad name", "long enough\n", []string{"alice smith", "--role", "admin",
			"--password-stdin"}, exitFailure, "letters, digits"},
		{"bad role", "long enough\n", []string{"alice", "--role", "root", "--password-stdin"},
			exitUsage, "root"},
		{"no role", "long enough\n", []string{"alice", "--password-stdin"}, exitUsage, "--role"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"--db", db, "user", "add"}, tt.args...)
			code, _, errOut := runWithStdin(t, tt.stdin, args...)
			if code != tt.code || !strings.Contains(errOut, tt.stderr) {
				t.Errorf("exit %d, stderr %q; want exit %d mentioning %q",
					code, errOut, tt.code, tt.stderr)
			}
		})
	}
	if list := mustRun(t, "--db", db, "user", "list"); strings.Contains(list, "alice") {
		t.Errorf("a refused user was added:\n%s", list)
	}
}

func TestTokenCreateListRevoke(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	code, _, errOut := runWithStdin(t, "long enough\n",
		"--db", db, "user", "add", "ci-bot", "--role", "contributor", "--password-stdin")
	if code != exitOK {
		t.Fatalf("user add: exit %d\n%s", code, errOut)
	}

	code, out, errOut := runCLI(t, "--db", db, "token", "create", "--user", "ci-bot",
		"--role", "viewer", "--label", "nightly import")
	if code != exitOK {
		t.Fatalf("token create: exit %d\n%s", code, errOut)
	}
	if !regexp.MustCompile(`^dbf_[A-Za-z0-9_-]{43}\n$`).MatchString(out) {
		t.Errorf("token create stdout = %q, want the secret alone", out)
	}
	secret := strings.TrimSpace(out)
	if strings.Contains(errOut, secret) || strings.Contains(errOut, auth.HashToken(secret)) {
		t.Errorf("token create's stderr shows the secret or its hash: %q", errOut)
	}

	list := mustRun(t, "--db", db, "token", "list", "--user", "ci-bot")
	if !regexp.MustCompile(`(?m)^1\s+viewer\s+\S+\s+-\s+-\s+nightly import$`).MatchString(list) {
		t.Errorf("token list lacks the live viewer token:\n%s", list)
	}
	if strings.Contains(list, auth.HashToken(secret)) {
		t.Errorf("token list shows the hash:\n%s", list)
	}

	mustRun(t, "--db", db, "token", "revoke", "1")
	js := mustRun(t, "--db", db, "token", "list", "--user", "ci-bot", "--format", "json")
	var tokens []struct {
		ID        int64  `json:"id"`
		RevokedAt string `json:"revoked_at"`
	}
	if err := json.Unmarshal([]byte(js), &tokens); err != nil {
		t.Fatal(err)
	}
	if len(tokens) != 1 || tokens[0].RevokedAt == "" {
		t.Errorf("after revoke, tokens = %+v; want token 1 revoked", tokens)
	}
}

func TestTokenCreateRefuses(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	code, _, errOut := runWithStdin(t, "long enough\n",
		"--db", db, "user", "add", "viv", "--role", "viewer", "--password-stdin")
	if code != exitOK {
		t.Fatalf("user add: exit %d\n%s", code, errOut)
	}
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"token", "create", "--user", "viv", "--role", "admin"}, exitFailure, "at most"},
		{[]string{"token", "create", "--user", "nobody"}, exitFailure, "not found"},
		{[]string{"token", "create"}, exitUsage, "--user"},
		{[]string{"token", "revoke", "42"}, exitFailure, "not found"},
		{[]string{"token", "revoke", "one"}, exitUsage, "one"},
		{[]string{"token", "list", "--user", "nobody"}, exitFailure, "not found"},
	}
	for _, tt := range tests {
		code, out, errOut := runCLI(t, append([]string{"--db", db}, tt.args...)...)
		if code != tt.code || !strings.Contains(errOut, tt.stderr) || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d mentioning %q",
				tt.args, code, out, errOut, tt.code, tt.stderr)
		}
	}
}

// TestUserEmailOnAServer: with a server named, user email says where a
// server's people set their address, and opens no local file.
func TestUserEmailOnAServer(t *testing.T) {
	db := filepath.Join(t.TempDir(), "d.db")
	t.Setenv("DEBRIEF_SERVER", "http://127.0.0.1:1")
	code, _, errOut := runCLI(t, "--db", db, "user", "email", "ana", "ana@example.com")
	if code != exitUsage || !strings.Contains(errOut, "on their /account page") {
		t.Errorf("exit %d, stderr %q; want exit %d pointing to /account", code, errOut,
			exitUsage)
	}
}
