package timestamp

import (
	"regexp"
	"strings"
	"time"

	// Reports name zones such as America/Los_Angeles; embedding the database
	// keeps parsing identical on machines without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// zoneOffsets maps the abbreviations reports write to their fixed offsets in
// hours. An abbreviation is taken at its word: "PST" in July is still UTC-8,
// because the author chose it and a silent daylight correction would be a
// guess. Region words ("PT", "Pacific") follow daylight saving instead.
var zoneOffsets = map[string]float64{
	"UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0,
	"PST": -8, "PDT": -7, "MST": -7, "MDT": -6, "CST": -6, "CDT": -5,
	"EST": -5, "EDT": -4, "AKST": -9, "AKDT": -8, "HST": -10,
	"BST": 1, "WEST": 1, "CET": 1, "CEST": 2, "EET": 2, "EEST": 3, "MSK": 3,
	"IST": 5.5, "SGT": 8, "HKT": 8, "AWST": 8, "JST": 9, "KST": 9,
	"ACST": 9.5, "AEST": 10, "AEDT": 11, "NZST": 12, "NZDT": 13, "BRT": -3,
}

// zoneRegions maps words that name a region rather than an offset.
var zoneRegions = map[string]string{
	"PT": "America/Los_Angeles", "MT": "America/Denver",
	"CT": "America/Chicago", "ET": "America/New_York",
}

// zonePhrases are spelled-out zones, matched case-insensitively; each maps to
// a key of zoneOffsets or zoneRegions.
var zonePhrases = []struct{ phrase, zone string }{
	{"japan standard time", "JST"}, {"japan time", "JST"},
	{"pacific standard time", "PST"}, {"pacific daylight time", "PDT"},
	{"pacific time", "PT"}, {"pacific", "PT"},
	{"eastern standard time", "EST"}, {"eastern daylight time", "EDT"},
	{"eastern time", "ET"}, {"central european summer time", "CEST"},
	{"central european time", "CET"}, {"coordinated universal time", "UTC"},
	{"greenwich mean time", "GMT"},
}

var (
	reIANA       = regexp.MustCompile(`\b[A-Z][A-Za-z_]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?\b`)
	reZoneWord   = regexp.MustCompile(`\b[A-Z]{2,5}\b`)
	reBareOffset = regexp.MustCompile(`^([+-])(\d{2}):?(\d{2})$`)
	reUTCOffset  = regexp.MustCompile(`^(?:UTC|GMT)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$`)
)

// LookupZone resolves a zone as a report names it: an IANA name
// ("Europe/Copenhagen"), an abbreviation ("CEST", "PST"), a region word ("PT"),
// a phrase ("Japan time") or an offset ("UTC+2"). name is the canonical
// spelling kept with parsed times.
func LookupZone(s string) (loc *time.Location, name string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, "", false
	}
	upper := strings.ToUpper(s)
	if h, found := zoneOffsets[upper]; found {
		if upper == "Z" || upper == "UT" {
			upper = "UTC"
		}
		return time.FixedZone(upper, int(h*3600)), upper, true
	}
	if region, found := zoneRegions[upper]; found {
		loc, err := time.LoadLocation(region)
		return loc, upper, err == nil
	}
	if m := reBareOffset.FindStringSubmatch(upper); m != nil {
		return offsetZone(m[1], m[2], m[3])
	}
	if m := reUTCOffset.FindStringSubmatch(upper); m != nil {
		return offsetZone(m[1], m[2], m[3])
	}
	lower := strings.ToLower(s)
	for _, p := range zonePhrases {
		if lower == p.phrase || lower == p.phrase+" time" {
			return LookupZone(p.zone)
		}
	}
	if strings.Contains(s, "/") {
		if loc, err := time.LoadLocation(s); err == nil {
			return loc, s, true
		}
	}
	return nil, "", false
}

// offsetZone builds a fixed zone from a sign, hours and optional minutes.
func offsetZone(sign, hours, minutes string) (*time.Location, string, bool) {
	h := atoi(hours)
	m := atoi(minutes)
	if h > 14 || m > 59 {
		return nil, "", false
	}
	secs := h*3600 + m*60
	if sign == "-" {
		secs = -secs
	}
	name := "UTC" + sign + twoDigits(h) + ":" + twoDigits(m)
	return time.FixedZone(name, secs), name, true
}

// FindZone looks for a zone statement anywhere in text ("All times in CET.",
// "Timeline (all times PST)", "Japan time", "Time (UTC)") and returns the
// zone's canonical name. It is meant for headings and short notes, not prose:
// a capitalised word such as "ET" inside a sentence would also match.
func FindZone(text string) (name string, ok bool) {
	if m := reIANA.FindString(text); m != "" {
		if _, n, found := LookupZone(m); found {
			return n, true
		}
	}
	lower := strings.ToLower(text)
	for _, p := range zonePhrases {
		if i := strings.Index(lower, p.phrase); i >= 0 && wordBounded(lower, i, len(p.phrase)) {
			return p.zone, true
		}
	}
	for _, idx := range reZoneWord.FindAllStringIndex(text, -1) {
		word := text[idx[0]:idx[1]]
		if word == "Z" || word == "UT" {
			continue
		}
		if rest := text[idx[1]:]; word == "UTC" || word == "GMT" {
			if m := reOffsetTail.FindString(rest); m != "" {
				if _, n, found := LookupZone(word + m); found {
					return n, true
				}
			}
		}
		if _, n, found := LookupZone(word); found {
			return n, true
		}
	}
	return "", false
}

var reOffsetTail = regexp.MustCompile(`^\s*[+-]\s*\d{1,2}(?::?\d{2})?\b`)

// wordBounded reports whether s[i:i+n] is not part of a longer word.
func wordBounded(s string, i, n int) bool {
	if i > 0 && isLetter(s[i-1]) {
		return false
	}
	return i+n >= len(s) || !isLetter(s[i+n])
}

func isLetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return n
		}
		n = n*10 + int(c-'0')
		if n > 1_000_000 {
			return n
		}
	}
	return n
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + string(rune('0'+n))
	}
	return string(rune('0'+n/10%10)) + string(rune('0'+n%10))
}
