package web

import (
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/lint"
	"github.com/debrief-oss/debrief/workflow"
)

// The blameless checker's findings as pages show them: beside the input of
// the text they are in, with the flagged words marked, and summed up on the
// report page.

// WithLint sets the blameless checker's config (rules switched off or
// regraded, words allowed) and the people of a configured roster, whom it
// knows by name beside debrief's users and each report's team. A rule
// graded error blocks final like the checker's own errors.
func WithLint(cfg *lint.Config, people []lint.Person) Option {
	return func(s *Server) {
		s.flowOptions = append(s.flowOptions, workflow.WithLintConfig(cfg),
			workflow.WithRoster(people))
	}
}

// findingView is one finding prepared for a page.
type findingView struct {
	lint.Finding
	// Place names the text the finding is in as a reader says it: "What
	// happened", "Timeline event 3".
	Place string
	// Before, Flagged and After are the line of the text around the
	// flagged words, shortened; all empty for a finding about a whole
	// field ("the executive summary is empty").
	Before, Flagged, After string
	// URL is the section editor's input the finding is about, when the
	// reader may edit; on the editor itself, the input's anchor.
	URL string
}

// Kind is the family of the finding's rule: blame, identifiers or
// completeness.
func (f findingView) Kind() string { return ruleKind(f.Rule) }

// ruleKind names a rule's family from its id's first part.
func ruleKind(rule string) string {
	switch head, _, _ := strings.Cut(rule, "."); head {
	case "blame":
		return "blame"
	case "pii":
		return "identifiers"
	case "complete":
		return "completeness"
	}
	return "other"
}

// excerptContext is how many bytes of the line an excerpt keeps on each
// side of the flagged words.
const excerptContext = 70

// newFindingView prepares a finding on the report's text.
func newFindingView(p *debrief.Postmortem, f lint.Finding) findingView {
	v := findingView{Finding: f, Place: fieldPlace(f.Section)}
	text, ok := workflow.FieldText(p, f.Section)
	if !ok || f.Start < 0 || f.End > len(text) || f.Start >= f.End {
		return v
	}
	lineStart := strings.LastIndexByte(text[:f.Start], '\n') + 1
	lineEnd := len(text)
	if i := strings.IndexByte(text[f.End:], '\n'); i >= 0 {
		lineEnd = f.End + i
	}
	v.Before = tailOf(text[lineStart:f.Start], excerptContext)
	v.Flagged = strings.ToValidUTF8(text[f.Start:f.End], "\uFFFD")
	v.After = headOf(text[f.End:lineEnd], excerptContext)
	return v
}

