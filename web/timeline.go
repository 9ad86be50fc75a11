package web

import (
	"fmt"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/timeline"
)

// timelineRow is one event of the report's timeline as the table shows it.
type timelineRow struct {
	Elapsed  string // "+1h 04m" from the first timed event; "" when untimed
	TimeText string
	Time     time.Time
	Text     string
	Kind     debrief.EventKind
	Source   string
	Flag     string
	FlagText string
}

// flagText says in words what a timeline flag means; a reader of a printed
// report cannot look the code up.
var flagText = map[string]string{
	debrief.FlagOutOfOrder:  "out of order",
	debrief.FlagImpossible:  "impossible time",
	debrief.FlagUnparsed:    "time not understood",
	debrief.FlagApproximate: "approximate time",
}

// chartable reports whether an event's time can be placed on an axis. An
// event flagged impossible has a parsed time nobody should trust.
func chartable(e debrief.TimelineEvent) bool {
	return !e.Time.IsZero() && e.Flag != debrief.FlagImpossible && e.Flag != debrief.FlagUnparsed
}

// timelineAnchor is the moment elapsed times count from: the earliest
// trustworthy event, so that an out-of-order entry does not shift the
// whole column or make every other row negative.
func timelineAnchor(events []debrief.TimelineEvent) (time.Time, bool) {
	var first time.Time
	for _, e := range events {
		if chartable(e) && (first.IsZero() || e.Time.Before(first)) {
			first = e.Time
		}
	}
	return first, !first.IsZero()
}

// timelineRows are the events in the order given, each with its elapsed
// time from the anchor. The report page gives them in the order they
// happened (timeline.Chronological: the stored order is not always that,
// since the timeline builder adds events after the others whatever their
// time, flagging those that arrived out of order); the builder's preview
// gives them in the order its source wrote them.
func timelineRows(events []debrief.TimelineEvent) []timelineRow {
	anchor, ok := timelineAnchor(events)
	rows := make([]timelineRow, 0, len(events))
	for _, e := range events {
		row := timelineRow{
			TimeText: e.TimeText,
			Time:     e.Time,
			Text:     e.Text,
			Kind:     e.Kind,
			Source:   e.Source,
			Flag:     e.Flag,
			FlagText: flagLabel(e.Flag),
		}
		if ok && chartable(e) {
			row.Elapsed = elapsed(e.Time.Sub(anchor))
		}
		rows = append(rows, row)
	}
	return rows
}

func flagLabel(flag string) string {
	if t, ok := flagText[flag]; ok {
		return t
	}
	return humanize(flag)
}

// elapsed formats an offset from the anchor: "+0h 00m", "+1h 04m",
// "+1d 02h 05m". Minutes are truncated, as a responder reads a clock.
func elapsed(d time.Duration) string {
	if d < 0 {
		return "−" + clockSpan(-d, true)
	}
	return "+" + clockSpan(d, true)
}

// Geometry of the timeline chart, in SVG user units. The viewBox scales it
// to the page width, so these are proportions rather than pixels.
const (
	chartWidth  = 960
	chartHeight = 190
	chartPadX   = 48
	chartAxisY  = 130
	markRadius  = 6
	markStack   = 14 // vertical step between events that share a spot
)

type timelineChart struct {
	Width, Height int
	AxisY         int
	AxisStart     int
	AxisEnd       int
	TickEnd       int
	Kinds         []debrief.EventKind // for the legend
	Marks         []chartMark
	Milestones    []chartMilestone
	Ticks         []chartTick
	// Spans are the response's durations, as brackets under the axis.
	Spans []chartSpan
	// AlertsY is where the band of the incident's alerts begins; Alerts
	// are its bars and HiddenAlerts counts those beyond maxAlertBars.
	AlertsY      int
	Alerts       []alertBar
	HiddenAlerts int
	Description  string
}

type chartMark struct {
	X, Y  float64
	Kind  debrief.EventKind
	Label string // the tooltip: time and text
}

type chartMilestone struct {
	X      float64
	LabelY int
	Anchor string // text-anchor, so labels at the edges stay inside
	Label  string
}

type chartTick struct {
	X     float64
	Label string
}

