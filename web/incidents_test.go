package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/sqlstore"
	"github.com/debrief-oss/debrief/workflow"
)

// incidentNow is the moment the incident tests happen at: the server, the
// workflow and the store share a clock stopped there.
var incidentNow = at("2026-03-10 12:00")

// incidentEnv is the web app on a real store whose clock stands still at
// incidentNow, with a workflow of its own to record alerts and reports as
// an alerting tool or another person would.
type incidentEnv struct {
	t     *testing.T
	ts    *httptest.Server
	store Store
	flow  *workflow.Service
}

func newIncidentEnv(t *testing.T, reports ...*debrief.Postmortem) *incidentEnv {
	t.Helper()
	clock := func() time.Time { return incidentNow }
	db, err := sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "debrief.db"),
		sqlstore.WithClock(clock))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	for _, p := range reports {
		restore(t, db, p)
	}
	return &incidentEnv{t: t, ts: testServer(t, db, WithClock(clock)), store: db,
		flow: workflow.New(db, workflow.WithClock(clock))}
}

// as signs in a new user with the role.
func (e *incidentEnv) as(role debrief.AccessRole) *browser {
	e.t.Helper()
	return signIn(e.t, e.ts, e.store, role)
}

// alertSender is the token an alerting tool posts with.
var alertSender = debrief.Actor{UserID: 1, Name: "alertmanager", Role: debrief.AccessContributor}

// receive posts a webhook body as the alerting tool would and returns
// the receipt; a body the workflow cannot read fails the test.
func (e *incidentEnv) receive(source debrief.AlertSource, body string) *workflow.Receipt {
	e.t.Helper()
	r, err := e.flow.ReceiveAlerts(context.Background(), alertSender, source,
		"application/json", []byte(body))
	if err != nil {
		e.t.Fatalf("receive %s payload: %v\n%s", source, err, body)
	}
	return r
}

// amAlert is one alert of an Alertmanager v4 body.
type amAlert struct {
	status, name, fingerprint, severity string
	starts, ends                        string // "2026-03-09 10:00"; ends "" while firing
}

// amBody writes an Alertmanager v4 webhook body for a group of alerts on
// the service.
func amBody(service string, alerts ...amAlert) string {
	group := `{}:{service="` + service + `"}`
	var parts []string
	for _, a := range alerts {
		ends := "0001-01-01T00:00:00Z"
		if a.ends != "" {
			ends = at(a.ends).Format(time.RFC3339)
		}
		parts = append(parts, fmt.Sprintf(`{"status":%q,"labels":{"alertname":%q,`+
			`"service":%q,"severity":%q,"category":"Availability"},`+
			`"annotations":{"summary":"%s on %s"},"startsAt":%q,"endsAt":%q,`+
			`"fingerprint":%q}`, a.status, a.name, service, a.severity, a.name, service,
			at(a.starts).Format(time.RFC3339), ends, a.fingerprint))
	}
	status := "resolved"
	for _, a := range alerts {
		if a.status == "firing" {
			status = "firing"
		}
	}
	return fmt.Sprintf(`{"version":"4","groupKey":%q,"status":%q,"receiver":"debrief",`+
		`"groupLabels":{"service":%q},"commonLabels":{},"externalURL":`+
		`"http://alertmanager.local","alerts":[%s]}`, group, status, service,
		strings.Join(parts, ","))
}

// outage records a P1 outage of checkout through Alertmanager: three
// alerts fire, two resolve, so the incident stays open. It returns the
// incident's ID.
func (e *incidentEnv) outage() string {
	e.t.Helper()
	r := e.receive(debrief.SourceAlertmanager, amBody("checkout",
		amAlert{"firing", "HighErrorRate", "a1", "critical", "2026-03-09 10:00", ""},
		amAlert{"firing", "LatencyHigh", "a2", "critical", "2026-03-09 10:03", ""},
		amAlert{"firing", "PodsCrashLooping", "a3", "critical", "2026-03-09 10:05", ""},
	))
	e.receive(debrief.SourceAlertmanager, amBody("checkout",
		amAlert{"resolved", "LatencyHigh", "a2", "critical", "2026-03-09 10:03",
			"2026-03-09 10:40"},
		amAlert{"resolved", "PodsCrashLooping", "a3", "critical", "2026-03-09 10:05",
			"2026-03-09 10:30"},
	))
	if len(r.Incidents) != 1 {
		e.t.Fatalf("the outage opened %d incidents, want 1", len(r.Incidents))
	}
	return r.Incidents[0].IncidentID
}

// minorIncident records a P4 that fired and resolved within ten minutes:
// the policy requires no postmortem for it.
func (e *incidentEnv) minorIncident() string {
	e.t.Helper()
	r := e.receive(debrief.SourceAlertmanager, amBody("search",
		amAlert{"resolved", "DiskAlmostFull", "d1", "info", "2026-03-08 09:00",
			"2026-03-08 09:10"},
	))
	return r.Incidents[0].IncidentID
}

