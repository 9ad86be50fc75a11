package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

// nativeFullText is the full report as Write writes it, for tests to break.
func nativeFullText(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, nativeFullReport()); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// nativeLineOf returns the 1-based line on which s first occurs in text.
func nativeLineOf(t *testing.T, text, s string) int {
	t.Helper()
	i := strings.Index(text, s)
	if i < 0 {
		t.Fatalf("%q not in the text", s)
	}
	return strings.Count(text[:i], "\n") + 1
}

func TestNativeDecodeErrors(t *testing.T) {
	full := nativeFullText(t)
	replace := func(old, new string) func(t *testing.T) (string, int) {
		return func(t *testing.T) (string, int) {
			return strings.Replace(full, old, new, 1), nativeLineOf(t, full, old)
		}
	}
	tests := []struct {
		name string
		doc  func(t *testing.T) (string, int) // the file and the line to blame
		want string
	}{
		{"unknown version", replace("debrief: 1", "debrief: 2"), "version"},
		{"version not a number", replace("debrief: 1", "debrief: one"), "version"},
		{"front matter time", replace(`created_at: "2024-03-08T10:00:00Z"`,
			"created_at: last tuesday"), "RFC 3339"},
		{"incident time", replace(`resolved_at: "2024-03-07T15:30:00Z"`,
			"resolved_at: 2024-03-07 15:30"), "RFC 3339"},
		{"front matter type", replace("version: 4", "version: [4]"), "cannot unmarshal"},
		{"timeline time", replace("| 2024-03-07T14:09:00Z |", "| 14:09 |"), "timeline time"},
		{"row with a missing cell", replace("| operational | Two teams paged |",
			"| operational |"), "cells"},
		{"row with a bare pipe", replace("| Process | No review of config units |",
			"| Process | No review | of config units |"), "cells"},
		{"header of the wrong width", replace("| Name | Role |", "| Name |"), "columns"},
		{"missing delimiter row", replace("| Title | URL |\n| --- | --- |",
			"| Title | URL |"), "delimiter"},
		{"impact quantity", replace("| 46 | 18250 |", "| 46 | many |"), "users affected"},
		{"action number", replace("| 2 | Alert on", "| two | Alert on"), "number"},
		{"team owner flag", replace("| platform | yes |", "| platform | maybe |"), "team owner"},
		{"meeting date", replace("**Date:** 2024-03-11T09:00:00Z", "**Date:** Monday"),
			"meeting date"},
		{"unclosed block", replace("<!-- /debrief:trigger -->", ""), "never closed"},
		{"why nested too deep", replace("  - **Why were", "      - **Why were"), "indented"},
		{"why without its ID", replace(" *(#4)*", ""), "ID in italics"},
		{"why with a bad kind", replace("*(#3, root cause)*", "*(#3, obvious)*"), "kind"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text, line := tt.doc(t)
			switch tt.name {
			case "unclosed block":
				line = nativeLineOf(t, full, "<!-- debrief:trigger -->")
			case "missing delimiter row":
				line++ // the row where the delimiter should be
			}
			_, err := Parse(Document{Name: "broken.md", Data: []byte(text)})
			if err == nil {
				t.Fatal("no error")
			}
			if debrief.ErrorKind(err) != debrief.KindInvalid {
				t.Errorf("kind = %v, want invalid (%v)", debrief.ErrorKind(err), err)
			}
			msg := debrief.ErrorMessage(err)
			if !strings.Contains(msg, fmt.Sprintf("line %d:", line)) ||
				!strings.Contains(msg, tt.want) {
				t.Errorf("message %q should name line %d and say %q", msg, line, tt.want)
			}
		})
	}
}

func TestNativeDecodeWarnings(t *testing.T) {
	full := nativeFullText(t)
	tests := []struct {
		name, old, new, blame, want string
	}{
		{"unknown key", "version: 4", "version: 4\nreviewers: [ana]", "reviewers:",
			`unknown front matter key "reviewers"`},
		{"unknown incident key", "  severity: P1", "  severity: P1\n  pager: p-9", "  pager:",
			`"incident.pager"`},
		{"unknown block", "## Team", "<!-- debrief:mood -->\nfine\n<!-- /debrief:mood -->\n\n## Team",
			"<!-- debrief:mood -->", `unknown block "mood"`},
		{"text outside blocks", "## What happened\n", "## What happened\n\nStray words.\n",
			"Stray words.", "outside"},
		{"edited title heading", "# Checkout outage", "# Checkout outage, revised",
			"# Checkout outage", "title heading"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(full, tt.old, tt.new, 1)
			res, err := Parse(Document{Name: "x.md", Data: []byte(text)})
			if err != nil {
				t.Fatal(err)
			}
			line := nativeLineOf(t, text, tt.blame)
			found := false
			for _, w := range res.Warnings {
				found = found || (w.Line == line && strings.Contains(w.Message, tt.want))
			}
			if !found {
				t.Errorf("warnings %v lack one on line %d saying %q", res.Warnings, line, tt.want)
			}
			if res.Postmortem.Title != nativeFullReport().Title ||
				len(res.Postmortem.Timeline) != 4 {
				t.Errorf("the rest of the report was not read")
			}
		})
	}
}

// TestNativeHumanEdits checks edits a reviewer makes by hand in a pull
// request: Windows line endings, a table without outer pipes, an added why.
func TestNativeHumanEdits(t *testing.T) {
	full := nativeFullText(t)
	text := strings.Replace(full, "| 1 | Rename", "1 | Rename", 1)
	added := "    - **Why?** Nobody had tuned them. *(#5)*\n"
	text = strings.Replace(text, "*(#4)*\n", "*(#4)*\n"+added, 1)
	text = strings.ReplaceAll(text, "\n", "\r\n")
	res, err := Parse(Document{Name: "x.md", Data: []byte(text)})
	if err == nil {
		t.Logf("warnings: %v", res.Warnings)
	}
	if err != nil {
		t.Fatal(err)
	}
	whys := res.Postmortem.Analysis.Whys
	if last := whys[len(whys)-1]; last.ID != 5 || last.ParentID != 4 {
		t.Errorf("added why = %+v", last)
	}
	if n := len(res.Postmortem.ActionItems); n != 2 {
		t.Errorf("%d action items, want 2", n)
	}
}
