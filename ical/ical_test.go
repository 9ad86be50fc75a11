package ical

import (
	"bytes"
	"errors"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"
	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

var (
	now     = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	updated = time.Date(2026, 2, 27, 16, 5, 7, 0, time.FixedZone("CET", 3600))
)

func sample() []Entry {
	return []Entry{
		{
			UID: "pm-7f3a-3@debrief.example", Due: "2026-03-15",
			Summary:     "[AI-3] Add alert on replica lag",
			Description: "Page the on-call when lag passes 30 s.",
			URL:         "https://debrief.example/postmortems/pm-7f3a#ai-3",
			Status:      "open", Updated: updated, Owner: "Dana Whitfield",
		},
		{
			UID: "pm-7f3a-4@debrief.example", Due: "2026-12-31",
			Summary: "[AI-4] Runbook: failover, then verify; see \\\\wiki",
			Status:  "blocked", Owner: "team-db",
		},
	}
}

// write runs Write and checks the raw text against the parts of RFC 5545
// a lenient parser would forgive: CRLF after every line and nowhere else,
// lines of at most 75 octets, and no cut inside a UTF-8 sequence.
func write(t testing.TB, name string, entries []Entry) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, name, entries, now); err != nil {
		t.Fatalf("Write: %v", err)
	}
	checkLines(t, b.Bytes())
	return b.Bytes()
}

var contentName = regexp.MustCompile(`^[A-Z][A-Z0-9-]*(;[A-Z-]+=[^;:,"]*)*:`)

func checkLines(t testing.TB, feed []byte) {
	t.Helper()
	if !bytes.HasSuffix(feed, []byte("\r\n")) {
		t.Fatalf("the feed does not end in CRLF: %q", tail(feed))
	}
	lines := strings.Split(strings.TrimSuffix(string(feed), "\r\n"), "\r\n")
	for i, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > 75 {
			t.Fatalf("line %d is %d octets long: %q", i+1, len(l), l)
		}
		if !utf8.ValidString(l) {
			t.Fatalf("line %d is cut inside a UTF-8 sequence: %q", i+1, l)
		}
		if l == "" {
			t.Fatalf("line %d is empty", i+1)
		}
		folded := l[0] == ' '
		if !folded && !contentName.MatchString(l) {
			t.Fatalf("line %d does not start with a property name: %q", i+1, l)
		}
	}
}

func tail(b []byte) []byte {
	return b[max(len(b)-20, 0):]
}

// parse reads a feed with go-ical, a parser independent of the writer, and
// has go-ical's encoder check the components' required and single
// properties (PRODID, VERSION, UID, DTSTAMP, one DTSTART, ...).
func parse(t testing.TB, feed []byte) *goical.Calendar {
	t.Helper()
	dec := goical.NewDecoder(bytes.NewReader(feed))
	cal, err := dec.Decode()
	if err != nil {
		t.Fatalf("go-ical cannot read the feed: %v\n%s", err, feed)
	}
	if _, err := dec.Decode(); !errors.Is(err, io.EOF) {
		t.Fatalf("something follows END:VCALENDAR: %v", err)
	}
	if err := goical.NewEncoder(io.Discard).Encode(cal); err != nil {
		t.Fatalf("go-ical finds the calendar invalid: %v", err)
	}
	return cal
}

