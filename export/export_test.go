package export

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/markdown"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

func sampleReports() []*debrief.Postmortem {
	users := int64(1200)
	minutes := 37.5
	started := time.Date(2024, 5, 2, 9, 14, 0, 0, time.UTC)
	return []*debrief.Postmortem{
		{
			ID: "pm-b", Title: "Search <slow> & flaky", Status: debrief.StatusFinal,
			Incident: debrief.Incident{ID: "inc-2", Title: "Search latency",
				Services: []string{"search"}, Severity: "P2", StartedAt: started,
				ResolvedAt: started.Add(37*time.Minute + 30*time.Second)},
			Summary: debrief.Summary{ExecutiveSummary: "Search was slow.",
				Narrative: "Line one\nline | two"},
			Timeline: []debrief.TimelineEvent{{Time: started, TimeText: "09:14",
				Text: "Alert", Kind: debrief.EventDetection}},
			Analysis: debrief.Analysis{Whys: []debrief.Why{{ID: 1, Answer: "Cold cache"}}},
			Impacts: []debrief.Impact{{Kind: debrief.ImpactCustomer, MinutesDown: &minutes,
				UsersAffected: &users}},
			ActionItems: []debrief.ActionItem{{Number: 1, Description: "Warm the cache",
				Status: debrief.ActionOpen}},
			Fields:    map[string]string{"z": "last", "a": "first"},
			CreatedAt: started.Add(24 * time.Hour), UpdatedAt: started.Add(48 * time.Hour),
			Version: 3,
		},
		{ID: "pm-a", Title: "Minimal", Status: debrief.StatusDraft, Version: 1},
	}
}

func TestJSONGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := JSON(&buf, sampleReports()); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "golden", "export.json")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -update creates it)", err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("export differs (-want +got); go test -update rewrites it:\n%s", diff)
	}
}

// TestJSONRoundTripIsIdentical is the export's promise: reading an export
// and exporting what was read gives the same bytes, in any input order.
func TestJSONRoundTripIsIdentical(t *testing.T) {
	reports := sampleReports()
	var first bytes.Buffer
	if err := JSON(&first, reports); err != nil {
		t.Fatal(err)
	}
	read, err := ReadJSON(bytes.NewReader(first.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if read[0].ID != "pm-a" || read[1].ID != "pm-b" {
		t.Errorf("not ordered by ID: %s, %s", read[0].ID, read[1].ID)
	}
	if diff := cmp.Diff(reports[0], read[1]); diff != "" {
		t.Errorf("report read back (-want +got):\n%s", diff)
	}
	read[0], read[1] = read[1], read[0]
	var second bytes.Buffer
	if err := JSON(&second, read); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), second.Bytes()) {
		t.Errorf("second export differs:\n%s\n---\n%s", first.Bytes(), second.Bytes())
	}
	if strings.Contains(first.String(), "exported_at") {
		t.Error("the default export carries a time, so two exports differ")
	}
}

func TestJSONAtAndEmpty(t *testing.T) {
	var buf bytes.Buffer
	at := time.Date(2024, 6, 1, 12, 0, 0, 0, time.FixedZone("CEST", 7200))
	if err := JSONAt(&buf, nil, at); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"format\": \"debrief\",\n  \"version\": 1,\n" +
		"  \"exported_at\": \"2024-06-01T10:00:00Z\",\n  \"postmortems\": []\n}\n"
	if buf.String() != want {
		t.Errorf("got %s", buf.String())
	}
	got, err := ReadJSON(strings.NewReader(want))
	if err != nil || len(got) != 0 {
		t.Errorf("ReadJSON of an empty export = %v, %v", got, err)
	}
}

func TestJSONRefuses(t *testing.T) {
	dup := []*debrief.Postmortem{{ID: "x"}, {ID: "x"}}
	if err := JSON(&bytes.Buffer{}, dup); debrief.ErrorKind(err) != debrief.KindInvalid {
		t.Errorf("duplicate IDs: %v", err)
	}
	if err := JSON(&bytes.Buffer{}, []*debrief.Postmortem{nil}); err == nil {
		t.Error("nil report accepted")
	}
}

func TestReadJSONErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"not JSON", "{\n  \"format\": \"debrief\",\n  oops\n}", "line 3, column"},
		{"truncated", `{"format": "debrief", "version": 1, "postmortems": [`, "ends too early"},
		{"other format", `{"format": "jira", "version": 1}`, "not a debrief export"},
		{"no format", `{"version": 1}`, "not a debrief export"},
		{"later version", `{"format": "debrief", "version": 2}`, "version 2 is not supported"},
		{"wrong type", `{"format": "debrief", "version": 1, "postmortems": [{"version": "3"}]}`,
			"report 1 of the export: version must be int"},
		{"null report", `{"format": "debrief", "version": 1, "postmortems": [null]}`,
			"report 1 of the export is null"},
		{"two documents", `{"format": "debrief", "version": 1} {}`, "more than one"},
		{"bad time", `{"format": "debrief", "version": 1, "postmortems": ` +
			`[{"id": "a", "created_at": "yesterday"}]}`, "report 1 of the export"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadJSON(strings.NewReader(tt.in))
			if debrief.ErrorKind(err) != debrief.KindInvalid {
				t.Fatalf("kind = %v (%v), want invalid", debrief.ErrorKind(err), err)
			}
			if msg := debrief.ErrorMessage(err); !strings.Contains(msg, tt.want) {
				t.Errorf("message %q lacks %q", msg, tt.want)
			}
		})
	}
}

func TestMarkdownDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports")
	reports := sampleReports()
	// An earlier export is replaced, not appended to.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, "pm-a.md")
	if err := os.WriteFile(stale, []byte("---\ndebrief: 1\nid: pm-a\n---\nstale"), 0o600); err != nil {
		t.Fatal(err)
	}

	paths, err := MarkdownDir(dir, reports)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "pm-a.md"), filepath.Join(dir, "pm-b.md")}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	for i, p := range []*debrief.Postmortem{reports[1], reports[0]} {
		data, err := os.ReadFile(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		res, err := markdown.Parse(markdown.Document{Name: paths[i], Data: data})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(markdown.Normalize(p), res.Postmortem); diff != "" {
			t.Errorf("%s read back (-want +got):\n%s", paths[i], diff)
		}
		if info, _ := os.Stat(paths[i]); info.Mode().Perm() != 0o644 {
			t.Errorf("%s has mode %v", paths[i], info.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("folder holds %d entries, want 2 (temporary files left?)", len(entries))
	}
}

func TestMarkdownDirRefusesDuplicates(t *testing.T) {
	dir := t.TempDir()
	_, err := MarkdownDir(dir, []*debrief.Postmortem{{ID: "a"}, {ID: "a"}})
	if debrief.ErrorKind(err) != debrief.KindInvalid {
		t.Errorf("duplicate IDs: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("files written before the refusal: %d", len(entries))
	}
}

func TestMarkdownDirKeepsFilesThatAreNotExports(t *testing.T) {
	dir := t.TempDir()
	p := &debrief.Postmortem{ID: "db-outage", Title: "DB outage", Status: debrief.StatusDraft}
	own := filepath.Join(dir, "db-outage.md")
	if err := os.WriteFile(own, []byte("# DB outage\n\nhand-written\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := MarkdownDir(dir, []*debrief.Postmortem{p})
	if err == nil || !strings.Contains(err.Error(), "not a debrief export") {
		t.Fatalf("err = %v, want a refusal naming the file", err)
	}
	if data, _ := os.ReadFile(own); string(data) != "# DB outage\n\nhand-written\n" {
		t.Errorf("the hand-written file was changed: %q", data)
	}

	// An earlier export is replaced.
	os.Remove(own)
	if _, err := MarkdownDir(dir, []*debrief.Postmortem{p}); err != nil {
		t.Fatal(err)
	}
	p.Title = "Database outage"
	if _, err := MarkdownDir(dir, []*debrief.Postmortem{p}); err != nil {
		t.Errorf("replacing an earlier export: %v", err)
	}
}

func TestExportsShowTheTimelineInTimeOrder(t *testing.T) {
	at := func(hhmm string) time.Time {
		v, _ := time.Parse("2006-01-02 15:04", "2024-05-02 "+hhmm)
		return v
	}
	stored := []debrief.TimelineEvent{
		{Time: at("10:05"), TimeText: "10:05", Text: "Rolled back"},
		{TimeText: "later", Text: "Customers told", Flag: debrief.FlagUnparsed},
		{Time: at("10:00"), TimeText: "10:00", Text: "Paged", Flag: debrief.FlagOutOfOrder},
	}
	p := &debrief.Postmortem{ID: "pm-order", Title: "Order", Status: debrief.StatusDraft,
		Timeline: stored}

	var buf bytes.Buffer
	if err := JSON(&buf, []*debrief.Postmortem{p}); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&buf)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range back[0].Timeline {
		got = append(got, e.Text+"/"+e.Flag)
	}
	want := []string{"Paged/out_of_order", "Rolled back/", "Customers told/unparsed"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("exported timeline order (-want +got):\n%s", diff)
	}
	if p.Timeline[0].Text != "Rolled back" {
		t.Error("exporting reordered the caller's report")
	}

	paths, err := MarkdownDir(t.TempDir(), []*debrief.Postmortem{p})
	if err != nil {
		t.Fatal(err)
	}
	md, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	if i, j := bytes.Index(md, []byte("Paged")), bytes.Index(md, []byte("Rolled back")); i < 0 ||
		j < i {
		t.Errorf("the Markdown export lists the 10:05 event before the 10:00 one:\n%s", md)
	}
}
