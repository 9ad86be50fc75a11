package slack

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
	"unicode/utf8"

	"github.com/debrief-oss/debrief/internal/corpus"
)

// corpusSeeds returns the JSON files of the corpus exports by kind, and
// each export zipped, to seed the fuzzers. Without the corpus it returns
// nothing and the fuzzers start from their own seeds.
func corpusSeeds(f *testing.F) (lists, days []string, zips [][]byte) {
	f.Helper()
	if corpus.Lookup() == "" {
		return nil, nil, nil
	}
	root := filepath.Join(corpus.Payloads(f), "slack-export")
	paths, _ := filepath.Glob(filepath.Join(root, "*", "*.json"))
	days, _ = filepath.Glob(filepath.Join(root, "*", "*", "*.json"))
	read := func(ps []string) []string {
		var out []string
		for _, p := range ps {
			if data, err := os.ReadFile(p); err == nil {
				out = append(out, string(data))
			}
		}
		return out
	}
	for _, name := range []string{"campfire-ce", "slackdump"} {
		var entries [][2]string
		files, _ := filepath.Glob(filepath.Join(root, name, "*.json"))
		more, _ := filepath.Glob(filepath.Join(root, name, "*", "*.json"))
		for _, p := range append(files, more...) {
			data, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(filepath.Join(root, name), p)
			entries = append(entries, [2]string{filepath.ToSlash(rel), string(data)})
		}
		zips = append(zips, zipEntries(entries))
	}
	return read(paths), read(days), zips
}

// zipEntries builds a zip in memory, ignoring errors as a fuzzer's
// helper may.
func zipEntries(entries [][2]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		if w, err := zw.Create(e[0]); err == nil {
			w.Write([]byte(e[1]))
		}
	}
	zw.Close()
	return buf.Bytes()
}

// FuzzRead builds an export from fuzz bytes (a channel list, a user list
// and one day file), reads it as a folder and as a zip, and reads and
// renders every channel: nothing may panic, and what comes back must keep
// the reader's promises.
func FuzzRead(f *testing.F) {
	lists, days, _ := corpusSeeds(f)
	f.Add(testChannels, testUsers, `[{"ts": "1.5", "thread_ts": "1.4", "text": "<@U1>"}]`)
	f.Add(`[{"id": "C1", "name": "../x"}]`, `null`, `[]`)
	for i, day := range days {
		f.Add(lists[i%len(lists)], testUsers, day)
	}
	f.Fuzz(func(t *testing.T, channels, users, day string) {
		restore := lowLimits()
		defer restore()
		files := [][2]string{{"channels.json", channels}, {"users.json", users}}
		if ex, err := Read(fstest.MapFS{}); err == nil {
			t.Fatalf("an empty folder read as an export: %+v", ex)
		}
		for _, c := range []string{"ops", "C1", "general", "B75B4C7"} {
			files = append(files, [2]string{c + "/2024-01-15.json", day})
		}
		fsys := fstest.MapFS{}
		for _, e := range files {
			fsys[e[0]] = &fstest.MapFile{Data: []byte(e[1])}
		}
		archive := zipEntries(files)
		for _, open := range []func() (*Export, error){
			func() (*Export, error) { return Read(fsys) },
			func() (*Export, error) {
				return ReadZip(bytes.NewReader(archive), int64(len(archive)))
			},
		} {
			if ex, err := open(); err == nil {
				checkExport(t, ex)
			}
		}
	})
}

// FuzzReadZip reads fuzz bytes as a zipped export.
func FuzzReadZip(f *testing.F) {
	_, _, zips := corpusSeeds(f)
	for _, z := range zips {
		f.Add(z)
	}
	f.Add(zipEntries([][2]string{{"x/channels.json", testChannels}, {"x/ops/2024-01-15.json",
		`[{"ts": "1705312800.000001", "text": "hi"}]`}}))
	f.Fuzz(func(t *testing.T, archive []byte) {
		restore := lowLimits()
		defer restore()
		if ex, err := ReadZip(bytes.NewReader(archive), int64(len(archive))); err == nil {
			checkExport(t, ex)
		}
	})
}

// lowLimits lowers the size limits so a fuzzer meets them, and returns a
// function that restores them.
func lowLimits() func() {
	oldFile, oldTotal := maxFileSize, maxTotalSize
	maxFileSize, maxTotalSize = 64<<10, 256<<10
	return func() { maxFileSize, maxTotalSize = oldFile, oldTotal }
}

func checkExport(t *testing.T, ex *Export) {
	t.Helper()
	for _, c := range ex.Channels {
		msgs, err := ex.Messages(c.ID, time.Time{}, time.Time{})
		if err != nil {
			continue
		}
		if !slices.IsSortedFunc(msgs, func(a, b Message) int { return a.Time.Compare(b.Time) }) {
			t.Errorf("messages of %q not in time order", c.Name)
		}
		for _, m := range msgs {
			if m.Time.Location() != time.UTC {
				t.Errorf("message %q time %v not in UTC", m.TS, m.Time)
			}
			if m.Parent == m.TS {
				t.Errorf("message %q is its own parent", m.TS)
			}
			ex.Render(m, nil)
		}
	}
}

// FuzzRender renders fuzz text: no panic, and text without markup or
// escapes comes back as it was.
func FuzzRender(f *testing.F) {
	f.Add("Hey <@U1|alice>, see <https://x.io|x> &amp; <#C1|ops> <!here>")
	f.Add("<!date^1392734382^{date} at {time}|Feb 18> <!subteam^S1> <mailto:a@b.c>")
	f.Add("<<<>>> &amp;lt; <|> <@> <#> <!> <!date^99999999999999999999>")
	ex := &Export{Channels: []Channel{{ID: "C1", Name: "ops"}},
		Users: map[string]User{"U1": {ID: "U1", Name: "alice"}}}
	f.Fuzz(func(t *testing.T, text string) {
		got := ex.RenderText(text, func(id string) string {
			if id == "U2" {
				return "commander"
			}
			return ""
		})
		if !strings.ContainsAny(text, "<&") && got != text {
			t.Errorf("plain text changed: %q → %q", text, got)
		}
		if utf8.ValidString(text) && !utf8.ValidString(got) {
			t.Errorf("valid text %q rendered invalid: %q", text, got)
		}
		if len(got) > 3*len(text)+64 {
			t.Errorf("rendering grew %d bytes to %d", len(text), len(got))
		}
	})
}
