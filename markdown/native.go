package markdown

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
)

// decodeNative reads a file in debrief's own format, as Write writes it.
// The front matter holds the metadata; the body holds everything else and is
// the source of truth for it, so an edit to the prose, a table or a list is
// what the import sees. A file that cannot be read exactly (an unknown
// format version, a table row with the wrong number of cells, a time that
// does not parse) is refused with a KindInvalid error naming the line;
// things that can be skipped without losing data are Warnings.
func decodeNative(
	doc Document,
	front map[string]any,
	body []byte,
	bodyLine int,
) (*Result, error) {
	fm, warnings, err := readNativeFront(doc.Data, bodyLine)
	if err != nil {
		return nil, err
	}
	p := &debrief.Postmortem{}
	fm.apply(p)

	// Write ends lines with LF; a file that starts with CRLF was converted
	// on the way (git's autocrlf, an editor), and its prose should not keep
	// the CRs.
	if bytes.HasPrefix(bytes.TrimPrefix(doc.Data, []byte("\ufeff")), []byte("---\r\n")) {
		body = bytes.ReplaceAll(body, []byte("\r\n"), []byte("\n"))
	}
	d := &nativeBody{p: p, first: bodyLine, lines: strings.Split(string(body), "\n")}
	if err := d.decode(); err != nil {
		return nil, err
	}
	applyTracking(p, fm.Actions)
	warnings = append(warnings, d.warnings...)
	if d.titleLine > 0 && d.title != p.Title {
		warnings = append(warnings, Warning{Line: d.first + d.titleLine,
			Message: "the title heading differs from the front matter's title; " +
				"the front matter's is kept"})
	}

	p = Normalize(p)
	return &Result{Postmortem: p, Recognised: nativeRecognised(p), Warnings: warnings}, nil
}

// nativeInvalid returns a KindInvalid error naming a file line.
func nativeInvalid(line int, format string, args ...any) error {
	return debrief.Errorf(debrief.KindInvalid, "line %d: %s", line, fmt.Sprintf(format, args...))
}

// readNativeFront decodes the front matter again, this time into its
// typed form, keeping go-yaml's line numbers for errors and warnings.
func readNativeFront(data []byte, bodyLine int) (*nativeFront, []Warning, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(nativeFrontBlock(data, bodyLine), &root); err != nil {
		return nil, nil, debrief.Errorf(debrief.KindInvalid,
			"the front matter is not valid YAML: %s", yamlProblem(err))
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, nil, debrief.Errorf(debrief.KindInvalid,
			"the front matter is not a YAML mapping of keys to values")
	}
	m := root.Content[0]
	if err := checkNativeVersion(m); err != nil {
		return nil, nil, err
	}
	warnings := unknownNativeKeys(m, "")

	var fm nativeFront
	if err := m.Decode(&fm); err != nil {
		return nil, nil, debrief.Errorf(debrief.KindInvalid,
			"the front matter cannot be read: %s", yamlProblem(err))
	}
	return &fm, warnings, nil
}

// nativeFrontBlock returns the YAML between the "---" lines; Parse has
// already found them, and bodyLine is the line after the closing one.
func nativeFrontBlock(data []byte, bodyLine int) []byte {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	lines := bytes.SplitAfter(data, []byte("\n"))
	if bodyLine < 3 || len(lines) < bodyLine-1 {
		return nil
	}
	return bytes.Join(lines[1:bodyLine-2], nil)
}

// checkNativeVersion refuses a format version this build does not know: reading a
// newer file as if it were version 1 could silently lose what it added.
func checkNativeVersion(m *yaml.Node) error {
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Value != FormatKey {
			continue
		}
		if n, err := strconv.Atoi(v.Value); err != nil || n != FormatVersion ||
			v.Kind != yaml.ScalarNode {
			return nativeInvalid(v.Line+1, "debrief format version %q is not supported; "+
				"this version of debrief reads version %d", v.Value, FormatVersion)
		}
		return nil
	}
	return debrief.Errorf(debrief.KindInvalid, "the front matter has no %q key", FormatKey)
}

// unknownNativeKeys warns about keys this version does not know, which a later
// version may have written; they are ignored rather than refused.
func unknownNativeKeys(m *yaml.Node, parent string) []Warning {
	var ws []Warning
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if !slices.Contains(nativeFrontKeys[parent], k.Value) {
			name := k.Value
			if parent != "" {
				name = parent + "." + name
			}
			ws = append(ws, Warning{Line: k.Line + 1,
				Message: fmt.Sprintf("unknown front matter key %q ignored", name)})
			continue
		}
		if _, nested := nativeFrontKeys[k.Value]; nested && parent == "" && v.Kind == yaml.MappingNode {
			ws = append(ws, unknownNativeKeys(v, k.Value)...)
		}
	}
	return ws
}

// nativeRecognised names the parts found, for the import summary.
func nativeRecognised(p *debrief.Postmortem) []string {
	out := []string{"debrief format " + strconv.Itoa(FormatVersion)}
	add := func(name string, present bool) {
		if present {
			out = append(out, name)
		}
	}
	count := func(name string, n int) {
		if n > 0 {
			out = append(out, fmt.Sprintf("%s (%d)", name, n))
		}
	}
	a := &p.Analysis
	add("title", p.Title != "")
	add("summary", p.Summary.ExecutiveSummary != "")
	add("narrative", p.Summary.Narrative != "")
	count("timeline events", len(p.Timeline))
	add("root cause", a.RootCause != "" || a.Trigger != "" || a.Detection != "" ||
		a.Resolution != "")
	count("whys", len(a.Whys))
	count("fishbone causes", len(a.Causes))
	count("contributing factors", len(p.ContributingFactors))
	count("impacts", len(p.Impacts))
	count("lessons", len(p.Lessons))
	count("action items", len(p.ActionItems))
	count("team members", len(p.Team))
	add("meeting", !p.Meeting.Date.IsZero() || p.Meeting.Attendees != nil ||
		p.Meeting.Notes != "")
	count("links", len(p.Links))
	count("sections", len(p.Sections))
	return out
}
