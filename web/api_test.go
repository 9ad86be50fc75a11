package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

// apiClient calls the API as a program does: with a bearer token.
type apiClient struct {
	t     *testing.T
	ts    *httptest.Server
	token string
}

// newAPIClient adds a user with the role and a token for them.
func newAPIClient(
	t *testing.T,
	ts *httptest.Server,
	store Store,
	role debrief.AccessRole,
) apiClient {
	t.Helper()
	return apiClient{t: t, ts: ts, token: apiToken(t, store, role)}
}

// apiReply is an answer of the API, its body read.
type apiReply struct {
	status int
	header http.Header
	body   []byte
}

// send makes a request with a raw body of the content type ("" for none)
// and extra headers as name, value pairs.
func (c apiClient) send(
	method, path, contentType string,
	body []byte,
	headers ...string,
) apiReply {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.ts.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.ts.Client().Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", method, path, err)
	}
	return apiReply{status: res.StatusCode, header: res.Header, body: data}
}

// call sends v as JSON (no body when v is nil).
func (c apiClient) call(method, path string, v any, headers ...string) apiReply {
	c.t.Helper()
	if v == nil {
		return c.send(method, path, "", nil, headers...)
	}
	data, err := json.Marshal(v)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.send(method, path, "application/json", data, headers...)
}

// want fails the test unless the reply has the status.
func (r apiReply) want(t *testing.T, status int) apiReply {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d\n%s", r.status, status, r.body)
	}
	return r
}

// decode reads the JSON body into v.
func (r apiReply) decode(t *testing.T, v any) {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type %q, want application/json\n%s", ct, r.body)
	}
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, r.body)
	}
}

// report decodes a report.
func (r apiReply) report(t *testing.T) *debrief.Postmortem {
	t.Helper()
	var p debrief.Postmortem
	r.decode(t, &p)
	return &p
}

// fail decodes an error body.
func (r apiReply) fail(t *testing.T) apiErrorDetail {
	t.Helper()
	var b apiErrorBody
	r.decode(t, &b)
	if b.Error.Code == "" || b.Error.Message == "" {
		t.Fatalf("error body lacks code or message: %s", r.body)
	}
	return b.Error
}

// apiServer is a server on a fresh store, and clients for each role.
type apiServer struct {
	ts                                      *httptest.Server
	store                                   Store
	viewer, contributor, facilitator, admin apiClient
}

func newAPIServer(t *testing.T, store Store) *apiServer {
	t.Helper()
	ts := testServer(t, store)
	return &apiServer{
		ts: ts, store: store,
		viewer:      newAPIClient(t, ts, store, debrief.AccessViewer),
		contributor: newAPIClient(t, ts, store, debrief.AccessContributor),
		facilitator: newAPIClient(t, ts, store, debrief.AccessFacilitator),
		admin:       newAPIClient(t, ts, store, debrief.AccessAdmin),
	}
}

// apiDraft is a report as a client sends it to start one.
func apiDraft(title string) map[string]any {
	return map[string]any{
		"title":   title,
		"summary": map[string]any{"executive_summary": "The cache ran out of memory."},
		"tags":    []string{"cache"},
	}
}

