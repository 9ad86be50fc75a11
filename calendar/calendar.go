// Package calendar counts deadlines on a business calendar: a time zone,
// the weekdays people work, and the holidays they do not. Days are counted
// on the local wall clock, so "7 days after 10:00" is 10:00 a week later
// even when the clocks changed in between; hours are elapsed time.
package calendar

import (
	"fmt"
	"slices"
	"strings"
	"time"

	// The zone database is built in so that a policy naming
	// Europe/Copenhagen counts the same on a server without
	// /usr/share/zoneinfo (a scratch container) as on a laptop.
	_ "time/tzdata"

	"github.com/debrief-oss/debrief"
)

// Date is a day on the calendar, without a time or a zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date t falls on in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate reads a date written as YYYY-MM-DD ("2026-12-25").
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date: write it as YYYY-MM-DD, "+
			"as in 2026-12-25", s)
	}
	return DateOf(t), nil
}

// String writes the date as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Weekday returns the day of the week the date falls on.
func (d Date) Weekday() time.Weekday {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday()
}

// Holiday is a date nobody works, with its name ("Christmas Day") when it
// has one.
type Holiday struct {
	Date Date
	Name string
}

// Calendar is a business calendar: a time zone, the working weekdays and
// the holidays. Its methods read every time in its zone, whatever zone the
// time carries, and return times in its zone. The zero Calendar is not
// usable; make one with New or FromConfig.
type Calendar struct {
	loc      *time.Location
	working  [7]bool
	holidays map[Date]string
}

// New makes a calendar from a zone, the working weekdays (at least one)
// and the holidays (each date at most once).
func New(loc *time.Location, working []time.Weekday, holidays []Holiday) (*Calendar, error) {
	if loc == nil {
		return nil, debrief.FieldErrorf("time_zone", "time_zone: no time zone given")
	}
	c := &Calendar{loc: loc, holidays: make(map[Date]string, len(holidays))}
	for _, w := range working {
		if w < time.Sunday || w > time.Saturday {
			return nil, debrief.FieldErrorf("working_days", "working_days: %d is not a weekday",
				int(w))
		}
		c.working[w] = true
	}
	if !slices.Contains(c.working[:], true) {
		return nil, debrief.FieldErrorf("working_days", "working_days: name at least one "+
			"working day, or no business day would ever come")
	}
	for i, h := range holidays {
		if _, dup := c.holidays[h.Date]; dup {
			return nil, debrief.FieldErrorf(fmt.Sprintf("holidays[%d].date", i),
				"holidays[%d].date: %s is listed twice", i, h.Date)
		}
		c.holidays[h.Date] = h.Name
	}
	return c, nil
}

// Location returns the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// WorkingDays returns the working weekdays, Sunday first.
func (c *Calendar) WorkingDays() []time.Weekday {
	var ws []time.Weekday
	for w, ok := range c.working {
		if ok {
			ws = append(ws, time.Weekday(w))
		}
	}
	return ws
}

// Holidays returns the holidays in date order.
func (c *Calendar) Holidays() []Holiday {
	hs := make([]Holiday, 0, len(c.holidays))
	for d, name := range c.holidays {
		hs = append(hs, Holiday{d, name})
	}
	slices.SortFunc(hs, func(a, b Holiday) int { return compareDates(a.Date, b.Date) })
	return hs
}

func compareDates(a, b Date) int {
	if a.Year != b.Year {
		return a.Year - b.Year
	}
	if a.Month != b.Month {
		return int(a.Month - b.Month)
	}
	return a.Day - b.Day
}

// Equal reports whether two calendars count alike: the same zone name,
// working days and holidays with their names.
func (c *Calendar) Equal(o *Calendar) bool {
	if c == nil || o == nil {
		return c == o
	}
	return c.loc.String() == o.loc.String() && c.working == o.working &&
		slices.Equal(c.Holidays(), o.Holidays())
}

// IsBusinessDay reports whether t falls, in the calendar's zone, on a
// working weekday that is not a holiday. The local date counts, not the UTC
// one: 2026-12-24T20:00Z is Christmas Day in Tokyo.
func (c *Calendar) IsBusinessDay(t time.Time) bool {
	return c.isBusinessDate(DateOf(t.In(c.loc)))
}

