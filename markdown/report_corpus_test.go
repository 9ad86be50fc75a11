package markdown

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief/internal/corpus"
)

// corpusDir holds real postmortems as their authors published them; they
// are read in place and never copied into the repository.
var corpusDir = corpus.Lookup()

func corpusFiles(t testing.TB) []string {
	t.Helper()
	if corpusDir == "" {
		corpus.Reports(t) // skips, or fails where the corpus is required
	}
	var files []string
	err := filepath.WalkDir(corpusDir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func parseCorpusFile(t testing.TB, rel string) *Result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, rel))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse(Document{Name: rel, Data: data})
	if err != nil {
		t.Fatalf("%s: %v", rel, err)
	}
	return res
}

type orgCounts struct {
	files, timelines, events, actions, undated int
}

// TestCorpusParses reads every report of the corpus: none may fail, every
// warning points into the file, and each organisation yields at least what
// the reader reached when this test was written (the floors are those
// counts, so a change that loses entries fails here).
func TestCorpusParses(t *testing.T) {
	counts := map[string]*orgCounts{}
	for _, path := range corpusFiles(t) {
		rel, _ := filepath.Rel(corpusDir, path)
		res := parseCorpusFile(t, rel)
		org := strings.SplitN(filepath.ToSlash(rel), "/", 2)[0]
		c := counts[org]
		if c == nil {
			c = &orgCounts{}
			counts[org] = c
		}
		c.files++
		checkResult(t, rel, res, mustRead(t, path))
		if n := len(res.Postmortem.Timeline); n > 0 {
			c.timelines++
			c.events += n
		}
		for _, e := range res.Postmortem.Timeline {
			if e.Time.IsZero() {
				c.undated++
			}
		}
		c.actions += len(res.Postmortem.ActionItems)
	}
	minimum := map[string]orgCounts{
		"dfds":    {files: 40, timelines: 40, events: 379, actions: 130},
		"chia":    {files: 34, timelines: 33, events: 263},
		"posthog": {files: 8, timelines: 4, events: 67, actions: 66},
		"icco":    {files: 162},
	}
	for org, c := range counts {
		t.Logf("%-8s files %3d  timelines %3d  events %4d (undated %3d)  action items %4d",
			org, c.files, c.timelines, c.events, c.undated, c.actions)
		m := minimum[org]
		if c.files < m.files || c.timelines < m.timelines || c.events < m.events ||
			c.actions < m.actions {
			t.Errorf("%s: got %+v, want at least %+v", org, *c, m)
		}
	}
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkResult asserts what must hold for any parsed report.
func checkResult(t testing.TB, name string, res *Result, data []byte) {
	t.Helper()
	lines := strings.Count(string(data), "\n") + 1
	for _, w := range res.Warnings {
		if w.Line < 0 || w.Line > lines {
			t.Errorf("%s: warning %q points outside the file (%d lines)", name, w, lines)
		}
	}
	p := res.Postmortem
	if p.Title == "" {
		t.Errorf("%s: no title", name)
	}
	for i, e := range p.Timeline {
		if e.Text == "" && e.TimeText == "" {
			t.Errorf("%s: event %d has neither text nor time", name, i)
		}
		if !e.Time.IsZero() && e.Time.Location() != time.UTC {
			t.Errorf("%s: event %d not in UTC: %v", name, i, e.Time)
		}
	}
}
