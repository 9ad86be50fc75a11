package web

import (
	"fmt"
	"time"

	"github.com/debrief-oss/debrief"
)

// The picture of an incident's alerts: one bar per alert on a time axis,
// from when it started firing to when it resolved. An alert still firing or
// acknowledged has no end yet; its bar runs to the end the caller chooses
// (now on the incident's page, the end of the report's chart there) and is
// drawn open. Colours come from the status classes in the stylesheet.

// Geometry of the alert bars, in SVG user units (see timeline.go).
const (
	barHeight = 12
	barStep   = 30 // a bar and the label above it
	// maxAlertBars bounds the bars drawn; the page lists how many more
	// there are, and the table below the chart names them all.
	maxAlertBars = 40
	// incidentChartTop leaves room for three rows of milestone labels.
	incidentChartTop = 64
)

// alertBar is one alert's span.
type alertBar struct {
	X, Y, W float64
	H       int
	Status  debrief.AlertStatus
	// Open marks an alert not resolved yet: its end is not known.
	Open bool
	// LabelX and Anchor place the visible label above the bar, inside the
	// chart at both edges.
	LabelX float64
	LabelY float64
	Anchor string
	Label  string
	// Tooltip says the whole of it: title, status and span in UTC.
	Tooltip string
}

// StatusClass is the bar's CSS class, for its colour.
func (b alertBar) StatusClass() string {
	if b.Status == "" {
		return "alert-firing"
	}
	return "alert-" + string(b.Status)
}

// alertChart is the incident page's picture of its alerts.
type alertChart struct {
	Width, Height int
	AxisY         int
	AxisStart     int
	AxisEnd       int
	TickEnd       int
	Top           int
	Bars          []alertBar
	Milestones    []chartMilestone
	Ticks         []chartTick
	// Hidden counts the alerts left out beyond maxAlertBars.
	Hidden      int
	Description string
}

// newAlertChart lays out the alerts of an incident against its moments, or
// returns nil when no alert has a start time to place. Alerts still open
// run to now.
func newAlertChart(in *debrief.Incident, alerts []debrief.Alert, now time.Time) *alertChart {
	placed := placeableAlerts(alerts)
	if len(placed) == 0 {
		return nil
	}
	sc := alertScale(in, placed, now)
	shown := placed[:min(len(placed), maxAlertBars)]

	c := &alertChart{
		Width: chartWidth, Top: incidentChartTop,
		AxisStart: chartPadX, AxisEnd: chartWidth - chartPadX,
		Hidden: len(placed) - len(shown),
	}
	c.Bars = alertBars(sc, shown, now, incidentChartTop)
	c.AxisY = incidentChartTop + len(shown)*barStep
	c.TickEnd = c.AxisY + 6
	c.Height = c.AxisY + 36
	c.Milestones = momentLines(sc, incidentMilestones(in))
	c.Ticks = chartTicks(sc)
	c.Description = fmt.Sprintf("%d alert%s from %s to %s%s. The list below gives each "+
		"event in words.", len(placed), plural(len(placed)), formatDateTime(sc.start),
		formatDateTime(sc.start.Add(sc.span)), hiddenNote(c.Hidden))
	return c
}

// placeableAlerts keeps the alerts that have a start time, in the order the
// store gives them (by start).
func placeableAlerts(alerts []debrief.Alert) []debrief.Alert {
	var out []debrief.Alert
	for _, a := range alerts {
		if !a.StartsAt.IsZero() {
			out = append(out, a)
		}
	}
	return out
}

// alertScale spans every alert, the incident's known moments and, while an
// alert is open, now.
func alertScale(in *debrief.Incident, alerts []debrief.Alert, now time.Time) chartScale {
	var times []time.Time
	for _, a := range alerts {
		times = append(times, a.StartsAt)
		if alertOpen(a) {
			times = append(times, now)
		} else if !a.EndsAt.IsZero() {
			times = append(times, a.EndsAt)
		}
	}
	for _, m := range in.Moments() {
		if !m.IsZero() {
			times = append(times, *m)
		}
	}
	return scaleOf(times)
}

// scaleOf is the scale from the earliest to the latest of times, which
// must not be empty.
func scaleOf(times []time.Time) chartScale {
	start, end := times[0], times[0]
	for _, t := range times[1:] {
		if t.Before(start) {
			start = t
		}
		if t.After(end) {
			end = t
		}
	}
	span := end.Sub(start)
	if span <= 0 {
		span = time.Minute // all at one moment: avoid dividing by zero
	}
	return chartScale{start: start, span: span}
}

// alertOpen reports whether the alert has not resolved.
func alertOpen(a debrief.Alert) bool {
	return a.Status != debrief.AlertResolved || a.EndsAt.IsZero()
}

// alertBars lays out one bar per alert from y = top, each open one running
// to openEnd.
func alertBars(sc chartScale, alerts []debrief.Alert, openEnd time.Time, top int) []alertBar {
	bars := make([]alertBar, 0, len(alerts))
	axisEnd := float64(chartWidth - chartPadX)
	for i, a := range alerts {
		end, open := a.EndsAt, alertOpen(a)
		if open || end.Before(a.StartsAt) {
			end = openEnd
		}
		x1 := clampX(sc.x(a.StartsAt))
		x2 := clampX(sc.x(end))
		b := alertBar{
			X: x1, W: max(x2-x1, 3), H: barHeight,
			Y:      float64(top + i*barStep + (barStep - barHeight)),
			Status: a.Status, Open: open,
			Label: shorten(60, a.Name()), Tooltip: alertTooltip(a, open),
		}
		b.LabelY = b.Y - 4
		b.LabelX, b.Anchor = x1, "start"
		if x1 > axisEnd*0.7 {
			b.LabelX, b.Anchor = x1+b.W, "end"
		}
		bars = append(bars, b)
	}
	return bars
}

// clampX keeps a position on the axis: an alert that started before the
// report's first event begins at the axis start.
func clampX(x float64) float64 {
	return min(max(x, chartPadX), chartWidth-chartPadX)
}

func alertTooltip(a debrief.Alert, open bool) string {
	span := a.StartsAt.UTC().Format("2006-01-02 15:04 UTC") + " until "
	switch {
	case open:
		span += "now, still " + string(a.Status)
	default:
		span += a.EndsAt.UTC().Format("2006-01-02 15:04 UTC")
	}
	return shorten(160, a.Name()) + " — " + span
}

// incidentMilestones are the moments the incident page marks on its
// alert chart: when the response reached each step.
func incidentMilestones(in *debrief.Incident) []moment {
	var out []moment
	for _, m := range incidentMoments(in)[1:] { // the bars show the start
		if !m.Time.IsZero() {
			out = append(out, m)
		}
	}
	return out
}

// momentLines places labelled lines for moments within the scale; three
// rows of labels keep neighbours apart.
func momentLines(sc chartScale, ms []moment) []chartMilestone {
	var out []chartMilestone
	end := sc.start.Add(sc.span)
	for _, m := range ms {
		if m.Time.Before(sc.start) || m.Time.After(end) {
			continue
		}
		x := sc.x(m.Time)
		out = append(out, chartMilestone{
			X:      x,
			LabelY: 18 + 16*(len(out)%3),
			Anchor: labelAnchor(x),
			Label:  m.Label + " " + m.Time.UTC().Format("15:04"),
		})
	}
	return out
}

func hiddenNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; the first %d are drawn and %d more are not", maxAlertBars, n)
}
