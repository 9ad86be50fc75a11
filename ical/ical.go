// Package ical writes iCalendar (RFC 5545) feeds of action item due dates,
// for calendar apps that subscribe to a URL and poll it.
//
// Each due date is an all-day VEVENT, not a VTODO. A VTODO would say "task"
// more exactly, but Google Calendar drops VTODO from subscribed feeds, and
// Apple Calendar and Outlook show subscribed VTODOs inconsistently or not at
// all; an all-day event on the due date shows up in every one of them, on
// the day the work is due. Events are marked TRANSP:TRANSPARENT so that a
// deadline does not make its owner look busy all day.
//
// The feed is written by hand: it is a few dozen lines of a simple format,
// and the tests read it back with an independent parser.
package ical

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
)

// ProductID names debrief as the program that wrote a feed (PRODID).
const ProductID = "-//debrief-oss//debrief action items//EN"

// RefreshInterval is how often calendar clients are asked to poll the
// feed: often enough that a moved due date shows up the same working day,
// seldom enough that a team's clients do not load the server.
const RefreshInterval = "PT1H"

// maxLine is the longest content line RFC 5545 allows, in octets, not
// counting the CRLF that ends it.
const maxLine = 75

// sequenceEpoch is where SEQUENCE numbers start counting seconds. SEQUENCE
// is a signed 32-bit integer in practice; seconds since 2020 fit until 2088.
var sequenceEpoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// Entry is one action item's due date in a feed.
type Entry struct {
	// UID names the item for good, so that a client updates the event when
	// the item changes instead of adding a second one: for example
	// "<postmortem-id>-<number>@<host>".
	UID string
	// Due is the calendar date the item is due, "2006-01-02".
	Due string
	// Summary is the event's title, e.g. "[AI-3] Add alert on replica lag".
	Summary     string
	Description string
	// URL links to the item in debrief; it must be absolute (http or
	// https), or empty.
	URL string
	// Status is the item's debrief status (open, in_progress, blocked,
	// done, verified); empty is open.
	Status string
	// Updated is when the item last changed; zero when unknown.
	Updated time.Time
	// Owner is the person or team the item is assigned to, if any.
	Owner string
}

// statusWords are the action statuses as the feed shows them to a person:
// after the summary, since that is all most calendar grids show, and as a
// category. An open item carries no word, so the usual case reads cleanly.
var statusWords = map[debrief.ActionStatus]string{
	debrief.ActionOpen:       "",
	debrief.ActionInProgress: "in progress",
	debrief.ActionBlocked:    "blocked",
	debrief.ActionDone:       "done",
	debrief.ActionVerified:   "verified",
}

// Write writes a calendar called name with one all-day event per entry, in
// the order given, to w. Timestamps are in UTC; now stands in for an
// entry's Updated when that is zero. Write checks every entry before it
// writes anything, so an invalid entry leaves w untouched.
//
// Every event's STATUS is CONFIRMED: a due date is firm whatever the item's
// status, and CANCELLED, the only other choice that fits, makes Google
// Calendar and Outlook hide or strike the event, which would make finished
// work look abandoned. The debrief status is in the summary, the
// description and CATEGORIES instead.
func Write(w io.Writer, name string, entries []Entry, now time.Time) error {
	if err := check(entries); err != nil {
		return err
	}

	var b bytes.Buffer
	line(&b, "BEGIN:VCALENDAR")
	line(&b, "VERSION:2.0")
	line(&b, "PRODID:"+ProductID)
	line(&b, "CALSCALE:GREGORIAN")
	if name != "" {
		// NAME is RFC 7986's; X-WR-CALNAME is what Apple, Google and
		// Outlook read.
		line(&b, "NAME:"+escapeText(name))
		line(&b, "X-WR-CALNAME:"+escapeText(name))
	}
	line(&b, "REFRESH-INTERVAL;VALUE=DURATION:"+RefreshInterval)
	line(&b, "X-PUBLISHED-TTL:"+RefreshInterval)

	for _, e := range entries {
		writeEvent(&b, e, now)
	}
	if len(entries) == 0 {
		writeUTCZone(&b)
	}
	line(&b, "END:VCALENDAR")

	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write calendar: %w", err)
	}
	return nil
}

// check refuses entries a calendar could not show or would merge: a due
// date that is not a date, a missing or repeated UID, an unknown status or
// a URL that is not an absolute web address.
func check(entries []Entry) error {
	seen := make(map[string]int, len(entries))
	for i, e := range entries {
		field := "entries[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(e.UID) == "" {
			return debrief.FieldErrorf(field+".uid", "%s has no UID", field)
		}
		if j, ok := seen[e.UID]; ok {
			return debrief.FieldErrorf(field+".uid",
				"%s has the UID of entries[%d], %q", field, j, e.UID)
		}
		seen[e.UID] = i
		if _, err := time.Parse(time.DateOnly, e.Due); err != nil {
			return debrief.FieldErrorf(field+".due",
				"%s.due %q is not a date like 2026-01-31", field, e.Due)
		}
		if _, ok := statusWords[debrief.ActionStatus(e.Status)]; !ok && e.Status != "" {
			return debrief.FieldErrorf(field+".status",
				"%s.status %q is not an action status", field, e.Status)
		}
		if _, err := eventURL(e.URL); err != nil {
			return debrief.FieldErrorf(field+".url", "%s.url: %v", field, err)
		}
	}
	return nil
}

