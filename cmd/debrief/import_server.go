package main

import (
	"fmt"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/client"
	"github.com/debrief-oss/debrief/importer"
)

// Import against a server: the files are found and read here, by the rules
// of a local import (importer.Discover), and each Markdown document is sent
// to POST /api/v1/imports, where the server decides what it does.

// runOnServer imports the paths into the server named by --server.
func (c *importCmd) runOnServer(e *env) error {
	api, err := e.client()
	if err != nil {
		return err
	}
	found := importer.Discover(c.Paths)
	defer found.Close()

	var sum importer.Summary
	total := len(found.Unread) + len(found.Documents)
	bar := newProgressBar(e.stderr, "importing")
	report := func(r importer.FileResult) {
		sum.Add(r)
		bar.clear()
		c.printResult(e.stdout, r)
		bar.draw(sum.Files, total)
	}
	for _, r := range found.Unread {
		report(r)
	}
	for _, d := range found.Documents {
		r, err := c.sendDocument(e, api, d)
		if err != nil {
			// The server is unreachable or refuses this token: every
			// other file would fail the same way.
			bar.finish()
			fmt.Fprintln(e.stdout, summaryLine(sum))
			return fmt.Errorf("import %s: %w", d.Name, err)
		}
		report(r)
	}
	bar.finish()
	fmt.Fprintln(e.stdout, summaryLine(sum))
	if sum.Failed > 0 {
		return failedError{}
	}
	return nil
}

// sendDocument reads one document and imports it. An error stops the
// whole import; a problem with this document alone is in the result.
func (c *importCmd) sendDocument(
	e *env,
	api *client.Client,
	d importer.Document,
) (importer.FileResult, error) {
	data, err := d.Read(c.MaxSize)
	if err != nil {
		return d.Failure(err), nil
	}
	r := importer.FileResult{Name: d.Name, Outcome: importer.Failed}
	res, err := api.Import(e.ctx, d.Key, data)
	// A document this person may not write (a final report, for one whose
	// role does not reach) fails alone; a token the server refuses, or a
	// server that is down, stops the import.
	switch debrief.ErrorKind(err) {
	case debrief.KindInvalid, debrief.KindConflict, debrief.KindNotFound,
		debrief.KindForbidden:
		r.Err = err
		return r, nil
	}
	if err != nil {
		return r, err
	}
	r.ID, r.Title, r.Outcome = res.ID, res.Title, importer.Outcome(res.Outcome)
	r.Recognised, r.Warnings = res.Recognised, res.Warnings
	return r, nil
}
