package importer_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/importer"
	"github.com/debrief-oss/debrief/markdown"
)

// TestDecide: what a document does to the stored reports, as an import
// sent to a server sees it before anything is written.
func TestDecide(t *testing.T) {
	ctx := context.Background()
	store := openStore(t)
	p := &debrief.Postmortem{ID: "cache", Title: "Cache outage",
		Source: debrief.Source{Path: "/srv/pm/cache.md", Digest: "d1"}}
	for _, summary := range []string{"The cache fell over.", "The cache ran out of memory."} {
		p.Summary.ExecutiveSummary = summary
		if err := store.SavePostmortem(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	stored, err := store.Postmortem(ctx, "cache")
	if err != nil {
		t.Fatal(err)
	}

	foreign := func(title string) *markdown.Result {
		return &markdown.Result{Postmortem: &debrief.Postmortem{Title: title}}
	}
	// export is debrief's own export of the stored report at a version,
	// with its summary edited unless summary is empty.
	export := func(id string, version int, summary string) *markdown.Result {
		p := *stored
		p.ID, p.Version = id, version
		if summary != "" {
			p.Summary.ExecutiveSummary = summary
		}
		return &markdown.Result{Postmortem: &p, Native: true}
	}
	type decision struct {
		Outcome importer.Outcome
		ID      string
		Version int
		Restore bool
		Kind    debrief.Kind
	}
	tests := []struct {
		name        string
		doc         *markdown.Result
		key, digest string
		want        decision
	}{
		{"same bytes again", foreign("Cache outage"), "/srv/pm/cache.md", "d1",
			decision{Outcome: importer.Unchanged, ID: "cache"}},
		{"edited file", foreign("Cache outage"), "/srv/pm/cache.md", "d2",
			decision{Outcome: importer.Updated, ID: "cache", Version: 2}},
		{"same name elsewhere", foreign("Other"), "/srv/other/cache.md", "d3",
			decision{Outcome: importer.Created, ID: "cache-2"}},
		{"a Windows path", foreign("Disk"), `C:\pm\disk full.md`, "d4",
			decision{Outcome: importer.Created, ID: "disk-full"}},
		{"named by a UUID", foreign("Région outage"),
			"/srv/655ee350-a86f-424b-89c5-f80cc0fe527e.md", "d5",
			decision{Outcome: importer.Created, ID: "region-outage"}},
		{"export unchanged", export("cache", 2, ""), "/x/cache.md", "d6",
			decision{Outcome: importer.Unchanged, ID: "cache", Version: 2}},
		{"export edited", export("cache", 2, "Edited."), "/x/cache.md", "d7",
			decision{Outcome: importer.Updated, ID: "cache", Version: 2}},
		{"stale export", export("cache", 1, "Edited."), "/x/cache.md", "d8",
			decision{ID: "cache", Version: 1, Kind: debrief.KindConflict}},
		{"export of a report not stored", export("dns", 3, "DNS."), "/x/dns.md", "d9",
			decision{Outcome: importer.Created, ID: "dns", Version: 3, Restore: true}},
		{"export without id", export("", 1, "No id."), "/x/a.md", "d10",
			decision{Version: 1, Kind: debrief.KindInvalid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := importer.Decide(ctx, store, tt.doc, tt.key, tt.digest)
			got := decision{Outcome: d.Outcome, Restore: d.Restore}
			if err != nil {
				got.Kind = debrief.ErrorKind(err)
			}
			if p := d.Postmortem; p != nil {
				got.ID, got.Version = p.ID, p.Version
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("decision (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
}
