package timeline

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/internal/corpus"
	"github.com/debrief-oss/debrief/timestamp"
)

var (
	reTimelineHeading = regexp.MustCompile(`(?i)^(#{1,4})\s.*timeline`)
	reFileDate        = regexp.MustCompile(`(\d{4})-(\d{2})-(\d{2})`)
	reWord            = regexp.MustCompile(`[\p{L}\p{N}]{3,}`)
)

// timelineSection returns the timeline section of a Markdown report, from
// its heading to the next heading of the same or a higher level.
func timelineSection(text string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		m := reTimelineHeading.FindStringSubmatch(l)
		if m == nil {
			continue
		}
		end := len(lines)
		for j := i + 1; j < len(lines); j++ {
			hashes := len(lines[j]) - len(strings.TrimLeft(lines[j], "#"))
			if hashes > 0 && hashes <= len(m[1]) && strings.HasPrefix(lines[j][hashes:], " ") {
				end = j
				break
			}
		}
		return strings.Join(lines[i:end], "\n")
	}
	return ""
}

// TestCorpusTimelines feeds the timeline sections of the corpus reports,
// verbatim and read in place, to FromText: no line's words may be lost,
// and every moment must lie near the report's own date.
func TestCorpusTimelines(t *testing.T) {
	root := corpus.Reports(t)
	var sections int
	for _, dir := range []string{"chia", "posthog", "dfds"} {
		walk := func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			section := timelineSection(string(data))
			if section == "" {
				return nil
			}
			sections++
			rel, _ := filepath.Rel(root, p)
			checkSection(t, rel, section)
			return nil
		}
		if err := filepath.WalkDir(filepath.Join(root, dir), walk); err != nil {
			t.Fatal(err)
		}
	}
	if sections < 30 {
		t.Errorf("only %d timeline sections found in the corpus", sections)
	}
}

func checkSection(t *testing.T, name, section string) {
	t.Helper()
	var o Options
	var fileDate time.Time
	if m := reFileDate.FindString(filepath.Base(name)); m != "" {
		fileDate, _ = time.Parse("2006-01-02", m)
		o.Date = fileDate
	}
	events, _ := FromText(section, o)

	var out strings.Builder
	for _, e := range events {
		out.WriteString(e.TimeText + " " + e.Text + "\n")
	}
	written := out.String()
	for i, line := range strings.Split(section, "\n") {
		if contextLine(line) {
			continue
		}
		for _, w := range reWord.FindAllString(line, -1) {
			if !strings.Contains(written, w) {
				t.Errorf("%s: line %d: %q lost (%q)", name, i+1, w, line)
				break
			}
		}
	}
	for _, e := range events {
		checkMoment(t, name, e, fileDate)
	}
}

// contextLine reports lines FromText takes as context rather than events:
// headings, fences, table rules and headers, zone notes, lone dates.
func contextLine(line string) bool {
	l := strings.TrimSpace(line)
	switch {
	case strings.HasPrefix(l, "#"), strings.HasPrefix(l, "```"),
		strings.HasPrefix(l, "|") && (strings.Contains(l, "---") || strings.Contains(l, "Time")),
		strings.HasPrefix(strings.ToLower(l), "all times"):
		return true
	}
	l = strings.Trim(l, "*_ ")
	t, rest, ok := timestamp.NewParser().ParsePrefix(l)
	return ok && rest == "" && t.Precision == timestamp.PrecisionDate
}

// checkMoment checks that a moment lies near the report's date (when its
// file name gives one: reports are written within months of the incident
// and cover weeks at most) and that a flagged event has no moment.
func checkMoment(t *testing.T, name string, e debrief.TimelineEvent, fileDate time.Time) {
	t.Helper()
	if e.Time.IsZero() {
		return
	}
	if e.Time.Location() != time.UTC {
		t.Errorf("%s: %q not in UTC", name, e.TimeText)
	}
	if e.Flag == debrief.FlagImpossible || e.Flag == debrief.FlagUnparsed {
		t.Errorf("%s: %q flagged %s with a moment", name, e.TimeText, e.Flag)
	}
	if fileDate.IsZero() {
		return
	}
	if e.Time.Before(fileDate.AddDate(-1, 0, -1)) || e.Time.After(fileDate.AddDate(0, 1, 1)) {
		t.Errorf("%s: %q read as %v, far from the report's date %v", name, e.TimeText,
			e.Time, fileDate.Format(time.DateOnly))
	}
}
