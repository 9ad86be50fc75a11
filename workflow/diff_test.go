package workflow_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

func TestDiffShowsChangedLinesWithContext(t *testing.T) {
	old := &debrief.Postmortem{Status: debrief.StatusDraft}
	for i := range 12 {
		old.Lessons = append(old.Lessons, debrief.Lesson{
			Kind: debrief.LessonWentWell, Text: fmt.Sprintf("lesson %d", i)})
	}
	cur := *old
	cur.Status = debrief.StatusInReview
	cur.Lessons = append([]debrief.Lesson(nil), old.Lessons...)
	cur.Lessons[10].Text = "lesson ten, reworded"

	got := workflow.Diff(old, &cur)
	want := []workflow.SectionDiff{
		{Key: "status", Title: "Status", Lines: []workflow.DiffLine{
			{Op: workflow.DiffRemoved, Text: "draft"}, {Op: workflow.DiffAdded, Text: "in_review"},
		}},
		{Key: "lessons", Title: "Lessons learned", Lines: []workflow.DiffLine{
			{Op: workflow.DiffSkip, Text: "19 unchanged lines"},
			{Op: workflow.DiffSame, Text: "  - kind: went_well"},
			{Op: workflow.DiffSame, Text: "    text: lesson 9"},
			{Op: workflow.DiffSame, Text: "  - kind: went_well"},
			{Op: workflow.DiffRemoved, Text: "    text: lesson 10"},
			{Op: workflow.DiffAdded, Text: "    text: lesson ten, reworded"},
			{Op: workflow.DiffSame, Text: "  - kind: went_well"},
			{Op: workflow.DiffSame, Text: "    text: lesson 11"},
		}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diff (-want +got):\n%s", diff)
	}
	if d := workflow.Diff(old, old); len(d) != 0 {
		t.Errorf("a report compared with itself has changes: %+v", d)
	}
}
