package debrief_test

import (
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
)

func at(hhmm string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", "2026-03-07 "+hhmm)
	if err != nil {
		panic(err)
	}
	return t
}

func firing(key, hhmm string, sev debrief.Severity) debrief.AlertEvent {
	return debrief.AlertEvent{Source: debrief.SourceAlertmanager, GroupKey: "g", AlertKey: key,
		Status: debrief.AlertFiring, Kind: debrief.EventDetection, At: at(hhmm),
		StartsAt: at(hhmm), Title: "HighLatency", Text: "Firing: " + key, Severity: sev,
		Services: []string{"checkout"}}
}

func resolved(key, start, end string) debrief.AlertEvent {
	return debrief.AlertEvent{Source: debrief.SourceAlertmanager, GroupKey: "g", AlertKey: key,
		Status: debrief.AlertResolved, Kind: debrief.EventResolution, At: at(end),
		StartsAt: at(start), EndsAt: at(end), Text: "Resolved: " + key}
}

func TestFoldAlertResolvesOnlyWhenEveryAlertHas(t *testing.T) {
	in := debrief.NewAlertIncident(firing("a", "10:00", "P3"))
	alerts := map[string]*debrief.Alert{}
	for _, ev := range []debrief.AlertEvent{
		firing("a", "10:00", "P3"), firing("b", "10:02", "P1"), firing("c", "10:05", "P2"),
		resolved("b", "10:02", "10:20"),
	} {
		debrief.FoldAlert(&in, alerts, ev)
	}
	if in.Status != debrief.IncidentOpen || !in.ResolvedAt.IsZero() {
		t.Fatalf("one alert of three resolved: status %s, resolved %v; want open",
			in.Status, in.ResolvedAt)
	}
	if !in.StartedAt.Equal(at("10:00")) || !in.DetectedAt.Equal(at("10:00")) {
		t.Errorf("started %v detected %v, want both 10:00", in.StartedAt, in.DetectedAt)
	}
	if in.Severity != "P1" {
		t.Errorf("severity %s, want P1: an incident is as severe as its most severe "+
			"alert, resolved or not", in.Severity)
	}

	debrief.FoldAlert(&in, alerts, resolved("c", "10:05", "10:40"))
	debrief.FoldAlert(&in, alerts, resolved("a", "10:00", "10:31"))
	if in.Status != debrief.IncidentResolved || !in.ResolvedAt.Equal(at("10:40")) {
		t.Errorf("all resolved: status %s at %v, want resolved at the last end 10:40",
			in.Status, in.ResolvedAt)
	}
	if got := in.Duration(); got != 40*time.Minute {
		t.Errorf("duration %v, want 40m", got)
	}
}

func TestFoldAlertIgnoresALateDeliveryOfAnOlderState(t *testing.T) {
	in := debrief.NewAlertIncident(firing("a", "10:00", ""))
	alerts := map[string]*debrief.Alert{}
	debrief.FoldAlert(&in, alerts, firing("a", "10:00", ""))
	debrief.FoldAlert(&in, alerts, resolved("a", "10:00", "10:30"))
	// The firing notification was re-sent before the resolution and
	// arrived after it; its state is older than the resolution.
	late := firing("a", "10:00", "")
	late.At = at("10:10")
	debrief.FoldAlert(&in, alerts, late)
	if in.Status != debrief.IncidentResolved {
		t.Errorf("status %s after a late firing from 10:10; want it to stay resolved", in.Status)
	}
}

