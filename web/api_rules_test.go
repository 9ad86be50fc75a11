package web

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

// The API applies the rules the web editor does: these tests send what the
// editor's tests type, and expect what the editor shows.

// apiTimelineReport is a report in UTC about an incident that started at
// 09:00 on 2024-03-07, as a client creates it.
func apiTimelineReport(t *testing.T, c apiClient) *debrief.Postmortem {
	t.Helper()
	body := map[string]any{"title": "Queue backlog", "time_zone": "UTC",
		"incident": map[string]any{"started_at": "2024-03-07T09:00:00Z"}}
	return c.call("POST", "/api/v1/postmortems", body).want(t, http.StatusCreated).report(t)
}

func TestAPITimelineReadsWrittenTimes(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	c := api.contributor
	p := apiTimelineReport(t, c)
	loc := "/api/v1/postmortems/" + p.ID

	tl := map[string]any{"timeline": []map[string]any{
		{"time_text": "09:40", "text": "Rolled back"},
		{"time_text": "09:14 UTC", "text": "Alert fired"},
		{"text": "Paged the on-call, time unknown"},
		{"time_text": "~09:20", "text": "Roughly then"},
	}}
	res := c.call("PUT", loc+"/sections/timeline", tl, "If-Match", `"1"`).want(t, http.StatusOK)
	var sec struct {
		Timeline []debrief.TimelineEvent `json:"timeline"`
	}
	res.decode(t, &sec)
	want := []string{
		"03-07 09:14|09:14 UTC|Alert fired|",
		"-||Paged the on-call, time unknown|",
		"03-07 09:20|~09:20|Roughly then|approximate",
		"03-07 09:40|09:40|Rolled back|",
	}
	if diff := cmp.Diff(want, summarize(sec.Timeline)); diff != "" {
		t.Errorf("saved timeline (-want +got):\n%s", diff)
	}

	// A whole report follows the same rule.
	whole := c.call("GET", loc, nil).want(t, http.StatusOK).report(t)
	whole.Timeline = append(whole.Timeline, debrief.TimelineEvent{
		TimeText: "09:05", Text: "First error"})
	got := c.call("PUT", loc, whole, "If-Match", `"2"`).want(t, http.StatusOK).report(t)
	if got.Timeline[0].Text != "First error" || got.Timeline[0].Time.IsZero() {
		t.Errorf("first event after a whole-report save: %+v", got.Timeline[0])
	}
}

// TestAPITimelineRefusesWhatTheEditorRefuses: an unreadable written time
// is refused with the editor's own message, on timeline[i].time_text.
func TestAPITimelineRefusesWhatTheEditorRefuses(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	c := api.contributor
	p := apiTimelineReport(t, c)
	loc := "/api/v1/postmortems/" + p.ID

	f, cur := timelineForm("UTC", "2024-03-07 09:00",
		[3]string{"09:14 UTC", "", "Alert fired"}, [3]string{"half past nine", "", "Paged"})
	buildTimeline(f, cur)
	editor := f.errs["timeline[1].time_text"]
	if editor == "" {
		t.Fatalf("the editor took “half past nine”: %v", f.errs)
	}

	tl := []map[string]any{{"time_text": "09:14 UTC", "text": "Alert fired"},
		{"time_text": "half past nine", "text": "Paged"}}
	e := c.call("PUT", loc+"/sections/timeline", map[string]any{"timeline": tl},
		"If-Match", `"1"`).want(t, http.StatusBadRequest).fail(t)
	if e.Field != "timeline[1].time_text" || e.Message != editor {
		t.Errorf("API refusal %q on %q, want the editor's %q on timeline[1].time_text",
			e.Message, e.Field, editor)
	}

	body := map[string]any{"title": "x", "incident": map[string]any{
		"started_at": "2024-03-07T09:00:00Z"}, "timeline": tl}
	e = c.call("POST", "/api/v1/postmortems", body).want(t, http.StatusBadRequest).fail(t)
	if e.Field != "timeline[1].time_text" {
		t.Errorf("create with an unreadable time: %+v", e)
	}
}

