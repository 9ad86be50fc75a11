package main

import (
	"fmt"
	"path/filepath"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/export"
)

type exportCmd struct {
	Format string   `enum:"md,json" default:"md" help:"md: one Markdown file per report into --out; json: one document."`
	Out    string   `short:"o" placeholder:"DIR|FILE" help:"Folder for md (default: the current folder); file for json (default: standard output)."`
	IDs    []string `arg:"" optional:"" name:"id" help:"Reports to export (default: all)."`
}

func (c *exportCmd) Run(e *env) error {
	store, done, err := e.reports()
	if err != nil {
		return err
	}
	defer done()

	reports, err := loadReports(e, store, c.IDs)
	if err != nil {
		return err
	}
	if c.Format == "json" {
		return c.writeJSON(e, reports)
	}
	dir := c.Out
	if dir == "" {
		dir = "."
	}
	paths, err := export.MarkdownDir(dir, reports)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %d Markdown files to %s\n", len(paths), filepath.Clean(dir))
	return nil
}

func (c *exportCmd) writeJSON(e *env, reports []*debrief.Postmortem) error {
	if c.Out == "" {
		return export.JSON(e.stdout, reports)
	}
	if err := export.JSONFile(c.Out, reports); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %d reports to %s\n", len(reports), c.Out)
	return nil
}

// loadReports reads the reports with the given IDs, or all of them.
func loadReports(
	e *env,
	store reportSource,
	ids []string,
) ([]*debrief.Postmortem, error) {
	if len(ids) == 0 {
		var err error
		if ids, err = allIDs(e, store); err != nil {
			return nil, err
		}
	}
	reports := make([]*debrief.Postmortem, 0, len(ids))
	for _, id := range ids {
		p, err := store.Postmortem(e.ctx, id)
		if err != nil {
			return nil, err
		}
		reports = append(reports, p)
	}
	return reports, nil
}

func allIDs(e *env, store reportSource) ([]string, error) {
	const page = 500
	var ids []string
	for offset := 0; ; offset += page {
		list, total, err := store.Postmortems(e.ctx, debrief.PostmortemFilter{
			Sort: "title", Limit: page, Offset: offset,
		})
		if err != nil {
			return nil, err
		}
		for _, s := range list {
			ids = append(ids, s.ID)
		}
		if len(list) == 0 || offset+page >= total {
			return ids, nil
		}
	}
}