// eventURL returns the URL as the URL property writes it: a URI value is
// not TEXT, so it is never backslash-escaped and must not carry characters
// that would need it.
func eventURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("%q is not a URL", raw)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http or https URL", raw)
	}
	return u.String(), nil
}

func writeEvent(b *bytes.Buffer, e Entry, now time.Time) {
	due, _ := time.Parse(time.DateOnly, e.Due) // checked
	stamp := now
	if !e.Updated.IsZero() {
		stamp = e.Updated
	}
	word := statusWords[debrief.ActionStatus(e.Status)]
	link, _ := eventURL(e.URL) // checked

	line(b, "BEGIN:VEVENT")
	line(b, "UID:"+escapeText(e.UID))
	// Without a METHOD property, RFC 5545 makes DTSTAMP the time the
	// information last changed, like LAST-MODIFIED, not the time the feed
	// was written; so an unchanged item reads the same on every poll.
	line(b, "DTSTAMP:"+utcStamp(stamp))
	if !e.Updated.IsZero() {
		line(b, "LAST-MODIFIED:"+utcStamp(e.Updated))
		line(b, "SEQUENCE:"+strconv.FormatInt(sequence(e.Updated), 10))
	}
	// DTEND is exclusive: an all-day event on one date ends the next day.
	line(b, "DTSTART;VALUE=DATE:"+due.Format("20060102"))
	line(b, "DTEND;VALUE=DATE:"+due.AddDate(0, 0, 1).Format("20060102"))
	line(b, "SUMMARY:"+escapeText(summary(e.Summary, word)))
	if d := description(e, word, link); d != "" {
		line(b, "DESCRIPTION:"+escapeText(d))
	}
	if link != "" {
		line(b, "URL:"+link)
	}
	line(b, "STATUS:CONFIRMED")
	line(b, "TRANSP:TRANSPARENT")
	categories := "CATEGORIES:" + escapeText("action item")
	if word != "" {
		categories += "," + escapeText(word)
	}
	line(b, categories)
	line(b, "END:VEVENT")
}

// writeUTCZone writes a UTC time zone definition. RFC 5545 (3.6) wants at
// least one component in a calendar, and a feed with no due dates has none
// else; an unused zone is the one component every client reads and shows
// nothing for.
func writeUTCZone(b *bytes.Buffer) {
	line(b, "BEGIN:VTIMEZONE")
	line(b, "TZID:UTC")
	line(b, "BEGIN:STANDARD")
	line(b, "DTSTART:19700101T000000")
	line(b, "TZOFFSETFROM:+0000")
	line(b, "TZOFFSETTO:+0000")
	line(b, "TZNAME:UTC")
	line(b, "END:STANDARD")
	line(b, "END:VTIMEZONE")
}

func summary(s, word string) string {
	if word == "" {
		return s
	}
	return s + " (" + word + ")"
}

// description adds what the calendar has no field for to the item's own
// text: its owner, its status and its link, since Google Calendar shows no
// URL property.
func description(e Entry, word, link string) string {
	var parts []string
	if d := plainText(e.Description); d != "" {
		parts = append(parts, d, "")
	}
	if o := plainText(e.Owner); o != "" {
		parts = append(parts, "Owner: "+o)
	}
	if word == "" {
		word = "open"
	}
	parts = append(parts, "Status: "+word)
	if link != "" {
		parts = append(parts, link)
	}
	return strings.Join(parts, "\n")
}

// sequence numbers revisions by the time they were made, so that every
// change gets a larger number without debrief keeping a counter.
func sequence(updated time.Time) int64 {
	s := int64(updated.Sub(sequenceEpoch) / time.Second)
	return min(max(s, 0), 1<<31-1)
}

func utcStamp(t time.Time) string {
	return t.UTC().Format("20060102T150405Z")
}

// plainText is s as a TEXT value can carry it: line breaks as LF, no other
// control character than tab (TEXT allows none), and invalid UTF-8 replaced
// by U+FFFD, since the format is UTF-8 throughout. Text is made plain
// before it is joined to other text, so that a CR at its end cannot pair
// with the LF after it into one line break.
func plainText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// escapeText writes s as an RFC 5545 TEXT value: plain, with backslash,
// semicolon and comma escaped and line breaks written \n.
func escapeText(s string) string {
	s = plainText(s)

	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for _, r := range s {
		switch r {
		case '\\', ';', ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// line writes one content line ending in CRLF, folded so that no line is
// longer than 75 octets: each continuation starts with a space, which
// counts towards its length, and a cut never falls inside a UTF-8 sequence.
func line(b *bytes.Buffer, s string) {
	limit := maxLine
	for len(s) > limit {
		cut := limit
		for !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		limit = maxLine - 1
	}
	b.WriteString(s)
	b.WriteString("\r\n")
}