// TestAPITimelineKeepsAnImportsDoubts: as in the editor, an event an import
// could not read is kept, flag and all, while nobody changes its time.
func TestAPITimelineKeepsAnImportsDoubts(t *testing.T) {
	p := draftReport()
	p.Title, p.TimeZone = "Imported", "UTC"
	p.Source = debrief.Source{Format: "markdown", Path: "pm.md"}
	p.Timeline = []debrief.TimelineEvent{
		{TimeText: "2024-03-07 14:02", Time: at("2024-03-07 14:02"), Text: "Deploy"},
		{TimeText: "Day 2, morning", Text: "Vendor called", Flag: debrief.FlagUnparsed},
	}
	api := newAPIServer(t, openStore(t, p))
	c := api.contributor
	loc := "/api/v1/postmortems/" + p.ID

	got := c.call("GET", loc, nil).want(t, http.StatusOK).report(t)
	etag := versionETag(got.Version)
	got.Timeline = append(got.Timeline, debrief.TimelineEvent{
		TimeText: "2024-03-07 14:10", Text: "Rolled back"})
	got = c.call("PUT", loc, got, "If-Match", etag).want(t, http.StatusOK).report(t)
	want := []string{
		"03-07 14:02|2024-03-07 14:02|Deploy|",
		"-|Day 2, morning|Vendor called|unparsed",
		"03-07 14:10|2024-03-07 14:10|Rolled back|",
	}
	if diff := cmp.Diff(want, summarize(got.Timeline)); diff != "" {
		t.Errorf("saved timeline (-want +got):\n%s", diff)
	}

	got.Timeline[1].TimeText = "Day 3, morning"
	e := c.call("PUT", loc, got, "If-Match", versionETag(got.Version)).
		want(t, http.StatusBadRequest).fail(t)
	if e.Field != "timeline[1].time_text" {
		t.Errorf("a changed unreadable time: %+v", e)
	}
}

func TestAPISaveOfNothingNewKeepsTheVersion(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	c := api.contributor
	p := apiTimelineReport(t, c)
	loc := "/api/v1/postmortems/" + p.ID

	res := c.call("PUT", loc, p, "If-Match", `"1"`).want(t, http.StatusOK)
	if res.header.Get("ETag") != `"1"` || res.report(t).Version != 1 {
		t.Errorf("same report again: ETag %q, want \"1\"", res.header.Get("ETag"))
	}
	// The same moment written with an offset is the same report.
	p.Incident.StartedAt = p.Incident.StartedAt.In(time.FixedZone("CET", 3600))
	res = c.call("PUT", loc, p, "If-Match", `"1"`).want(t, http.StatusOK)
	if res.header.Get("ETag") != `"1"` {
		t.Errorf("same start with an offset: ETag %q, want \"1\"", res.header.Get("ETag"))
	}
	res = c.call("PUT", loc+"/sections/summary", map[string]any{"summary": p.Summary},
		"If-Match", `"1"`).want(t, http.StatusOK)
	if res.header.Get("ETag") != `"1"` {
		t.Errorf("same summary again: ETag %q, want \"1\"", res.header.Get("ETag"))
	}
	var revs struct{ Items []debrief.Revision }
	api.viewer.call("GET", loc+"/revisions", nil).want(t, http.StatusOK).decode(t, &revs)
	if len(revs.Items) != 1 {
		t.Errorf("%d revisions after saves of nothing new, want 1", len(revs.Items))
	}
}

func TestAPIValidatesLikeTheEditor(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	c := api.contributor
	p := c.call("POST", "/api/v1/postmortems", map[string]any{"title": "x",
		"incident": map[string]any{"severity": "Critical"}}).want(t, http.StatusCreated).report(t)
	if p.Incident.Severity != "P1" || p.Source.Format != "api" {
		t.Errorf("severity %q from %q, want P1 from the api", p.Incident.Severity, p.Source.Format)
	}
	loc := "/api/v1/postmortems/" + p.ID
	tests := []struct {
		name, section string
		body          map[string]any
		field, says   string
	}{
		{"severity", "header", map[string]any{"title": "x",
			"incident": map[string]any{"severity": "apocalyptic"}}, "incident.severity", "P1, P2"},
		{"zone", "header", map[string]any{"title": "x", "time_zone": "Moon/Base"},
			"time_zone", "not a time zone"},
		{"title", "header", map[string]any{"title": ""}, "title", "needs a title"},
		{"money", "impacts", map[string]any{"impacts": []map[string]any{
			{"money": "12,500 €", "currency": "EUR"}}}, "impacts[0].money", "12500.00"},
		{"currency", "impacts", map[string]any{"impacts": []map[string]any{
			{"money": "12500", "currency": "Euro"}}}, "impacts[0].currency", "three capital"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := c.call("PUT", loc+"/sections/"+tt.section, tt.body, "If-Match", `"1"`).
				want(t, http.StatusBadRequest).fail(t)
			if e.Field != tt.field || !strings.Contains(e.Message, tt.says) {
				t.Errorf("refusal %q on %q, want one on %s saying %q", e.Message, e.Field,
					tt.field, tt.says)
			}
		})
	}

	e := c.call("POST", "/api/v1/postmortems", map[string]any{"id": "new", "title": "x"}).
		want(t, http.StatusBadRequest).fail(t)
	if e.Field != "id" || !strings.Contains(e.Message, "/postmortems/new") {
		t.Errorf("id new: %+v", e)
	}
}

func TestAPIRefusesBodiesThatAreNotUTF8(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	c := api.contributor
	res := c.send("POST", "/api/v1/postmortems", "application/json",
		[]byte("{\"title\": \"Caf\xe9 outage\"}"))
	e := res.want(t, http.StatusBadRequest).fail(t)
	if !strings.Contains(e.Message, "not valid UTF-8") || !strings.Contains(e.Message, "column 15") {
		t.Errorf("Latin-1 body: %q, want it refused naming where", e.Message)
	}
}