// HolidayName returns the name of the holiday t falls on in the calendar's
// zone, and whether it is one. A holiday listed without a name gives "".
func (c *Calendar) HolidayName(t time.Time) (string, bool) {
	name, ok := c.holidays[DateOf(t.In(c.loc))]
	return name, ok
}

func (c *Calendar) isBusinessDate(d Date) bool {
	_, holiday := c.holidays[d]
	return c.working[d.Weekday()] && !holiday
}

// AddHours returns the moment h hours of elapsed time after t, in the
// calendar's zone. Across a change of the clocks the wall clock moves by
// h±1 hours.
func (c *Calendar) AddHours(t time.Time, h int) time.Time {
	return t.Add(time.Duration(h) * time.Hour).In(c.loc)
}

// AddDays returns the same local wall-clock time n calendar days after t's
// local date (before it for a negative n). A day across a change of the
// clocks is 23 or 25 hours long, so 7 days may be 7*24h±1h of elapsed time.
// For a wall time the target day does not have, see wallTime.
func (c *Calendar) AddDays(t time.Time, n int) time.Time {
	t = t.In(c.loc)
	if n == 0 {
		return t
	}
	return c.wallTime(addDate(DateOf(t), n), t)
}

// AddBusinessDays returns the same local wall-clock time on the n-th
// business day after t's local date. When t's date is not a business day
// (a weekend, a holiday) the count starts from the next business day, at
// t's wall time: 5 business days from Saturday 10:00 is counted as from
// Monday 10:00, and so falls on the next Monday, as from Monday itself. An
// n of zero gives t on a business day, and that next business day
// otherwise; a negative n counts as zero. For a wall time the target day
// does not have, see wallTime.
func (c *Calendar) AddBusinessDays(t time.Time, n int) time.Time {
	t = t.In(c.loc)
	d := DateOf(t)
	moved := false
	for !c.isBusinessDate(d) {
		d, moved = nextDate(d), true
	}
	for ; n > 0; n-- {
		d = nextDate(d)
		for !c.isBusinessDate(d) {
			d = nextDate(d)
		}
	}
	if !moved && d == DateOf(t) {
		return t
	}
	return c.wallTime(d, t)
}

func nextDate(d Date) Date { return addDate(d, 1) }

// addDate counts days on the plain calendar, in UTC, where every day
// exists (in a zone whose clocks skip midnight, a local day can lack 00:30).
func addDate(d Date, n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 12, 0, 0, 0, time.UTC))
}

// wallTime returns the date at clock's local wall time, in the calendar's
// zone. Where the clocks change, one rule holds in every zone
// (time.Date leaves the choice open, and in fact picks differently in
// Europe and America): a wall time the clocks skip becomes the moment the
// same distance after the jump (02:30 on a spring-forward day whose clocks
// go from 02:00 to 03:00 is 03:30), and a wall time the clocks show twice
// is the first of the two (01:30 on a fall-back day in New York is 01:30
// EDT, before the clocks go back).
func (c *Calendar) wallTime(day Date, clock time.Time) time.Time {
	hh, mm, ss := clock.Clock()
	asUTC := time.Date(day.Year, day.Month, day.Day, hh, mm, ss, clock.Nanosecond(), time.UTC)
	// Offsets well before and well after any change on that day: zones
	// change their clocks at most once within a day and a half.
	_, before := asUTC.Add(-36 * time.Hour).In(c.loc).Zone()
	_, after := asUTC.Add(36 * time.Hour).In(c.loc).Zone()
	first := asUTC.Add(-time.Duration(before) * time.Second).In(c.loc)
	second := asUTC.Add(-time.Duration(after) * time.Second).In(c.loc)
	okFirst, okSecond := sameWall(first, asUTC), sameWall(second, asUTC)
	switch {
	case okFirst && okSecond && second.Before(first):
		return second
	case okFirst:
		return first
	case okSecond:
		return second
	}
	// The clocks skipped the wall time: read it with the offset in force
	// before the jump, which lands after the jump by the same distance.
	return first
}

// sameWall reports whether t shows the wall clock and date of want, a time
// in UTC used as a plain wall-clock value.
func sameWall(t, want time.Time) bool {
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	return time.Date(y, m, d, hh, mm, ss, t.Nanosecond(), time.UTC).Equal(want)
}
