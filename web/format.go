package web

import (
	"fmt"
	"html"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/markdown"
)

// templateFuncs are the helpers every template may call. They format; they
// never fetch, so a page's data is complete before rendering starts.
func (s *Server) templateFuncs() template.FuncMap {
	return template.FuncMap{
		"static":    s.static.URL,
		"humanize":  humanize,
		"datetime":  formatDateTime,
		"date":      formatDate,
		"isodate":   formatISO,
		"duration":  formatDuration,
		"number":    formatNumber,
		"float":     formatFloat,
		"sevclass":  severityClass,
		"highlight": highlight,
		"safeurl":   safeURL,
		"shorten":   shorten,
		"summary":   summaryText,
		"plaintext": markdown.PlainText,
		"join":      strings.Join,
		"quadrant":  func(a debrief.ActionItem) string { return a.Quadrant() },
	}
}

// humanize turns an identifier-like value ("in_review", "code_fix") into
// words a reader expects ("In review", "Code fix").
func humanize(v any) string {
	s := strings.ReplaceAll(fmt.Sprint(v), "_", " ")
	if s == "" {
		return ""
	}
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

// Times are stored in UTC and shown in UTC, labelled, so a reader comparing
// two reports never has to guess which zone a moment is in.
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// formatISO gives the machine-readable value of a <time> element.
func formatISO(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// formatDuration writes a duration the way responders say it: "2h 05m",
// "3d 04h 10m", "45m". Seconds are dropped; nobody reads them in a report.
func formatDuration(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return clockSpan(d, false)
}

// clockSpan formats a span in whole minutes. Padded spans always show hours
// ("+0h 07m"), so the elapsed column of a timeline lines up.
func clockSpan(d time.Duration, padded bool) string {
	mins := int64(d / time.Minute)
	days, hours, m := mins/(24*60), mins/60%24, mins%60
	switch {
	case days > 0:
		return fmt.Sprintf("%dd %02dh %02dm", days, hours, m)
	case hours > 0 || padded:
		return fmt.Sprintf("%dh %02dm", hours, m)
	}
	return fmt.Sprintf("%dm", m)
}

// formatNumber groups thousands with commas: 1,250,000.
func formatNumber(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")

	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func formatFloat(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// severityClass maps a severity to a CSS class. Only the default ladder has
// colours; a custom rung gets the neutral badge.
func severityClass(s debrief.Severity) string {
	for _, known := range debrief.DefaultSeverities {
		if s == known {
			return "sev sev-" + strings.ToLower(string(s))
		}
	}
	return "sev"
}

// highlight turns a search snippet into HTML: the text is escaped first, and
// only then are the store's control-character markers replaced by <mark>
// tags, so nothing in a report can smuggle markup through a snippet. Stray
// or doubled markers are ignored, keeping the tags balanced.
func highlight(snippet string) template.HTML {
	var b strings.Builder
	open := false
	for _, part := range splitMarkers(snippet) {
		switch part {
		case debrief.HighlightStart:
			if !open {
				b.WriteString("<mark>")
				open = true
			}
		case debrief.HighlightEnd:
			if open {
				b.WriteString("</mark>")
				open = false
			}
		default:
			b.WriteString(html.EscapeString(part))
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String())
}

// splitMarkers splits s into text runs and single marker strings.
func splitMarkers(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == debrief.HighlightStart[0] || s[i] == debrief.HighlightEnd[0] {
			if i > start {
				parts = append(parts, s[start:i])
			}
			parts = append(parts, s[i:i+1])
			start = i + 1
		}
	}
	if start < len(s) {
		parts = append(parts, s[start:])
	}
	return parts
}

// safeURL returns u when it is a web or mail link, else "". Reports are
// imported from anywhere; html/template would neutralise a javascript: URL
// anyway, but showing such a link as plain text tells the reader why.
func safeURL(u string) string {
	parsed, err := url.Parse(strings.TrimSpace(u))
	if err != nil {
		return ""
	}
	switch strings.ToLower(parsed.Scheme) {
	case "http", "https", "mailto":
		return parsed.String()
	}
	return ""
}

// shorten cuts s to at most n runes at a word boundary, with an ellipsis.
func shorten(n int, s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)[:n]
	cut := string(runes)
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}
