package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/debrief-oss/debrief"
)

type listCmd struct {
	Service  string `help:"Only reports on this service."`
	Category string `help:"Only reports of this incident type category."`
	Severity string `help:"Only reports of this severity (P1…P4)."`
	Status   string `enum:",draft,in_review,final,archived" default:"" help:"Only reports in this state: draft, in_review, final or archived."`
	Year     int    `help:"Only incidents that started in this year."`
	Sort     string `enum:"date,date_asc,title" default:"date" help:"date (newest first), date_asc or title."`
	Limit    int    `default:"50" help:"Most reports to list; 0 lists all."`
	Format   string `enum:"text,json" default:"text" help:"text or json."`
}

func (c *listCmd) Run(e *env) error {
	store, done, err := e.reports()
	if err != nil {
		return err
	}
	defer done()

	sev, err := severityFlag(c.Severity)
	if err != nil {
		return err
	}
	list, total, err := store.Postmortems(e.ctx, debrief.PostmortemFilter{
		Service: c.Service, Category: debrief.Category(c.Category),
		Severity: sev, Status: debrief.Status(c.Status),
		Year: c.Year, Sort: c.Sort, Limit: c.Limit,
	})
	if err != nil {
		return err
	}
	if c.Format == "json" {
		if list == nil {
			list = []debrief.PostmortemSummary{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Total       int                         `json:"total"`
			Postmortems []debrief.PostmortemSummary `json:"postmortems"`
		}{total, list})
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDATE\tSEV\tSTATUS\tTITLE")
	for _, s := range list {
		date := ""
		if !s.StartedAt.IsZero() {
			date = s.StartedAt.Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n",
			s.ID, date, s.Severity, s.Status, oneLine(s.Title, 70))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(list) < total {
		fmt.Fprintf(e.stderr, "%d of %d reports shown; use --limit 0 for all\n", len(list), total)
	}
	return nil
}

// severityFlag reads --severity as people write it ("p1", "critical",
// "SEV-1"), as imports read it from reports.
func severityFlag(s string) (debrief.Severity, error) {
	if s == "" {
		return "", nil
	}
	sev, _, ok := debrief.ParseSeverity(s)
	if !ok {
		return "", debrief.Errorf(debrief.KindInvalid,
			"--severity %q is not a severity: use P1 to P4, or words such as critical or minor", s)
	}
	return sev, nil
}

// oneLine flattens s to one line of at most n runes, for tables.
func oneLine(s string, n int) string {
	s = printable(strings.Join(strings.Fields(s), " "))
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// printable replaces what a terminal would act on rather than show, control
// characters (an escape sequence can retitle the window or clear it) and
// bidirectional overrides (which reorder what follows), with U+FFFD. Report
// text comes from anyone; only the store's highlight markers stay, for the
// caller to turn into emphasis.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case string(r) == debrief.HighlightStart, string(r) == debrief.HighlightEnd:
			return r
		case unicode.IsControl(r), r >= '\u202a' && r <= '\u202e',
			r >= '\u2066' && r <= '\u2069':
			return '\ufffd'
		}
		return r
	}, s)
}
