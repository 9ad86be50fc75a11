package lint

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// SARIF 2.1.0 output, so that a code-hosting service shows the findings on
// the lines of a pull request. Columns and character offsets count UTF-16
// code units, SARIF's default, and the run says so.

// SARIFSchema is the URI of the SARIF 2.1.0 schema (OASIS Standard with
// errata 01) that the output declares and is tested against.
const SARIFSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/" +
	"sarif-schema-2.1.0.json"

// SARIFInput is one checked file or stored report and its findings.
type SARIFInput struct {
	// Path is a file's path as the user gave it. For a stored report it is
	// empty and ReportID is set.
	Path     string
	ReportID string
	// Text is what a file's findings point into. A stored report's
	// findings point into the field their Section names, held in Fields.
	Text     string
	Fields   map[string]string
	Findings []Finding
	// Error says why the file or report could not be read; the run
	// reports it as a notification, and the input has no findings.
	Error string
}

// WriteSARIF writes one SARIF log with one run of the tool "debrief" in
// the given version: the rules it knows and a result for every finding.
func WriteSARIF(w io.Writer, toolVersion string, inputs []SARIFInput) error {
	rules, index := sarifRules(inputs)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "debrief",
			Version:        toolVersion,
			InformationURI: "https://github.com/debrief-oss/debrief",
			Rules:          rules,
		}},
		ColumnKind: "utf16CodeUnits",
		Results:    []sarifResult{},
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, in := range inputs {
		if in.Error != "" {
			uri, _, _ := in.locate(Finding{})
			inv.ExecutionSuccessful = false
			inv.Notifications = append(inv.Notifications, sarifNotification{
				Level: "error", Message: sarifText{Text: in.Error},
				Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
					ArtifactLocation: sarifArtifact{URI: uri}}}},
			})
			continue
		}
		run.Results = append(run.Results, sarifResults(in, index)...)
	}
	run.Invocations = []sarifInvocation{inv}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{Schema: SARIFSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// sarifRules is the catalog, and any rule a finding names that the catalog
// lacks, with each rule's index.
func sarifRules(inputs []SARIFInput) ([]sarifRule, map[string]int) {
	index := map[string]int{}
	var out []sarifRule
	add := func(r Rule) {
		index[r.ID] = len(out)
		out = append(out, sarifRule{
			ID:                   r.ID,
			ShortDescription:     sarifText{Text: r.Summary},
			FullDescription:      sarifText{Text: r.Summary + " " + r.Help},
			Help:                 sarifText{Text: r.Help},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Severity)},
		})
	}
	for _, r := range catalog {
		add(r)
	}
	for _, in := range inputs {
		for _, f := range in.Findings {
			if _, ok := index[f.Rule]; !ok {
				add(Rule{ID: f.Rule, Severity: f.Severity, Summary: f.Rule, Help: f.Suggestion})
			}
		}
	}
	return out, index
}

func sarifLevel(s Severity) string {
	switch s {
	case Error:
		return "error"
	case Info:
		return "note"
	}
	return "warning"
}

func sarifResults(in SARIFInput, index map[string]int) []sarifResult {
	var out []sarifResult
	// Findings come in order of place, so one cursor per text walks each
	// text once.
	cursors := map[string]*utf16Cursor{}
	for _, f := range in.Findings {
		uri, text, hasText := in.locate(f)
		res := sarifResult{
			RuleID:    f.Rule,
			RuleIndex: index[f.Rule],
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{Text: resultMessage(f)},
		}
		loc := sarifLocation{PhysicalLocation: sarifPhysical{
			ArtifactLocation: sarifArtifact{URI: uri},
		}}
		if f.Section != "" {
			loc.LogicalLocations = []sarifLogical{{Name: f.Section}}
		}
		switch {
		case hasText && f.Line > 0 && 0 <= f.Start && f.Start < f.End && f.End <= len(text):
			cur := cursors[uri]
			if cur == nil || cur.text != text {
				cur = &utf16Cursor{text: text, line: 1}
				cursors[uri] = cur
			}
			region := cur.region(f.Start, f.End)
			loc.PhysicalLocation.Region = region
			if f.Replacement != "" {
				res.Fixes = []sarifFix{sarifReplace(uri, region, replacementText(text, f))}
			}
		case f.Line > 0:
			// A finding about a line, such as a marker without a reason.
			loc.PhysicalLocation.Region = sarifLine{StartLine: f.Line}
		case in.ReportID == "":
			// What a file lacks is about the whole file: code hosts show
			// a result only on a line, so it goes on the first.
			loc.PhysicalLocation.Region = sarifLine{StartLine: 1}
		}
		res.Locations = []sarifLocation{loc}
		out = append(out, res)
	}
	return out
}

// locate returns the artifact URI of a finding and the text its span
// points into, if there is one.
func (in SARIFInput) locate(f Finding) (uri, text string, ok bool) {
	if in.ReportID == "" {
		return fileURI(in.Path), in.Text, true
	}
	uri = "debrief:postmortem/" + escapeURI(in.ReportID, false)
	if f.Section != "" {
		uri += "#" + escapeURI(f.Section, true)
	}
	text, ok = in.Fields[f.Section]
	return uri, text, ok
}

