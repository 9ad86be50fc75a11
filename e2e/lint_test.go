package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/debrief-oss/debrief"
)

// TestBlamefulWordsMarkedAndOverridden: a contributor writes a blaming
// sentence and sees its words marked in the editor with the suggested
// rewrite; a facilitator finalises the report over that error with a
// recorded reason, using the form the report page offers.
func TestBlamefulWordsMarkedAndOverridden(t *testing.T) {
	eachStore(t, blamefulWordsMarkedAndOverridden)
}

func blamefulWordsMarkedAndOverridden(t *testing.T, a *app) {
	ctx := context.Background()
	p := &debrief.Postmortem{ID: "pm-blame", Title: "Checkout errors after a config push",
		Status: debrief.StatusDraft, Visibility: debrief.VisibilityInternal,
		Summary: debrief.Summary{ExecutiveSummary: "Checkout failed for 27 minutes."},
		Timeline: []debrief.TimelineEvent{{TimeText: "09:14 UTC", Text: "Alert fires",
			Kind: debrief.EventDetection}}}
	if err := a.store.SavePostmortem(ctx, p); err != nil {
		t.Fatal(err)
	}
	a.complete(t, p.ID)

	carl := newTab(t, a)
	carl.signIn("contributor")
	carl.open("/postmortems/pm-blame/edit/summary")
	carl.typeInto("summary.narrative", "The outage was human error.")
	if status := carl.saveWithShortcut("summary.narrative"); status != http.StatusOK {
		t.Fatalf("save summary: status %d", status)
	}
	carl.open("/postmortems/pm-blame/edit/summary")
	marks := `[id="lint-summary.narrative"] mark`
	if carl.count(marks) != 1 {
		t.Fatalf("the editor marks %d words beside the narrative, want one:\n%s",
			carl.count(marks), carl.text("main"))
	}
	if got := carl.text(marks); got != "human error" {
		t.Errorf("marked %q, want \"human error\"", got)
	}
	if beside := carl.text(`[id="lint-summary.narrative"]`); !strings.Contains(beside,
		"Suggestion: Describe what made the action possible") {
		t.Errorf("no suggestion beside the marked words: %s", beside)
	}
	carl.labelled()

	// In review, the facilitator is refused final, then overrides.
	p = a.report(t, p.ID)
	p.Status = debrief.StatusInReview
	if err := a.store.SavePostmortem(ctx, p); err != nil {
		t.Fatal(err)
	}
	fay := newTab(t, a)
	fay.signIn("facilitator")
	fay.open("/postmortems/pm-blame")
	if summary := fay.text("#blameless-review"); !strings.Contains(summary, "1 error") {
		t.Errorf("report page summary: %s", summary)
	}
	fay.labelled()
	fay.run("open the override", chromedp.Click(chromedp.CSS("details.override summary")))
	fay.typeInto("override_reason", "The phrase quotes the vendor's report.")
	fay.activate(`details.override button`)
	if got := a.report(t, p.ID).Status; got != debrief.StatusFinal {
		t.Fatalf("after the override the report is %s:\n%s", got, fay.text("main"))
	}
	if rec := fay.text("#overrides"); !strings.Contains(rec, "facilitator") ||
		!strings.Contains(rec, "The phrase quotes the vendor's report.") {
		t.Errorf("the override is not shown with who and why: %s", rec)
	}
	carl.noScriptRan()
	fay.noScriptRan()
}
