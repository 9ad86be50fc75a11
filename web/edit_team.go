package web

import (
	"strings"

	"github.com/debrief-oss/debrief"
)

var teamSpec = &sectionSpec{
	key:    "team",
	fields: []string{"meeting.date", "meeting.notes"},
	lists: []listSpec{
		{name: "team", fields: []string{"name", "role"}, content: []string{"name"}, blanks: 3},
		{name: "meeting.attendees", fields: []string{""}, content: []string{""}, blanks: 3},
	},
	fill:  fillTeam,
	build: buildTeam,
}

func fillTeam(f *editForm, p *debrief.Postmortem) {
	loc, _ := reportZone(p.TimeZone)
	for _, m := range p.Team {
		f.addRow("team", map[string]string{"name": m.Name, "role": string(m.Role)})
	}
	f.set("meeting.date", localValue(p.Meeting.Date, loc))
	f.set("meeting.notes", p.Meeting.Notes)
	for _, a := range p.Meeting.Attendees {
		f.addRow("meeting.attendees", map[string]string{"": a})
	}
}

func buildTeam(f *editForm, cur *debrief.Postmortem) *debrief.Postmortem {
	p := &debrief.Postmortem{}
	rows := f.entries("team")
	for _, r := range rows {
		p.Team = append(p.Team, debrief.TeamMember{
			Name: r.trimmed("name"), Role: debrief.Role(r.get("role")),
		})
	}
	f.saved("team", rows)

	loc, _ := reportZone(cur.TimeZone)
	if v := f.get("meeting.date"); strings.TrimSpace(v) != "" {
		t, ok := parseLocal(v, loc)
		if !ok {
			f.fail("meeting.date", "The meeting date %q is not a date and time; write it "+
				"like 2026-03-11 09:00.", v)
		}
		p.Meeting.Date = t
	}
	p.Meeting.Notes = trimText(f.get("meeting.notes"))
	attendees := f.entries("meeting.attendees")
	for _, r := range attendees {
		p.Meeting.Attendees = append(p.Meeting.Attendees, r.trimmed(""))
	}
	f.saved("meeting.attendees", attendees)
	return p
}
