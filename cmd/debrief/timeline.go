package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/debrief-oss/debrief/client"
	"github.com/debrief-oss/debrief/slack"
	"github.com/debrief-oss/debrief/timeline"
	"github.com/debrief-oss/debrief/workflow"
)

type timelineCmd struct {
	Import timelineImportCmd `cmd:"" help:"Add events to a report's timeline. Events go after the timeline's own, in the order the source gives them; a time earlier than the one before it is flagged, not moved."`
}

type timelineImportCmd struct {
	ID      string `arg:"" help:"The report's ID."`
	Text    string `name:"text" xor:"source" placeholder:"FILE" help:"Pasted text or a chat log, one event per line ('-' reads standard input)."`
	Slack   string `name:"slack" xor:"source" placeholder:"PATH" help:"A Slack export: its folder or zip."`
	Alerts  bool   `name:"alerts" xor:"source" help:"The incident's alert events."`
	Zone    string `help:"Zone of times in --text that give none (default: the report's zone)."`
	Channel string `help:"Slack channel to read, by name or id."`
	From    string `placeholder:"TIME" help:"Slack: first moment to take, RFC 3339 (2026-03-07T14:00:00Z)."`
	To      string `placeholder:"TIME" help:"Slack: moment to stop before, RFC 3339."`
	People  string `enum:"name,role" default:"name" help:"Slack: show people by name, or by their role in the report's team (name or role)."`
	DryRun  bool   `name:"dry-run" help:"Show what would be added without saving."`

	from, to time.Time // --from and --to, read by readWindow
}

func (c *timelineImportCmd) Run(e *env) error {
	if c.Text == "" && c.Slack == "" && !c.Alerts {
		return usageError{"say where the events come from: --text FILE, --slack PATH " +
			"or --alerts"}
	}
	if c.Slack != "" && c.Channel == "" {
		return usageError{"--slack needs --channel: the channel to read"}
	}
	if err := c.readWindow(); err != nil {
		return err
	}
	var res *client.TimelineResult
	var err error
	if e.server != "" {
		res, err = c.onServer(e)
	} else {
		res, err = c.local(e)
	}
	if err != nil {
		return err
	}
	printTimelineResult(e.stdout, res)
	return nil
}

// local adds the events on the local database.
func (c *timelineImportCmd) local(e *env) (*client.TimelineResult, error) {
	if err := e.needDatabase(); err != nil {
		return nil, err
	}
	store, err := e.openStore()
	if err != nil {
		return nil, err
	}
	defer store.Close()
	flow, err := e.workflow(store)
	if err != nil {
		return nil, err
	}
	p, err := flow.Get(e.ctx, cliActor, c.ID)
	if err != nil {
		return nil, err
	}

	res := &client.TimelineResult{DryRun: c.DryRun}
	switch {
	case c.Text != "":
		text, err := c.readText(e)
		if err != nil {
			return nil, err
		}
		var problems []timeline.Problem
		res.Events, problems, err = workflow.TextEvents(p, text, c.Zone)
		if err != nil {
			return nil, err
		}
		for _, pr := range problems {
			res.Problems = append(res.Problems,
				client.TimelineProblem{Line: pr.Line, Text: pr.Text, Message: pr.Message})
		}
	case c.Slack != "":
		ex, err := slack.Open(c.Slack)
		if err != nil {
			return nil, err
		}
		defer ex.Close()
		res.Events, err = timeline.FromSlack(ex, c.slackOptions(workflow.TeamRoles(p)))
		if err != nil {
			return nil, err
		}
	default:
		if res.Events, err = flow.AlertTimeline(e.ctx, cliActor, c.ID); err != nil {
			return nil, err
		}
	}
	imp, err := flow.AddTimelineEvents(e.ctx, cliActor, c.ID, p.Version, res.Events, c.DryRun)
	if err != nil {
		return nil, err
	}
	res.Added, res.Skipped, res.Flagged = imp.Added, imp.Skipped, imp.Flagged
	res.Events, res.Version = imp.Events, imp.Postmortem.Version
	return res, nil
}