func text(t testing.TB, props goical.Props, name string) string {
	t.Helper()
	p := props.Get(name)
	if p == nil {
		t.Fatalf("no %s property", name)
	}
	s, err := p.Text()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

func value(t testing.TB, props goical.Props, name string) string {
	t.Helper()
	p := props.Get(name)
	if p == nil {
		t.Fatalf("no %s property", name)
	}
	return p.Value
}

func date(t testing.TB, props goical.Props, name string) string {
	t.Helper()
	p := props.Get(name)
	if p == nil {
		t.Fatalf("no %s property", name)
	}
	if p.ValueType() != goical.ValueDate {
		t.Fatalf("%s is a %s, not a DATE: an all-day event needs a date", name, p.ValueType())
	}
	d, err := p.DateTime(time.UTC)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return d.Format(time.DateOnly)
}

func TestWriteCalendarProperties(t *testing.T) {
	cal := parse(t, write(t, "Action items: Dana, team-db", sample()))

	if got := value(t, cal.Props, "VERSION"); got != "2.0" {
		t.Errorf("VERSION %q, want 2.0", got)
	}
	if got := value(t, cal.Props, "PRODID"); got != ProductID {
		t.Errorf("PRODID %q, want %q", got, ProductID)
	}
	for _, name := range []string{"X-WR-CALNAME", "NAME"} {
		if got := text(t, cal.Props, name); got != "Action items: Dana, team-db" {
			t.Errorf("%s %q, want the calendar's name", name, got)
		}
	}
	if got := value(t, cal.Props, "X-PUBLISHED-TTL"); got != "PT1H" {
		t.Errorf("X-PUBLISHED-TTL %q, want PT1H", got)
	}
	refresh, err := cal.Props.Get("REFRESH-INTERVAL").Duration()
	if err != nil || refresh != time.Hour {
		t.Errorf("REFRESH-INTERVAL %v (%v), want an hour", refresh, err)
	}
}

func TestWriteEvents(t *testing.T) {
	cal := parse(t, write(t, "Dana", sample()))
	events := cal.Events()
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	if n := len(cal.Children); n != 2 {
		t.Errorf("%d components, want only the 2 events", n)
	}

	first := events[0].Props
	want := map[string]string{
		"UID":     "pm-7f3a-3@debrief.example",
		"SUMMARY": "[AI-3] Add alert on replica lag",
		"DESCRIPTION": "Page the on-call when lag passes 30 s.\n\nOwner: Dana Whitfield\n" +
			"Status: open\nhttps://debrief.example/postmortems/pm-7f3a#ai-3",
	}
	for name, w := range want {
		if got := text(t, first, name); got != w {
			t.Errorf("first event %s:\n got %q\nwant %q", name, got, w)
		}
	}
	if got := date(t, first, "DTSTART"); got != "2026-03-15" {
		t.Errorf("DTSTART %s, want the due date 2026-03-15", got)
	}
	if got := date(t, first, "DTEND"); got != "2026-03-16" {
		t.Errorf("DTEND %s, want the day after the due date", got)
	}
	u, err := first.URI("URL")
	if err != nil || u.String() != "https://debrief.example/postmortems/pm-7f3a#ai-3" {
		t.Errorf("URL %v (%v), want the item's link", u, err)
	}
	for name, w := range map[string]string{
		"STATUS": "CONFIRMED", "TRANSP": "TRANSPARENT",
		// Without METHOD, DTSTAMP is when the item changed, in UTC.
		"DTSTAMP": "20260227T150507Z", "LAST-MODIFIED": "20260227T150507Z",
	} {
		if got := value(t, first, name); got != w {
			t.Errorf("first event %s %q, want %q", name, got, w)
		}
	}
	cats, err := first.Get("CATEGORIES").TextList()
	if diff := cmp.Diff([]string{"action item"}, cats); err != nil || diff != "" {
		t.Errorf("CATEGORIES (-want +got) %v:\n%s", err, diff)
	}

	second := events[1].Props
	if got := text(t, second, "SUMMARY"); got !=
		"[AI-4] Runbook: failover, then verify; see \\\\wiki (blocked)" {
		t.Errorf("second SUMMARY %q: want the text as given and its status", got)
	}
	if got := date(t, second, "DTEND"); got != "2027-01-01" {
		t.Errorf("an item due on New Year's Eve ends %s, want 2027-01-01", got)
	}
	if got := value(t, second, "DTSTAMP"); got != "20260302T093000Z" {
		t.Errorf("with no update time DTSTAMP is %s, want now", got)
	}
	for _, name := range []string{"LAST-MODIFIED", "SEQUENCE", "URL"} {
		if second.Get(name) != nil {
			t.Errorf("an entry with no update time or URL has %s", name)
		}
	}
	cats, err = second.Get("CATEGORIES").TextList()
	if diff := cmp.Diff([]string{"action item", "blocked"}, cats); err != nil || diff != "" {
		t.Errorf("CATEGORIES (-want +got) %v:\n%s", err, diff)
	}
}

func TestStatusShows(t *testing.T) {
	tests := []struct {
		status, summary, described string
	}{
		{"", "[AI-1] x", "Status: open"},
		{"open", "[AI-1] x", "Status: open"},
		{"in_progress", "[AI-1] x (in progress)", "Status: in progress"},
		{"blocked", "[AI-1] x (blocked)", "Status: blocked"},
		{"done", "[AI-1] x (done)", "Status: done"},
		{"verified", "[AI-1] x (verified)", "Status: verified"},
	}
	for _, tt := range tests {
		e := Entry{UID: "u", Due: "2026-05-01", Summary: "[AI-1] x", Status: tt.status}
		ev := parse(t, write(t, "", []Entry{e})).Events()[0].Props
		if got := text(t, ev, "SUMMARY"); got != tt.summary {
			t.Errorf("status %q: SUMMARY %q, want %q", tt.status, got, tt.summary)
		}
		if got := text(t, ev, "DESCRIPTION"); got != tt.described {
			t.Errorf("status %q: DESCRIPTION %q, want %q", tt.status, got, tt.described)
		}
		if got := value(t, ev, "STATUS"); got != "CONFIRMED" {
			t.Errorf("status %q: STATUS %s, want CONFIRMED", tt.status, got)
		}
	}
}

func TestSequenceGrowsWithUpdates(t *testing.T) {
	seq := func(at time.Time) int {
		e := Entry{UID: "u", Due: "2026-05-01", Summary: "s", Updated: at}
		n, err := parse(t, write(t, "", []Entry{e})).Events()[0].Props.Get("SEQUENCE").Int()
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	a, b := seq(updated), seq(updated.Add(time.Second))
	if b <= a {
		t.Errorf("SEQUENCE %d after a later update, was %d: clients would keep the old event", b, a)
	}
	if n := seq(time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)); n != 0 {
		t.Errorf("SEQUENCE %d for an update before 2020, want 0 (never negative)", n)
	}
}

func TestTextRoundTrips(t *testing.T) {
	long := strings.Repeat("Ærø ⚙️ déjà-vu, with; commas\\ ", 12)
	tests := []struct {
		name, in, want string
	}{
		{"plain", "[AI-3] Add alert on replica lag", ""},
		{"comma", "Fix DNS, then retry", ""},
		{"semicolon", "Owner: ops; reviewer: sre", ""},
		{"backslash", `C:\runbooks\db\n is a path`, ""},
		{"newline", "first line\nsecond line\n", ""},
		{"crlf", "first\r\nsecond\rthird", "first\nsecond\nthird"},
		{"emoji", "🔥 Page less 🧑‍🚒👩🏽‍💻 ✅", ""},
		{"colon", "BEGIN:VEVENT\nEND:VCALENDAR", ""},
		{"long", long, ""},
		{"long ascii", strings.Repeat("a", 400), ""},
		{"controls", "bell\a, nul\x00, tab\there, del\x7f", "bell, nul, tab\there, del"},
		{"invalid utf-8", "bad \xff byte", "bad \uFFFD byte"},
		{"leading space", "  indented", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want == "" {
				want = tt.in
			}
			e := Entry{UID: "u-" + tt.name, Due: "2026-05-01", Summary: tt.in,
				Description: tt.in}
			ev := parse(t, write(t, tt.in, []Entry{e})).Events()[0].Props
			if got := text(t, ev, "SUMMARY"); got != want {
				t.Errorf("SUMMARY\n got %q\nwant %q", got, want)
			}
			d := text(t, ev, "DESCRIPTION")
			if want != "" && !strings.HasPrefix(d, want+"\n\n") {
				t.Errorf("DESCRIPTION does not start with the description:\n got %q\nwant %q",
					d, want)
			}
		})
	}
}

