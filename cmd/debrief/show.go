package main

import (
	"encoding/json"

	"github.com/debrief-oss/debrief/export"
	"github.com/debrief-oss/debrief/markdown"
)

type showCmd struct {
	ID     string `arg:"" help:"The report's ID (see debrief list)."`
	Format string `enum:"md,json" default:"md" help:"md (the report as Markdown) or json."`
}

func (c *showCmd) Run(e *env) error {
	store, done, err := e.reports()
	if err != nil {
		return err
	}
	defer done()

	p, err := store.Postmortem(e.ctx, c.ID)
	if err != nil {
		return err
	}
	p = export.InTimeOrder(p)
	if c.Format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(p)
	}
	return markdown.Write(e.stdout, p)
}
