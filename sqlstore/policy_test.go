package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
)

func saveIncident(t *testing.T, db *sqlstore.DB, in debrief.Incident) {
	t.Helper()
	if err := db.SaveIncident(context.Background(), &in); err != nil {
		t.Fatalf("save incident %s: %v", in.ID, err)
	}
}

func TestDecisionsNewestFirst(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		saveIncident(t, db, debrief.Incident{ID: "inc-1", Title: "Checkout down"})
		first := &debrief.Decision{IncidentID: "inc-1", Outcome: debrief.OutcomeNotRequired,
			Explanation: "not required: P4", Trigger: "changed",
			Reasons: []string{"severity: P4 is below P2", "duration: 5 min ≤ 60 min"}}
		if err := db.SaveDecision(ctx, first); err != nil {
			t.Fatal(err)
		}
		if want := clock.Now().Truncate(time.Microsecond); !first.DecidedAt.Equal(want) {
			t.Errorf("DecidedAt = %v, want now, %v", first.DecidedAt, want)
		}
		second := &debrief.Decision{IncidentID: "inc-1", Outcome: debrief.OutcomeRequired,
			Rule: "severity", Explanation: "required: P1", Trigger: "resolved",
			DecidedAt: at("2025-03-14T12:00:00.123456789Z"), PostmortemID: "pm-1"}
		if err := db.SaveDecision(ctx, second); err != nil {
			t.Fatal(err)
		}

		got, err := db.Decisions(ctx, "inc-1")
		if err != nil {
			t.Fatal(err)
		}
		second.DecidedAt = at("2025-03-14T12:00:00.123456Z")
		if diff := cmp.Diff([]debrief.Decision{*second, *first}, got); diff != "" {
			t.Errorf("decisions (-want +got):\n%s", diff)
		}
		if got, err := db.Decisions(ctx, "inc-none"); err != nil || got != nil {
			t.Errorf("decisions of an unknown incident = %v, %v; want none", got, err)
		}

		err = db.SaveDecision(ctx, &debrief.Decision{IncidentID: "inc-none",
			Outcome: debrief.OutcomeRequired})
		wantKind(t, err, debrief.KindNotFound)
		err = db.SaveDecision(ctx, &debrief.Decision{IncidentID: "inc-1", Outcome: "maybe"})
		wantKind(t, err, debrief.KindInvalid)
	})
}

func TestPolicyRequestsAndApproval(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, clock *testClock) {
		ctx := context.Background()
		saveIncident(t, db, debrief.Incident{ID: "inc-1", Title: "Checkout down"})
		waiver := &debrief.PolicyRequest{IncidentID: "inc-1", Kind: debrief.RequestWaiver,
			Reason: "reviewed with the vendor", RequestedBy: "alice"}
		if err := db.SavePolicyRequest(ctx, waiver); err != nil {
			t.Fatal(err)
		}
		filedAt := clock.Now().Truncate(time.Microsecond)
		if waiver.ID == 0 || !waiver.RequestedAt.Equal(filedAt) {
			t.Errorf("filed waiver: id %d, at %v; want an id, %v", waiver.ID,
				waiver.RequestedAt, filedAt)
		}
		clock.Advance(time.Minute)
		learning := &debrief.PolicyRequest{IncidentID: "inc-1", Kind: debrief.RequestLearning,
			Reason: "a near miss worth learning from", RequestedBy: "bob"}
		if err := db.SavePolicyRequest(ctx, learning); err != nil {
			t.Fatal(err)
		}

		clock.Advance(time.Minute)
		approval := *learning
		approval.ApprovedBy = "carol"
		if err := db.SavePolicyRequest(ctx, &approval); err != nil {
			t.Fatal(err)
		}
		again := *learning
		again.ApprovedBy, again.ApprovedAt = "dave", clock.Now().Add(time.Hour)
		if err := db.SavePolicyRequest(ctx, &again); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(approval, again); diff != "" {
			t.Errorf("a second approval changed the first (-first +second):\n%s", diff)
		}

		got, err := db.PolicyRequests(ctx, "inc-1")
		if err != nil {
			t.Fatal(err)
		}
		wantApproved := *learning
		wantApproved.ApprovedBy = "carol"
		wantApproved.ApprovedAt = clock.Now().Truncate(time.Microsecond)
		if diff := cmp.Diff([]debrief.PolicyRequest{*waiver, wantApproved}, got); diff != "" {
			t.Errorf("requests (-want +got):\n%s", diff)
		}

		tests := []struct {
			name string
			r    debrief.PolicyRequest
			kind debrief.Kind
		}{
			{"unknown incident", debrief.PolicyRequest{IncidentID: "inc-none",
				Kind: debrief.RequestWaiver}, debrief.KindNotFound},
			{"unknown kind", debrief.PolicyRequest{IncidentID: "inc-1", Kind: "exemption"},
				debrief.KindInvalid},
			{"approval of an unknown request", debrief.PolicyRequest{ID: 9999,
				IncidentID: "inc-1", Kind: debrief.RequestLearning, ApprovedBy: "carol"},
				debrief.KindNotFound},
			{"approval under another incident", debrief.PolicyRequest{ID: learning.ID,
				IncidentID: "inc-2", Kind: debrief.RequestLearning, ApprovedBy: "carol"},
				debrief.KindNotFound},
			{"approval without an approver", debrief.PolicyRequest{ID: learning.ID,
				IncidentID: "inc-1", Kind: debrief.RequestLearning}, debrief.KindInvalid},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				wantKind(t, db.SavePolicyRequest(ctx, &tt.r), tt.kind)
			})
		}
	})
}

