// Package timestamp reads the times and dates that postmortem reports write
// by hand ("04:49 PM UTC", "2022-06-07 08:30", "Saturday Oct 30th",
// "2022-05-?? HH:mm") and turns them into UTC moments without guessing:
// a value that cannot exist is reported, and the text as written is kept
// beside every result so a reader can check the parse.
package timestamp

import (
	"strings"
	"time"
)

// Precision says how much of a moment the text gave.
type Precision int

// The precisions, from nothing usable to a full second.
const (
	PrecisionNone Precision = iota
	PrecisionDate
	PrecisionMinute
	PrecisionSecond
)

func (p Precision) String() string {
	switch p {
	case PrecisionDate:
		return "date"
	case PrecisionMinute:
		return "minute"
	case PrecisionSecond:
		return "second"
	}
	return "none"
}

// The flags a parsed time may carry. They mark doubt; nothing flagged is
// silently corrected.
const (
	// FlagImpossible marks a value that cannot exist ("13:55 PM", "25:10",
	// "2022-02-30"); the result has no moment.
	FlagImpossible = "impossible"
	// FlagUnparsed marks text that holds no usable time, or only a
	// placeholder ("20xx-MM-DD", "2022-05-??").
	FlagUnparsed = "unparsed"
	// FlagApproximate marks a time the author hedged ("~10:45", "about 9").
	FlagApproximate = "approximate"
	// FlagOutOfOrder marks a time earlier than the one before it in a run,
	// when reading it as the next day would be implausible.
	FlagOutOfOrder = "out_of_order"
)

// Time is one timestamp as read from a report.
type Time struct {
	// Text is the timestamp as the author wrote it.
	Text string
	// UTC is the moment, or zero when the text did not give a full moment
	// (no clock, no date known, or an impossible value).
	UTC time.Time
	// Year, Month and Day are the calendar date the time falls on, as read
	// or taken from the context; zero where unknown.
	Year, Month, Day int
	// Precision is how much of a moment the text itself gave.
	Precision Precision
	// Zone names the zone applied; empty when none was known and the time
	// was read as UTC.
	Zone string
	// Flags holds the Flag… values that apply.
	Flags []string
	// Problem explains an impossible or unparsed value in a sentence, or
	// why a time is approximate when the text does not show it (a wall
	// time that occurs twice when daylight saving ends).
	Problem string

	// ownDate is true when the text itself gave a date, which then becomes
	// the context for the times after it.
	ownDate bool
}

// Has reports whether t carries flag.
func (t Time) Has(flag string) bool {
	for _, f := range t.Flags {
		if f == flag {
			return true
		}
	}
	return false
}

// Flag returns the most important flag, for fields that hold only one.
func (t Time) Flag() string {
	for _, f := range []string{FlagImpossible, FlagUnparsed, FlagOutOfOrder, FlagApproximate} {
		if t.Has(f) {
			return f
		}
	}
	return ""
}

func (t *Time) addFlag(flag string) {
	if !t.Has(flag) {
		t.Flags = append(t.Flags, flag)
	}
}

// Parser reads the timestamps of one report. It carries the report-wide
// zone and the current date, so "16:49" under a heading "2021-05-26" is a
// full moment, and it follows runs of times across midnight.
type Parser struct {
	loc  *time.Location
	zone string
	// year, month, day are the date context; zero where unknown.
	year, month, day int
	// DayFirst reads ambiguous numeric dates such as 01/05/2024 as day first
	// (European); the default is month first, as in the US reports.
	DayFirst bool
	// prev is the last moment of the current run.
	prev time.Time
}

// NewParser returns a parser with no zone and no date context.
func NewParser() *Parser {
	return &Parser{}
}

// SetZone sets the report-wide zone by any name LookupZone accepts.
func (p *Parser) SetZone(name string) bool {
	loc, canonical, ok := LookupZone(name)
	if ok {
		p.loc, p.zone = loc, canonical
	}
	return ok
}

// Zone returns the canonical name of the report-wide zone, or "".
func (p *Parser) Zone() string { return p.zone }

// SetDate sets the date context; a zero month or day keeps only what is given.
func (p *Parser) SetDate(year, month, day int) {
	if !validDate(year, month, day) {
		if year > 0 {
			p.year, p.month, p.day = year, 0, 0
		}
		return
	}
	p.year, p.month, p.day = year, month, day
}

// SetYear sets only the year of the date context, as a file name such as
// "PM2022-006" gives it; the month and day become unknown.
func (p *Parser) SetYear(year int) {
	if year > 0 && year != p.year {
		p.year, p.month, p.day = year, 0, 0
	}
}

// Date returns the date context; zeros where unknown.
func (p *Parser) Date() (year, month, day int) { return p.year, p.month, p.day }

// ResetRun forgets the previous time, so the next one starts a new run.
func (p *Parser) ResetRun() { p.prev = time.Time{} }

// Parse reads text as one standalone timestamp, using the zone and date
// context but neither reading nor changing the run.
func (p *Parser) Parse(text string) Time {
	text = strings.TrimSpace(text)
	r, end := scan(text)
	t := p.resolve(r)
	t.Text = strings.TrimSpace(text[:end])
	if end == 0 {
		t.Text = text
		t.addFlag(FlagUnparsed)
		if t.Problem == "" {
			t.Problem = "no date or time found"
		}
	}
	return t
}

// ParsePrefix reads the timestamp at the start of line ("**16:58 UTC** -
// Writer database…") and returns it with the rest of the line, separators
// trimmed. ok is false when the line does not start with a date or a time.
// Like Parse it does not touch the run; Entry does.
func (p *Parser) ParsePrefix(line string) (t Time, rest string, ok bool) {
	r, end := scan(line)
	if end == 0 {
		return Time{}, line, false
	}
	t = p.resolve(r)
	t.Text = cleanText(line[:end])
	return t, trimSeparators(line[end:]), true
}
