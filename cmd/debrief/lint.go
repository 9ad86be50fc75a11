package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/lint"
	"github.com/debrief-oss/debrief/markdown"
)

type lintCmd struct {
	Format string   `enum:"text,json,sarif" default:"text" help:"text (file:line:column: finding), json or sarif (2.1.0)."`
	Config string   `name:"config" env:"DEBRIEF_LINT_CONFIG" type:"existingfile" placeholder:"FILE" help:"Rules switched off or regraded, and words allowed (YAML: rules: {pii.name: off}, allow: [Hellman])."`
	Files  []string `arg:"" name:"file" help:"Markdown postmortems, in any shape debrief imports, or IDs of stored reports (on --db or --server). In a file, <!-- debrief-lint: accept RULE: reason --> accepts the finding on its line or the next."`
}

// lintedFile is one file's findings, as the JSON output gives them.
type lintedFile struct {
	Path     string         `json:"path"`
	Findings []lint.Finding `json:"findings"`
	// Error says why a file or report could not be read; it has no
	// findings then.
	Error string `json:"error,omitempty"`
	// stored is true for a stored report, whose findings' lines count
	// within each field.
	stored bool
	// text is what a file's findings point into; fields holds a stored
	// report's texts by path. SARIF output needs them for its regions.
	text   string
	fields map[string]string
}

// Run checks each file, or stored report named by its ID, for blaming
// language, personal identifiers and what the report lacks. The exit code
// is 0 when no finding is an error, 1 when one is (so a repository of
// postmortems can gate its pull requests), 2 when a file or report cannot
// be read.
func (c *lintCmd) Run(e *env) error {
	var cfg *lint.Config
	if c.Config != "" {
		var err error
		if cfg, err = lint.LoadConfig(c.Config); err != nil {
			return usageError{err.Error()}
		}
	}
	var files []lintedFile
	var unreadable []string
	var stored reportSource
	for _, path := range c.Files {
		if err := e.ctx.Err(); err != nil {
			return err // interrupted: exit as the other commands do
		}
		f := lintedFile{Path: path}
		var err error
		byID := isReportID(path)
		if byID {
			if stored == nil {
				var done func()
				if stored, done, err = e.reports(); err != nil {
					// No database to read reports from is bad input,
					// as an unknown ID is.
					return usageError{err.Error()}
				}
				defer done()
			}
			f.Findings, f.fields, err = lintStored(e, stored, path, cfg)
		} else {
			f.Findings, f.text, err = lintFile(e.ctx, path, cfg)
		}
		if ctxErr := e.ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "debrief: %s\n", printable(err.Error()))
			unreadable = append(unreadable, path)
			files = append(files, lintedFile{Path: path, Error: err.Error(), stored: byID})
			continue
		}
		f.stored = byID
		files = append(files, f)
	}
	if err := c.write(e.stdout, files); err != nil {
		return err
	}
	if len(unreadable) > 0 {
		return usageError{fmt.Sprintf("%d of %d files could not be read",
			len(unreadable), len(c.Files))}
	}
	for _, f := range files {
		for _, fd := range f.Findings {
			if fd.Severity == lint.Error {
				return failedError{"findings of severity error"}
			}
		}
	}
	return nil
}

