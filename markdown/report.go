package markdown

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/timestamp"
)

// reportReader reads a postmortem written by people, in whatever shape,
// by the meaning of its headings. Nothing the author wrote is dropped: what
// maps to no field is kept in Sections, in order.
type reportReader struct {
	doc      Document
	front    map[string]any
	pm       *debrief.Postmortem
	res      *Result
	ts       *timestamp.Parser
	sections []*srcSection
	// h1 is the section of the first level-1 heading when it comes first:
	// its heading is the title and its text the preamble.
	h1      *srcSection
	h1Title string
	// title is the front matter's title, if it gave one.
	title string
	// hasSummary is true when a section or the front matter is the summary.
	hasSummary bool
	impact     []string
	events     int
	zones      map[string]int
	lessons    int
	factors    int
}

// parseReport reads a report that was not written by debrief's exporter.
func parseReport(doc Document, front map[string]any, body []byte, bodyLine int) (*Result, error) {
	r := &reportReader{
		doc:   doc,
		front: front,
		pm: &debrief.Postmortem{
			Status: debrief.StatusFinal,
			Source: debrief.Source{Format: "markdown"},
		},
		ts:    timestamp.NewParser(),
		zones: map[string]int{},
	}
	r.res = &Result{Postmortem: r.pm}
	blocks := scanBlocks(string(body), bodyLine)
	r.sections = splitSections(blocks)
	r.findTitleSection()
	r.readFront()
	r.readTitle()
	r.setDateContext()
	r.readPreamble()
	for _, s := range r.sections {
		if s != r.h1 && s.level > 0 {
			r.readSection(s)
		}
	}
	r.readLinks(blocks)
	r.readSeverityLine(blocks)
	r.finish()
	return r.res, nil
}

// findTitleSection picks the first level-1 heading if no other heading
// comes before it.
func (r *reportReader) findTitleSection() {
	for _, s := range r.sections[1:] {
		if s.level == 1 {
			r.h1, r.h1Title = s, cleanInline(s.heading)
		}
		break
	}
	for _, s := range r.sections {
		if s.kind == sectionSummary && s != r.h1 {
			r.hasSummary = true
		}
	}
}

func (r *reportReader) warn(line int, format string, args ...any) {
	r.res.Warnings = append(r.res.Warnings, Warning{Line: line, Message: fmt.Sprintf(format, args...)})
}

func (r *reportReader) recognise(format string, args ...any) {
	r.res.Recognised = append(r.res.Recognised, fmt.Sprintf(format, args...))
}

// readTitle takes the title from the front matter, else the first H1, else
// the file name.
func (r *reportReader) readTitle() {
	title := r.title
	if title == "" {
		title = r.h1Title
	}
	found := "title"
	if title == "" {
		found = "title (from the file name)"
		base := path.Base(strings.ReplaceAll(r.doc.Name, `\`, "/"))
		title = strings.TrimSuffix(base, path.Ext(base))
		if strings.HasSuffix(strings.ToLower(base), ".md") || path.Ext(base) == "" {
			title = strings.TrimSuffix(strings.TrimSuffix(base, ".md"), ".markdown")
		}
		if title != "" {
			r.warn(0, "no title in the report; using the file name %q", title)
		}
	}
	if title == "" {
		// Nothing named the report: a placeholder is not a recognised part.
		title, found = "Untitled report", ""
	}
	r.pm.Title = title
	r.pm.Incident.Title = title
	if found != "" {
		r.recognise("%s", found)
	}
}

var reFileDate = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})`)

// setDateContext dates the times that carry no date: from the incident
// start in the front matter, a date in the title, or the file name. A file
// name such as "PM2022-006 …" gives only a year and no date is invented.
func (r *reportReader) setDateContext() {
	if t := r.pm.Incident.StartedAt; !t.IsZero() {
		r.ts.SetDate(t.Year(), int(t.Month()), t.Day())
		return
	}
	if y, m, d, ok := r.ts.FindDate(r.pm.Title); ok {
		r.ts.SetDate(y, m, d)
		return
	}
	name := strings.ReplaceAll(r.doc.Name, `\`, "/")
	if m := reFileDate.FindStringSubmatch(path.Base(name)); m != nil {
		r.ts.SetDate(atoiSafe(m[1]), atoiSafe(m[2]), atoiSafe(m[3]))
		return
	}
	if y, ok := timestamp.FindYear(name); ok {
		r.ts.SetYear(y)
	}
}

// readPreamble places the text before the first heading (or under the
// title): the summary when the report has none, the narrative when the
// front matter holds the summary, else a free section.
func (r *reportReader) readPreamble() {
	var blocks []srcBlock
	blocks = append(blocks, r.sections[0].blocks...)
	if r.h1 != nil {
		blocks = append(blocks, r.h1.blocks...)
	}
	text := r.sections[0].markdownOf(blocks)
	if text == "" {
		return
	}
	switch {
	case !r.hasSummary:
		r.pm.Summary.ExecutiveSummary = text
		r.hasSummary = true
	case r.pm.Summary.ExecutiveSummary != "" && r.pm.Summary.Narrative == "" &&
		!r.hasSection(sectionNarrative):
		r.pm.Summary.Narrative = text
	default:
		r.keep(r.h1Title, text)
	}
}

func (r *reportReader) hasSection(kind sectionKind) bool {
	for _, s := range r.sections {
		if s.kind == kind {
			return true
		}
	}
	return false
}

// keep stores text that maps to no field, so nothing is lost.
func (r *reportReader) keep(heading, body string) {
	heading = cleanInline(heading)
	if heading == "" && body == "" {
		return
	}
	r.pm.Sections = append(r.pm.Sections, debrief.Section{Heading: heading, Body: body})
}

// readSection maps one section into the model by its kind.
func (r *reportReader) readSection(s *srcSection) {
	a := &r.pm.Analysis
	switch s.kind {
	case sectionSummary:
		appendText(&r.pm.Summary.ExecutiveSummary, s.body())
	case sectionNarrative:
		appendText(&r.pm.Summary.Narrative, s.body())
	case sectionRootCause:
		appendText(&a.RootCause, s.body())
	case sectionTrigger:
		appendText(&a.Trigger, s.body())
	case sectionDetection:
		appendText(&a.Detection, s.body())
	case sectionResolution:
		appendText(&a.Resolution, s.body())
	case sectionImpact:
		r.impact = append(r.impact, s.body())
	case sectionTimeline:
		r.readTimeline(s)
	case sectionFactors:
		r.readFactors(s)
	case sectionLessons:
		r.readLessons(s)
	case sectionActions:
		r.readActions(s)
	case sectionAttendees:
		r.readAttendees(s)
	default:
		r.keep(s.heading, s.markdownOf(s.blocks))
	}
}

func appendText(field *string, text string) {
	if text == "" {
		return
	}
	if *field != "" {
		*field += "\n\n"
	}
	*field += text
}

var reInlineNoise = regexp.MustCompile(`\*\*|__|` + "`")

// cleanInline strips emphasis from a heading or a one-line text.
func cleanInline(s string) string {
	return strings.TrimSpace(reInlineNoise.ReplaceAllString(s, ""))
}

func atoiSafe(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' || n > 1e6 {
			break
		}
		n = n*10 + int(c-'0')
	}
	return n
}
