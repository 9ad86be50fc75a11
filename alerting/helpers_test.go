package alerting

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/corpus"
)

// Shorthands for the statuses in the tables.
const (
	firing   = debrief.AlertFiring
	acked    = debrief.AlertAcknowledged
	resolved = debrief.AlertResolved
)

// readPayload reads a file of the corpus's payloads folder, by its path
// under that folder ("pagerduty/zulip-triggered_v3.json").
func readPayload(t testing.TB, name string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(corpus.Payloads(t), filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// parseFile parses a corpus payload with the parser of its folder.
func parseFile(t testing.TB, name string) []debrief.AlertEvent {
	t.Helper()
	source := debrief.AlertSource(strings.Split(name, "/")[0])
	events, err := Parse(source, readPayload(t, name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return events
}

// edit decodes a JSON body, lets change alter it and encodes it again:
// the corpus files varied the way a tool would vary them.
func edit(t testing.TB, body []byte, change func(m map[string]any)) []byte {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatal(err)
	}
	change(m)
	out, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// at parses an RFC 3339 time for a test's expectations.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v.UTC()
}

// eventProblem returns what is wrong with an event a parser returned for
// source, or "": the promises every parser keeps, whatever it was sent.
func eventProblem(source debrief.AlertSource, ev debrief.AlertEvent) string {
	for _, c := range []struct {
		bad  bool
		what string
	}{
		{ev.Source != source, fmt.Sprintf("source %q, want %q", ev.Source, source)},
		{strings.TrimSpace(ev.GroupKey) == "", "no group key"},
		{strings.TrimSpace(ev.AlertKey) == "", "no alert key"},
		{ev.At.IsZero(), "no time"},
		{ev.At.Location() != time.UTC, "a time that is not in UTC"},
		{ev.Status == firing && !ev.EndsAt.IsZero(), "an end time on a firing alert"},
		{ev.Status == resolved && ev.EndsAt.IsZero(), "no end time on a resolved alert"},
		{!slices.Contains([]debrief.AlertStatus{"", firing, acked, resolved}, ev.Status),
			fmt.Sprintf("status %q", ev.Status)},
		{ev.Severity != "" && !slices.Contains(debrief.DefaultSeverities, ev.Severity),
			fmt.Sprintf("severity %q is not on the ladder", ev.Severity)},
		{strings.TrimSpace(ev.Text) == "", "no text"},
		{!utf8.ValidString(ev.Text) || !utf8.ValidString(ev.Title), "text that is not UTF-8"},
		{len(ev.Text) >= 500, fmt.Sprintf("a text of %d bytes", len(ev.Text))},
		{len(ev.Title) > debrief.MaxTitleLen, fmt.Sprintf("a title of %d bytes", len(ev.Title))},
		{hasUnprintable(ev.Text, ev.Title, string(ev.Category)) ||
			hasUnprintable(ev.Services...), "a control character in what a page shows"},
		{ev.URL != "" && !strings.HasPrefix(ev.URL, "http://") &&
			!strings.HasPrefix(ev.URL, "https://"), fmt.Sprintf("URL %q", ev.URL)},
	} {
		if c.bad {
			return c.what
		}
	}
	for _, t := range []time.Time{ev.At, ev.StartsAt, ev.EndsAt} {
		if y := t.Year(); !t.IsZero() && (y < 1900 || y > 2100) {
			return fmt.Sprintf("a time in the year %d", y)
		}
	}
	return ""
}

func hasUnprintable(texts ...string) bool {
	for _, s := range texts {
		if strings.IndexFunc(s, func(r rune) bool { return unprintable(r) || r == '\n' }) >= 0 {
			return true
		}
	}
	return false
}

// folded is an incident as alert events left it.
type folded struct {
	incident debrief.Incident
	alerts   map[string]*debrief.Alert
	timeline []debrief.IncidentEvent
}

// fold folds events into a new incident as a store would: an event
// already recorded (the same EventKey) is skipped. It fails the test when
// the incident could not be stored.
func fold(t testing.TB, events ...debrief.AlertEvent) folded {
	t.Helper()
	f := folded{incident: debrief.NewAlertIncident(events[0]), alerts: map[string]*debrief.Alert{}}
	seen := map[string]bool{}
	for _, ev := range events {
		if seen[ev.EventKey()] {
			continue
		}
		seen[ev.EventKey()] = true
		f.timeline = append(f.timeline, debrief.FoldAlert(&f.incident, f.alerts, ev))
	}
	if err := f.incident.Validate(); err != nil {
		t.Fatalf("the folded incident could not be stored: %v", err)
	}
	return f
}
