package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

var moveButton = regexp.MustCompile(
	`name="status" value="([a-z_]+)">\s*<button type="submit">([^<]+)</button>`)

// moves lists the lifecycle buttons of a report page as "to: label".
func moves(body string) []string {
	var out []string
	for _, m := range moveButton.FindAllStringSubmatch(body, -1) {
		out = append(out, m[1]+": "+m[2])
	}
	return out
}

func (b *browser) move(id string, version int, to debrief.Status) (*http.Response, string) {
	b.t.Helper()
	return b.post(reportURL(id)+"/status", url.Values{
		"status": {string(to)}, "version": {strconv.Itoa(version)},
	})
}

func TestEditorLifecycleButtonsByRole(t *testing.T) {
	tests := []struct {
		status debrief.Status
		role   debrief.AccessRole
		want   []string
		edit   bool
	}{
		{debrief.StatusDraft, debrief.AccessViewer, nil, false},
		{debrief.StatusDraft, debrief.AccessContributor, []string{"in_review: Send for review"},
			true},
		{debrief.StatusInReview, debrief.AccessContributor, []string{"draft: Back to draft"}, true},
		{debrief.StatusInReview, debrief.AccessFacilitator,
			[]string{"draft: Back to draft", "final: Mark as final"}, true},
		{debrief.StatusFinal, debrief.AccessContributor, nil, false},
		{debrief.StatusFinal, debrief.AccessFacilitator,
			[]string{"in_review: Reopen the review", "archived: Archive"}, true},
		{debrief.StatusArchived, debrief.AccessFacilitator, nil, false},
		{debrief.StatusArchived, debrief.AccessAdmin,
			[]string{"final: Bring back from the archive"}, false},
	}
	for _, tt := range tests {
		t.Run(string(tt.status)+" as "+string(tt.role), func(t *testing.T) {
			p := fullReport()
			p.Status = tt.status
			ts, store := editorServer(t, p)
			b := signIn(t, ts, store, tt.role)
			_, body := b.get(reportURL(p.ID))
			if diff := cmp.Diff(tt.want, moves(body)); diff != "" {
				t.Errorf("buttons (-want +got):\n%s", diff)
			}
			hasEdit := regexp.MustCompile(`href="/postmortems/pm-2024-031/edit/`).MatchString(body)
			if hasEdit != tt.edit {
				t.Errorf("edit links shown = %v, want %v", hasEdit, tt.edit)
			}
			assertContains(t, "status bar", body,
				`<a href="/postmortems/pm-2024-031/revisions">Revisions</a>`)
		})
	}
}

func TestEditorLifecycle(t *testing.T) {
	incomplete := &debrief.Postmortem{ID: "pm-thin", Title: "Thin report",
		Status: debrief.StatusDraft, Version: 1}
	complete := fullReport()
	complete.Status = debrief.StatusInReview
	complete.ActionItems[1].Due = "2024-05-01"
	ts, store := editorServer(t, incomplete, complete)
	contributor := signIn(t, ts, store, debrief.AccessContributor)
	facilitator := signIn(t, ts, store, debrief.AccessFacilitator)

	// A contributor sends the draft for review.
	res, body := contributor.move("pm-thin", 1, debrief.StatusInReview)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("send for review: status %d\n%s", res.StatusCode, body)
	}

	// In review, the page lists what blocks final, linked to the editors.
	_, body = facilitator.get("/postmortems/pm-thin")
	assertContains(t, "problems", body, "Before this report can be final",
		`<a href="/postmortems/pm-thin/edit/summary#f-summary.executive_summary">`+
			`The executive summary is empty.</a>`,
		`<a href="/postmortems/pm-thin/edit/timeline">The timeline has no events.</a>`,
		`<a href="/postmortems/pm-thin/edit/contributing_factors">No contributing factor is named.</a>`)

	// A contributor may not finalise; the refusal is shown on the report.
	res, body = contributor.move("pm-thin", 2, debrief.StatusFinal)
	if res.StatusCode != http.StatusForbidden {
		t.Fatalf("contributor finalises: status %d, want 403", res.StatusCode)
	}
	assertContains(t, "refused move", body, "The status was not changed: moving a report "+
		"from in review to final needs the facilitator role.", `<h1>Thin report</h1>`)

	// A facilitator may, but not while the report is incomplete.
	res, body = facilitator.move("pm-thin", 2, debrief.StatusFinal)
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("incomplete final: status %d, want 400", res.StatusCode)
	}
	assertContains(t, "incomplete final", body, "the report cannot be final yet: "+
		"the executive summary is empty")
	if got := stored(t, store, "pm-thin").Status; got != debrief.StatusInReview {
		t.Errorf("status = %s after refused moves, want in_review", got)
	}

	// A move from a version that is no longer current is refused too.
	res, body = facilitator.move(complete.ID, 2, debrief.StatusFinal)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale move: status %d, want 409", res.StatusCode)
	}
	assertContains(t, "stale move", body, "it is now at version 3")

	// The complete report goes final, and a facilitator archives it.
	if res, body = facilitator.move(complete.ID, 3, debrief.StatusFinal); res.StatusCode != 303 {
		t.Fatalf("final: status %d\n%s", res.StatusCode, body)
	}
	if res, body = facilitator.move(complete.ID, 4, debrief.StatusArchived); res.StatusCode != 303 {
		t.Fatalf("archive: status %d\n%s", res.StatusCode, body)
	}
	if got := stored(t, store, complete.ID); got.Status != debrief.StatusArchived ||
		got.UpdatedBy != facilitator.user.Name {
		t.Errorf("stored %s by %s, want archived by %s", got.Status, got.UpdatedBy,
			facilitator.user.Name)
	}
}