func (c *lintCmd) write(w io.Writer, files []lintedFile) error {
	switch c.Format {
	case "sarif":
		inputs := make([]lint.SARIFInput, len(files))
		for i, f := range files {
			inputs[i] = lint.SARIFInput{Path: f.Path, Text: f.text, Findings: f.Findings,
				Error: f.Error}
			if f.stored {
				inputs[i] = lint.SARIFInput{ReportID: f.Path, Fields: f.fields,
					Findings: f.Findings, Error: f.Error}
			}
		}
		return lint.WriteSARIF(w, version(), inputs)
	case "json":
		if files == nil {
			files = []lintedFile{}
		}
		for i := range files {
			if files[i].Findings == nil {
				files[i].Findings = []lint.Finding{}
			}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Files []lintedFile `json:"files"`
		}{files})
	}
	for _, f := range files {
		for _, fd := range f.Findings {
			place := fmt.Sprintf("%s:%d:%d", f.Path, fd.Line, fd.Column)
			switch {
			case fd.Line == 0:
				place = f.Path + ": " + fd.Section
			case f.stored:
				place = fmt.Sprintf("%s: %s:%d:%d", f.Path, fd.Section, fd.Line, fd.Column)
			}
			fmt.Fprintf(w, "%s: %s %s: %s", printable(place), fd.Severity, fd.Rule,
				printable(fd.Message))
			if fd.Suggestion != "" {
				fmt.Fprintf(w, " (try: %s)", printable(fd.Suggestion))
			}
			fmt.Fprintln(w)
		}
	}
	return nil
}

// lintFile checks one Markdown file. The report is parsed first, so that
// an unreadable file is refused as an import refuses it and the team the
// report names serves as the roster: their names are suggested away in
// favour of their roles.
func lintFile(ctx context.Context, path string, cfg *lint.Config) ([]lint.Finding, string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, "", err
	}
	res, err := markdown.Parse(markdown.Document{Name: path, Data: data})
	if err != nil {
		return nil, "", fmt.Errorf("%s: %s", path, debrief.ErrorMessage(err))
	}
	text := string(data)
	roster := lint.DocumentRoster(res.Postmortem, text)
	roster.Systems = append(roster.Systems, cfg.AllowedNames()...)
	found, err := lint.New(roster).TextContext(ctx, "document", text)
	if err != nil {
		return nil, "", err
	}
	findings := lint.Accept(cfg.Apply(found, text), text)
	sections := headingsByLine(text)
	for i := range findings {
		findings[i].Section = sectionAt(sections, findings[i].Line)
	}
	// What the report lacks has no line: it is about the whole file. Its
	// gaps are errors only when it says it is final: a file without a
	// status is a draft, whatever an import would make of it.
	p := *res.Postmortem
	p.Status = statedStatus(text)
	gaps := cfg.Apply(lint.Completeness(&p), "")
	for i := range gaps {
		// A gap in a section the file has is shown at its heading.
		if line := headingLine(text, gaps[i].Section); line > 0 {
			gaps[i].Line, gaps[i].Column = line, 1
		}
	}
	return append(findings, gaps...), text, nil
}

// reStatusLine is a status line of a report, in its front matter
// ("status: final") or its body ("**Status:** Final", "- Status: draft").
var reStatusLine = regexp.MustCompile(
	`(?im)^[ \t>*_-]*status[*_ \t]*:[*_ \t]*([a-z][a-z _-]*[a-z])`)

// reportStatuses are the words of a status line that give the report's
// own status; others ("resolved") are the incident's.
var reportStatuses = map[string]debrief.Status{
	"draft": debrief.StatusDraft, "in review": debrief.StatusInReview,
	"review": debrief.StatusInReview, "final": debrief.StatusFinal,
	"published": debrief.StatusFinal, "complete": debrief.StatusFinal,
	"completed": debrief.StatusFinal, "archived": debrief.StatusArchived,
}

// statedStatus returns the report status the first status line of text
// gives, or draft when no line gives one.
func statedStatus(text string) debrief.Status {
	for _, m := range reStatusLine.FindAllStringSubmatch(text, -1) {
		word := strings.Join(strings.Fields(strings.ToLower(
			strings.NewReplacer("-", " ", "_", " ").Replace(m[1]))), " ")
		if st, ok := reportStatuses[word]; ok {
			return st
		}
	}
	return debrief.StatusDraft
}

