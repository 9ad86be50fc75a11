// Package export writes reports out of debrief, as one JSON document that
// debrief reads back exactly or as a folder of debrief Markdown files, and
// reads the JSON document back in.
package export

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/markdown"
	"github.com/debrief-oss/debrief/timeline"
)

// Format and Version identify debrief's JSON export.
const (
	Format  = "debrief"
	Version = 1
)

// document is the JSON export. ExportedAt is omitted unless asked for, so
// that exporting the same reports twice gives the same bytes: export,
// import into an empty database and export again must be identical.
type document struct {
	Format      string                `json:"format"`
	Version     int                   `json:"version"`
	ExportedAt  *time.Time            `json:"exported_at,omitempty"`
	Postmortems []*debrief.Postmortem `json:"postmortems"`
}

// JSON writes reports as one indented JSON document, ordered by ID, with no
// export time in it.
func JSON(w io.Writer, reports []*debrief.Postmortem) error {
	return writeJSON(w, reports, nil)
}

// JSONAt is JSON with the document stamped "exported_at", for callers that
// want the time recorded and do not need byte-identical exports.
func JSONAt(w io.Writer, reports []*debrief.Postmortem, exportedAt time.Time) error {
	at := exportedAt.UTC()
	return writeJSON(w, reports, &at)
}

