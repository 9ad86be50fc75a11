package workflow_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// reportWithItems creates a report with two items: one owned by cleo (a
// prevention quick win, overdue) and one by a team.
func reportWithItems(t *testing.T, s *workflow.Service) *debrief.Postmortem {
	t.Helper()
	p := &debrief.Postmortem{Title: "Replica lag", ActionItems: []debrief.ActionItem{
		{Description: "Alert on replica lag over 30 s", Owner: "cleo", Due: "2020-01-10",
			Impact: debrief.LevelHigh, Effort: debrief.LevelLow,
			Purpose: debrief.PurposePrevention},
		{Description: "Runbook for failover", Owner: "storage", OwnerIsTeam: true,
			Impact: debrief.LevelLow, Effort: debrief.LevelHigh},
	}}
	if err := s.Create(context.Background(), contributor, p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestActionLifecycleToVerified(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := reportWithItems(t, s)
	ref := debrief.ActionRef{PostmortemID: p.ID, Number: 1}

	if _, err := s.MoveAction(ctx, viewer, ref, debrief.ActionMove{
		To: debrief.ActionInProgress}); debrief.ErrorKind(err) != debrief.KindForbidden {
		t.Fatalf("viewer moved an item: %v", err)
	}
	if _, err := s.MoveAction(ctx, contributor, ref, debrief.ActionMove{
		To: debrief.ActionBlocked}); debrief.ErrorField(err) != "reason" {
		t.Fatalf("blocked without a reason: %v", err)
	}
	moves := []debrief.ActionMove{
		{To: debrief.ActionBlocked, Reason: "waiting for the metrics pipeline"},
		{To: debrief.ActionInProgress},
		{To: debrief.ActionDone},
	}
	for _, m := range moves {
		if _, err := s.MoveAction(ctx, contributor, ref, m); err != nil {
			t.Fatalf("move to %s: %v", m.To, err)
		}
	}

	closure := &debrief.Closure{Implemented: true, Tested: true, Documented: true,
		Result: "Paused replication in staging; the alert fired in 40 s"}
	verify := debrief.ActionMove{To: debrief.ActionVerified, Closure: closure}
	if _, err := s.MoveAction(ctx, colleague, ref, verify); debrief.ErrorField(err) !=
		"closure" {
		t.Fatalf("verified without evidence: %v", err)
	}
	closure.Evidence = "https://grafana.example/d/lag"
	if _, err := s.MoveAction(ctx, contributor, ref, verify); debrief.ErrorKind(err) !=
		debrief.KindForbidden {
		t.Fatalf("someone other than the owner verified: %v", err)
	}
	if _, err := s.MoveAction(ctx, colleague, ref, verify); err != nil {
		t.Fatalf("owner verifies: %v", err)
	}

	v, err := s.Action(ctx, viewer, ref)
	if err != nil {
		t.Fatal(err)
	}
	if v.Item.Status != debrief.ActionVerified || v.Item.VerifiedBy != "cleo" ||
		v.Item.Closure == nil || v.Item.Closure.Evidence != closure.Evidence {
		t.Fatalf("verified item: %+v", v.Item)
	}
	if len(v.History) != 5 || v.History[1].Note != "waiting for the metrics pipeline" ||
		v.History[4].Actor != "cleo" || v.History[4].Link != closure.Evidence {
		t.Fatalf("history: %+v", v.History)
	}

	// Reopening needs a reason and clears the verification.
	if _, err := s.MoveAction(ctx, colleague, ref, debrief.ActionMove{
		To: debrief.ActionOpen}); debrief.ErrorField(err) != "reason" {
		t.Fatalf("reopened without a reason: %v", err)
	}
	item, err := s.MoveAction(ctx, colleague, ref, debrief.ActionMove{To: debrief.ActionOpen,
		Reason: "the alert stayed silent during the next lag"})
	if err != nil || item.VerifiedBy != "" {
		t.Fatalf("reopen: %+v, %v", item, err)
	}
}

func TestReportEditsDoNotUndoMoves(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := reportWithItems(t, s)
	ref := debrief.ActionRef{PostmortemID: p.ID, Number: 1}
	if _, err := s.MoveAction(ctx, contributor, ref, debrief.ActionMove{
		To: debrief.ActionInProgress}); err != nil {
		t.Fatal(err)
	}
	// An editor who loaded the report before the move saves it whole.
	p.ActionItems[0].Description = "Alert on replica lag over 20 s"
	p.ActionItems[0].Status = debrief.ActionDone
	if err := s.Replace(ctx, contributor, p); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, viewer, p.ID)
	if got.ActionItems[0].Status != debrief.ActionInProgress ||
		got.ActionItems[0].Description != "Alert on replica lag over 20 s" {
		t.Fatalf("after the save: %+v", got.ActionItems[0])
	}
}

func TestActionListsRankAndFilter(t *testing.T) {
	_, db := newService(t)
	ctx := context.Background()
	s := workflow.New(db, workflow.WithTeams([]debrief.Team{
		{Name: "storage", Lead: "fay", Members: []string{"cleo"}}}))
	p := reportWithItems(t, s)

	all, err := s.Actions(ctx, viewer, workflow.ActionQuery{Status: "open"})
	if err != nil || len(all.Rows) != 2 {
		t.Fatalf("open items: %+v, %v", all, err)
	}
	if all.Rows[0].Item.Quadrant() != debrief.QuadrantQuickWin {
		t.Fatalf("the quick win is not first: %+v", all.Rows)
	}
	mine, _ := s.Actions(ctx, colleague, workflow.ActionQuery{Mine: true})
	if len(mine.Rows) != 1 || mine.Rows[0].Ref.Number != 1 {
		t.Fatalf("cleo's items: %+v", mine.Rows)
	}
	team, _ := s.Actions(ctx, facilitator, workflow.ActionQuery{Team: "storage"})
	if len(team.Rows) != 2 {
		t.Fatalf("the storage team's items (its own and cleo's): %+v", team.Rows)
	}
	overdue, _ := s.Actions(ctx, facilitator, workflow.ActionQuery{Overdue: true})
	if len(overdue.Rows) != 1 || overdue.Rows[0].Ref != (debrief.ActionRef{
		PostmortemID: p.ID, Number: 1}) {
		t.Fatalf("overdue: %+v", overdue.Rows)
	}
	quad, _ := s.Actions(ctx, facilitator, workflow.ActionQuery{
		Quadrant: debrief.QuadrantDeprioritise})
	if len(quad.Rows) != 1 || quad.Rows[0].Ref.Number != 2 {
		t.Fatalf("deprioritised: %+v", quad.Rows)
	}
	_, err = s.Actions(ctx, viewer, workflow.ActionQuery{Team: "nobody"})
	if debrief.ErrorField(err) != "team" {
		t.Fatalf("unknown team: %v", err)
	}
}

func TestNewItemsStartWhereTheLifecycleLets(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	for _, c := range []struct {
		item  debrief.ActionItem
		field string
	}{
		{debrief.ActionItem{Description: "x", Status: debrief.ActionVerified},
			"action_items[0].status"},
		{debrief.ActionItem{Description: "x", Status: debrief.ActionBlocked},
			"action_items[0].status"},
		{debrief.ActionItem{Description: "x", Status: debrief.ActionBlocked,
			BlockedReason: "vendor"}, ""},
		{debrief.ActionItem{Description: "x", Status: debrief.ActionDone}, ""},
	} {
		p := &debrief.Postmortem{Title: "t", ActionItems: []debrief.ActionItem{c.item}}
		err := s.Create(ctx, contributor, p)
		if got := debrief.ErrorField(err); got != c.field {
			t.Errorf("new item %s: %v; want field %q", c.item.Status, err, c.field)
		}
	}

	// A closure sent with a new open item is not taken either.
	p := &debrief.Postmortem{Title: "t", ActionItems: []debrief.ActionItem{{Description: "y",
		Closure: &debrief.Closure{Implemented: true}, VerifiedBy: "someone"}}}
	if err := s.Create(ctx, contributor, p); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, viewer, p.ID)
	if it := got.ActionItems[0]; it.Closure != nil || it.VerifiedBy != "" ||
		it.Status != debrief.ActionOpen {
		t.Fatalf("new item took the client's tracking: %+v", it)
	}
}