// isReportID reports whether an argument names a stored report (on --db
// or --server) rather than a file: nothing on disk has the name, and it
// reads as a report ID, not as a path to a Markdown file.
func isReportID(arg string) bool {
	if _, err := os.Stat(arg); err == nil {
		return false
	}
	ext := strings.ToLower(filepath.Ext(arg))
	return ext != ".md" && ext != ".markdown" && !strings.ContainsAny(arg, `/\`) &&
		debrief.ValidateID("id", arg) == nil
}

// lintStored checks a stored report, each text under its field's path,
// and returns the texts by path too.
func lintStored(
	e *env,
	src reportSource,
	id string,
	cfg *lint.Config,
) ([]lint.Finding, map[string]string, error) {
	p, err := src.Postmortem(e.ctx, id)
	if err != nil {
		return nil, nil, err
	}
	roster := lint.ReportRoster(p)
	roster.Systems = append(roster.Systems, cfg.AllowedNames()...)
	c := lint.New(roster)
	fields := map[string]string{}
	var findings []lint.Finding
	for _, f := range lint.ReportFields(p) {
		fields[f.Path] = f.Text
		// Each field's findings point into its text, where allowed words
		// are looked up.
		found, err := c.TextContext(e.ctx, f.Path, f.Text)
		if err != nil {
			return nil, nil, err
		}
		findings = append(findings, cfg.Apply(found, f.Text)...)
	}
	findings = append(findings, cfg.Apply(lint.Completeness(p), "")...)
	if o, ok := src.(overrideSource); ok {
		overrides, err := o.LintOverrides(e.ctx, id)
		if err != nil {
			return nil, nil, err
		}
		honourOverride(p, overrides, findings)
	}
	return findings, fields, nil
}

// overrideSource is a source of reports that keeps the overrides
// facilitators record when a report goes final despite errors.
type overrideSource interface {
	LintOverrides(ctx context.Context, postmortemID string) ([]debrief.LintOverride, error)
}

// honourOverride regrades as warnings the errors of the rules a
// facilitator overrode when the report last reached its present state
// (final or archived): the decision was made and recorded, and a run in CI
// must not fail on it again.
func honourOverride(p *debrief.Postmortem, overrides []debrief.LintOverride, fs []lint.Finding) {
	if p.Status != debrief.StatusFinal && p.Status != debrief.StatusArchived {
		return
	}
	var last *debrief.LintOverride
	for i := range overrides {
		if to := overrides[i].To; to == debrief.StatusFinal || to == debrief.StatusArchived {
			last = &overrides[i]
		}
	}
	if last == nil {
		return
	}
	for i := range fs {
		if fs[i].Severity == lint.Error && slices.Contains(last.Rules, fs[i].Rule) {
			fs[i].Severity = lint.Warning
			fs[i].Message += fmt.Sprintf(" (overridden by %s on %s when the report went %s)",
				last.By, last.At.Format("2006-01-02"), last.To)
		}
	}
}

// reHeading is a Markdown ATX heading.
var reHeading = regexp.MustCompile(`^#{1,6}\s+(.+?)\s*#*\s*$`)

// headingsByLine returns the heading in force at each line, by line number
// (1-based; "" before the first heading).
func headingsByLine(text string) []string {
	lines := strings.Split(text, "\n")
	out := make([]string, len(lines)+1)
	current := ""
	for i, l := range lines {
		if m := reHeading.FindStringSubmatch(l); m != nil {
			current = m[1]
		}
		out[i+1] = current
	}
	return out
}

// headingLine returns the line of the first heading that names the
// section of a report's path ("timeline", "action_items[2].owner": a
// heading with "action items" in it), or 0 when the file has none.
func headingLine(text, section string) int {
	key := section
	if k := strings.IndexAny(key, ".["); k >= 0 {
		key = key[:k]
	}
	key = strings.TrimSuffix(strings.ReplaceAll(key, "_", " "), "s")
	if key == "" {
		return 0
	}
	for i, l := range strings.Split(text, "\n") {
		if m := reHeading.FindStringSubmatch(l); m != nil &&
			strings.Contains(strings.ToLower(m[1]), key) {
			return i + 1
		}
	}
	return 0
}

func sectionAt(sections []string, line int) string {
	if line < 1 || line >= len(sections) || sections[line] == "" {
		return "document"
	}
	return sections[line]
}
