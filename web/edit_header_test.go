package web

import (
	"net/http"
	"testing"
	"time"

	"github.com/debrief-oss/debrief"
)

// TestEditorHeaderZoneChangeKeepsTheMoments: the incident's moments are
// read in the zone the form showed them in, so changing the report's zone
// changes only the zone, and the inputs say which zone they are in.
func TestEditorHeaderZoneChangeKeepsTheMoments(t *testing.T) {
	p := emptyReport("pm-zone")
	p.Title = "Zones"
	ts, store := editorServer(t, p)
	b := signIn(t, ts, store, debrief.AccessContributor)

	// In one form: a new zone and a start as the form showed it, in UTC.
	res, body := b.editSection(p.ID, "header", map[string]string{
		"time_zone": "Europe/Copenhagen", "incident.started_at": "2024-03-07T09:02",
	})
	assertSaved(t, res, body, p.ID, "header")
	want := time.Date(2024, 3, 7, 9, 2, 0, 0, time.UTC)
	if got := stored(t, store, p.ID).Incident.StartedAt; !got.Equal(want) {
		t.Fatalf("started %v, want %v: the time was read in the zone it was shown in", got, want)
	}

	// Shown in Copenhagen now, an hour ahead of UTC in March.
	path := sectionURL(p.ID, "header")
	form := b.openForm(path, path)
	if got := form.Get("incident.started_at"); got != "2024-03-07T10:02" {
		t.Errorf("start shown as %q, want 2024-03-07T10:02 in Copenhagen", got)
	}
	res, body = b.post(path, change(form, map[string]string{
		"incident.started_at": "2024-03-07T09:02",
	}))
	assertSaved(t, res, body, p.ID, "header")
	want = time.Date(2024, 3, 7, 8, 2, 0, 0, time.UTC)
	if got := stored(t, store, p.ID).Incident.StartedAt; !got.Equal(want) {
		t.Fatalf("started %v, want %v", got, want)
	}

	// Changing the zone alone moves no moment.
	res, body = b.editSection(p.ID, "header", map[string]string{
		"time_zone": "America/New_York",
	})
	assertSaved(t, res, body, p.ID, "header")
	got := stored(t, store, p.ID)
	if got.TimeZone != "America/New_York" || !got.Incident.StartedAt.Equal(want) {
		t.Errorf("zone %q, started %v; want America/New_York and still %v", got.TimeZone,
			got.Incident.StartedAt, want)
	}
	_, page := b.get(path)
	assertContains(t, "header form", page, "Started (America/New_York)",
		`value="2024-03-07T03:02"`)
}

// TestEditorHeaderRefusedFormKeepsItsZone: a form shown again after a
// refused save still reads and labels its moments in the zone they were
// first shown in, whatever zone the person typed meanwhile.
func TestEditorHeaderRefusedFormKeepsItsZone(t *testing.T) {
	p := emptyReport("pm-zone")
	p.Title, p.TimeZone = "Zones", "Europe/Copenhagen"
	p.Incident.StartedAt = time.Date(2024, 3, 7, 8, 2, 0, 0, time.UTC)
	ts, store := editorServer(t, p)
	b := signIn(t, ts, store, debrief.AccessContributor)

	res, page := b.editSection(p.ID, "header", map[string]string{
		"time_zone": "Asia/Tokyo", "title": " ",
	})
	if res.StatusCode != http.StatusBadRequest {
		t.Fatalf("save without a title: status %d, want 400", res.StatusCode)
	}
	assertContains(t, "refused header form", page, "Started (Europe/Copenhagen)",
		`value="2024-03-07T09:02"`)
	path := sectionURL(p.ID, "header")
	form := formValues(t, page, path)
	if form.Get("shown_zone") != "Europe/Copenhagen" {
		t.Errorf("shown_zone = %q, want Europe/Copenhagen", form.Get("shown_zone"))
	}

	res, body := b.post(path, change(form, map[string]string{"title": "Zones"}))
	assertSaved(t, res, body, p.ID, "header")
	got := stored(t, store, p.ID)
	if got.TimeZone != "Asia/Tokyo" || !got.Incident.StartedAt.Equal(p.Incident.StartedAt) {
		t.Errorf("zone %q, started %v; want Asia/Tokyo and still %v", got.TimeZone,
			got.Incident.StartedAt, p.Incident.StartedAt)
	}
}
