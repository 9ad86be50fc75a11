package workflow

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/debrief-oss/debrief"
)

// A report written in debrief has deadlines from the trigger policy: the
// meeting after the incident's resolution, then the draft and the final
// report after the meeting. They are worked out again after every save,
// because the resolution and the meeting date can change; the moment a step
// was done is kept once known. Imported reports are history and get none.

// Deadlines returns the report's deadlines, in the order they fall.
func (s *Service) Deadlines(
	ctx context.Context,
	a debrief.Actor,
	id string,
) ([]debrief.Deadline, error) {
	if _, err := s.visible(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.Deadlines(ctx, id)
}

// Overdue lists the steps of reports the actor may read that are not done
// and past due now, the longest overdue first, and how many there are.
func (s *Service) Overdue(
	ctx context.Context,
	a debrief.Actor,
	limit, offset int,
) ([]debrief.OverdueDeadline, int, error) {
	if err := canRead(a); err != nil {
		return nil, 0, err
	}
	return s.store.OverdueDeadlines(ctx, debrief.OverdueFilter{
		Now: s.now(), Reader: &a, Limit: limit, Offset: offset})
}

// settleDeadlines works out the report's deadlines after a save. The save
// has happened, so a failure here is logged rather than returned: the
// deadlines are worked out again on the next save.
func (s *Service) settleDeadlines(ctx context.Context, p *debrief.Postmortem) {
	if imported(p) {
		return
	}
	if err := s.writeDeadlines(ctx, p); err != nil {
		s.logger.LogAttrs(ctx, slog.LevelError, "deadlines not updated",
			slog.String("postmortem_id", p.ID), slog.String("error", err.Error()))
	}
}

func (s *Service) writeDeadlines(ctx context.Context, p *debrief.Postmortem) error {
	stored, err := s.store.Deadlines(ctx, p.ID)
	if err != nil {
		return err
	}
	ds := s.policy.Deadlines(p.Incident.ResolvedAt, heldMeeting(p, s.now()))
	if waived, err := s.waived(ctx, p.Incident.ID); err != nil {
		return err
	} else if waived {
		ds = nil // nobody owes a waived postmortem anything
	}
	now := s.now().UTC()
	for i := range ds {
		d := &ds[i]
		d.PostmortemID = p.ID
		if j := slices.IndexFunc(stored, func(o debrief.Deadline) bool {
			return o.Kind == d.Kind
		}); j >= 0 {
			d.MetAt = stored[j].MetAt
		}
		switch d.Kind {
		case debrief.DeadlineMeeting:
			d.MetAt = heldMeeting(p, now)
		case debrief.DeadlineDraft:
			if d.MetAt.IsZero() && p.Status != debrief.StatusDraft {
				d.MetAt = now
			}
		case debrief.DeadlineFinal:
			if d.MetAt.IsZero() && (p.Status == debrief.StatusFinal ||
				p.Status == debrief.StatusArchived) {
				d.MetAt = now
			}
		}
	}
	if len(ds) == 0 && len(stored) == 0 || slices.EqualFunc(ds, stored, sameDeadline) {
		return nil
	}
	return s.store.SaveDeadlines(ctx, p.ID, ds)
}

// heldMeeting is the meeting's date when it has taken place by now, else
// zero: a meeting planned for next week does not meet its deadline yet,
// and one dated before the incident started is a slip, not a meeting
// about it.
func heldMeeting(p *debrief.Postmortem, now time.Time) time.Time {
	m := p.Meeting.Date
	if m.IsZero() || m.After(now) || m.Before(p.Incident.StartedAt) {
		return time.Time{}
	}
	return m.UTC()
}

func sameDeadline(a, b debrief.Deadline) bool {
	return a.Kind == b.Kind && a.Due.Equal(b.Due) && a.MetAt.Equal(b.MetAt) && a.Rule == b.Rule
}

// waived reports whether the policy's decision in force on the incident
// is a waiver.
func (s *Service) waived(ctx context.Context, incidentID string) (bool, error) {
	if incidentID == "" {
		return false, nil
	}
	ds, err := s.store.Decisions(ctx, incidentID)
	if err != nil {
		return false, err
	}
	return len(ds) > 0 && ds[0].Outcome == debrief.OutcomeWaived, nil
}
