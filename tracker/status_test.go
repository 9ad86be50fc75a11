package tracker_test

import (
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/tracker"
)

func TestDefaultJiraStatuses(t *testing.T) {
	m := tracker.DefaultJiraStatuses()
	tests := []struct {
		status, category string
		want             debrief.ActionStatus
	}{
		{"To Do", "new", debrief.ActionOpen},
		{"Backlog", "new", debrief.ActionOpen},
		{"In Progress", "indeterminate", debrief.ActionInProgress},
		{"Code Review", "indeterminate", debrief.ActionInProgress}, // by category
		{"Blocked", "indeterminate", debrief.ActionBlocked},        // the name beats the category
		{"ON  HOLD", "indeterminate", debrief.ActionBlocked},       // case and spacing ignored
		{"Done", "done", debrief.ActionDone},
		{"Deployed", "done", debrief.ActionDone},
		{"Won't Do", "done", debrief.ActionBlocked},
		{"Won’t Do", "done", debrief.ActionBlocked}, // Jira's typographic apostrophe
		{"Duplicate", "done", debrief.ActionBlocked},
		{"Triage", "new", debrief.ActionOpen},
		{"Closed", "", debrief.ActionDone}, // a webhook's changelog gives no category
		{"Mystery", "undefined", ""},       // Jira's "No Category"
		{"Mystery", "", ""},
	}
	for _, tt := range tests {
		got, ok := m.State(tt.status, tt.category)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("State(%q, %q) = %q, %v; want %q", tt.status, tt.category, got, ok, tt.want)
		}
	}
}

func TestDefaultGitHubStatuses(t *testing.T) {
	m := tracker.DefaultGitHubStatuses()
	tests := []struct {
		status string
		want   debrief.ActionStatus
	}{
		{"open", debrief.ActionOpen},
		{"closed", debrief.ActionDone}, // closed before GitHub kept reasons
		{"closed as completed", debrief.ActionDone},
		{"closed as not planned", debrief.ActionBlocked},
		{"closed as duplicate", debrief.ActionBlocked},
		{"closed as something new", ""},
	}
	for _, tt := range tests {
		if got, _ := m.State(tt.status, ""); got != tt.want {
			t.Errorf("State(%q) = %q, want %q", tt.status, got, tt.want)
		}
	}
}

func TestEcho(t *testing.T) {
	change := func(status string) tracker.Change {
		return tracker.Change{System: tracker.SystemJira, Key: "OPS-1", Status: status}
	}
	tests := []struct {
		known, status string
		want          bool
	}{
		{"In Progress", "In Progress", true},
		{"In Progress", "in progress", true},
		{"Won't Do", "Won’t Do", true},
		{"In Progress", "Done", false},
		{"", "Done", false}, // nothing known yet: apply it
		{"open", "closed as completed", false},
	}
	for _, tt := range tests {
		if got := tracker.Echo(tt.known, change(tt.status)); got != tt.want {
			t.Errorf("Echo(%q, %q) = %v, want %v", tt.known, tt.status, got, tt.want)
		}
	}
}
