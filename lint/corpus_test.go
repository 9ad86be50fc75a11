package lint

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/debrief-oss/debrief/internal/corpus"
)

// reportTexts reads every Markdown report of the corpus in place.
func reportTexts(tb testing.TB) map[string]string {
	tb.Helper()
	root := corpus.Reports(tb)
	texts := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".md") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		texts[path] = string(data)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	if len(texts) == 0 {
		tb.Fatalf("no reports under %s", root)
	}
	return texts
}

// TestReports lints every corpus report and checks that each finding
// points at a valid place in the text.
func TestReports(t *testing.T) {
	c := New(Roster{})
	counts := map[string]int{}
	for path, text := range reportTexts(t) {
		for _, f := range c.Text("document", text) {
			checkFinding(t, path, text, f)
			counts[f.Rule]++
		}
	}
	t.Logf("findings by rule over the corpus: %v", counts)
}

func checkFinding(t *testing.T, name, text string, f Finding) {
	t.Helper()
	if f.Start < 0 || f.End > len(text) || f.Start >= f.End ||
		!utf8.RuneStart(text[f.Start]) || f.End < len(text) && !utf8.RuneStart(text[f.End]) {
		t.Fatalf("%s: %s span %d-%d is not a rune-aligned span of the text", name, f.Rule,
			f.Start, f.End)
	}
	lineStart := strings.LastIndexByte(text[:f.Start], '\n') + 1
	line := strings.Count(text[:f.Start], "\n") + 1
	col := utf8.RuneCountInString(text[lineStart:f.Start]) + 1
	if f.Line != line || f.Column != col {
		t.Fatalf("%s: %s at byte %d is line %d column %d, want %d:%d", name, f.Rule,
			f.Start, f.Line, f.Column, line, col)
	}
	if f.Rule == "" || f.Message == "" || f.Suggestion == "" || f.Severity == "" {
		t.Fatalf("%s: finding %+v lacks a rule, message, suggestion or severity", name, f)
	}
}

func BenchmarkText(b *testing.B) {
	texts := reportTexts(b)
	c := New(Roster{})
	var size int64
	for _, t := range texts {
		size += int64(len(t))
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			c.Text("document", t)
		}
	}
}

// BenchmarkDocument checks whole reports as debrief lint does: the
// report's own systems first, then its text.
func BenchmarkDocument(b *testing.B) {
	texts := reportTexts(b)
	var size int64
	for _, t := range texts {
		size += int64(len(t))
	}
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			New(Roster{Systems: DocumentSystems(t)}).Text("document", t)
		}
	}
}

func FuzzText(f *testing.F) {
	f.Add("Alice forgot to renew the certificate; call 555-0142.")
	f.Add("Ms. Ito wrote to a.b@example.com and @dchen <@U123>.\nÅsa’s team broke it.")
	if dir := corpus.Lookup(); dir != "" {
		for _, text := range reportTexts(f) {
			if len(text) > 4000 {
				text = text[:4000]
			}
			f.Add(text)
		}
	}
	c := New(Roster{People: []Person{{Name: "Will Thompson", Role: "incident commander"}},
		Systems: []string{"Jarvis"}})
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			c.Text("fuzz", text) // must not panic; rune checks need valid text
			return
		}
		done := make(chan []Finding, 1)
		go func() { done <- c.Text("fuzz", text) }()
		var found []Finding
		select {
		case found = <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("Text took over 5 s on %d bytes", len(text))
		}
		prev := 0
		for _, fd := range found {
			checkFinding(t, "fuzz", text, fd)
			if fd.Start < prev {
				t.Fatalf("findings out of order at byte %d", fd.Start)
			}
			prev = fd.Start
		}
	})
}
