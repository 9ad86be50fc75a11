package main

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"text/tabwriter"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/client"
	"github.com/debrief-oss/debrief/workflow"
)

type actionsCmd struct {
	List actionsListCmd `cmd:"" default:"withargs" help:"List action items, ranked: quick wins first, prevention before mitigation, then by due date."`
	Move actionsMoveCmd `cmd:"" help:"Move an action item through its lifecycle (open, in_progress, blocked, done, verified)."`
}

type actionsListCmd struct {
	Owner      string `help:"Only the items of this owner (a person or a team, by name)."`
	Team       string `help:"Only the items of this team (configured in the --actions file)."`
	Service    string `help:"Only items of reports on this service."`
	Category   string `help:"Only items of reports of this incident category."`
	Quadrant   string `help:"Only items in this quadrant: quick win, major project, fill-in, deprioritise."`
	Status     string `default:"open" help:"open (everything before done), all, or one status."`
	Overdue    bool   `help:"Only items past their due date."`
	Stalled    bool   `help:"Only items marked stalled."`
	Postmortem string `help:"Only the items of this report (its ID)."`
	Limit      int    `default:"100" help:"Most items to list; 0 lists all."`
	Format     string `enum:"text,json" default:"text" help:"text or json."`
	Actions    string `name:"actions" env:"DEBRIEF_ACTIONS" type:"existingfile" help:"The file naming the teams, for --team on a local database."`
}

func (c *actionsListCmd) Run(e *env) error {
	list, err := c.list(e)
	if err != nil {
		return err
	}
	if c.Format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(list)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ITEM\tDUE\tLATE\tSTATUS\tQUADRANT\tOWNER\tDESCRIPTION")
	for _, r := range list.Items {
		late := ""
		if r.DaysOverdue > 0 {
			late = strconv.Itoa(r.DaysOverdue) + "d"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Ref, r.Item.Due, late,
			r.Item.Status.Label(), r.Quadrant, oneLine(r.Item.Owner, 20),
			oneLine(r.Item.Description, 60))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(list.Items) < list.Total {
		fmt.Fprintf(e.stderr, "%d of %d items shown; use --limit 0 for all\n",
			len(list.Items), list.Total)
	}
	return nil
}

// list reads the items from the server, or from the local database as
// the command line's actor, who reads every report.
func (c *actionsListCmd) list(e *env) (*client.ActionList, error) {
	if e.server != "" {
		cl, err := e.client()
		if err != nil {
			return nil, err
		}
		return cl.Actions(e.ctx, c.filters(), c.Limit)
	}
	if err := e.needDatabase(); err != nil {
		return nil, err
	}
	store, err := e.openStore()
	if err != nil {
		return nil, err
	}
	defer store.Close()
	cfg, err := loadActionsConfig(c.Actions)
	if err != nil {
		return nil, err
	}
	p, err := e.policy()
	if err != nil {
		return nil, err
	}
	flow := workflow.New(store, workflow.WithPolicy(p),
		workflow.WithTeams(cfg.escalation.DomainTeams()))
	got, err := flow.Actions(e.ctx, cliActor, workflow.ActionQuery{Owner: c.Owner,
		Team: c.Team, Service: c.Service, Category: debrief.Category(c.Category),
		Quadrant: c.Quadrant, Status: c.statusFilter(), Overdue: c.Overdue,
		Stalled: c.Stalled, PostmortemID: c.Postmortem})
	if err != nil {
		return nil, err
	}
	out := &client.ActionList{Today: got.Today, Total: len(got.Rows),
		Items: []client.ActionRow{}}
	for _, r := range got.Rows {
		if c.Limit > 0 && len(out.Items) == c.Limit {
			break
		}
		out.Items = append(out.Items, client.ActionRow{ActionRow: r,
			Quadrant: r.Item.Quadrant(), DaysOverdue: r.Item.DaysOverdue(got.Today),
			URL: fmt.Sprintf("/postmortems/%s/actions/%d", url.PathEscape(r.Ref.PostmortemID),
				r.Ref.Number)})
	}
	return out, nil
}

// statusFilter is --status as the workflow reads it: "all" filters nothing.
func (c *actionsListCmd) statusFilter() string {
	if c.Status == "all" {
		return ""
	}
	return c.Status
}

// filters are the flags as the server's list takes them.
func (c *actionsListCmd) filters() url.Values {
	q := url.Values{}
	set := func(k, v string) {
		if v != "" {
			q.Set(k, v)
		}
	}
	set("owner", c.Owner)
	set("team", c.Team)
	set("service", c.Service)
	set("category", c.Category)
	set("quadrant", c.Quadrant)
	set("status", c.Status)
	set("postmortem", c.Postmortem)
	if c.Overdue {
		q.Set("overdue", "1")
	}
	if c.Stalled {
		q.Set("stalled", "1")
	}
	return q
}

type actionsMoveCmd struct {
	Item        string `arg:"" help:"The item: the report's ID, '#' and the item's number, like incident-42#3."`
	To          string `required:"" help:"The status to move to: open, in_progress, blocked, done or verified."`
	Reason      string `help:"Why: required to block or reopen, a note otherwise."`
	Implemented bool   `help:"Verifying: the change is in place."`
	Tested      bool   `help:"Verifying: it was tested."`
	Documented  bool   `help:"Verifying: the documentation says so."`
	Result      string `help:"Verifying: what was checked, and what it showed."`
	Evidence    string `help:"Verifying: a link (http or https) to the evidence."`
}

func (c *actionsMoveCmd) Run(e *env) error {
	ref, err := debrief.ParseActionRef(c.Item)
	if err != nil {
		return err
	}
	to, err := debrief.ParseActionStatus(c.To)
	if err != nil {
		return err
	}
	m := debrief.ActionMove{To: to, Reason: c.Reason}
	if to == debrief.ActionVerified {
		m.Closure = &debrief.Closure{Implemented: c.Implemented, Tested: c.Tested,
			Documented: c.Documented, Result: c.Result, Evidence: c.Evidence}
	}
	var item *debrief.ActionItem
	if e.server != "" {
		cl, err := e.client()
		if err != nil {
			return err
		}
		item, err = cl.MoveAction(e.ctx, ref, m)
		if err != nil {
			return err
		}
	} else {
		if err := e.needDatabase(); err != nil {
			return err
		}
		store, err := e.openStore()
		if err != nil {
			return err
		}
		defer store.Close()
		flow, err := e.workflow(store)
		if err != nil {
			return err
		}
		if item, err = flow.MoveAction(e.ctx, cliActor, ref, m); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "%s is %s\n", ref, item.Status.Label())
	return nil
}
