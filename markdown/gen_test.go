package markdown

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// nativeAwkward holds text that has broken Markdown writers before: table and
// escape syntax, the format's own markers, headings and fences, HTML, YAML
// look-alikes, unicode line separators and text at the edges of lines.
var nativeAwkward = []string{
	"", " ", "  ", "\t", "|", "a | b", "\\", "\\|", "\\\\|", "ends with \\",
	"line one\nline two", "\n", "\n\n", "trailing newline\n", "\nleading newline",
	" leading space", "trailing space ", "\ttab\t", "\r\n", "cr\ronly", "&#32;", "&#9;",
	"&amp; &lt;", "\\&#13;", "<br>", "<BR/>", "a<br />b", "\\<br>", "**bold**", "*(#1)*",
	"x *(#2, root cause)*", "** half", "*", "#", "C#", "ends with #", "# heading",
	"## Timeline", "### Five whys", "## Executive summary", "- list item", "  - nested",
	"1. ordered", "> quote", "---", "...", "```\n## not a heading\n```", "~~~go\ncode\n~~~",
	"<!-- debrief:narrative -->", "<!-- /debrief:narrative -->",
	"\\<!-- /debrief:section -->", "<!-- /debrief:section -->\n", "<!-- comment",
	"<script>alert(1)</script>", "<div>\n\n# html\n</div>", "[link](http://x/?a=|b)",
	"yes", "no", "null", "~", "1.0", "0x1F", "- a", "key: value", ": colon", "#comment",
	"'single'", "\"double\"", "{flow: map}", "[flow, seq]", "@at", "`tick`", "%percent",
	"日本語の事後検証", "émoji 🚀🔥", "\u2028line\u2029sep", "\u0085nel", "\ufeffbom",
	"\u200bzero width", "right-to-left \u202e", "combining e\u0301", "\x01\x1f control",
	"| --- | --- |", "| a | b |", ":---:", "under #3", "kind: root", "Other lessons: x",
	"**Date:** 2024-01-01T00:00:00Z", "Went well", "What went well",
}

// nativeGenerator builds reports with every field set (or deliberately unset)
// from a seed, so a failing case can be replayed.
type nativeGenerator struct{ r *rand.Rand }

