package sqlstore_test

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestLibcMatchesSQLite guards a trap: modernc.org/sqlite works only with
// the exact modernc.org/libc version its own go.mod names, and upgrading
// another module (goose past v3.29, say) can raise libc silently.
func TestLibcMatchesSQLite(t *testing.T) {
	if testing.Short() {
		t.Skip("needs the go command")
	}
	ours := moduleInfo(t, "modernc.org/libc")
	sqlite := moduleInfo(t, "modernc.org/sqlite")
	if sqlite.GoMod == "" {
		t.Skip("modernc.org/sqlite's go.mod is not in the module cache")
	}
	f, err := os.Open(sqlite.GoMod)
	if err != nil {
		t.Skipf("module cache unavailable: %v", err)
	}
	defer f.Close()

	want := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(strings.TrimPrefix(strings.TrimSpace(sc.Text()), "require"))
		if len(fields) >= 2 && fields[0] == "modernc.org/libc" {
			want = fields[1]
		}
	}
	if want == "" {
		t.Fatalf("%s names no modernc.org/libc", sqlite.GoMod)
	}
	if ours.Version != want {
		t.Errorf("go.mod has modernc.org/libc %s, but modernc.org/sqlite %s requires %s",
			ours.Version, sqlite.Version, want)
	}
}

type module struct {
	Version string
	GoMod   string
}

func moduleInfo(t *testing.T, path string) module {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-json", path).Output()
	if err != nil {
		t.Skipf("go list -m %s: %v", path, err)
	}
	var m module
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatalf("go list -m %s: %v", path, err)
	}
	return m
}