func TestAPIReportLifecycle(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	c := api.contributor

	// Start a report: 201, where it is, and its version.
	res := c.call("POST", "/api/v1/postmortems", apiDraft("Cache outage")).
		want(t, http.StatusCreated)
	p := res.report(t)
	loc := "/api/v1/postmortems/" + p.ID
	if res.header.Get("Location") != loc || res.header.Get("ETag") != `"1"` {
		t.Fatalf("Location %q, ETag %q; want %q and \"1\"",
			res.header.Get("Location"), res.header.Get("ETag"), loc)
	}
	if p.Status != debrief.StatusDraft || p.Version != 1 || p.UpdatedBy == "" {
		t.Errorf("new report: status %s, version %d, by %q", p.Status, p.Version, p.UpdatedBy)
	}

	// Reading it again while nothing changed costs a 304.
	api.viewer.call("GET", loc, nil, "If-None-Match", `"1"`).want(t, http.StatusNotModified)
	got := api.viewer.call("GET", loc, nil).want(t, http.StatusOK).report(t)
	if got.Title != "Cache outage" {
		t.Errorf("read back title %q", got.Title)
	}

	// Writes need If-Match, and a stale one is refused with what is current.
	got.Title = "Cache outage in eu-west"
	e := c.call("PUT", loc, got).want(t, http.StatusPreconditionRequired).fail(t)
	if e.Code != "precondition_required" || e.Field != "If-Match" {
		t.Errorf("missing If-Match: %+v", e)
	}
	res = c.call("PUT", loc, got, "If-Match", `"1"`).want(t, http.StatusOK)
	if res.header.Get("ETag") != `"2"` {
		t.Errorf("ETag after the save %q, want \"2\"", res.header.Get("ETag"))
	}
	got.Title = "Someone else's title"
	res = c.call("PUT", loc, got, "If-Match", `"1"`).want(t, http.StatusPreconditionFailed)
	e = res.fail(t)
	if e.Code != "precondition_failed" || e.CurrentVersion != 2 ||
		res.header.Get("ETag") != `"2"` || len(e.Changes) == 0 {
		t.Errorf("stale PUT: %+v, ETag %q", e, res.header.Get("ETag"))
	}
	if !strings.Contains(e.Message, "version 1") || !strings.Contains(e.Message, "version 2") {
		t.Errorf("stale PUT message does not name the versions: %q", e.Message)
	}

	// A viewer reads but does not write.
	e = api.viewer.call("PUT", loc, got, "If-Match", `"2"`).want(t, http.StatusForbidden).fail(t)
	if e.Code != "forbidden" {
		t.Errorf("viewer PUT: %+v", e)
	}

	// Lifecycle: a contributor sends it to review; only a facilitator
	// finalises, and only a complete report.
	move := func(c apiClient, to string, version int) apiReply {
		return c.call("POST", loc+"/transitions", map[string]string{"status": to},
			"If-Match", fmt.Sprintf(`"%d"`, version))
	}
	move(c, "in_review", 2).want(t, http.StatusOK)
	e = move(c, "final", 3).want(t, http.StatusForbidden).fail(t)
	if !strings.Contains(e.Message, "facilitator") {
		t.Errorf("contributor finalising: %q", e.Message)
	}
	e = move(api.facilitator, "final", 3).want(t, http.StatusBadRequest).fail(t)
	if e.Field != "timeline" {
		t.Errorf("incomplete report going final: %+v", e)
	}

	// Only an admin deletes, and only the version they read.
	api.facilitator.call("DELETE", loc, nil, "If-Match", `"3"`).want(t, http.StatusForbidden)
	api.admin.call("DELETE", loc, nil).want(t, http.StatusPreconditionRequired)
	api.admin.call("DELETE", loc, nil, "If-Match", `"2"`).want(t, http.StatusPreconditionFailed)
	api.admin.call("DELETE", loc, nil, "If-Match", `"3"`).want(t, http.StatusNoContent)
	e = api.viewer.call("GET", loc, nil).want(t, http.StatusNotFound).fail(t)
	if e.Code != "not_found" {
		t.Errorf("deleted report: %+v", e)
	}
}

func TestAPISections(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	c := api.contributor
	p := c.call("POST", "/api/v1/postmortems", apiDraft("Disk full")).
		want(t, http.StatusCreated).report(t)
	loc := "/api/v1/postmortems/" + p.ID

	// An empty section reads as empty lists, not null.
	res := api.viewer.call("GET", loc+"/sections/timeline", nil).want(t, http.StatusOK)
	if string(bytes.TrimSpace(res.body)) != `{"timeline":[]}` || res.header.Get("ETag") != `"1"` {
		t.Errorf("empty timeline: %s, ETag %q", res.body, res.header.Get("ETag"))
	}

	// Two people start from version 1 and edit different sections: both land.
	timeline := map[string]any{"timeline": []map[string]any{
		{"time": "2026-03-07T14:00:00Z", "text": "Disk alert fires", "kind": "detection"},
	}}
	c.call("PUT", loc+"/sections/timeline", timeline, "If-Match", `"1"`).want(t, http.StatusOK)
	links := map[string]any{"links": []any{}, "tags": []string{"disk", "storage"}}
	res = api.facilitator.call("PUT", loc+"/sections/links", links, "If-Match", `"1"`).
		want(t, http.StatusOK)
	if res.header.Get("ETag") != `"3"` {
		t.Errorf("merged section edit: ETag %q, want \"3\"", res.header.Get("ETag"))
	}
	got := api.viewer.call("GET", loc, nil).want(t, http.StatusOK).report(t)
	if len(got.Timeline) != 1 || !cmp.Equal(got.Tags, []string{"disk", "storage"}) {
		t.Errorf("after both edits: timeline %v, tags %v", got.Timeline, got.Tags)
	}

	// The same section edited from a stale version is refused.
	timeline["timeline"] = []map[string]any{{"text": "Someone else's event"}}
	e := c.call("PUT", loc+"/sections/timeline", timeline, "If-Match", `"1"`).
		want(t, http.StatusPreconditionFailed).fail(t)
	if e.CurrentVersion != 3 {
		t.Errorf("stale section edit: %+v", e)
	}

	// Unknown sections and fields are named.
	e = c.call("GET", loc+"/sections/nonsense", nil).want(t, http.StatusNotFound).fail(t)
	if !strings.Contains(e.Message, "timeline") {
		t.Errorf("unknown section: %q does not list the sections", e.Message)
	}
	e = c.call("PUT", loc+"/sections/summary", map[string]any{"sumary": map[string]any{}},
		"If-Match", `"3"`).want(t, http.StatusBadRequest).fail(t)
	if e.Field != "sumary" {
		t.Errorf("misspelt field: %+v", e)
	}
}

