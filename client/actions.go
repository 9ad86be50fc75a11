package client

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"

	"github.com/debrief-oss/debrief"
)

// ActionRow is an action item in a list of the server's, with what the
// server computes for it.
type ActionRow struct {
	debrief.ActionRow
	Quadrant    string `json:"quadrant,omitempty"`
	DaysOverdue int    `json:"days_overdue"`
	// URL is the item's page, relative to the server.
	URL string `json:"url"`
}

// ActionList is a ranked list of action items.
type ActionList struct {
	// Today is the date the server counts overdue from.
	Today string      `json:"today"`
	Items []ActionRow `json:"items"`
	Total int         `json:"total"`
}

// Actions lists the action items the filters keep (the list page's: owner,
// team, service, category, quadrant, status, overdue, stalled, mine,
// postmortem), ranked as the server ranks them, up to limit items (0: all),
// reading page after page.
func (c *Client) Actions(ctx context.Context, filters url.Values, limit int) (
	*ActionList,
	error,
) {
	out := &ActionList{Items: []ActionRow{}}
	const page = 200
	for {
		q := url.Values{}
		for k, v := range filters {
			q[k] = v
		}
		q.Set("limit", strconv.Itoa(page))
		q.Set("offset", strconv.Itoa(len(out.Items)))
		var got ActionList
		if _, err := c.do(ctx, "GET", "/api/v1/actions", q, nil, "", &got); err != nil {
			return nil, err
		}
		out.Today, out.Total = got.Today, got.Total
		out.Items = append(out.Items, got.Items...)
		if len(got.Items) == 0 || len(out.Items) >= got.Total ||
			limit > 0 && len(out.Items) >= limit {
			break
		}
	}
	if limit > 0 && len(out.Items) > limit {
		out.Items = out.Items[:limit]
	}
	return out, nil
}

// MoveAction moves an action item through its lifecycle as the token's
// person.
func (c *Client) MoveAction(
	ctx context.Context,
	ref debrief.ActionRef,
	m debrief.ActionMove,
) (*debrief.ActionItem, error) {
	body, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	path := "/api/v1/postmortems/" + url.PathEscape(ref.PostmortemID) + "/actions/" +
		strconv.Itoa(ref.Number) + "/move"
	var item debrief.ActionItem
	if _, err := c.do(ctx, "POST", path, nil, body, "application/json", &item); err != nil {
		return nil, err
	}
	return &item, nil
}
