package corpus

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Replicate copies the corpus reports into dir until it holds n files, each
// under its own name so that each becomes its own record when imported:
// the collection of 10,000 reports the speed targets are stated for.
func Replicate(t testing.TB, dir string, n int) {
	t.Helper()
	reports := Reports(t)
	var sources [][]byte
	err := filepath.WalkDir(reports, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		sources = append(sources, data)
		return err
	})
	if err != nil || len(sources) == 0 {
		t.Skipf("corpus not readable at %s: %v", reports, err)
	}
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("copy-%03d", i/len(sources)))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(sub, fmt.Sprintf("report-%05d.md", i))
		if err := os.WriteFile(name, sources[i%len(sources)], 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
