package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/export"
	"github.com/debrief-oss/debrief/lint"
	"github.com/debrief-oss/debrief/markdown"
)

type redactCmd struct {
	File string `arg:"" help:"A Markdown postmortem, in any shape debrief imports."`
	Out  string `short:"o" placeholder:"FILE" help:"Where to write the copy (default: standard output). The original is never overwritten."`
}

// Run writes a copy of the report with every personal identifier the
// checker finds replaced: names by the person's role in the report's team
// (or "a responder"), e-mail addresses and phone numbers by what they were.
func (c *redactCmd) Run(e *env) error {
	data, err := os.ReadFile(c.File)
	if err != nil {
		return usageError{err.Error()}
	}
	res, err := markdown.Parse(markdown.Document{Name: c.File, Data: data})
	if err != nil {
		return usageError{fmt.Sprintf("%s: %s", c.File, debrief.ErrorMessage(err))}
	}
	text := string(data)
	roster := lint.DocumentRoster(res.Postmortem, text)
	found, err := lint.New(roster).TextContext(e.ctx, "document", text)
	if err != nil {
		return err // interrupted
	}
	redacted := lint.Redact(text, found)
	if c.Out == "" {
		_, err := io.WriteString(e.stdout, redacted)
		return err
	}
	if same, _ := samePath(c.File, c.Out); same {
		return usageError{"--out names the report itself: write the copy elsewhere"}
	}
	err = export.WriteFile(c.Out, func(w io.Writer) error {
		_, err := io.WriteString(w, redacted)
		return err
	})
	var pe *fs.PathError
	if errors.As(err, &pe) {
		// The write goes through a temporary file, whose name means
		// nothing to the user: name the file they asked for.
		return usageError{fmt.Sprintf("cannot write %s: %v", c.Out, pe.Err)}
	}
	return err
}

// samePath reports whether a and b name the same file.
func samePath(a, b string) (bool, error) {
	ia, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	ib, err := os.Stat(b)
	if err != nil {
		absA, errA := filepath.Abs(a)
		absB, errB := filepath.Abs(b)
		return errA == nil && errB == nil && absA == absB, nil
	}
	return os.SameFile(ia, ib), nil
}
