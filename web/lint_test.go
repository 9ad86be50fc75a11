package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/debrief-oss/debrief"
)

// blamefulNarrative holds one error-graded finding, the fault label.
const blamefulNarrative = "The outage was human error. The pool size was set to 20."

// blamefulReport is a complete report in review whose narrative blames:
// the checker's error is all that keeps it from final.
func blamefulReport(id string) *debrief.Postmortem {
	p := fullReport()
	p.ID = id
	p.Incident.ID = "INC-" + id
	p.Source.Path = id + ".md"
	p.Status = debrief.StatusInReview
	p.ActionItems[1].Due = "2024-05-01"
	p.Summary.Narrative = blamefulNarrative
	return p
}

func TestAPIFindingsOfAStoredReport(t *testing.T) {
	open := blamefulReport("pm-open")
	secret := blamefulReport("pm-secret")
	secret.Visibility = debrief.VisibilityRestricted
	secret.Authors, secret.Facilitator, secret.Team = []string{"nobody-here"}, "", nil
	secret.Meeting.Attendees = nil
	api := newAPIServer(t, openStore(t, open, secret))

	var res findingsResult
	api.viewer.call("GET", "/api/v1/postmortems/pm-open/findings", nil).
		want(t, http.StatusOK).decode(t, &res)
	var blame []string
	for _, f := range res.Findings {
		if f.Rule == "blame.human-error" {
			blame = append(blame, f.Section+" "+blamefulNarrative[f.Start:f.End])
		}
	}
	if len(blame) != 1 || blame[0] != "summary.narrative human error" {
		t.Errorf("fault labels found %q; want the narrative's \"human error\"", blame)
	}
	if res.Counts.Errors != 1 || res.Counts.Blame < 1 || res.Counts.Total != len(res.Findings) {
		t.Errorf("counts %+v for %d findings", res.Counts, len(res.Findings))
	}

	// A restricted report the viewer may not read is not there for them.
	e := api.viewer.call("GET", "/api/v1/postmortems/pm-secret/findings", nil).
		want(t, http.StatusNotFound).fail(t)
	if e.Code != "not_found" || strings.Contains(e.Message, "restricted") {
		t.Errorf("hidden report: %+v", e)
	}
	api.admin.call("GET", "/api/v1/postmortems/pm-secret/findings", nil).want(t, http.StatusOK)
	api.viewer.call("GET", "/api/v1/postmortems/nope/findings", nil).want(t, http.StatusNotFound)
	anon := apiClient{t: t, ts: api.ts}
	anon.call("GET", "/api/v1/postmortems/pm-open/findings", nil).
		want(t, http.StatusUnauthorized)
}

func TestAPIFinalOverrideOfCheckerErrors(t *testing.T) {
	api := newAPIServer(t, openStore(t, blamefulReport("pm-blame")))
	loc := "/api/v1/postmortems/pm-blame"
	move := func(c apiClient, body map[string]string) apiReply {
		version := api.viewer.call("GET", loc, nil).want(t, http.StatusOK).header.Get("ETag")
		return c.call("POST", loc+"/transitions", body, "If-Match", version)
	}

	e := move(api.facilitator, map[string]string{"status": "final"}).
		want(t, http.StatusBadRequest).fail(t)
	if e.Field != "override_reason" || !strings.Contains(e.Message, `"human error"`) ||
		!strings.Contains(e.Message, "summary.narrative") {
		t.Errorf("final over an error: %+v; want it refused, listing the error", e)
	}
	move(api.facilitator, map[string]string{"status": "final", "override_reason": "  "}).
		want(t, http.StatusBadRequest)
	e = move(api.contributor, map[string]string{"status": "final",
		"override_reason": "Fine by me."}).want(t, http.StatusForbidden).fail(t)
	if !strings.Contains(e.Message, "facilitator") {
		t.Errorf("contributor override: %+v", e)
	}

	reason := "The phrase quotes the vendor's incident report."
	res := move(api.facilitator, map[string]string{"status": "final", "override_reason": reason}).
		want(t, http.StatusOK)
	newSchemaChecker(t, openAPIDoc(t, api.viewer)).
		check("POST", "/api/v1/postmortems/{id}/transitions", res)
	var got storedReport
	res.decode(t, &got)
	if got.Status != debrief.StatusFinal || len(got.LintOverrides) != 1 {
		t.Fatalf("after the override: status %s, overrides %+v", got.Status, got.LintOverrides)
	}
	o := got.LintOverrides[0]
	if o.By != api.facilitator.name(t) || o.Reason != reason || o.At.IsZero() ||
		o.Errors != 1 || strings.Join(o.Rules, ",") != "blame.human-error" ||
		o.Version != got.Version || o.From != debrief.StatusInReview {
		t.Errorf("override %+v", o)
	}

	// The report read back carries it, and goes back as it came.
	read := api.viewer.call("GET", loc, nil).want(t, http.StatusOK)
	var fields map[string]json.RawMessage
	read.decode(t, &fields)
	if fields["lint_overrides"] == nil {
		t.Fatalf("GET lacks lint_overrides: %s", read.body)
	}
	api.facilitator.send("PUT", loc, "application/json", read.body,
		"If-Match", read.header.Get("ETag")).want(t, http.StatusOK)
}

