package debrief

import (
	"strings"
	"testing"
	"time"
)

func TestValidateNamesTheFieldAtFault(t *testing.T) {
	long := strings.Repeat("x", MaxTextLen+1)
	tests := []struct {
		name  string
		edit  func(p *Postmortem)
		field string
	}{
		{"javascript link", func(p *Postmortem) {
			p.Links = []Link{{URL: "https://ok.example"}, {URL: "javascript:alert(1)"}}
		}, "links[1].url"},
		{"data link", func(p *Postmortem) { p.Links = []Link{{URL: "data:text/html,x"}} },
			"links[0].url"},
		{"relative link", func(p *Postmortem) { p.Links = []Link{{URL: "/etc/passwd"}} },
			"links[0].url"},
		{"tracker url", func(p *Postmortem) {
			p.ActionItems = []ActionItem{{Number: 1, TrackerURL: "vbscript:x"}}
		}, "action_items[0].tracker_url"},
		{"event kind", func(p *Postmortem) { p.Timeline = []TimelineEvent{{Kind: "panic"}} },
			"timeline[0].kind"},
		{"huge text", func(p *Postmortem) { p.Summary.Narrative = long }, "summary.narrative"},
		{"long title", func(p *Postmortem) { p.Title = strings.Repeat("t", 301) }, "title"},
		{"NUL", func(p *Postmortem) { p.Title = "a\x00b" }, "title"},
		{"bad UTF-8", func(p *Postmortem) { p.Summary.Narrative = "\xff" }, "summary.narrative"},
		{"escape sequence", func(p *Postmortem) { p.Title = "Evil \x1b]0;PWNED\x07" }, "title"},
		{"highlight marker", func(p *Postmortem) {
			p.Summary.Narrative = "\x02FAKE HIT\x03"
		}, "summary.narrative"},
		{"bidi override", func(p *Postmortem) { p.Tags = []string{"a\u202eb"} }, "tags[0]"},
		{"why loop parent", func(p *Postmortem) {
			p.Analysis.Whys = []Why{{ID: 1}, {ID: 2, ParentID: 9}}
		}, "analysis.whys[1].parent_id"},
		{"duplicate why", func(p *Postmortem) { p.Analysis.Whys = []Why{{ID: 1}, {ID: 1}} },
			"analysis.whys[1].id"},
		{"bone", func(p *Postmortem) { p.Analysis.Causes = []Cause{{Category: "Luck"}} },
			"analysis.causes[0].category"},
		{"due date", func(p *Postmortem) { p.ActionItems = []ActionItem{{Due: "next week"}} },
			"action_items[0].due"},
		{"duplicate item", func(p *Postmortem) {
			p.ActionItems = []ActionItem{{Number: 2}, {Number: 2}}
		}, "action_items[1].number"},
		{"negative users", func(p *Postmortem) {
			n := int64(-1)
			p.Impacts = []Impact{{UsersAffected: &n}}
		}, "impacts[0].users_affected"},
		{"too many events", func(p *Postmortem) { p.Timeline = make([]TimelineEvent, MaxListLen+1) },
			"timeline"},
		{"empty title", func(p *Postmortem) { p.Title = "  " }, "title"},
		{"unknown zone", func(p *Postmortem) { p.TimeZone = "Mars/Olympus" }, "time_zone"},
		{"zone word", func(p *Postmortem) { p.TimeZone = "lunchtime" }, "time_zone"},
		{"severity off the ladder", func(p *Postmortem) { p.Incident.Severity = "critical" },
			"incident.severity"},
		{"money with a sign", func(p *Postmortem) {
			p.Impacts = []Impact{{Money: "$12,500"}}
		}, "impacts[0].money"},
		{"negative money", func(p *Postmortem) { p.Impacts = []Impact{{Money: "-5"}} },
			"impacts[0].money"},
		{"currency name", func(p *Postmortem) {
			p.Impacts = []Impact{{Money: "10", Currency: "euro"}}
		}, "impacts[0].currency"},
		{"lower-case currency", func(p *Postmortem) { p.Impacts = []Impact{{Currency: "usd"}} },
			"impacts[0].currency"},
		{"year 9999", func(p *Postmortem) {
			p.Incident.DetectedAt = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC)
		}, "incident.detected_at"},
		{"resolved before start", func(p *Postmortem) {
			p.Incident.StartedAt = p.Incident.ResolvedAt.AddDate(0, 0, 1)
		}, "incident.resolved_at"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Postmortem{Title: "ok", Status: StatusDraft}
			p.Incident.ResolvedAt = p.Incident.ResolvedAt.AddDate(2026, 0, 0)
			tt.edit(p)
			err := p.Validate()
			if ErrorKind(err) != KindInvalid || ErrorField(err) != tt.field {
				t.Errorf("Validate() = %v (field %q), want an invalid error on %q",
					err, ErrorField(err), tt.field)
			}
		})
	}
	ok := &Postmortem{Title: "fine", Status: StatusDraft, TimeZone: "Europe/Copenhagen",
		Links:   []Link{{URL: "https://status.example.com/x"}, {URL: "mailto:sre@example.com"}},
		Impacts: []Impact{{Money: "12500.00", Currency: "EUR"}, {Money: "7"}}}
	ok.Incident.Severity = "P2"
	if err := ok.Validate(); err != nil {
		t.Errorf("a valid report: %v", err)
	}
	for _, zone := range []string{"UTC", "CET", "PST", "America/New_York", "UTC+2"} {
		ok.TimeZone = zone
		if err := ok.Validate(); err != nil {
			t.Errorf("time zone %q: %v", zone, err)
		}
	}
}