func (c *timelineImportCmd) slackOptions(roles map[string]string) timeline.SlackOptions {
	return timeline.SlackOptions{Channel: c.Channel, From: c.from, To: c.to,
		People: c.People, Roles: roles}
}

// onServer sends the events' source to the server, which reads it.
func (c *timelineImportCmd) onServer(e *env) (*client.TimelineResult, error) {
	cl, err := e.client()
	if err != nil {
		return nil, err
	}
	p, err := cl.Postmortem(e.ctx, c.ID)
	if err != nil {
		return nil, err
	}
	if c.Slack != "" {
		data, err := zipExport(c.Slack)
		if err != nil {
			return nil, err
		}
		q := url.Values{"channel": {c.Channel}, "people": {c.People}}
		if !c.from.IsZero() {
			q.Set("from", c.from.Format(time.RFC3339))
		}
		if !c.to.IsZero() {
			q.Set("to", c.to.Format(time.RFC3339))
		}
		return cl.ImportSlackTimeline(e.ctx, c.ID, p.Version, data, q, c.DryRun)
	}
	req := client.TimelineRequest{Source: "alerts", Zone: c.Zone, DryRun: c.DryRun}
	if c.Text != "" {
		if req.Text, err = c.readText(e); err != nil {
			return nil, err
		}
		req.Source = "text"
	}
	return cl.ImportTimeline(e.ctx, c.ID, p.Version, req)
}

// readWindow reads --from and --to, refusing a time it cannot read and a
// window that ends before it begins.
func (c *timelineImportCmd) readWindow() error {
	for _, f := range []struct {
		flag, value string
		to          *time.Time
	}{{"--from", c.From, &c.from}, {"--to", c.To, &c.to}} {
		if f.value == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, f.value)
		if err != nil {
			return usageError{fmt.Sprintf("%s %q is not an RFC 3339 time such as "+
				"2026-03-07T14:00:00Z", f.flag, f.value)}
		}
		*f.to = t
	}
	if !c.from.IsZero() && !c.to.IsZero() && !c.to.After(c.from) {
		return usageError{"--to is not after --from: the window holds nothing"}
	}
	return nil
}

func (c *timelineImportCmd) readText(e *env) (string, error) {
	var data []byte
	var err error
	if c.Text == "-" {
		data, err = io.ReadAll(io.LimitReader(e.stdin, 8<<20))
	} else {
		data, err = os.ReadFile(c.Text)
	}
	return string(data), err
}

// zipExport returns the Slack export at path as zip bytes: the file itself,
// or a folder zipped in memory.
func zipExport(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return os.ReadFile(path)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".json" {
			return err
		}
		rel, err := filepath.Rel(path, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// printTimelineResult lists the events read, flags first in each line, and
// what adding them did.
func printTimelineResult(w io.Writer, res *client.TimelineResult) {
	for _, ev := range res.Events {
		when := "(no time)          "
		if !ev.Time.IsZero() {
			when = ev.Time.UTC().Format("2006-01-02 15:04:05Z")
		}
		flag := ""
		if ev.Flag != "" {
			flag = " [" + ev.Flag + "]"
		}
		fmt.Fprintf(w, "%s%s %s\n", when, flag, printable(ev.Text))
	}
	for _, p := range res.Problems {
		fmt.Fprintf(w, "line %d: %s\n", p.Line, printable(p.Message))
	}
	verb := "added"
	if res.DryRun {
		verb = "would add"
	}
	fmt.Fprintf(w, "%s %s; %d already in the timeline; %d flagged for a look\n",
		verb, plural(res.Added, "event"), res.Skipped, res.Flagged)
}

// plural writes n and the noun, with an s unless n is one.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
