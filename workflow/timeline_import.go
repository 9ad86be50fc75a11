package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/timeline"
	"github.com/debrief-oss/debrief/timestamp"
)

// The timeline builder adds events read from elsewhere (pasted text, a
// Slack export, the incident's alerts) to a report's timeline. Unlike an
// edit in the timeline editor, which the writer orders, added events are
// not moved: they go after the events already there, in the order the
// source gave them, and a time earlier than the one before it is flagged
// out of order for the writer to look at. Pages and exports show the
// timeline in chronological order.

// TimelineImport is what adding events did.
type TimelineImport struct {
	Postmortem *debrief.Postmortem `json:"postmortem"`
	// Added counts the events added; Skipped those the timeline had
	// already (the same moment and text).
	Added   int `json:"added"`
	Skipped int `json:"skipped"`
	// Flagged counts the added events whose time is doubtful.
	Flagged int `json:"flagged"`
	// Events are the events added (or, in a dry run, that would be), in
	// the source's order, with the flags adding gave them.
	Events []debrief.TimelineEvent `json:"events"`
}

// AddTimelineEvents adds events to the report's timeline at version base.
// A report changed since is a *ConflictError. Nothing new to add saves
// nothing; with dryRun nothing is saved either, and the counts say what
// adding would do.
func (s *Service) AddTimelineEvents(
	ctx context.Context,
	a debrief.Actor,
	id string,
	base int,
	events []debrief.TimelineEvent,
	dryRun bool,
) (*TimelineImport, error) {
	cur, err := s.visible(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if err := debrief.CheckEdit(a, cur); err != nil {
		return nil, err
	}
	if cur.Version != base {
		return nil, s.conflict(ctx, cur, base)
	}
	merged, skipped := timeline.Merge(cur.Timeline, events)
	res := &TimelineImport{Postmortem: cur, Skipped: skipped,
		Added: len(merged) - len(cur.Timeline)}
	res.Events = slices.Clone(merged[len(cur.Timeline):])
	for _, e := range res.Events {
		if e.Flag != "" {
			res.Flagged++
		}
	}
	if res.Added == 0 || dryRun {
		return res, nil
	}
	if len(merged) > debrief.MaxListLen {
		return nil, debrief.FieldErrorf("timeline", "the timeline would have %d events; "+
			"a report holds at most %d: choose a narrower time window", len(merged),
			debrief.MaxListLen)
	}

	next := *cur
	next.Timeline = merged
	next.UpdatedBy = a.Name
	if err := next.Validate(); err != nil {
		return nil, fmt.Errorf("added events: %w", err)
	}
	if err := s.store.SavePostmortem(ctx, &next); err != nil {
		if errors.Is(err, debrief.ErrStaleVersion) {
			return nil, s.conflictNow(ctx, a, id, base)
		}
		return nil, err
	}
	s.settleDeadlines(ctx, &next)
	s.logEvent(ctx, "timeline events added", a, id, slog.Int("added", res.Added))
	res.Postmortem = &next
	return res, nil
}

// AlertTimeline returns the incident's alert events as timeline events,
// for the builder's preview of a report about it.
func (s *Service) AlertTimeline(
	ctx context.Context,
	a debrief.Actor,
	reportID string,
) ([]debrief.TimelineEvent, error) {
	p, err := s.visible(ctx, a, reportID)
	if err != nil {
		return nil, err
	}
	if p.Incident.ID == "" {
		return nil, nil
	}
	events, err := s.store.IncidentEvents(ctx, p.Incident.ID)
	if err != nil {
		return nil, err
	}
	return timeline.FromAlerts(events), nil
}

// TextEvents reads pasted text or a chat log into events for the report:
// times are read in zone, or the report's zone when zone is empty, and a
// time without a date takes the incident's start date. An unknown zone is
// KindInvalid on "zone".
func TextEvents(
	p *debrief.Postmortem,
	text, zone string,
) ([]debrief.TimelineEvent, []timeline.Problem, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil, debrief.FieldErrorf("text", "there is no text to read events from")
	}
	if zone == "" {
		zone = p.TimeZone
	}
	if _, _, ok := timestamp.LookupZone(zone); zone != "" && !ok {
		return nil, nil, debrief.FieldErrorf("zone", "%q is not a time zone debrief "+
			"knows: use an IANA name such as Europe/Berlin, or UTC", zone)
	}
	events, problems := timeline.FromText(text, timeline.Options{Zone: zone,
		Date: p.Incident.StartedAt})
	return events, problems, nil
}

// TeamRoles maps the names of the report's team to their roles, so that
// the people of a chat export can be shown by the role they had.
func TeamRoles(p *debrief.Postmortem) map[string]string {
	roles := map[string]string{}
	for _, m := range p.Team {
		if m.Name != "" && m.Role != "" {
			roles[m.Name] = m.Role.Words()
		}
	}
	return roles
}
