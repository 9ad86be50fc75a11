package markdown

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
)

func TestParseRefusesNonReports(t *testing.T) {
	tests := []struct {
		name string
		data string
		want []string
	}{
		{"empty", "", []string{"empty"}},
		{"only blanks", " \n\t\n", []string{"empty"}},
		{"binary", "# T\x00\x01", []string{"binary", "offset 3"}},
		{"invalid UTF-8", "# Title\n\nok\nab\xffc\n", []string{"UTF-8", "line 4", "column 3"}},
		{"bad YAML", "---\ntitle: ok\nkeywords: [a, b\n---\n# T\n", []string{"YAML", "line"}},
		{"YAML not a mapping", "---\n- a\n- b\n---\n# T\n", []string{"mapping"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(Document{Name: "x.md", Data: []byte(tt.data)})
			var de *debrief.Error
			if !errors.As(err, &de) || de.Kind != debrief.KindInvalid {
				t.Fatalf("err = %v, want a KindInvalid error", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("message %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestYAMLErrorNamesFileLine(t *testing.T) {
	// The bad mapping is on line 3 of the block, which is line 4 of the file.
	data := "---\ntitle: a\nx: b\ny: : c\n---\n"
	_, err := Parse(Document{Name: "x.md", Data: []byte(data)})
	if err == nil || !strings.Contains(err.Error(), "line 4") {
		t.Fatalf("err = %v, want it to name line 4", err)
	}
}

const shapesReport = `---
title: Checkout outage
start_time: 2024-03-07T09:00:00Z
severity: P2
categories: [availability]
---
Checkout down
=============

Preamble text that is not the summary.

Summary
-------

Payments failed after a release.

## Impact

About 2,000 users could not pay; 4 hours of downtime.

## Timeline

All times in CET.

- 10:05 Alert fired for checkout errors
- 10:20 On-call paged and escalated to payments
- 23:50 Rolled back the release
- 00:10 Service fully restored

` + "```" + `
00:30 follow-up log line
00:40 another line
` + "```" + `

## Contributing factors

- **No canary**: the release went to all hosts at once
- Missing alert on error rate

## What went well

- Fast rollback

## Where we got lucky

- Low traffic

## Follow-ups

- [x] Add canary stage (owner: SRE team, due 2024-04-01)
- [ ] Alert on error rate @payments-team
- Write runbook. Owner: Alice

| Action | Owner | Due | Status |
|---|---|---|---|
| Load test checkout | Bob | 2024-05-01 | in progress |

## Attendees

- Alice
- Bob

## Q&A

Q: Why? A: Because.
`

func TestParseReportShapes(t *testing.T) {
	res, err := Parse(Document{Name: "2024-03-07-checkout.md", Data: []byte(shapesReport)})
	if err != nil {
		t.Fatal(err)
	}
	p := res.Postmortem
	if p.Title != "Checkout outage" || p.Incident.Severity != "P2" || p.TimeZone != "CET" {
		t.Errorf("title %q severity %q zone %q", p.Title, p.Incident.Severity, p.TimeZone)
	}
	wantTimes := []string{"2024-03-07T09:05:00Z", "2024-03-07T09:20:00Z",
		"2024-03-07T22:50:00Z", "2024-03-07T23:10:00Z", "2024-03-07T23:30:00Z",
		"2024-03-07T23:40:00Z"}
	if len(p.Timeline) != len(wantTimes) {
		t.Fatalf("timeline %+v", p.Timeline)
	}
	for i, w := range wantTimes {
		if got := p.Timeline[i].Time.Format(time.RFC3339); got != w {
			t.Errorf("event %d at %s, want %s", i, got, w)
		}
	}
	kinds := []debrief.EventKind{debrief.EventDetection, debrief.EventEscalation,
		debrief.EventMitigation, debrief.EventResolution}
	for i, k := range kinds {
		if p.Timeline[i].Kind != k {
			t.Errorf("event %d kind %q, want %q", i, p.Timeline[i].Kind, k)
		}
	}
	checkShapesAnalysis(t, p)
	checkShapesActions(t, p)
}

func checkShapesAnalysis(t *testing.T, p *debrief.Postmortem) {
	t.Helper()
	if len(p.ContributingFactors) != 2 || p.ContributingFactors[0].Description != "No canary" ||
		p.ContributingFactors[0].Category != "" {
		t.Errorf("factors %+v", p.ContributingFactors)
	}
	if len(p.Lessons) != 2 || p.Lessons[0].Kind != debrief.LessonWentWell ||
		p.Lessons[1].Kind != debrief.LessonLucky {
		t.Errorf("lessons %+v", p.Lessons)
	}
	if len(p.Impacts) != 1 || p.Impacts[0].UsersAffected == nil ||
		*p.Impacts[0].UsersAffected != 2000 || p.Impacts[0].MinutesDown == nil ||
		*p.Impacts[0].MinutesDown != 240 {
		t.Errorf("impacts %+v", p.Impacts)
	}
	if len(p.Meeting.Attendees) != 2 {
		t.Errorf("attendees %v", p.Meeting.Attendees)
	}
	headings := []string{}
	for _, s := range p.Sections {
		headings = append(headings, s.Heading)
	}
	if strings.Join(headings, "|") != "Checkout down|Q&A" {
		t.Errorf("free sections %q", headings)
	}
}

func checkShapesActions(t *testing.T, p *debrief.Postmortem) {
	t.Helper()
	want := []debrief.ActionItem{
		{Number: 1, Owner: "SRE team", OwnerIsTeam: true, Due: "2024-04-01",
			Status: debrief.ActionDone},
		{Number: 2, Owner: "@payments-team", OwnerIsTeam: true, Status: debrief.ActionOpen},
		{Number: 3, Owner: "Alice", Status: debrief.ActionOpen},
		{Number: 4, Owner: "Bob", Due: "2024-05-01", Status: debrief.ActionInProgress},
	}
	if len(p.ActionItems) != len(want) {
		t.Fatalf("actions %+v", p.ActionItems)
	}
	for i, w := range want {
		a := p.ActionItems[i]
		if a.Number != w.Number || a.Owner != w.Owner || a.OwnerIsTeam != w.OwnerIsTeam ||
			a.Due != w.Due || a.Status != w.Status || a.Description == "" {
			t.Errorf("action %d = %+v, want %+v", i, a, w)
		}
	}
}

func TestImpossibleTimeWarnsWithLine(t *testing.T) {
	doc := "# T\n\n## Timeline (all times PST)\n\n_7/5/2023_\n\n12:11 PM: one\n\n13:06 PM: two\n"
	res, err := Parse(Document{Name: "x.md", Data: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	tl := res.Postmortem.Timeline
	if len(tl) != 2 || tl[1].Flag != debrief.FlagImpossible || !tl[1].Time.IsZero() ||
		tl[1].TimeText != "13:06 PM" {
		t.Fatalf("timeline %+v", tl)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Line != 9 {
		t.Errorf("warnings %v, want one on line 9", res.Warnings)
	}
}

func TestTitleFallsBackToFileName(t *testing.T) {
	res, err := Parse(Document{Name: "dir/PM2022-006 - ALB.md", Data: []byte("Some text.\n")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Postmortem.Title != "PM2022-006 - ALB" {
		t.Errorf("title %q", res.Postmortem.Title)
	}
	// The warning says the title was not found; the list must not say it was.
	if len(res.Recognised) == 0 || res.Recognised[0] != "title (from the file name)" {
		t.Errorf("recognised %q", res.Recognised)
	}
}

func FuzzParse(f *testing.F) {
	for _, rel := range []string{
		// Short files: the fuzzer mutates faster on small inputs.
		"dfds/PM2020-004 - CoreDNS upgrade issue.md",
		"chia/2021-05/2021-05-26-website-outage.md",
		"posthog/investigations/2024-02-28-decide is down.md",
		"icco/01494547-7ee9-4169-a0c0-d921fa309d83.md",
	} {
		if data, err := os.ReadFile(filepath.Join(corpusDir, rel)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(shapesReport))
	f.Add([]byte(frontKeysReport))
	f.Add([]byte("---\nseverity: {a: 1}\nservices: 42\nend_time: 2020-02-30\n---\n" +
		"**Severity:** P0\n"))
	f.Add([]byte("---\n---\n| a |\n|---|\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(Document{Name: "fuzz.md", Data: data})
		if err != nil {
			var de *debrief.Error
			if !errors.As(err, &de) {
				t.Fatalf("error without a kind: %v", err)
			}
			return
		}
		checkResult(t, "fuzz", res, data)
	})
}

func TestTimelineDaylightSavingWarns(t *testing.T) {
	doc := "# T\n\n## Timeline (all times America/New_York)\n\n" +
		"- 2024-03-10 02:30 lost hour\n- 2024-11-03 01:30 twice\n" +
		"- 2024-03-01T10:00:00+25:00 bad offset\n- 9999-12-31 23:59 far\n"
	res, err := Parse(Document{Name: "x.md", Data: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	tl := res.Postmortem.Timeline
	want := []string{debrief.FlagImpossible, debrief.FlagApproximate,
		debrief.FlagImpossible, debrief.FlagImpossible}
	if len(tl) != len(want) {
		t.Fatalf("timeline %+v", tl)
	}
	for i, f := range want {
		if tl[i].Flag != f {
			t.Errorf("event %d flag %q, want %q", i, tl[i].Flag, f)
		}
	}
	lines := map[int]bool{}
	for _, w := range res.Warnings {
		lines[w.Line] = true
	}
	for _, l := range []int{5, 6, 7, 8} {
		if !lines[l] {
			t.Errorf("no warning on line %d: %v", l, res.Warnings)
		}
	}
}
