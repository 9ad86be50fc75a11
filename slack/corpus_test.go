package slack

import (
	"archive/zip"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief/internal/corpus"
	"github.com/google/go-cmp/cmp"
)

// corpusExport returns the folder of one corpus export.
func corpusExport(t *testing.T, name string) string {
	t.Helper()
	return filepath.Join(corpus.Payloads(t), "slack-export", name)
}

// zipFolder writes the folder dir as a zip in a temporary folder, its
// entries under top when top is not "", and returns the zip's path.
func zipFolder(t *testing.T, dir, top string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "export.zip")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.Create(filepath.ToSlash(filepath.Join(top, rel)))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err == nil {
		err = zw.Close()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// openings opens one corpus export as a folder, as a zip and as a zip
// nested in a top folder, and returns them by name.
func openings(t *testing.T, name string) map[string]*Export {
	t.Helper()
	dir := corpusExport(t, name)
	out := map[string]*Export{}
	for label, path := range map[string]string{
		"folder":     dir,
		"zip":        zipFolder(t, dir, ""),
		"nested zip": zipFolder(t, dir, "export-"+name),
	} {
		ex, err := Open(path)
		if err != nil {
			t.Fatalf("%s as %s: %v", name, label, err)
		}
		t.Cleanup(func() { ex.Close() })
		out[label] = ex
	}
	return out
}

// rawMessages counts the messages of every day file of an export folder,
// read as plain JSON, by file ("general/2024-01-15.json").
func rawMessages(t *testing.T, dir string) map[string]int {
	t.Helper()
	counts := map[string]int{}
	paths, _ := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var list []json.RawMessage
		if err := json.Unmarshal(data, &list); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		rel, _ := filepath.Rel(dir, p)
		counts[filepath.ToSlash(rel)] = len(list)
	}
	return counts
}

