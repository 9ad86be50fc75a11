package sqlstore_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

func TestActionTrackingSurvivesReportSaves(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		p := fullReport("pm-track")
		mustSave(t, db, p)
		ref := debrief.ActionRef{PostmortemID: p.ID, Number: 3}

		stored := mustGet(t, db, p.ID)
		item := stored.ActionItems[1]
		item.Apply(debrief.ActionMove{To: debrief.ActionInProgress}, "dana", clock.Now())
		ev := debrief.ActionEvent{Ref: ref, At: clock.Now(), Actor: "dana",
			Kind: debrief.ActionEventStatus, From: debrief.ActionOpen, To: item.Status}
		if err := db.MoveActionItem(ctx, ref, debrief.ActionOpen, &item, ev); err != nil {
			t.Fatal(err)
		}
		// A second move from the old status is refused: someone moved it.
		err := db.MoveActionItem(ctx, ref, debrief.ActionOpen, &item, ev)
		if debrief.ErrorKind(err) != debrief.KindConflict {
			t.Fatalf("stale move: %v, want a conflict", err)
		}

		// Someone saves the report they loaded before the move, with the
		// item still open: the move stands.
		p.ActionItems[1].Description = "Review pool config defaults"
		mustSave(t, db, p)
		got := mustGet(t, db, p.ID).ActionItems[1]
		if got.Status != debrief.ActionInProgress || got.UpdatedBy != "dana" ||
			got.Description != "Review pool config defaults" {
			t.Fatalf("after the report save: %+v", got)
		}

		evs, err := db.ActionEvents(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2 || evs[0].Kind != debrief.ActionEventCreated ||
			evs[1].To != debrief.ActionInProgress || evs[1].Actor != "dana" {
			t.Fatalf("history: %+v", evs)
		}

		// Removing the item keeps its history and its number's place;
		// adding a new one starts its tracking.
		p.ActionItems = p.ActionItems[:1]
		p.ActionItems = append(p.ActionItems, debrief.ActionItem{Number: 4,
			Description: "New", Status: debrief.ActionOpen})
		mustSave(t, db, p)
		if evs, _ := db.ActionEvents(ctx, ref); len(evs) != 2 {
			t.Fatalf("removed item's history: %+v", evs)
		}
		if n, err := db.HighestActionNumber(ctx, p.ID); err != nil || n != 4 {
			t.Fatalf("highest number: %d, %v", n, err)
		}
		rows, _ := db.ActionItems(ctx, debrief.ActionFilter{PostmortemID: p.ID})
		if len(rows) != 2 {
			t.Fatalf("a removed item is listed: %+v", rows)
		}
		if evs, _ := db.ActionEvents(ctx, debrief.ActionRef{PostmortemID: p.ID,
			Number: 4}); len(evs) != 1 {
			t.Fatalf("new item history: %+v", evs)
		}
	})
}

func TestActionItemsListFilters(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		open := fullReport("pm-open")
		open.Visibility = debrief.VisibilityInternal
		mustSave(t, db, open)
		secret := fullReport("pm-secret")
		secret.Incident.ID = "inc-secret"
		mustSave(t, db, secret)

		rows, err := db.ActionItems(ctx, debrief.ActionFilter{Open: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 4 {
			t.Fatalf("open items: %d, want 4", len(rows))
		}
		r := rows[0]
		if r.Ref.PostmortemID != "pm-open" || r.Ref.Number != 1 || r.Title != open.Title ||
			len(r.Services) != 3 || r.Since.IsZero() {
			t.Fatalf("first row: %+v", r)
		}

		viewer := &debrief.Actor{Name: "zed", Role: debrief.AccessViewer}
		rows, err = db.ActionItems(ctx, debrief.ActionFilter{Reader: viewer})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Ref.PostmortemID == "pm-secret" {
				t.Fatalf("a viewer not named in a restricted report lists its items")
			}
		}

		rows, _ = db.ActionItems(ctx, debrief.ActionFilter{Owners: []string{"DANA"},
			Service: "checkout", DueBefore: "2030-01-01"})
		if len(rows) != 0 {
			t.Fatalf("Dana's item has no due date, yet listed as due: %+v", rows)
		}
		rows, _ = db.ActionItems(ctx, debrief.ActionFilter{Owners: []string{"DANA"},
			Service: "checkout"})
		if len(rows) != 2 {
			t.Fatalf("Dana's items: %d, want 2", len(rows))
		}
		rows, _ = db.ActionItems(ctx, debrief.ActionFilter{
			Statuses: []debrief.ActionStatus{debrief.ActionBlocked}})
		if len(rows) != 2 || rows[0].Item.BlockedReason == "" {
			t.Fatalf("blocked items: %+v", rows)
		}
	})
}