func writeJSON(w io.Writer, reports []*debrief.Postmortem, at *time.Time) error {
	sorted, err := byID(reports)
	if err != nil {
		return err
	}
	doc := document{Format: Format, Version: Version, ExportedAt: at, Postmortems: sorted}
	if doc.Postmortems == nil {
		doc.Postmortems = []*debrief.Postmortem{} // "[]", not "null", for other tools
	}

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	// Report text is full of <, > and &; escaping them as \u003c helps no
	// reader of a file.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("encode export: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// byID returns the reports sorted by ID, each with its timeline in time
// order (see InTimeOrder), refusing nil reports and duplicate IDs, which
// would make the order and the files ambiguous.
func byID(reports []*debrief.Postmortem) ([]*debrief.Postmortem, error) {
	sorted := slices.Clone(reports)
	for i, p := range sorted {
		if p == nil {
			return nil, debrief.Errorf(debrief.KindInvalid,
				"report %d of the export is missing", i+1)
		}
		sorted[i] = InTimeOrder(p)
	}
	slices.SortStableFunc(sorted, func(a, b *debrief.Postmortem) int {
		return cmp.Compare(a.ID, b.ID)
	})
	for i := 1; i < len(sorted); i++ {
		if sorted[i].ID == sorted[i-1].ID {
			return nil, debrief.Errorf(debrief.KindInvalid,
				"two reports share the ID %q", sorted[i].ID)
		}
	}
	return sorted, nil
}

// InTimeOrder returns p with its timeline in chronological order, leaving
// p itself alone. A timeline is stored in the order its events were
// written or added, with doubtful times flagged rather than moved; every
// export shows it in the order things happened (events without a time stay
// after the event they followed).
func InTimeOrder(p *debrief.Postmortem) *debrief.Postmortem {
	c := *p
	c.Timeline = timeline.Chronological(p.Timeline)
	if len(c.Timeline) == 0 {
		c.Timeline = nil
	}
	return &c
}

// ReadJSON reads a document written by JSON. Anything else (another
// format, a later version, broken JSON) is a KindInvalid error saying where.
func ReadJSON(r io.Reader) ([]*debrief.Postmortem, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read export: %w", err)
	}
	var head struct {
		Format      *string           `json:"format"`
		Version     int               `json:"version"`
		Postmortems []json.RawMessage `json:"postmortems"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&head); err != nil {
		return nil, jsonProblem(data, err, "the export is not valid JSON")
	}
	if dec.More() {
		return nil, invalidAt(data, dec.InputOffset(),
			"the export has more than one JSON document")
	}
	if head.Format == nil || *head.Format != Format {
		return nil, debrief.Errorf(debrief.KindInvalid,
			"this is not a debrief export: \"format\" must be %q", Format)
	}
	if head.Version != Version {
		return nil, debrief.Errorf(debrief.KindInvalid,
			"debrief export version %d is not supported; this version reads version %d",
			head.Version, Version)
	}
	return decodeReports(data, head.Postmortems)
}

func decodeReports(data []byte, raws []json.RawMessage) ([]*debrief.Postmortem, error) {
	var out []*debrief.Postmortem
	for i, raw := range raws {
		var p *debrief.Postmortem
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, jsonProblem(data, err, fmt.Sprintf("report %d of the export", i+1))
		}
		if p == nil {
			return nil, debrief.Errorf(debrief.KindInvalid, "report %d of the export is null", i+1)
		}
		out = append(out, p)
	}
	return out, nil
}

// jsonProblem turns a decoding error into a KindInvalid error with a line
// and column where the decoder gives an offset.
func jsonProblem(data []byte, err error, what string) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syntax):
		return invalidAt(data, syntax.Offset, what+": "+syntax.Error())
	case errors.As(err, &typ):
		return &debrief.Error{Kind: debrief.KindInvalid,
			Message: fmt.Sprintf("%s: %s must be %s, not %s", what, typ.Field, typ.Type, typ.Value)}
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return debrief.Errorf(debrief.KindInvalid, "%s: the document ends too early", what)
	}
	return &debrief.Error{Kind: debrief.KindInvalid, Message: what, Err: err}
}

// invalidAt names the line and column of a byte offset. The offsets of
// SyntaxError are in the whole document only for the top-level decode;
// errors inside a report name it by number instead.
func invalidAt(data []byte, offset int64, msg string) error {
	if offset < 0 || offset > int64(len(data)) {
		return debrief.Errorf(debrief.KindInvalid, "%s", msg)
	}
	before := data[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(offset) - bytes.LastIndexByte(before, '\n')
	return debrief.Errorf(debrief.KindInvalid, "line %d, column %d: %s", line, col, msg)
}

// MarkdownDir writes each report to dir/markdown.FileName(p), creating dir
// if needed, and returns the paths in ID order. It replaces earlier exports
// but refuses, before writing anything, to replace a file that is not one:
// a hand-written report of the same name must not be lost. Each file is written to a
// temporary file in dir and renamed into place, so a reader never sees half
// a report and an interrupted export leaves the previous file intact.
func MarkdownDir(dir string, reports []*debrief.Postmortem) ([]string, error) {
	sorted, err := byID(reports)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create export folder: %w", err)
	}
	for _, p := range sorted {
		if err := checkReplaceable(filepath.Join(dir, markdown.FileName(p))); err != nil {
			return nil, err
		}
	}
	paths := make([]string, 0, len(sorted))
	for _, p := range sorted {
		path := filepath.Join(dir, markdown.FileName(p))
		err := WriteFile(path, func(w io.Writer) error { return markdown.Write(w, p) })
		if err != nil {
			return paths, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// JSONFile writes the JSON export to path atomically (see WriteFile).
func JSONFile(path string, reports []*debrief.Postmortem) error {
	return WriteFile(path, func(w io.Writer) error { return JSON(w, reports) })
}

// WriteFile writes a file through a temporary file in the same folder and a
// rename, so that a failed export never leaves a truncated file where a good
// one was.
func WriteFile(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".debrief-export-*.tmp")
	if err != nil {
		return fmt.Errorf("export %s: %w", filepath.Base(path), err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return fmt.Errorf("export %s: %w", filepath.Base(path), err)
	}
	// CreateTemp makes the file readable by its owner only; an exported
	// report is meant to be shared like any other file the user writes.
	if err = f.Chmod(0o644); err != nil {
		return fmt.Errorf("export %s: %w", filepath.Base(path), err)
	}
	if err = f.Sync(); err != nil {
		return fmt.Errorf("export %s: %w", filepath.Base(path), err)
	}
	if err = f.Close(); err != nil {
		return fmt.Errorf("export %s: %w", filepath.Base(path), err)
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return fmt.Errorf("export %s: %w", filepath.Base(path), err)
	}
	return nil
}

// checkReplaceable refuses an existing file at path that is not a debrief
// Markdown export (its front matter does not start with the format key).
func checkReplaceable(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	defer f.Close()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	head = bytes.ReplaceAll(head[:n], []byte("\r\n"), []byte("\n"))
	if bytes.HasPrefix(head, []byte("---\n"+markdown.FormatKey+":")) {
		return nil
	}
	return debrief.Errorf(debrief.KindConflict,
		"%s already exists and is not a debrief export; nothing was written "+
			"(choose another folder with --out)", path)
}
