package web

import (
	"archive/zip"
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
)

// pasted is a chat log of the draft report's incident, in the report's
// zone (Europe/Copenhagen, UTC+1 that day). The first line is on the
// timeline already; the fourth is not a time of day.
const pasted = `15:06 Error-rate alert fires
15:20 Feature flag for the new pool turned off
15:14 Checked the pool metrics
25:61 Someone restarts the payments pod`

func TestImportPreviewsThenAddsPastedText(t *testing.T) {
	ts, store := editorServer(t, draftReport())
	b := signIn(t, ts, store, debrief.AccessContributor)
	path := importURL("pm-2024-031")

	// The report links the builder from its timeline.
	assertContains(t, "report", b.fetch("/postmortems/pm-2024-031").body,
		`<a href="`+path+`">Add events from pasted text, Slack or the alerts</a>`)

	form := b.openForm(path, path)
	if form.Get("zone") != "Europe/Copenhagen" {
		t.Errorf("the zone defaults to %q, want the report's", form.Get("zone"))
	}
	form.Set("text", pasted)
	res, page := b.post(path, form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("preview: status %d\n%s", res.StatusCode, page)
	}
	assertContains(t, "preview", page, "Preview: 3 events to add", "Read 4 events",
		"<strong>1 is a duplicate</strong>",
		"1 line was not read as events", "Line 4:", "is not a real time",
		"Feature flag for the new pool turned off",
		`<time datetime="2024-03-07T14:20:00Z">`,
		`out of order</span>`, `impossible time</span>`, `from paste</span>`,
		">Add 3 events</button>")
	// The preview lists the new events in the order the text gives them,
	// as they will be added.
	if i, j := strings.Index(page, "Checked the pool metrics"),
		strings.Index(page, "Feature flag for the new pool"); i < j {
		t.Error("the preview does not list the events in the order they were written")
	}
	if got := stored(t, store, "pm-2024-031"); len(got.Timeline) != 7 || got.Version != 3 {
		t.Fatalf("the preview changed the report: %d events, version %d",
			len(got.Timeline), got.Version)
	}

	add := path + "/add"
	res, body := b.post(add, formValues(t, page, add))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: status %d\n%s", res.StatusCode, body)
	}
	if loc := res.Header.Get("Location"); loc != "/postmortems/pm-2024-031#timeline" {
		t.Errorf("add redirects to %q", loc)
	}
	got := stored(t, store, "pm-2024-031")
	if len(got.Timeline) != 10 {
		t.Fatalf("%d events after adding, want 10", len(got.Timeline))
	}
	last := got.Timeline[9]
	if last.Text != "Someone restarts the payments pod" || last.Flag != debrief.FlagImpossible ||
		last.Source != "paste" {
		t.Errorf("last event %+v, want the impossible one from the paste", last)
	}
}

func TestImportRefusesWhatItCannotRead(t *testing.T) {
	ts, store := editorServer(t, draftReport())
	b := signIn(t, ts, store, debrief.AccessContributor)
	path := importURL("pm-2024-031")

	tests := []struct {
		name  string
		form  url.Values
		input string
	}{
		{"unknown zone", url.Values{"source": {"text"}, "text": {pasted},
			"zone": {"Mars/Olympus"}}, "zone"},
		{"no text", url.Values{"source": {"text"}, "text": {"  "}, "zone": {"UTC"}}, "text"},
		{"slack without an upload", url.Values{"source": {"slack"}, "channel": {"general"},
			"people": {"name"}}, "export"},
		{"slack without a channel", url.Values{"source": {"slack"}, "people": {"name"}},
			"channel"},
		{"slack window backwards", url.Values{"source": {"slack"}, "channel": {"x"},
			"people": {"name"}, "from": {"2024-03-07T16:00"}, "to": {"2024-03-07T15:00"}}, "to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, body := b.post(path, tt.form)
			if res.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400\n%s", res.StatusCode, body)
			}
			if msg := fieldErrorOfImport(t, body, tt.input); msg == "" {
				t.Errorf("no error shown by the %s input", tt.input)
			}
			assertContains(t, tt.name, body, "<title>Error: ")
		})
	}
	// A report without an incident has no alerts to read.
	res, body := b.post(path, url.Values{"source": {"alerts"}})
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("alerts without an incident: status %d, want 400", res.StatusCode)
	}
	assertContains(t, "no alerts", body, "no alert events")
}

