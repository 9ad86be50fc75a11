package sqlstore_test

import (
	"time"

	"github.com/debrief-oss/debrief"
)

// fullReport returns a report with every field set, a deep why tree, and
// impacts with quantities both known and unknown.
func fullReport(id string) *debrief.Postmortem {
	cet := time.FixedZone("CET", 3600)
	return &debrief.Postmortem{
		ID: id,
		Incident: debrief.Incident{
			ID:             "inc-" + id,
			Title:          "Checkout API returned 502s",
			Services:       []string{"api-gateway", "checkout", "postgres"},
			Severity:       "P1",
			Category:       debrief.CategoryAvailability,
			Status:         debrief.IncidentResolved,
			StartedAt:      time.Date(2024, 6, 2, 16, 49, 0, 0, cet),
			DetectedAt:     at("2024-06-02T15:52:10.123456Z"),
			AcknowledgedAt: at("2024-06-02T15:55:00Z"),
			MitigatedAt:    at("2024-06-02T16:30:00Z"),
			ResolvedAt:     at("2024-06-02T17:05:00Z"),
		},
		Title:       "Checkout outage after connection pool exhaustion",
		Status:      debrief.StatusInReview,
		Visibility:  debrief.VisibilityRestricted,
		Authors:     []string{"Alice Smith", "Bob Jones"},
		Facilitator: "Carol White",
		TimeZone:    "Europe/Copenhagen",
		Summary: debrief.Summary{
			Category:         debrief.CategoryConfiguration,
			ExecutiveSummary: "Checkout was unavailable for 76 minutes.",
			Narrative:        "A configuration change halved the database connection pool.",
		},
		Timeline: []debrief.TimelineEvent{
			{Time: at("2024-06-02T15:49:00Z"), TimeText: "15:49 UTC", Text: "Deploy starts",
				Kind: debrief.EventAction, Source: "report"},
			{TimeText: "around 4pm", Text: "Alert fires", Kind: debrief.EventDetection,
				Source: "alert", Flag: debrief.FlagUnparsed},
			{Time: at("2024-06-02T17:05:00Z"), Text: "Pool size restored",
				Kind: debrief.EventResolution, Flag: debrief.FlagApproximate},
		},
		Analysis: debrief.Analysis{
			RootCause:  "The pool size came from a **template** default.",
			Trigger:    "Config deploy",
			Detection:  "Synthetic checks",
			Resolution: "Rolled back",
			Whys: []debrief.Why{
				{ID: 1, Question: "Why did checkout fail?", Answer: "No connections",
					Kind: debrief.CauseCausal},
				{ID: 2, ParentID: 1, Question: "Why no connections?", Answer: "Pool halved"},
				{ID: 3, ParentID: 2, Answer: "Template default", Kind: debrief.CauseRoot},
				{ID: 7, ParentID: 3, Answer: "Defaults are not reviewed"},
				{ID: 4, ParentID: 1, Answer: "Retries amplified load"},
				{ID: 5, Question: "Why was detection slow?", Answer: "Alert threshold too high"},
			},
			Causes: []debrief.Cause{
				{Category: debrief.BoneTechnology, Text: "Pool default", Kind: debrief.CauseRoot},
				{Category: debrief.BoneProcess, Text: "No review of defaults"},
			},
		},
		ContributingFactors: []debrief.ContributingFactor{
			{Category: debrief.FactorConfiguration, Description: "Template default",
				HowContributed: "Set the pool to 10"},
			{Description: "Retry storm"},
		},
		Impacts: []debrief.Impact{
			{Kind: debrief.ImpactCustomer, Description: "Failed checkouts",
				MinutesDown: ptr(76.5), UsersAffected: ptr(int64(12000)),
				FailedTransactions: ptr(int64(0)), Money: "12500.00", Currency: "EUR"},
			{Kind: debrief.ImpactOperational, Description: "On-call paged twice"},
		},
		Lessons: []debrief.Lesson{
			{Kind: debrief.LessonWentWell, Text: "Rollback was quick"},
			{Kind: debrief.LessonLucky, Text: "Low traffic hour"},
		},
		ActionItems: []debrief.ActionItem{
			{Number: 1, Description: "Alert on pool saturation", Owner: "sre", OwnerIsTeam: true,
				Due: "2024-07-01", Impact: debrief.LevelHigh, Effort: debrief.LevelLow,
				Category: debrief.ActionMonitoring, Purpose: debrief.PurposeMitigation,
				SuccessMetric: "Alert within 2 minutes", Verification: "Game day",
				Status: debrief.ActionBlocked, BlockedReason: "Waiting for metrics",
				TrackerURL: "https://tracker.example/OPS-1"},
			{Number: 3, Description: "Review config defaults", Owner: "Dana",
				Status: debrief.ActionOpen},
		},
		Team: []debrief.TeamMember{
			{Name: "Alice Smith", Role: debrief.RoleIncidentCommander},
			{Name: "Bob Jones", Role: debrief.RoleServiceOwner},
		},
		Meeting: debrief.Meeting{
			Date:      at("2024-06-05T10:00:00Z"),
			Attendees: []string{"Alice Smith", "Bob Jones", "Carol White"},
			Notes:     "Blameless, productive.",
		},
		Links: []debrief.Link{
			{Title: "Dashboard", URL: "https://grafana.example/d/1"},
			{URL: "https://status.example"},
		},
		Tags: []string{"database", "config"},
		Sections: []debrief.Section{
			{Heading: "Background", Body: "Checkout talks to Postgres."},
			{Heading: "Appendix", Body: "Graphs."},
		},
		Fields: map[string]string{"team": "payments", "cost_center": "42"},
		Source: debrief.Source{Path: "reports/" + id + ".md", Format: "markdown",
			Digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		CreatedAt: at("2024-06-03T08:00:00.123456789Z"),
		UpdatedBy: "alice",
	}
}
