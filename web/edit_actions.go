package web

import (
	"strconv"

	"github.com/debrief-oss/debrief"
)

var actionsSpec = &sectionSpec{
	key: "action_items",
	lists: []listSpec{{
		name: "action_items",
		// No status or blocked reason: they are the item's tracking, which
		// changes on the item's page, and a report save keeps it as stored.
		fields: []string{"number", "description", "owner", "owner_is_team", "due", "impact",
			"effort", "category", "purpose", "success_metric", "verification", "tracker_url"},
		content: []string{"description", "owner", "due", "success_metric", "verification",
			"tracker_url"},
		blanks: 2,
	}},
	fill:  fillActions,
	build: buildActions,
}

func fillActions(f *editForm, p *debrief.Postmortem) {
	for _, a := range p.ActionItems {
		team := ""
		if a.OwnerIsTeam {
			team = "1"
		}
		f.addRow("action_items", map[string]string{
			"number": strconv.Itoa(a.Number), "description": a.Description, "owner": a.Owner,
			"owner_is_team": team, "due": a.Due, "impact": string(a.Impact),
			"effort": string(a.Effort), "category": string(a.Category),
			"purpose":        string(a.Purpose),
			"success_metric": a.SuccessMetric, "verification": a.Verification,
			"tracker_url": a.TrackerURL,
		})
	}
}

// buildActions reads the action items. Their numbers name them in other
// places (tickets, follow-up meetings), so an item keeps its number, and a
// new one gets the next number after any the report has used. A new item
// starts open; a saved one keeps its stored status (the workflow keeps
// its tracking).
func buildActions(f *editForm, cur *debrief.Postmortem) *debrief.Postmortem {
	rows := f.entries("action_items")
	next := 0
	for _, a := range cur.ActionItems {
		next = max(next, a.Number)
	}
	for _, r := range f.lists["action_items"] {
		next = max(next, r.actionNumber())
	}

	p := &debrief.Postmortem{}
	taken := map[int]bool{}
	for _, r := range rows {
		n := r.actionNumber()
		if n == 0 || taken[n] {
			next++
			n = next
		}
		taken[n] = true
		a := debrief.ActionItem{
			Number:        n,
			Description:   trimText(r.get("description")),
			Owner:         r.trimmed("owner"),
			OwnerIsTeam:   r.get("owner_is_team") != "",
			Due:           r.trimmed("due"),
			Impact:        debrief.Level(r.get("impact")),
			Effort:        debrief.Level(r.get("effort")),
			Category:      debrief.ActionCategory(r.get("category")),
			Purpose:       debrief.Purpose(r.get("purpose")),
			Status:        debrief.ActionOpen,
			SuccessMetric: trimText(r.get("success_metric")),
			Verification:  trimText(r.get("verification")),
			TrackerURL:    r.trimmed("tracker_url"),
		}
		if a.Description == "" {
			r.fail("description", "Action item %d needs a description of the change.", r.N())
		}
		p.ActionItems = append(p.ActionItems, a)
	}
	f.saved("action_items", rows)
	return p
}

// actionNumber returns the number the row was loaded with, or 0 for a new
// item.
func (r *formRow) actionNumber() int {
	n, err := strconv.Atoi(r.get("number"))
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// savedStatus is a saved item's status as the editor shows it: as text,
// with a link to the item's page, where it changes.
type savedStatus struct {
	Status        debrief.ActionStatus
	BlockedReason string
	URL           string
}

// SavedStatus returns the status of the item the row edits, as p, the
// report stored now, has it; nil for a new row.
func (r *formRow) SavedStatus(p *debrief.Postmortem) *savedStatus {
	n := r.actionNumber()
	if n == 0 || p == nil {
		return nil
	}
	for i := range p.ActionItems {
		if it := &p.ActionItems[i]; it.Number == n {
			return &savedStatus{Status: orOpen(it.Status), BlockedReason: it.BlockedReason,
				URL: actionURL(debrief.ActionRef{PostmortemID: p.ID, Number: n})}
		}
	}
	return nil
}