// fieldErrorOfImport returns the error shown by the builder's input.
func fieldErrorOfImport(t *testing.T, page, name string) string {
	t.Helper()
	i := strings.Index(page, `id="ti-`+name+`-err"`)
	if i < 0 {
		return ""
	}
	if !strings.Contains(page, `ti-`+name+`-err"`+` aria-invalid="true"`) &&
		!strings.Contains(page, ` ti-`+name+`-err"`) {
		t.Errorf("input %s does not point to its error", name)
	}
	msg := page[i:]
	return msg[strings.Index(msg, "</span>")+7 : strings.Index(msg, "</p>")]
}

func TestImportNeedsEditRights(t *testing.T) {
	final := fullReport() // final: only facilitators change it
	final.ID, final.Incident.ID, final.Source.Path = "pm-final", "INC-7", "final.md"
	restricted := draftReport()
	restricted.ID, restricted.Incident.ID, restricted.Source.Path = "pm-secret", "INC-9", "s.md"
	restricted.Visibility = debrief.VisibilityRestricted
	ts, store := editorServer(t, draftReport(), final, restricted)

	viewer := signIn(t, ts, store, debrief.AccessViewer)
	contributor := signIn(t, ts, store, debrief.AccessContributor)
	tests := []struct {
		name string
		b    *browser
		id   string
		want int
	}{
		{"viewer", viewer, "pm-2024-031", http.StatusForbidden},
		{"contributor on a final report", contributor, "pm-final", http.StatusForbidden},
		{"outsider on a restricted report", contributor, "pm-secret", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res := tt.b.fetch(importURL(tt.id)); res.status != tt.want {
				t.Errorf("GET: status %d, want %d", res.status, tt.want)
			}
			res, _ := tt.b.post(importURL(tt.id), url.Values{"source": {"text"},
				"text": {pasted}})
			if res.StatusCode != tt.want {
				t.Errorf("preview: status %d, want %d", res.StatusCode, tt.want)
			}
			res, _ = tt.b.post(importURL(tt.id)+"/add", url.Values{"source": {"text"},
				"text": {pasted}, "base": {"3"}})
			if res.StatusCode != tt.want {
				t.Errorf("add: status %d, want %d", res.StatusCode, tt.want)
			}
		})
	}
	assertNotContains(t, "viewer's report", viewer.fetch("/postmortems/pm-2024-031").body,
		"/timeline/import")
}

func TestImportAfterAChangeShowsTheConflict(t *testing.T) {
	ts, store := editorServer(t, draftReport())
	b := signIn(t, ts, store, debrief.AccessContributor)
	path := importURL("pm-2024-031")

	// Only readable times: the timeline editor refuses a new event whose
	// written time it cannot read, and the conflict page is that editor.
	form := b.openForm(path, path)
	form.Set("text", strings.Join(strings.Split(pasted, "\n")[:3], "\n"))
	_, page := b.post(path, form)
	addForm := formValues(t, page, path+"/add")

	// Someone else edits the summary meanwhile.
	other := signIn(t, ts, store, debrief.AccessContributor)
	res, body := other.editSection("pm-2024-031", "summary",
		map[string]string{"summary.executive_summary": "Rewritten meanwhile."})
	assertSaved(t, res, body, "pm-2024-031", "summary")

	res, body = b.post(path+"/add", addForm)
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale add: status %d, want 409\n%s", res.StatusCode, body)
	}
	assertContains(t, "conflict page", body, "are not saved yet", "Rewritten meanwhile.",
		`action="/postmortems/pm-2024-031/edit/timeline"`,
		"Feature flag for the new pool turned off</textarea>")
	if got := stored(t, store, "pm-2024-031"); len(got.Timeline) != 7 {
		t.Errorf("the stale add changed the timeline: %d events", len(got.Timeline))
	}

	// Saving the conflict page's form adds the events to the current version.
	edit := "/postmortems/pm-2024-031/edit/timeline"
	res, body = b.post(edit, formValues(t, body, edit))
	assertSaved(t, res, body, "pm-2024-031", "timeline")
	if got := stored(t, store, "pm-2024-031"); len(got.Timeline) != 9 ||
		got.Summary.ExecutiveSummary != "Rewritten meanwhile." {
		t.Errorf("after saving the conflict form: %d events, summary %q",
			len(got.Timeline), got.Summary.ExecutiveSummary)
	}
}

func TestImportAlertsSkipsWhatTheDraftHasAlready(t *testing.T) {
	e := newIncidentEnv(t)
	id := e.resolvedOutage() // the policy's draft starts from the alert events
	b := e.as(debrief.AccessContributor)
	path := importURL(id)

	assertContains(t, "builder", b.fetch(path).body, ">Preview the alert events</button>")
	res, page := b.post(path, url.Values{"source": {"alerts"}})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("alerts preview: status %d\n%s", res.StatusCode, page)
	}
	assertContains(t, "alerts preview", page, "Preview: 0 events to add", "Read 1 event from",
		"<strong>1 is a duplicate</strong>", "There is nothing new to add.")
}

