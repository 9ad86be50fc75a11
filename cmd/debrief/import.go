package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/debrief-oss/debrief/importer"
)

type importCmd struct {
	Paths   []string `arg:"" name:"path" help:"Markdown files, folders (searched recursively) and zip archives." type:"string"`
	Quiet   bool     `short:"q" help:"Print only failures, warnings and the final count."`
	MaxSize int64    `name:"max-size" default:"8388608" help:"Largest file imported, in bytes."`
}

func (c *importCmd) Run(e *env) error {
	if e.server != "" {
		return c.runOnServer(e)
	}
	store, err := e.openStore()
	if err != nil {
		return err
	}
	defer store.Close()

	im := &importer.Importer{Store: store, MaxFileSize: c.MaxSize}
	bar := newProgressBar(e.stderr, "importing")
	sum, err := im.Import(e.ctx, c.Paths, func(done, total int, r importer.FileResult) {
		bar.clear()
		c.printResult(e.stdout, r)
		bar.draw(done, total)
	})
	bar.finish()
	if err != nil {
		// Say what was done before the interruption: those files are stored.
		fmt.Fprintln(e.stdout, summaryLine(sum))
		return err
	}
	fmt.Fprintln(e.stdout, summaryLine(sum))
	if sum.Failed > 0 {
		return failedError{}
	}
	return nil
}

// printResult writes one file's outcome: a line for the file, then one
// indented line per warning.
func (c *importCmd) printResult(w io.Writer, r importer.FileResult) {
	switch r.Outcome {
	case importer.Failed:
		fmt.Fprintf(w, "FAILED   %s: %s\n", printable(r.Name), printable(r.Err.Error()))
		return
	case importer.Skipped:
		if !c.Quiet {
			fmt.Fprintf(w, "skipped  %s: %s\n", printable(r.Name), printable(r.Err.Error()))
		}
		return
	}
	if !c.Quiet || len(r.Warnings) > 0 {
		fmt.Fprintf(w, "%-8s %s → %s", r.Outcome, printable(r.Name), r.ID)
		if len(r.Recognised) > 0 {
			fmt.Fprintf(w, " [%s]", strings.Join(r.Recognised, ", "))
		}
		fmt.Fprintln(w)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "         warning: %s\n", printable(warn.String()))
	}
}

func summaryLine(s importer.Summary) string {
	return fmt.Sprintf(
		"%d files: %d created, %d updated, %d unchanged, %d skipped, %d failed; %d warnings",
		s.Files, s.Created, s.Updated, s.Unchanged, s.Skipped, s.Failed, s.Warnings)
}

// progressBar draws a one-line bar on a terminal and nothing elsewhere, so
// logs and pipes get plain lines only.
type progressBar struct {
	w     io.Writer
	label string
	on    bool
	drawn bool
}

func newProgressBar(w io.Writer, label string) *progressBar {
	f, ok := w.(*os.File)
	return &progressBar{w: w, label: label, on: ok && term.IsTerminal(int(f.Fd()))}
}

const barWidth = 30

func (b *progressBar) draw(done, total int) {
	if !b.on || total < 2 {
		return
	}
	filled := barWidth * done / total
	fmt.Fprintf(b.w, "\r%s [%s%s] %d/%d", b.label,
		strings.Repeat("#", filled), strings.Repeat(".", barWidth-filled), done, total)
	b.drawn = true
}

func (b *progressBar) clear() {
	if b.drawn {
		fmt.Fprint(b.w, "\r\033[K")
		b.drawn = false
	}
}

func (b *progressBar) finish() { b.clear() }
