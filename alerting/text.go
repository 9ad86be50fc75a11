package alerting

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/timestamp"
)

// maxText is the length of a timeline line in bytes: a line on the
// timeline is a glance at what happened, and the alert's own page in the
// tool (the event's URL) has the rest.
const maxText = 480

// oneLine makes s fit a title or a timeline line: control characters and
// bidirectional overrides (which a page or a terminal would act on) become
// spaces, runs of white space one space, and the result is cut to at most
// limit bytes, ending in "…" when something was cut.
func oneLine(s string, limit int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unprintable(r)
	}), " ")
	if len(s) <= limit {
		return s
	}
	const ellipsis = "…"
	n := limit - len(ellipsis)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimRight(s[:n], " ") + ellipsis
}

// unprintable reports runes that change how text around them is shown
// rather than being shown: control characters, bidirectional embeddings,
// overrides and isolates.
func unprintable(r rune) bool {
	return unicode.IsControl(r) || r >= '\u202a' && r <= '\u202e' ||
		r >= '\u2066' && r <= '\u2069'
}

// title cleans a suggested incident title.
func title(s string) string { return oneLine(s, debrief.MaxTitleLen) }

// firstOf returns the first of values that is not blank, trimmed.
func firstOf(values ...string) string {
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

// parseTime reads an RFC 3339 time at path, keeping its nanoseconds and
// its instant (an offset is applied, not dropped), in UTC. The empty
// string is the zero time, as is Alertmanager's "0001-01-01T00:00:00Z".
func parseTime(path, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, invalid(path, "%s is not an RFC 3339 time such as "+
			"2026-03-07T14:02:11.5Z or 2026-03-07T15:02:11+01:00", quote(s))
	}
	if t.IsZero() {
		return time.Time{}, nil
	}
	return checkYear(path, t.UTC())
}

// quote quotes a value a person sent for an error message, cut short so
// that a pasted log does not become the message.
func quote(s string) string {
	const limit = 80
	if len(s) <= limit {
		return strconv.Quote(s)
	}
	n := limit
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strconv.Quote(s[:n]) + "…"
}

// checkYear refuses times that cannot be a moment of an incident.
func checkYear(path string, t time.Time) (time.Time, error) {
	if y := t.Year(); y < timestamp.MinYear || y > timestamp.MaxYear {
		return time.Time{}, invalid(path, "%s is in the year %d; debrief keeps times "+
			"between %d and %d", t.Format(time.RFC3339Nano), y,
			timestamp.MinYear, timestamp.MaxYear)
	}
	return t, nil
}

// webURL returns s when it is an absolute http or https address, and ""
// otherwise, so that no javascript: or data: link reaches a page. Some
// Alertmanager templates escape the ampersands of generatorURL twice,
// leaving a literal `\u0026`; it is read as the "&" it stands for.
func webURL(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), `\u0026`, "&")
	if s == "" || len(s) > 4096 || strings.IndexFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unprintable(r)
	}) >= 0 {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return s
}

// severityWords are the words alerting rules use for severity that
// debrief.ParseSeverity does not know, read onto the P1–P4 ladder:
// Alertmanager's customary critical/error/warning/info labels, syslog's
// levels and Zabbix's.
var severityWords = map[string]debrief.Severity{
	"fatal": "P1", "emergency": "P1", "emerg": "P1", "disaster": "P1", "page": "P1",
	"error": "P2", "err": "P2",
	"warning": "P3", "warn": "P3", "average": "P3",
	"info": "P4", "information": "P4", "informational": "P4", "notice": "P4",
}

// severity reads an alert's severity or priority onto the ladder: the
// words above, then whatever debrief.ParseSeverity reads ("critical",
// "high", "sev2", "P3"). A fifth rank (PagerDuty's and Opsgenie's P5) is
// P4, the lowest rung. A word it does not know gives "" rather than an
// error: a label value is not worth refusing an alert over.
func severity(s string) debrief.Severity {
	s = strings.ToLower(strings.TrimSpace(s))
	if sev, ok := severityWords[s]; ok {
		return sev
	}
	if s == "p5" || s == "5" || s == "sev5" {
		return "P4"
	}
	if sev, _, ok := debrief.ParseSeverity(s); ok {
		return sev
	}
	return ""
}

// category returns the predefined category s names, ignoring case, spaces,
// hyphens and underscores ("external_dependency"), or "" for any other.
func category(s string) debrief.Category {
	squash := func(s string) string {
		return strings.ToLower(strings.NewReplacer(" ", "", "_", "", "-", "").Replace(s))
	}
	for _, c := range debrief.Categories {
		if squash(string(c)) == squash(s) {
			return c
		}
	}
	return ""
}

// isTrue reads a label that states a fact: "true", "yes", "1".
func isTrue(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "yes" {
		return true
	}
	b, err := strconv.ParseBool(s)
	return err == nil && b
}

// services returns the one-element list of s cleaned, or nil when blank.
func services(s string) []string {
	if s = oneLine(s, debrief.MaxTitleLen); s == "" {
		return nil
	}
	return []string{s}
}
