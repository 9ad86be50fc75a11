package lint

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/debrief-oss/debrief"
)

// sarifSchema compiles the official SARIF 2.1.0 schema kept in testdata,
// with format assertions on (URIs must be URIs).
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	m := doc.(map[string]any)
	if m["$schema"] != "http://json-schema.org/draft-04/schema#" || m["id"] != SARIFSchema {
		t.Fatalf("schema file is %v, id %v; want the draft-04 SARIF 2.1.0 schema %s",
			m["$schema"], m["id"], SARIFSchema)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(SARIFSchema, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(SARIFSchema)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sarifDoc is the part of a SARIF log the tests read back.
type sarifDoc struct {
	Runs []struct {
		ColumnKind string
		Tool       struct {
			Driver struct {
				Name  string
				Rules []struct {
					ID                   string
					DefaultConfiguration struct{ Level string }
				}
			}
		}
		Results []struct {
			RuleID    string
			RuleIndex int
			Level     string
			Message   struct{ Text string }
			Locations []struct {
				PhysicalLocation struct {
					ArtifactLocation struct{ URI string }
					Region           *struct {
						StartLine, StartColumn, EndLine, EndColumn, CharOffset, CharLength int
					}
				}
			}
			Fixes []struct {
				ArtifactChanges []struct {
					Replacements []struct {
						InsertedContent struct{ Text string }
					}
				}
			}
		}
	}
}

// writeValidSARIF writes inputs as SARIF, validates the log against the
// schema and returns it parsed.
func writeValidSARIF(t *testing.T, s *jsonschema.Schema, inputs []SARIFInput) sarifDoc {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, "test", inputs); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(inst); err != nil {
		t.Fatalf("SARIF output is not valid SARIF 2.1.0: %v", err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 || doc.Runs[0].Tool.Driver.Name != "debrief" ||
		doc.Runs[0].ColumnKind != "utf16CodeUnits" {
		t.Fatalf("want one run of debrief counting UTF-16 columns: %+v", doc.Runs)
	}
	return doc
}

// regionText returns the text a SARIF region names, by its character
// offset and, separately, by its lines and columns (UTF-16 code units).
func regionText(text string, line, col, endLine, endCol, off, n int) (byOffset, byLines string) {
	units := utf16.Encode([]rune(text))
	if off < 0 || off+n > len(units) {
		return "<offset out of range>", ""
	}
	byOffset = string(utf16.Decode(units[off : off+n]))
	lines := strings.SplitAfter(text, "\n")
	if line < 1 || endLine > len(lines) {
		return byOffset, "<line out of range>"
	}
	start, end := 0, 0
	for i := 0; i < endLine-1; i++ {
		n := len(utf16.Encode([]rune(lines[i])))
		if i < line-1 {
			start += n
		}
		end += n
	}
	start, end = start+col-1, end+endCol-1
	if start < 0 || end > len(units) || start > end {
		return byOffset, "<columns out of range>"
	}
	return byOffset, string(utf16.Decode(units[start:end]))
}

func TestSARIFCorpusReportsValidate(t *testing.T) {
	s := sarifSchema(t)
	texts := reportTexts(t)
	paths := make([]string, 0, len(texts))
	for p := range texts {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var inputs []SARIFInput
	for _, p := range paths {
		text := texts[p]
		c := New(Roster{Systems: DocumentSystems(text)})
		inputs = append(inputs, SARIFInput{Path: p, Text: text, Findings: c.Text("document", text)})
	}
	doc := writeValidSARIF(t, s, inputs)
	results := doc.Runs[0].Results
	k, checked := 0, 0
	for _, in := range inputs {
		for _, f := range in.Findings {
			res := results[k]
			k++
			if res.RuleID != f.Rule || doc.Runs[0].Tool.Driver.Rules[res.RuleIndex].ID != f.Rule {
				t.Fatalf("result %d is %s (rule index %d), want %s", k, res.RuleID,
					res.RuleIndex, f.Rule)
			}
			r := res.Locations[0].PhysicalLocation.Region
			if r == nil {
				t.Fatalf("%s: %s has no region", in.Path, f.Rule)
			}
			byOff, byLines := regionText(in.Text, r.StartLine, r.StartColumn, r.EndLine,
				r.EndColumn, r.CharOffset, r.CharLength)
			if want := in.Text[f.Start:f.End]; byOff != want || byLines != want {
				t.Fatalf("%s: %s region %+v names %q (offset) and %q (lines); want %q",
					in.Path, f.Rule, *r, byOff, byLines, want)
			}
			checked++
		}
	}
	if k != len(results) || checked == 0 {
		t.Fatalf("%d results for %d findings", len(results), k)
	}
	t.Logf("%d reports, %d results, every region names its flagged words", len(inputs), k)
}

func TestSARIFStoredReport(t *testing.T) {
	s := sarifSchema(t)
	p := &debrief.Postmortem{
		ID:    "pm-0001",
		Title: "Checkout outage",
		Team:  []debrief.TeamMember{{Name: "Ayşe Demir", Role: debrief.RoleIncidentCommander}},
		Summary: debrief.Summary{
			ExecutiveSummary: "Root cause: human error.",
		},
		Timeline: []debrief.TimelineEvent{
			{Text: "Alerts fired."},
			// Characters outside the Basic Multilingual Plane take two UTF-16
			// units: the name's column must count them so.
			{Text: "🔥🔥 page ignored.\n🔥 Ayşe Demir forgot to escalate."},
		},
	}
	roster := ReportRoster(p)
	fields := map[string]string{}
	for _, f := range ReportFields(p) {
		fields[f.Path] = f.Text
	}
	findings := append(New(roster).Report(p), Completeness(p)...)
	doc := writeValidSARIF(t, s, []SARIFInput{{ReportID: p.ID, Fields: fields,
		Findings: findings}})
	results := doc.Runs[0].Results
	if len(results) != len(findings) {
		t.Fatalf("%d results for %d findings", len(results), len(findings))
	}
	var sawName, sawGap bool
	for i, f := range findings {
		res := results[i]
		loc := res.Locations[0].PhysicalLocation
		wantURI := "debrief:postmortem/pm-0001#" + strings.NewReplacer("[", "%5B", "]", "%5D").
			Replace(f.Section)
		if loc.ArtifactLocation.URI != wantURI {
			t.Errorf("%s: uri %q, want %q", f.Rule, loc.ArtifactLocation.URI, wantURI)
		}
		if f.Line == 0 {
			sawGap = true
			if loc.Region != nil {
				t.Errorf("%s: a gap in the report has a region", f.Rule)
			}
			continue
		}
		r := loc.Region
		text := fields[f.Section]
		byOff, byLines := regionText(text, r.StartLine, r.StartColumn, r.EndLine,
			r.EndColumn, r.CharOffset, r.CharLength)
		if want := text[f.Start:f.End]; byOff != want || byLines != want {
			t.Errorf("%s: region %+v names %q and %q; want %q", f.Rule, *r, byOff, byLines, want)
		}
		if f.Rule == "pii.name" {
			sawName = true
			// Line 2 begins with one emoji (two units) and a space.
			if r.StartLine != 2 || r.StartColumn != 4 || r.EndColumn != 14 {
				t.Errorf("name region %+v, want line 2 columns 4-14", *r)
			}
			fix := res.Fixes[0].ArtifactChanges[0].Replacements[0].InsertedContent.Text
			if fix != "the incident commander" {
				t.Errorf("fix inserts %q, want the role", fix)
			}
		}
		if f.Severity == Error && res.Level != "error" {
			t.Errorf("%s: level %s, want error", f.Rule, res.Level)
		}
	}
	if !sawName || !sawGap {
		t.Errorf("want a located name and a gap without a place: %+v", findings)
	}
}

// TestSARIFSchemaRefuses shows that the validation above can fail: a log
// with a level SARIF does not know, or a relative schema URI where an
// absolute one is due, is refused.
func TestSARIFSchemaRefuses(t *testing.T) {
	s := sarifSchema(t)
	var buf bytes.Buffer
	in := SARIFInput{Path: "pm.md", Text: "Root cause: human error.",
		Findings: New(Roster{}).Text("document", "Root cause: human error.")}
	if err := WriteSARIF(&buf, "test", []SARIFInput{in}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []struct{ from, to string }{
		{`"level": "error"`, `"level": "fatal"`},
		{`"$schema": "https://`, `"$schema": "//`},
	} {
		mutated := strings.Replace(buf.String(), bad.from, bad.to, 1)
		if mutated == buf.String() {
			t.Fatalf("%s is not in the output:\n%s", bad.from, buf.String())
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(mutated))
		if err != nil {
			t.Fatal(err)
		}
		if s.Validate(inst) == nil {
			t.Errorf("a log with %s passed validation", bad.to)
		}
	}
}

func TestSARIFRulesCoverFindings(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] || r.Summary == "" || r.Help == "" {
			t.Errorf("rule %q is listed twice or lacks a summary or help", r.ID)
		}
		seen[r.ID] = true
	}
	text := "Alice forgot to renew the certificate; call 555-0142 or @jlee, " +
		"bob.k@example.com. Root cause: human error, a rookie mistake, the engineer's " +
		"fault. He was careless. The engineer should have checked; obviously he " +
		"didn't. Disciplinary action follows.\n<!-- debrief-lint: accept pii.name -->"
	findings := Accept(New(Roster{}).Text("document", text), text)
	findings = append(findings, Completeness(&debrief.Postmortem{
		ActionItems: []debrief.ActionItem{{Description: "Improve monitoring"}},
	})...)
	for _, f := range findings {
		if !seen[f.Rule] {
			t.Errorf("finding of rule %q, which Rules does not list", f.Rule)
		}
	}
}

func TestSARIFURIs(t *testing.T) {
	tests := []struct {
		in            SARIFInput
		section, want string
	}{
		{SARIFInput{Path: "postmortems/2024-03 db outage.md"}, "Summary",
			"postmortems/2024-03%20db%20outage.md"},
		{SARIFInput{Path: "../shared/r.md"}, "", "../shared/r.md"},
		{SARIFInput{Path: "a:b.md"}, "", "./a:b.md"}, // not read as a scheme
		{SARIFInput{ReportID: "pm-7"}, "timeline[3].text",
			"debrief:postmortem/pm-7#timeline%5B3%5D.text"},
		{SARIFInput{ReportID: "pm-7"}, "", "debrief:postmortem/pm-7"},
	}
	for _, tt := range tests {
		if got, _, _ := tt.in.locate(Finding{Section: tt.section}); got != tt.want {
			t.Errorf("%+v %q: uri %q, want %q", tt.in, tt.section, got, tt.want)
		}
	}
}

// FuzzSARIFRegions checks on any text that each finding's SARIF region
// names exactly the words it flags, counted in UTF-16 units.
func FuzzSARIFRegions(f *testing.F) {
	f.Add("🔥 Alice forgot to renew the certificate.\r\nCall +1 415 555 0187.")
	f.Add("Ayşe Demir's typo: human error.\n\n| Who | What |\n|---|---|\n| Bob | broke it |")
	c := New(Roster{})
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return // regions of invalid text have no one right answer
		}
		findings := c.Text("document", text)
		var buf bytes.Buffer
		if err := WriteSARIF(&buf, "fuzz", []SARIFInput{{Path: "f.md", Text: text,
			Findings: findings}}); err != nil {
			t.Fatal(err)
		}
		var doc sarifDoc
		if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		for i, f := range findings {
			r := doc.Runs[0].Results[i].Locations[0].PhysicalLocation.Region
			byOff, byLines := regionText(text, r.StartLine, r.StartColumn, r.EndLine,
				r.EndColumn, r.CharOffset, r.CharLength)
			if want := text[f.Start:f.End]; byOff != want || byLines != want {
				t.Fatalf("%s: region %+v names %q and %q; want %q", f.Rule, *r, byOff,
					byLines, want)
			}
		}
	})
}

