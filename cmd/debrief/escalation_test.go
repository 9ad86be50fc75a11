package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestActionsConfigReadsEverySection(t *testing.T) {
	t.Setenv("DEBRIEF_TEST_HOOK_SECRET", "s3cret")
	dir := t.TempDir()
	write := func(body string) string {
		p := filepath.Join(dir, "actions.yaml")
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write(`
escalation:
  routes: {overdue: [hooks], escalated: [hooks]}
teams:
  storage: {lead: lee, members: [dana], services: [postgres]}
channels:
  hooks: {type: webhook, url: "https://hooks.example.test/x", secret_env: DEBRIEF_TEST_HOOK_SECRET}
`)
	c, err := loadActionsConfig(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.channels) != 1 || len(c.escalation.DomainTeams()) != 1 ||
		c.escalation.DomainTeams()[0].Lead != "lee" {
		t.Fatalf("config: %+v", c)
	}

	for body, want := range map[string]string{
		"escalation:\n  routes: {overdue: [nowhere]}\n":                     `channel "nowhere"`,
		"escalation:\n  steps: [{name: x, after_days: 0, tell: [owner]}]\n": "after_days",
		"teams:\n  a: {lead: x, boss: y}\n":                                 "boss",
	} {
		_, err := loadActionsConfig(write(body))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v; want an error naming %s", body, err, want)
		}
	}
}
