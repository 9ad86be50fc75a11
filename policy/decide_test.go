package policy

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
)

var (
	start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	now   = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)
)

// resolved is a resolved incident on payments in Performance that lasted
// the minutes given.
func resolved(sev debrief.Severity, minutes int) debrief.Incident {
	return debrief.Incident{ID: "inc-1", Title: "slow checkout", Services: []string{"payments"},
		Severity: sev, Category: debrief.CategoryPerformance, Status: debrief.IncidentResolved,
		StartedAt: start, ResolvedAt: start.Add(time.Duration(minutes) * time.Minute)}
}

func open(sev debrief.Severity) debrief.Incident {
	in := resolved(sev, 0)
	in.Status, in.ResolvedAt = debrief.IncidentOpen, time.Time{}
	return in
}

func with(in debrief.Incident, change func(*debrief.Incident)) debrief.Incident {
	change(&in)
	return in
}

func waiver(by, reason string) debrief.PolicyRequest {
	return debrief.PolicyRequest{ID: 1, IncidentID: "inc-1", Kind: debrief.RequestWaiver,
		Reason: reason, RequestedBy: by, RequestedAt: start.Add(2 * time.Hour)}
}

func learning(by, approvedBy string) debrief.PolicyRequest {
	r := debrief.PolicyRequest{ID: 2, IncidentID: "inc-1", Kind: debrief.RequestLearning,
		Reason: "the failover worked, but nobody knows why", RequestedBy: by,
		RequestedAt: start.Add(3 * time.Hour)}
	if approvedBy != "" {
		r.ApprovedBy, r.ApprovedAt = approvedBy, start.Add(4*time.Hour)
	}
	return r
}