func TestAPIIfMatchRefusalsNameTheVersion(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	c := api.contributor
	p := apiTimelineReport(t, c)
	loc := "/api/v1/postmortems/" + p.ID
	p = c.call("PUT", loc+"/sections/summary", map[string]any{"summary": map[string]any{
		"narrative": "More."}}, "If-Match", `"1"`).want(t, http.StatusOK).report(t)

	e := c.call("PUT", loc+"/sections/summary", map[string]any{"summary": map[string]any{}}).
		want(t, http.StatusPreconditionRequired).fail(t)
	if !strings.Contains(e.Message, `(If-Match: "2")`) || e.CurrentVersion != 2 {
		t.Errorf("missing If-Match: %+v, want version 2 named", e)
	}
	e = c.call("PUT", loc+"/sections/summary", map[string]any{"summary": map[string]any{}},
		"If-Match", "two").want(t, http.StatusBadRequest).fail(t)
	if !strings.Contains(e.Message, `(If-Match: "2")`) {
		t.Errorf("If-Match two: %q, want version 2 named", e.Message)
	}
	whole := c.call("GET", loc, nil).want(t, http.StatusOK).report(t)
	whole.Title = "Renamed"
	e = c.call("PUT", loc, whole, "If-Match", `"1"`).want(t, http.StatusPreconditionFailed).fail(t)
	if !strings.Contains(e.Message, `If-Match: "2"`) {
		t.Errorf("stale If-Match: %q, want version 2 named", e.Message)
	}
	e = c.call("DELETE", "/api/v1/postmortems/nowhere", nil).
		want(t, http.StatusPreconditionRequired).fail(t)
	if strings.Contains(e.Message, "version") && strings.Contains(e.Message, "now") {
		t.Errorf("a report that does not exist has no version to name: %q", e.Message)
	}
}

// TestAPIImportSaysWhyAReportStartedAsADraft: a contributor's import starts
// a draft, and the warning says what the document said of its status.
func TestAPIImportSaysWhyAReportStartedAsADraft(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	tests := []struct{ source, doc, want string }{
		{"plain.md", "# Disk full\n\nThe disk filled up.\n",
			"a hand-written postmortem is read as final unless it states another status"},
		{"review.md", "---\nstatus: in review\n---\n# Disk full again\n\nAgain.\n",
			"the document says the report is in review"},
	}
	for _, tt := range tests {
		res := api.contributor.send("POST", "/api/v1/imports?source="+tt.source,
			"text/markdown", []byte(tt.doc)).want(t, http.StatusCreated)
		var got importResult
		res.decode(t, &got)
		found := false
		for _, w := range got.Warnings {
			found = found || strings.HasPrefix(w.Message, tt.want+"; it was started as a draft")
		}
		if !found {
			t.Errorf("%s: warnings %+v, want one starting %q", tt.source, got.Warnings, tt.want)
		}
	}
}

// TestAPISearchHighlightsAreOffsets: a hit's snippet is plain text, and
// its highlights point at the matched words in it.
func TestAPISearchHighlightsAreOffsets(t *testing.T) {
	api := newAPIServer(t, openStore(t, fullReport()))
	var page struct {
		Items []struct {
			Snippet    string  `json:"snippet"`
			Highlights [][]int `json:"highlights"`
		} `json:"items"`
	}
	api.viewer.call("GET", "/api/v1/search?q=checkout", nil).want(t, http.StatusOK).
		decode(t, &page)
	if len(page.Items) == 0 {
		t.Fatal("no hits for checkout")
	}
	hit := page.Items[0]
	if strings.ContainsAny(hit.Snippet, debrief.HighlightStart+debrief.HighlightEnd) ||
		len(hit.Highlights) == 0 {
		t.Fatalf("snippet %q with highlights %v, want plain text and highlights",
			hit.Snippet, hit.Highlights)
	}
	for _, h := range hit.Highlights {
		if len(h) != 2 || h[0] >= h[1] || h[1] > len(hit.Snippet) ||
			!strings.EqualFold(hit.Snippet[h[0]:h[1]], "checkout") {
			t.Errorf("highlight %v of %q does not mark checkout", h, hit.Snippet)
		}
	}
}

func TestSplitHighlights(t *testing.T) {
	tests := []struct {
		in, want string
		marks    [][]int
	}{
		{"no match", "no match", [][]int{}},
		{"a \x02café\x03 and \x02tea\x03", "a café and tea", [][]int{{2, 7}, {12, 15}}},
		{"stray \x03end and \x02open", "stray end and open", [][]int{}},
		{"\x02\x03empty", "empty", [][]int{}},
	}
	for _, tt := range tests {
		got, marks := splitHighlights(tt.in)
		if got != tt.want || !cmp.Equal(marks, tt.marks) {
			t.Errorf("splitHighlights(%q) = %q, %v; want %q, %v", tt.in, got, marks,
				tt.want, tt.marks)
		}
	}
}
