package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

// TestEditorFieldErrorKeepsInput: a form that cannot be saved comes back
// with the message beside the input at fault and everything typed kept.
func TestEditorFieldErrorKeepsInput(t *testing.T) {
	tests := []struct {
		name      string
		key       string
		set       map[string]string
		field     string
		wantError string
		kept      []string
	}{
		{"unreadable time", "timeline", map[string]string{
			"timeline[7].time_text": "half past never",
			"timeline[7].text":      "Pager rang",
			"timeline[0].text":      "Config push begins, edited",
		}, "timeline[7].time_text", "“half past never” cannot be read as a time",
			[]string{`value="half past never"`, ">\nPager rang</textarea>",
				">\nConfig push begins, edited</textarea>"}},
		{"time without a date", "timeline", map[string]string{
			"timeline[0].time_text": "Tuesday",
		}, "timeline[0].time_text", "cannot be read as a time", nil},
		{"not a number", "impacts", map[string]string{
			"impacts[2].minutes_down": "lots",
			"impacts[2].description":  "Ops toil",
		}, "impacts[2].minutes_down", "minutes down \"lots\" is not a number",
			[]string{`value="lots"`, ">\nOps toil</textarea>"}},
		{"bad moment", "header", map[string]string{
			"incident.detected_at": "yesterday",
			"title":                "Renamed",
		}, "incident.detected_at", "is not a date and time",
			[]string{`value="yesterday"`, `value="Renamed"`}},
		{"unknown zone", "header", map[string]string{"time_zone": "Mars/Olympus"},
			"time_zone", "not a time zone debrief knows", []string{`value="Mars/Olympus"`}},
		{"link after a removed row", "links", map[string]string{
			"links[0].remove": "1",
			"links[2].title":  "Runbook",
			"links[2].url":    "ftp://files.example/runbook",
		}, "links[2].url", "is not an http, https or mailto address",
			[]string{`value="ftp://files.example/runbook"`}},
		{"why answering itself", "analysis", map[string]string{
			"analysis.whys[0].parent_id": "3",
		}, "analysis.whys[0].parent_id", "cannot answer itself or one of the whys under it",
			nil},
		{"why removed with answers", "analysis", map[string]string{
			"analysis.whys[1].remove": "1",
		}, "analysis.whys[1].remove", "Why #2 has answers under it", nil},
		{"bad due date", "action_items", map[string]string{
			"action_items[1].due": "next week",
		}, "action_items[1].due", `is not a date like 2026-01-31`, []string{`value="next week"`}},
		{"field named twice", "sections", map[string]string{
			"fields[2].name":  "Region",
			"fields[2].value": "us-east-1",
		}, "fields[2].name", `already a field named "Region"`, []string{`value="us-east-1"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ts, store := editorServer(t, draftReport())
			b := signIn(t, ts, store, debrief.AccessContributor)

			res, body := b.editSection("pm-2024-031", tt.key, tt.set)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400\n%s", res.StatusCode, body)
			}
			if msg := fieldErrorOf(t, body, tt.field); !strings.Contains(msg, tt.wantError) {
				t.Errorf("error by %s = %q, want it to say %q", tt.field, msg, tt.wantError)
			}
			assertContains(t, tt.name, body, tt.kept...)
			assertContains(t, tt.name, body, `<div class="form-error" role="alert"`,
				`<title>Error: Edit `)
			if got := stored(t, store, "pm-2024-031"); got.Version != 3 {
				t.Errorf("a refused form was saved: version %d", got.Version)
			}
		})
	}
}

// TestEditorConflict: two people load the same section; the second save
// is refused with what the first changed and the second's own input.
func TestEditorConflict(t *testing.T) {
	ts, store := editorServer(t, draftReport())
	ana := signIn(t, ts, store, debrief.AccessContributor)
	kofi := signIn(t, ts, store, debrief.AccessContributor)

	path := sectionURL("pm-2024-031", "summary")
	anaForm := ana.openForm(path, path)
	kofiForm := kofi.openForm(path, path)

	res, body := ana.post(path, change(anaForm, map[string]string{
		"summary.executive_summary": "Ana's summary of the outage.",
	}))
	assertSaved(t, res, body, "pm-2024-031", "summary")

	res, body = kofi.post(path, change(kofiForm, map[string]string{
		"summary.executive_summary": "Kofi's summary, typed at the same time.",
	}))
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("second save: status %d, want 409\n%s", res.StatusCode, body)
	}
	assertContains(t, "conflict page", body,
		"This report was changed by "+ana.user.Name,
		"you started from version 3 and it is now at version 4",
		`<h2 id="changes-h">What changed from version 3 to version 4</h2>`,
		`<li class="diff-added"><span class="diff-sign" aria-hidden="true">+</span>`+
			`<span class="visually-hidden">Added: </span>`+
			`<ins>  executive_summary: Ana&#39;s summary of the outage.</ins></li>`,
		`<li class="diff-removed">`,
		">\nKofi&#39;s summary, typed at the same time.</textarea>",
	)
	if got := stored(t, store, "pm-2024-031").Summary.ExecutiveSummary; got !=
		"Ana's summary of the outage." {
		t.Fatalf("stored summary = %q, want Ana's kept", got)
	}

	// Kofi's form now carries the current version; saving it again wins.
	again := formValues(t, body, path)
	if v := again.Get("version"); v != "4" {
		t.Errorf("conflict form version = %q, want 4", v)
	}
	res, body = kofi.post(path, again)
	assertSaved(t, res, body, "pm-2024-031", "summary")
	got := stored(t, store, "pm-2024-031")
	if got.Summary.ExecutiveSummary != "Kofi's summary, typed at the same time." ||
		got.UpdatedBy != kofi.user.Name || got.Version != 5 {
		t.Errorf("after re-saving: %q by %s at version %d", got.Summary.ExecutiveSummary,
			got.UpdatedBy, got.Version)
	}
}

// TestEditorConflictKeepsListRows: a conflict on a list shows the
// person's rows, new ones included, ready to save again.
func TestEditorConflictKeepsListRows(t *testing.T) {
	ts, store := editorServer(t, draftReport())
	ana := signIn(t, ts, store, debrief.AccessContributor)
	kofi := signIn(t, ts, store, debrief.AccessFacilitator)

	path := sectionURL("pm-2024-031", "lessons")
	kofiForm := kofi.openForm(path, path)
	res, body := ana.editSection("pm-2024-031", "lessons", map[string]string{
		"lessons[4].text": "From Ana",
	})
	assertSaved(t, res, body, "pm-2024-031", "lessons")

	res, body = kofi.post(path, change(kofiForm, map[string]string{
		"lessons[0].remove": "1",
		"lessons[4].text":   "From Kofi",
	}))
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("status %d, want 409", res.StatusCode)
	}
	again := formValues(t, body, path)
	if again.Get("lessons[4].text") != "From Kofi" || again.Get("lessons[0].remove") != "1" {
		t.Errorf("conflict form lost Kofi's rows: %v", again)
	}
	assertContains(t, "conflict", body, "From Ana")
}

// TestEditorDifferentSectionsMerge: edits of different sections from the
// same version both land.
func TestEditorDifferentSectionsMerge(t *testing.T) {
	ts, store := editorServer(t, draftReport())
	ana := signIn(t, ts, store, debrief.AccessContributor)
	kofi := signIn(t, ts, store, debrief.AccessContributor)

	summary := sectionURL("pm-2024-031", "summary")
	lessons := sectionURL("pm-2024-031", "lessons")
	anaForm := ana.openForm(summary, summary)
	kofiForm := kofi.openForm(lessons, lessons)

	res, body := ana.post(summary, change(anaForm, map[string]string{
		"summary.executive_summary": "Merged summary",
	}))
	assertSaved(t, res, body, "pm-2024-031", "summary")
	res, body = kofi.post(lessons, change(kofiForm, map[string]string{
		"lessons[4].text": "Merged lesson",
	}))
	assertSaved(t, res, body, "pm-2024-031", "lessons")

	got := stored(t, store, "pm-2024-031")
	if got.Summary.ExecutiveSummary != "Merged summary" || len(got.Lessons) != 5 ||
		got.Lessons[4].Text != "Merged lesson" || got.Version != 5 {
		t.Errorf("merge lost an edit: summary %q, %d lessons, version %d",
			got.Summary.ExecutiveSummary, len(got.Lessons), got.Version)
	}
}

// TestEditorRefusedSaveKeepsInput: when the report became read-only while
// the person typed, the form comes back with the reason and their text.
func TestEditorRefusedSaveKeepsInput(t *testing.T) {
	p := draftReport()
	ts, store := editorServer(t, p)
	b := signIn(t, ts, store, debrief.AccessContributor)
	path := sectionURL(p.ID, "summary")
	form := b.openForm(path, path)

	final := *p
	final.Status = debrief.StatusFinal
	restore(t, store, &final)

	res, body := b.post(path, change(form, map[string]string{
		"summary.executive_summary": "Typed while it went final",
	}))
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("status %d, want 403\n%s", res.StatusCode, body)
	}
	assertContains(t, "refused save", body, "only a facilitator or admin may change it",
		">\nTyped while it went final</textarea>")
}
