package web

import (
	"github.com/debrief-oss/debrief"
)

// sectionsSpec edits what the template does not name: free sections of
// Markdown under their own headings, and the organisation's own fields.
var sectionsSpec = &sectionSpec{
	key: "sections",
	lists: []listSpec{
		{name: "sections", fields: []string{"heading", "body"},
			content: []string{"heading", "body"}, blanks: 1},
		{name: "fields", fields: []string{"name", "value"}, content: []string{"name", "value"},
			blanks: 2},
	},
	fill: func(f *editForm, p *debrief.Postmortem) {
		for _, s := range p.Sections {
			f.addRow("sections", map[string]string{"heading": s.Heading, "body": s.Body})
		}
		for _, fd := range sortedFields(p.Fields) {
			f.addRow("fields", map[string]string{"name": fd.Name, "value": fd.Value})
		}
	},
	build: func(f *editForm, _ *debrief.Postmortem) *debrief.Postmortem {
		p := &debrief.Postmortem{}
		sections := f.entries("sections")
		for _, r := range sections {
			p.Sections = append(p.Sections, debrief.Section{
				Heading: r.trimmed("heading"), Body: trimText(r.get("body")),
			})
		}
		f.saved("sections", sections)

		fields := f.entries("fields")
		for _, r := range fields {
			name := r.trimmed("name")
			switch {
			case name == "":
				r.fail("name", "Field %d has a value but no name.", r.N())
			case hasKey(p.Fields, name):
				r.fail("name", "Field %d: there is already a field named %q.", r.N(), name)
			default:
				if p.Fields == nil {
					p.Fields = map[string]string{}
				}
				p.Fields[name] = r.trimmed("value")
			}
		}
		f.saved("fields", fields)
		return p
	},
}

func hasKey(m map[string]string, k string) bool {
	_, ok := m[k]
	return ok
}