func TestIncidentListShowsFactsAndActions(t *testing.T) {
	e := newIncidentEnv(t, fullReport())
	open := e.outage()
	minor := e.minorIncident()

	contributor := e.as(debrief.AccessContributor)
	res := contributor.fetch("/incidents")
	if res.status != http.StatusOK {
		t.Fatalf("status %d\n%s", res.status, res.body)
	}
	assertContains(t, "incident list", res.body,
		`href="/incidents/`+open+`"`, `href="/incidents/`+minor+`"`,
		`<span class="sev sev-p1" title="Severity P1">P1</span>`,
		`incident-status-open">Open</span>`, `incident-status-resolved">Resolved</span>`,
		`<span class="outcome outcome-required">Required</span>`,
		`<span class="outcome outcome-not_required">Not required</span>`,
		`<td>10m</td>`, // the minor incident's duration
		// The report of INC-4411 is linked; the others can be started.
		`<a href="/postmortems/pm-2024-031">Read the report</a>`,
		`<input type="hidden" name="incident" value="`+open+`">`,
		`>Write postmortem</button>`)

	viewer := e.as(debrief.AccessViewer)
	assertNotContains(t, "viewer's list", viewer.fetch("/incidents").body, "Write postmortem")
}

func TestIncidentListFilters(t *testing.T) {
	e := newIncidentEnv(t, fullReport())
	open := e.outage()
	minor := e.minorIncident()
	b := e.as(debrief.AccessViewer)

	tests := []struct {
		query      string
		want, lack []string
	}{
		{"status=open", []string{open}, []string{minor, "INC-4411"}},
		{"status=resolved", []string{minor, "INC-4411"}, []string{open}},
		{"service=search", []string{minor}, []string{open, "INC-4411"}},
		{"without_postmortem=1", []string{open, minor}, []string{"INC-4411"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := b.fetch("/incidents?" + tt.query)
			if res.status != http.StatusOK {
				t.Fatalf("status %d", res.status)
			}
			for _, id := range tt.want {
				assertContains(t, tt.query, res.body, `href="/incidents/`+id+`"`)
			}
			for _, id := range tt.lack {
				assertNotContains(t, tt.query, res.body, `href="/incidents/`+id+`"`)
			}
			assertContains(t, tt.query, res.body, `Clear filters`)
		})
	}

	res := b.fetch("/incidents?status=sleeping")
	if res.status != http.StatusBadRequest {
		t.Errorf("unknown status: %d, want 400", res.status)
	}
	assertContains(t, "unknown status", res.body, "is not one of open")
}

func TestIncidentPageShowsDecisionChartAndEvents(t *testing.T) {
	e := newIncidentEnv(t)
	id := e.outage()
	b := e.as(debrief.AccessViewer)

	res := b.fetch("/incidents/" + id)
	if res.status != http.StatusOK {
		t.Fatalf("status %d\n%s", res.status, res.body)
	}
	assertContains(t, "incident page", res.body,
		`<h1>HighErrorRate on checkout</h1>`,
		`<span class="service">checkout</span>`, `<span class="category">Availability</span>`,
		`<dt>Detected</dt><dd><time datetime="2026-03-09T10:00:00Z">`,
		`<dt>User impact</dt><dd>Not reported</dd>`,
		`<span class="outcome outcome-required">Required</span>`,
		`required: P1`,
		`>Check policy now</button>`,
		`<title id="al-chart-title">Alerts of the incident</title>`,
		`Firing: HighErrorRate on checkout`, // an event of the list
		"No report has been started")
	// A viewer may ask the policy, but not file requests or start a report.
	assertNotContains(t, "viewer's incident page", res.body,
		`name="kind" value="waiver"`, "Write a postmortem")
	assertNoActiveMarkup(t, "incident page", res.body)

	if n := strings.Count(res.body, `<g class="alert-bar`); n != 3 {
		t.Errorf("the chart draws %d alert bars, want 3", n)
	}
	assertContains(t, "alert bar states", res.body,
		`class="alert-bar alert-firing alert-open"`, `class="alert-bar alert-resolved"`,
		"(still firing)")
}

func TestIncidentOfRestrictedReportIsHidden(t *testing.T) {
	p := fullReport()
	p.Visibility = debrief.VisibilityRestricted
	e := newIncidentEnv(t, p)
	outsider := e.as(debrief.AccessViewer)

	if res := outsider.fetch("/incidents/INC-4411"); res.status != http.StatusNotFound {
		t.Errorf("restricted report's incident: status %d, want 404", res.status)
	}
	assertNotContains(t, "outsider's list", outsider.fetch("/incidents").body, "INC-4411")
	res, _ := outsider.post("/incidents/INC-4411/decide", url.Values{})
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("deciding a hidden incident: status %d, want 404", res.StatusCode)
	}

	admin := e.as(debrief.AccessAdmin)
	if res := admin.fetch("/incidents/INC-4411"); res.status != http.StatusOK {
		t.Errorf("admin reading the incident: status %d, want 200", res.status)
	}
}