func TestEmptyFeed(t *testing.T) {
	feed := write(t, "Nobody", nil)
	cal := parse(t, feed)
	if n := len(cal.Events()); n != 0 {
		t.Errorf("%d events in an empty feed", n)
	}
	// RFC 5545 wants one component; an unused UTC zone is the harmless one.
	if len(cal.Children) != 1 || cal.Children[0].Name != goical.CompTimezone {
		t.Errorf("an empty feed has components %v, want one VTIMEZONE", cal.Children)
	}
	if got := text(t, cal.Props, "X-WR-CALNAME"); got != "Nobody" {
		t.Errorf("X-WR-CALNAME %q", got)
	}
}

func TestWriteRefusesBadEntries(t *testing.T) {
	good := Entry{UID: "a", Due: "2026-05-01", Summary: "s"}
	tests := []struct {
		name  string
		bad   Entry
		field string
	}{
		{"no uid", Entry{Due: "2026-05-01"}, "entries[1].uid"},
		{"blank uid", Entry{UID: " ", Due: "2026-05-01"}, "entries[1].uid"},
		{"same uid", Entry{UID: "a", Due: "2026-05-02"}, "entries[1].uid"},
		{"no due date", Entry{UID: "b"}, "entries[1].due"},
		{"not a date", Entry{UID: "b", Due: "2026-02-30"}, "entries[1].due"},
		{"a time", Entry{UID: "b", Due: "2026-05-01T10:00:00Z"}, "entries[1].due"},
		{"status", Entry{UID: "b", Due: "2026-05-01", Status: "closed"}, "entries[1].status"},
		{"relative url", Entry{UID: "b", Due: "2026-05-01", URL: "/pm/1"}, "entries[1].url"},
		{"script url", Entry{UID: "b", Due: "2026-05-01", URL: "javascript:alert(1)"},
			"entries[1].url"},
		{"url with newline", Entry{UID: "b", Due: "2026-05-01", URL: "https://x/\r\nX:y"},
			"entries[1].url"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			err := Write(&b, "x", []Entry{good, tt.bad}, now)
			if debrief.ErrorKind(err) != debrief.KindInvalid {
				t.Fatalf("error %v, want an invalid-input error", err)
			}
			if got := debrief.ErrorField(err); got != tt.field {
				t.Errorf("error names %q, want %q", got, tt.field)
			}
			if b.Len() != 0 {
				t.Errorf("wrote %d bytes before refusing", b.Len())
			}
		})
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestWriteReportsWriterError(t *testing.T) {
	err := Write(failingWriter{}, "x", sample(), now)
	if err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("error %v, want the writer's", err)
	}
}

