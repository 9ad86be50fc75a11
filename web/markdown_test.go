package web

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// costlyMarkdown are sources that goldmark formats slowly, or into far more
// HTML than they hold, each a little over the limit it tests.
func costlyMarkdown() map[string]string {
	var indented strings.Builder
	for i := range 40 {
		indented.WriteString(strings.Repeat("  ", i) + "- level\n")
	}
	return map[string]string{
		"dashes on one line": strings.Repeat(strings.Repeat("- ", 40)+"level\n", 50),
		"indented list":      indented.String(),
		"block quotes":       strings.Repeat(">", 40) + " quoted\n",
		"ordered and quoted": strings.Repeat("1. > ", 20) + "x\n",
		"open brackets":      strings.Repeat("[", 5000) + strings.Repeat("]", 5000),
		"unclosed links":     strings.Repeat("[a](\n", 3000),
		"padded table": "|" + strings.Repeat("a|", 500) + "\n|" + strings.Repeat("-|", 500) +
			"\n" + strings.Repeat("x\n", 200),
		"copied reference": "[a]: /" + strings.Repeat("x", 20000) + "\n\n" +
			strings.Repeat("[a]", 2000),
		"too long": strings.Repeat("Plain words. ", maxMarkdownBytes/13+1),
	}
}

func TestCostlyMarkdownShownAsWritten(t *testing.T) {
	m := newMarkdownRenderer()
	for name, src := range costlyMarkdown() {
		t.Run(name, func(t *testing.T) {
			got := string(m.Render(src))
			assertContains(t, name, got, `<p class="as-written-note">`, `<pre class="as-written">`)
			if len(got) > 2*len(src)+200 {
				t.Errorf("%d bytes of HTML from %d of Markdown", len(got), len(src))
			}
		})
	}
}

// TestOrdinaryMarkdownFormatted guards the limits from the other side:
// nesting, links and tables a real report has are formatted as before.
func TestOrdinaryMarkdownFormatted(t *testing.T) {
	var nested strings.Builder
	for i := range 12 {
		nested.WriteString(strings.Repeat("    ", i) + "- level\n")
	}
	tests := map[string]struct{ src, want string }{
		"nested list": {nested.String(), "<ul>\n<li>level\n<ul>"},
		"quotes":      {"> > > deep enough\n", "<blockquote>\n<blockquote>"},
		"links": {strings.Repeat("See [the runbook](https://example.com/runbook) now. ", 500),
			`<a href="https://example.com/runbook" rel="nofollow">the runbook</a>`},
		"table": {"| a | b |\n|---|---|\n" + strings.Repeat("| 1 | 2 |\n", 1000),
			"<td>1</td>"},
		"code": {"```\n" + strings.Repeat(" ", 100) + "deep = [[1], [2]]\n```\n", "<pre><code>"},
	}
	m := newMarkdownRenderer()
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			got := string(m.Render(tt.src))
			assertContains(t, name, got, tt.want)
			assertNotContains(t, name, got, "as-written")
		})
	}
}

// TestDeepListReportStaysSmallAndFast is the report a user found: a body of
// megabytes of "- - - … level" lines, two thousand levels deep.
func TestDeepListReportStaysSmallAndFast(t *testing.T) {
	body := strings.Repeat(strings.Repeat("- ", 2000)+"level\n", 1000)
	p := fullReport()
	p.Summary.Narrative = body

	_, b := readerServer(t, openStore(t, p))
	start := time.Now()
	res := b.fetch("/postmortems/pm-2024-031")
	took := time.Since(start)

	if res.status != 200 {
		t.Fatalf("status = %d", res.status)
	}
	if len(res.body) > 2*len(body) {
		t.Errorf("page is %d bytes for a %d-byte body", len(res.body), len(body))
	}
	if took > 2*time.Second {
		t.Errorf("page took %v", took)
	}
	assertContains(t, "report", res.body,
		"This text is shown as written: it is too long to format.",
		"- - - - level", // the rest of the report is still formatted:
		"For <strong>64 minutes</strong> checkout failed")
}

// TestPageMarkdownBudget: many fields, each just under the limits, share a
// budget; once it is spent the rest are shown as written.
func TestPageMarkdownBudget(t *testing.T) {
	page := newMarkdownRenderer().page()
	field := strings.Repeat("Some *words* here. ", (maxMarkdownBytes-1)/19)

	formatted := 0
	for range 2 * maxPageMarkdownBytes / len(field) {
		if !strings.Contains(string(page.Render(field)), "as-written") {
			formatted++
		}
	}
	if want := maxPageMarkdownBytes / len(field); formatted != want {
		t.Errorf("%d fields formatted, want %d", formatted, want)
	}
	got := string(page.Render(field))
	assertContains(t, "spent budget", got, "this page has too much text to format")
}

func TestLineDepth(t *testing.T) {
	tests := []struct {
		line string
		want int
	}{
		{"plain text\n", 0},
		{"- item\n", 1},
		{"  - item\n", 2},
		{"    - item\n", 3},
		{"\t- item\n", 3},
		{"- - - x\n", 4},
		{"> > quote\n", 3},
		{">>>quote\n", 3},
		{"12. item\n", 1},
		{"1) > x\n", 3},
		{"-not a list\n", 0},
		{"***\n", 0},
		{"2024. was a year\n", 1},
		{strings.Repeat(" ", 80) + "code\n", 0},
		{"-", 1},
	}
	for _, tt := range tests {
		if got := lineDepth(tt.line); got != tt.want {
			t.Errorf("lineDepth(%q) = %d, want %d", tt.line, got, tt.want)
		}
	}
}

func BenchmarkMarkdown(b *testing.B) {
	cases := costlyMarkdown()
	cases["ordinary report"] = strings.Repeat("## Heading\n\nSome *text* with `code` "+
		"and a [link](https://example.com).\n\n- one\n- two\n  - three\n\n"+
		"| a | b |\n|---|---|\n| 1 | 2 |\n\n", 400)
	// Just under the limits: the most a field can cost and still be formatted.
	cases["brackets under the limit"] = strings.Repeat("[", 4000) + strings.Repeat("]", 4000)
	cases["emphasis under the limit"] = strings.Repeat("*a ~~b ", (maxMarkdownBytes-1)/7)
	cases["31 levels under the limit"] = strings.Repeat(strings.Repeat("- ", 20)+"x\n", 1500)
	cases["deep list, 4 MB"] = strings.Repeat(strings.Repeat("- ", 2000)+"level\n", 1000)

	m := newMarkdownRenderer()
	for name, src := range cases {
		b.Run(fmt.Sprintf("%s/%dKiB", name, len(src)>>10), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				m.Render(src)
			}
		})
	}
}
