package timestamp

import (
	"regexp"
	"strings"
)

// reading is what the scanner found in a timestamp, before any context is
// applied. Zero fields were not given.
type reading struct {
	year, month, day int
	hasDate          bool
	hour, min, sec   int
	clock, seconds   bool
	ampm             byte // 'a', 'p' or 0
	extraClock       bool // a second clock: a range end or another zone's rendering
	zone             string
	approx           bool
	placeholderDate  bool
	placeholderClock bool
	badDate          string
}

// found reports whether the reading holds anything that dates or times an entry.
func (r *reading) found() bool {
	return r.hasDate || r.clock || r.placeholderDate || r.placeholderClock || r.badDate != ""
}

const monthNames = `january|february|march|april|may|june|july|august|september|` +
	`october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`

var (
	reISODate  = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})`)
	reYMDSlash = regexp.MustCompile(`^(\d{4})/(\d{1,2})/(\d{1,2})`)
	reNumDate  = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})`)
	reBadDate  = regexp.MustCompile(`^[\dxX?]+(?:[/-][\dxXMDmdy?]+){2,}`)
	reMonthDay = regexp.MustCompile(`(?i)^(` + monthNames +
		`)\b\.?\s*(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s*(\d{4})\b)?`)
	reDayMonth = regexp.MustCompile(`(?i)^(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(` + monthNames +
		`)\b\.?(?:,?\s*(\d{4})\b)?`)
	reWeekday = regexp.MustCompile(`(?i)^(?:monday|tuesday|wednesday|thursday|friday|` +
		`saturday|sunday|` +
		`mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\b\.?`)
	reClock = regexp.MustCompile(
		`(?i)^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?(?:\s?([ap])\.?m\b\.?)?(~)?`)
	reHourAMPM  = regexp.MustCompile(`(?i)^(\d{1,2})\s?([ap])\.?m\b\.?`)
	reFourDigit = regexp.MustCompile(`^([01]\d|2[0-3])([0-5]\d)(\s?(?:hrs|h)\b)?`)
	rePlaceTime = regexp.MustCompile(`(?i)^(?:hh|\?\?|--|xx):(?:mm|\?\?|--|xx)|^\?\?`)
	reZoneUTC   = regexp.MustCompile(`^(?:UTC|GMT)(?:\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\b`)
	reZoneNum   = regexp.MustCompile(`^[+-]\d{2}:?\d{2}\b`)
	reZoneAbbr  = regexp.MustCompile(`^[A-Z]{1,5}\b`)
	reYear      = regexp.MustCompile(`^(?:19|20)\d{2}\b`)
	reApprox    = regexp.MustCompile(
		`(?i)^(?:~|approx(?:imately|\.)?\b|about\b|around\b|circa\b|ca\.)`)
	reConnector = regexp.MustCompile(`(?i)^(?:at|on|from)\s+`)
)

// scan reads the timestamp at the start of s and returns what it found and
// the offset just past it; end is 0 when s does not start with a timestamp.
func scan(s string) (r reading, end int) {
	pos := skipLead(s)
	pending := false // an approximation word waiting for its time
	for pos < len(s) {
		p := skipSep(s, pos)
		if m := reApprox.FindString(s[p:]); m != "" {
			pending = true
			pos = p + len(m)
			continue
		}
		n, counts := r.token(s, p)
		if n == 0 {
			break
		}
		pos = p + n
		if counts {
			end = pos
			if pending {
				r.approx, pending = true, false
			}
		}
	}
	if !r.found() {
		return reading{}, 0
	}
	return r, end
}

// token reads one token at s[p:]; n is its length, counts says whether the
// timestamp extends over it (a trailing weekday alone does not).
func (r *reading) token(s string, p int) (n int, counts bool) {
	t := s[p:]
	if t == "" {
		return 0, false
	}
	if t[0] == '(' {
		return r.group(t)
	}
	if n := r.date(t); n > 0 {
		return n, true
	}
	if m := reWeekday.FindString(t); m != "" && !followedByWord(t, len(m)) {
		return len(m), false
	}
	if n := r.clockToken(t); n > 0 {
		return n, true
	}
	if n := r.zoneToken(s, p); n > 0 {
		return n, true
	}
	if r.hasDate && r.year == 0 && r.clock {
		if m := reYear.FindString(t); m != "" {
			r.year = atoi(m)
			return len(m), true
		}
	}
	return 0, false
}

