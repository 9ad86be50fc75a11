package timeline

import (
	"regexp"
	"strings"
	"time"

	"github.com/debrief-oss/debrief/timestamp"
)

// entry reads the time at the start of content as the next entry of the
// run, with two readings the timestamp package does not make itself:
//
//   - an offset after a space, "09:14:00 +0200", as git and many logs
//     write it, is the time's zone;
//   - an abbreviation that the report's zone uses for another offset on
//     that date than the fixed one timestamp gives it ("CST" is US Central
//     there, but China Standard Time in Asia/Shanghai; "IST" India, but
//     Irish Summer Time in Europe/Dublin) is read in the report's zone,
//     as its author meant.
//
// The time's Text stays as written.
func (b *textReader) entry(content string) (timestamp.Time, string, bool) {
	alt := joinOffset(content)
	t, rest, ok := b.p.ParsePrefix(alt)
	if !ok && alt == content {
		return t, rest, false
	}
	if !ok || !strings.HasSuffix(content, rest) {
		return b.p.EntryPrefix(content)
	}
	if blanked, ok := b.localAbbreviation(alt, rest, t); ok {
		alt = blanked
	}
	t, rest, ok = b.p.EntryPrefix(alt)
	if ok && alt != content && strings.HasSuffix(content, rest) {
		t.Text = strings.Trim(content[:len(content)-len(rest)], " \t*_[]`,;:|-")
	}
	return t, rest, ok
}

// reSpacedOffset finds a clock followed by a space and a zone offset.
var reSpacedOffset = regexp.MustCompile(
	`^[^\n]{0,30}?\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?( )[+-](?:0\d|1[0-4]):?(?:00|30|45)\b`)

// joinOffset removes the space between a clock and its offset near the
// start of content, so that the timestamp package reads the offset.
func joinOffset(content string) string {
	m := reSpacedOffset.FindStringSubmatchIndex(content)
	if m == nil {
		return content
	}
	return content[:m[2]] + content[m[3]:]
}

// localAbbreviation returns content with the abbreviation of t blanked
// out, so that the parser reads the clock in the report's zone, when the
// report's zone names its own time on t's date by that abbreviation at
// another offset than the timestamp package's.
func (b *textReader) localAbbreviation(content, rest string, t timestamp.Time) (string, bool) {
	abbr := t.Zone
	if b.loc == nil || len(abbr) < 2 || strings.ToUpper(abbr) != abbr ||
		strings.ContainsAny(abbr, "+-:/") {
		return "", false
	}
	year, month, day := t.Year, t.Month, t.Day
	if year == 0 || month == 0 || day == 0 {
		year, month, day = b.p.Date()
	}
	if year == 0 || month == 0 || day == 0 {
		return "", false
	}
	noon := time.Date(year, time.Month(month), day, 12, 0, 0, 0, time.UTC)
	local, localOff := noon.In(b.loc).Zone()
	fixed, _, found := timestamp.LookupZone(abbr)
	if !found || local != abbr {
		return "", false
	}
	if _, fixedOff := noon.In(fixed).Zone(); fixedOff == localOff {
		return "", false
	}
	stamp := content[:len(content)-len(rest)]
	i := wordIndex(stamp, abbr)
	if i < 0 {
		return "", false
	}
	return content[:i] + strings.Repeat(" ", len(abbr)) + content[i+len(abbr):], true
}

// wordIndex finds word in s where it is not part of a longer word.
func wordIndex(s, word string) int {
	for from := 0; from < len(s); {
		i := strings.Index(s[from:], word)
		if i < 0 {
			return -1
		}
		i += from
		end := i + len(word)
		if (i == 0 || !isLetter(s[i-1])) && (end == len(s) || !isLetter(s[end])) {
			return i
		}
		from = i + 1
	}
	return -1
}

func isLetter(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
