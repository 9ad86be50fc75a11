package calendar

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Unit is what a Span counts.
type Unit int

// The units of a span. Hours are elapsed time; days keep the local wall
// clock (see AddDays); business days skip weekends and holidays (see
// AddBusinessDays).
const (
	Hours Unit = iota + 1
	Days
	BusinessDays
)

// MaxSpan is the largest count a span may have, in any unit: a deadline
// further away than that is a typing mistake.
const MaxSpan = 9999

// Span is a stretch of time counted on a calendar: "48 hours", "7 days",
// "5 business days".
type Span struct {
	N    int
	Unit Unit
}

var reSpan = regexp.MustCompile(`^([0-9]+)\s*([a-z][a-z ]*)$`)

var spanUnits = map[string]struct {
	unit Unit
	mult int
}{
	"h": {Hours, 1}, "hour": {Hours, 1}, "hours": {Hours, 1},
	"d": {Days, 1}, "day": {Days, 1}, "days": {Days, 1},
	"w": {Days, 7}, "week": {Days, 7}, "weeks": {Days, 7},
	"business day": {BusinessDays, 1}, "business days": {BusinessDays, 1},
	"bd": {BusinessDays, 1},
}

// ParseSpan reads a span: a whole number and a unit, "48h" or "48 hours",
// "7d" or "7 days", "1 week" (7 days), "5 business days" or "5bd". The
// number is 1 to MaxSpan.
func ParseSpan(s string) (Span, error) {
	text := strings.Join(strings.Fields(strings.ToLower(s)), " ")
	m := reSpan.FindStringSubmatch(text)
	if m == nil {
		return Span{}, fmt.Errorf("%q is not a span: write a whole number and a unit, "+
			"as in 48 hours, 7 days or 5 business days", s)
	}
	u, ok := spanUnits[m[2]]
	if !ok {
		return Span{}, fmt.Errorf("%q: unknown unit %q: use hours, days, weeks or "+
			"business days", s, m[2])
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 1 || n > MaxSpan || n*u.mult > MaxSpan {
		return Span{}, fmt.Errorf("%q: the number must be 1 to %d", s, MaxSpan)
	}
	return Span{N: n * u.mult, Unit: u.unit}, nil
}

// String writes the span as ParseSpan reads it: "48 hours", "1 day",
// "5 business days".
func (s Span) String() string {
	unit := map[Unit]string{Hours: "hour", Days: "day", BusinessDays: "business day"}[s.Unit]
	if unit == "" {
		unit = "unit"
	}
	if s.N != 1 {
		unit += "s"
	}
	return fmt.Sprintf("%d %s", s.N, unit)
}

// Add returns the moment the span ends when it starts at t.
func (c *Calendar) Add(t time.Time, s Span) time.Time {
	switch s.Unit {
	case Hours:
		return c.AddHours(t, s.N)
	case Days:
		return c.AddDays(t, s.N)
	case BusinessDays:
		return c.AddBusinessDays(t, s.N)
	}
	return t.In(c.loc)
}
