package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/policy"
	"github.com/debrief-oss/debrief/workflow"
)

type policyCmd struct {
	Check policyCheckCmd `cmd:"" help:"Ask the trigger policy whether an incident needs a postmortem."`
	Show  policyShowCmd  `cmd:"" help:"Print the default policy, every key explained; with --policy, check that file and print it as written (keys it leaves out keep the default's values)."`
}

type policyCheckCmd struct {
	Incident string `arg:"" help:"The incident's ID. On a local database the decision follows --policy (DEBRIEF_POLICY): give the file the server runs with. With --server, the server's policy decides."`
}

// cliActor is who the command line acts as on a local database: whoever
// may open the database file may do anything with it.
var cliActor = debrief.Actor{Name: "cli", DisplayName: "command line", Role: debrief.AccessAdmin}

func (c *policyCheckCmd) Run(e *env) error {
	var d *debrief.Decision
	if e.server != "" {
		cl, err := e.client()
		if err != nil {
			return err
		}
		if d, err = cl.Decide(e.ctx, c.Incident); err != nil {
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
		if d, err = flow.Decide(e.ctx, cliActor, c.Incident); err != nil {
			return err
		}
	}
	printDecision(e.stdout, d)
	if e.server == "" {
		policy := "the default policy"
		if e.policyFile != "" {
			policy = "the policy in " + e.policyFile
		}
		fmt.Fprintf(e.stdout, "decided with %s, and recorded in the database\n",
			printable(policy))
	}
	return nil
}

// printDecision writes a decision as a person reads it: the verdict, then
// every rule's facts, then the draft it opened.
func printDecision(w io.Writer, d *debrief.Decision) {
	fmt.Fprintf(w, "%s: %s\n", printable(d.IncidentID), printable(d.Explanation))
	for _, r := range d.Reasons {
		fmt.Fprintf(w, "  - %s\n", printable(r))
	}
	if d.PostmortemID != "" {
		fmt.Fprintf(w, "postmortem: %s\n", printable(d.PostmortemID))
	}
}

type policyShowCmd struct{}

func (c *policyShowCmd) Run(e *env) error {
	if e.policyFile == "" {
		_, err := e.stdout.Write(policy.DefaultYAML())
		return err
	}
	if _, err := e.policy(); err != nil {
		return err
	}
	data, err := os.ReadFile(e.policyFile)
	if err != nil {
		return err
	}
	_, err = io.WriteString(e.stdout, strings.TrimRight(string(data), "\n")+"\n")
	return err
}

// policy loads the trigger policy named by --policy, or the default.
func (e *env) policy() (*policy.Policy, error) {
	if e.policyFile == "" {
		return policy.Default(), nil
	}
	return policy.Load(e.policyFile)
}

// workflow returns the workflow over a local store, with the policy of
// --policy: on a database a server also uses, give the server's policy, or
// the decisions recorded here follow another policy than the server's.
func (e *env) workflow(store workflow.Store) (*workflow.Service, error) {
	p, err := e.policy()
	if err != nil {
		return nil, err
	}
	// The workflow logs what it did at Info for a server's log; a command
	// prints its own result, so only warnings go to the terminal.
	logger := e.logger
	if os.Getenv("DEBRIEF_DEBUG") == "" {
		logger = slog.New(slog.NewTextHandler(e.stderr,
			&slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return workflow.New(store, workflow.WithPolicy(p), workflow.WithLogger(logger)), nil
}
