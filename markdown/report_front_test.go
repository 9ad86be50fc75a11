package markdown

import (
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
)

func parseText(t *testing.T, doc string) *Result {
	t.Helper()
	res, err := Parse(Document{Name: "x.md", Data: []byte(doc)})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

const frontKeysReport = `---
title: Queue backlog
authors: [Alice, Bob]
facilitator: Carol
services: [queue, billing]
status: draft
tags: queue, backlog
time_zone: Europe/Copenhagen
start_time: 2024-03-07 10:00
links:
  - {title: Ticket, url: "https://tracker.example/INC-7"}
  - https://status.example/incidents/7
incident_id: INC-7
owners: {primary: Dana, backup: Eve}
---
# Queue backlog

Text.
`

func TestFrontMatterMapsCommonKeys(t *testing.T) {
	res := parseText(t, frontKeysReport)
	p := res.Postmortem
	if strings.Join(p.Authors, "|") != "Alice|Bob" || p.Facilitator != "Carol" {
		t.Errorf("authors %q facilitator %q", p.Authors, p.Facilitator)
	}
	if strings.Join(p.Incident.Services, "|") != "queue|billing" {
		t.Errorf("services %q", p.Incident.Services)
	}
	if p.Status != debrief.StatusDraft || strings.Join(p.Tags, "|") != "queue|backlog" {
		t.Errorf("status %q tags %q", p.Status, p.Tags)
	}
	// 10:00 in Copenhagen in March is 09:00 UTC.
	if p.TimeZone != "Europe/Copenhagen" ||
		!p.Incident.StartedAt.Equal(time.Date(2024, 3, 7, 9, 0, 0, 0, time.UTC)) {
		t.Errorf("zone %q start %v", p.TimeZone, p.Incident.StartedAt)
	}
	want := []debrief.Link{{Title: "Ticket", URL: "https://tracker.example/INC-7"},
		{URL: "https://status.example/incidents/7"}}
	if len(p.Links) != 2 || p.Links[0] != want[0] || p.Links[1] != want[1] {
		t.Errorf("links %+v", p.Links)
	}
	// A foreign id stays a custom field: the store keys incidents by ID.
	if p.Fields["incident_id"] != "INC-7" || p.Incident.ID != "" {
		t.Errorf("incident_id field %q, incident ID %q", p.Fields["incident_id"], p.Incident.ID)
	}
	if p.Fields["owners"] != "backup: Eve\nprimary: Dana" {
		t.Errorf("owners field %q", p.Fields["owners"])
	}
	if len(res.Warnings) != 0 {
		t.Errorf("warnings %v", res.Warnings)
	}
}

// TestFrontMatterWrongTypesWarn checks that a value of the wrong shape is
// named in a warning on its line and kept, not dropped.
func TestFrontMatterWrongTypesWarn(t *testing.T) {
	tests := []struct {
		front string
		key   string
		kept  string
	}{
		{"title: {a: 1}", "title", "a: 1"},
		{"start_time: yesterday", "start_time", "yesterday"},
		{"start_time: [1, 2]", "start_time", "- 1\n- 2"},
		{"end_time: 2020-02-30T10:00:00Z", "end_time", "2020-02-30T10:00:00Z"},
		{"end_time: 9999-12-31T23:59:00Z", "end_time", "9999-12-31T23:59:00Z"},
		{"start_time: 0001-01-01", "start_time", "0001-01-01T00:00:00Z"},
		{"services: {a: 1}", "services", "a: 1"},
		{"services: 42", "services", "42"},
		{"authors: true", "authors", "true"},
		{"severity: {a: 1}", "severity", "a: 1"},
		{"authors: [[Alice]]", "authors", "- - Alice"},
		{"links: [{title: no url}]", "links", "- title: no url"},
		{"status: wobbly", "status", "wobbly"},
		{"time_zone: Mars/Olympus", "time_zone", "Mars/Olympus"},
		{"summary: [a, b]", "summary", "- a\n- b"},
	}
	for _, tt := range tests {
		t.Run(tt.front, func(t *testing.T) {
			res := parseText(t, "---\nuuid: x\n"+tt.front+"\n---\n# T\n\nText.\n")
			if len(res.Warnings) != 1 {
				t.Fatalf("warnings %v, want one", res.Warnings)
			}
			w := res.Warnings[0]
			if w.Line != 3 || !strings.Contains(w.Message, `"`+tt.key+`"`) {
				t.Errorf("warning %q, want it on line 3 naming %q", w, tt.key)
			}
			if got := res.Postmortem.Fields[tt.key]; got != tt.kept {
				t.Errorf("field %q = %q, want %q", tt.key, got, tt.kept)
			}
		})
	}
}

func TestFrontMatterTitleOfWrongTypeFallsBack(t *testing.T) {
	res := parseText(t, "---\ntitle: [a]\n---\n# Heading title\n")
	if res.Postmortem.Title != "Heading title" {
		t.Errorf("title %q", res.Postmortem.Title)
	}
}

func TestServicesSplitIntoNames(t *testing.T) {
	tests := []struct{ in, want string }{
		{"EC2, EBS, RDS", "EC2|EBS|RDS"},
		{"API and Dashboard", "API|Dashboard"},
		{"EC2; EBS", "EC2|EBS"},
		{"EC2, EBS, and RDS", "EC2|EBS|RDS"},
		{"Amazon Elastic Block Store (EBS, io2), Amazon EC2", "Amazon Elastic Block Store " +
			"(EBS, io2)|Amazon EC2"},
		{"BBC iPlayer, bbc.co.uk audio and video playback, BBC homepage",
			"BBC iPlayer|bbc.co.uk audio and video playback|BBC homepage"},
		{"EVE Online: Trinity installer", "EVE Online: Trinity installer"},
		{"the whole of the site and every one of the apps we run", "the whole of the site " +
			"and every one of the apps we run"},
	}
	for _, tt := range tests {
		p := parseText(t, "---\nproduct: \""+tt.in+"\"\n---\n# T\n").Postmortem
		if got := strings.Join(p.Incident.Services, "|"); got != tt.want {
			t.Errorf("product %q: services %q, want %q", tt.in, got, tt.want)
		}
	}
	// A list is already split by its author: its items stay whole.
	p := parseText(t, "---\nservices: [\"Search and Indexing\", API]\n---\n# T\n").Postmortem
	if got := strings.Join(p.Incident.Services, "|"); got != "Search and Indexing|API" {
		t.Errorf("services %q", got)
	}
}