func TestDecide(t *testing.T) {
	notP3 := "not required: P3, lasted 12 min ≤ 60 min, no user impact, no critical process, "
	tests := []struct {
		name        string
		facts       Facts
		outcome     debrief.Outcome
		rule        string
		explanation string
	}{
		{"P1", Facts{Incident: resolved("P1", 5)}, debrief.OutcomeRequired, "severity",
			"required: P1 (P1 and P2 always need a postmortem)"},
		{"P2", Facts{Incident: resolved("P2", 5)}, debrief.OutcomeRequired, "severity",
			"required: P2 (P1 and P2 always need a postmortem)"},
		{"severity in words", Facts{Incident: resolved("Critical", 5)},
			debrief.OutcomeRequired, "severity",
			"required: P1 (P1 and P2 always need a postmortem)"},
		{"P2 waived with a reason", Facts{Incident: resolved("P2", 5),
			Requests: []debrief.PolicyRequest{waiver("ana", "a known canary\nfailure")}},
			debrief.OutcomeWaived, "severity",
			"waived: P2, reason: a known canary failure (by ana)"},
		{"P2 waiver without a reason is set aside", Facts{Incident: resolved("P2", 5),
			Requests: []debrief.PolicyRequest{waiver("ana", "  ")}},
			debrief.OutcomeRequired, "severity",
			"required: P2 (P1 and P2 always need a postmortem)"},
		{"P1 cannot be waived", Facts{Incident: resolved("P1", 5),
			Requests: []debrief.PolicyRequest{waiver("ana", "tiny")}},
			debrief.OutcomeRequired, "severity",
			"required: P1 (P1 and P2 always need a postmortem); waiver by ana not " +
				"applied: the severity rule cannot be waived for P1"},
		{"P3 74 min", Facts{Incident: resolved("P3", 74), Recurrences: 1},
			debrief.OutcomeRequired, "duration", "required: P3, lasted 74 min > 60 min"},
		{"P3 60 min and a half", Facts{Incident: with(resolved("P3", 60), func(
			in *debrief.Incident) {
			in.ResolvedAt = in.ResolvedAt.Add(30 * time.Second)
		}), Recurrences: 1}, debrief.OutcomeRequired, "duration",
			"required: P3, lasted 60 min 30 s > 60 min"},
		{"P3 60 min and a millisecond", Facts{Incident: with(resolved("P3", 60), func(
			in *debrief.Incident) {
			in.ResolvedAt = in.ResolvedAt.Add(time.Millisecond)
		}), Recurrences: 1}, debrief.OutcomeRequired, "duration",
			"required: P3, lasted 1h0m0.001s > 60 min"},
		{"P3 12 min", Facts{Incident: resolved("P3", 12), Recurrences: 1},
			debrief.OutcomeNotRequired, "",
			notP3 + "1 incident on payments/Performance in 30 days < 3"},
		{"P3 60 min exactly", Facts{Incident: resolved("P3", 60), Recurrences: 1},
			debrief.OutcomeNotRequired, "", "not required: P3, lasted 60 min ≤ 60 min, " +
				"no user impact, no critical process, 1 incident on payments/Performance " +
				"in 30 days < 3"},
		{"P3 with user impact", Facts{Incident: with(resolved("P3", 12),
			func(in *debrief.Incident) { in.UserImpact = true }), Recurrences: 1},
			debrief.OutcomeRequired, "user impact", "required: P3, hit many users"},
		{"P3 with a critical process", Facts{Incident: with(resolved("P3", 12),
			func(in *debrief.Incident) { in.CriticalProcess = true }), Recurrences: 1},
			debrief.OutcomeRequired, "critical process",
			"required: P3, hit a critical process"},
		{"P3 recurring 3 in 30 days", Facts{Incident: resolved("P3", 12), Recurrences: 3},
			debrief.OutcomeRequired, "recurrence",
			"required: P3, 3 incidents on payments/Performance in 30 days ≥ 3"},
		{"P3 recurring 2 in 30 days", Facts{Incident: resolved("P3", 12), Recurrences: 2},
			debrief.OutcomeNotRequired, "",
			notP3 + "2 incidents on payments/Performance in 30 days < 3"},
		{"P4 recurring", Facts{Incident: resolved("P4", 3), Recurrences: 4},
			debrief.OutcomeRequired, "recurrence",
			"required: P4, 4 incidents on payments/Performance in 30 days ≥ 3"},
		{"no severity", Facts{Incident: resolved("", 3), Recurrences: 1},
			debrief.OutcomeNotRequired, "",
			"not required: no severity, 1 incident on payments/Performance in 30 days < 3"},
		{"several services", Facts{Incident: with(resolved("P4", 3), func(in *debrief.Incident) {
			in.Services = []string{"payments", "checkout"}
		}), Recurrences: 5, RecurrenceService: "checkout"}, debrief.OutcomeRequired,
			"recurrence", "required: P4, 5 incidents on checkout/Performance in 30 days ≥ 3"},
		{"no category to count", Facts{Incident: with(resolved("P4", 3), func(
			in *debrief.Incident) {
			in.Category = ""
		})}, debrief.OutcomeNotRequired, "",
			"not required: P4, recurrence not counted: no category"},
		{"P3 still open", Facts{Incident: open("P3"), Recurrences: 1},
			debrief.OutcomeNotRequired, "", "not required: P3, still open: duration not " +
				"known yet, no user impact, no critical process, 1 incident on " +
				"payments/Performance in 30 days < 3"},
		{"P3 still open with user impact", Facts{Incident: with(open("P3"),
			func(in *debrief.Incident) { in.UserImpact = true }), Recurrences: 1},
			debrief.OutcomeRequired, "user impact", "required: P3, hit many users"},
		{"P3 waived", Facts{Incident: resolved("P3", 74), Recurrences: 1,
			Requests: []debrief.PolicyRequest{waiver("ana", "load test, planned")}},
			debrief.OutcomeWaived, "duration",
			"waived: P3, reason: load test, planned (by ana)"},
		{"P3 recurrence cannot be waived", Facts{Incident: resolved("P3", 74),
			Recurrences: 3, Requests: []debrief.PolicyRequest{waiver("ana", "planned")}},
			debrief.OutcomeRequired, "duration", "required: P3, lasted 74 min > 60 min; " +
				"waiver by ana not applied: the recurrence rule cannot be waived for P3"},
		{"P4 learning request pending", Facts{Incident: resolved("P4", 3), Recurrences: 1,
			Requests: []debrief.PolicyRequest{learning("bo", "")}},
			debrief.OutcomeRequested, LearningRule,
			"requested: learning request by bo, waiting for an approver"},
		{"P4 learning request approved", Facts{Incident: resolved("P4", 3), Recurrences: 1,
			Requests: []debrief.PolicyRequest{learning("bo", ""), learning("di", "cy")}},
			debrief.OutcomeRequired, LearningRule,
			"required: learning request by di, approved by cy"},
		{"waived P2 with an approved learning request", Facts{Incident: resolved("P2", 3),
			Requests: []debrief.PolicyRequest{waiver("ana", "dull"), learning("bo", "cy")}},
			debrief.OutcomeRequired, LearningRule,
			"required: learning request by bo, approved by cy"},
		{"required P1 with a learning request", Facts{Incident: resolved("P1", 3),
			Requests: []debrief.PolicyRequest{learning("bo", "")}},
			debrief.OutcomeRequired, "severity",
			"required: P1 (P1 and P2 always need a postmortem)"},
	}
	p := Default()
	for _, tt := range tests {
		tt.facts.Now = now
		d := p.Decide(tt.facts, "resolved")
		if d.Outcome != tt.outcome || d.Rule != tt.rule || d.Explanation != tt.explanation {
			t.Errorf("%s:\n got %s, rule %q: %s\nwant %s, rule %q: %s", tt.name, d.Outcome,
				d.Rule, d.Explanation, tt.outcome, tt.rule, tt.explanation)
		}
		if d.IncidentID != "inc-1" || d.Trigger != "resolved" || !d.DecidedAt.Equal(now) {
			t.Errorf("%s: incident %q, trigger %q, decided at %v", tt.name, d.IncidentID,
				d.Trigger, d.DecidedAt)
		}
		if len(d.Reasons) < len(p.rules) {
			t.Errorf("%s: %d reasons for %d rules: %q", tt.name, len(d.Reasons),
				len(p.rules), d.Reasons)
		}
	}
}