func TestFoldsAtOctetsNotRunes(t *testing.T) {
	// 74 one-octet runes then a four-octet one: the cut must come before
	// the emoji, leaving a first line of 74 octets.
	s := strings.Repeat("x", 74-len("SUMMARY:")) + "😀" + strings.Repeat("y", 100)
	feed := string(write(t, "", []Entry{{UID: "u", Due: "2026-05-01", Summary: s}}))
	i := strings.Index(feed, "SUMMARY:")
	first := feed[i : i+strings.Index(feed[i:], "\r\n")]
	if len(first) != 74 {
		t.Errorf("first SUMMARY line is %d octets, want 74: %q", len(first), first)
	}
}

// FuzzWrite writes arbitrary summaries and descriptions and reads them back
// with go-ical: what comes back is the text, less the control characters
// that TEXT cannot carry, with line breaks as LF and bad UTF-8 replaced.
func FuzzWrite(f *testing.F) {
	f.Add("[AI-3] Add alert, now; really\\n", "line\r\nline")
	f.Add(strings.Repeat("é", 80), "😀\x00\xff")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, summary, desc string) {
		e := Entry{UID: "u@x", Due: "2026-05-01", Summary: summary, Description: desc}
		ev := parse(t, write(t, summary, []Entry{e})).Events()[0].Props
		if got, want := text(t, ev, "SUMMARY"), expectText(summary); got != want {
			t.Errorf("SUMMARY\n got %q\nwant %q", got, want)
		}
		want := "Status: open"
		if d := expectText(desc); d != "" {
			want = d + "\n\n" + want
		}
		if got := text(t, ev, "DESCRIPTION"); got != want {
			t.Errorf("DESCRIPTION\n got %q\nwant %q", got, want)
		}
	})
}

// expectText is what a TEXT value of s reads back as.
func expectText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(s)
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}