func TestFoldAlertAcknowledgedAndReopened(t *testing.T) {
	pd := func(status debrief.AlertStatus, hhmm string) debrief.AlertEvent {
		return debrief.AlertEvent{Source: debrief.SourcePagerDuty, GroupKey: "Q1",
			AlertKey: "Q1", Status: status, At: at(hhmm), Text: string(status)}
	}
	in := debrief.NewAlertIncident(pd(debrief.AlertFiring, "09:00"))
	alerts := map[string]*debrief.Alert{}
	debrief.FoldAlert(&in, alerts, pd(debrief.AlertFiring, "09:00"))
	debrief.FoldAlert(&in, alerts, pd(debrief.AlertAcknowledged, "09:04"))
	if in.Status != debrief.IncidentAcknowledged || !in.AcknowledgedAt.Equal(at("09:04")) {
		t.Fatalf("status %s acknowledged %v, want acknowledged at 09:04",
			in.Status, in.AcknowledgedAt)
	}
	debrief.FoldAlert(&in, alerts, pd(debrief.AlertFiring, "09:10")) // unacknowledged
	if in.Status != debrief.IncidentOpen {
		t.Errorf("status %s after unacknowledge, want open", in.Status)
	}
	if !in.AcknowledgedAt.Equal(at("09:04")) {
		t.Errorf("the first acknowledgement %v was lost", in.AcknowledgedAt)
	}
}

func TestOpensNewIncidentOnlyAfterTheResolution(t *testing.T) {
	in := debrief.Incident{Status: debrief.IncidentResolved, ResolvedAt: at("10:40")}
	if !debrief.OpensNewIncident(&in, firing("a", "11:00", "")) {
		t.Error("a firing after the resolution should open a new incident")
	}
	if debrief.OpensNewIncident(&in, firing("a", "10:10", "")) {
		t.Error("a late firing from before the resolution should join the old incident")
	}
	open := debrief.Incident{Status: debrief.IncidentOpen}
	if debrief.OpensNewIncident(&open, firing("a", "11:00", "")) {
		t.Error("a firing joins an incident that is still open")
	}
}

func TestEventKeyIgnoresTheTextOfStateChangesOnly(t *testing.T) {
	a, b := firing("a", "10:00", ""), firing("a", "10:00", "")
	b.Text = "Firing: a (value now 97%)"
	if a.EventKey() != b.EventKey() {
		t.Error("a repeated firing with fresh annotation text should be the same event")
	}
	note := func(text string) debrief.AlertEvent {
		return debrief.AlertEvent{Source: debrief.SourceOpsgenie, AlertKey: "x",
			Kind: debrief.EventCommunication, At: at("10:00"), Text: text}
	}
	if note("one").EventKey() == note("two").EventKey() {
		t.Error("two notes at the same time with different text should be two events")
	}
}

func TestIncidentIDBase(t *testing.T) {
	in := debrief.Incident{Title: "Checkout 502s", StartedAt: at("10:00")}
	if got := debrief.IncidentIDBase(&in, time.Time{}); got != "inc-2026-03-07-checkout-502s" {
		t.Errorf("IncidentIDBase = %q", got)
	}
}

func TestAnAlertFiringAgainStartsANewSpan(t *testing.T) {
	in := debrief.NewAlertIncident(firing("a", "09:00", ""))
	alerts := map[string]*debrief.Alert{}
	debrief.FoldAlert(&in, alerts, firing("a", "09:00", ""))
	debrief.FoldAlert(&in, alerts, firing("b", "09:10", "")) // keeps the incident open
	debrief.FoldAlert(&in, alerts, resolved("a", "09:00", "09:30"))
	debrief.FoldAlert(&in, alerts, firing("a", "12:00", ""))
	debrief.FoldAlert(&in, alerts, firing("a", "09:00", "")) // the first, delivered late
	a := alerts["a"]
	if !a.StartsAt.Equal(at("12:00")) || !a.EndsAt.IsZero() || a.Status != debrief.AlertFiring {
		t.Errorf("re-fired alert spans %v to %v (%s); want from 12:00, still firing",
			a.StartsAt, a.EndsAt, a.Status)
	}
	if !in.StartedAt.Equal(at("09:00")) {
		t.Errorf("the incident's start moved to %v", in.StartedAt)
	}
}