// TestSARIFAbsolutePathsRulesAndUnreadableFiles checks what a code host
// needs: an absolute path as a file:// URI, a full description for each
// rule, a region for a finding about the whole report (line 1), and a
// file that could not be read as a notification of the run.
func TestSARIFAbsolutePathsRulesAndUnreadableFiles(t *testing.T) {
	if got, _, _ := (SARIFInput{Path: "/tmp/x y.md"}).locate(Finding{}); got !=
		"file:///tmp/x%20y.md" {
		t.Errorf("absolute path: uri %q", got)
	}
	var b bytes.Buffer
	err := WriteSARIF(&b, "1.2.3", []SARIFInput{
		{Path: "r.md", Text: "x\n", Findings: []Finding{{Rule: "complete.timeline",
			Severity: Error, Section: "timeline", Message: "the timeline is empty"}}},
		{Path: "gone.md", Error: "open gone.md: no such file or directory"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if err := sarifSchema(t).Validate(doc); err != nil {
		t.Fatalf("schema: %v\n%s", err, b.String())
	}
	var got struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ FullDescription struct{ Text string } }
				}
			}
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct {
					Message   struct{ Text string }
					Locations []struct {
						PhysicalLocation struct{ ArtifactLocation struct{ URI string } }
					}
				}
			}
			Results []struct {
				Locations []struct {
					PhysicalLocation struct{ Region struct{ StartLine int } }
				}
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	run := got.Runs[0]
	for i, r := range run.Tool.Driver.Rules {
		if r.FullDescription.Text == "" {
			t.Errorf("rule %d has no full description", i)
		}
	}
	if len(run.Invocations) != 1 || len(run.Invocations[0].ToolExecutionNotifications) != 1 ||
		!strings.Contains(run.Invocations[0].ToolExecutionNotifications[0].Message.Text,
			"no such file") {
		t.Errorf("unreadable file: invocations %+v", run.Invocations)
	}
	if len(run.Results) != 1 || run.Results[0].Locations[0].PhysicalLocation.Region.StartLine != 1 {
		t.Errorf("a finding about the whole report: %+v", run.Results)
	}
}
