package web

import (
	"time"

	"github.com/debrief-oss/debrief"
)

// incidentMoments are the five moments of an incident in response order.
func incidentMoments(inc *debrief.Incident) []moment {
	return []moment{
		{Label: "Started", Time: inc.StartedAt},
		{Label: "Detected", Time: inc.DetectedAt},
		{Label: "Acknowledged", Time: inc.AcknowledgedAt},
		{Label: "Mitigated", Time: inc.MitigatedAt},
		{Label: "Resolved", Time: inc.ResolvedAt},
	}
}

type moment struct {
	Label string
	Time  time.Time
	// FromTimeline is set when the incident does not record the moment
	// and it was read from the timeline instead.
	FromTimeline bool
}

// momentKinds are the event kinds that stand in for a moment the incident
// does not record: the first detection for detected, the first escalation
// for acknowledged (paging someone is when a person took the incident on),
// and so on. Started has none: the earliest event stands in for it.
var momentKinds = []debrief.EventKind{"", debrief.EventDetection, debrief.EventEscalation,
	debrief.EventMitigation, debrief.EventResolution}

// responseMoments are the incident's five moments, each one the incident
// does not record taken from the timeline: the earliest event of its kind
// (the latest for the resolution), and for the start the earliest
// trustworthy event of any kind.
func responseMoments(p *debrief.Postmortem) []moment {
	ms := incidentMoments(&p.Incident)
	for i := range ms {
		if !ms[i].Time.IsZero() {
			continue
		}
		switch kind := momentKinds[i]; kind {
		case "":
			ms[i].Time, _ = timelineAnchor(p.Timeline)
		case debrief.EventResolution:
			// Resolved is when the last thing was: an incident with
			// several alerts resolves at the last one's end.
			ms[i].Time = latestOfKind(p.Timeline, kind)
		default:
			ms[i].Time = earliestOfKind(p.Timeline, kind)
		}
		ms[i].FromTimeline = !ms[i].Time.IsZero()
	}
	return ms
}

// earliestOfKind is the time of the earliest trustworthy event of kind, or
// zero. The stored order is not chronological after an import, so the
// first in the list is not necessarily the first that happened.
func earliestOfKind(events []debrief.TimelineEvent, kind debrief.EventKind) time.Time {
	var first time.Time
	for _, e := range events {
		if e.Kind == kind && chartable(e) && (first.IsZero() || e.Time.Before(first)) {
			first = e.Time
		}
	}
	return first
}

// latestOfKind is the time of the latest trustworthy event of kind, or
// zero.
func latestOfKind(events []debrief.TimelineEvent, kind debrief.EventKind) time.Time {
	var last time.Time
	for _, e := range events {
		if e.Kind == kind && chartable(e) && e.Time.After(last) {
			last = e.Time
		}
	}
	return last
}

// responseSpan is one of the response's durations: time to detect,
// acknowledge, mitigate and resolve.
type responseSpan struct {
	// Name is the header's label: "Time to detect"; Short the chart's.
	Name, Short string
	// Explain says what it measures, for the header's title attribute.
	Explain  string
	From, To moment
	Duration time.Duration
}

// Text is the duration as the header shows it: "6m", "1h 04m", "0m".
func (s responseSpan) Text() string {
	if s.Duration == 0 {
		return "0m"
	}
	return formatDuration(s.Duration)
}

// FromTimeline reports whether either end was read from the timeline.
func (s responseSpan) FromTimeline() bool { return s.From.FromTimeline || s.To.FromTimeline }

