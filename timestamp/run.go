package timestamp

import (
	"regexp"
	"time"
)

// rolloverLimit is the longest step forward that a time earlier than the one
// before it may take by moving to the next day. 23:50 then 00:10 is 20
// minutes later; 14:00 then 13:55 would be almost a day later, which is more
// likely a slip of the author than a night passing.
const rolloverLimit = 12 * time.Hour

// Entry reads text as the next entry of a run of timestamps (a timeline):
// a date it gives becomes the context for the entries after it, and a time
// earlier than the previous one moves to the next day when that is plausible.
func (p *Parser) Entry(text string) Time {
	t := p.Parse(text)
	p.follow(&t)
	return t
}

// EntryPrefix is ParsePrefix for the next entry of a run; see Entry.
func (p *Parser) EntryPrefix(line string) (t Time, rest string, ok bool) {
	t, rest, ok = p.ParsePrefix(line)
	if ok {
		p.follow(&t)
	}
	return t, rest, ok
}

// follow places t in the current run and updates the date context.
func (p *Parser) follow(t *Time) {
	fullDate := t.Year > 0 && t.Month > 0 && t.Day > 0
	if t.ownDate && fullDate && !t.Has(FlagImpossible) {
		p.SetDate(t.Year, t.Month, t.Day)
		if t.UTC.IsZero() {
			// A date on its own starts a new day: what follows is on it.
			p.prev = time.Date(t.Year, time.Month(t.Month), t.Day, 0, 0, 0, 0, p.location())
			return
		}
	}
	if t.UTC.IsZero() {
		return
	}
	if p.prev.IsZero() || !t.UTC.Before(p.prev) {
		p.prev = t.UTC
		return
	}
	if t.ownDate {
		// The author gave the date: flag the step back, and run on from
		// here, so that the times after it are read on its date.
		t.addFlag(FlagOutOfOrder)
		p.prev = t.UTC
		return
	}
	local := t.UTC.In(p.zoneOf(t))
	next := local.AddDate(0, 0, 1)
	if gap := next.Sub(p.prev); gap < 0 || gap > rolloverLimit {
		// Even a day later it would not follow the time before it (or
		// only after more than half a day): a slip, not a night passing.
		t.addFlag(FlagOutOfOrder)
		return
	}
	t.UTC = next.UTC()
	t.Year, t.Month, t.Day = next.Year(), int(next.Month()), next.Day()
	p.SetDate(t.Year, t.Month, t.Day)
	p.prev = t.UTC
}

func (p *Parser) location() *time.Location {
	if p.loc == nil {
		return time.UTC
	}
	return p.loc
}

// zoneOf returns the zone t was read in, so a day is added on its calendar.
func (p *Parser) zoneOf(t *Time) *time.Location {
	if loc, _, ok := LookupZone(t.Zone); ok {
		return loc
	}
	return p.location()
}

// FindDate looks for the first complete date anywhere in text (a heading
// "### 2021-05-26", "Thursday 2 June", "Website Outage 5-26-21"), taking a
// missing year from the context. It returns ok only for a real date.
func (p *Parser) FindDate(text string) (year, month, day int, ok bool) {
	for i := 0; i < len(text); i++ {
		if i > 0 && (isLetter(text[i-1]) || isDigit(text[i-1])) {
			continue
		}
		var r reading
		if r.date(text[i:]) == 0 || !r.hasDate {
			continue
		}
		y := r.year
		if y == 0 {
			y = p.year
		}
		if validDate(y, r.month, r.day) && PlausibleYear(y) {
			return y, r.month, r.day, true
		}
	}
	return 0, 0, 0, false
}

var reYearWord = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)\d{2})(?:[^0-9]|$)`)

// FindYear returns the first plausible year (1900–2099) in text, as in a
// file name "PM2022-006 - ALB 502 errors.md" or a column "Date (2022)".
func FindYear(text string) (int, bool) {
	m := reYearWord.FindStringSubmatch(text)
	if m == nil {
		return 0, false
	}
	return atoi(m[1]), true
}
