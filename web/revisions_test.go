package web

import (
	"net/http"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

// revisedReport stores the draft report and changes it three times: a
// contributor rewrites the summary, a facilitator adds a lesson, and the
// contributor sends it for review (versions 4, 5 and 6).
func revisedReport(t *testing.T) (*browser, *browser, Store, string) {
	t.Helper()
	ts, store := editorServer(t, draftReport())
	ana := signIn(t, ts, store, debrief.AccessContributor)
	jo := signIn(t, ts, store, debrief.AccessFacilitator)
	id := "pm-2024-031"

	res, body := ana.editSection(id, "summary", map[string]string{
		"summary.executive_summary": "Checkout failed for an hour.",
	})
	assertSaved(t, res, body, id, "summary")
	res, body = jo.editSection(id, "lessons", map[string]string{
		"lessons[4].kind": "lucky", "lessons[4].text": "Low traffic",
	})
	assertSaved(t, res, body, id, "lessons")
	if res, body = ana.move(id, 5, debrief.StatusInReview); res.StatusCode != 303 {
		t.Fatalf("send for review: %d\n%s", res.StatusCode, body)
	}
	return ana, jo, store, id
}

var revisionRow = regexp.MustCompile(`(?s)<th scope="row"><a href="[^"]+">Version (\d+)</a></th>` +
	`\s*<td>(.*?)</td>.*?<span class="status status-[a-z_]+">([^<]+)</span>`)

func TestRevisionsList(t *testing.T) {
	ana, jo, _, id := revisedReport(t)
	res, body := jo.get(reportURL(id) + "/revisions")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	var got []string
	for _, m := range revisionRow.FindAllStringSubmatch(body, -1) {
		got = append(got, m[1]+" "+m[2]+" "+m[3])
	}
	want := []string{
		"6 " + ana.user.Name + " In review",
		"5 " + jo.user.Name + " Draft",
		"4 " + ana.user.Name + " Draft",
		`3 <span class="muted">an import</span> Draft`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("revisions (-want +got):\n%s", diff)
	}
	// The compare form starts with the last change picked.
	form := formValues(t, body, reportURL(id)+"/compare")
	if form.Get("from") != "5" || form.Get("to") != "6" {
		t.Errorf("compare form picks %s to %s, want 5 to 6", form.Get("from"), form.Get("to"))
	}
	assertLabelled(t, "revisions", body)
}

func TestRevisionsCompare(t *testing.T) {
	_, jo, _, id := revisedReport(t)
	base := reportURL(id) + "/compare"

	_, body := jo.get(base + "?from=3&to=5")
	assertContains(t, "3 to 5", body,
		`<h1>Changes from version 3 to version 5</h1>`,
		`<h3 id="diff-summary">Summary</h3>`,
		`<span class="visually-hidden">Removed: </span><del>  executive_summary: For **64 minutes**`,
		`<span class="visually-hidden">Added: </span>`+
			`<ins>  executive_summary: Checkout failed for an hour.</ins>`,
		`<h3 id="diff-lessons">Lessons learned</h3>`,
		`<ins>  - kind: lucky</ins>`, `<ins>    text: Low traffic</ins>`,
	)
	assertNotContains(t, "3 to 5", body, `id="diff-timeline"`, `id="diff-status"`)

	// Reversed versions read from older to newer; a move shows as a status change.
	_, body = jo.get(base + "?from=6&to=5")
	assertContains(t, "5 to 6", body, `<h1>Changes from version 5 to version 6</h1>`,
		`<h3 id="diff-status">Status</h3>`, `<del>draft</del>`, `<ins>in_review</ins>`)

	for _, q := range []string{"", "?from=3", "?from=x&to=4"} {
		res, body := jo.get(base + q)
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("compare%s: status %d, want 400", q, res.StatusCode)
		}
		assertContains(t, "compare"+q, body, "version")
	}
	if res, _ := jo.get(base + "?from=3&to=99"); res.StatusCode != http.StatusNotFound {
		t.Errorf("compare to a missing version: status %d, want 404", res.StatusCode)
	}
}

func TestRevisionReadOnly(t *testing.T) {
	ana, _, _, id := revisedReport(t)
	res, body := ana.get(reportURL(id) + "/revisions/4")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	assertContains(t, "version 4", body, "<strong>You are reading version 4</strong>",
		"by "+ana.user.Name, "The report is now at version 6.",
		"Checkout failed for an hour.", `href="/postmortems/pm-2024-031/compare?from=4&amp;to=6"`)
	assertNotContains(t, "version 4", body, "/edit/", `name="status"`, "Low traffic")

	for _, v := range []string{"99", "abc", "0"} {
		if res, _ := ana.get(reportURL(id) + "/revisions/" + v); res.StatusCode != http.StatusNotFound {
			t.Errorf("revision %s: status %d, want 404", v, res.StatusCode)
		}
	}
}