// TestCorpusEveryFile reads every day file of both corpus exports, as
// folders and zipped, and checks that each message is returned once, in
// time order.
func TestCorpusEveryFile(t *testing.T) {
	for _, name := range []string{"campfire-ce", "slackdump"} {
		want := rawMessages(t, corpusExport(t, name))
		if len(want) == 0 {
			t.Fatalf("%s: no day files found", name)
		}
		for label, ex := range openings(t, name) {
			got := map[string]int{}
			for _, c := range ex.Channels {
				msgs, err := ex.Messages(c.ID, time.Time{}, time.Time{})
				if err != nil {
					t.Fatalf("%s %s: %v", name, label, err)
				}
				if !slices.IsSortedFunc(msgs, func(a, b Message) int {
					return a.Time.Compare(b.Time)
				}) {
					t.Errorf("%s %s %s: messages not in time order", name, label, c.Name)
				}
				for _, m := range msgs {
					got[m.File]++
					if ex.Render(m, nil) == "" && len(m.Files) == 0 {
						t.Errorf("%s %s: message %s renders empty", name, label, m.TS)
					}
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s %s: messages per file (-want +got):\n%s", name, label, diff)
			}
		}
	}
}

func TestCampfireExport(t *testing.T) {
	for label, ex := range openings(t, "campfire-ce") {
		t.Run(label, func(t *testing.T) {
			wantChannels := []Channel{
				{ID: "C07Q4SBL3", Name: "general", folder: "general"},
				{ID: "C07Q4MBTL", Name: "random", folder: "random"},
			}
			diff := cmp.Diff(wantChannels, ex.Channels, cmp.AllowUnexported(Channel{}))
			if diff != "" {
				t.Errorf("channels (created as a string) (-want +got):\n%s", diff)
			}
			deleted := ex.Users["UDELETED1"]
			if !deleted.Deleted || deleted.TZ != "" || deleted.Label() != "Deleted User" {
				t.Errorf("deleted user = %+v", deleted)
			}
			if !ex.Users["USLACKBOT"].IsBot {
				t.Errorf("slackbot is not a bot")
			}

			checkCampfireGeneral(t, ex)
			random, err := ex.Messages("C07Q4MBTL", time.Time{}, time.Time{})
			if err != nil || len(random) != 2 {
				t.Fatalf("random: %d messages, %v", len(random), err)
			}
			if got := ex.Render(random[1], nil); got != "Sure! Let's meet at #general to discuss" {
				t.Errorf("channel mention = %q", got)
			}
		})
	}
}

// checkCampfireGeneral checks the threads, kinds and markup of #general.
func checkCampfireGeneral(t *testing.T, ex *Export) {
	t.Helper()
	msgs, err := ex.Messages("#general", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	byTS := map[string]Message{}
	for _, m := range msgs {
		byTS[m.TS] = m
	}
	starter := byTS["1705313200.000007"]
	if diff := cmp.Diff([]string{"1705313260.000008", "1705313320.000009"},
		starter.Replies); diff != "" {
		t.Errorf("thread replies (-want +got):\n%s", diff)
	}
	if p := byTS["1705313320.000009"].Parent; p != "1705313200.000007" {
		t.Errorf("reply parent = %q", p)
	}
	kinds := map[string]Kind{
		"1705313040.000005": KindLeave, "1705313100.000006": KindJoin,
		"1705313380.000010": KindPurpose, "1705312800.000001": KindMessage,
	}
	for ts, want := range kinds {
		if got := byTS[ts].Kind; got != want {
			t.Errorf("%s kind = %q, want %q", ts, got, want)
		}
	}
	rendered := map[string]string{
		"1705312860.000002": "Hey Lindy Smith, how's it going?",
		"1705312920.000003": "Check out this link: Example Site (https://example.com)",
		"1705312980.000004": "Great work team! @channel please review this.",
	}
	for ts, want := range rendered {
		if got := ex.Render(byTS[ts], nil); got != want {
			t.Errorf("Render(%s) = %q, want %q", ts, got, want)
		}
	}
}

func TestSlackdumpExport(t *testing.T) {
	for label, ex := range openings(t, "slackdump") {
		t.Run(label, func(t *testing.T) {
			byName, err := ex.Messages("B75B4C7", time.Time{}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			byID, err := ex.Messages("CO69735E8A", time.Time{}, time.Time{})
			if err != nil || len(byID) != len(byName) {
				t.Fatalf("by ID: %d messages, %v; by name %d", len(byID), err, len(byName))
			}
			byTS := map[string]Message{}
			for _, m := range byName {
				byTS[m.TS] = m
			}

			// The thread of 2025-01-10 has its replies in the next day's file.
			parent := byTS["1736478630.905399"]
			if parent.File != "B75B4C7/2025-01-10.json" ||
				!slices.Equal(parent.Replies, []string{"1736554746.482349", "1736554783.040199"}) {
				t.Errorf("thread parent = %s with replies %v", parent.File, parent.Replies)
			}
			reply := byTS["1736554746.482349"]
			if reply.File != "B75B4C7/2025-01-11.json" || reply.Parent != parent.TS {
				t.Errorf("reply in %s has parent %q", reply.File, reply.Parent)
			}

			tomb := byTS["1736554828.343759"]
			if tomb.Kind != KindTombstone || tomb.Housekeeping() ||
				!slices.Equal(tomb.Replies, []string{"1736554838.911679"}) {
				t.Errorf("tombstone = %q with replies %v", tomb.Kind, tomb.Replies)
			}
			if got := byTS["1736554636.807919"]; got.Kind != KindJoin || !got.Housekeeping() {
				t.Errorf("channel_join kind = %q", got.Kind)
			}

			bot := byTS["1737160363.583369"]
			if !bot.Bot || bot.BotName != "2NR0w" || !bot.Edited || bot.Subtype != "" {
				t.Errorf("bot message = bot %v %q edited %v", bot.Bot, bot.BotName, bot.Edited)
			}
			if !byTS["1736478514.897649"].Time.Equal(time.Unix(1736478514, 897649000)) {
				t.Errorf("time = %v", byTS["1736478514.897649"].Time)
			}
			filesOnly := byTS["1736582524.607359"]
			if filesOnly.Text != "" || len(filesOnly.Files) != 1 {
				t.Errorf("files-only message: text %q, files %v", filesOnly.Text, filesOnly.Files)
			}
			deleted := ex.Users["UO83069134"]
			if !deleted.Deleted || deleted.TZ != "" {
				t.Errorf("deleted bot user = %+v", deleted)
			}
		})
	}
}

func TestMessagesWindow(t *testing.T) {
	ex, err := Open(corpusExport(t, "slackdump"))
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	from := time.Unix(1736554746, 482349000) // the first reply, inclusive
	to := time.Unix(1736554838, 911679000)   // the tombstone's reply, exclusive
	msgs, err := ex.Messages("B75B4C7", from, to)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range msgs {
		got = append(got, m.TS)
	}
	want := []string{"1736554746.482349", "1736554783.040199", "1736554801.872639",
		"1736554819.539739", "1736554828.343759"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("window (-want +got):\n%s", diff)
	}
}

func TestUnknownChannel(t *testing.T) {
	ex, err := Open(corpusExport(t, "campfire-ce"))
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	_, err = ex.Messages("incidents", time.Time{}, time.Time{})
	if err == nil || !strings.Contains(err.Error(), "general, random") {
		t.Errorf("error = %v, want one listing general, random", err)
	}
}
