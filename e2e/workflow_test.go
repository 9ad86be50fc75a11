package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/debrief-oss/debrief"
)

// TestPostmortemFromSignInToFinal runs a postmortem the way a team does in
// the browser: a contributor signs in, creates a report, writes the
// timeline and a why-chain, a colleague's stale save meets a conflict
// instead of overwriting, and a facilitator finalises the report. The
// keyboard alone drives sign-in and saving; every form control on the way
// must have a label.
func TestPostmortemFromSignInToFinal(t *testing.T) {
	eachStore(t, postmortemFromSignInToFinal)
}

func postmortemFromSignInToFinal(t *testing.T, a *app) {
	carl := newTab(t, a)

	// Anonymous visitors meet the login page.
	carl.open("/")
	if loc := carl.location(); !strings.HasPrefix(loc, "/login") {
		t.Fatalf("anonymous visit to / landed on %s, want the login page", loc)
	}
	carl.signIn("contributor")

	// The header's link to a new report is reachable with Tab.
	carl.open("/")
	carl.tabsTo(`a[href="/postmortems/new"]`, 10)
	carl.activate(`a[href="/postmortems/new"]`)
	if loc := carl.location(); loc != "/postmortems/new" {
		t.Fatalf("the New postmortem link led to %s", loc)
	}
	carl.labelled()
	carl.typeInto("title", "Checkout errors after a config push")
	if status := carl.activate(`form[action="/postmortems"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("create: status %d", status)
	}
	reportPath := carl.location()
	id := strings.TrimPrefix(reportPath, "/postmortems/")
	if id == reportPath || strings.Contains(id, "/") {
		t.Fatalf("after creating, the tab shows %s, not a report", reportPath)
	}

	// The timeline, typed as a person would, saved with Ctrl+Enter.
	carl.open(reportPath + "/edit/timeline")
	carl.labelled()
	carl.typeInto("timeline[0].time_text", "2026-11-30 09:14 UTC")
	carl.typeInto("timeline[0].text", "Error-rate alert fires for checkout")
	carl.choose("timeline[0].kind", "detection")
	carl.typeInto("timeline[1].time_text", "2026-11-30 09:41 UTC")
	carl.typeInto("timeline[1].text", "Config push rolled back")
	carl.choose("timeline[1].kind", "mitigation")
	if status := carl.saveWithShortcut("timeline[1].text"); status != http.StatusOK {
		t.Fatalf("save timeline: status %d\n%s", status, carl.text("main"))
	}
	page := carl.text("main")
	for _, want := range []string{"Error-rate alert fires for checkout", "Config push rolled back"} {
		if !strings.Contains(page, want) {
			t.Errorf("report page lacks the event %q", want)
		}
	}
	carl.present("svg.timeline-chart, #timeline svg")

	// A why-chain: the first why, then a why under its answer.
	carl.open(reportPath + "/edit/analysis")
	carl.labelled()
	carl.typeInto("analysis.whys[0].question", "Why did checkout fail?")
	carl.typeInto("analysis.whys[0].answer", "The pool size was set to 0 by the push")
	carl.saveWithShortcut("analysis.whys[0].answer")
	carl.open(reportPath + "/edit/analysis")
	carl.choose("analysis.whys[1].parent_id", "1")
	carl.typeInto("analysis.whys[1].question", "Why was a pool size of 0 accepted?")
	carl.typeInto("analysis.whys[1].answer", "The config schema has no ranges")
	carl.choose("analysis.whys[1].kind", "root")
	carl.saveWithShortcut("analysis.whys[1].answer")
	p := a.report(t, id)
	if len(p.Analysis.Whys) != 2 || p.Analysis.Whys[1].ParentID != p.Analysis.Whys[0].ID ||
		p.Analysis.Whys[1].Kind != debrief.CauseRoot {
		t.Fatalf("stored whys %+v, want a root why under the first", p.Analysis.Whys)
	}

	// Two people edit the summary from the same version; the second save
	// is refused with what changed and keeps what was typed.
	cleo := newTab(t, a)
	cleo.signIn("facilitator")
	cleo.open(reportPath + "/edit/summary")
	carl.open(reportPath + "/edit/summary")
	carl.typeInto("summary.executive_summary", "Checkout failed for 27 minutes after a config push.")
	carl.saveWithShortcut("summary.executive_summary")
	cleo.typeInto("summary.executive_summary", "Payments were refused for half an hour.")
	if status := cleo.saveWithShortcut("summary.executive_summary"); status != http.StatusConflict {
		t.Fatalf("stale save: status %d, want 409", status)
	}
	conflict := cleo.text("main")
	if !strings.Contains(conflict, "contributor") || !strings.Contains(conflict, "27 minutes") {
		t.Errorf("conflict page does not say who changed what:\n%s", conflict)
	}
	kept, err := chromedp.Run(cleo.ctx, chromedp.Value(field("summary.executive_summary")))
	if err != nil || kept != "Payments were refused for half an hour." {
		t.Errorf("conflict form holds %q (%v), want the text the person typed", kept, err)
	}
	if got := a.report(t, id).Summary.ExecutiveSummary; !strings.Contains(got, "27 minutes") {
		t.Errorf("stored summary %q: the stale save overwrote it", got)
	}

	// Fill in what final needs, send the report to review, and finalise it.
	a.complete(t, id)
	carl.open(reportPath)
	carl.activate(`form[action$="/status"] input[value=in_review] ~ button`)
	if got := a.report(t, id).Status; got != debrief.StatusInReview {
		t.Fatalf("after sending to review the report is %s", got)
	}
	carl.absent(`form[action$="/status"] input[value=final]`)

	cleo.open(reportPath)
	cleo.labelled()
	cleo.activate(`form[action$="/status"] input[value=final] ~ button`)
	if got := a.report(t, id).Status; got != debrief.StatusFinal {
		t.Fatalf("after finalising the report is %s:\n%s", got, cleo.text("main"))
	}
	cleo.open(reportPath + "/revisions")
	cleo.labelled()
	if revs := cleo.text("main"); !strings.Contains(revs, "facilitator") {
		t.Errorf("revisions page does not name the facilitator:\n%s", revs)
	}
	carl.noScriptRan()
	cleo.noScriptRan()
}

// report reads a report from the store.
func (a *app) report(t *testing.T, id string) *debrief.Postmortem {
	t.Helper()
	p, err := a.store.Postmortem(context.Background(), id)
	if err != nil {
		t.Fatalf("read %s: %v", id, err)
	}
	return p
}

// complete adds a contributing factor and an action item with owner and
// due date, as the earlier steps of a real review would have.
func (a *app) complete(t *testing.T, id string) {
	t.Helper()
	p := a.report(t, id)
	p.ContributingFactors = []debrief.ContributingFactor{{
		Category: debrief.FactorConfiguration, Description: "Pool size has no lower bound",
	}}
	p.ActionItems = []debrief.ActionItem{{
		Number: 1, Description: "Reject pool sizes below 1 in the config schema",
		Owner: "payments team", Due: "2027-01-15", Status: debrief.ActionOpen,
	}}
	if err := a.store.SavePostmortem(context.Background(), p); err != nil {
		t.Fatalf("complete %s: %v", id, err)
	}
}

// labelled fails the test for every visible form control without a label.
func (tb *tab) labelled() {
	tb.t.Helper()
	if bad := tb.unlabelledInputs(); len(bad) > 0 {
		tb.t.Errorf("%s: form controls without a label:\n%s", tb.location(), strings.Join(bad, "\n"))
	}
}

// present fails the test when no element matches sel.
func (tb *tab) present(sel string) {
	tb.t.Helper()
	if tb.count(sel) == 0 {
		tb.t.Errorf("%s: nothing matches %s", tb.location(), sel)
	}
}

// absent fails the test when an element matches sel.
func (tb *tab) absent(sel string) {
	tb.t.Helper()
	if n := tb.count(sel); n > 0 {
		tb.t.Errorf("%s: %d elements match %s, want none", tb.location(), n, sel)
	}
}

func (tb *tab) count(sel string) int {
	tb.t.Helper()
	n, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](
		`document.querySelectorAll(`+jsString(sel)+`).length`))
	if err != nil {
		tb.fail("count "+sel, err)
	}
	return n
}