func newNativeGenerator(seed uint64) *nativeGenerator {
	return &nativeGenerator{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// text returns a string made of awkward pieces, plain words and random
// runes; sometimes empty, sometimes very long.
func (g *nativeGenerator) text() string {
	switch g.r.IntN(12) {
	case 0:
		return ""
	case 1:
		return strings.Repeat("long text | with pipes\\ and words ", 200+g.r.IntN(200))
	case 2:
		return g.runes()
	}
	var b strings.Builder
	for range 1 + g.r.IntN(4) {
		if g.r.IntN(2) == 0 {
			b.WriteString(nativeAwkward[g.r.IntN(len(nativeAwkward))])
		} else {
			b.WriteString([]string{"the ", "deploy ", "failed ", "ok", " and "}[g.r.IntN(5)])
		}
	}
	return b.String()
}

// runes returns random code points, surrogates excluded, NUL included:
// Normalize replaces what a file cannot hold.
func (g *nativeGenerator) runes() string {
	var b strings.Builder
	for range g.r.IntN(40) {
		var r rune
		switch g.r.IntN(3) {
		case 0:
			r = rune(g.r.IntN(128))
		case 1:
			r = rune(g.r.IntN(0x3000))
		default:
			r = rune(0x10000 + g.r.IntN(0x10000))
		}
		b.WriteRune(r)
	}
	return b.String()
}

// nativeOneOf returns a valid value most of the time, else awkward text.
func nativeOneOf[T ~string](g *nativeGenerator, valid []T) T {
	if g.r.IntN(4) == 0 {
		return T(g.text())
	}
	return valid[g.r.IntN(len(valid))]
}

func (g *nativeGenerator) strings() []string {
	n := g.r.IntN(4)
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = g.text()
	}
	return out
}

func (g *nativeGenerator) time() time.Time {
	if g.r.IntN(3) == 0 {
		return time.Time{}
	}
	sec := g.r.Int64N(4_000_000_000)
	ns := int64(0)
	if g.r.IntN(2) == 0 {
		ns = g.r.Int64N(1_000_000_000)
	}
	return time.Unix(sec, ns).UTC()
}

func (g *nativeGenerator) float() *float64 {
	if g.r.IntN(3) == 0 {
		return nil
	}
	f := []float64{0, -0.5, 1e-9, 12.25, 1e300, g.r.Float64() * 1e4}[g.r.IntN(6)]
	return &f
}

func (g *nativeGenerator) int64() *int64 {
	if g.r.IntN(3) == 0 {
		return nil
	}
	n := []int64{0, -1, 1 << 62, g.r.Int64N(1e6)}[g.r.IntN(4)]
	return &n
}

func (g *nativeGenerator) postmortem() *debrief.Postmortem {
	p := &debrief.Postmortem{
		ID: g.text(), Title: g.text(),
		Status:     nativeOneOf(g, debrief.Statuses),
		Visibility: nativeOneOf(g, []debrief.Visibility{"", "internal", "restricted"}),
		Authors:    g.strings(), Facilitator: g.text(), TimeZone: g.text(),
		Tags: g.strings(), CreatedAt: g.time(), UpdatedAt: g.time(), UpdatedBy: g.text(),
		Version: g.r.IntN(1000) - 1,
		Source:  debrief.Source{Path: g.text(), Format: g.text(), Digest: g.text()},
	}
	p.Incident = debrief.Incident{
		ID: g.text(), Title: g.text(), Services: g.strings(),
		Severity:  nativeOneOf(g, debrief.DefaultSeverities),
		Category:  nativeOneOf(g, debrief.Categories),
		Status:    nativeOneOf(g, []debrief.IncidentStatus{"open", "resolved", "mitigated"}),
		StartedAt: g.time(), DetectedAt: g.time(), AcknowledgedAt: g.time(),
		MitigatedAt: g.time(), ResolvedAt: g.time(),
		UserImpact: g.r.IntN(2) == 0, CriticalProcess: g.r.IntN(3) == 0,
	}
	p.Summary = debrief.Summary{Category: nativeOneOf(g, debrief.Categories),
		ExecutiveSummary: g.text(), Narrative: g.text()}
	p.Timeline = g.timeline()
	p.Analysis = g.analysis()
	p.ContributingFactors = g.factors()
	p.Impacts = g.impacts()
	p.Lessons = g.lessons()
	p.ActionItems = g.actions()
	g.people(p)
	p.Sections = g.sections()
	p.Fields = g.fields()
	return p
}

func (g *nativeGenerator) timeline() []debrief.TimelineEvent {
	var out []debrief.TimelineEvent
	for range g.r.IntN(6) {
		out = append(out, debrief.TimelineEvent{
			Time: g.time(), TimeText: g.text(), Text: g.text(),
			Kind: nativeOneOf(g, debrief.EventKinds), Source: g.text(),
			Flag: nativeOneOf(g, []string{"", debrief.FlagApproximate, debrief.FlagOutOfOrder}),
		})
	}
	return out
}

func (g *nativeGenerator) analysis() debrief.Analysis {
	a := debrief.Analysis{RootCause: g.text(), Trigger: g.text(), Detection: g.text(),
		Resolution: g.text(), Whys: g.whys()}
	for range g.r.IntN(5) {
		a.Causes = append(a.Causes, debrief.Cause{
			Category: nativeOneOf(g, debrief.FishboneCategories), Text: g.text(),
			Kind: nativeOneOf(g, []debrief.CauseKind{"", "root", "causal"}),
		})
	}
	return a
}

// whys builds a forest of any depth and branching, with now and then a
// parent that does not exist or a cycle, in shuffled order.
func (g *nativeGenerator) whys() []debrief.Why {
	n := g.r.IntN(12)
	if n == 0 {
		return nil
	}
	ids := g.r.Perm(n * 3)[:n]
	out := make([]debrief.Why, n)
	for i := range out {
		w := debrief.Why{ID: ids[i] + 1, Question: g.text(), Answer: g.text(),
			Kind: nativeOneOf(g, []debrief.CauseKind{"", "root", "causal"})}
		switch k := g.r.IntN(10); {
		case k < 3 || i == 0:
		case k < 8:
			w.ParentID = out[g.r.IntN(i)].ID
		case k < 9:
			w.ParentID = 10_000 + g.r.IntN(5) // missing parent
		default:
			w.ParentID = ids[g.r.IntN(n)] + 1 // may close a cycle
		}
		out[i] = w
	}
	g.r.Shuffle(n, func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func (g *nativeGenerator) factors() []debrief.ContributingFactor {
	var out []debrief.ContributingFactor
	for range g.r.IntN(4) {
		out = append(out, debrief.ContributingFactor{
			Category:    nativeOneOf(g, debrief.FactorCategories),
			Description: g.text(), HowContributed: g.text(),
		})
	}
	return out
}

func (g *nativeGenerator) impacts() []debrief.Impact {
	var out []debrief.Impact
	for range g.r.IntN(4) {
		out = append(out, debrief.Impact{
			Kind: nativeOneOf(g, debrief.ImpactKinds), Description: g.text(),
			MinutesDown: g.float(), UsersAffected: g.int64(),
			FailedTransactions: g.int64(), Money: g.text(), Currency: g.text(),
		})
	}
	return out
}

func (g *nativeGenerator) lessons() []debrief.Lesson {
	var out []debrief.Lesson
	for range g.r.IntN(7) {
		out = append(out, debrief.Lesson{Kind: nativeOneOf(g, debrief.LessonKinds), Text: g.text()})
	}
	return out
}

func (g *nativeGenerator) actions() []debrief.ActionItem {
	var out []debrief.ActionItem
	for i := range g.r.IntN(4) {
		out = append(out, debrief.ActionItem{
			Number: i + 1 - g.r.IntN(3), Description: g.text(), Owner: g.text(),
			OwnerIsTeam: g.r.IntN(2) == 0, Due: g.text(),
			Impact:        nativeOneOf(g, []debrief.Level{"low", "medium", "high"}),
			Effort:        nativeOneOf(g, []debrief.Level{"low", "medium", "high"}),
			Category:      nativeOneOf(g, debrief.ActionCategories),
			Purpose:       nativeOneOf(g, []debrief.Purpose{"prevention", "mitigation"}),
			SuccessMetric: g.text(), Verification: g.text(),
			Status:        nativeOneOf(g, debrief.ActionStatuses),
			BlockedReason: g.text(), TrackerURL: g.text(),
		})
	}
	return out
}

func (g *nativeGenerator) people(p *debrief.Postmortem) {
	for range g.r.IntN(4) {
		p.Team = append(p.Team, debrief.TeamMember{Name: g.text(),
			Role: nativeOneOf(g, []debrief.Role{debrief.RoleDeveloper, debrief.RoleFacilitator})})
	}
	p.Meeting = debrief.Meeting{Date: g.time(), Attendees: g.strings(), Notes: g.text()}
	for range g.r.IntN(3) {
		p.Links = append(p.Links, debrief.Link{Title: g.text(), URL: g.text()})
	}
}

func (g *nativeGenerator) sections() []debrief.Section {
	var out []debrief.Section
	headings := []string{"Timeline", "Executive summary", "Root cause analysis", "Links"}
	for range g.r.IntN(4) {
		h := g.text()
		if g.r.IntN(3) == 0 {
			h = headings[g.r.IntN(len(headings))]
		}
		out = append(out, debrief.Section{Heading: h, Body: g.text()})
	}
	return out
}

func (g *nativeGenerator) fields() map[string]string {
	n := g.r.IntN(4)
	if n == 0 {
		return nil
	}
	out := map[string]string{}
	for range n {
		out[g.text()] = g.text()
	}
	return out
}
