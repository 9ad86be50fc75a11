package markdown

import (
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

func TestSeverityFromBodyAndFront(t *testing.T) {
	tests := []struct {
		name, doc string
		want      debrief.Severity
		warnLine  int // 0: no warning
	}{
		{"bold body line", "# T\n\n**Severity:** Critical\n", "P1", 0},
		{"plain body line", "# T\n\nSeverity: SEV1\n", "P1", 0},
		{"priority in a list", "# T\n\n- Owner: Ann\n- Priority: P2\n", "P2", 0},
		{"code form", "# T\n\n## Summary\n\nSeverity P3, one region.\n", "P3", 0},
		{"P0 warns", "# T\n\nSeverity: P0\n", "P1", 3},
		{"unknown warns, not stored", "# T\n\nSeverity: TBD\n", "", 3},
		{"not a severity line", "# T\n\n- Priority-classes not implemented\n", "", 0},
		{"in code it is no statement", "# T\n\n```\nSeverity: P1\n```\n", "", 0},
		{"front matter", "---\nseverity: high\n---\n# T\n", "P2", 0},
		{"front matter number", "---\nseverity: 3\n---\n# T\n", "P3", 0},
		{"front matter wins", "---\nseverity: sev4\n---\n# T\n\nSeverity: P1\n", "P4", 0},
		{"front matter unknown", "---\nseverity: purple\n---\n# T\n", "", 2},
		{"front matter mapping", "---\nseverity: {a: 1}\n---\n# T\n", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := parseText(t, tt.doc)
			if got := res.Postmortem.Incident.Severity; got != tt.want {
				t.Errorf("severity %q, want %q", got, tt.want)
			}
			switch {
			case tt.warnLine == 0 && len(res.Warnings) > 0:
				t.Errorf("warnings %v", res.Warnings)
			case tt.warnLine > 0 && (len(res.Warnings) != 1 ||
				res.Warnings[0].Line != tt.warnLine ||
				!strings.Contains(res.Warnings[0].Message, "severity")):
				t.Errorf("warnings %v, want one about severity on line %d",
					res.Warnings, tt.warnLine)
			}
		})
	}
}

func TestCategoryFromFrontMatter(t *testing.T) {
	tests := []struct {
		front string
		want  debrief.Category
	}{
		{"category: security", debrief.CategorySecurity},
		{"category: Change-Management", debrief.CategoryChangeManagement},
		{"category: external_dependency", debrief.CategoryExternalDependency},
		{"category: Data loss", "Data loss"}, // a custom category, kept as written
		{"incident_type: performance", debrief.CategoryPerformance},
		{"categories: [automation, cloud, config-change, security]",
			debrief.CategoryConfiguration},
		{"categories: [cloud, hardware]", ""},
		{"category: availability\ncategories: [security]", debrief.CategoryAvailability},
		{"type: post", ""}, // a site generator's page type, not an incident's
	}
	for _, tt := range tests {
		t.Run(tt.front, func(t *testing.T) {
			p := parseText(t, "---\n"+tt.front+"\n---\n# T\n").Postmortem
			if p.Summary.Category != tt.want || p.Incident.Category != tt.want {
				t.Errorf("category %q / %q, want %q",
					p.Summary.Category, p.Incident.Category, tt.want)
			}
		})
	}
	p := parseText(t, "---\ncategories: [cloud, config-change]\n---\n# T\n").Postmortem
	if strings.Join(p.Tags, "|") != "cloud|config-change" {
		t.Errorf("tags %q: every category stays a tag", p.Tags)
	}
}

// TestCorpusCategoryAndSeverity checks reports read by hand: the icco
// categories name a config change, the PostHog reports state a severity.
func TestCorpusCategoryAndSeverity(t *testing.T) {
	corpusFiles(t)
	p := parseCorpusFile(t, "icco/6c7c05d1-637f-49a9-bc6d-120eacad0b46.md").Postmortem
	if p.Summary.Category != debrief.CategoryConfiguration {
		t.Errorf("icco category %q", p.Summary.Category)
	}
	for file, want := range map[string]debrief.Severity{
		"posthog/2026-01-17-replay-sdk-fetch-wrapper-incident.md": "P1", // "Critical"
		"posthog/2025-10-03-surveys-sdk-bug.md":                   "P2", // "Major (…)"
	} {
		if got := parseCorpusFile(t, file).Postmortem.Incident.Severity; got != want {
			t.Errorf("%s: severity %q, want %q", file, got, want)
		}
	}
}
