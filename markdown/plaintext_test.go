package markdown

import (
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

func TestPlainText(t *testing.T) {
	const s, e = debrief.HighlightStart, debrief.HighlightEnd
	tests := []struct{ name, in, want string }{
		{"emphasis", "For **64 minutes** and *most* __users__ _now_",
			"For 64 minutes and most users now"},
		{"nested", "***very*** **bold**, text", "very bold, text"},
		{"code", "moved from `200` to ``20``", "moved from 200 to 20"},
		{"strike", "~~wrong~~ right", "wrong right"},
		{"link", "see [the runbook](https://example.com/rb \"t\") and ![graph](g.png)",
			"see the runbook and graph"},
		{"reference link", "see [the runbook][rb]", "see the runbook"},
		{"autolink and html", "<https://example.com> a<br>b <kbd>Ctrl</kbd>",
			"https://example.com a b Ctrl"},
		{"blocks", "## Background\n\n> quoted\n- [x] done\n1. first\n---\n| a | b |\n|---|:-:|",
			"Background quoted done first a b"},
		{"fence", "```go\nx := 1\n```", "x := 1"},
		{"escapes and entities", `\*not emphasis\* &amp; 5 &lt; 6`, "*not emphasis* & 5 < 6"},
		{"left alone", "pool_size_max is 2 * 3 - 1, ~5 min, C:\\temp",
			"pool_size_max is 2 * 3 - 1, ~5 min, C:\\temp"},
		{"cut snippet", "…the pool size moved from `200…", "…the pool size moved from 200…"},
		{"cut link", "runbook](https://example.com/rb) then", "runbook then"},
		{"markers kept", "For **64 " + s + "minutes" + e + "** and [" + s + "doc" + e + "](x)",
			"For 64 " + s + "minutes" + e + " and " + s + "doc" + e},
		{"utf-8", "**blåbær** _søk_", "blåbær søk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PlainText(tt.in); got != tt.want {
				t.Errorf("PlainText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"**a**", "[a](b)", "[[a]](", "<a <b>", "|-|", "\\", "_x_",
		"# h", "![", "<", "`", "&amp;", "\\*x\\*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := PlainText(s)
		if strings.ContainsAny(got, "\n\t") {
			t.Errorf("PlainText(%q) = %q is not one line", s, got)
		}
		if again := PlainText(got); len(again) > len(got) {
			t.Errorf("PlainText grew %q to %q", got, again)
		}
	})
}