// slackExport builds a small Slack export zip: one channel, two people
// and a bot, a thread reply.
func slackExport(t *testing.T) []byte {
	t.Helper()
	files := map[string]string{
		"channels.json": `[{"id":"C1","name":"incident-4411"}]`,
		"users.json": `[{"id":"U1","name":"ana","real_name":"Ana Lima",` +
			`"profile":{"real_name":"Ana Lima","display_name":"ana"}},` +
			`{"id":"U2","name":"kofi","real_name":"Kofi Mensah",` +
			`"profile":{"real_name":"Kofi Mensah"}}]`,
		// 1709820000 is 2024-03-07 14:00 UTC.
		"incident-4411/2024-03-07.json": `[
			{"type":"message","user":"U1","text":"checkout is throwing 502s","ts":"1709820120.000100"},
			{"type":"message","user":"U2","text":"pool size is 20, rolling back","ts":"1709822400.000200"},
			{"type":"message","subtype":"bot_message","bot_id":"B1","username":"deploybot",
			 "text":"rollback done","ts":"1709822700.000300"},
			{"type":"message","user":"U1","text":"<script>alert(1)</script> ok",
			 "ts":"1709822760.000400","thread_ts":"1709822400.000200"}
		]`,
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload posts a multipart form with one file, as the Slack form does.
func (b *browser) upload(path string, fields url.Values, file string, data []byte) (
	*http.Response, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fields.Set("csrf_token", b.csrf)
	for k, vs := range fields {
		for _, v := range vs {
			_ = mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile(file, "export.zip")
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	if err := mw.Close(); err != nil {
		b.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, b.base+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("POST %s: %v", path, err)
	}
	defer res.Body.Close()
	text, _ := io.ReadAll(res.Body)
	return res, string(text)
}

func TestImportSlackExportCarriesItsEvents(t *testing.T) {
	ts, store := editorServer(t, draftReport())
	b := signIn(t, ts, store, debrief.AccessContributor)
	path := importURL("pm-2024-031")

	fields := url.Values{"source": {"slack"}, "channel": {"incident-4411"},
		"people": {"role"}, "threads": {"1"}, "from": {"2024-03-07T15:00"}}
	res, page := b.upload(path, fields, "export", slackExport(t))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("slack preview: status %d\n%s", res.StatusCode, page)
	}
	// People show by their role in the report's team; bots are left out
	// unless asked for; the thread reply is in, Slack's markup read.
	assertContains(t, "slack preview", page, "Preview: 3 events to add",
		"incident commander: checkout is throwing 502s",
		"service owner: pool size is 20, rolling back",
		"↳ incident commander: scriptalert(1)/script ok", `from slack</span>`)
	assertNotContains(t, "slack preview", page, "rollback done", "Ana Lima:")
	assertNoActiveMarkup(t, "slack preview", page)

	add := path + "/add"
	addForm := formValues(t, page, add)
	if n := len(addForm["event"]); n != 3 {
		t.Fatalf("the add form carries %d events, want 3", n)
	}
	res, body := b.post(add, addForm)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: status %d\n%s", res.StatusCode, body)
	}
	got := stored(t, store, "pm-2024-031")
	if len(got.Timeline) != 10 || got.Timeline[7].Source != "slack" ||
		!strings.HasPrefix(got.Timeline[7].Text, "incident commander: ") {
		t.Errorf("stored timeline %+v", got.Timeline[7:])
	}

	// A forged event the preview did not make is still checked like any
	// edit of the timeline.
	forged := url.Values{"source": {"slack"}, "base": {"4"},
		"event": {`{"text":"x","time_text":"now","flag":"made_up"}`}}
	res, _ = b.post(add, forged)
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("forged event: status %d, want 400", res.StatusCode)
	}
	if res, _ := b.post(add, url.Values{"source": {"slack"}, "base": {"4"},
		"event": {"{not json"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unreadable event: status %d, want 400", res.StatusCode)
	}
}

// FuzzCarriedEvents reads whatever a forged add form may carry: it never
// panics, and events come back only without an error.
func FuzzCarriedEvents(f *testing.F) {
	for _, seed := range []string{`{"text":"x","time":"2024-03-07T14:00:00Z"}`, `{`, `null`,
		`{"time":"not a time"}`, `[]`} {
		f.Add(seed, seed)
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		events, err := carriedEvents([]string{a, b})
		if err != nil && events != nil {
			t.Errorf("events %v with error %v", events, err)
		}
		if err == nil && len(events) != 2 {
			t.Errorf("%d events from two fields", len(events))
		}
	})
}
