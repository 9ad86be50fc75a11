package lint

import (
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
)

func TestCompleteness(t *testing.T) {
	minutes := 42.0
	full := &debrief.Postmortem{
		Summary: debrief.Summary{ExecutiveSummary: "Checkout failed for 42 minutes."},
		Timeline: []debrief.TimelineEvent{{Time: time.Now(), Text: "Alert fired",
			Kind: debrief.EventDetection}},
		ContributingFactors: []debrief.ContributingFactor{{Description: "No pool limit"}},
		Impacts:             []debrief.Impact{{MinutesDown: &minutes}},
		ActionItems: []debrief.ActionItem{{Number: 1, Description: "Cap the pool at 50 " +
			"connections", Owner: "payments team", Due: "2026-04-01",
			SuccessMetric: "no pool exhaustion in 90 days"}},
	}
	if got := Completeness(full); len(got) != 0 {
		t.Errorf("a complete report: %+v", got)
	}

	thin := &debrief.Postmortem{
		Timeline: []debrief.TimelineEvent{{Text: "Rolled back"}},
		Impacts:  []debrief.Impact{{Description: "customers were unhappy"}},
		ActionItems: []debrief.ActionItem{
			{Number: 1, Description: "Improve monitoring"},
			{Number: 2, Description: "Engineers should be more careful with deploys",
				Owner: "ops", Due: "2026-04-01", SuccessMetric: "fewer incidents"},
			{Number: 3, Description: "Look into the retry storm", Owner: "api",
				Due: "2026-04-01", SuccessMetric: "a decision written up"},
		},
	}
	for _, f := range Completeness(thin) {
		if f.Severity == Error {
			t.Errorf("a draft's gap is an error: %+v", f)
		}
	}
	thin.Status = debrief.StatusFinal
	rules := map[string]int{}
	errors := 0
	for _, f := range Completeness(thin) {
		if f.Severity == Error {
			errors++
		}
		rules[f.Rule]++
		if f.Message == "" || f.Suggestion == "" || f.Section == "" {
			t.Errorf("finding without its message, hint or place: %+v", f)
		}
	}
	want := map[string]int{
		"complete.summary": 1, "complete.detection": 1, "complete.contributing-factor": 1,
		"complete.impact-quantity": 1, "complete.action-owner": 1, "complete.action-due": 1,
		"complete.action-success_metric": 1, "complete.action-vague": 3,
	}
	if errors != 2 {
		t.Errorf("a final report: %d errors, want 2 (summary, contributing factor; the "+
			"rest are warnings)", errors)
	}
	for rule, n := range want {
		if rules[rule] != n {
			t.Errorf("%s: %d findings, want %d (all: %v)", rule, rules[rule], n, rules)
		}
	}
}

// TestImpactQuantityInWords checks that a number written in the impact's
// description (minutes, a percentage, a count, money) is a quantity, and
// that a date is not.
func TestImpactQuantityInWords(t *testing.T) {
	for desc, want := range map[string]bool{
		"Customers could not pay for 42 minutes.": false,
		"Error rate reached 35%.":                 false,
		"About 1,200 orders failed.":              false,
		"We refunded $4,300 in fees.":             false,
		"Customers were unhappy.":                 true,
		"Customers were unhappy on 2026-03-06.":   true,
	} {
		p := &debrief.Postmortem{Impacts: []debrief.Impact{{Description: desc}}}
		got := false
		for _, f := range Completeness(p) {
			got = got || f.Rule == "complete.impact-quantity"
		}
		if got != want {
			t.Errorf("%q: complete.impact-quantity %v, want %v", desc, got, want)
		}
	}
}

// TestVagueActionsThatPromise checks action items that promise an outcome
// or more of something without naming the change.
func TestVagueActionsThatPromise(t *testing.T) {
	for desc, want := range map[string]bool{
		"Make sure this doesn't happen again":                   true,
		"Ensure it never happens again":                         true,
		"Add more tests":                                        true,
		"Add more monitoring":                                   true,
		"Add a test that restores last night's backup":          false,
		"Make sure the deploy job fails when the canary is red": false,
	} {
		p := &debrief.Postmortem{ActionItems: []debrief.ActionItem{{Number: 1,
			Description: desc, Owner: "db team", Due: "2026-04-01", SuccessMetric: "x"}}}
		got := false
		for _, f := range Completeness(p) {
			got = got || f.Rule == "complete.action-vague"
		}
		if got != want {
			t.Errorf("%q: vague %v, want %v", desc, got, want)
		}
	}
}

// TestShortTextKeepsGraphemes checks that a cut excerpt does not split a
// character made of several code points (a flag, an accent combined).
func TestShortTextKeepsGraphemes(t *testing.T) {
	s := strings.Repeat("e\u0301", 10) // é written as e and a combining accent
	got := shortText(s, 5)
	if want := strings.Repeat("e\u0301", 4) + "…"; got != want {
		t.Errorf("shortText = %q, want %q", got, want)
	}
}
