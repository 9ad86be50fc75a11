package timestamp

import (
	"fmt"
	"strings"
	"time"
)

// resolve applies the parser's context to a reading.
func (p *Parser) resolve(r reading) Time {
	var t Time
	t.ownDate = r.hasDate
	if r.approx {
		t.addFlag(FlagApproximate)
	}
	if r.badDate != "" {
		t.impossible(fmt.Sprintf("%q is not a valid date", r.badDate))
		return t
	}
	if r.placeholderDate {
		t.addFlag(FlagUnparsed)
		t.Problem = "the date is a placeholder"
		return t
	}
	if !p.resolveDate(&t, r) {
		return t
	}
	if !r.hasDate && t.Year != 0 && !PlausibleYear(t.Year) {
		t.impossible(fmt.Sprintf("the year %d is outside %d–%d", t.Year, MinYear, MaxYear))
		return t
	}
	if r.clock {
		p.resolveClock(&t, r)
	} else if t.Year > 0 && t.Month > 0 && t.Day > 0 {
		t.Precision = PrecisionDate
	}
	if !r.found() {
		t.addFlag(FlagUnparsed)
	}
	return t
}

// resolveDate fills the calendar date from the reading or the context; false
// when the date given cannot exist.
func (p *Parser) resolveDate(t *Time, r reading) bool {
	if !r.hasDate {
		t.Year, t.Month, t.Day = p.year, p.month, p.day
		return true
	}
	year, month, day := r.year, r.month, r.day
	if p.DayFirst && r.numericAmbiguous() {
		month, day = day, month
	}
	if year == 0 {
		year = p.year
	}
	check := year
	if check == 0 {
		check = 2000 // a leap year, so "Feb 29" without a year is possible
	}
	if !validDate(check, month, day) {
		t.impossible(fmt.Sprintf("%d-%02d-%02d is not a date", check, month, day))
		return false
	}
	if year != 0 && !PlausibleYear(year) {
		t.impossible(fmt.Sprintf("the year %d is outside %d–%d", year, MinYear, MaxYear))
		return false
	}
	t.Year, t.Month, t.Day = year, month, day
	return true
}

// numericAmbiguous is true for dates like 01/05/2024 whose order is unknown.
func (r reading) numericAmbiguous() bool {
	return r.month <= 12 && r.day <= 12
}

// resolveClock applies the 12 h clock, checks the values and builds the
// moment when the date is known.
func (p *Parser) resolveClock(t *Time, r reading) {
	hour := r.hour
	switch {
	case r.ampm != 0 && (hour > 12 || hour == 0 && r.ampm == 'p'):
		t.impossible(fmt.Sprintf("hour %d does not exist on a 12-hour clock", hour))
		return
	case r.ampm == 'p' && hour < 12:
		hour += 12
	case r.ampm == 'a' && hour == 12:
		hour = 0
	}
	if hour > 23 || r.min > 59 || r.sec > 59 {
		t.impossible(fmt.Sprintf("%02d:%02d:%02d is not a time of day", r.hour, r.min, r.sec))
		return
	}
	t.Precision = PrecisionMinute
	if r.seconds {
		t.Precision = PrecisionSecond
	}
	loc, name := p.loc, p.zone
	if r.zone != "" {
		l, n, ok := LookupZone(r.zone)
		if !ok {
			// The scanner takes any "+hh:mm" after a clock as its zone; one
			// that no zone has ("+25:00") makes the moment unknowable, and
			// falling back to the report's zone would hide that.
			t.impossible(fmt.Sprintf("%q is not a valid zone offset", r.zone))
			return
		}
		loc, name = l, n
		if p.ownAbbreviation(r.zone, l, t) {
			loc, name = p.loc, p.zone
		}
	}
	if loc == nil {
		loc = time.UTC
	}
	t.Zone = name
	if t.Year > 0 && t.Month > 0 && t.Day > 0 {
		t.UTC = t.wallToUTC(loc, hour, r.min, r.sec)
	}
}

// ownAbbreviation reports whether abbr is what the report's zone calls its
// own time on t's date, at another offset than the zone LookupZone gives
// the abbreviation: a report kept in Asia/Shanghai means China Standard
// Time by "CST", not US Central; one in Europe/Dublin means Irish Summer
// Time by "IST" in summer. The author's zone decides where it is ambiguous.
func (p *Parser) ownAbbreviation(abbr string, fixed *time.Location, t *Time) bool {
	if p.loc == nil || t.Year == 0 || t.Month == 0 || t.Day == 0 {
		return false
	}
	noon := time.Date(t.Year, time.Month(t.Month), t.Day, 12, 0, 0, 0, time.UTC)
	local, localOffset := noon.In(p.loc).Zone()
	_, fixedOffset := noon.In(fixed).Zone()
	return local == strings.ToUpper(abbr) && localOffset != fixedOffset
}

func (t *Time) impossible(problem string) {
	t.addFlag(FlagImpossible)
	t.Problem = problem
	t.UTC = time.Time{}
	t.Precision = PrecisionNone
}

// MinYear and MaxYear bound the years a report may plausibly name. A moment
// outside them is a typo or a placeholder ("9999-12-31", "0001-01-01"), and
// durations between such moments overflow time.Duration (about 292 years).
// The lower bound is 1900, not 1970, because published postmortems cover
// incidents such as Apollo 11 (1969).
const (
	MinYear = 1900
	MaxYear = 2100
)

// PlausibleYear reports whether year lies within MinYear–MaxYear.
func PlausibleYear(year int) bool {
	return year >= MinYear && year <= MaxYear
}

// validDate reports whether the date exists in the Gregorian calendar.
func validDate(year, month, day int) bool {
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 {
		return false
	}
	d := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return d.Day() == day && int(d.Month()) == month
}
