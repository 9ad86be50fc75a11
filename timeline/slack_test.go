package timeline

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debrief-oss/debrief/internal/corpus"
	"github.com/debrief-oss/debrief/slack"
	"github.com/debrief-oss/debrief/timestamp"
	"github.com/google/go-cmp/cmp"
)

func openCorpusExport(t *testing.T, name string) *slack.Export {
	t.Helper()
	ex, err := slack.Open(filepath.Join(corpus.Payloads(t), "slack-export", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ex.Close() })
	return ex
}

// TestFromSlackCampfire checks joins, leaves and purpose changes are left
// out, links and broadcasts rendered, thread replies included, and people
// named by role when the report asks.
func TestFromSlackCampfire(t *testing.T) {
	ex := openCorpusExport(t, "campfire-ce")
	events, err := FromSlack(ex, SlackOptions{Channel: "general"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"Lindy Smith: Good morning everyone!",
		"Alice Johnson: Hey Lindy Smith, how's it going?",
		"Bob Wilson: Check out this link: Example Site (https://example.com)",
		"Lindy Smith: Great work team! @channel please review this.",
		"Lindy Smith: This is a thread starter",
		"↳ Alice Johnson: This is a reply to the thread",
		"↳ Bob Wilson: Another reply in the thread",
	}
	if diff := cmp.Diff(want, texts(events, 200)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	first := events[0]
	if first.TimeText != "2024-01-15 10:00:00 UTC (ts 1705312800.000001)" ||
		!first.Time.Equal(time.Unix(1705312800, 1000)) || first.Source != "slack" {
		t.Errorf("first event = %+v", first)
	}
	// The written time reads back as the same moment, to the second.
	got := timestamp.NewParser().Parse(first.TimeText)
	if !got.UTC.Equal(time.Unix(1705312800, 0)) {
		t.Errorf("TimeText reads back as %v", got.UTC)
	}

	roles, err := FromSlack(ex, SlackOptions{Channel: "general", People: PeopleRole,
		Roles: map[string]string{"U07Q4MHCP": "incident commander", "alice johnson": "scribe"}})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{
		"incident commander: Good morning everyone!",
		"scribe: Hey incident commander, how's it going?",
		"Bob Wilson: Check out this link: Example Site (https://example.com)",
	}
	if diff := cmp.Diff(want, texts(roles[:3], 200)); diff != "" {
		t.Errorf("by role (-want +got):\n%s", diff)
	}

	noThreads, _ := FromSlack(ex, SlackOptions{Channel: "general", ExcludeThreads: true})
	if len(noThreads) != 5 {
		t.Errorf("without threads: %d events, want 5", len(noThreads))
	}
}

// TestFromSlackSlackdump checks that replies filed under a later day are
// placed by their own time, a deleted parent's reply is kept, a bot is
// named, and the timeline is chronological with nothing flagged.
func TestFromSlackSlackdump(t *testing.T) {
	ex := openCorpusExport(t, "slackdump")
	events, err := FromSlack(ex, SlackOptions{Channel: "B75B4C7"})
	if err != nil {
		t.Fatal(err)
	}
	var stamps []string
	for _, e := range events {
		stamps = append(stamps, e.TimeText[strings.Index(e.TimeText, "(ts ")+4:len(e.TimeText)-1])
		if e.Flag != "" {
			t.Errorf("%s flagged %s", e.TimeText, e.Flag)
		}
	}
	want := []string{
		"1736478514.897649", "1736478630.905399", // 2025-01-10: a thread starts
		"1736554746.482349", "1736554783.040199", // its replies, filed under 2025-01-11
		"1736554801.872639", "1736554819.539739",
		"1736554838.911679", // the reply of a deleted message (1736554828.343759)
		"1736560955.039969", "1736560990.444379", "1736562623.558619", "1736582524.607359",
		"1737160363.583369", // the bot's edited message
		"1737714849.675319", "1737716342.919259",
	}
	if diff := cmp.Diff(want, stamps); diff != "" {
		t.Errorf("events by ts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(events, Chronological(events)); diff != "" {
		t.Errorf("not chronological (-got +sorted):\n%s", diff)
	}
	if !strings.HasPrefix(events[2].Text, "↳ ") || !strings.HasPrefix(events[6].Text, "↳ ") {
		t.Errorf("replies not marked: %q, %q", events[2].Text, events[6].Text)
	}
	if !strings.HasPrefix(events[11].Text, "2NR0w: ") {
		t.Errorf("bot event = %q", events[11].Text)
	}
	if !strings.Contains(events[10].Text, "[file: ") {
		t.Errorf("file share = %q", events[10].Text)
	}

	noBots, _ := FromSlack(ex, SlackOptions{Channel: "B75B4C7", ExcludeBots: true})
	if len(noBots) != len(events)-1 {
		t.Errorf("without bots: %d events, want %d", len(noBots), len(events)-1)
	}
	window, _ := FromSlack(ex, SlackOptions{Channel: "B75B4C7",
		From: time.Unix(1736554746, 482349000), To: time.Unix(1736560955, 39969000)})
	if len(window) != 5 {
		t.Errorf("window: %d events, want 5 (%q)", len(window), texts(window, 20))
	}
}

func TestFromSlackPeople(t *testing.T) {
	ex, err := slack.Read(fstest.MapFS{
		"channels.json": {Data: []byte(`[{"id": "C1", "name": "inc"}]`)},
		"users.json": {Data: []byte(`[{"id": "U1", "name": "gone", "deleted": true},
			{"id": "U2", "deleted": true}]`)},
		"inc/2024-01-15.json": {Data: []byte(`[
			{"ts": "1705312800.000001", "user": "U1", "text": "a"},
			{"ts": "1705312801.000001", "user": "U2", "text": "b"},
			{"ts": "1705312802.000001", "user": "U3", "text": "c"},
			{"ts": "1705312803.000001", "user": "U4", "text": "d",
			 "user_profile": {"real_name": "Dana"}},
			{"ts": "1705312804.000001", "user": "U2", "text": "e\u202eevil\u0007"}]`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	events, err := FromSlack(ex, SlackOptions{Channel: "C1"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"gone: a", "a former member: b", "U3: c", "Dana: d",
		"a former member: e\uFFFDevil\uFFFD"}
	if diff := cmp.Diff(want, texts(events, 100)); diff != "" {
		t.Errorf("speakers (-want +got):\n%s", diff)
	}
	if _, err := FromSlack(ex, SlackOptions{Channel: "C1", People: "nick"}); err == nil {
		t.Errorf("an unknown People value was taken")
	}
	if _, err := FromSlack(ex, SlackOptions{Channel: "nope"}); err == nil ||
		!strings.Contains(err.Error(), "inc") {
		t.Errorf("unknown channel: %v", err)
	}
}

// TestFromSlackBroadcast checks that a reply also sent to the channel
// stays when threads are left out, as people in the channel saw it.
func TestFromSlackBroadcast(t *testing.T) {
	ex, err := slack.Read(fstest.MapFS{
		"channels.json": {Data: []byte(`[{"id": "C1", "name": "inc"}]`)},
		"inc/2024-01-15.json": {Data: []byte(`[
			{"ts": "1705312800.000001", "user": "U1", "text": "db down",
			 "thread_ts": "1705312800.000001"},
			{"ts": "1705312801.000001", "user": "U1", "text": "looking",
			 "thread_ts": "1705312800.000001"},
			{"ts": "1705312802.000001", "user": "U1", "text": "failed over",
			 "thread_ts": "1705312800.000001", "subtype": "thread_broadcast"}]`)},
	})
	if err != nil {
		t.Fatal(err)
	}
	events, err := FromSlack(ex, SlackOptions{Channel: "inc", ExcludeThreads: true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"U1: db down", "↳ U1: failed over"}
	if diff := cmp.Diff(want, texts(events, 100)); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	if events[1].Kind != "mitigation" {
		t.Errorf("kind = %q", events[1].Kind)
	}
}
