// Package tracker keeps action items in step with tickets in Jira (Cloud
// REST v3, Data Center REST v2) and GitHub issues: it creates a ticket
// from an item, reads its status back (by polling and from the trackers'
// webhooks) and moves it when the item moves.
//
// Statuses are translated both ways by a StatusMap. Echo and the rules in
// docs/trackers.md keep the two sides from pushing the same change back
// and forth. Credentials are Secrets, which never print.
package tracker

import (
	"context"
	"log/slog"
	"strings"

	"github.com/debrief-oss/debrief"
)

// System names a tracker.
type System string

// The trackers debrief talks to.
const (
	SystemJira   System = "jira"
	SystemGitHub System = "github"
)

// Title is the tracker's name as people write it, for messages.
func (s System) Title() string {
	switch s {
	case SystemJira:
		return "Jira"
	case SystemGitHub:
		return "GitHub"
	}
	return string(s)
}

// Ticket is a tracker's ticket as debrief links to it.
type Ticket struct {
	System System `json:"system"`
	// ID is the tracker's own identifier: Jira's issue ID ("10042"),
	// GitHub's issue ID (a large number, not the one people see).
	ID string `json:"id"`
	// Key names the ticket for people and for this package's calls:
	// "OPS-12" in Jira, "acme/ops#42" on GitHub. Jira changes the key when
	// an issue moves to another project, so Fetch may answer a new one.
	Key string `json:"key"`
	// URL is the ticket's page for people, not its API address.
	URL string `json:"url"`
	// Status is the tracker's status as it names it: "In Progress" in
	// Jira; "open", "closed as completed", "closed as not planned" … on
	// GitHub. Empty when it could not be read.
	Status string `json:"status,omitempty"`
	// State is what Status means for the action item, or "" when the
	// StatusMap does not say.
	State debrief.ActionStatus `json:"state,omitempty"`
	// Dropped names the Issue fields ("due", "labels") that Create left
	// out because the tracker would not take them (see Jira.Create).
	Dropped []string `json:"dropped,omitempty"`
}

// Issue is what a new ticket is made of.
type Issue struct {
	// Title becomes Jira's summary or GitHub's title: one line, cut to the
	// tracker's limit.
	Title string
	// Body is plain text; blank lines separate paragraphs.
	Body string
	// Labels are added as they are on GitHub; Jira refuses spaces in a
	// label, so there each run of spaces becomes a hyphen.
	Labels []string
	// Due is a date, "2006-01-02", or "". Jira sets its due date; GitHub
	// issues have none, so a "Due:" line ends the body.
	Due string
}

// Client is one tracker.
type Client interface {
	// System tells which tracker this is.
	System() System
	// Create makes a ticket and answers it with its status.
	Create(ctx context.Context, in Issue) (Ticket, error)
	// Fetch reads a ticket's current status.
	Fetch(ctx context.Context, key string) (Ticket, error)
	// Move brings a ticket to a status that means to, and answers the
	// ticket as it then is. A ticket whose status already means to is
	// left alone. ActionVerified counts as done: trackers have no
	// verified.
	Move(ctx context.Context, key string, to debrief.ActionStatus) (Ticket, error)
}

// Both trackers are Clients.
var (
	_ Client = (*Jira)(nil)
	_ Client = (*GitHub)(nil)
)

// Change is a ticket's new status, as a webhook reported it.
type Change struct {
	System System
	// Key names the ticket as Ticket.Key does.
	Key string
	// Status is the new status as the tracker names it.
	Status string
	// State is what Status means for the action item, or "" when the
	// StatusMap does not say: then record Status, but leave the item.
	State debrief.ActionStatus
	// Reason explains a blocked State in words fit for the item's blocked
	// reason ("closed on GitHub as not planned"); "" otherwise.
	Reason string
	// Delivery identifies the webhook delivery; a tracker that retries
	// sends the same one again, so it can be used to skip repeats.
	Delivery string
}

// Echo reports whether a change is debrief's own news coming back: its
// status is the one debrief last knew the ticket to have, whether debrief
// set it (Move) or read it (Create, Fetch, an earlier change). Such a
// change must not be applied again. The other half of never looping is
// that applying a change read from a tracker never pushes to it.
func Echo(known string, c Change) bool {
	return known != "" && statusKey(known) == statusKey(c.Status)
}

// Secret is a credential: an API token or a webhook secret. It prints,
// logs and marshals as "[redacted]", so that a struct holding one can be
// logged whole; string(s) gives the value to the code that sends it.
type Secret string

const redacted = "[redacted]"

// String hides the secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return redacted
}

// GoString hides the secret from %#v too.
func (s Secret) GoString() string { return `"` + s.String() + `"` }

// LogValue hides the secret from log/slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText hides the secret from encoders (JSON, YAML).
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// statusKey is a status name as compared: case, spacing and the
// typographic apostrophe of "Won’t Do" do not matter.
func statusKey(s string) string {
	s = strings.ReplaceAll(s, "\u2019", "'")
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}
