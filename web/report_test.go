package web

import (
	"flag"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func TestReportShowsEverySection(t *testing.T) {
	_, b := readerServer(t, openStore(t, fullReport()))
	res := b.fetch("/postmortems/pm-2024-031")
	if res.status != http.StatusOK {
		t.Fatalf("status = %d\n%s", res.status, res.body)
	}

	sections := []struct {
		name  string
		wants []string
	}{
		{"header", []string{
			`<title>Checkout outage from a connection-pool setting · debrief</title>`,
			`Incident <span class="incident-id">INC-4411</span>`,
			`<p class="incident-title">Checkout errors after config push</p>`,
			`<span class="sev sev-p1" title="Severity P1">P1</span>`,
			`<span class="category">Configuration</span>`,
			`<span class="status status-final">Final</span>`, "Incident Resolved",
			`<dt>Started</dt><dd><time datetime="2024-03-07T14:00:00Z">2024-03-07 14:00 UTC`,
			`<dt>Detected</dt><dd><time datetime="2024-03-07T14:06:00Z">`,
			`<dt>Acknowledged</dt><dd><time datetime="2024-03-07T14:10:00Z">`,
			`<dt>Mitigated</dt><dd><time datetime="2024-03-07T14:52:00Z">`,
			`<dt>Resolved</dt><dd><time datetime="2024-03-07T15:04:00Z">`,
			`<dt>Duration</dt><dd>1h 04m</dd>`,
			`<dt>Authors</dt><dd>Ana Lima, Kofi Mensah</dd>`,
			`<dt>Facilitator</dt><dd>Jo Park</dd>`,
			`<dt>Time zone</dt><dd>Europe/Copenhagen</dd>`,
			`<li>config</li><li>payments</li>`,
			`<dt>Customer tier</dt><dd>all</dd></div>`,
		}},
		{"summary as Markdown", []string{
			`<strong>64 minutes</strong>`,
			`<h4>Background</h4>`, // "##" moved below the page's own h2/h3
			`<code>200</code>`, `<table>`, `<td>Rollback</td>`,
			`<input checked="" disabled="" type="checkbox"`,
		}},
		{"timeline table", []string{
			`<td class="time-text">15:06 CET</td>`,
			`<time datetime="2024-03-07T14:06:00Z">2024-03-07 14:06 UTC</time>`,
			`<span class="kind kind-detection">Detection</span>`,
			`<span class="kind kind-other">Event</span>`,
			`<span aria-hidden="true">⚠ </span>out of order</span>`,
			`impossible time</span>`, `approximate time</span>`,
			`<span class="source">from alert</span>`,
		}},
		{"timeline chart", []string{
			`<svg viewBox="0 0 960 248" role="img"`, // taller by four duration brackets
			`<desc id="tl-chart-desc">6 timed events from 2024-03-07 14:00 UTC to 2024-03-07 15:04 UTC.`,
			`class="mark kind-mitigation"`, `<title>14:52 UTC — Pool size restored</title>`,
			`>Detected 14:06</text>`, `>Resolved 15:04</text>`,
		}},
		{"analysis", []string{
			`<em>validation</em>`, "A routine configuration push.",
			"The checkout error-rate alert.", "Rolled the setting back",
		}},
		{"why-chains", []string{
			`<ul class="why-tree">`,
			`<li class="why why-causal">`,
			"Why did payments time out?",
			`Config values are not range-checked <strong class="cause-badge cause-badge-root">` +
				`root cause</strong>`,
		}},
		{"fishbone", []string{
			`<title id="fb-title">Fishbone diagram</title>`,
			`<h4>Process</h4>`, `<h4>Technology</h4>`, "No review of config diffs",
			`class="cause cause-root"`,
		}},
		{"contributing factors", []string{
			`<h3>Monitoring &amp; Alerting</h3>`, "Pool saturation not alerted",
			"How it contributed: Delayed detection by six minutes",
			`<h3>Configuration Management</h3>`,
		}},
		{"impact", []string{
			`<th scope="row">Customer</th>`, `<td class="num">64.5</td>`,
			`<td class="num">1,250,000</td>`, `<td class="num">48,213</td>`,
			`<td class="num">182000.00 EUR</td>`,
		}},
		{"lessons", []string{
			`<h3>What went well</h3>`, "Rollback took two minutes",
			`<h3>What went wrong</h3>`, `<h3>Where we got lucky</h3>`,
			`<h3>General lessons</h3>`, "Validate every tunable",
		}},
		{"action items", []string{
			"Range-check pool settings in CI",
			`<a class="tracker" href="https://tracker.example/PLAT-88">Ticket</a>`,
			`Platform <span class="muted">(team)</span>`,
			`<time datetime="2024-04-01">2024-04-01</time>`,
			`<span class="action-status action-in_progress">In progress</span>`,
			`<span class="quadrant">quick win</span>`, `<span class="quadrant">major project</span>`,
			"impact high, effort low", "Code fix", "Prevention", "Mitigation",
			"Metric: CI rejects pool &lt; 50", "Verified by: Test push of pool 10 fails",
			"Blocked: Waiting for metrics exporter",
		}},
		{"team", []string{
			`<span class="name">Ana Lima</span> <span class="role">Incident commander</span>`,
			`<span class="name">Jo Park</span> <span class="role">Facilitator</span>`,
		}},
		{"meeting", []string{
			`<time datetime="2024-03-11T09:00:00Z">2024-03-11 09:00 UTC</time>`,
			"Ana Lima, Kofi Mensah, Jo Park", `<strong>range checks</strong>`,
		}},
		{"links", []string{
			`<a href="https://chat.example/inc-4411">Incident channel</a>`,
			`<a href="https://status.example/incidents/77">https://status.example/incidents/77</a>`,
		}},
		{"free sections", []string{
			`<h3>Appendix: graphs</h3>`, `<em>dashboards</em>`,
		}},
		{"record", []string{
			"<code>2024/03-07-checkout.md</code>", "markdown",
			"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
			`<dt>Version</dt><dd>3</dd>`,
		}},
	}
	for _, s := range sections {
		t.Run(s.name, func(t *testing.T) {
			assertContains(t, s.name, res.body, s.wants...)
		})
	}
}

// TestReportElapsedColumn reads the elapsed column in table order. The
// table is in time order: the out-of-order entry moves to its place (its
// flag stays), the event with an impossible time stays after the event it
// followed and gets no elapsed value.
func TestReportElapsedColumn(t *testing.T) {
	_, b := readerServer(t, openStore(t, fullReport()))
	body := b.fetch("/postmortems/pm-2024-031").body

	re := regexp.MustCompile(`<td class="elapsed">([^<]*)</td>`)
	var got []string
	for _, m := range re.FindAllStringSubmatch(body, -1) {
		got = append(got, html.UnescapeString(m[1])) // html/template writes + as &#43;
	}
	want := []string{"+0h 00m", "+0h 06m", "+0h 08m", "—", "+0h 10m", "+0h 52m", "+1h 04m"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("elapsed column (-want +got):\n%s", diff)
	}
}

func TestReportChartNeedsTwoTimedEvents(t *testing.T) {
	p := fullReport()
	p.Timeline = p.Timeline[:1]
	p.Analysis.Causes = nil
	_, b := readerServer(t, openStore(t, p))
	body := b.fetch("/postmortems/" + p.ID).body

	// The action item matrix is drawn whatever the timeline holds.
	assertNotContains(t, "one timed event", body, "<svg viewBox", "Fishbone diagram")
	assertContains(t, "one timed event", html.UnescapeString(body),
		`<td class="elapsed">+0h 00m</td>`)
}

func TestReportEmptySectionsSayNotRecorded(t *testing.T) {
	p := emptyReport("pm-empty")
	_, b := readerServer(t, openStore(t, p))
	res := b.fetch("/postmortems/" + p.ID)
	if res.status != http.StatusOK {
		t.Fatalf("status = %d\n%s", res.status, res.body)
	}
	if n := strings.Count(res.body, `<p class="empty">Not recorded.</p>`); n < 15 {
		t.Errorf("%d sections say Not recorded, want every empty one (15)", n)
	}
	assertContains(t, "empty report", res.body, "Untitled report", "Not yet held")
}

func TestReportNotFound(t *testing.T) {
	_, b := readerServer(t, openStore(t, fullReport()))
	res := b.fetch("/postmortems/no-such-report")
	if res.status != http.StatusNotFound {
		t.Fatalf("status = %d, want 404", res.status)
	}
	assertContains(t, "404 page", res.body, "<h1>Not Found</h1>", `report no-such-report not found`,
		`href="/"`)
}

var staticHash = regexp.MustCompile(`\.[0-9a-f]{10}\.`)

// TestReportGolden compares the whole page with testdata/report.golden.html.
// Run `go test ./web -run Golden -update` after an intended change and
// review the diff like code.
func TestReportGolden(t *testing.T) {
	_, b := readerServer(t, openStore(t, fullReport()))
	// Static file hashes change with every stylesheet edit; the page's
	// structure is what the golden file guards.
	body := staticHash.ReplaceAllString(b.fetch("/postmortems/pm-2024-031").body, ".HASH.")
	// The session's CSRF token is new with every sign-in.
	body = csrfField.ReplaceAllString(body, `name="csrf_token" value="CSRF"`)

	golden := filepath.Join("testdata", "report.golden.html")
	if *update {
		if err := os.WriteFile(golden, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if diff := cmp.Diff(string(want), body); diff != "" {
		t.Errorf("report page differs from %s (-want +got):\n%s", golden, diff)
	}
}

func TestTeamNamesTheFacilitatorOnce(t *testing.T) {
	p := &debrief.Postmortem{Facilitator: "Ada Park",
		Team: []debrief.TeamMember{{Name: "ada park", Role: debrief.RoleFacilitator}}}
	if got := facilitatorOutsideTeam(p); got != "" {
		t.Errorf("facilitator also in the team as facilitator: %q shown again", got)
	}
	p.Team[0].Role = debrief.RoleDeveloper
	if got := facilitatorOutsideTeam(p); got != "Ada Park" {
		t.Errorf("facilitator in the team in another role: %q, want the facilitator line", got)
	}
}
