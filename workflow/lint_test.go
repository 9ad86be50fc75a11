package workflow_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/lint"
	"github.com/debrief-oss/debrief/sqlstore"
	"github.com/debrief-oss/debrief/workflow"
)

// inReview is a complete report in review whose narrative says what the
// test gives it.
func inReview(t *testing.T, s *workflow.Service, narrative string) *debrief.Postmortem {
	t.Helper()
	ctx := context.Background()
	p := complete(t, s, draft(t, s, "Login failures"))
	p, err := s.EditSection(ctx, contributor, p.ID, p.Version, section(t, "summary"),
		&debrief.Postmortem{Summary: debrief.Summary{
			ExecutiveSummary: p.Summary.ExecutiveSummary, Narrative: narrative}})
	if err != nil {
		t.Fatal(err)
	}
	if p, err = s.Transition(ctx, contributor, p.ID, p.Version,
		debrief.StatusInReview); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFinalOverCheckerErrorsNeedsAFacilitatorsOverride(t *testing.T) {
	s, db := newService(t)
	ctx := context.Background()
	p := inReview(t, s, "The outage was human error.")

	_, err := s.Transition(ctx, facilitator, p.ID, p.Version, debrief.StatusFinal)
	if debrief.ErrorKind(err) != debrief.KindInvalid ||
		debrief.ErrorField(err) != workflow.CheckerErrorsField ||
		!strings.Contains(err.Error(), `summary.narrative, line 1, column 16: "human error"`) {
		t.Errorf("final over an error: %v; want it refused, naming the error and its place", err)
	}
	_, err = s.Transition(ctx, facilitator, p.ID, p.Version, debrief.StatusFinal,
		workflow.OverrideErrors(" \n "))
	if debrief.ErrorField(err) != workflow.CheckerErrorsField {
		t.Errorf("override with a blank reason: %v; want it refused as without one", err)
	}
	_, err = s.Transition(ctx, contributor, p.ID, p.Version, debrief.StatusFinal,
		workflow.OverrideErrors("I say so"))
	if debrief.ErrorKind(err) != debrief.KindForbidden ||
		!strings.Contains(err.Error(), "overriding") {
		t.Errorf("contributor override: %v; want forbidden, saying why", err)
	}
	if got := mustOverrides(t, s, p.ID); len(got) != 0 {
		t.Fatalf("refused moves recorded overrides: %+v", got)
	}

	reason := "The narrative quotes the customer's complaint word for word."
	final, err := s.Transition(ctx, facilitator, p.ID, p.Version, debrief.StatusFinal,
		workflow.OverrideErrors(reason))
	if err != nil {
		t.Fatalf("override: %v", err)
	}
	if final.Status != debrief.StatusFinal {
		t.Errorf("status %q after the override, want final", final.Status)
	}
	got := mustOverrides(t, s, p.ID)
	want := []debrief.LintOverride{{PostmortemID: p.ID, Version: final.Version,
		From: debrief.StatusInReview, To: debrief.StatusFinal, By: "fay", Reason: reason,
		Rules: []string{"blame.human-error"}, Errors: 1}}
	if diff := cmp.Diff(want, got, cmpIgnoreAt); diff != "" {
		t.Errorf("overrides (-want +got):\n%s", diff)
	}
	if len(got) == 1 && got[0].At.IsZero() {
		t.Error("the override has no time")
	}
	stored, _ := db.Postmortem(ctx, p.ID)
	if stored.Status != debrief.StatusFinal {
		t.Errorf("stored status %q", stored.Status)
	}
}

var cmpIgnoreAt = cmp.FilterPath(func(p cmp.Path) bool {
	return p.Last().String() == ".At"
}, cmp.Ignore())

func TestFinalWithoutErrorsRecordsNoOverride(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := inReview(t, s, "Obviously the engineer missed the alert.") // warnings only
	if _, err := s.Transition(ctx, facilitator, p.ID, p.Version, debrief.StatusFinal,
		workflow.OverrideErrors("just in case")); err != nil {
		t.Fatalf("final with warnings only: %v", err)
	}
	if got := mustOverrides(t, s, p.ID); len(got) != 0 {
		t.Errorf("an override of nothing was recorded: %+v", got)
	}
}

func TestLintConfigGradesWhatBlocksFinal(t *testing.T) {
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "debrief.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	cfg := &lint.Config{Rules: map[string]string{
		"blame.human-error": "warning", "blame.person-failed": "error"}}
	s := workflow.New(db, workflow.WithLintConfig(cfg))
	ctx := context.Background()

	p := inReview(t, s, "Human error, as the ticket says.")
	if _, err := s.Transition(ctx, facilitator, p.ID, p.Version, debrief.StatusFinal); err != nil {
		t.Errorf("a rule graded warning blocked final: %v", err)
	}
	p = inReview(t, s, "The engineer forgot to renew the certificate.")
	_, err = s.Transition(ctx, facilitator, p.ID, p.Version, debrief.StatusFinal)
	if err == nil || !strings.Contains(err.Error(), "finds 1 error") {
		t.Errorf("a rule graded error: %v; want final refused", err)
	}
}

