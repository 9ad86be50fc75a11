package web

import (
	"fmt"
	"time"

	"github.com/debrief-oss/debrief"
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
	Description   string
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

// newTimelineChart lays out the chart, or returns nil when fewer than two
// events have a time: one dot on an axis says nothing the table does not.
func newTimelineChart(p *debrief.Postmortem) *timelineChart {
	var timed []debrief.TimelineEvent
	for _, e := range p.Timeline {
		if chartable(e) {
			timed = append(timed, e)
		}
	}
	if len(timed) < 2 {
		return nil
	}

	sc := timelineScale(timed)
	c := &timelineChart{
		Width: chartWidth, Height: chartHeight, AxisY: chartAxisY,
		AxisStart: chartPadX, AxisEnd: chartWidth - chartPadX, TickEnd: chartAxisY + 6,
		Kinds: debrief.EventKinds,
	}
	c.Marks = chartMarks(sc, timed)
	c.Milestones = chartMilestones(sc, p, timed)
	c.Ticks = chartTicks(sc)
	c.Description = fmt.Sprintf(
		"%d timed events from %s to %s. The table below lists every event.",
		len(timed), formatDateTime(sc.start), formatDateTime(sc.start.Add(sc.span)))
	return c
}

func timelineScale(timed []debrief.TimelineEvent) chartScale {
	start, end := timed[0].Time, timed[0].Time
	for _, e := range timed[1:] {
		if e.Time.Before(start) {
			start = e.Time
		}
		if e.Time.After(end) {
			end = e.Time
		}
	}
	span := end.Sub(start)
	if span <= 0 {
		span = time.Minute // all at one moment: avoid dividing by zero
	}
	return chartScale{start: start, span: span}
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
