// Package markdown reads postmortems written in Markdown (debrief's own export
// and the many shapes real teams write) and writes them back out.
package markdown

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/debrief-oss/debrief"
)

// FormatKey is the front matter key that marks a file written by debrief's
// exporter; its value is the format version. Files carrying it are decoded
// exactly, field for field; all others are read by meaning.
const FormatKey = "debrief"

// FormatVersion is the version of the export format this package writes.
const FormatVersion = 1

// Document is one file to parse.
type Document struct {
	// Name is the file's path as the user knows it. It appears in messages,
	// and a date in it ("2024-03-07-…") dates the report when nothing else does.
	Name string
	Data []byte
}

// Result is a parsed report and what the parser noticed on the way.
type Result struct {
	Postmortem *debrief.Postmortem
	// Recognised names the parts of the report that were found, in order
	// ("title", "summary", "timeline (12 events)", "action items (3)").
	Recognised []string
	Warnings   []Warning
	// Native is true when the file was written by debrief's exporter and was
	// decoded exactly, identity and bookkeeping included.
	Native bool
}

// Warning is something the parser could not take at face value. Line is
// 1-based in the original file; 0 when the warning concerns the whole file.
type Warning struct {
	Line    int
	Message string
}

func (w Warning) String() string {
	if w.Line == 0 {
		return w.Message
	}
	return fmt.Sprintf("line %d: %s", w.Line, w.Message)
}

// Parse reads one Markdown postmortem. Content that cannot be a report
// (empty, binary, not UTF-8, front matter that is not YAML) is refused with a
// debrief.KindInvalid error whose message names the problem and the line.
func Parse(doc Document) (*Result, error) {
	if err := checkText(doc.Data); err != nil {
		return nil, err
	}
	front, body, bodyLine, err := splitFrontMatter(doc.Data)
	if err != nil {
		return nil, err
	}
	if _, native := front[FormatKey]; native {
		res, err := decodeNative(doc, front, body, bodyLine)
		if err != nil {
			return nil, err
		}
		res.Native = true
		return res, nil
	}
	return parseReport(doc, front, body, bodyLine)
}

// ErrNotText is the cause of the error Parse returns for data that is not
// text at all (binary, or not UTF-8), as opposed to a text that is not a
// report; an import of a folder skips such files instead of failing them.
var ErrNotText = errors.New("it is not Markdown text")

// checkText refuses data that is not a text document.
func checkText(data []byte) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return debrief.Errorf(debrief.KindInvalid, "the file is empty")
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return &debrief.Error{Kind: debrief.KindInvalid, Err: ErrNotText, Message: fmt.Sprintf(
			"the file is binary (NUL byte at offset %d)", i)}
	}
	if !utf8.Valid(data) {
		line, col := invalidUTF8Position(data)
		return &debrief.Error{Kind: debrief.KindInvalid, Err: ErrNotText, Message: fmt.Sprintf(
			"the file is not valid UTF-8 (line %d, column %d)", line, col)}
	}
	return nil
}

// invalidUTF8Position finds the 1-based line and byte column of the first
// byte that is not valid UTF-8.
func invalidUTF8Position(data []byte) (line, col int) {
	line, col = 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col += size
		}
		data = data[size:]
	}
	return line, col
}

// splitFrontMatter separates a leading YAML front matter block ("---" lines)
// from the body. bodyLine is the 1-based line on which the body starts. A
// block that is not a YAML mapping is an error naming the line.
func splitFrontMatter(data []byte) (front map[string]any, body []byte, bodyLine int, err error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !bytes.HasPrefix(data, []byte("---\n")) && !bytes.HasPrefix(data, []byte("---\r\n")) {
		return nil, data, 1, nil
	}
	rest := data[bytes.IndexByte(data, '\n')+1:]
	line := 2
	for off := 0; off < len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		next := len(rest)
		if end >= 0 {
			next = off + end + 1
		}
		text := bytes.TrimRight(rest[off:next], "\r\n")
		if string(text) == "---" || string(text) == "..." {
			front, err := decodeFrontMatter(rest[:off])
			return front, rest[next:], line + 1, err
		}
		off = next
		line++
	}
	// An opening "---" with no closing one is a thematic break, not front matter.
	return nil, data, 1, nil
}

func decodeFrontMatter(block []byte) (map[string]any, error) {
	front := map[string]any{}
	if len(bytes.TrimSpace(block)) == 0 {
		return front, nil
	}
	var raw any
	if err := yaml.Unmarshal(block, &raw); err != nil {
		return nil, &debrief.Error{
			Kind:    debrief.KindInvalid,
			Message: "the front matter is not valid YAML: " + yamlProblem(err),
		}
	}
	m, ok := raw.(map[string]any)
	if !ok {
		return nil, debrief.Errorf(debrief.KindInvalid,
			"the front matter is not a YAML mapping of keys to values")
	}
	return m, nil
}

// yamlLine matches the line numbers in go-yaml's messages ("yaml: line 3: …").
var yamlLine = regexp.MustCompile(`line (\d+)`)

// yamlProblem turns a YAML error into a message whose line numbers count
// from the top of the file: the front matter starts on the file's line 2.
func yamlProblem(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	return yamlLine.ReplaceAllStringFunc(msg, func(m string) string {
		n, _ := strconv.Atoi(strings.TrimPrefix(m, "line "))
		return "line " + strconv.Itoa(n+1)
	})
}