func TestCheckPolicyNow(t *testing.T) {
	e := newIncidentEnv(t)
	id := e.minorIncident()
	b := e.as(debrief.AccessViewer)

	res, body := b.post("/incidents/"+id+"/decide", url.Values{})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide: status %d\n%s", res.StatusCode, body)
	}
	if got := res.Header.Get("Location"); got != "/incidents/"+id+"#policy" {
		t.Errorf("decide redirects to %q", got)
	}
	assertContains(t, "decided page", b.fetch("/incidents/"+id).body,
		`<span class="outcome outcome-not_required">Not required</span>`)

	// Without the session's token, nothing is decided.
	noToken := *b
	noToken.csrf = "forged"
	if res, _ := noToken.post("/incidents/"+id+"/decide", url.Values{}); res.StatusCode !=
		http.StatusForbidden {
		t.Errorf("decide without the CSRF token: status %d, want 403", res.StatusCode)
	}
}

func TestWaiverNeedsAReason(t *testing.T) {
	e := newIncidentEnv(t)
	// A P2 that resolved: required, and waivable with a reason.
	r := e.receive(debrief.SourceAlertmanager, amBody("cart",
		amAlert{"resolved", "CartSlow", "c1", "error", "2026-03-09 08:00",
			"2026-03-09 08:20"}))
	id := r.Incidents[0].IncidentID
	in, err := e.store.Incident(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if in.Severity != "P2" {
		t.Fatalf("an error alert became %q, not P2; the waiver test needs a P2", in.Severity)
	}
	b := e.as(debrief.AccessContributor)

	res, body := b.post("/incidents/"+id+"/requests", url.Values{"kind": {"waiver"},
		"reason": {"  "}})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("waiver without a reason: status %d, want 400\n%s", res.StatusCode, body)
	}
	assertContains(t, "refused waiver", body, `id="waiver-err"`, `aria-invalid="true"`,
		"<title>Error: ")

	reason := "A load test in staging; no customer saw it."
	res, body = b.post("/incidents/"+id+"/requests", url.Values{"kind": {"waiver"},
		"reason": {reason}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("waiver: status %d\n%s", res.StatusCode, body)
	}
	page := b.fetch("/incidents/" + id).body
	assertContains(t, "after the waiver", page, "<strong>Waiver</strong>", reason,
		`<span class="outcome outcome-waived">Waived</span>`)

	viewer := e.as(debrief.AccessViewer)
	res, _ = viewer.post("/incidents/"+id+"/requests", url.Values{"kind": {"waiver"},
		"reason": {"mine"}})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("viewer's waiver: status %d, want 403", res.StatusCode)
	}
}

func TestLearningRequestApproval(t *testing.T) {
	e := newIncidentEnv(t)
	id := e.minorIncident()
	asker := e.as(debrief.AccessContributor)

	res, body := asker.post("/incidents/"+id+"/requests", url.Values{"kind": {"learning"},
		"reason": {"The disk filled in a way nobody expected."}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("learning request: status %d\n%s", res.StatusCode, body)
	}
	rs, err := e.store.PolicyRequests(context.Background(), id)
	if err != nil || len(rs) != 1 {
		t.Fatalf("requests %v, %v; want one", rs, err)
	}
	approve := fmt.Sprintf("/incidents/%s/requests/%d/approve", id, rs[0].ID)

	// Neither a viewer nor the asker sees an Approve button; both are told
	// why, and a forged approval shows the workflow's refusal.
	viewer := e.as(debrief.AccessViewer)
	for name, b := range map[string]*browser{"viewer": viewer, "asker": asker} {
		page := b.fetch("/incidents/" + id).body
		assertNotContains(t, name, page, `action="`+approve+`"`)
		assertContains(t, name, page, "Waiting for approval.")
		res, body := b.post(approve, url.Values{})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s approving: status %d, want 403", name, res.StatusCode)
		}
		assertContains(t, name+"'s refusal", body, `role="alert"`, "approv")
	}

	facilitator := e.as(debrief.AccessFacilitator)
	assertContains(t, "facilitator's page", facilitator.fetch("/incidents/"+id).body,
		`action="`+approve+`"`, ">Approve</button>")
	if res, body := facilitator.post(approve, url.Values{}); res.StatusCode !=
		http.StatusSeeOther {
		t.Fatalf("facilitator approving: status %d\n%s", res.StatusCode, body)
	}
	page := facilitator.fetch("/incidents/" + id).body
	assertContains(t, "approved", page, "Approved by "+facilitator.user.Name,
		`<span class="outcome outcome-required">Required</span>`)
}

func TestWritePostmortemFromIncident(t *testing.T) {
	e := newIncidentEnv(t)
	id := e.minorIncident()
	b := e.as(debrief.AccessContributor)

	page := b.fetch("/incidents/" + id).body
	res, body := b.post("/postmortems", formValues(t, page, "/postmortems"))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("write postmortem: status %d\n%s", res.StatusCode, body)
	}
	report := res.Header.Get("Location")
	assertContains(t, "incident with a report", b.fetch("/incidents/"+id).body,
		`<a href="`+report+`">Read the postmortem report</a>`)
	// The draft starts from the incident's alert events.
	assertContains(t, "new report", b.fetch(report).body, "DiskAlmostFull",
		`<span class="source">from alert</span>`)
}
