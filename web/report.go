package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/timeline"
	"github.com/debrief-oss/debrief/workflow"
)

// reportView is one report prepared for its page. The template reads the
// postmortem directly for plain fields; everything that needs arranging
// (grouping, trees, charts, elapsed times) is done here, where it is tested.
type reportView struct {
	layout
	P        *debrief.Postmortem
	Moments  []moment
	Duration string
	// Spans are the response's durations: time to detect, acknowledge,
	// mitigate and resolve.
	Spans  []responseSpan
	Fields []field
	// Deadlines are the report's steps and when each is due.
	Deadlines []deadlineRow
	// Facilitator is the header's facilitator when the team list does not
	// already name them in that role.
	Facilitator string

	Timeline      []timelineRow
	TimelineChart *timelineChart

	Whys     []*whyNode
	Causes   []group[debrief.Cause]
	Fishbone *fishbone
	Factors  []group[debrief.ContributingFactor]
	Lessons  []group[debrief.Lesson]

	// Editable is true when the actor may change the report now.
	Editable bool
	// ImportURL is the timeline builder, for those who may edit.
	ImportURL string
	// Moves are the lifecycle moves the actor may make.
	Moves []statusMove
	// Deletable is true when the actor may delete the report (admins).
	Deletable bool
	// Problems are what keeps a report in review from being final.
	Problems []problemLink
	// Error is why a lifecycle move was just refused.
	Error string
	// Review sums up the blameless checker's findings and the overrides
	// recorded on the report; nil on an earlier version.
	Review *reviewSummary
	// Old is set when the page shows an earlier version, read-only.
	Old *oldVersion
	// ActionMatrix draws the current version's action items by impact
	// and effort, each linking to its page.
	ActionMatrix template.HTML

	markdown *markdownPage
}

// oldVersion describes an earlier version shown on the report page.
type oldVersion struct {
	debrief.Revision
	// Latest is the report's current version.
	Latest int
}

// problemLink is a problem that blocks final, with the editor that fixes it.
type problemLink struct {
	Message string
	URL     string
}

// sectionLink is a link to a section's editor.
type sectionLink struct {
	Key, Title, URL string
}

// Label is the link's text: "Edit timeline".
func (l sectionLink) Label() string { return "Edit " + strings.ToLower(l.Title) }

// Markdown formats one Markdown field of the report, sharing the page's
// budget with the others.
func (v reportView) Markdown(src string) template.HTML { return v.markdown.Render(src) }

// EditLink is the link to the section's editor, or nil when the actor may
// not edit the report.
func (v reportView) EditLink(key string) *sectionLink {
	if !v.Editable {
		return nil
	}
	sec, err := workflow.SectionByKey(key)
	if err != nil {
		return nil
	}
	return &sectionLink{Key: key, Title: sec.Title, URL: sectionURL(v.P.ID, key)}
}

// EditLinks are the links to every section's editor, or none when the
// actor may not edit the report.
func (v reportView) EditLinks() []sectionLink {
	if !v.Editable {
		return nil
	}
	out := make([]sectionLink, len(workflow.Sections))
	for i, sec := range workflow.Sections {
		out[i] = sectionLink{Key: sec.Key, Title: sec.Title, URL: sectionURL(v.P.ID, sec.Key)}
	}
	return out
}

// ReportURL is the address of the report's current version.
func (v reportView) ReportURL() string { return reportURL(v.P.ID) }

type field struct {
	Name, Value string
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	p, err := s.flow.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.showReport(w, r, http.StatusOK, p, "")
}

// showReport renders the report's current version with what the actor may
// do to it; errMsg, when set, says why the last attempt was refused.
func (s *Server) showReport(
	w http.ResponseWriter,
	r *http.Request,
	status int,
	p *debrief.Postmortem,
	errMsg string,
) {
	title := reportTitle(p)
	if errMsg != "" {
		title = "Error: " + title
	}
	v := newReportView(s.layout(r, title), p, s.markdown.page())
	a := actorFrom(r.Context())
	err := s.addIncidentFacts(r, &v)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v.Editable = debrief.CheckEdit(a, p) == nil
	if v.Editable {
		v.ImportURL = importURL(p.ID)
	}
	if v.Review, err = s.reviewOf(r, p, v.Editable); err != nil {
		s.serveError(w, r, err)
		return
	}
	v.Moves = statusMoves(a, p)
	offerOverride(a, v.Moves, v.Review)
	v.Deletable = a.Can(debrief.AccessAdmin)
	if p.Status == debrief.StatusInReview {
		v.Problems = problemLinks(p, v.Editable)
	}
	v.Error = errMsg
	v.ActionMatrix = reportMatrix(p, s.flow.Today())
	s.render(w, r, status, "report", v)
}

