package web

import (
	"fmt"
	"math"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

func TestAlertChartDrawsOneBarPerAlert(t *testing.T) {
	in := &debrief.Incident{StartedAt: at("2026-03-09 10:00"), DetectedAt: at("2026-03-09 10:00"),
		AcknowledgedAt: at("2026-03-09 10:10")}
	now := at("2026-03-09 11:00")
	alerts := []debrief.Alert{
		{Key: "a", Title: "Errors", Status: debrief.AlertResolved,
			StartsAt: at("2026-03-09 10:00"), EndsAt: at("2026-03-09 10:30")},
		{Key: "b", Title: "Latency", Status: debrief.AlertAcknowledged,
			StartsAt: at("2026-03-09 10:15")},
		{Key: "c", Title: "Never started"}, // no start: nothing to place
		{Key: "d", Status: debrief.AlertFiring, Source: debrief.SourceOpsgenie,
			StartsAt: at("2026-03-09 10:45")},
	}
	c := newAlertChart(in, alerts, now)
	if c == nil {
		t.Fatal("no chart")
	}
	type bar struct {
		x1, x2 int
		class  string
		open   bool
		label  string
	}
	var got []bar
	for _, b := range c.Bars {
		got = append(got, bar{int(math.Round(b.X)), int(math.Round(b.X + b.W)), b.StatusClass(),
			b.Open, b.Label})
	}
	// The axis runs from 10:00 (x 48) to now, 11:00 (x 912): 14.4 a minute.
	want := []bar{
		{48, 480, "alert-resolved", false, "Errors"},
		{264, 912, "alert-acknowledged", true, "Latency"},
		{696, 912, "alert-firing", true, "opsgenie alert d"},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(bar{})); diff != "" {
		t.Errorf("bars (-want +got):\n%s", diff)
	}
	var labels []string
	for _, m := range c.Milestones {
		labels = append(labels, m.Label)
	}
	if diff := cmp.Diff([]string{"Detected 10:00", "Acknowledged 10:10"}, labels); diff != "" {
		t.Errorf("milestones (-want +got):\n%s", diff)
	}
	if c.AxisY != incidentChartTop+3*barStep || c.Height <= c.AxisY {
		t.Errorf("axis at %d in a chart %d high, want it under three bars", c.AxisY, c.Height)
	}
}

func TestAlertChartCapsItsBars(t *testing.T) {
	var alerts []debrief.Alert
	for i := range maxAlertBars + 7 {
		alerts = append(alerts, debrief.Alert{Key: fmt.Sprint(i), Status: debrief.AlertResolved,
			StartsAt: at("2026-03-09 10:00").Add(time.Duration(i) * time.Minute),
			EndsAt:   at("2026-03-09 12:00")})
	}
	c := newAlertChart(&debrief.Incident{}, alerts, at("2026-03-09 12:00"))
	if len(c.Bars) != maxAlertBars || c.Hidden != 7 {
		t.Errorf("%d bars and %d hidden, want %d and 7", len(c.Bars), c.Hidden, maxAlertBars)
	}
	if !strings.Contains(c.Description, "7 more are not") {
		t.Errorf("description %q does not say what is left out", c.Description)
	}
	if newAlertChart(&debrief.Incident{}, nil, time.Now()) != nil {
		t.Error("a chart without alerts")
	}
}

func TestResponseSpans(t *testing.T) {
	type span struct {
		Name, Text   string
		FromTimeline bool
	}
	spans := func(p *debrief.Postmortem) []span {
		var out []span
		for _, s := range responseSpans(responseMoments(p)) {
			out = append(out, span{s.Name, s.Text(), s.FromTimeline()})
		}
		return out
	}
	ev := func(at time.Time, kind debrief.EventKind) debrief.TimelineEvent {
		return debrief.TimelineEvent{Time: at, Kind: kind, Text: string(kind)}
	}

	t.Run("from the incident's moments", func(t *testing.T) {
		want := []span{{"Time to detect", "6m", false}, {"Time to acknowledge", "4m", false},
			{"Time to mitigate", "52m", false}, {"Time to resolve", "1h 04m", false}}
		if diff := cmp.Diff(want, spans(fullReport())); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("from the timeline when the incident has none", func(t *testing.T) {
		p := &debrief.Postmortem{Timeline: []debrief.TimelineEvent{
			// Stored out of order, as the builder leaves added events.
			ev(at("2026-03-09 10:20"), debrief.EventEscalation),
			ev(at("2026-03-09 10:00"), debrief.EventAction),
			ev(at("2026-03-09 10:05"), debrief.EventDetection),
			ev(at("2026-03-09 10:02"), debrief.EventDetection),
			{TimeText: "25:99", Kind: debrief.EventResolution, Flag: debrief.FlagImpossible},
			ev(at("2026-03-09 11:30"), debrief.EventResolution),
			// One alert of several resolved earlier: the incident resolved
			// with the last.
			ev(at("2026-03-09 10:40"), debrief.EventResolution),
		}}
		want := []span{{"Time to detect", "2m", true}, {"Time to acknowledge", "18m", true},
			{"Time to resolve", "1h 30m", true}}
		if diff := cmp.Diff(want, spans(p)); diff != "" {
			t.Errorf("(-want +got):\n%s", diff)
		}
	})
	t.Run("acknowledged without detection counts from the start", func(t *testing.T) {
		p := &debrief.Postmortem{Incident: debrief.Incident{StartedAt: at("2026-03-09 10:00"),
			AcknowledgedAt: at("2026-03-09 10:25"), MitigatedAt: at("2026-03-09 09:00")}}
		got := responseSpans(responseMoments(p))
		if len(got) != 1 || got[0].Text() != "25m" || !strings.Contains(got[0].Explain,
			"detection unknown") {
			t.Errorf("spans %+v, want only acknowledge, 25m from the start", got)
		}
	})
}

func TestReportTimelineIsInTimeOrder(t *testing.T) {
	p := fullReport()
	p.Timeline = []debrief.TimelineEvent{
		{Time: at("2024-03-07 14:00"), Text: "Config push begins"},
		{Time: at("2024-03-07 14:30"), Text: "Rollback starts"},
		{TimeText: "later", Text: "Someone checks the dashboards", Flag: debrief.FlagUnparsed},
		// Added by the builder after the others, flagged as it arrived.
		{Time: at("2024-03-07 14:06"), Text: "Alert fires", Source: "alert",
			Flag: debrief.FlagOutOfOrder},
		{Time: at("2024-03-07 14:10"), Text: "Paged the on-call", Source: "paste"},
	}
	_, b := readerServer(t, openStore(t, p))
	body := b.fetch("/postmortems/" + p.ID).body

	table := body[strings.Index(body, `<table class="timeline">`):]
	table = table[:strings.Index(table, "</table>")]
	cells := regexp.MustCompile(`<td>([A-Z][^<\n]*)\n`).FindAllStringSubmatch(table, -1)
	var order []string
	for _, c := range cells {
		order = append(order, c[1])
	}
	want := []string{"Config push begins", "Alert fires", "Paged the on-call",
		"Rollback starts", "Someone checks the dashboards"}
	if diff := cmp.Diff(want, order); diff != "" {
		t.Errorf("table order (-want +got):\n%s", diff)
	}
	assertContains(t, "flags and sources", table,
		`<span aria-hidden="true">⚠ </span>out of order</span>`,
		`time not understood</span>`,
		`<span class="source">from alert</span>`, `<span class="source">from paste</span>`)
}

func TestAlertChartLinksToTheTools(t *testing.T) {
	alerts := []debrief.Alert{
		{Key: "a", Title: "Errors", StartsAt: at("2026-03-09 10:00"),
			URL: "https://grafana.example/d/1"},
		{Key: "b", Title: "Errors again", StartsAt: at("2026-03-09 10:05"),
			URL: "https://grafana.example/d/1"}, // the same address once
		{Key: "c", Title: "Sneaky", StartsAt: at("2026-03-09 10:06"),
			URL: "javascript:alert(1)"},
	}
	want := []debrief.Link{{Title: "Errors", URL: "https://grafana.example/d/1"}}
	if diff := cmp.Diff(want, debrief.AlertLinks(alerts, maxAlertBars)); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
}
