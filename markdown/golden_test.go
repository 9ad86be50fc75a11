package markdown

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

// The -update flag rewrites golden files. It is defined in init, after
// every package-level variable, and only if no other test file of the
// package defined it first, so two golden tests can share one flag.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata")
	}
}

func updatingGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

func nativeAt(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC()
}

func nativePtr[T any](v T) *T { return &v }

// nativeFullReport sets every field, as a team would after a real postmortem.
func nativeFullReport() *debrief.Postmortem {
	return &debrief.Postmortem{
		ID: "pm-2024-017", Title: "Checkout outage after connection pool change",
		Status: debrief.StatusFinal, Visibility: debrief.VisibilityInternal,
		Incident: debrief.Incident{
			ID: "inc-4411", Title: "Checkout returns 503", Services: []string{"checkout", "payments"},
			Severity: "P1", Category: debrief.CategoryAvailability, Status: debrief.IncidentResolved,
			StartedAt: nativeAt("2024-03-07T14:02:00Z"), DetectedAt: nativeAt("2024-03-07T14:09:00Z"),
			AcknowledgedAt: nativeAt("2024-03-07T14:11:00Z"), MitigatedAt: nativeAt("2024-03-07T14:48:00Z"),
			ResolvedAt: nativeAt("2024-03-07T15:30:00Z"),
		},
		Authors: []string{"Ana Lima", "Sam Okafor"}, Facilitator: "Priya Raman",
		TimeZone: "Europe/Copenhagen", Tags: []string{"database", "config"},
		Summary: debrief.Summary{
			Category: debrief.CategoryConfiguration,
			ExecutiveSummary: "Checkout was unavailable for 46 minutes after a configuration " +
				"change halved the database connection pool.",
			Narrative: "The checkout service started failing at 15:02 local time.\n\n" +
				"On-call saw the `503` rate climb and paged the database team.",
		},
		Timeline: []debrief.TimelineEvent{
			{Time: nativeAt("2024-03-07T14:02:00Z"), TimeText: "15:02 CET", Text: "Config change deployed",
				Kind: debrief.EventAction, Source: "report"},
			{Time: nativeAt("2024-03-07T14:09:00Z"), TimeText: "15:09 CET", Text: "503 alert fires",
				Kind: debrief.EventDetection, Source: "alert"},
			{TimeText: "around half past", Text: "Status page updated",
				Kind: debrief.EventCommunication, Flag: debrief.FlagUnparsed},
			{Time: nativeAt("2024-03-07T14:48:00Z"), TimeText: "15:48 CET", Text: "Change rolled back",
				Kind: debrief.EventMitigation, Source: "chat"},
		},
		Analysis: debrief.Analysis{
			RootCause:  "The pool size was set per process, not per host.",
			Trigger:    "A routine configuration change.",
			Detection:  "The 503 alert, seven minutes in.",
			Resolution: "Rolling the change back restored the pool.",
			Whys: []debrief.Why{
				{ID: 1, Question: "Why did checkout fail?", Answer: "Requests waited for connections.",
					Kind: debrief.CauseCausal},
				{ID: 2, ParentID: 1, Question: "Why were there too few connections?",
					Answer: "The pool was halved."},
				{ID: 3, ParentID: 2, Question: "Why was it halved?",
					Answer: "The setting's unit was misread.", Kind: debrief.CauseRoot},
				{ID: 4, ParentID: 1, Question: "Why did retries not help?",
					Answer: "They added load."},
			},
			Causes: []debrief.Cause{
				{Category: debrief.BoneProcess, Text: "No review of config units", Kind: debrief.CauseRoot},
				{Category: debrief.BoneTechnology, Text: "Retries without backoff",
					Kind: debrief.CauseCausal},
			},
		},
		ContributingFactors: []debrief.ContributingFactor{
			{Category: debrief.FactorConfiguration, Description: "Ambiguous setting name",
				HowContributed: "Made the wrong value look right"},
		},
		Impacts: []debrief.Impact{
			{Kind: debrief.ImpactCustomer, Description: "Checkout unavailable",
				MinutesDown: nativePtr(46.0), UsersAffected: nativePtr(int64(18250)),
				FailedTransactions: nativePtr(int64(3120)), Money: "41200.00", Currency: "EUR"},
			{Kind: debrief.ImpactOperational, Description: "Two teams paged"},
		},
		Lessons: []debrief.Lesson{
			{Kind: debrief.LessonWentWell, Text: "Rollback took four minutes"},
			{Kind: debrief.LessonWentWrong, Text: "The alert fired late"},
			{Kind: debrief.LessonLucky, Text: "It happened outside the sale"},
			{Kind: debrief.LessonGeneral, Text: "Units belong in setting names"},
		},
		ActionItems: []debrief.ActionItem{
			{Number: 1, Description: "Rename pool_size to pool_size_per_host", Owner: "platform",
				OwnerIsTeam: true, Due: "2024-04-01", Impact: debrief.LevelHigh,
				Effort: debrief.LevelLow, Category: debrief.ActionCodeFix,
				Purpose: debrief.PurposePrevention, SuccessMetric: "No unit-less settings",
				Verification: "Config lint passes", Status: debrief.ActionDone,
				TrackerURL: "https://tracker.example/PLAT-99"},
			{Number: 2, Description: "Alert on connection wait time", Owner: "Sam Okafor",
				Status: debrief.ActionBlocked, BlockedReason: "Needs new metrics exporter",
				Category: debrief.ActionMonitoring, Purpose: debrief.PurposeMitigation},
		},
		Team: []debrief.TeamMember{
			{Name: "Ana Lima", Role: debrief.RoleIncidentCommander},
			{Name: "Priya Raman", Role: debrief.RoleFacilitator},
		},
		Meeting: debrief.Meeting{Date: nativeAt("2024-03-11T09:00:00Z"),
			Attendees: []string{"Ana Lima", "Sam Okafor", "Priya Raman"},
			Notes:     "We agreed the alert threshold needs data first."},
		Links: []debrief.Link{{Title: "Incident channel", URL: "https://chat.example/c/inc-4411"}},
		Sections: []debrief.Section{
			{Heading: "Customer communication", Body: "Support posted two updates."},
		},
		Fields:    map[string]string{"cost_center": "CC-12", "region": "eu-west"},
		Source:    debrief.Source{Path: "reports/2024-03-07-checkout.md", Format: "markdown"},
		CreatedAt: nativeAt("2024-03-08T10:00:00Z"), UpdatedAt: nativeAt("2024-03-12T16:30:00Z"),
		Version: 4,
	}
}

