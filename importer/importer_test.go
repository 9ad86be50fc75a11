package importer_test

import (
	"archive/zip"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/importer"
	"github.com/debrief-oss/debrief/internal/corpus"
	"github.com/debrief-oss/debrief/markdown"
	"github.com/debrief-oss/debrief/sqlstore"
)

func openStore(t *testing.T) *sqlstore.DB {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// runImport imports paths and returns the summary and the results by name.
func runImport(
	t *testing.T,
	im *importer.Importer,
	paths ...string,
) (importer.Summary, map[string]importer.FileResult) {
	t.Helper()
	results := map[string]importer.FileResult{}
	sum, err := im.Import(context.Background(), paths, func(_, _ int, r importer.FileResult) {
		results[r.Name] = r
	})
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return sum, results
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func countReports(t *testing.T, store debrief.PostmortemStore) int {
	t.Helper()
	_, total, err := store.Postmortems(context.Background(), debrief.PostmortemFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

const goodReport = `# Cache stampede on checkout

## Summary

The checkout service slowed down when the product cache expired all at once.

## Timeline

All times in UTC.

- 2024-03-07 10:00 Alert fired for checkout latency
- 2024-03-07 10:30 Cache warmed by hand; latency recovered

## Action items

- [ ] Stagger cache expiry (owner: platform team)
`

func TestImportBadInputFailsAloneAndNamesTheProblem(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "good.md"), []byte(goodReport))
	writeFile(t, filepath.Join(dir, "latin1.md"), []byte("# Caf\xe9 outage\n\nbody\n"))
	writeFile(t, filepath.Join(dir, "binary.md"), []byte("PK\x03\x04\x00\x00binary"))
	writeFile(t, filepath.Join(dir, "empty.md"), nil)
	writeFile(t, filepath.Join(dir, "huge.md"), bytes.Repeat([]byte("# big\n"), 4000))
	writeFile(t, filepath.Join(dir, "broken.zip"), []byte("PK\x03\x04 this is not really a zip"))
	writeFile(t, filepath.Join(dir, "yaml.md"), []byte("---\ntitle: [unclosed\n---\n# T\n"))

	store := openStore(t)
	im := &importer.Importer{Store: store, MaxFileSize: 20000}
	sum, results := runImport(t, im, dir)

	want := map[string]string{
		"latin1.md":  "not valid UTF-8 (line 1, column 6)",
		"binary.md":  "binary",
		"empty.md":   "empty",
		"huge.md":    "too large",
		"broken.zip": "not a readable zip archive",
		"yaml.md":    "front matter is not valid YAML",
	}
	for name, msg := range want {
		r, ok := results[filepath.Join(dir, name)]
		if !ok {
			t.Errorf("%s: no result reported", name)
			continue
		}
		if r.Outcome != importer.Failed || r.Err == nil || !strings.Contains(r.Err.Error(), msg) {
			t.Errorf("%s: outcome %s, error %v; want failed with %q", name, r.Outcome, r.Err, msg)
		}
	}
	if r := results[filepath.Join(dir, "good.md")]; r.Outcome != importer.Created {
		t.Errorf("good.md: outcome %s (%v), want created", r.Outcome, r.Err)
	}
	if sum.Failed != len(want) || sum.Created != 1 {
		t.Errorf("summary %+v, want %d failed and 1 created", sum, len(want))
	}
	if n := countReports(t, store); n != 1 {
		t.Errorf("store holds %d reports after the run, want only the good one", n)
	}
}

func TestImportMissingPathIsReported(t *testing.T) {
	im := &importer.Importer{Store: openStore(t)}
	missing := filepath.Join(t.TempDir(), "nope")
	sum, results := runImport(t, im, missing)
	if r := results[missing]; sum.Failed != 1 || !strings.Contains(r.Err.Error(), "no such file") {
		t.Errorf("got %+v, %v; want one failure saying the path does not exist", sum, r.Err)
	}
}

func TestReimportUpdatesInsteadOfDuplicating(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "reports", "2024-03-07-cache.md")
	writeFile(t, path, []byte(goodReport))
	store := openStore(t)
	im := &importer.Importer{Store: store}

	_, first := runImport(t, im, filepath.Join(dir, "reports"))
	id := first[path].ID
	if first[path].Outcome != importer.Created || id != "2024-03-07-cache" {
		t.Fatalf("first import: %+v", first[path])
	}

	_, again := runImport(t, im, filepath.Join(dir, "reports"))
	if r := again[path]; r.Outcome != importer.Unchanged || r.ID != id {
		t.Errorf("second import of the same bytes: %s %s, want unchanged %s", r.Outcome, r.ID, id)
	}

	edited := strings.Replace(goodReport, "slowed down", "became slow", 1)
	writeFile(t, path, []byte(edited))
	_, third := runImport(t, im, filepath.Join(dir, "reports"))
	if r := third[path]; r.Outcome != importer.Updated || r.ID != id {
		t.Errorf("import of the edited file: %s %s, want updated %s", r.Outcome, r.ID, id)
	}
	p, err := store.Postmortem(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(p.Summary.ExecutiveSummary+p.Summary.Narrative, "became slow") {
		t.Errorf("stored summary %q does not hold the edit", p.Summary.ExecutiveSummary)
	}
	if p.Version != 2 {
		t.Errorf("version %d after one update, want 2", p.Version)
	}
	if n := countReports(t, store); n != 1 {
		t.Errorf("store holds %d reports, want 1", n)
	}
}

func TestImportZipAndNameCollisions(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"a/template.md", "b/template.md", "__MACOSX/._x.md", "img.png"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(goodReport))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(dir, "reports.zip")
	writeFile(t, archive, buf.Bytes())

	im := &importer.Importer{Store: openStore(t)}
	sum, results := runImport(t, im, archive)
	if sum.Files != 2 || sum.Created != 2 {
		t.Fatalf("summary %+v, want the two Markdown entries created", sum)
	}
	a, b := results[archive+"/a/template.md"], results[archive+"/b/template.md"]
	if a.ID != "template" || b.ID != "template-2" {
		t.Errorf("ids %q and %q, want template and template-2", a.ID, b.ID)
	}
}

func TestImportCorpusHasNoFailures(t *testing.T) {
	reports := corpus.Reports(t)
	store := openStore(t)
	im := &importer.Importer{Store: store}
	sum, results := runImport(t, im, reports)
	for name, r := range results {
		if r.Outcome == importer.Failed {
			t.Errorf("%s: %v", name, r.Err)
		}
	}
	if sum.Files < 240 || sum.Created != sum.Files {
		t.Errorf("summary %+v, want every one of the ~245 files created", sum)
	}
	if n := countReports(t, store); n != sum.Files {
		t.Errorf("store holds %d reports for %d files", n, sum.Files)
	}
}

func TestReportNamedByUUIDGetsItsTitleAsID(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "655ee350-a86f-424b-89c5-f80cc0fe527e.md")
	writeFile(t, name, []byte("---\ntitle: Platform.sh EU région outage\n---\n\nProse.\n"))
	_, results := runImport(t, &importer.Importer{Store: openStore(t)}, name)
	if id := results[name].ID; id != "platform-sh-eu-region-outage" {
		t.Errorf("id %q, want one made from the title", id)
	}
}

