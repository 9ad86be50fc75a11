package main

import (
	"context"
	"os"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/escalation"
	"github.com/debrief-oss/debrief/notify"
	"github.com/debrief-oss/debrief/policy"
	"github.com/debrief-oss/debrief/sqlstore"
	"github.com/debrief-oss/debrief/tracker"
	"github.com/debrief-oss/debrief/web"
	"github.com/debrief-oss/debrief/workflow"
)

// actionsConfig reads the file of --actions: the escalation policy, the
// teams, the notification channels and the trackers. Without one, the
// default policy runs and nobody is told anything (no channels).
type actionsConfig struct {
	escalation *escalation.Config
	channels   map[string]notify.Channel
	trackers   *tracker.Config
}

func loadActionsConfig(path string) (*actionsConfig, error) {
	c := &actionsConfig{escalation: escalation.Default(), channels: map[string]notify.Channel{},
		trackers: &tracker.Config{}}
	if path == "" {
		return c, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if c.escalation, err = escalation.Parse(data, path); err != nil {
		return nil, err
	}
	if c.channels, err = notify.ParseChannels(data, path, os.Getenv); err != nil {
		return nil, err
	}
	if c.trackers, err = tracker.ParseConfig(data, path, os.Getenv); err != nil {
		return nil, err
	}
	names := map[string]bool{}
	for n := range c.channels {
		names[n] = true
	}
	if err := c.escalation.CheckRoutes(names); err != nil {
		return nil, debrief.Errorf(debrief.KindInvalid, "%s: %s", path,
			debrief.ErrorMessage(err))
	}
	return c, nil
}

// runner is the escalation runner of a server over the store. With
// trackers configured, each of its rounds first reads the linked tickets'
// statuses (the schedule that catches what webhooks missed).
func (c *actionsConfig) runner(
	e *env,
	store *sqlstore.DB,
	p *policy.Policy,
) *escalation.Runner {
	r := &escalation.Runner{Store: store, Config: c.escalation, Channels: c.channels,
		Zone: p.Calendar().Location(), Logger: e.logger, Lease: 2 * time.Minute,
		Retry: notify.DefaultRetry}
	if clients := c.trackers.Clients(); len(clients) > 0 {
		// Moves read from a tracker are never pushed, so this service
		// needs no more than the store and the clock.
		flow := workflow.New(store, workflow.WithPolicy(p), workflow.WithLogger(e.logger))
		sync := workflow.NewTrackers(flow, c.escalation.BaseURL, clients...)
		r.Poll = func(ctx context.Context) error {
			_, err := sync.Poll(ctx)
			return err
		}
	}
	return r
}

// webOptions are the web server's options the file sets: the teams, and
// the trackers with their webhook secrets.
func (c *actionsConfig) webOptions() []web.Option {
	return []web.Option{web.WithTeams(c.escalation.DomainTeams()),
		web.WithTrackers(c.trackers, c.escalation.BaseURL)}
}