func TestStepsAndDeliveriesHappenOnce(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		p := fullReport("pm-steps")
		mustSave(t, db, p)
		ref := debrief.ActionRef{PostmortemID: p.ID, Number: 1}
		msg, _ := json.Marshal(map[string]string{"subject": "overdue"})
		step := debrief.Step{Ref: ref, Name: "overdue-1d@2024-07-01",
			Event: debrief.ActionEvent{Ref: ref, At: clock.Now(), Actor: "debrief",
				Kind: debrief.ActionEventStep, Note: "overdue by 1 day"},
			Deliveries: []debrief.Delivery{
				{Key: "k-mail", Channel: "email", Recipients: []string{"a@x.test", "b@x.test"},
					Ref: ref, Event: "action.overdue", Message: msg},
				{Key: "k-hook", Channel: "hooks", Ref: ref, Event: "action.overdue",
					Message: msg},
			}}
		for i, want := range []bool{true, false} {
			taken, err := db.TakeStep(ctx, step)
			if err != nil || taken != want {
				t.Fatalf("take %d: %v, %v; want %v", i, taken, err, want)
			}
		}

		first, err := db.ClaimDelivery(ctx, time.Minute)
		if err != nil || first == nil || first.Key != "k-mail" || len(first.Recipients) != 2 ||
			first.Attempts != 1 {
			t.Fatalf("claim: %+v, %v", first, err)
		}
		second, _ := db.ClaimDelivery(ctx, time.Minute)
		if second == nil || second.Key != "k-hook" {
			t.Fatalf("second claim: %+v", second)
		}
		if none, _ := db.ClaimDelivery(ctx, time.Minute); none != nil {
			t.Fatalf("a leased delivery was claimed again: %+v", none)
		}

		// The first is sent; the second's process dies: when its lease runs
		// out it is claimed again, and only it.
		first.State = debrief.DeliverySent
		ev := debrief.ActionEvent{Ref: ref, At: clock.Now(), Actor: "debrief",
			Kind: debrief.ActionEventNotified, Note: "e-mail"}
		if err := db.FinishDelivery(ctx, first, &ev); err != nil {
			t.Fatal(err)
		}
		clock.Advance(2 * time.Minute)
		again, _ := db.ClaimDelivery(ctx, time.Minute)
		if again == nil || again.Key != "k-hook" || again.Attempts != 2 {
			t.Fatalf("after the lease: %+v", again)
		}
		again.State, again.NextAt, again.LastError = debrief.DeliveryPending,
			clock.Now().Add(time.Hour), "503"
		if err := db.FinishDelivery(ctx, again, nil); err != nil {
			t.Fatal(err)
		}
		if early, _ := db.ClaimDelivery(ctx, time.Minute); early != nil {
			t.Fatalf("claimed before its retry time: %+v", early)
		}
		evs, _ := db.ActionEvents(ctx, ref)
		if len(evs) != 3 || evs[1].Kind != debrief.ActionEventStep ||
			evs[2].Kind != debrief.ActionEventNotified {
			t.Fatalf("history: %+v", evs)
		}
	})
}

func TestTicketLinks(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		p := fullReport("pm-ticket")
		mustSave(t, db, p)
		ref := debrief.ActionRef{PostmortemID: p.ID, Number: 3}
		tk := &debrief.Ticket{System: "jira", Key: "OPS-7", URL: "https://j.test/OPS-7",
			Status: "To Do", SyncedAt: clock.Now()}
		if err := db.SetTicket(ctx, ref, tk, nil); err != nil {
			t.Fatal(err)
		}
		got, err := db.ActionByTicket(ctx, "jira", "OPS-7")
		if err != nil || got != ref {
			t.Fatalf("by ticket: %v, %v", got, err)
		}
		other := debrief.ActionRef{PostmortemID: p.ID, Number: 1}
		if err := db.SetTicket(ctx, other, tk, nil); debrief.ErrorKind(err) !=
			debrief.KindConflict {
			t.Fatalf("one ticket on two items: %v", err)
		}
		if item := mustGet(t, db, p.ID).ActionItems[1]; item.Ticket == nil ||
			item.Ticket.Status != "To Do" {
			t.Fatalf("ticket on the item: %+v", item.Ticket)
		}
	})
}

func mustSave(t *testing.T, db *sqlstore.DB, p *debrief.Postmortem) {
	t.Helper()
	if err := db.SavePostmortem(context.Background(), p); err != nil {
		t.Fatalf("save %s: %v", p.ID, err)
	}
}

func mustGet(t *testing.T, db *sqlstore.DB, id string) *debrief.Postmortem {
	t.Helper()
	p, err := db.Postmortem(context.Background(), id)
	if err != nil {
		t.Fatalf("read %s: %v", id, err)
	}
	return p
}

// TestImportedItemsStartWhereTheirWordsAllow: a write that is no restore
// (an import) brings a verified item without its closure in as done, a
// blocked one without a reason with a reason saying so, and a new item
// under a removed item's number without the removed item's history.
func TestImportedItemsStartWhereTheirWordsAllow(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		p := fullReport("pm-imp")
		p.ActionItems = []debrief.ActionItem{
			{Number: 1, Description: "Verified elsewhere", Status: debrief.ActionVerified},
			{Number: 2, Description: "Blocked elsewhere", Status: debrief.ActionBlocked},
			{Number: 3, Description: "Old item", Status: debrief.ActionOpen},
		}
		mustSave(t, db, p)
		got := mustGet(t, db, p.ID).ActionItems
		if got[0].Status != debrief.ActionDone || got[1].BlockedReason == "" {
			t.Fatalf("imported tracking: %+v / %+v", got[0], got[1])
		}
		ref3 := debrief.ActionRef{PostmortemID: p.ID, Number: 3}
		if err := db.AddActionEvent(ctx, debrief.ActionEvent{Ref: ref3, At: clock.Now(),
			Actor: "x", Kind: debrief.ActionEventStep, Note: "old item's step"}); err != nil {
			t.Fatal(err)
		}

		// The file is edited: item 3 removed, then a new item 3 added.
		p.ActionItems = p.ActionItems[:2]
		mustSave(t, db, p)
		p.ActionItems = append(p.ActionItems, debrief.ActionItem{Number: 3,
			Description: "Brand new three", Status: debrief.ActionOpen})
		mustSave(t, db, p)
		evs, _ := db.ActionEvents(ctx, ref3)
		if len(evs) != 1 || evs[0].Kind != debrief.ActionEventCreated {
			t.Fatalf("the new item 3 inherited history: %+v", evs)
		}
	})
}