func TestRemovedItemNumbersAreNotReused(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := reportWithItems(t, s) // items 1 and 2
	p.ActionItems = p.ActionItems[:1]
	if err := s.Replace(ctx, contributor, p); err != nil {
		t.Fatal(err)
	}
	// A new item, and one that claims the removed item's number.
	p.ActionItems = append(p.ActionItems,
		debrief.ActionItem{Description: "New one"},
		debrief.ActionItem{Number: 2, Description: "Claims number 2"})
	if err := s.Replace(ctx, contributor, p); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Get(ctx, viewer, p.ID)
	var numbers []int
	for _, it := range got.ActionItems {
		numbers = append(numbers, it.Number)
	}
	if fmt.Sprint(numbers) != "[1 3 4]" {
		t.Fatalf("numbers after removing 2 and adding two: %v, want [1 3 4]", numbers)
	}
}

func TestTeamMembersVerifyTheTeamsItems(t *testing.T) {
	_, db := newService(t)
	ctx := context.Background()
	s := workflow.New(db, workflow.WithTeams([]debrief.Team{
		{Name: "storage", Lead: "fay", Members: []string{"cleo"}}}))
	p := reportWithItems(t, s) // item 2 is owned by the storage team
	ref := debrief.ActionRef{PostmortemID: p.ID, Number: 2}
	if _, err := s.MoveAction(ctx, contributor, ref, debrief.ActionMove{
		To: debrief.ActionDone}); err != nil {
		t.Fatal(err)
	}
	verify := debrief.ActionMove{To: debrief.ActionVerified, Closure: &debrief.Closure{
		Implemented: true, Tested: true, Documented: true, Result: "drill passed",
		Evidence: "https://wiki.example/drill"}}
	if _, err := s.MoveAction(ctx, contributor, ref, verify); debrief.ErrorKind(err) !=
		debrief.KindForbidden {
		t.Fatalf("carl, outside the team, verified the team's item: %v", err)
	}
	item, err := s.MoveAction(ctx, colleague, ref, verify)
	if err != nil || item.VerifiedBy != "cleo" {
		t.Fatalf("cleo, in the team, verifies: %+v, %v", item, err)
	}
}

