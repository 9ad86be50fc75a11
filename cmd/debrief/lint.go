package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/lint"
	"github.com/debrief-oss/debrief/markdown"
)

type lintCmd struct {
	Format string   `enum:"text,json" default:"text" help:"text (one finding a line, file:line:column) or json."`
	Config string   `name:"config" env:"DEBRIEF_LINT_CONFIG" type:"existingfile" placeholder:"FILE" help:"Rules switched off or regraded, and words allowed (YAML: rules: {pii.name: off}, allow: [Hellman])."`
	Files  []string `arg:"" name:"file" help:"Markdown postmortems, in any shape debrief imports. In a file, <!-- debrief-lint: accept RULE: reason --> accepts the finding on its line or the next."`
}

// lintedFile is one file's findings, as the JSON output gives them.
type lintedFile struct {
	Path     string         `json:"path"`
	Findings []lint.Finding `json:"findings"`
}

// Run checks each file for blaming language, personal identifiers and what
// the report lacks (completeness). The
// exit code is 0 when no finding is an error, 1 when one is (so a
// repository of postmortems can gate its pull requests), 2 when a file
// cannot be read.
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
	for _, path := range c.Files {
		findings, err := lintFile(path, cfg)
		if err != nil {
			fmt.Fprintf(e.stderr, "debrief: %s\n", printable(err.Error()))
			unreadable = append(unreadable, path)
			continue
		}
		files = append(files, lintedFile{Path: path, Findings: findings})
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
	if c.Format == "json" {
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
			if fd.Line == 0 {
				place = f.Path + ": " + fd.Section
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
func lintFile(path string, cfg *lint.Config) ([]lint.Finding, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	res, err := markdown.Parse(markdown.Document{Name: path, Data: data})
	if err != nil {
		return nil, fmt.Errorf("%s: %s", path, debrief.ErrorMessage(err))
	}
	roster := lint.ReportRoster(res.Postmortem)
	roster.Systems = append(roster.Systems, lint.DocumentSystems(string(data))...)
	text := string(data)
	findings := lint.Accept(cfg.Apply(lint.New(roster).Text("document", text), text), text)
	sections := headingsByLine(text)
	for i := range findings {
		findings[i].Section = sectionAt(sections, findings[i].Line)
	}
	// What the report lacks has no line: it is about the whole file.
	gaps := cfg.Apply(lint.Completeness(res.Postmortem), "")
	return append(findings, gaps...), nil
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

func sectionAt(sections []string, line int) string {
	if line < 1 || line >= len(sections) || sections[line] == "" {
		return "document"
	}
	return sections[line]
}
