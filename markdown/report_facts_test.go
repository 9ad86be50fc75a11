package markdown

import (
	"testing"
	"time"
)

// The facts below were checked by reading each report by hand.
var corpusFacts = []struct {
	file         string
	title        string
	events       int
	first, last  string // RFC 3339, or "" when the entry has no full moment
	zone         string
	actions      int
	impossible   int
	recognisedAs string
}{
	{file: "dfds/PM2019-009 - Kubernetes network infrastructure IP starvation.md",
		title: "Kubernetes network infrastructure IP starvation", events: 14,
		first: "2019-11-29T11:00:00Z", last: "2019-12-05T11:00:00Z", zone: "CET", actions: 4,
		recognisedAs: "timeline (14 events, CET)"},
	{file: "dfds/PM2020-009 - KIAM service disruption due to upgrade.md",
		title: "KIAM service disruption due to upgrade", events: 3,
		first: "2020-11-17T09:45:00Z", last: "2020-11-23T13:41:00Z", zone: "CET", actions: 1},
	{file: "dfds/PM2021-004 - ADFS outage.md", title: "ADFS Outage", events: 8,
		first: "2021-03-31T12:06:00Z", last: "2021-03-31T13:30:00Z", zone: "UTC", actions: 3},
	{file: "dfds/PM2022-006 - ALB 502 errors.md", title: "ALB 502 Errors", events: 10,
		first: "", last: "", zone: "UTC", actions: 4},
	{file: "dfds/PM2022-009 - Bad AWS EKS AMI causing Kubernetes issues",
		title: "Bad AWS EKS AMI", events: 20,
		first: "2022-10-29T01:02:00Z", last: "2022-11-02T14:40:00Z", zone: "UTC", actions: 7},
	{file: "dfds/PM2020-003 - Postmortem for ADSync migration.md",
		title: "ADSync migration issues", events: 5, zone: "CET", actions: 4, impossible: 5},
	{file: "chia/2021-05/2021-05-26-website-outage.md", title: "Website Outage 5-26-21",
		events: 11, first: "2021-05-26T16:49:00Z", last: "2021-05-26T18:00:00Z", zone: "UTC"},
	{file: "chia/2021-05/2021-05-10-WikiAttack.md", title: "2021-05-10-WikiAttack",
		events: 4, first: "2021-05-10T09:15:04Z", last: "2021-05-10T10:03:52Z", zone: "UTC"},
	{file: "chia/2021-10/2021-10-31-DustStorm.md", title: "Oct 31 2021 Dust Storm",
		events: 19, first: "2021-10-30T20:45:00Z", last: "2021-11-01T18:00:00Z", zone: "PST",
		impossible: 11},
	{file: "chia/2022-01/2022-01-27-Ramp-Card.md",
		title: "Chia Employee Credit Card Fraudulent Charge", events: 18,
		first: "2022-01-28T02:34:00Z", last: "2022-02-10T17:52:00Z", zone: "UTC"},
	{file: "chia/2022-06/2022-06-28-ProxyAbuseReport.md",
		title: "Data Layer Testing Proxy Abuse Report", events: 16,
		first: "2022-06-27T21:47:00Z", last: "2022-06-29T20:35:00Z", zone: "PST"},
	{file: "chia/2022-10/2022-10-20-Beta-Keybase-Channel-Permissions",
		title: "Keybase Beta Participant Permissions Post Mortem", events: 4,
		first: "2022-10-20T21:38:00Z", last: "2022-10-21T04:00:00Z", zone: "PST"},
	{file: "chia/2022-10/2022-10-31-Android-Phone-Incident", title: "Android Phone Incident"},
	{file: "chia/2023-07/2023-07-05-email-gift-card-phish.md", title: "Phishing Attempt Via Email",
		events: 17, first: "2023-07-05T20:11:00Z", last: "2023-07-06T15:05:00Z", zone: "PST",
		impossible: 14},
	{file: "chia/2025-02/2025-02-25-block_production_impact_due_FastForward_mempool_issues.md",
		title: "Block creation impacted due to mempool issues.", events: 8,
		first: "2025-02-14T07:00:00Z", last: "2025-02-19T23:15:00Z", zone: "PST"},
	{file: "posthog/2025-09-29-flags-is-down.md",
		title: "PostHog Feature Flags Service Outage - September 29, 2025", events: 8,
		first: "2025-09-29T16:58:00Z", last: "2025-09-29T18:46:00Z", zone: "UTC", actions: 9},
	{file: "posthog/2025-10-03-surveys-sdk-bug.md", title: "PostHog Surveys SDK Bug - October 3, 2025",
		events: 8, first: "2025-10-03T10:45:00Z", last: "2025-10-03T22:28:00Z", zone: "UTC",
		actions: 9},
	{file: "posthog/2025-11-15-persons-db-migration.md",
		title:   "PostHog Data Processing Delays - Events & Persons Ingestion (November 2025)",
		actions: 11},
	{file: "posthog/investigations/2024-02-28-decide is down.md",
		title: "2024-02-28-decide is down"},
	{file: "icco/01494547-7ee9-4169-a0c0-d921fa309d83.md",
		title: "EVE Online: Trinity installer deletes boot.ini"},
}

