package lint

import (
	"slices"
	"strings"
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

// FuzzDocumentSystems checks on any text that every word returned is a
// capitalised word of the text.
func FuzzDocumentSystems(f *testing.F) {
	f.Add("# Foliage outage\n\n| Date | Owner |\n|---|---|\n| 2024 | Priya |\nThe Chia node.")
	f.Add("   ### \t\n|x|\n | :--- |\nPods and the pod.")
	f.Fuzz(func(t *testing.T, text string) {
		for _, w := range DocumentSystems(text) {
			if !isCapitalised(w) || !strings.Contains(text, w) {
				t.Fatalf("DocumentSystems returned %q, not a capitalised word of the text", w)
			}
		}
	})
}
