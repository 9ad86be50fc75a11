package timestamp

import (
	"fmt"
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
		if l, n, ok := LookupZone(r.zone); ok {
			loc, name = l, n
		}
	}
	if loc == nil {
		loc = time.UTC
	}
	t.Zone = name
	if t.Year > 0 && t.Month > 0 && t.Day > 0 {
		local := time.Date(t.Year, time.Month(t.Month), t.Day, hour, r.min, r.sec, 0, loc)
		t.UTC = local.UTC()
	}
}

func (t *Time) impossible(problem string) {
	t.addFlag(FlagImpossible)
	t.Problem = problem
	t.UTC = time.Time{}
	t.Precision = PrecisionNone
}

// validDate reports whether the date exists in the Gregorian calendar.
func validDate(year, month, day int) bool {
	if year < 1 || year > 9999 || month < 1 || month > 12 || day < 1 || day > 31 {
		return false
	}
	d := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	return d.Day() == day && int(d.Month()) == month
}