func TestAPIErrors(t *testing.T) {
	api := newAPIServer(t, openStore(t, fullReport()))
	c := api.contributor
	loc := "/api/v1/postmortems/pm-2024-031"
	big := bytes.Repeat([]byte(" "), maxAPIBody+1)

	tests := []struct {
		name        string
		reply       apiReply
		status      int
		code, field string
	}{
		{"text body to a JSON route",
			c.send("POST", "/api/v1/postmortems", "text/plain", []byte("{}")),
			415, "unsupported_media_type", ""},
		{"body over 8 MiB",
			c.send("POST", "/api/v1/postmortems", "application/json", big),
			413, "too_large", ""},
		{"unknown field",
			c.call("POST", "/api/v1/postmortems", map[string]any{"title": "x", "titel": "y"}),
			400, "invalid", "titel"},
		{"value of the wrong type",
			c.call("POST", "/api/v1/postmortems", map[string]any{"title": 7}),
			400, "invalid", "title"},
		{"malformed JSON",
			c.send("POST", "/api/v1/postmortems", "application/json", []byte(`{"title":`)),
			400, "invalid", ""},
		{"javascript link",
			c.call("POST", "/api/v1/postmortems", map[string]any{"title": "x",
				"links": []map[string]string{{"url": "javascript:alert(1)"}}}),
			400, "invalid", "links[0].url"},
		{"id taken",
			c.call("POST", "/api/v1/postmortems", map[string]any{"id": "pm-2024-031",
				"title": "x"}),
			409, "conflict", ""},
		{"incident that does not exist",
			c.call("POST", "/api/v1/postmortems", map[string]any{"incident_id": "INC-0"}),
			404, "not_found", ""},
		{"If-Match that is not a version",
			c.call("PUT", loc, map[string]any{}, "If-Match", `W/"abc"`),
			400, "invalid", "If-Match"},
		{"limit too large",
			c.call("GET", "/api/v1/postmortems?limit=500", nil), 400, "invalid", "limit"},
		{"unknown status filter",
			c.call("GET", "/api/v1/postmortems?status=done", nil), 400, "invalid", "status"},
		{"unknown severity filter",
			c.call("GET", "/api/v1/postmortems?severity=purple", nil), 400, "invalid", "severity"},
		{"empty search",
			c.call("GET", "/api/v1/search?q=", nil), 400, "invalid", "q"},
		{"diff without versions",
			c.call("GET", loc+"/diff", nil), 400, "invalid", "from"},
		{"no such route",
			c.call("GET", "/api/v1/nothing-here", nil), 404, "not_found", ""},
		{"no such method",
			c.call("PATCH", loc, nil), 405, "method_not_allowed", ""},
		{"no such action item",
			c.call("GET", loc+"/action-items/99", nil), 404, "not_found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := tt.reply.want(t, tt.status).fail(t)
			if e.Code != tt.code || e.Field != tt.field {
				t.Errorf("code %q field %q, want %q %q (%s)", e.Code, e.Field, tt.code,
					tt.field, e.Message)
			}
		})
	}
	res := c.call("PATCH", loc, nil)
	if allow := res.header.Get("Allow"); allow != "GET, PUT, DELETE" {
		t.Errorf("405 Allow = %q", allow)
	}
}

func TestAPIServerErrorSaysOnlyInternal(t *testing.T) {
	var logs bytes.Buffer
	store := &faultyStore{Store: openStore(t, fullReport()), err: errStoreDown}
	token := apiToken(t, store, debrief.AccessViewer)
	srv, err := NewServer(store, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	c := apiClient{t: t, ts: ts, token: token}

	res := c.call("GET", "/api/v1/postmortems/pm-2024-031", nil).want(t, 500)
	e := res.fail(t)
	if e.Message != "internal error" || e.RequestID == "" || e.Code != "internal" {
		t.Errorf("500 body: %+v", e)
	}
	if bytes.Contains(res.body, []byte("secret internal detail")) {
		t.Errorf("500 body leaks the cause: %s", res.body)
	}
	if n := strings.Count(logs.String(), "request failed"); n != 1 {
		t.Errorf("logged %d times, want once:\n%s", n, logs.String())
	}
}
