package web

import (
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/timestamp"
)

// localLayout is the value format of a datetime-local input.
const localLayout = "2006-01-02T15:04"

// reportZone returns the zone a report's times were written in, and its
// name; UTC when the report names none or one debrief does not know.
func reportZone(name string) (*time.Location, string) {
	if loc, canonical, ok := timestamp.LookupZone(name); ok {
		return loc, canonical
	}
	return time.UTC, "UTC"
}

// localValue writes a moment as a datetime-local value in loc.
func localValue(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(localLayout)
}

// parseLocal reads a datetime-local value in loc. A browser without the
// control lets people type, so a space instead of the T and seconds are
// accepted too.
func parseLocal(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{localLayout, "2006-01-02T15:04:05", "2006-01-02 15:04",
		"2006-01-02 15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}

// momentInput is one of the incident's five moments as the header form
// shows it.
type momentInput struct {
	name  string
	label string
	field func(in *debrief.Incident) *time.Time
}

var headerMoments = []momentInput{
	{"incident.started_at", "Started",
		func(in *debrief.Incident) *time.Time { return &in.StartedAt }},
	{"incident.detected_at", "Detected",
		func(in *debrief.Incident) *time.Time { return &in.DetectedAt }},
	{"incident.acknowledged_at", "Acknowledged",
		func(in *debrief.Incident) *time.Time { return &in.AcknowledgedAt }},
	{"incident.mitigated_at", "Mitigated",
		func(in *debrief.Incident) *time.Time { return &in.MitigatedAt }},
	{"incident.resolved_at", "Resolved",
		func(in *debrief.Incident) *time.Time { return &in.ResolvedAt }},
}

// The header form shows the incident's moments in the report's zone and
// carries that zone in a hidden input (shown_zone), so the moments are read
// back in the zone they were shown in: changing the report's zone in the
// same form changes the zone, never the moments.
var headerSpec = &sectionSpec{
	key: "header",
	fields: []string{
		"title", "visibility", "incident.title", "incident.severity", "incident.category",
		"incident.services", "incident.status", "incident.started_at", "incident.detected_at",
		"incident.acknowledged_at", "incident.mitigated_at", "incident.resolved_at",
		"facilitator", "time_zone", "shown_zone",
	},
	lists: []listSpec{{name: "authors", fields: []string{""}, content: []string{""}, blanks: 2}},
	fill:  fillHeader,
	build: buildHeader,
}

func fillHeader(f *editForm, p *debrief.Postmortem) {
	in := &p.Incident
	loc, shown := reportZone(p.TimeZone)
	f.set("shown_zone", shown)
	f.Zone = shown
	f.set("title", p.Title)
	f.set("visibility", string(p.Visibility))
	f.set("incident.title", in.Title)
	f.set("incident.severity", string(in.Severity))
	f.set("incident.category", string(in.Category))
	f.set("incident.services", strings.Join(in.Services, ", "))
	f.set("incident.status", string(in.Status))
	for _, m := range headerMoments {
		f.set(m.name, localValue(*m.field(in), loc))
	}
	f.set("facilitator", p.Facilitator)
	f.set("time_zone", p.TimeZone)
	for _, a := range p.Authors {
		f.addRow("authors", map[string]string{"": a})
	}
}

func buildHeader(f *editForm, cur *debrief.Postmortem) *debrief.Postmortem {
	p := &debrief.Postmortem{
		Title:       strings.TrimSpace(f.get("title")),
		Visibility:  debrief.Visibility(f.get("visibility")),
		Facilitator: strings.TrimSpace(f.get("facilitator")),
		TimeZone:    strings.TrimSpace(f.get("time_zone")),
		Incident: debrief.Incident{
			ID:       cur.Incident.ID,
			Title:    strings.TrimSpace(f.get("incident.title")),
			Severity: debrief.Severity(strings.TrimSpace(f.get("incident.severity"))),
			Category: debrief.Category(strings.TrimSpace(f.get("incident.category"))),
			Services: splitList(f.get("incident.services")),
			Status:   debrief.IncidentStatus(f.get("incident.status")),
		},
	}
	if p.Title == "" {
		f.fail("title", "A report needs a title.")
	}

	if p.TimeZone != "" {
		if _, _, ok := timestamp.LookupZone(p.TimeZone); !ok {
			f.fail("time_zone", "%q is not a time zone debrief knows: write an IANA name "+
				"such as Europe/Copenhagen, an abbreviation such as CET, or UTC.", p.TimeZone)
		}
	}
	loc := shownZone(f, cur)
	for _, m := range headerMoments {
		v := f.get(m.name)
		if strings.TrimSpace(v) == "" {
			continue
		}
		t, ok := parseLocal(v, loc)
		if !ok {
			f.fail(m.name, "%s: %q is not a date and time; write it like 2026-03-07 14:05.",
				m.label, v)
			continue
		}
		*m.field(&p.Incident) = t
	}

	for _, r := range f.entries("authors") {
		p.Authors = append(p.Authors, r.trimmed(""))
	}
	f.saved("authors", f.entries("authors"))
	return p
}

// shownZone returns the zone the form showed the incident's moments in,
// and labels the moments with it again should the form be shown once more.
// A form that does not say (one loaded before the hidden input existed)
// showed them in the stored report's zone.
func shownZone(f *editForm, cur *debrief.Postmortem) *time.Location {
	loc, name, ok := timestamp.LookupZone(f.get("shown_zone"))
	if !ok {
		loc, name = reportZone(cur.TimeZone)
	}
	f.set("shown_zone", name)
	f.Zone = name
	return loc
}

// splitList reads a comma-separated list, dropping empty entries; nil
// when there are none.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