// TestDecideReasons checks that the reasons name every rule with the facts
// it saw, and the requests that were set aside.
func TestDecideReasons(t *testing.T) {
	f := Facts{Incident: resolved("P3", 12), Recurrences: 1, Now: now,
		Requests: []debrief.PolicyRequest{waiver("ana", ""), learning("bo", "")}}
	d := Default().Decide(f, "on demand")
	want := []string{
		"severity: does not apply to P3 (only to P1 or P2)",
		"duration: not met: P3, lasted 12 min ≤ 60 min",
		"user impact: not met: P3, no user impact",
		"critical process: not met: P3, no critical process",
		"recurrence: not met: P3, 1 incident on payments/Performance in 30 days < 3",
		"waiver by ana set aside: it gives no reason",
		"learning request by bo, waiting for an approver: the failover worked, " +
			"but nobody knows why",
	}
	if !slices.Equal(d.Reasons, want) {
		t.Errorf("reasons\n%s\nwant\n%s", strings.Join(d.Reasons, "\n"),
			strings.Join(want, "\n"))
	}
}

func TestDecideSetsAsideOtherIncidentsRequests(t *testing.T) {
	w := waiver("ana", "fine")
	w.IncidentID = "inc-2"
	d := Default().Decide(Facts{Incident: resolved("P2", 3),
		Requests: []debrief.PolicyRequest{w}}, "changed")
	if d.Outcome != debrief.OutcomeRequired {
		t.Errorf("another incident's waiver waived this one: %s", d.Explanation)
	}
}