// fileURI is a relative file path as a relative URI reference, and an
// absolute one as a file:// URI (SARIF wants absolute URIs to have a
// scheme).
func fileURI(path string) string {
	p := filepath.ToSlash(path)
	if !filepath.IsAbs(path) {
		return (&url.URL{Path: p}).String()
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive: file:///C:/…
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// escapeURI percent-encodes what may not stand in a URI path segment or
// fragment, such as the brackets of "timeline[3].text".
func escapeURI(s string, fragment bool) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0,
			fragment && (c == '/' || c == '?'):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// resultMessage is the finding's message, then what to write instead: the
// first sentence is what a narrow view shows.
func resultMessage(f Finding) string {
	m := f.Message
	if r, n := utf8.DecodeRuneInString(m); n > 0 && r < utf8.RuneSelf {
		m = strings.ToUpper(m[:1]) + m[1:]
	}
	if f.Suggestion == "" {
		return m
	}
	return strings.TrimSuffix(m, ".") + ". " + f.Suggestion
}

func sarifReplace(uri string, region sarifRegion, with string) sarifFix {
	return sarifFix{
		Description: sarifText{Text: "Replace with " + with},
		ArtifactChanges: []sarifChange{{
			ArtifactLocation: sarifArtifact{URI: uri},
			Replacements: []sarifReplacement{{
				DeletedRegion:   region,
				InsertedContent: sarifContent{Text: with},
			}},
		}},
	}
}

// utf16Cursor walks a text forward, counting lines and UTF-16 code units,
// to turn byte spans into SARIF regions. It starts over when asked about
// an earlier place.
type utf16Cursor struct {
	text      string
	pos       int // byte offset reached
	line      int // 1-based line of pos
	off       int // UTF-16 units before pos
	lineStart int // UTF-16 units before the start of pos's line
}

func (c *utf16Cursor) moveTo(to int) {
	if to < c.pos {
		c.pos, c.line, c.off, c.lineStart = 0, 1, 0, 0
	}
	for c.pos < to {
		r, n := utf8.DecodeRuneInString(c.text[c.pos:])
		if c.pos+n > to {
			break // to is inside a rune; a span never is
		}
		c.pos += n
		c.off += utf16Len(r, n)
		if r == '\n' {
			c.line++
			c.lineStart = c.off
		}
	}
}

// utf16Len counts a rune in UTF-16 code units; a byte that is no UTF-8
// counts as one, as the replacement character a reader shows for it.
func utf16Len(r rune, n int) int {
	if r >= 0x10000 && n == 4 {
		return 2
	}
	return 1
}

func (c *utf16Cursor) region(start, end int) sarifRegion {
	c.moveTo(start)
	r := sarifRegion{StartLine: c.line, StartColumn: c.off - c.lineStart + 1, CharOffset: c.off}
	c.moveTo(end)
	r.EndLine, r.EndColumn = c.line, c.off-c.lineStart+1
	r.CharLength = c.off - r.CharOffset
	return r
}

// The SARIF objects written, with only the properties debrief fills.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		ColumnKind  string            `json:"columnKind"`
		Results     []sarifResult     `json:"results"`
		Invocations []sarifInvocation `json:"invocations"`
	}
	sarifInvocation struct {
		ExecutionSuccessful bool                `json:"executionSuccessful"`
		Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations,omitempty"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		Version        string      `json:"version,omitempty"`
		InformationURI string      `json:"informationUri"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string      `json:"id"`
		ShortDescription     sarifText   `json:"shortDescription"`
		FullDescription      sarifText   `json:"fullDescription"`
		Help                 sarifText   `json:"help"`
		DefaultConfiguration sarifConfig `json:"defaultConfiguration"`
	}
	sarifConfig struct {
		Level string `json:"level"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID    string          `json:"ruleId"`
		RuleIndex int             `json:"ruleIndex"`
		Level     string          `json:"level"`
		Message   sarifText       `json:"message"`
		Locations []sarifLocation `json:"locations"`
		Fixes     []sarifFix      `json:"fixes,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysical  `json:"physicalLocation"`
		LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
	}
	sarifPhysical struct {
		ArtifactLocation sarifArtifact `json:"artifactLocation"`
		Region           any           `json:"region,omitempty"` // sarifRegion or sarifLine
	}
	sarifArtifact struct {
		URI string `json:"uri"`
	}
	sarifLogical struct {
		Name string `json:"name"`
	}
	sarifLine struct {
		StartLine int `json:"startLine"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
		CharOffset  int `json:"charOffset"`
		CharLength  int `json:"charLength"`
	}
	sarifFix struct {
		Description     sarifText     `json:"description"`
		ArtifactChanges []sarifChange `json:"artifactChanges"`
	}
	sarifChange struct {
		ArtifactLocation sarifArtifact      `json:"artifactLocation"`
		Replacements     []sarifReplacement `json:"replacements"`
	}
	sarifReplacement struct {
		DeletedRegion   sarifRegion  `json:"deletedRegion"`
		InsertedContent sarifContent `json:"insertedContent"`
	}
	sarifContent struct {
		Text string `json:"text"`
	}
)