func TestCountIncidentsOnServiceAndCategory(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		for _, in := range []debrief.Incident{
			{ID: "a", Services: []string{"Checkout", "db"}, Category: "Availability",
				StartedAt: at("2025-03-01T00:00:00Z")},
			{ID: "b", Services: []string{"checkout"}, Category: "Availability",
				StartedAt: at("2025-03-10T12:00:00.000001Z")},
			{ID: "c", Services: []string{"checkout"}, Category: "Performance",
				StartedAt: at("2025-03-05T00:00:00Z")},
			{ID: "d", Services: []string{"search"}, Category: "Availability",
				StartedAt: at("2025-03-05T00:00:00Z")},
			{ID: "e", Services: []string{"checkout"}, Category: "Availability"},
		} {
			in.Title = "incident " + in.ID
			saveIncident(t, db, in)
		}
		tests := []struct {
			name string
			q    debrief.RecurrenceQuery
			want int
		}{
			{"window holds both", debrief.RecurrenceQuery{Service: "CHECKOUT",
				Category: "Availability", From: at("2025-03-01T00:00:00Z"),
				To: at("2025-03-10T12:00:00.000001999Z")}, 2},
			{"window ends before one", debrief.RecurrenceQuery{Service: "checkout",
				Category: "Availability", From: at("2025-02-01T00:00:00Z"),
				To: at("2025-03-10T12:00:00Z")}, 1},
			{"other category", debrief.RecurrenceQuery{Service: "checkout",
				Category: "performance", From: at("2025-01-01T00:00:00Z"),
				To: at("2025-12-31T00:00:00Z")}, 1},
			{"second service", debrief.RecurrenceQuery{Service: "db", Category: "Availability",
				From: at("2025-01-01T00:00:00Z"), To: at("2025-12-31T00:00:00Z")}, 1},
			{"nothing there", debrief.RecurrenceQuery{Service: "payments",
				Category: "Availability", From: at("2025-01-01T00:00:00Z"),
				To: at("2025-12-31T00:00:00Z")}, 0},
		}
		for _, tt := range tests {
			n, err := db.CountIncidents(ctx, tt.q)
			if err != nil || n != tt.want {
				t.Errorf("%s: %d, %v; want %d", tt.name, n, err, tt.want)
			}
		}
	})
}

// TestIncidentWithRequestOutlivesItsReport: what people asked of the
// policy about an incident stays when its report goes.
func TestIncidentWithRequestOutlivesItsReport(t *testing.T) {
	eachStore(t, func(t *testing.T, db *sqlstore.DB, _ *testClock) {
		ctx := context.Background()
		p := fullReport("pm-1")
		save(t, db, p)
		err := db.SavePolicyRequest(ctx, &debrief.PolicyRequest{IncidentID: p.Incident.ID,
			Kind: debrief.RequestWaiver, Reason: "known vendor issue"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.DeletePostmortem(ctx, p.ID); err != nil {
			t.Fatal(err)
		}
		if rs, err := db.PolicyRequests(ctx, p.Incident.ID); err != nil || len(rs) != 1 {
			t.Errorf("requests after the report's deletion: %v, %v; want the waiver", rs, err)
		}
		if ok, err := db.IncidentExists(ctx, p.Incident.ID); err != nil || !ok {
			t.Errorf("incident after the report's deletion: exists %v, %v", ok, err)
		}
	})
}
