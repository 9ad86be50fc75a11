package timeline

import (
	"regexp"
	"strings"

	"github.com/debrief-oss/debrief/timestamp"
)

// entry reads the time at the start of content as the next entry of the
// run, with one reading the timestamp package does not make itself: an
// offset after a space, "09:14:00 +0200", as git and many logs write it,
// is the time's zone. (An abbreviation the report's zone uses for its own
// time, "CST" in Asia/Shanghai, the timestamp package reads in that zone.)
// The time's Text stays as written.
func (b *textReader) entry(content string) (timestamp.Time, string, bool) {
	alt := joinOffset(content)
	if alt == content {
		return b.p.EntryPrefix(content)
	}
	t, rest, ok := b.p.ParsePrefix(alt)
	if !ok || !strings.HasSuffix(content, rest) {
		return b.p.EntryPrefix(content)
	}
	t, rest, ok = b.p.EntryPrefix(alt)
	if ok && alt != content && strings.HasSuffix(content, rest) {
		t.Text = strings.Trim(content[:len(content)-len(rest)], " \t*_[]`,;:|-")
	}
	return t, rest, ok
}

// reSpacedOffset finds a clock followed by a space and a zone offset.
var reSpacedOffset = regexp.MustCompile(
	`^[^\n]{0,30}?\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?( )[+-](?:0\d|1[0-4]):?(?:00|30|45)\b`)

// joinOffset removes the space between a clock and its offset near the
// start of content, so that the timestamp package reads the offset.
func joinOffset(content string) string {
	m := reSpacedOffset.FindStringSubmatchIndex(content)
	if m == nil {
		return content
	}
	return content[:m[2]] + content[m[3]:]
}