func newReportView(l layout, p *debrief.Postmortem, md *markdownPage) reportView {
	return reportView{
		layout:   l,
		P:        p,
		Moments:  incidentMoments(&p.Incident),
		Duration: formatDuration(p.Incident.Duration()),
		Spans:    responseSpans(responseMoments(p)),
		Fields:   sortedFields(p.Fields),

		Facilitator: facilitatorOutsideTeam(p),

		Timeline:      timelineRows(timeline.Chronological(p.Timeline)),
		TimelineChart: newTimelineChart(p, nil),

		Whys:     whyForest(p.Analysis.Whys),
		Causes:   causeGroups(p.Analysis.Causes),
		Fishbone: newFishbone(p.Analysis.Causes),
		Factors:  factorGroups(p.ContributingFactors),
		Lessons:  lessonGroups(p.Lessons),

		markdown: md,
	}
}

// addIncidentFacts adds what the current version shows beside the report
// itself: its deadlines, and its incident's alerts on the timeline chart.
// An earlier version, shown read-only, has neither. The workflow has let
// the actor read the report, and with it its incident, so both are read
// from the store without loading the report twice more to ask again.
func (s *Server) addIncidentFacts(r *http.Request, v *reportView) error {
	ctx, p := r.Context(), v.P
	ds, err := s.store.Deadlines(ctx, p.ID)
	if err != nil {
		return fmt.Errorf("deadlines of %s: %w", p.ID, err)
	}
	loc, _ := reportZone(p.TimeZone)
	v.Deadlines = deadlineRows(ds, s.now(), loc)

	if p.Incident.ID == "" {
		return nil
	}
	alerts, err := s.store.Alerts(ctx, p.Incident.ID)
	if err != nil {
		return fmt.Errorf("alerts of %s: %w", p.Incident.ID, err)
	}
	if len(alerts) > 0 {
		v.TimelineChart = newTimelineChart(p, alerts)
	}
	return nil
}

// facilitatorOutsideTeam returns the facilitator unless a team member of
// that name already has the facilitator role, so the team list does not
// name them twice.
func facilitatorOutsideTeam(p *debrief.Postmortem) string {
	f := strings.TrimSpace(p.Facilitator)
	for _, m := range p.Team {
		if m.Role == debrief.RoleFacilitator && strings.EqualFold(strings.TrimSpace(m.Name), f) {
			return ""
		}
	}
	return f
}

// fieldSections maps the first part of a field path to the section whose
// editor has the field.
var fieldSections = map[string]string{
	"title": "header", "visibility": "header", "incident": "header", "authors": "header",
	"facilitator": "header", "time_zone": "header", "summary": "summary",
	"timeline": "timeline", "analysis": "analysis", "contributing_factors": "contributing_factors",
	"impacts": "impacts", "lessons": "lessons", "action_items": "action_items",
	"team": "team", "meeting": "team", "links": "links", "tags": "links",
	"sections": "sections", "fields": "sections",
}

// problemLinks lists what the report lacks before it may be final, each
// linked to the input that fixes it when the actor may edit.
func problemLinks(p *debrief.Postmortem, editable bool) []problemLink {
	var out []problemLink
	for _, pr := range debrief.FinalProblems(p) {
		l := problemLink{Message: clause(sentenceCase(pr.Message))}
		head := pr.Field
		if i := strings.IndexAny(head, ".["); i >= 0 {
			head = head[:i]
		}
		if key, ok := fieldSections[head]; ok && editable {
			l.URL = sectionURL(p.ID, key)
			if pr.Field != head || !isList(key) {
				// The form's rows are in the report's order, so a field of
				// the report names the input of the form too.
				l.URL += "#" + inputID(pr.Field)
			}
		}
		out = append(out, l)
	}
	return out
}

// isList reports whether a section's editor is one list, where a problem
// about the whole list has no single input to point at.
func isList(key string) bool {
	return key == "timeline" || key == "contributing_factors" || key == "action_items"
}

func sentenceCase(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// sortedFields orders organisation-defined fields by name, so the page
// does not reshuffle them on every load as map iteration would.
func sortedFields(m map[string]string) []field {
	out := make([]field, 0, len(m))
	for k, v := range m {
		out = append(out, field{Name: k, Value: v})
	}
	slices.SortFunc(out, func(a, b field) int {
		switch {
		case a.Name < b.Name:
			return -1
		case a.Name > b.Name:
			return 1
		}
		return 0
	})
	return out
}