// group reads a parenthesised part: "(UTC)", "(Oct 29)", "(6:48 PDT)". A
// group holding a clock is another rendering of the time and only consumed.
func (r *reading) group(t string) (int, bool) {
	closing := strings.IndexByte(t, ')')
	if closing < 0 || closing > 40 {
		return 0, false
	}
	inner := strings.TrimSpace(t[1:closing])
	sub, end := scan(inner)
	if inner == "" || (end < len(inner) && !sub.zoneOnly(inner)) {
		return 0, false
	}
	if sub.zoneOnly(inner) {
		if r.zone != "" || !r.clock {
			return 0, false
		}
		r.zone = inner
		return closing + 1, true
	}
	if sub.clock {
		r.extraClock = true
	} else if sub.hasDate && !r.hasDate {
		r.year, r.month, r.day, r.hasDate = sub.year, sub.month, sub.day, true
	}
	return closing + 1, true
}

// zoneOnly reports whether inner is nothing but a zone name.
func (r *reading) zoneOnly(inner string) bool {
	_, _, ok := LookupZone(inner)
	return ok && !r.found()
}

// date reads a date token, valid or not.
func (r *reading) date(t string) int {
	if r.hasDate || r.badDate != "" || r.placeholderDate {
		return 0
	}
	if m := reISODate.FindStringSubmatch(t); m != nil && !followedByDateChar(t, len(m[0])) {
		r.setDate(atoi(m[1]), atoi(m[2]), atoi(m[3]))
		return len(m[0])
	}
	if m := reYMDSlash.FindStringSubmatch(t); m != nil && !followedByDateChar(t, len(m[0])) {
		r.setDate(atoi(m[1]), atoi(m[2]), atoi(m[3]))
		return len(m[0])
	}
	if m := reNumDate.FindStringSubmatch(t); m != nil && !followedByDateChar(t, len(m[0])) {
		r.numericDate(atoi(m[1]), atoi(m[2]), m[3])
		return len(m[0])
	}
	if m := reBadDate.FindString(t); m != "" && !followedByDateChar(t, len(m)) {
		if strings.ContainsAny(m, "xX?MDmdy") {
			r.placeholderDate = true
		} else {
			r.badDate = m
		}
		return len(m)
	}
	if m := reMonthDay.FindStringSubmatch(t); m != nil {
		r.setDate(atoi(m[3]), monthNumber(m[1]), atoi(m[2]))
		return len(m[0])
	}
	if m := reDayMonth.FindStringSubmatch(t); m != nil {
		r.setDate(atoi(m[3]), monthNumber(m[2]), atoi(m[1]))
		return len(m[0])
	}
	return 0
}

func (r *reading) setDate(year, month, day int) {
	r.year, r.month, r.day, r.hasDate = year, month, day, true
}

// numericDate reads a/b/y: month first unless the first number cannot be a
// month; the parser may still swap it for day-first reports.
func (r *reading) numericDate(a, b int, year string) {
	y := atoi(year)
	if len(year) == 2 {
		y += 2000
		if y > 2069 {
			y -= 100
		}
	}
	if a > 12 && b <= 12 {
		a, b = b, a
	}
	r.setDate(y, a, b)
	r.month, r.day = a, b
}

// clockToken reads "16:49", "4:49pm", "04:49 PM", "16:49:05", "4pm",
// "1649 hrs" or a placeholder ("HH:mm", "??").
func (r *reading) clockToken(t string) int {
	if m := reClock.FindStringSubmatch(t); m != nil && !followedByDigit(t, len(m[0])) {
		if r.clock || r.placeholderClock {
			r.extraClock = true
			return len(m[0])
		}
		r.clock, r.hour, r.min = true, atoi(m[1]), atoi(m[2])
		if m[3] != "" {
			r.seconds, r.sec = true, atoi(m[3])
		}
		r.ampm = ampm(m[4])
		r.approx = r.approx || m[5] != ""
		return len(m[0])
	}
	if m := reHourAMPM.FindStringSubmatch(t); m != nil {
		if r.clock {
			r.extraClock = true
			return len(m[0])
		}
		r.clock, r.hour, r.ampm = true, atoi(m[1]), ampm(m[2])
		return len(m[0])
	}
	if m := reFourDigit.FindStringSubmatch(t); m != nil && !r.clock && fourDigitClock(t, m) {
		r.clock, r.hour, r.min = true, atoi(m[1]), atoi(m[2])
		return len(m[0])
	}
	if m := rePlaceTime.FindString(t); m != "" && !r.clock && !r.placeholderClock {
		r.placeholderClock = true
		return len(m)
	}
	return 0
}