func TestEditorArchivedIsReadOnly(t *testing.T) {
	p := fullReport()
	p.Status = debrief.StatusArchived
	ts, store := editorServer(t, p)
	admin := signIn(t, ts, store, debrief.AccessAdmin)

	_, body := admin.get(reportURL(p.ID))
	assertNotContains(t, "archived report", body, "/edit/", "Edit timeline")

	path := sectionURL(p.ID, "summary")
	res, body := admin.get(path)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("edit form of an archived report: status %d, want 409", res.StatusCode)
	}
	assertContains(t, "archived editor", body, "the report is archived and read-only")

	res, _ = admin.post(path, url.Values{"version": {"3"},
		"summary.executive_summary": {"rewritten"}})
	if res.StatusCode != http.StatusConflict {
		t.Errorf("save to an archived report: status %d, want 409", res.StatusCode)
	}
	if got := stored(t, store, p.ID); got.Version != 3 {
		t.Errorf("archived report changed to version %d", got.Version)
	}
}

func TestEditorDeleteByAnAdminWhoConfirms(t *testing.T) {
	p := fullReport()
	ts, store := editorServer(t, p)
	version := strconv.Itoa(p.Version)
	del := func(b *browser, form url.Values) int {
		res, _ := b.post(reportURL(p.ID)+"/delete", form)
		return res.StatusCode
	}

	facilitator := signIn(t, ts, store, debrief.AccessFacilitator)
	if _, body := facilitator.get(reportURL(p.ID)); regexp.MustCompile(`/delete"`).MatchString(body) {
		t.Error("a facilitator is offered the delete form")
	}
	if got := del(facilitator, url.Values{"version": {version}, "confirm": {"1"}}); got != 403 {
		t.Errorf("facilitator delete: %d, want 403", got)
	}

	admin := signIn(t, ts, store, debrief.AccessAdmin)
	if got := del(admin, url.Values{"version": {version}}); got != http.StatusBadRequest {
		t.Errorf("delete without confirming: %d, want 400", got)
	}
	if got := del(admin, url.Values{"version": {"0"},
		"confirm": {"1"}}); got != http.StatusConflict {
		t.Errorf("delete of an old version: %d, want 409", got)
	}
	if _, err := store.Postmortem(t.Context(), p.ID); err != nil {
		t.Fatalf("refused deletes removed the report: %v", err)
	}
	if got := del(admin, url.Values{"version": {version},
		"confirm": {"1"}}); got != http.StatusSeeOther {
		t.Fatalf("confirmed delete: %d, want 303", got)
	}
	if _, err := store.Postmortem(t.Context(), p.ID); !debrief.IsNotFound(err) {
		t.Errorf("after the delete the report reads %v, want not found", err)
	}
}
