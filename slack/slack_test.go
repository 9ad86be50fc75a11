package slack

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/google/go-cmp/cmp"
)

const testChannels = `[{"id": "C1", "name": "incident-42", "created": 1700000000},
 {"id": "C2", "name": "ops", "created": "1700000000"}]`

const testUsers = `[
 {"id": "U1", "name": "alice", "real_name": "Alice Doe", "tz": "Europe/Paris",
  "profile": {"real_name": "Alice Doe", "display_name": "alice.d"}},
 {"id": "U2", "name": "bob", "deleted": true},
 {"id": "U3", "name": "ghost", "deleted": true, "real_name": ""}
]`

// mapExport builds an export in memory from day files, by path.
func mapExport(days map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"channels.json": {Data: []byte(testChannels)},
		"users.json":    {Data: []byte(testUsers)},
	}
	for name, data := range days {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	return fsys
}

func readMap(t *testing.T, days map[string]string) *Export {
	t.Helper()
	ex, err := Read(mapExport(days))
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func TestThreads(t *testing.T) {
	ex := readMap(t, map[string]string{
		// The parent has no legacy replies array; one reply is a broadcast,
		// one has no subtype, one sits in a later day's file and also (as
		// some exporters do) in the parent's day.
		"incident-42/2024-01-15.json": `[
 {"type": "message", "user": "U1", "text": "db is down", "ts": "1705312800.000100",
  "thread_ts": "1705312800.000100"},
 {"type": "message", "user": "U2", "text": "looking", "ts": "1705312860.000200",
  "thread_ts": "1705312800.000100"},
 {"type": "message", "subtype": "thread_broadcast", "user": "U1", "text": "failover done",
  "ts": "1705312920.000300", "thread_ts": "1705312800.000100"},
 {"type": "message", "user": "U1", "text": "next day", "ts": "1705400000.000001",
  "thread_ts": "1705312800.000100"}
]`,
		"incident-42/2024-01-16.json": `[
 {"type": "message", "user": "U1", "text": "next day", "ts": "1705400000.000001",
  "thread_ts": "1705312800.000100"},
 {"type": "message", "user": "U3", "text": "orphan reply", "ts": "1705400100.000000",
  "thread_ts": "1705000000.000000"}
]`,
		"incident-42/notes.json": `not a day file, never read`,
	})
	msgs, err := ex.Messages("incident-42", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	type thread struct{ TS, Parent, Replies string }
	var got []thread
	for _, m := range msgs {
		got = append(got, thread{m.TS, m.Parent, strings.Join(m.Replies, " ")})
	}
	want := []thread{
		{"1705312800.000100", "", "1705312860.000200 1705312920.000300 1705400000.000001"},
		{"1705312860.000200", "1705312800.000100", ""},
		{"1705312920.000300", "1705312800.000100", ""},
		{"1705400000.000001", "1705312800.000100", ""},
		{"1705400100.000000", "1705000000.000000", ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("threads (-want +got):\n%s", diff)
	}
}

func TestBotsAndTombstones(t *testing.T) {
	ex := readMap(t, map[string]string{"ops/2024-01-15.json": `[
 {"type": "message", "subtype": "bot_message", "username": "PagerDuty", "bot_id": "B1",
  "text": "", "ts": "1705312800.000001",
  "attachments": [{"fallback": "Triggered: db-down &lt;critical&gt;", "text": "ignored"}]},
 {"type": "message", "user": "U1", "text": "This message was deleted.", "hidden": true,
  "ts": "1705312801.000001", "thread_ts": "1705312801.000001"},
 {"type": "message", "user": "U1", "text": "still here", "ts": "1705312802.000001",
  "thread_ts": "1705312801.000001"}
]`})
	msgs, err := ex.Messages("ops", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	bot := msgs[0]
	text := ex.Render(bot, nil)
	if !bot.Bot || bot.BotName != "PagerDuty" || text != "Triggered: db-down <critical>" {
		t.Errorf("bot message: %v %q %q", bot.Bot, bot.BotName, text)
	}
	if msgs[1].Kind != KindTombstone || len(msgs[1].Replies) != 1 || msgs[2].Parent != msgs[1].TS {
		t.Errorf("tombstone %q with replies %v", msgs[1].Kind, msgs[1].Replies)
	}
}

func TestRender(t *testing.T) {
	ex := readMap(t, nil)
	roles := func(id string) string {
		if id == "U1" {
			return "incident commander"
		}
		return ""
	}
	tests := []struct{ in, want string }{
		{"<@U1> please look", "incident commander please look"},
		{"<@U1|alice> please look", "incident commander please look"},
		{"ping <@U2>", "ping bob"},         // no role: the export's name
		{"ping <@U9|carol>", "ping carol"}, // unknown: the name it carries
		{"ping <@U9>", "ping U9"},          // nothing known: the ID
		{"see <#C2|ops> and <#C1>", "see #ops and #incident-42"},
		{"<!here> <!channel> <!everyone>", "@here @channel @everyone"},
		{"<!here|here> now", "@here now"},
		{"<!subteam^S123|@oncall> help", "@oncall help"},
		{"<!subteam^S123> help", "@S123 help"},
		{"at <!date^1392734382^{date} at {time}|Feb 18, 2014 at 6:39 AM>",
			"at Feb 18, 2014 at 6:39 AM"},
		{"at <!date^1392734382^{date}>", "at 2014-02-18 14:39 UTC"},
		{"<https://status.example.com|status page> updated",
			"status page (https://status.example.com) updated"},
		{"<https://example.com/a?b=1&amp;c=2>", "https://example.com/a?b=1&c=2"},
		{"<http://example.com|example.com>", "example.com"},
		{"mail <mailto:ops@example.com|ops@example.com>", "mail ops@example.com"},
		{"mail <mailto:ops@example.com>", "mail ops@example.com"},
		{"a &lt;b&gt; &amp;amp; &quot;c&quot;", `a <b> &amp; &quot;c&quot;`},
		{"5 < 6 and x > y", "5 < 6 and x > y"},
		{"<a <https://x.io>", "<a https://x.io"},
		{"unclosed <https://x.io", "unclosed <https://x.io"},
	}
	for _, tt := range tests {
		if got := ex.RenderText(tt.in, roles); got != tt.want {
			t.Errorf("RenderText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name  string
		fsys  fstest.MapFS
		want  string
		where string // the channel to read, when the error is in a day file
	}{
		{name: "no export", fsys: fstest.MapFS{"readme.txt": {Data: []byte("x")}},
			want: "not a Slack export"},
		{name: "channel id a number", fsys: fstest.MapFS{"channels.json": {
			Data: []byte("[\n {\"id\": \"C1\"},\n {\"id\": 7}\n]")}},
			want: "channels.json: line 3: id: want a string, got number"},
		{name: "users not a list", fsys: fstest.MapFS{
			"channels.json": {Data: []byte(testChannels)},
			"users.json":    {Data: []byte(`{"id": "U1"}`)}},
			want: "users.json: line 1: want a JSON list"},
		{name: "user deleted as text", fsys: fstest.MapFS{
			"channels.json": {Data: []byte(testChannels)},
			"users.json":    {Data: []byte("[\n{\"id\": \"U1\",\n \"deleted\": \"yes\"}]")}},
			want: "users.json: line 3: deleted: want true or false, got string"},
		{name: "bad ts", fsys: mapExport(map[string]string{"ops/2024-01-15.json": "[\n" +
			`{"ts": "1705312800.000001", "text": "ok"},` + "\n" +
			`{"ts": "1705312800,5", "text": "bad"}` + "\n]"}),
			where: "ops",
			want:  `ops/2024-01-15.json: line 3: ts "1705312800,5" is not a Slack timestamp`},
		{name: "float ts", fsys: mapExport(map[string]string{"ops/2024-01-15.json": "[\n" +
			`{"ts": 1705312800.000001}]`}),
			where: "ops", want: "ops/2024-01-15.json: line 2: ts: want a string, got number"},
		{name: "broken JSON", fsys: mapExport(map[string]string{"ops/2024-01-15.json": "[\n" +
			`{"ts": "1705312800.000001",` + "\n\n" + `"text": }]`}),
			where: "ops", want: "ops/2024-01-15.json: line 4: not valid JSON"},
		{name: "truncated", fsys: mapExport(map[string]string{"ops/2024-01-15.json": "[\n" +
			`{"ts": "1705312800.000001"},`}),
			where: "ops", want: "ops/2024-01-15.json: line 2: the JSON ends early"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := Read(tt.fsys)
			if err == nil && tt.where != "" {
				_, err = ex.Messages(tt.where, time.Time{}, time.Time{})
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want %q", err, tt.want)
			}
			if debrief.ErrorKind(err) != debrief.KindInvalid {
				t.Errorf("kind = %v, want invalid", debrief.ErrorKind(err))
			}
		})
	}
}

func TestLenientFields(t *testing.T) {
	ex := readMap(t, map[string]string{"ops/2024-01-15.json": `[
 {"ts": "1705312800.000001", "user": "U1", "text": null, "blocks": null,
  "username": 5, "edited": {"ts": 1}, "files": [{"id": "F1", "mode": "tombstone"}],
  "user_profile": {"display_name": {"x": 1}}, "reactions": "odd"}]`})
	msgs, err := ex.Messages("ops", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 1 || !msgs[0].Edited || msgs[0].Files[0] != "F1" {
		t.Errorf("messages = %+v", msgs)
	}
}

// writeZip builds a zip in memory from entries, in order.
func writeZip(t *testing.T, entries ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e[1]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestZipSafety(t *testing.T) {
	oldFile, oldTotal := maxFileSize, maxTotalSize
	maxFileSize, maxTotalSize = 1<<10, 4<<10
	defer func() { maxFileSize, maxTotalSize = oldFile, oldTotal }()
	big := "[" + strings.Repeat(" ", 2<<10) + "]"

	tests := []struct {
		name    string
		archive []byte
		want    string
	}{
		{"climbs out", writeZip(t, [2]string{"channels.json", "[]"},
			[2]string{"../../etc/cron.d/x", "x"}), `../../etc/cron.d/x: the archive entry's name`},
		{"absolute", writeZip(t, [2]string{"/etc/passwd", "x"}), "leads out of the archive"},
		{"backslashes", writeZip(t, [2]string{`a\..\..\x.json`, "x"}), "leads out of the archive"},
		{"file too big", writeZip(t, [2]string{"channels.json", "[]"},
			[2]string{"ops/2024-01-15.json", big}), "ops/2024-01-15.json: 0 MiB uncompressed"},
		{"not a zip", []byte("PK nothing"), "not a readable zip"},
		{"two top folders", writeZip(t, [2]string{"a/channels.json", "[]"},
			[2]string{"b/channels.json", "[]"}), "not a Slack export"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadZip(bytes.NewReader(tt.archive), int64(len(tt.archive)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}

	var many [][2]string
	many = append(many, [2]string{"channels.json", `[{"id": "C1", "name": "ops"}]`})
	for _, day := range []string{"01", "02", "03", "04", "05"} {
		many = append(many, [2]string{"ops/2024-01-" + day + ".json", big[:1000]})
	}
	archive := writeZip(t, many...)
	_, err := ReadZip(bytes.NewReader(archive), int64(len(archive)))
	if err == nil || !strings.Contains(err.Error(), "unpack to more than") {
		t.Errorf("total size: error = %v", err)
	}
}

// TestZipLyingSize checks that an entry holding more than its header
// declares is refused while read, not unpacked whole.
func TestZipLyingSize(t *testing.T) {
	var data bytes.Buffer
	fw, _ := flate.NewWriter(&data, flate.BestCompression)
	payload := []byte("[" + strings.Repeat(" ", 8<<20) + "]")
	fw.Write(payload)
	fw.Close()

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("channels.json")
	w.Write([]byte(`[{"id": "C1", "name": "ops"}]`))
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "ops/2024-01-15.json", Method: zip.Deflate,
		CRC32: crc32.ChecksumIEEE(payload), CompressedSize64: uint64(data.Len()),
		UncompressedSize64: 100})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data.Bytes())
	zw.Close()

	ex, err := ReadZip(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	_, err = ex.Messages("ops", time.Time{}, time.Time{})
	if err == nil || !strings.Contains(err.Error(), "ops/2024-01-15.json: cannot be read") {
		t.Errorf("error = %v", err)
	}
}

func TestParseTS(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"1705312800.000001", time.Unix(1705312800, 1000), true},
		{"1705312800.123456789", time.Unix(1705312800, 123456789), true},
		{"1705312800", time.Unix(1705312800, 0), true},
		{"1705312800.", time.Time{}, false},
		{"1.7e9", time.Time{}, false},
		{"-1705312800.000001", time.Time{}, false},
		{"", time.Time{}, false},
		{"99999999999999.0", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseTS(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) || ok && got.Location() != time.UTC {
			t.Errorf("ParseTS(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

// TestFolderSymlinks checks that an export folder cannot lead the reader
// to files outside it.
func TestFolderSymlinks(t *testing.T) {
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.json")
	if err := os.WriteFile(secret, []byte(`[{"ts": "1.0", "text": "secret"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "channels.json"), []byte(testChannels), 0o600)
	os.Mkdir(filepath.Join(dir, "ops"), 0o700)
	if err := os.Symlink(secret, filepath.Join(dir, "ops", "2024-01-15.json")); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	os.Symlink(outside, filepath.Join(dir, "incident-42"))

	ex, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	msgs, err := ex.Messages("ops", time.Time{}, time.Time{})
	if err == nil || debrief.ErrorKind(err) != debrief.KindInvalid || len(msgs) > 0 {
		t.Errorf("a linked day file: %d messages, error %v", len(msgs), err)
	}
	msgs, err = ex.Messages("incident-42", time.Time{}, time.Time{})
	if err != nil || len(msgs) > 0 {
		t.Errorf("a linked channel folder: %d messages, error %v", len(msgs), err)
	}
}
