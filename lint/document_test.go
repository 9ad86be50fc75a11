package lint

import (
	"slices"
	"testing"
)

func TestDocumentSystems(t *testing.T) {
	doc := "# Foliage outage\n\nThe Chia node stalled. Each candidate block was slow, and " +
		"Candidate blocks piled up. Will restarted it; we will add an alert. Priya paged " +
		"the Discord bot.\n"
	got := DocumentSystems(doc)
	for _, want := range []string{"Foliage", "Chia", "Candidate", "Discord"} {
		if !slices.Contains(got, want) {
			t.Errorf("DocumentSystems misses %q: %v", want, got)
		}
	}
	for _, person := range []string{"Priya", "Will"} {
		if slices.Contains(got, person) {
			t.Errorf("DocumentSystems takes the person %q for a system: %v", person, got)
		}
	}
	c := New(Roster{Systems: got})
	var names []string
	for _, f := range c.Text("document", doc) {
		if f.Rule == "pii.name" {
			names = append(names, doc[f.Start:f.End])
		}
	}
	if !slices.Contains(names, "Priya") || slices.Contains(names, "Chia") {
		t.Errorf("names found with the document's systems: %v", names)
	}
}