type chartScale struct {
	start time.Time
	span  time.Duration
}

func (c chartScale) x(t time.Time) float64 {
	frac := float64(t.Sub(c.start)) / float64(c.span)
	return chartPadX + frac*(chartWidth-2*chartPadX)
}

// newTimelineChart lays out the chart of the report's events, its
// response durations and its incident's alerts. It returns nil when there
// are no alerts and fewer than two events have a time: one dot on an axis
// says nothing the table does not.
func newTimelineChart(p *debrief.Postmortem, alerts []debrief.Alert) *timelineChart {
	var timed []debrief.TimelineEvent
	for _, e := range timeline.Chronological(p.Timeline) {
		if chartable(e) {
			timed = append(timed, e)
		}
	}
	alerts = placeableAlerts(alerts)
	if len(timed) < 2 && len(alerts) == 0 {
		return nil
	}

	ms := responseMoments(p)
	spans := responseSpans(ms)
	sc := timelineScale(timed, ms, alerts)
	c := &timelineChart{
		Width: chartWidth, AxisY: chartAxisY,
		AxisStart: chartPadX, AxisEnd: chartWidth - chartPadX, TickEnd: chartAxisY + 6,
		Kinds: debrief.EventKinds,
	}
	c.Marks = chartMarks(sc, timed)
	c.Milestones = chartMilestones(sc, ms)
	c.Ticks = chartTicks(sc)
	c.Spans = chartSpans(sc, spans)
	c.AlertsY = spanTop + len(spans)*spanStep
	c.Height = max(chartHeight, c.AlertsY)
	if len(alerts) > 0 {
		shown := alerts[:min(len(alerts), maxAlertBars)]
		c.HiddenAlerts = len(alerts) - len(shown)
		// An alert still open runs to the chart's end: the report is about
		// what is known, and stretching the axis to now would squeeze
		// every event into a corner.
		c.Alerts = alertBars(sc, shown, sc.start.Add(sc.span), c.AlertsY+4)
		c.Height = c.AlertsY + 4 + len(shown)*barStep + 12
	}
	c.Description = chartDescription(sc, len(timed), len(spans), len(alerts), c.HiddenAlerts)
	return c
}

func chartDescription(sc chartScale, events, spans, alerts, hidden int) string {
	d := fmt.Sprintf("%d timed event%s from %s to %s.", events, plural(events),
		formatDateTime(sc.start), formatDateTime(sc.start.Add(sc.span)))
	if spans > 0 {
		d += " Brackets under the axis show the time to detect, acknowledge, mitigate " +
			"and resolve, as the header lists them."
	}
	if alerts > 0 {
		d += fmt.Sprintf(" Under them, %d alert%s of the incident as bars from start to "+
			"end%s.", alerts, plural(alerts), hiddenNote(hidden))
	}
	return d + " The table below lists every event."
}

// timelineScale spans the timed events, the response's moments and the
// alerts' known starts and ends. There is at least one of them.
func timelineScale(
	timed []debrief.TimelineEvent,
	ms []moment,
	alerts []debrief.Alert,
) chartScale {
	var times []time.Time
	for _, e := range timed {
		times = append(times, e.Time)
	}
	for _, m := range ms {
		if !m.Time.IsZero() {
			times = append(times, m.Time)
		}
	}
	for _, a := range alerts {
		times = append(times, a.StartsAt)
		if !alertOpen(a) {
			times = append(times, a.EndsAt)
		}
	}
	return scaleOf(times)
}

// chartMarks places a dot per event. Events closer than a dot's width are
// stacked upwards so that a burst of activity stays countable.
func chartMarks(sc chartScale, timed []debrief.TimelineEvent) []chartMark {
	marks := make([]chartMark, 0, len(timed))
	stacked := map[int]int{}
	for _, e := range timed {
		x := sc.x(e.Time)
		slot := int(x) / (2 * markRadius)
		level := min(stacked[slot], 5)
		stacked[slot]++
		marks = append(marks, chartMark{
			X:     x,
			Y:     float64(chartAxisY - level*markStack),
			Kind:  e.Kind,
			Label: e.Time.UTC().Format("15:04 UTC") + " — " + shorten(120, e.Text),
		})
	}
	return marks
}