func TestCheckKnowsUsersByTheirRoleInTheReport(t *testing.T) {
	s, db := newService(t)
	ctx := context.Background()
	for _, u := range []*debrief.User{
		{Name: "priya", DisplayName: "Priya Raman", Role: debrief.AccessContributor},
		{Name: "jdoe42", Role: debrief.AccessViewer},
		{Name: "admin", Role: debrief.AccessAdmin},
	} {
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
	}
	p := draft(t, s, "Login failures")
	p, err := s.EditSection(ctx, contributor, p.ID, p.Version, section(t, "team"),
		&debrief.Postmortem{Team: []debrief.TeamMember{
			{Name: "priya", Role: debrief.RoleIncidentCommander}}})
	if err != nil {
		t.Fatal(err)
	}
	p, err = s.EditSection(ctx, contributor, p.ID, p.Version, section(t, "summary"),
		&debrief.Postmortem{Summary: debrief.Summary{Narrative: "Priya Raman paged " +
			"jdoe42. The admin restarted the pods."}})
	if err != nil {
		t.Fatal(err)
	}
	found, err := s.Findings(ctx, viewer, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range found {
		if f.Rule == "pii.name" && f.Section == "summary.narrative" {
			text, _ := workflow.FieldText(p, f.Section)
			names = append(names, text[f.Start:f.End]+": "+f.Replacement)
		}
	}
	want := []string{"Priya Raman: the incident commander", "jdoe42: a responder"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("names found (-want +got):\n%s", diff)
	}
}

func TestFieldText(t *testing.T) {
	p := &debrief.Postmortem{
		Title:    "Cache outage",
		Summary:  debrief.Summary{Narrative: "It broke."},
		Timeline: []debrief.TimelineEvent{{Text: "first"}, {Text: "second"}},
		Analysis: debrief.Analysis{Whys: []debrief.Why{{Answer: "because"}}},
	}
	tests := []struct {
		path string
		want string
		ok   bool
	}{
		{"title", "Cache outage", true},
		{"summary.narrative", "It broke.", true},
		{"timeline[1].text", "second", true},
		{"analysis.whys[0].answer", "because", true},
		{"timeline[2].text", "", false},
		{"timeline[-1].text", "", false},
		{"timeline", "", false},
		{"summary.nope", "", false},
		{"version", "", false},
		{"title.x", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := workflow.FieldText(p, tt.path)
		if got != tt.want || ok != tt.ok {
			t.Errorf("FieldText(%q) = %q, %v; want %q, %v", tt.path, got, ok, tt.want, tt.ok)
		}
	}
}

func mustOverrides(t *testing.T, s *workflow.Service, id string) []debrief.LintOverride {
	t.Helper()
	list, err := s.LintOverrides(context.Background(), viewer, id)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// An accept marker is anyone's word in the text: it quiets a finding on
// the pages, but finalising over an error it accepts still takes a
// facilitator's recorded override.
func TestAcceptMarkersDoNotReplaceTheOverride(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	p := inReview(t, s, "<!-- debrief-lint: accept blame.human-error: a quote -->\n"+
		"The outage was human error.")
	found, err := s.Findings(ctx, viewer, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range found {
		if f.Rule == "blame.human-error" {
			t.Fatalf("the accepted finding is still listed: %+v", f)
		}
	}
	_, err = s.Transition(ctx, facilitator, p.ID, p.Version, debrief.StatusFinal)
	if debrief.ErrorField(err) != workflow.CheckerErrorsField {
		t.Fatalf("final over an error a marker accepted, without an override: %v", err)
	}
	if _, err := s.Transition(ctx, facilitator, p.ID, p.Version, debrief.StatusFinal,
		workflow.OverrideErrors("the narrative quotes the customer")); err != nil {
		t.Fatal(err)
	}
	if got := mustOverrides(t, s, p.ID); len(got) != 1 ||
		got[0].Rules[0] != "blame.human-error" {
		t.Fatalf("override recorded: %+v", got)
	}
}
