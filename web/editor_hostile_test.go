package web

import (
	"net/http"
	"testing"

	"github.com/debrief-oss/debrief"
)

const attrBreakout = `" onmouseover="alert(1)" x="`

// TestEditorHostileText saves script, attribute break-outs and hostile
// links through the editor: links that are not web or mail addresses are
// refused by the field, and everything else is shown as the text it is,
// on the report, in the forms and on the conflict page.
func TestEditorHostileText(t *testing.T) {
	ts, store := editorServer(t, draftReport())
	b := signIn(t, ts, store, debrief.AccessContributor)
	id := "pm-2024-031"

	for _, bad := range []struct{ key, field, value string }{
		{"links", "links[2].url", "javascript:alert(1)"},
		{"links", "links[2].url", "  JavaScript:alert(document.cookie)"},
		{"links", "links[2].url", "data:text/html,<script>alert(1)</script>"},
		{"action_items", "action_items[1].tracker_url", "javascript:alert(1)"},
	} {
		res, body := b.editSection(id, bad.key, map[string]string{
			bad.field: bad.value, "links[2].title": xssScript,
		})
		if res.StatusCode != http.StatusBadRequest {
			t.Fatalf("%s = %q: status %d, want 400", bad.field, bad.value, res.StatusCode)
		}
		if msg := fieldErrorOf(t, body, bad.field); msg == "" {
			t.Errorf("%s = %q: no error by the field", bad.field, bad.value)
		}
		assertNoActiveMarkup(t, "refused "+bad.field, body)
	}

	saves := []struct {
		key string
		set map[string]string
	}{
		{"header", map[string]string{"title": xssScript, "facilitator": attrBreakout,
			"incident.services": xssImg}},
		{"timeline", map[string]string{"timeline[0].text": xssAll,
			"timeline[0].source": attrBreakout, "timeline[7].time_text": attrBreakout,
			"timeline[7].utc": "2024-03-07T14:30", "timeline[7].text": xssImg}},
		{"analysis", map[string]string{"analysis.whys[0].answer": xssScript,
			"analysis.causes[0].text": attrBreakout}},
		{"links", map[string]string{"links[2].title": xssScript,
			"links[2].url": "https://example.com/?q=\"><script>alert(1)</script>",
			"tags[2]":      attrBreakout}},
		{"sections", map[string]string{"sections[0].heading": xssScript,
			"sections[0].body": xssAll, "fields[2].name": attrBreakout,
			"fields[2].value": xssScript}},
	}
	for _, s := range saves {
		res, body := b.editSection(id, s.key, s.set)
		assertSaved(t, res, body, id, s.key)
		_, form := b.get(sectionURL(id, s.key))
		assertNoActiveMarkup(t, "editor of "+s.key, form)
	}

	_, page := b.get(reportURL(id))
	assertNoExecutableScript(t, "report", page)
	assertNoActiveMarkup(t, "report", page)
	assertContains(t, "report", page,
		`<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>`,
		`<dt>Facilitator</dt><dd>&#34; onmouseover=&#34;alert(1)&#34; x=&#34;</dd>`,
		`href="https://example.com/?q=%22%3e%3cscript%3ealert%281%29%3c/script%3e"`,
	)

	// A conflict page shows the stale form with the same text, inert.
	path := sectionURL(id, "sections")
	stale := b.openForm(path, path)
	res, body := b.editSection(id, "sections", map[string]string{"fields[3].name": "Tier",
		"fields[3].value": "gold"})
	assertSaved(t, res, body, id, "sections")
	res, body = b.post(path, change(stale, map[string]string{"sections[0].body": xssAll + "!"}))
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale save: status %d, want 409", res.StatusCode)
	}
	assertNoActiveMarkup(t, "conflict page", body)
}
