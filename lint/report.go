package lint

import (
	"fmt"
	"strings"

	"github.com/debrief-oss/debrief"
)

// ReportRoster is the roster a stored report gives: its team with their
// roles, its facilitator, and its incident's services and the company or
// product it names (in its fields) as systems.
func ReportRoster(p *debrief.Postmortem) Roster {
	var r Roster
	for _, m := range p.Team {
		// A member without a role is replaced by "a responder" (describe).
		r.People = append(r.People, Person{Name: m.Name, Role: m.Role.Words()})
	}
	if p.Facilitator != "" {
		r.People = append(r.People, Person{Name: p.Facilitator, Role: "facilitator"})
	}
	r.Systems = append(r.Systems, p.Incident.Services...)
	// The organisation a report is about is no person, however it is named.
	for _, key := range []string{"company", "organization", "organisation", "product"} {
		r.Systems = append(r.Systems, strings.Fields(p.Fields[key])...)
	}
	return r
}

// DocumentRoster is the roster for checking text, the Markdown of a report
// or one of its fields: the report's roster (ReportRoster) with the words
// the text shows are things (DocumentSystems) as systems, except the words
// of its people's names. A team member called Priya stays a person in a
// report that also mentions a "priya" dashboard.
func DocumentRoster(p *debrief.Postmortem, text string) Roster {
	r := ReportRoster(p)
	people := map[string]bool{}
	for _, m := range r.People {
		for _, w := range strings.Fields(m.Name) {
			people[w] = true
		}
	}
	for _, w := range DocumentSystems(text) {
		if !people[w] {
			r.Systems = append(r.Systems, w)
		}
	}
	return r
}

// Field is one text a person wrote in a stored report, under the path of
// the field it lives in ("summary.narrative", "timeline[3].text").
type Field struct {
	Path string
	Text string
}

// ReportFields lists the texts of a stored report that the checker reads,
// in the order of the report, skipping empty ones.
func ReportFields(p *debrief.Postmortem) []Field {
	var out []Field
	add := func(path, text string) {
		if strings.TrimSpace(text) != "" {
			out = append(out, Field{Path: path, Text: text})
		}
	}
	add("title", p.Title)
	add("summary.executive_summary", p.Summary.ExecutiveSummary)
	add("summary.narrative", p.Summary.Narrative)
	for i, e := range p.Timeline {
		add(fmt.Sprintf("timeline[%d].text", i), e.Text)
	}
	a := &p.Analysis
	add("analysis.root_cause", a.RootCause)
	add("analysis.trigger", a.Trigger)
	add("analysis.detection", a.Detection)
	add("analysis.resolution", a.Resolution)
	for i, w := range a.Whys {
		add(fmt.Sprintf("analysis.whys[%d].question", i), w.Question)
		add(fmt.Sprintf("analysis.whys[%d].answer", i), w.Answer)
	}
	for i, cause := range a.Causes {
		add(fmt.Sprintf("analysis.causes[%d].text", i), cause.Text)
	}
	for i, f := range p.ContributingFactors {
		add(fmt.Sprintf("contributing_factors[%d].description", i), f.Description)
		add(fmt.Sprintf("contributing_factors[%d].how_contributed", i), f.HowContributed)
	}
	for i, im := range p.Impacts {
		add(fmt.Sprintf("impacts[%d].description", i), im.Description)
	}
	for i, l := range p.Lessons {
		add(fmt.Sprintf("lessons[%d].text", i), l.Text)
	}
	for i, ai := range p.ActionItems {
		add(fmt.Sprintf("action_items[%d].description", i), ai.Description)
	}
	return out
}

// Report checks every text a person wrote in a stored report, each under
// the section path it lives at (see ReportFields), with lines, columns and
// spans counted within that text.
func (c *Checker) Report(p *debrief.Postmortem) []Finding {
	var out []Finding
	for _, f := range ReportFields(p) {
		out = append(out, c.Text(f.Path, f.Text)...)
	}
	return out
}