func TestItemsOfArchivedReportsDoNotMove(t *testing.T) {
	s, db := newService(t)
	ctx := context.Background()
	p := reportWithItems(t, s)
	stored, _ := db.Postmortem(ctx, p.ID)
	stored.Status = debrief.StatusArchived
	if err := db.SavePostmortem(ctx, stored); err != nil {
		t.Fatal(err)
	}
	_, err := s.MoveAction(ctx, contributor, debrief.ActionRef{PostmortemID: p.ID, Number: 1},
		debrief.ActionMove{To: debrief.ActionDone})
	if debrief.ErrorField(err) != "to" {
		t.Fatalf("an archived report's item moved: %v", err)
	}
}

func TestOwnerChangesAreInTheItemsHistory(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := reportWithItems(t, s)
	p.ActionItems[0].Owner = "carl"
	if err := s.Replace(ctx, contributor, p); err != nil {
		t.Fatal(err)
	}
	v, err := s.Action(ctx, viewer, debrief.ActionRef{PostmortemID: p.ID, Number: 1})
	if err != nil {
		t.Fatal(err)
	}
	last := v.History[len(v.History)-1]
	if last.Kind != debrief.ActionEventOwner || last.Actor != "carl" ||
		last.Describe() != "owner changed: from cleo to carl" {
		t.Fatalf("history: %+v", v.History)
	}
}
