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
}

// chartMilestones labels the incident's known moments on the axis. A report
// that records none falls back to the first event of each milestone kind,
// so the chart still shows when detection and resolution happened.
func chartMilestones(
	sc chartScale,
	p *debrief.Postmortem,
	timed []debrief.TimelineEvent,
) []chartMilestone {
	var ms []moment
	for _, m := range incidentMoments(&p.Incident) {
		if !m.Time.IsZero() {
			ms = append(ms, m)
		}
	}
	if len(ms) == 0 {
		ms = firstOfKinds(timed)
	}

	var out []chartMilestone
	end := sc.start.Add(sc.span)
	for _, m := range ms {
		if m.Time.Before(sc.start) || m.Time.After(end) {
			continue // outside the events' range; the header lists it
		}
		x := sc.x(m.Time)
		out = append(out, chartMilestone{
			X:      x,
			LabelY: 18 + 16*(len(out)%3), // three rows keep neighbours apart
			Anchor: labelAnchor(x),
			Label:  m.Label + " " + m.Time.UTC().Format("15:04"),
		})
	}
	return out
}

func firstOfKinds(timed []debrief.TimelineEvent) []moment {
	kinds := []debrief.EventKind{
		debrief.EventDetection, debrief.EventMitigation, debrief.EventResolution,
	}
	var ms []moment
	for _, k := range kinds {
		for _, e := range timed {
			if e.Kind == k {
				ms = append(ms, moment{Label: humanize(k), Time: e.Time})
				break
			}
		}
	}
	return ms
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
