package workflow

import (
	"encoding/json"
	"reflect"

	"github.com/debrief-oss/debrief"
)

// Section is a part of a report that is edited, stored over the API and
// compared between revisions as one unit. Its JSON shape is an object whose
// fields are those of the report it covers, so that
// GET /api/v1/postmortems/{id}/sections/{key} and the report's own JSON
// agree.
type Section struct {
	// Key names the section in URLs: "timeline", "action_items".
	Key string
	// Title is the section's heading as the report page shows it.
	Title string
	// view returns a struct whose fields point into p: reading the struct
	// reads the report, decoding JSON into it writes the report.
	view func(p *debrief.Postmortem) any
}

type headerView struct {
	Title       *string             `json:"title"`
	Visibility  *debrief.Visibility `json:"visibility"`
	Incident    *debrief.Incident   `json:"incident"`
	Authors     *[]string           `json:"authors"`
	Facilitator *string             `json:"facilitator"`
	TimeZone    *string             `json:"time_zone"`
}

type summaryView struct {
	Summary *debrief.Summary `json:"summary"`
}

type timelineView struct {
	Timeline *[]debrief.TimelineEvent `json:"timeline"`
}

type analysisView struct {
	Analysis *debrief.Analysis `json:"analysis"`
}

type factorsView struct {
	ContributingFactors *[]debrief.ContributingFactor `json:"contributing_factors"`
}

type impactView struct {
	Impacts *[]debrief.Impact `json:"impacts"`
}

type lessonsView struct {
	Lessons *[]debrief.Lesson `json:"lessons"`
}

type actionsView struct {
	ActionItems *[]debrief.ActionItem `json:"action_items"`
}

type teamView struct {
	Team    *[]debrief.TeamMember `json:"team"`
	Meeting *debrief.Meeting      `json:"meeting"`
}

type linksView struct {
	Links *[]debrief.Link `json:"links"`
	Tags  *[]string       `json:"tags"`
}

type otherView struct {
	Sections *[]debrief.Section `json:"sections"`
	Fields   *map[string]string `json:"fields"`
}

// Sections lists the report's sections in the order the report page shows
// them. Together they cover every field a person edits; the lifecycle
// status is not among them because it changes only by a transition.
var Sections = []Section{
	{"header", "Header", func(p *debrief.Postmortem) any {
		return &headerView{&p.Title, &p.Visibility, &p.Incident, &p.Authors,
			&p.Facilitator, &p.TimeZone}
	}},
	{"summary", "Summary", func(p *debrief.Postmortem) any { return &summaryView{&p.Summary} }},
	{"timeline", "Timeline", func(p *debrief.Postmortem) any { return &timelineView{&p.Timeline} }},
	{"analysis", "Root-cause analysis", func(p *debrief.Postmortem) any {
		return &analysisView{&p.Analysis}
	}},
	{"contributing_factors", "Contributing factors", func(p *debrief.Postmortem) any {
		return &factorsView{&p.ContributingFactors}
	}},
	{"impacts", "Impact", func(p *debrief.Postmortem) any { return &impactView{&p.Impacts} }},
	{"lessons", "Lessons learned", func(p *debrief.Postmortem) any {
		return &lessonsView{&p.Lessons}
	}},
	{"action_items", "Action items", func(p *debrief.Postmortem) any {
		return &actionsView{&p.ActionItems}
	}},
	{"team", "Team and meeting", func(p *debrief.Postmortem) any {
		return &teamView{&p.Team, &p.Meeting}
	}},
	{"links", "Links and tags", func(p *debrief.Postmortem) any {
		return &linksView{&p.Links, &p.Tags}
	}},
	{"sections", "Other sections", func(p *debrief.Postmortem) any {
		return &otherView{&p.Sections, &p.Fields}
	}},
}

// SectionByKey returns the section with the key, or a KindNotFound error
// that lists the keys.
func SectionByKey(key string) (Section, error) {
	for _, s := range Sections {
		if s.Key == key {
			return s, nil
		}
	}
	return Section{}, debrief.Errorf(debrief.KindNotFound,
		"no section %q: use header, summary, timeline, analysis, contributing_factors, "+
			"impacts, lessons, action_items, team, links or sections", key)
}

// Value returns the section of p as a value that encodes to the section's
// JSON shape.
func (s Section) Value(p *debrief.Postmortem) any { return s.view(p) }

// Copy replaces the section of dst with that of src, leaving the rest of
// dst as it was. Slices and maps are shared, not cloned.
func (s Section) Copy(dst, src *debrief.Postmortem) {
	d := reflect.ValueOf(s.view(dst)).Elem()
	v := reflect.ValueOf(s.view(src)).Elem()
	for i := range d.NumField() {
		d.Field(i).Elem().Set(v.Field(i).Elem())
	}
}

// Decode reads the section's JSON shape into a report that is blank except
// for it, refusing fields the section does not have.
func (s Section) Decode(data []byte) (*debrief.Postmortem, error) {
	var p debrief.Postmortem
	if err := decodeStrict(data, s.view(&p)); err != nil {
		return nil, err
	}
	return &p, nil
}

// Equal reports whether a and b hold the same section.
func (s Section) Equal(a, b *debrief.Postmortem) bool {
	ja, errA := json.Marshal(s.view(a))
	jb, errB := json.Marshal(s.view(b))
	return errA == nil && errB == nil && string(ja) == string(jb)
}
