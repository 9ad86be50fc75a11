package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/debrief-oss/debrief"
)

type searchCmd struct {
	Query    []string `arg:"" name:"query" help:"Words, \"phrases\", prefix* terms, -exclusions, OR."`
	Service  string   `help:"Only reports on this service."`
	Category string   `help:"Only reports of this incident type category."`
	Severity string   `help:"Only reports of this severity."`
	Limit    int      `default:"20" help:"Most results to show."`
	Format   string   `enum:"text,json" default:"text" help:"text or json."`
}

func (c *searchCmd) Run(e *env) error {
	store, done, err := e.reports()
	if err != nil {
		return err
	}
	defer done()

	sev, err := severityFlag(c.Severity)
	if err != nil {
		return err
	}
	res, err := store.Search(e.ctx, debrief.SearchQuery{
		Text: strings.Join(c.Query, " "), Service: c.Service,
		Category: debrief.Category(c.Category), Severity: sev,
		Limit: c.Limit,
	})
	if err != nil {
		return err
	}
	if c.Format == "json" {
		if res.Hits == nil {
			res.Hits = []debrief.SearchHit{}
		}
		for i := range res.Hits {
			res.Hits[i].Snippet = markMatches(res.Hits[i].Snippet, "", "")
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	start, end := "[", "]"
	if f, ok := e.stdout.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		start, end = "\033[1m", "\033[0m"
	}
	for _, h := range res.Hits {
		fmt.Fprintf(e.stdout, "%s  %s\n    %s\n", h.ID, oneLine(h.Title, 80),
			markMatches(oneLine(h.Snippet, 200), start, end))
	}
	fmt.Fprintf(e.stderr, "%d of %d matches\n", len(res.Hits), res.Total)
	return nil
}

// markMatches replaces the store's highlight markers with start and end.
func markMatches(snippet, start, end string) string {
	return strings.NewReplacer(debrief.HighlightStart, start, debrief.HighlightEnd, end).
		Replace(snippet)
}