// name is the login of the client's user, as the API says.
func (c apiClient) name(t *testing.T) string {
	t.Helper()
	var me meResponse
	c.call("GET", "/api/v1/users/me", nil).want(t, http.StatusOK).decode(t, &me)
	return me.Name
}

func TestEditorShowsFindingsBesideTheirText(t *testing.T) {
	p := blamefulReport("pm-blame")
	p.Status = debrief.StatusDraft
	ts, store := editorServer(t, p)
	b := signIn(t, ts, store, debrief.AccessContributor)

	res, body := b.get(sectionURL(p.ID, "summary"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("editor: status %d\n%s", res.StatusCode, body)
	}
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	list := findElement(doc, func(n *html.Node) bool {
		return attr(n, "id") == "lint-summary.narrative"
	})
	if list == nil {
		t.Fatalf("no findings beside the narrative:\n%s", body)
	}
	mark := findElement(list, func(n *html.Node) bool { return n.Data == "mark" })
	if mark == nil || textOf(mark) != "human error" {
		t.Errorf("marked words %q; want \"human error\"", textOf(mark))
	}
	text := strings.Join(strings.Fields(textOf(list)), " ")
	for _, want := range []string{"The outage was human error.",
		`"human error" labels the failure as a person's fault`,
		"Suggestion: Describe what made the action possible or likely"} {
		if !strings.Contains(text, want) {
			t.Errorf("findings beside the narrative lack %q: %s", want, text)
		}
	}
	area := findElement(doc, func(n *html.Node) bool {
		return n.Data == "textarea" && attr(n, "name") == "summary.narrative"
	})
	if area == nil || !strings.Contains(attr(area, "aria-describedby"),
		"lint-summary.narrative") {
		t.Error("the narrative's text area does not point at its findings")
	}
	assertContains(t, "review panel", body, "Blameless review: ",
		`<a href="#f-summary.narrative">What happened</a>`)

	// Another section's findings stay in their own editor.
	_, body = b.get(sectionURL(p.ID, "timeline"))
	assertNotContains(t, "timeline editor", body, "<mark>human error</mark>")
	assertNoActiveMarkup(t, "summary editor", body)
}

func TestReportPageSumsUpFindings(t *testing.T) {
	p := blamefulReport("pm-blame")
	ts, store := editorServer(t, p)
	contributor := signIn(t, ts, store, debrief.AccessContributor)

	_, body := contributor.get(reportURL(p.ID))
	assertContains(t, "summary", body, "Blameless review", "1 error,",
		"· blame 1, personal identifiers 0,",
		`<a href="/postmortems/pm-blame/edit/summary#f-summary.narrative">What happened</a>`,
		"<mark>human error</mark>")
	// A contributor may not override: the move to final is not theirs.
	assertNotContains(t, "contributor's page", body, `name="override_reason"`)

	viewer := signIn(t, ts, store, debrief.AccessViewer)
	_, body = viewer.get(reportURL(p.ID))
	assertContains(t, "viewer's summary", body, "Blameless review", "1 error,")
	assertNotContains(t, "viewer's summary", body, "/edit/summary#")
}

func TestEditorFinalOverrideIsRecorded(t *testing.T) {
	p := blamefulReport("pm-blame")
	ts, store := editorServer(t, p)
	contributor := signIn(t, ts, store, debrief.AccessContributor)
	facilitator := signIn(t, ts, store, debrief.AccessFacilitator)
	finalise := func(b *browser, reason string) (*http.Response, string) {
		form := url.Values{"status": {"final"}, "version": {strconv.Itoa(p.Version)}}
		if reason != "" {
			form.Set("override_reason", reason)
		}
		return b.post(reportURL(p.ID)+"/status", form)
	}

	_, body := facilitator.get(reportURL(p.ID))
	assertContains(t, "facilitator's page", body, "Finalise over the checker's errors",
		`name="override_reason"`)

	res, body := finalise(facilitator, "")
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("final over an error: status %d, want 400", res.StatusCode)
	}
	assertContains(t, "refusal", body, "The status was not changed: the blameless checker "+
		"finds 1 error (summary.narrative, line 1, column 16: &#34;human error&#34; labels "+
		"the failure as a person&#39;s fault)")
	if res, _ = finalise(contributor, "Looks fine."); res.StatusCode != http.StatusForbidden {
		t.Errorf("contributor override: status %d, want 403", res.StatusCode)
	}
	if got := stored(t, store, p.ID).Status; got != debrief.StatusInReview {
		t.Fatalf("status %s after refused moves", got)
	}

	reason := "Quoted from the customer's ticket."
	if res, body = finalise(facilitator, reason); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("override: status %d\n%s", res.StatusCode, body)
	}
	_, body = contributor.get(reportURL(p.ID))
	body = strings.Join(strings.Fields(body), " ")
	assertContains(t, "recorded override", body, "Finalised over the checker's errors",
		"<strong>"+facilitator.user.Name+"</strong> moved the report from in review to final "+
			"(version 4) over 1 error (blame.human-error). Reason: <q>"+
			"Quoted from the customer&#39;s ticket.</q>", `<time datetime="`)
}