func TestCorpusFacts(t *testing.T) {
	corpusFiles(t) // skips when the corpus is absent
	for _, f := range corpusFacts {
		t.Run(f.file, func(t *testing.T) {
			p := parseCorpusFile(t, f.file).Postmortem
			if p.Title != f.title {
				t.Errorf("title = %q, want %q", p.Title, f.title)
			}
			if len(p.Timeline) != f.events {
				t.Fatalf("timeline has %d events, want %d", len(p.Timeline), f.events)
			}
			if f.events > 0 {
				checkMoment(t, "first", p.Timeline[0].Time, f.first)
				checkMoment(t, "last", p.Timeline[len(p.Timeline)-1].Time, f.last)
			}
			if p.TimeZone != f.zone {
				t.Errorf("zone = %q, want %q", p.TimeZone, f.zone)
			}
			if len(p.ActionItems) != f.actions {
				t.Errorf("%d action items, want %d", len(p.ActionItems), f.actions)
			}
			impossible := 0
			for _, e := range p.Timeline {
				if e.Flag == "impossible" {
					impossible++
				}
			}
			if impossible != f.impossible {
				t.Errorf("%d impossible times, want %d", impossible, f.impossible)
			}
		})
	}
}

func checkMoment(t *testing.T, which string, got time.Time, want string) {
	t.Helper()
	if want == "" {
		if !got.IsZero() {
			t.Errorf("%s event at %v, want no moment", which, got)
		}
		return
	}
	w, err := time.Parse(time.RFC3339, want)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(w) {
		t.Errorf("%s event at %v, want %v", which, got, w)
	}
}

// TestCorpusIccoFrontMatter checks the front matter mapping on a report read by hand.
func TestCorpusIccoFrontMatter(t *testing.T) {
	corpusFiles(t)
	p := parseCorpusFile(t, "icco/01494547-7ee9-4169-a0c0-d921fa309d83.md").Postmortem
	if got := p.Incident.StartedAt.Format(time.RFC3339); got != "2007-12-05T22:04:00Z" {
		t.Errorf("started %s", got)
	}
	if got := p.Incident.ResolvedAt.Format(time.RFC3339); got != "2007-12-06T06:08:00Z" {
		t.Errorf("resolved %s", got)
	}
	if len(p.Tags) != 9 || p.Tags[0] != "cloud" || p.Tags[1] != "eve online" {
		t.Errorf("tags %v", p.Tags)
	}
	if len(p.Incident.Services) != 1 || p.Incident.Services[0] != "EVE Online: Trinity installer" {
		t.Errorf("services %v", p.Incident.Services)
	}
	if p.Fields["company"] != "CCP Games" || p.Summary.ExecutiveSummary == "" ||
		p.Summary.Narrative == "" || p.Status != "final" || p.Source.Format != "markdown" {
		t.Errorf("company %q, summary %q, narrative %q, status %q, format %q",
			p.Fields["company"], p.Summary.ExecutiveSummary, p.Summary.Narrative,
			p.Status, p.Source.Format)
	}
	if len(p.Links) == 0 || p.Links[0].URL !=
		"http://community.eveonline.com/news/dev-blogs/about-the-boot.ini-issue/" {
		t.Errorf("links %v", p.Links)
	}
}
