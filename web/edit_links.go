package web

import (
	"github.com/debrief-oss/debrief"
)

var linksSpec = &sectionSpec{
	key: "links",
	lists: []listSpec{
		{name: "links", fields: []string{"title", "url"}, content: []string{"title", "url"},
			blanks: 3},
		{name: "tags", fields: []string{""}, content: []string{""}, blanks: 3},
	},
	fill: func(f *editForm, p *debrief.Postmortem) {
		for _, l := range p.Links {
			f.addRow("links", map[string]string{"title": l.Title, "url": l.URL})
		}
		for _, t := range p.Tags {
			f.addRow("tags", map[string]string{"": t})
		}
	},
	build: func(f *editForm, _ *debrief.Postmortem) *debrief.Postmortem {
		p := &debrief.Postmortem{}
		links := f.entries("links")
		for _, r := range links {
			l := debrief.Link{Title: r.trimmed("title"), URL: r.trimmed("url")}
			if l.URL == "" {
				r.fail("url", "Link %d needs an address, such as https://status.example/123.",
					r.N())
			}
			p.Links = append(p.Links, l)
		}
		f.saved("links", links)

		tags := f.entries("tags")
		seen := map[string]bool{}
		var kept []*formRow
		for _, r := range tags {
			if t := r.trimmed(""); !seen[t] {
				seen[t] = true
				p.Tags = append(p.Tags, t)
				kept = append(kept, r)
			}
		}
		f.saved("tags", kept)
		return p
	},
}
