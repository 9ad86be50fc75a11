package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/markdown"
	"github.com/debrief-oss/debrief/workflow"
)

// payloads are what an attacker, or an unlucky paste, puts into report
// text: markup that would run script if any page let it through.
var payloads = []string{
	`<script>window.pwned=1;alert("script")</script>`,
	`<img src=x onerror="window.pwned=2;alert('img')">`,
	`"><svg onload="window.pwned=3;alert('svg')">`,
	`' onmouseover='window.pwned=4' x='`,
	`[click me](javascript:window.pwned=5;alert('link'))`,
	`[data](data:text/html,<script>alert('data')</script>)`,
	`<a href="javascript:alert('a')">a</a><iframe src="javascript:alert('f')"></iframe>`,
	`<style>body{display:none}</style><form action="https://evil.example/"><button>x</button></form>`,
}

// hostileMarkdown is an imported report made of the payloads.
func hostileMarkdown() string {
	var b strings.Builder
	b.WriteString("# " + payloads[0] + " outage\n\n## Summary\n\n")
	for _, p := range payloads {
		b.WriteString(p + "\n\n")
	}
	b.WriteString("## Timeline\n\n")
	for i, p := range payloads {
		b.WriteString("- 10:0" + string(rune('0'+i)) + " UTC " + p + "\n")
	}
	b.WriteString("\n## Action items\n\n| Action | Owner |\n|---|---|\n")
	for _, p := range payloads {
		b.WriteString("| " + strings.ReplaceAll(p, "|", "") + " | " + payloads[1] + " |\n")
	}
	return b.String()
}

// TestHostileReportRunsNoScript opens every page that shows a report full
// of script payloads, imported from Markdown, and fails when any of them
// ran: a dialog opened, the page threw, or the payloads' marker is set.
func TestHostileReportRunsNoScript(t *testing.T) {
	eachStore(t, hostileReportRunsNoScript)
}

func hostileReportRunsNoScript(t *testing.T, a *app) {
	ctx := context.Background()
	res, err := markdown.Parse(markdown.Document{Name: "hostile.md", Data: []byte(hostileMarkdown())})
	if err != nil {
		t.Fatalf("parse the hostile report: %v", err)
	}
	p := res.Postmortem
	p.ID, p.Status = "hostile", debrief.StatusInReview
	p.Incident.StartedAt = time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
	p.Analysis.Whys = []debrief.Why{{ID: 1, Question: payloads[2], Answer: payloads[3]}}
	p.Meeting.Attendees = []string{payloads[1]}
	p.Sections = append(p.Sections, debrief.Section{Heading: payloads[2], Body: payloads[4]})
	p.Fields = map[string]string{payloads[3]: payloads[0]}
	if err := a.store.SavePostmortem(ctx, p); err != nil {
		t.Fatalf("store the hostile report: %v", err)
	}

	tb := newTab(t, a)
	tb.signIn("admin")
	paths := []string{"/", "/postmortems/hostile", "/search?q=outage",
		"/postmortems/hostile/revisions", "/postmortems/hostile/compare?from=1&to=1"}
	for _, sec := range workflow.Sections {
		paths = append(paths, "/postmortems/hostile/edit/"+sec.Key)
	}
	for _, path := range paths {
		tb.open(path)
		// Hover and focus everything, so event attributes would fire.
		_, err := chromedp.Run(tb.ctx, chromedp.Evaluate[any](`document.querySelectorAll("*")
			.forEach(el => { el.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
				if (el.focus) el.focus(); }), null`))
		if err != nil {
			t.Fatalf("%s: hover: %v", path, err)
		}
		pwned, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`window.pwned !== undefined`))
		if err != nil || pwned {
			t.Errorf("%s: a payload ran (window.pwned set: %v, %v)", path, pwned, err)
		}
		if n := tb.count(`a[href^="javascript:"], a[href^="data:"], iframe, main script,
			[onerror], [onload], [onmouseover], main form[action^="https://evil"]`); n > 0 {
			t.Errorf("%s: %d dangerous elements reached the page", path, n)
		}
	}
	tb.noScriptRan()
}
