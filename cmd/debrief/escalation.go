package main

import (
	"os"
	"time"

	"github.com/debrief-oss/debrief/escalation"
	"github.com/debrief-oss/debrief/notify"
	"github.com/debrief-oss/debrief/policy"
	"github.com/debrief-oss/debrief/web"
)

// actionsConfig reads the file of --actions: the escalation policy, the
// teams, the notification channels and the trackers. Without one, the
// default policy runs and nobody is told anything (no channels).
type actionsConfig struct {
	escalation *escalation.Config
	channels   map[string]notify.Channel
}

func loadActionsConfig(path string) (*actionsConfig, error) {
	c := &actionsConfig{escalation: escalation.Default(), channels: map[string]notify.Channel{}}
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
	names := map[string]bool{}
	for n := range c.channels {
		names[n] = true
	}
	if err := c.escalation.CheckRoutes(names); err != nil {
		return nil, err
	}
	return c, nil
}

// runner is the escalation runner of a server over the store.
func (c *actionsConfig) runner(e *env, store web.Store, p *policy.Policy) *escalation.Runner {
	return &escalation.Runner{Store: store, Config: c.escalation, Channels: c.channels,
		Zone: p.Calendar().Location(), Logger: e.logger, Lease: 2 * time.Minute,
		Retry: notify.DefaultRetry}
}
