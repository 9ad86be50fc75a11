package markdown

import (
	"regexp"
	"strings"

	"github.com/debrief-oss/debrief"
)

// sectionKind is what a heading means in the postmortem template.
type sectionKind int

const (
	sectionUnknown sectionKind = iota
	sectionSummary
	sectionNarrative
	sectionTimeline
	sectionImpact
	sectionDetection
	sectionRootCause
	sectionTrigger
	sectionFactors
	sectionResolution
	sectionLessons
	sectionActions
	sectionAttendees
	sectionQA
)

// srcSection is a heading and the blocks under it, up to the next heading.
// The preamble before the first heading has level 0.
type srcSection struct {
	heading string
	level   int
	line    int
	kind    sectionKind
	// inherited is true when the heading itself means nothing to the
	// template and the kind comes from the enclosing section
	// ("### Immediate Actions" under "## Remediation").
	inherited  bool
	lessonKind debrief.LessonKind
	blocks     []srcBlock
}

// headingRules map heading words to kinds. Order matters: "Timeline summary"
// is a timeline, "Impact summary" an impact, "Root cause analysis" a cause.
var headingRules = []struct {
	re   *regexp.Regexp
	kind sectionKind
}{
	{regexp.MustCompile(`\bq\s*&\s*a\b|\bq and a\b|\bfaq\b|\bquestions\b`), sectionQA},
	{regexp.MustCompile(`at+endee|participant|^(?:postmortem |incident )?team$|^people$`),
		sectionAttendees},
	{regexp.MustCompile(`went well|went wrong|went poorly|went badly|didn.?t go well|` +
		`did not go well|gone better|lucky|lessons?|learnings?|takeaways?|reflections?`),
		sectionLessons},
	{regexp.MustCompile(`timeline|time line|sequence of events|chronology|^events$`),
		sectionTimeline},
	{regexp.MustCompile(`action items?|actions|remediation|follow.?ups?|corrective|` +
		`prevent(?:at)?ive|^prevention$|preventing|next steps|^to ?dos?$|^tasks$|action plan`),
		sectionActions},
	{regexp.MustCompile(`contributing|factors|^findings$`), sectionFactors},
	{regexp.MustCompile(`trigger`), sectionTrigger},
	{regexp.MustCompile(`root cause|\bcauses?\b|underlying issue|why did (?:it|this) happen`),
		sectionRootCause},
	{regexp.MustCompile(`detect`), sectionDetection},
	{regexp.MustCompile(`resolution|recovery|mitigation|^fix$|how (?:it|we) (?:was )?fixed`),
		sectionResolution},
	{regexp.MustCompile(`impact|blast radius`), sectionImpact},
	{regexp.MustCompile(`what happened|how did (?:it|this) happen|^description|` +
		`incident description|^details$`),
		sectionNarrative},
	{regexp.MustCompile(`summary|overview|tl;?dr|^abstract$`), sectionSummary},
}

// classifyHeading returns the kind a heading names, or sectionUnknown.
func classifyHeading(heading string) sectionKind {
	h := normalHeading(heading)
	for _, r := range headingRules {
		if r.re.MatchString(h) {
			return r.kind
		}
	}
	return sectionUnknown
}

var reHeadingNoise = regexp.MustCompile(`^[\d.)\s]+|[*_` + "`" + `]|\[|\]\([^)]*\)|:$`)

// normalHeading lowercases a heading and strips numbering and emphasis.
func normalHeading(h string) string {
	h = reHeadingNoise.ReplaceAllString(strings.TrimSpace(h), "")
	return strings.TrimSpace(strings.ToLower(h))
}

// lessonKindOf sorts a lessons heading.
func lessonKindOf(heading string) debrief.LessonKind {
	h := normalHeading(heading)
	switch {
	case strings.Contains(h, "went well"):
		return debrief.LessonWentWell
	case strings.Contains(h, "lucky"):
		return debrief.LessonLucky
	case regexp.MustCompile(`wrong|poorly|badly|didn.?t go well|did not go well|gone better`).
		MatchString(h):
		return debrief.LessonWentWrong
	}
	return debrief.LessonGeneral
}

// splitSections groups blocks under their headings and gives each section
// its kind; a subsection whose heading names nothing takes its parent's.
func splitSections(blocks []srcBlock) []*srcSection {
	current := &srcSection{}
	sections := []*srcSection{current}
	for _, b := range blocks {
		if b.kind != blockHeading {
			current.blocks = append(current.blocks, b)
			continue
		}
		current = &srcSection{heading: b.heading, level: b.level, line: b.line}
		current.kind = classifyHeading(b.heading)
		if current.kind == sectionLessons {
			current.lessonKind = lessonKindOf(b.heading)
		}
		inherit(current, sections)
		sections = append(sections, current)
	}
	return sections
}

// inherit gives an unnamed subsection the kind of the section it belongs to.
func inherit(s *srcSection, before []*srcSection) {
	for i := len(before) - 1; i >= 1; i-- {
		parent := before[i]
		if parent.level >= s.level {
			continue
		}
		if s.kind == sectionUnknown && parent.kind != sectionUnknown &&
			parent.kind != sectionQA && parent.kind != sectionAttendees {
			s.kind, s.inherited = parent.kind, true
			s.lessonKind = parent.lessonKind
		}
		if s.kind == sectionLessons && s.lessonKind == debrief.LessonGeneral &&
			parent.kind == sectionLessons {
			s.lessonKind = parent.lessonKind
		}
		return
	}
}

// markdownOf returns the section's blocks as the author wrote them.
func (s *srcSection) markdownOf(blocks []srcBlock) string {
	var parts []string
	for _, b := range blocks {
		parts = append(parts, strings.TrimRight(strings.Join(b.lines, "\n"), "\n "))
	}
	return strings.TrimSpace(strings.Join(parts, "\n\n"))
}

// body returns the whole section as Markdown; an inherited subsection keeps
// its heading so the merged text still reads in order.
func (s *srcSection) body() string {
	text := s.markdownOf(s.blocks)
	if s.inherited && s.heading != "" {
		text = strings.TrimSpace(strings.Repeat("#", s.level) + " " + s.heading + "\n\n" + text)
	}
	return text
}
