package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"

	"github.com/debrief-oss/debrief"
)

// Decide asks the server's trigger policy about the incident now.
func (c *Client) Decide(ctx context.Context, incidentID string) (*debrief.Decision, error) {
	if err := debrief.ValidateID("incident", incidentID); err != nil {
		return nil, err
	}
	var d debrief.Decision
	path := "/api/v1/incidents/" + url.PathEscape(incidentID) + "/decisions"
	if _, err := c.do(ctx, "POST", path, nil, nil, "", &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// TimelineResult is what a timeline import read and did.
type TimelineResult struct {
	Events   []debrief.TimelineEvent `json:"events"`
	Problems []TimelineProblem       `json:"problems"`
	Added    int                     `json:"added"`
	Skipped  int                     `json:"skipped"`
	Flagged  int                     `json:"flagged"`
	DryRun   bool                    `json:"dry_run"`
	Version  int                     `json:"version"`
}

// TimelineProblem is a line of text that gave no usable time.
type TimelineProblem struct {
	Line    int    `json:"line"`
	Text    string `json:"text"`
	Message string `json:"message"`
}

// TimelineRequest is a timeline import of text, alerts or events.
type TimelineRequest struct {
	Source string                  `json:"source"`
	Text   string                  `json:"text,omitempty"`
	Zone   string                  `json:"zone,omitempty"`
	Events []debrief.TimelineEvent `json:"events,omitempty"`
	DryRun bool                    `json:"dry_run,omitempty"`
}

// ImportTimeline adds events to the report's timeline from text, its
// incident's alerts, or given events. base is the report's version the
// caller read (unused with DryRun).
func (c *Client) ImportTimeline(
	ctx context.Context,
	id string,
	base int,
	req TimelineRequest,
) (*TimelineResult, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return nil, err
	}
	return c.importTimeline(ctx, id, base, req.DryRun, body, "application/json", nil)
}

// ImportSlackTimeline adds events read from a Slack export (a zip) to the
// report's timeline. q holds channel, and optionally from, to and people.
func (c *Client) ImportSlackTimeline(
	ctx context.Context,
	id string,
	base int,
	zip []byte,
	q url.Values,
	dryRun bool,
) (*TimelineResult, error) {
	q.Set("dry_run", strconv.FormatBool(dryRun))
	return c.importTimeline(ctx, id, base, dryRun, zip, "application/zip", q)
}

func (c *Client) importTimeline(
	ctx context.Context,
	id string,
	base int,
	dryRun bool,
	body []byte,
	contentType string,
	q url.Values,
) (*TimelineResult, error) {
	path, err := reportPath(id)
	if err != nil {
		return nil, err
	}
	var h http.Header
	if !dryRun {
		h = http.Header{"If-Match": {strconv.Quote(strconv.Itoa(base))}}
	}
	var res TimelineResult
	_, err = c.send(ctx, "POST", path+"/timeline/import", q, body, contentType, h, &res)
	if err != nil {
		return nil, err
	}
	return &res, nil
}