func TestSameFolderTwiceInOneRunUpdatesOnce(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "reports", "a.md"), []byte(goodReport))
	store := openStore(t)
	folder := filepath.Join(dir, "reports")
	sum, _ := runImport(t, &importer.Importer{Store: store}, folder, folder)
	if sum.Created != 1 || sum.Unchanged != 1 {
		t.Errorf("summary %+v, want one created and one unchanged", sum)
	}
	if n := countReports(t, store); n != 1 {
		t.Errorf("store holds %d reports, want 1", n)
	}
}

func TestIdentityIsTheFileNotItsName(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a", "notes", "incident.md")
	b := filepath.Join(dir, "b", "notes", "incident.md")
	writeFile(t, a, []byte("# Team A outage\n\n## Summary\n\nA.\n"))
	writeFile(t, b, []byte("# Team B outage\n\n## Summary\n\nB.\n"))
	store := openStore(t)
	im := &importer.Importer{Store: store}

	runImport(t, im, filepath.Join(dir, "a", "notes"))
	sum, _ := runImport(t, im, filepath.Join(dir, "b", "notes"))
	if sum.Created != 1 {
		t.Errorf("a file of the same name in another folder: %+v, want it created", sum)
	}
	// The same file named another way is the same report.
	sum, _ = runImport(t, im, dir, a)
	if sum.Unchanged != 3 || sum.Created != 0 {
		t.Errorf("re-import through the parent folder and by file: %+v, want 3 unchanged", sum)
	}
	if n := countReports(t, store); n != 2 {
		t.Errorf("store holds %d reports, want 2", n)
	}
}

func TestFolderSkipsWhatIsNotText(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "good.md"), []byte(goodReport))
	writeFile(t, filepath.Join(dir, "prog"), []byte("\x7fELF\x00\x00binary"))
	writeFile(t, filepath.Join(dir, "logo.png"), []byte("\x89PNG\x00"))
	sum, results := runImport(t, &importer.Importer{Store: openStore(t)}, dir)
	if sum.Failed != 0 || sum.Skipped != 1 || sum.Created != 1 {
		t.Errorf("summary %+v, want the binary skipped, the png ignored, the report created", sum)
	}
	if r := results[filepath.Join(dir, "prog")]; r.Outcome != importer.Skipped {
		t.Errorf("binary without extension: %s (%v), want skipped", r.Outcome, r.Err)
	}
}