// tailOf keeps the last n bytes of s or fewer, whole characters only,
// marking what it left out.
func tailOf(s string, n int) string {
	if len(s) <= n {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	i := len(s) - n
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return "…" + strings.ToValidUTF8(s[i:], "\uFFFD")
}

// headOf keeps the first n bytes of s or fewer, whole characters only.
func headOf(s string, n int) string {
	if len(s) <= n {
		return strings.ToValidUTF8(s, "\uFFFD")
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return strings.ToValidUTF8(s[:i], "\uFFFD") + "…"
}

// placeNames name the texts of a report as its editors label them.
var placeNames = map[string]string{
	"title": "Title", "summary.executive_summary": "Executive summary",
	"summary.narrative": "What happened", "analysis.root_cause": "Root cause",
	"analysis.trigger": "Trigger", "analysis.detection": "Detection",
	"analysis.resolution": "Resolution", "timeline": "Timeline",
	"contributing_factors": "Contributing factors", "impacts": "Impact",
	"action_items": "Action items",
	"timeline[]":   "Timeline event %d", "analysis.whys[]": "Why %d",
	"analysis.causes[]": "Cause %d", "contributing_factors[]": "Contributing factor %d",
	"impacts[]": "Impact %d", "lessons[]": "Lesson %d", "action_items[]": "Action item %d",
}

// fieldPlace names a field path for a reader: "Timeline event 3" for
// "timeline[2].text", "Why 1 (question)" for "analysis.whys[0].question".
func fieldPlace(path string) string {
	if name, ok := placeNames[path]; ok {
		return name
	}
	list, rest, ok := strings.Cut(path, "[")
	if !ok {
		return path
	}
	idx, field, _ := strings.Cut(rest, "]")
	n, err := strconv.Atoi(idx)
	format, known := placeNames[list+"[]"]
	if err != nil || !known {
		return path
	}
	place := fmt.Sprintf(format, n+1)
	switch field = strings.TrimPrefix(field, "."); field {
	case "", "text", "description":
	default:
		place += " (" + strings.ReplaceAll(field, "_", " ") + ")"
	}
	return place
}

// findingCounts sums findings up by severity and by kind.
type findingCounts struct {
	Total        int `json:"total"`
	Errors       int `json:"errors"`
	Warnings     int `json:"warnings"`
	Infos        int `json:"infos"`
	Blame        int `json:"blame"`
	Identifiers  int `json:"identifiers"`
	Completeness int `json:"completeness"`
}

func countFindings(found []lint.Finding) findingCounts {
	var c findingCounts
	for _, f := range found {
		c.Total++
		switch f.Severity {
		case lint.Error:
			c.Errors++
		case lint.Warning:
			c.Warnings++
		default:
			c.Infos++
		}
		switch ruleKind(f.Rule) {
		case "blame":
			c.Blame++
		case "identifiers":
			c.Identifiers++
		case "completeness":
			c.Completeness++
		}
	}
	return c
}

// sectionOf is the key of the section editor that has a field path.
func sectionOf(path string) string {
	head := path
	if i := strings.IndexAny(head, ".["); i >= 0 {
		head = head[:i]
	}
	return fieldSections[head]
}

// reviewSummaryShown is how many findings the report page lists one by one.
const reviewSummaryShown = 5

// reviewSummary is the report page's account of the checker's findings
// and of the overrides recorded on the report.
type reviewSummary struct {
	Counts findingCounts
	// First are the first findings, errors first, each linked to its
	// input when the reader may edit.
	First []findingView
	// More is how many findings First leaves out.
	More      int
	Overrides []debrief.LintOverride
	// TooLong is set, and nothing checked, when the report has more text
	// than a page checks (checkBudget).
	TooLong bool
	// Markers is set when the report's text accepts findings with inline
	// markers, which the move to final does not heed.
	Markers bool
}

// newReviewSummary sums up the findings on p for its page.
func newReviewSummary(
	p *debrief.Postmortem,
	found []lint.Finding,
	overrides []debrief.LintOverride,
	editable bool,
) *reviewSummary {
	r := &reviewSummary{Counts: countFindings(found), Overrides: overrides}
	for _, sev := range []lint.Severity{lint.Error, lint.Warning, lint.Info} {
		for _, f := range found {
			if f.Severity != sev || len(r.First) == reviewSummaryShown {
				continue
			}
			v := newFindingView(p, f)
			if key := sectionOf(f.Section); key != "" && editable {
				v.URL = sectionURL(p.ID, key) + "#" + inputID(f.Section)
			}
			r.First = append(r.First, v)
		}
	}
	r.More = len(found) - len(r.First)
	return r
}

// sectionFindings are the findings an editor of one section shows: all
// of them above the form, and each beside its input.
type sectionFindings struct {
	All     []findingView
	Counts  findingCounts
	byInput map[string][]findingView
	// TooLong is set, and nothing checked, when the report has more text
	// than a page checks (checkBudget).
	TooLong bool
	// Markers is set when the report's text accepts findings with inline
	// markers, which the move to final does not heed.
	Markers bool
}

// newSectionFindings keeps the findings in the form's section. The form
// shows the stored report, whose rows are in the report's order, so a
// finding's field path is the name of its input.
func newSectionFindings(
	f *editForm,
	p *debrief.Postmortem,
	found []lint.Finding,
) *sectionFindings {
	sf := &sectionFindings{byInput: map[string][]findingView{}}
	var kept []lint.Finding
	for _, fd := range found {
		if sectionOf(fd.Section) != f.Section.Key {
			continue
		}
		kept = append(kept, fd)
		v := newFindingView(p, fd)
		if f.hasInput(fd.Section) {
			v.URL = "#" + inputID(fd.Section)
			sf.byInput[fd.Section] = append(sf.byInput[fd.Section], v)
		}
		sf.All = append(sf.All, v)
	}
	sf.Counts = countFindings(kept)
	return sf
}

// hasInput reports whether the form has a visible input of the name.
func (f *editForm) hasInput(name string) bool {
	for _, n := range f.spec.fields {
		if n == name {
			return true
		}
	}
	for _, ls := range f.spec.lists {
		rest, ok := strings.CutPrefix(name, ls.name+"[")
		if !ok {
			continue
		}
		idx, field, _ := strings.Cut(rest, "]")
		i, err := strconv.Atoi(idx)
		field = strings.TrimPrefix(field, ".")
		if err != nil || i < 0 || i >= len(f.lists[ls.name]) {
			return false
		}
		for _, name := range ls.fields {
			if name == field && !strings.HasPrefix(field, "orig_") && field != "id" &&
				field != "number" {
				return true
			}
		}
	}
	return false
}

// Review is the checker's findings on this section's stored text; nil
// when the form shows what the person typed instead.
func (f *editForm) Review() *sectionFindings { return f.review }

// inputFindings are the findings beside the input of the name.
func (f *editForm) inputFindings(name string) []findingView {
	if f.review == nil {
		return nil
	}
	return f.review.byInput[name]
}

// FindingsID is the id of the element listing the control's findings.
func (in input) FindingsID() string { return "lint-" + in.Name }

// reviewOf sums up the checker's findings on the report's current version
// and the overrides recorded on it. The workflow has let the actor read the
// report, so its overrides are read from the store without asking again.
func (s *Server) reviewOf(
	r *http.Request,
	p *debrief.Postmortem,
	editable bool,
) (*reviewSummary, error) {
	overrides, err := s.store.LintOverrides(r.Context(), p.ID)
	if err != nil {
		return nil, fmt.Errorf("overrides of %s: %w", p.ID, err)
	}
	if reportTextSize(p) > checkBudget {
		return &reviewSummary{TooLong: true, Overrides: overrides}, nil
	}
	found, err := s.flow.Check(r.Context(), p)
	if err != nil {
		return nil, err
	}
	review := newReviewSummary(p, found, overrides, editable)
	review.Markers = hasAcceptMarker(reflect.ValueOf(p).Elem())
	return review, nil
}

// hasAcceptMarker reports whether any text of the report holds an inline
// marker accepting a finding.
func hasAcceptMarker(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return strings.Contains(v.String(), "debrief-lint: accept")
	case reflect.Struct:
		for i := range v.NumField() {
			if hasAcceptMarker(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if hasAcceptMarker(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if hasAcceptMarker(it.Value()) {
				return true
			}
		}
	case reflect.Pointer:
		if !v.IsNil() {
			return hasAcceptMarker(v.Elem())
		}
	}
	return false
}

// checkBudget is how many bytes of a report's text its pages check as they
// are shown. Real reports have a few, at most some tens of, kilobytes; the
// checker reads about half a megabyte a second, so a report of megabytes
// would hold up every view of it. Going final checks everything, whatever
// the size, and so do the API and debrief lint.
const checkBudget = 128 << 10

// reportTextSize is how many bytes of text the report holds, in all its
// string fields.
func reportTextSize(p *debrief.Postmortem) int {
	return stringBytes(reflect.ValueOf(p).Elem())
}

func stringBytes(v reflect.Value) int {
	switch v.Kind() {
	case reflect.String:
		return v.Len()
	case reflect.Struct:
		n := 0
		for i := range v.NumField() {
			n += stringBytes(v.Field(i))
		}
		return n
	case reflect.Slice:
		n := 0
		for i := range v.Len() {
			n += stringBytes(v.Index(i))
		}
		return n
	case reflect.Map:
		n := 0
		for it := v.MapRange(); it.Next(); {
			n += stringBytes(it.Key()) + stringBytes(it.Value())
		}
		return n
	case reflect.Pointer:
		if !v.IsNil() {
			return stringBytes(v.Elem())
		}
	}
	return 0
}

// sectionReview is what a section's editor shows of the checker's
// findings: none, with a note, when the report is too long to check here.
func (s *Server) sectionReview(
	r *http.Request,
	f *editForm,
	p *debrief.Postmortem,
) (*sectionFindings, error) {
	if reportTextSize(p) > checkBudget {
		return &sectionFindings{TooLong: true}, nil
	}
	found, err := s.flow.Check(r.Context(), p)
	if err != nil {
		return nil, err
	}
	return newSectionFindings(f, p, found), nil
}

// offerOverride asks for an override's reason on the move to final when
// the actor may give one and the checker finds errors a move to final
// would be refused for, errors the text's markers accept (the gate does
// not heed them), or the page did not check.
func offerOverride(a debrief.Actor, moves []statusMove, review *reviewSummary) {
	if !a.Can(debrief.AccessFacilitator) || review == nil ||
		review.Counts.Errors == 0 && !review.TooLong && !review.Markers {
		return
	}
	for i := range moves {
		moves[i].Override = moves[i].To == debrief.StatusFinal
	}
}
