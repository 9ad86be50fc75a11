package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// outageBody is an Alertmanager v4 body about a P1 on checkout that fired
// at 10:00 UTC on 2026-03-09 and, once resolved, ended at 10:30.
func outageBody(status string) string {
	ends := "0001-01-01T00:00:00Z"
	if status == "resolved" {
		ends = "2026-03-09T10:30:00Z"
	}
	return `{"version":"4","groupKey":"{}:{service=\"checkout\"}","status":"` + status +
		`","receiver":"debrief","groupLabels":{"service":"checkout"},"commonLabels":{},` +
		`"externalURL":"http://alertmanager.local","alerts":[{"status":"` + status + `",` +
		`"labels":{"alertname":"CheckoutErrors","service":"checkout","severity":"critical"},` +
		`"annotations":{"summary":"5xx rate above 5%"},"startsAt":"2026-03-09T10:00:00Z",` +
		`"endsAt":"` + ends + `","fingerprint":"f1"}]}`
}

// pastedLog is what a responder pastes from their notes: two events that
// happened before the resolution the timeline has already, so both arrive
// out of order.
const pastedLog = "2026-03-09 10:20 UTC Rolled back the config push\n" +
	"2026-03-09 10:05 UTC On-call acknowledged the page"

// TestIncidentFromAlertToTimeline follows an incident from its alert to
// its report's timeline in the browser: Alertmanager reports a resolved
// P1, the policy requires a postmortem and opens the draft, a contributor
// reads the decision on the incident's page, pastes notes into the
// timeline builder, previews them, adds them, and finds them on the report
// in time order with their out-of-order flags shown.
func TestIncidentFromAlertToTimeline(t *testing.T) {
	eachStore(t, incidentFromAlertToTimeline)
}

func incidentFromAlertToTimeline(t *testing.T, a *app) {
	flow := workflow.New(a.store)
	sender := debrief.Actor{Name: "alertmanager", Role: debrief.AccessContributor}
	var receipt *workflow.Receipt
	for _, status := range []string{"firing", "resolved"} {
		var err error
		receipt, err = flow.ReceiveAlerts(context.Background(), sender,
			debrief.SourceAlertmanager, "application/json", []byte(outageBody(status)))
		if err != nil {
			t.Fatalf("receive the %s alert: %v", status, err)
		}
	}
	if len(receipt.Decisions) != 1 || receipt.Decisions[0].PostmortemID == "" {
		t.Fatalf("the policy opened no draft: %+v", receipt.Decisions)
	}
	incidentPath := "/incidents/" + receipt.Decisions[0].IncidentID
	reportID := receipt.Decisions[0].PostmortemID

	carl := newTab(t, a)
	carl.signIn("contributor")
	carl.open("/")
	carl.tabsTo(`a[href="/incidents"]`, 10)
	carl.activate(`a[href="/incidents"]`)
	carl.labelled()
	carl.activate(`a[href="` + incidentPath + `"]`)
	if loc := carl.location(); loc != incidentPath {
		t.Fatalf("the incident's link led to %s", loc)
	}
	page := carl.text("main")
	for _, want := range []string{"CheckoutErrors", "Required", "required: P1",
		"Read the postmortem report"} {
		if !strings.Contains(page, want) {
			t.Errorf("incident page lacks %q:\n%s", want, page)
		}
	}
	carl.present(`#alerts svg g.alert-bar.alert-resolved`)
	carl.labelled()

	// From the report to its timeline builder.
	carl.activate(`a[href="/postmortems/` + reportID + `"]`)
	carl.activate(`a[href="/postmortems/` + reportID + `/timeline/import"]`)
	carl.labelled()
	carl.typeInto("text", pastedLog)
	carl.typeInto("zone", "UTC")
	if status := carl.activate(`form:has(#ti-text) button[type=submit]`); status != http.StatusOK {
		t.Fatalf("preview: status %d\n%s", status, carl.text("main"))
	}
	preview := carl.text("#preview")
	for _, want := range []string{"Preview: 2 events to add", "Rolled back the config push",
		"out of order"} {
		if !strings.Contains(preview, want) {
			t.Errorf("preview lacks %q:\n%s", want, preview)
		}
	}
	if n := len(a.report(t, reportID).Timeline); n != 2 {
		t.Fatalf("the preview changed the timeline: %d events", n)
	}
	if status := carl.activate(`form.add-events button[type=submit]`); status != http.StatusOK {
		t.Fatalf("add: status %d\n%s", status, carl.text("main"))
	}
	if loc := carl.location(); loc != "/postmortems/"+reportID+"#timeline" {
		t.Errorf("after adding, the tab shows %s", loc)
	}

	rows, err := chromedp.Run(carl.ctx, chromedp.Evaluate[[]string](`Array.from(
		document.querySelectorAll("table.timeline tbody tr")).map(tr => tr.innerText)`))
	if err != nil {
		carl.fail("read the timeline", err)
	}
	wantOrder := []string{"Firing: CheckoutErrors", "On-call acknowledged the page",
		"Rolled back the config push", "Resolved: CheckoutErrors"}
	if len(rows) != len(wantOrder) {
		t.Fatalf("timeline rows:\n%s\nwant %d", strings.Join(rows, "\n"), len(wantOrder))
	}
	for i, want := range wantOrder {
		if !strings.Contains(rows[i], want) {
			t.Errorf("row %d is %q, want %q", i+1, rows[i], want)
		}
	}
	if !strings.Contains(rows[1], "out of order") || !strings.Contains(rows[1], "from paste") {
		t.Errorf("the added event's row %q does not show its flag and source", rows[1])
	}
	carl.noScriptRan()
}
