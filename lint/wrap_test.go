package lint

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHardWrappedAndHiddenWords checks that a line wrapped inside a
// paragraph, a hyphenated "human-error", and invisible characters (zero-
// width space, soft hyphen, direction controls) hide no finding, and that
// a finding's span still points at the words in the text as written.
func TestHardWrappedAndHiddenWords(t *testing.T) {
	c := New(Roster{})
	tests := []struct {
		text  string
		rule  string
		words string // the finding's span in text
	}{
		{"The outage was caused by human\nerror in the deploy.", "blame.human-error",
			"human\nerror"},
		{"The on-call engineer should\nhave checked the replica lag.",
			"blame.counterfactual", "should\nhave checked"},
		{"Priya\nRaman forgot to renew the certificate.", "pii.name", "Priya\nRaman"},
		{"- Priya forgot to\n  renew the certificate.", "blame.person-failed", "forgot to"},
		{"It was a human-error incident.", "blame.human-error", "human-error"},
		{"Root cause: hu\u200bman error.", "blame.human-error", "hu\u200bman error"},
		{"Root cause: human\u00ad error.", "blame.human-error", "human\u00ad error"},
		{"Root cause: human \u202eerror\u202c.", "blame.human-error", "human \u202eerror"},
		{"Alice for\u200bgot to renew the certificate.", "blame.person-failed",
			"for\u200bgot to"},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range c.Text("s", tt.text) {
			if f.Rule == tt.rule {
				got = append(got, tt.text[f.Start:f.End])
			}
		}
		if diff := cmp.Diff([]string{tt.words}, got); diff != "" {
			t.Errorf("%q: %s spans (-want +got):\n%s", tt.text, tt.rule, diff)
		}
	}
	// A line that ends a heading, a list item or a sentence still ends it.
	for _, text := range []string{
		"## Summary\nPriya Raman was paged.",
		"The cluster failed.\nPriya Raman was paged.",
		"- The cluster failed\n- Priya Raman was paged",
	} {
		for _, f := range c.Text("s", text) {
			if f.Rule == "pii.name" && text[f.Start:f.End] != "Priya Raman" {
				t.Errorf("%q: name %q runs across lines", text, text[f.Start:f.End])
			}
		}
	}
}
