package web

import (
	"strings"

	"github.com/debrief-oss/debrief"
)

var summarySpec = &sectionSpec{
	key:    "summary",
	fields: []string{"summary.category", "summary.executive_summary", "summary.narrative"},
	fill: func(f *editForm, p *debrief.Postmortem) {
		f.set("summary.category", string(p.Summary.Category))
		f.set("summary.executive_summary", p.Summary.ExecutiveSummary)
		f.set("summary.narrative", p.Summary.Narrative)
	},
	build: func(f *editForm, _ *debrief.Postmortem) *debrief.Postmortem {
		return &debrief.Postmortem{Summary: debrief.Summary{
			Category:         debrief.Category(strings.TrimSpace(f.get("summary.category"))),
			ExecutiveSummary: trimText(f.get("summary.executive_summary")),
			Narrative:        trimText(f.get("summary.narrative")),
		}}
	},
}