func nativeMinimalReport() *debrief.Postmortem {
	return &debrief.Postmortem{ID: "pm-1", Title: "Short one", Status: debrief.StatusDraft,
		Version: 1}
}

// nativeAwkwardReport holds text that the format has to escape or protect.
func nativeAwkwardReport() *debrief.Postmortem {
	return &debrief.Postmortem{
		ID: "PM/2024 #3", Title: "Pipes | backslashes \\ and <br> tags", Status: "in_review",
		Summary: debrief.Summary{
			Narrative: "## Timeline\n\nThis is prose, not the timeline.\n\n```\n" +
				"<!-- /debrief:narrative -->\n## Action items\n```\n  trailing  ",
		},
		Timeline: []debrief.TimelineEvent{
			{Time: nativeAt("2024-01-01T00:00:00Z"), Text: "grep 'a|b' \\\nsecond line",
				TimeText: " 00:00 "},
			{Time: nativeAt("2023-12-31T23:59:30Z"), Text: "**out of order**",
				Flag: debrief.FlagOutOfOrder},
		},
		Analysis: debrief.Analysis{Whys: []debrief.Why{
			{ID: 10, Question: "Why *this*?", Answer: "Because *(#2)* looked like metadata"},
			{ID: 11, ParentID: 10, Answer: "", Kind: "contested, see notes"},
			{ID: 12, ParentID: 42, Question: "Orphan?"},
		}},
		Impacts: []debrief.Impact{{Kind: debrief.ImpactBusiness, MinutesDown: nativePtr(0.0),
			Money: "0.10", Currency: "€"}},
		Lessons: []debrief.Lesson{{Kind: "surprising", Text: "- not a nested item"},
			{Kind: debrief.LessonWentWell, Text: "日本語 🚀"}},
		Sections: []debrief.Section{
			{Heading: "Timeline", Body: "A free section named like a template part."},
			{Heading: "", Body: ""},
			{Heading: "HTML", Body: "<details>\n<summary>raw</summary>\n\n| not | a table |\n</details>"},
		},
		Fields: map[string]string{"note: with colon": "yes", "multi": "line\nvalue"},
	}
}

func TestNativeGolden(t *testing.T) {
	reports := map[string]*debrief.Postmortem{
		"full": nativeFullReport(), "minimal": nativeMinimalReport(), "awkward": nativeAwkwardReport(),
	}
	for name, p := range reports {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := Write(&buf, p); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", name+".md")
			if updatingGolden() {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("%s differs (-want +got); go test -update rewrites it:\n%s", path, diff)
			}
			res, err := Parse(Document{Name: path, Data: want})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(Normalize(p), res.Postmortem); diff != "" {
				t.Errorf("parsing %s (-want +got):\n%s", path, diff)
			}
		})
	}
}

func TestFileName(t *testing.T) {
	tests := []struct{ id, want string }{
		{"pm-2024-017", "pm-2024-017.md"},
		{"PM/2024 #3", "pm-2024--3-"},
		{"../etc/passwd", "etc-passwd-"},
		{"", ""},
	}
	for _, tt := range tests {
		got := FileName(&debrief.Postmortem{ID: tt.id})
		if tt.id == "pm-2024-017" {
			if got != tt.want {
				t.Errorf("FileName(%q) = %q, want %q", tt.id, got, tt.want)
			}
			continue
		}
		if !bytes.HasPrefix([]byte(got), []byte(tt.want)) || filepath.Base(got) != got ||
			got[0] == '.' || filepath.Ext(got) != ".md" {
			t.Errorf("FileName(%q) = %q, want a plain file name starting %q", tt.id, got, tt.want)
		}
	}
	a := FileName(&debrief.Postmortem{ID: "a/b"})
	b := FileName(&debrief.Postmortem{ID: "a-b"})
	c := FileName(&debrief.Postmortem{ID: "A-B"})
	if a == b || b == c || a == c {
		t.Errorf("distinct IDs share a file name: %q %q %q", a, b, c)
	}
}