func TestDecideLatestWaiverCounts(t *testing.T) {
	early, late := waiver("ana", "first thought"), waiver("bo", "second thought")
	late.RequestedAt = early.RequestedAt.Add(time.Hour)
	d := Default().Decide(Facts{Incident: resolved("P2", 3),
		Requests: []debrief.PolicyRequest{late, early}}, "changed")
	if want := "waived: P2, reason: second thought (by bo)"; d.Explanation != want {
		t.Errorf("explanation %q, want %q", d.Explanation, want)
	}
}

func TestLearningRequestFlow(t *testing.T) {
	p := Default()
	req := learning("bo", "")
	if err := p.CheckRequest(req); err != nil {
		t.Fatalf("a learning request with a reason is refused: %v", err)
	}
	f := Facts{Incident: resolved("P4", 3), Recurrences: 1, Now: now,
		Requests: []debrief.PolicyRequest{req}}
	if d := p.Decide(f, "request"); d.Outcome != debrief.OutcomeRequested {
		t.Fatalf("pending request: %s", d.Explanation)
	}
	refusals := []struct {
		who  debrief.Actor
		kind debrief.Kind
		says string
	}{
		{debrief.Actor{Name: "bo", Role: debrief.AccessAdmin}, debrief.KindForbidden,
			"bo asked for this postmortem and may not approve it"},
		{debrief.Actor{Name: "BO", Role: debrief.AccessFacilitator}, debrief.KindForbidden,
			"may not approve it"},
		{debrief.Actor{Name: "vi", Role: debrief.AccessViewer}, debrief.KindForbidden,
			"needs the role facilitator or admin"},
		{debrief.Actor{Name: "co", Role: debrief.AccessContributor}, debrief.KindForbidden,
			"needs the role facilitator or admin"},
	}
	for _, r := range refusals {
		err := p.CheckApprover(r.who, req)
		if debrief.ErrorKind(err) != r.kind || !strings.Contains(err.Error(), r.says) {
			t.Errorf("%s (%s) approving: %v, want %v saying %q", r.who.Name, r.who.Role,
				err, r.kind, r.says)
		}
	}
	cy := debrief.Actor{Name: "cy", Role: debrief.AccessFacilitator}
	if err := p.CheckApprover(cy, req); err != nil {
		t.Fatalf("a facilitator may not approve: %v", err)
	}
	f.Requests[0].ApprovedBy, f.Requests[0].ApprovedAt = "cy", now
	d := p.Decide(f, "approval")
	if d.Outcome != debrief.OutcomeRequired || d.Rule != LearningRule ||
		d.Explanation != "required: learning request by bo, approved by cy" {
		t.Errorf("approved request: %s, rule %q: %s", d.Outcome, d.Rule, d.Explanation)
	}
	if err := p.CheckApprover(cy, f.Requests[0]); debrief.ErrorKind(err) != debrief.KindConflict {
		t.Errorf("approving twice: %v, want a conflict", err)
	}
	if err := p.CheckApprover(cy, waiver("ana", "x")); debrief.ErrorKind(err) !=
		debrief.KindInvalid {
		t.Errorf("approving a waiver: %v, want invalid", err)
	}
}

func TestApproversByName(t *testing.T) {
	p, err := Parse([]byte("learning_requests:\n  approvers:\n    people: [Dana]\n"),
		"policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		a    debrief.Actor
		want bool
	}{
		{debrief.Actor{Name: "dana", Role: debrief.AccessContributor}, true},
		{debrief.Actor{Name: "cy", Role: debrief.AccessFacilitator}, false},
		{debrief.Actor{Name: "root", Role: debrief.AccessAdmin}, false},
	}
	for _, tt := range tests {
		if got := p.MayApprove(tt.a); got != tt.want {
			t.Errorf("MayApprove(%s, %s) = %v, want %v", tt.a.Name, tt.a.Role, got, tt.want)
		}
	}
	err = p.CheckApprover(debrief.Actor{Name: "cy", Role: debrief.AccessAdmin},
		learning("bo", ""))
	if err == nil || !strings.Contains(err.Error(), "needs being Dana") {
		t.Errorf("error %v does not say who may approve", err)
	}
}

