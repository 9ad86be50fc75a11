package web

import (
	"strings"

	"github.com/debrief-oss/debrief/markdown"
)

// maxSummarySource bounds how much of a field a list summary strips: the
// summary shows a few hundred characters, and a list page has many rows.
const maxSummarySource = 8 << 10

// summaryText is the start of a Markdown field as plain text, cut to at most
// n characters at a word boundary.
func summaryText(n int, s string) string {
	if len(s) > maxSummarySource {
		s = strings.ToValidUTF8(s[:maxSummarySource], "")
	}
	return shorten(n, markdown.PlainText(s))
}