// fourDigitClock accepts "1649" only with "hrs"/"h" or a zone after it:
// alone, four digits are far more often a year or a count.
func fourDigitClock(t string, m []string) bool {
	if followedByDigit(t, len(m[0])) {
		return false
	}
	if m[3] != "" {
		return true
	}
	rest := strings.TrimLeft(t[len(m[0]):], " ")
	if w := reZoneAbbr.FindString(rest); w != "" {
		_, _, ok := LookupZone(w)
		return ok
	}
	return false
}

// zoneToken reads a zone name after a time: "UTC", "PST", "GMT+2", "Z",
// "+02:00". A zone after a second clock belongs to that clock and is skipped.
func (r *reading) zoneToken(s string, p int) int {
	t := s[p:]
	if !r.clock && !r.placeholderClock {
		return 0
	}
	m := reZoneUTC.FindString(t)
	if m == "" && p > 0 && isDigit(s[p-1]) {
		m = reZoneNum.FindString(t)
	}
	if m == "" {
		if w := reZoneAbbr.FindString(t); w != "" && (w != "Z" || p > 0 && isDigit(s[p-1])) {
			if _, _, ok := LookupZone(w); ok {
				m = w
			}
		}
	}
	if m == "" {
		return 0
	}
	if r.zone == "" && !r.extraClock {
		r.zone = m
	}
	return len(m)
}

func ampm(s string) byte {
	switch strings.ToLower(s) {
	case "a":
		return 'a'
	case "p":
		return 'p'
	}
	return 0
}

func monthNumber(name string) int {
	name = strings.ToLower(name)
	for i, full := range []string{"jan", "feb", "mar", "apr", "may", "jun",
		"jul", "aug", "sep", "oct", "nov", "dec"} {
		if strings.HasPrefix(name, full) {
			return i + 1
		}
	}
	return 0
}

// skipLead skips the Markdown emphasis and brackets reports put around a
// leading time ("**16:58 UTC**", "_7/5/2023_", "[10:00]").
func skipLead(s string) int {
	i := 0
	for i < len(s) && strings.IndexByte(" \t*_[`", s[i]) >= 0 {
		i++
	}
	return i
}

// skipSep skips what may stand between the parts of one timestamp.
func skipSep(s string, i int) int {
	start := i
	for i < len(s) {
		switch {
		case strings.IndexByte(" \t,;@*_|:`]-", s[i]) >= 0:
			i++
		case strings.HasPrefix(s[i:], "–") || strings.HasPrefix(s[i:], "—"):
			i += len("–")
		case s[i] == 'T' && i > 0 && isDigit(s[i-1]) && i+1 < len(s) && isDigit(s[i+1]):
			i++
		default:
			if m := reConnector.FindString(s[i:]); m != "" && i > start {
				i += len(m)
				continue
			}
			return i
		}
	}
	return i
}

// trimSeparators trims what separates a leading timestamp from its text.
func trimSeparators(s string) string {
	s = strings.TrimLeft(s, " \t*_:|`]")
	for _, dash := range []string{"-", "–", "—", "~"} {
		if strings.HasPrefix(s, dash) {
			s = strings.TrimLeft(s[len(dash):], " \t*_:")
			break
		}
	}
	return strings.TrimSpace(strings.TrimPrefix(s, ":"))
}

// cleanText trims emphasis and separators from a timestamp as written.
func cleanText(s string) string {
	return strings.Trim(s, " \t*_[]`,;:|-")
}

func followedByDigit(t string, n int) bool {
	return n < len(t) && isDigit(t[n])
}

// followedByDateChar reports whether a date match runs on into something
// longer ("2022-05-??", "20202-01-16"), so the match is not a date.
func followedByDateChar(t string, n int) bool {
	if n >= len(t) {
		return false
	}
	c := t[n]
	if c == 'T' && n+1 < len(t) && isDigit(t[n+1]) {
		return false // ISO 8601: "2016-08-18T19:00:00Z"
	}
	if isDigit(c) || isLetter(c) || c == '?' {
		return true
	}
	// "4/21/23-4/25/23" is a range of dates; "2022-05-01-??" is not a date.
	return (c == '-' || c == '/') && n+1 < len(t) && t[n+1] == '?'
}

func followedByWord(t string, n int) bool {
	return n < len(t) && (isLetter(t[n]) || isDigit(t[n]))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
