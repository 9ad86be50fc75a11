package markdown

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

// FuzzNative checks both directions of the format: any text placed in any
// kind of field survives Write and Parse, and Parse of arbitrary bytes
// behind a "debrief: 1" front matter never panics and fails only with
// KindInvalid.
func FuzzNative(f *testing.F) {
	for _, s := range nativeAwkward {
		f.Add(s, []byte(s))
	}
	golden, _ := filepath.Glob(filepath.Join("testdata", "golden", "*.md"))
	for _, path := range golden {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add("", data)
		f.Add("", bytes.SplitN(data, []byte("---\n"), 3)[2])
	}
	f.Fuzz(func(t *testing.T, text string, raw []byte) {
		p := nativeReportWith(text)
		var buf bytes.Buffer
		if err := Write(&buf, p); err != nil {
			t.Fatalf("Write: %v", err)
		}
		res, err := Parse(Document{Name: "fuzz.md", Data: buf.Bytes()})
		if err != nil {
			t.Fatalf("Parse of Write: %v\n%s", err, buf.Bytes())
		}
		if diff := cmp.Diff(Normalize(p), res.Postmortem); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s\n%s", diff, buf.Bytes())
		}

		// Arbitrary bytes may be anything; they must merely not panic.
		_, _ = Parse(Document{Name: "raw.md", Data: raw})
		native := append([]byte("---\ndebrief: 1\n---\n"), raw...)
		if _, err := Parse(Document{Name: "raw.md", Data: native}); err != nil &&
			debrief.ErrorKind(err) != debrief.KindInvalid {
			t.Fatalf("error of kind %v: %v", debrief.ErrorKind(err), err)
		}
	})
}

// nativeReportWith puts s in a field of every shape the format writes:
// front matter, headings, prose blocks, table cells, list items, why items.
func nativeReportWith(s string) *debrief.Postmortem {
	p := nativeFullReport()
	p.ID, p.Title, p.Authors = s, s, []string{s}
	p.Incident.Services = []string{s, s}
	p.Summary.Narrative = s
	p.Timeline[0].Text, p.Timeline[1].TimeText = s, s
	p.Analysis.RootCause = s
	p.Analysis.Whys[0].Question, p.Analysis.Whys[1].Answer = s, s
	p.Analysis.Whys[2].Kind = debrief.CauseKind(s)
	p.Lessons = append(p.Lessons, debrief.Lesson{Kind: debrief.LessonKind(s), Text: s})
	p.ActionItems[0].Owner = s
	p.Meeting.Attendees = []string{s}
	p.Meeting.Notes = s
	p.Sections = append(p.Sections, debrief.Section{Heading: s, Body: s})
	p.Fields = map[string]string{s: s}
	return p
}
