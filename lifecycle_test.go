package debrief

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestNextStatusesFollowTheRole(t *testing.T) {
	as := func(r AccessRole) Actor { return Actor{Name: "x", Role: r} }
	tests := []struct {
		from Status
		role AccessRole
		want []Status
	}{
		{StatusDraft, AccessViewer, nil},
		{StatusDraft, AccessContributor, []Status{StatusInReview}},
		{StatusInReview, AccessContributor, []Status{StatusDraft}},
		{StatusInReview, AccessFacilitator, []Status{StatusDraft, StatusFinal}},
		{StatusFinal, AccessFacilitator, []Status{StatusInReview, StatusArchived}},
		{StatusArchived, AccessFacilitator, nil},
		{StatusArchived, AccessAdmin, []Status{StatusFinal}},
	}
	for _, tt := range tests {
		got := NextStatuses(as(tt.role), &Postmortem{Status: tt.from})
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s as %s (-want +got):\n%s", tt.from, tt.role, diff)
		}
	}
}

func TestFinalNeedsACompleteReport(t *testing.T) {
	p := &Postmortem{
		Title:               "Disk full",
		Status:              StatusInReview,
		Summary:             Summary{ExecutiveSummary: "Writes failed."},
		Timeline:            []TimelineEvent{{Text: "Alert"}},
		ContributingFactors: []ContributingFactor{{Description: "No disk alert"}},
		ActionItems:         []ActionItem{{Number: 1, Description: "Add alert", Owner: "ops"}},
	}
	fay := Actor{Name: "fay", Role: AccessFacilitator}
	err := CheckTransition(fay, p, StatusFinal)
	if ErrorField(err) != "action_items[0].due" || !strings.Contains(err.Error(), "no due date") {
		t.Fatalf("item without a due date: %v", err)
	}
	p.ActionItems[0].Due = "2027-01-15"
	if err := CheckTransition(fay, p, StatusFinal); err != nil {
		t.Fatalf("complete report: %v", err)
	}
	if got := FinalProblems(&Postmortem{}); len(got) != 5 {
		t.Errorf("an empty report lacks %d things, want 5: %+v", len(got), got)
	}
}

func TestParseStatus(t *testing.T) {
	for in, want := range map[string]Status{"In Review": StatusInReview, "final": StatusFinal,
		" in-review ": StatusInReview} {
		if got, err := ParseStatus(in); err != nil || got != want {
			t.Errorf("ParseStatus(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseStatus("done"); ErrorField(err) != "status" {
		t.Errorf("ParseStatus(done): %v, want an error on status", err)
	}
}

func TestOrderWhysReadsDepthFirst(t *testing.T) {
	whys := []Why{
		{ID: 1, Answer: "a"},
		{ID: 2, Answer: "b"},
		{ID: 3, ParentID: 1, Answer: "a.1"},
		{ID: 4, ParentID: 2, Answer: "b.1"},
		{ID: 5, ParentID: 1, Answer: "a.2"},
		{ID: 6, ParentID: 3, Answer: "a.1.1"},
		{ID: 7, ParentID: 9, Answer: "orphan"},
	}
	var got []string
	for _, w := range OrderWhys(whys) {
		got = append(got, w.Answer)
	}
	want := []string{"a", "a.1", "a.1.1", "a.2", "b", "b.1", "orphan"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}