func TestCheckRequest(t *testing.T) {
	tests := []struct {
		name  string
		r     debrief.PolicyRequest
		field string
		says  string
	}{
		{"waiver with a reason", waiver("ana", "a planned test"), "", ""},
		{"learning request with a reason", learning("bo", ""), "", ""},
		{"waiver without a reason", waiver("ana", " \n "), "reason", "a waiver needs a reason"},
		{"learning request without a reason", with2(learning("bo", ""), func(
			r *debrief.PolicyRequest) {
			r.Reason = ""
		}), "reason", "a learning request needs a reason"},
		{"unknown kind", with2(waiver("ana", "x"), func(r *debrief.PolicyRequest) {
			r.Kind = "veto"
		}), "kind", `kind "veto" is not a request`},
		{"nobody asking", waiver("", "x"), "requested_by", "names the person"},
		{"a reason too long", waiver("ana", strings.Repeat("why ", 300)), "reason",
			"the limit is 1000"},
		{"a control character", waiver("ana", "ok\x1b[31m"), "reason", "control character"},
	}
	p := Default()
	for _, tt := range tests {
		err := p.CheckRequest(tt.r)
		switch {
		case tt.says == "" && err != nil:
			t.Errorf("%s: refused: %v", tt.name, err)
		case tt.says == "":
		case err == nil || !strings.Contains(err.Error(), tt.says) ||
			debrief.ErrorField(err) != tt.field:
			t.Errorf("%s: error %v (field %q), want field %q saying %q", tt.name, err,
				debrief.ErrorField(err), tt.field, tt.says)
		}
	}
}

func with2(r debrief.PolicyRequest, change func(*debrief.PolicyRequest)) debrief.PolicyRequest {
	change(&r)
	return r
}

func TestRecurrenceWindow(t *testing.T) {
	if w, ok := Default().RecurrenceWindow(); !ok || w != 30*24*time.Hour {
		t.Errorf("default window %v, %v; want 30 days", w, ok)
	}
	p, err := Parse([]byte("rules:\n  - {name: all, severities: [P1, P2, P3]}\n"), "p.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.RecurrenceWindow(); ok {
		t.Error("a policy without recurrence asks for a count")
	}
}

func TestFactsChanged(t *testing.T) {
	base := resolved("P3", 12)
	changes := map[string]func(*debrief.Incident){
		"severity":         func(in *debrief.Incident) { in.Severity = "P2" },
		"category":         func(in *debrief.Incident) { in.Category = "Security" },
		"services":         func(in *debrief.Incident) { in.Services = []string{"auth"} },
		"start":            func(in *debrief.Incident) { in.StartedAt = start.Add(-time.Hour) },
		"resolution":       func(in *debrief.Incident) { in.ResolvedAt = time.Time{} },
		"status":           func(in *debrief.Incident) { in.Status = debrief.IncidentMitigated },
		"user impact":      func(in *debrief.Incident) { in.UserImpact = true },
		"critical process": func(in *debrief.Incident) { in.CriticalProcess = true },
	}
	for name, change := range changes {
		after := with(base, change)
		if !FactsChanged(&base, &after) {
			t.Errorf("a change of %s is not a change of facts", name)
		}
	}
	after := with(base, func(in *debrief.Incident) {
		in.Title, in.Services = "renamed", []string{"PAYMENTS"}
	})
	if FactsChanged(&base, &after) {
		t.Error("a new title, or a service's case, changed the facts")
	}
}