func TestZipEntriesOutsideTheArchiveAreSkipped(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"../../evil.md", "ok/report.md", "inner.zip"} {
		w, _ := zw.Create(name)
		w.Write([]byte(goodReport))
	}
	zw.Close()
	archive := filepath.Join(dir, "odd.zip")
	writeFile(t, archive, buf.Bytes())
	sum, results := runImport(t, &importer.Importer{Store: openStore(t)}, archive)
	if sum.Created != 1 || sum.Skipped != 2 {
		t.Errorf("summary %+v, want 1 created and 2 skipped", sum)
	}
	r := results[archive+"/../../evil.md"]
	if r.Outcome != importer.Skipped || !strings.Contains(r.Err.Error(), "outside the archive") {
		t.Errorf("climbing entry: %s %v", r.Outcome, r.Err)
	}
}

func TestEmptyFolderIsReported(t *testing.T) {
	dir := t.TempDir()
	sum, results := runImport(t, &importer.Importer{Store: openStore(t)}, dir)
	if r := results[dir]; sum.Failed != 1 || !strings.Contains(r.Err.Error(), "no Markdown files") {
		t.Errorf("summary %+v, result %+v; want the empty folder reported", sum, r)
	}
}

func TestLinkedFolderAndFilesThatAreNotMarkdown(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "real", "a.md"), []byte(goodReport))
	writeFile(t, filepath.Join(dir, "all.json"), []byte(`{"format":"debrief"}`))
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "real"), link); err != nil {
		t.Skip(err)
	}
	store := openStore(t)
	im := &importer.Importer{Store: store}
	sum, results := runImport(t, im, link, filepath.Join(dir, "all.json"))
	if sum.Created != 1 {
		t.Errorf("linked folder: %+v, want its report created", sum)
	}
	r := results[filepath.Join(dir, "all.json")]
	if r.Outcome != importer.Failed || !strings.Contains(r.Err.Error(), "not a Markdown file") {
		t.Errorf("a JSON file named on the command line: %s %v", r.Outcome, r.Err)
	}
	// The same report through the real folder is the same record.
	sum, _ = runImport(t, &importer.Importer{Store: store}, filepath.Join(dir, "real"))
	if sum.Unchanged != 1 {
		t.Errorf("through the real folder: %+v, want unchanged", sum)
	}
}

// TestDiscoverNamesWhatTheUserNamed: files under a linked folder are named
// through the link, as the user typed it, and keyed by the real file, so
// that the same file through either path is the same report.
func TestDiscoverNamesWhatTheUserNamed(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "real", "a.md"), []byte(goodReport))
	link := filepath.Join(dir, "link")
	if err := os.Symlink(filepath.Join(dir, "real"), link); err != nil {
		t.Skip(err)
	}
	found := importer.Discover([]string{link, filepath.Join(dir, "missing")})
	defer found.Close()

	real, err := filepath.EvalSymlinks(filepath.Join(dir, "real", "a.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(found.Documents) != 1 {
		t.Fatalf("documents %+v, want the one under the link", found.Documents)
	}
	d := found.Documents[0]
	if d.Name != filepath.Join(link, "a.md") || d.Key != filepath.ToSlash(real) {
		t.Errorf("name %q and key %q; want the link's path and the real file's", d.Name, d.Key)
	}
	if len(found.Unread) != 1 || found.Unread[0].Outcome != importer.Failed {
		t.Errorf("unread %+v, want the missing path failed", found.Unread)
	}
}

// TestExportOfAReportSavedBySomeoneIsUnchanged: the export names who saved
// the report last; importing it back unchanged changes nothing, and an
// edited export is saved as the import's own change, not as theirs.
func TestExportOfAReportSavedBySomeoneIsUnchanged(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	p := &debrief.Postmortem{ID: "cache", Title: "Cache outage", UpdatedBy: "alice"}
	if err := store.SavePostmortem(ctx, p); err != nil {
		t.Fatal(err)
	}
	var export bytes.Buffer
	if err := markdown.Write(&export, p); err != nil {
		t.Fatal(err)
	}
	name := filepath.Join(t.TempDir(), "cache.md")
	writeFile(t, name, export.Bytes())

	_, results := runImport(t, &importer.Importer{Store: store}, name)
	if r := results[name]; r.Outcome != importer.Unchanged || r.ID != "cache" {
		t.Errorf("import of the export: %s %s (%v), want unchanged cache", r.Outcome, r.ID, r.Err)
	}
	stored, err := store.Postmortem(ctx, "cache")
	if err != nil {
		t.Fatal(err)
	}
	if stored.Version != 1 || stored.UpdatedBy != "alice" {
		t.Errorf("after the import: version %d by %q, want 1 by alice still",
			stored.Version, stored.UpdatedBy)
	}

	edited := bytes.Replace(export.Bytes(), []byte("Cache outage"), []byte("Cache stampede"), 1)
	writeFile(t, name, edited)
	_, results = runImport(t, &importer.Importer{Store: store}, name)
	if r := results[name]; r.Outcome != importer.Updated {
		t.Fatalf("import of the edited export: %s (%v), want updated", r.Outcome, r.Err)
	}
	if stored, _ = store.Postmortem(ctx, "cache"); stored.UpdatedBy != "" || stored.Version != 2 {
		t.Errorf("after the edit: version %d by %q, want 2 by nobody named",
			stored.Version, stored.UpdatedBy)
	}
}
