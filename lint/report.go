package lint

import (
	"fmt"
	"strings"

	"github.com/debrief-oss/debrief"
)

// ReportRoster is the roster a stored report gives: its team with their
// roles, its facilitator, and its incident's services as systems.
func ReportRoster(p *debrief.Postmortem) Roster {
	var r Roster
	for _, m := range p.Team {
		role := m.Role.Words()
		if role == "" {
			role = "a responder"
		}
		r.People = append(r.People, Person{Name: m.Name, Role: role})
	}
	if p.Facilitator != "" {
		r.People = append(r.People, Person{Name: p.Facilitator, Role: "facilitator"})
	}
	r.Systems = append(r.Systems, p.Incident.Services...)
	return r
}

// Report checks every text a person wrote in a stored report, each under
// the section path it lives at ("summary.narrative", "timeline[3].text"),
// with lines and columns counted within that text.
func (c *Checker) Report(p *debrief.Postmortem) []Finding {
	var out []Finding
	check := func(section, text string) {
		if strings.TrimSpace(text) != "" {
			out = append(out, c.Text(section, text)...)
		}
	}
	check("title", p.Title)
	check("summary.executive_summary", p.Summary.ExecutiveSummary)
	check("summary.narrative", p.Summary.Narrative)
	for i, e := range p.Timeline {
		check(fmt.Sprintf("timeline[%d].text", i), e.Text)
	}
	a := &p.Analysis
	check("analysis.root_cause", a.RootCause)
	check("analysis.trigger", a.Trigger)
	check("analysis.detection", a.Detection)
	check("analysis.resolution", a.Resolution)
	for i, w := range a.Whys {
		check(fmt.Sprintf("analysis.whys[%d].question", i), w.Question)
		check(fmt.Sprintf("analysis.whys[%d].answer", i), w.Answer)
	}
	for i, cause := range a.Causes {
		check(fmt.Sprintf("analysis.causes[%d].text", i), cause.Text)
	}
	for i, f := range p.ContributingFactors {
		check(fmt.Sprintf("contributing_factors[%d].description", i), f.Description)
		check(fmt.Sprintf("contributing_factors[%d].how_contributed", i), f.HowContributed)
	}
	for i, im := range p.Impacts {
		check(fmt.Sprintf("impacts[%d].description", i), im.Description)
	}
	for i, l := range p.Lessons {
		check(fmt.Sprintf("lessons[%d].text", i), l.Text)
	}
	for i, ai := range p.ActionItems {
		check(fmt.Sprintf("action_items[%d].description", i), ai.Description)
	}
	return out
}