// responseSpans measures the response from its moments (see
// responseMoments). Time to detect runs from the start to detection; time
// to acknowledge from detection to acknowledgement, as the on-call clock
// runs from the page, or from the start when detection is not known; time
// to mitigate and to resolve run from the start, as customers felt it. A
// span with an end missing, or ending before it begins, is left out.
func responseSpans(ms []moment) []responseSpan {
	started, detected, acked, mitigated, resolved := ms[0], ms[1], ms[2], ms[3], ms[4]
	ackFrom, ackExplain := detected, "from detection to acknowledgement"
	if detected.Time.IsZero() {
		ackFrom, ackExplain = started, "from the start to acknowledgement (detection unknown)"
	}
	all := []responseSpan{
		{Name: "Time to detect", Short: "detect", From: started, To: detected,
			Explain: "from the start to detection"},
		{Name: "Time to acknowledge", Short: "acknowledge", From: ackFrom, To: acked,
			Explain: ackExplain},
		{Name: "Time to mitigate", Short: "mitigate", From: started, To: mitigated,
			Explain: "from the start to mitigation"},
		{Name: "Time to resolve", Short: "resolve", From: started, To: resolved,
			Explain: "from the start to resolution"},
	}
	var out []responseSpan
	for _, s := range all {
		if s.From.Time.IsZero() || s.To.Time.IsZero() || s.To.Time.Before(s.From.Time) {
			continue
		}
		s.Duration = s.To.Time.Sub(s.From.Time).Truncate(time.Minute)
		out = append(out, s)
	}
	return out
}

// chartMilestones labels the response's moments on the axis: the
// incident's, or where it records none, the first event of the moment's
// kind, so the chart still shows when detection and resolution happened.
// A start guessed from the earliest event is not drawn: it is the axis's
// left end anyway.
func chartMilestones(sc chartScale, ms []moment) []chartMilestone {
	var drawn []moment
	for i, m := range ms {
		if m.Time.IsZero() || (i == 0 && m.FromTimeline) {
			continue
		}
		drawn = append(drawn, m)
	}
	return momentLines(sc, drawn)
}

// chartSpan is a response duration drawn as a bracket under the axis.
type chartSpan struct {
	X1, X2, Y      float64
	LabelX, LabelY float64
	Anchor         string
	Label          string
}

// CapTop and CapBottom are the ends of the bracket's end marks.
func (c chartSpan) CapTop() float64    { return c.Y - 4 }
func (c chartSpan) CapBottom() float64 { return c.Y + 4 }

// Geometry of the brackets under the axis, below the tick labels.
const (
	spanTop  = chartAxisY + 46
	spanStep = 18
)

func chartSpans(sc chartScale, spans []responseSpan) []chartSpan {
	out := make([]chartSpan, 0, len(spans))
	for i, s := range spans {
		c := chartSpan{
			X1: clampX(sc.x(s.From.Time)), X2: clampX(sc.x(s.To.Time)),
			Y:     float64(spanTop + i*spanStep),
			Label: "Time to " + s.Short + " " + s.Text(),
		}
		c.LabelX, c.LabelY, c.Anchor = c.X2+6, c.Y+4, "start"
		if c.X2 > chartWidth*0.7 {
			c.LabelX, c.Anchor = c.X1-6, "end"
		}
		if c.Anchor == "end" && c.X1 < chartWidth*0.3 {
			// No room on either side: write it over the bracket's middle.
			c.LabelX, c.LabelY, c.Anchor = (c.X1+c.X2)/2, c.Y-5, "middle"
		}
		out = append(out, c)
	}
	return out
}

func labelAnchor(x float64) string {
	switch {
	case x < chartWidth*0.2:
		return "start"
	case x > chartWidth*0.8:
		return "end"
	}
	return "middle"
}

// chartTicks puts five labelled ticks on the axis. Spans over a day are
// labelled with dates, shorter ones with clock times.
func chartTicks(sc chartScale) []chartTick {
	layout := "15:04"
	if sc.span > 24*time.Hour {
		layout = "Jan 2 15:04"
	}
	const n = 4
	ticks := make([]chartTick, 0, n+1)
	for i := 0; i <= n; i++ {
		t := sc.start.Add(sc.span * time.Duration(i) / n)
		ticks = append(ticks, chartTick{X: sc.x(t), Label: t.UTC().Format(layout)})
	}
	return ticks
}
