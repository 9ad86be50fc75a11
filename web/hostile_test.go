package web

import (
	"regexp"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

const (
	xssScript = `<script>alert(1)</script>`
	xssLink   = `[x](javascript:alert(1))`
	xssImg    = `<img src=x onerror=alert(1)>`
	xssAll    = xssScript + " " + xssLink + " " + xssImg
)

// hostileReport carries script in every field a page shows, Markdown and
// plain text alike: imported reports come from anywhere.
func hostileReport() *debrief.Postmortem {
	p := fullReport()
	p.ID = "pm-hostile"
	p.Title = "Alert " + xssAll
	p.Incident.ID = "INC-" + xssScript
	p.Incident.Title = xssImg
	p.Incident.Services = []string{xssScript}
	p.Authors = []string{xssImg}
	p.Summary.ExecutiveSummary = "alert summary " + xssAll
	p.Summary.Narrative = xssAll + "\n\n<a href=\"javascript:alert(1)\">click</a>\n\n" +
		"<svg onload=alert(1)></svg>\n\n<iframe src=\"https://evil.example\"></iframe>"
	p.Timeline[0].Text = xssAll
	p.Timeline[0].TimeText = xssScript
	p.Analysis.RootCause = xssAll
	p.Analysis.Whys[0].Answer = xssScript
	p.Analysis.Causes[0].Text = xssScript
	p.Lessons[0].Text = xssImg
	p.ActionItems[0].Description = xssAll
	p.ActionItems[0].TrackerURL = "javascript:alert(1)"
	p.Links = []debrief.Link{{Title: xssScript, URL: "javascript:alert(1)"}}
	p.Tags = []string{xssScript}
	p.Sections = []debrief.Section{{Heading: xssScript, Body: xssAll}}
	p.Meeting.Notes = xssAll
	p.Fields = map[string]string{xssScript: xssImg}
	return p
}

// executable finds markup that would run: script elements other than the
// server's own, event-handler attributes, javascript: URLs and frames.
var executable = []*regexp.Regexp{
	regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>[^<]*alert`),
	regexp.MustCompile(`(?i)<[a-z][^>]*\son[a-z]+\s*=`),
	regexp.MustCompile(`(?i)(?:href|src|action)\s*=\s*["']?\s*javascript:`),
	regexp.MustCompile(`(?i)<(?:iframe|object|embed)`),
}

func assertNoExecutableScript(t *testing.T, page, body string) {
	t.Helper()
	for _, re := range executable {
		if m := re.FindString(body); m != "" {
			t.Errorf("%s: executable markup %q", page, m)
		}
	}
	// The only script element is the server's own, from /static.
	scripts := regexp.MustCompile(`(?i)<script[^>]*>`).FindAllString(body, -1)
	for _, s := range scripts {
		if !strings.Contains(s, `src="/static/app.`) {
			t.Errorf("%s: foreign script element %q", page, s)
		}
	}
	if len(scripts) != 1 {
		t.Errorf("%s: %d script elements, want only the server's one", page, len(scripts))
	}
}

func TestHostileReportRunsNothing(t *testing.T) {
	_, b := readerServer(t, openStore(t, hostileReport()))
	pages := []string{
		"/postmortems/pm-hostile",
		"/",
		"/search?q=alert",
		"/?service=" + "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
		"/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
	}
	for _, path := range pages {
		t.Run(path, func(t *testing.T) {
			res := b.fetch(path)
			if res.status != 200 {
				t.Fatalf("status = %d", res.status)
			}
			assertNoExecutableScript(t, path, res.body)
		})
	}
}

// TestHostileTextStaysVisible checks that hostile text is shown escaped,
// not dropped: a reader must see what the report says.
func TestHostileTextStaysVisible(t *testing.T) {
	_, b := readerServer(t, openStore(t, hostileReport()))
	body := b.fetch("/postmortems/pm-hostile").body

	assertContains(t, "report", body,
		`<h1>Alert &lt;script&gt;alert(1)&lt;/script&gt;`,
		`<td>&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))`,
		`<span class="tracker">Ticket: javascript:alert(1)</span>`,
		`(javascript:alert(1), not a web link)`,
		`<h3>&lt;script&gt;alert(1)&lt;/script&gt;</h3>`,
	)
	// Markdown keeps link texts and the image but loses the javascript:
	// targets and the event handler.
	assertContains(t, "markdown", body, " x ", "click", `<img src="x"/>`)
}

// TestReportTextCannotCloseThePage: stray end tags in report text must not
// end the elements around it.
func TestReportTextCannotCloseThePage(t *testing.T) {
	got := string(newMarkdownRenderer().Render(
		"Before </div></section></main> after <b>unclosed"))
	if strings.Contains(got, "</div>") || strings.Contains(got, "</main>") {
		t.Errorf("stray end tags passed through: %s", got)
	}
	if !strings.Contains(got, "<b>unclosed</b>") {
		t.Errorf("unclosed tag not closed: %s", got)
	}
}
