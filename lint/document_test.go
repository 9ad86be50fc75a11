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

// TestIdentifierIsNoWord checks that a person's e-mail, handle, home
// directory or a tool named after them does not turn their name into an
// ordinary word of the report, which would hide the name and the blame
// (and leave the name in a redacted copy).
func TestIdentifierIsNoWord(t *testing.T) {
	tests := []struct{ text, name string }{
		{"Priya Raman forgot to renew the certificate. Contact @priya on Slack.", "Priya Raman"},
		{"Priya Raman forgot to renew the certificate. Mail priya@example.com.", "Priya Raman"},
		{"Priya Raman forgot to renew the certificate. Ask priya in chat.", "Priya Raman"},
		{"Priya Raman forgot to renew the certificate. The priya-exporter crashed.",
			"Priya Raman"},
		{"Dana Whitfield forgot to renew the certificate. Ping @dana.", "Dana Whitfield"},
		{"Ahmed Khan forgot to renew it. The key was in /home/ahmed/.ssh.", "Ahmed Khan"},
		{"Carl forgot to restart the pod. The script is `carl.sh`.", "Carl"},
	}
	for _, tt := range tests {
		c := New(Roster{Systems: DocumentSystems(tt.text)})
		var rules, names []string
		for _, f := range c.Text("document", tt.text) {
			rules = append(rules, f.Rule)
			if f.Rule == "pii.name" {
				names = append(names, tt.text[f.Start:f.End])
			}
		}
		if !slices.Contains(names, tt.name) || !slices.Contains(rules, "blame.person-failed") {
			t.Errorf("%q: names %q, rules %q; want %q named and blame.person-failed",
				tt.text, names, rules, tt.name)
		}
	}
}
