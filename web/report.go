package web

import (
	"html/template"
	"net/http"
	"slices"

	"github.com/debrief-oss/debrief"
)

// reportView is one report prepared for its page. The template reads the
// postmortem directly for plain fields; everything that needs arranging
// (grouping, trees, charts, elapsed times) is done here, where it is tested.
type reportView struct {
	layout
	P        *debrief.Postmortem
	Moments  []moment
	Duration string
	Fields   []field

	Timeline      []timelineRow
	TimelineChart *timelineChart

	Whys     []*whyNode
	Causes   []group[debrief.Cause]
	Fishbone *fishbone
	Factors  []group[debrief.ContributingFactor]
	Lessons  []group[debrief.Lesson]

	markdown *markdownPage
}

// Markdown formats one Markdown field of the report, sharing the page's
// budget with the others.
func (v reportView) Markdown(src string) template.HTML { return v.markdown.Render(src) }

type field struct {
	Name, Value string
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	p, err := s.store.Postmortem(r.Context(), r.PathValue("id"))
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "report", newReportView(s.layout(r, p.Title), p, s.markdown.page()))
}

func newReportView(l layout, p *debrief.Postmortem, md *markdownPage) reportView {
	return reportView{
		layout:   l,
		P:        p,
		Moments:  incidentMoments(&p.Incident),
		Duration: formatDuration(p.Incident.Duration()),
		Fields:   sortedFields(p.Fields),

		Timeline:      timelineRows(p.Timeline),
		TimelineChart: newTimelineChart(p),

		Whys:     whyForest(p.Analysis.Whys),
		Causes:   causeGroups(p.Analysis.Causes),
		Fishbone: newFishbone(p.Analysis.Causes),
		Factors:  factorGroups(p.ContributingFactors),
		Lessons:  lessonGroups(p.Lessons),

		markdown: md,
	}
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
