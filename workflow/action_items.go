package workflow

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// ActionNumberStore tells the highest number an action item of a report
// ever had, removed items included, so that a number once given names one
// item only: its links, calendar entries and notifications stay its own.
type ActionNumberStore interface {
	HighestActionNumber(ctx context.Context, postmortemID string) (int, error)
}

// settleItems prepares a write's action items against the stored report
// cur (nil for a new report): items the write keeps get their stored
// tracking; new ones get numbers the report never used, and when a person
// writes them (not an import of history) they start only where the
// lifecycle lets an item go from open.
func (s *Service) settleItems(
	ctx context.Context,
	next, cur *debrief.Postmortem,
	fromImport bool,
) error {
	floor := 0
	if cur != nil {
		var err error
		if floor, err = s.store.HighestActionNumber(ctx, cur.ID); err != nil {
			return err
		}
	}
	for i := range next.ActionItems {
		x := &next.ActionItems[i]
		if cur != nil && x.Number != 0 && findItem(cur, x.Number) != nil {
			continue
		}
		if x.Number != 0 && x.Number <= floor {
			x.Number = 0 // a removed item's number: this is another item
		}
		if !fromImport {
			if err := checkNewItem(i, x); err != nil {
				return err
			}
		}
	}
	next.NumberActionItemsAbove(floor)
	if cur != nil {
		keepTracking(next, cur)
	}
	return nil
}

// keepTracking keeps the stored tracking of every item a report write
// leaves in place: status, closure and ticket change through the item's
// lifecycle (MoveAction), never by editing the report, so an editor that
// loaded the report before a move does not undo it.
func keepTracking(next, cur *debrief.Postmortem) {
	for i := range next.ActionItems {
		x := &next.ActionItems[i]
		old := findItem(cur, x.Number)
		if old == nil || x.Number == 0 {
			continue
		}
		x.Status, x.BlockedReason, x.Closure = old.Status, old.BlockedReason, old.Closure
		x.VerifiedBy, x.VerifiedAt = old.VerifiedBy, old.VerifiedAt
		x.UpdatedBy, x.UpdatedAt, x.Stalled = old.UpdatedBy, old.UpdatedAt, old.Stalled
		x.Ticket, x.Recheck = old.Ticket, old.Recheck
	}
}

// checkNewItem refuses a new item written in a status it could not reach
// from open: verified needs its closure criteria, blocked its reason. The
// tracking a client sends with a new item is not taken.
func checkNewItem(i int, x *debrief.ActionItem) error {
	if x.Status == "" {
		x.Status = debrief.ActionOpen
	}
	x.Closure, x.VerifiedBy, x.VerifiedAt, x.Ticket, x.Recheck = nil, "", time.Time{}, nil, ""
	x.Stalled, x.UpdatedBy, x.UpdatedAt = false, "", time.Time{}
	if x.Status == debrief.ActionOpen {
		x.BlockedReason = ""
		return nil
	}
	err := debrief.CheckActionMove(&debrief.ActionItem{Status: debrief.ActionOpen},
		debrief.ActionMove{To: x.Status, Reason: x.BlockedReason})
	if err != nil {
		return debrief.FieldErrorf(fmt.Sprintf("action_items[%d].status", i),
			"a new action item starts open and moves through its lifecycle on its page: "+
				"%s", debrief.ErrorMessage(err))
	}
	return nil
}

// MayVerify reports whether the actor may record the item's verification:
// its owner, anyone in the team that owns it, or a facilitator recording
// it for them.
func (s *Service) MayVerify(a debrief.Actor, item *debrief.ActionItem) bool {
	if item.OwnedBy(a) || a.Can(debrief.AccessFacilitator) {
		return true
	}
	if !item.OwnerIsTeam || !a.Can(debrief.AccessContributor) {
		return false
	}
	team := debrief.TeamOf(s.teams, item)
	if team == nil {
		return false
	}
	for _, n := range a.Names() {
		if team.Has(n) {
			return true
		}
	}
	return false
}

// recordOwnerChanges writes in each kept item's history that the report's
// edit changed its owner: who may verify an item follows its owner, so a
// change of owner is part of the item's record.
func (s *Service) recordOwnerChanges(
	ctx context.Context,
	a debrief.Actor,
	cur, next *debrief.Postmortem,
) {
	for _, x := range next.ActionItems {
		old := findItem(cur, x.Number)
		if old == nil || strings.TrimSpace(old.Owner) == strings.TrimSpace(x.Owner) {
			continue
		}
		ev := debrief.ActionEvent{Ref: debrief.ActionRef{PostmortemID: next.ID,
			Number: x.Number}, At: s.now().UTC().Truncate(time.Microsecond), Actor: a.Name,
			Kind: debrief.ActionEventOwner,
			Note: fmt.Sprintf("from %s to %s", ownerText(old), ownerText(&x))}
		if err := s.store.AddActionEvent(ctx, ev); err != nil {
			s.logger.LogAttrs(ctx, slog.LevelWarn, "owner change not recorded",
				slog.String("postmortem_id", next.ID), slog.Int("number", x.Number),
				slog.String("error", err.Error()))
		}
	}
}
