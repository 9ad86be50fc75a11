package web

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/debrief-oss/debrief"
)

func TestAPIIncidentRefusals(t *testing.T) {
	api := newAPIServer(t, openStore(t, fullReport()))
	c := api.contributor
	queue := map[string]any{"id": "INC-9", "title": "Queue backlog"}
	c.call("POST", "/api/v1/incidents", queue).want(t, http.StatusCreated)

	tests := []struct {
		name        string
		reply       apiReply
		status      int
		code, field string
	}{
		{"taken id",
			c.call("POST", "/api/v1/incidents", queue), 409, "conflict", ""},
		{"id with a slash",
			c.call("POST", "/api/v1/incidents", map[string]any{"id": "inc/1", "title": "x"}),
			400, "invalid", "id"},
		{"no title",
			c.call("POST", "/api/v1/incidents", map[string]any{"title": " "}),
			400, "invalid", "title"},
		{"resolved before it started",
			c.call("POST", "/api/v1/incidents", map[string]any{"title": "x",
				"started_at": "2026-03-07T14:00:00Z", "resolved_at": "2026-03-07T13:00:00Z"}),
			400, "invalid", "resolved_at"},
		{"body about another incident",
			c.call("PUT", "/api/v1/incidents/INC-9", map[string]any{"id": "INC-8",
				"title": "x"}),
			400, "invalid", "id"},
		{"viewer replacing",
			api.viewer.call("PUT", "/api/v1/incidents/INC-9", queue), 403, "forbidden", ""},
		{"contributor changing a final report's incident",
			c.call("PUT", "/api/v1/incidents/INC-4411", map[string]any{"title": "x"}),
			403, "forbidden", ""},
		{"unknown status filter",
			c.call("GET", "/api/v1/incidents?status=closed", nil), 400, "invalid", "status"},
		{"without_postmortem not a boolean",
			c.call("GET", "/api/v1/incidents?without_postmortem=maybe", nil),
			400, "invalid", "without_postmortem"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantRefusal(t, tt.reply, tt.status, tt.code, tt.field)
		})
	}

	var list listEnvelope[debrief.IncidentSummary]
	c.call("GET", "/api/v1/incidents?status=Open", nil).want(t, 200).decode(t, &list)
	if list.Total != 1 || list.Items[0].ID != "INC-9" {
		t.Errorf("?status=Open listed %+v, want INC-9 alone", list.Items)
	}
}

// The incident is the header of its report: changing it is an edit of the
// report, seen in its version and refused once the report is archived.
func TestAPIIncidentOfAReportChangesWithTheReport(t *testing.T) {
	api := newAPIServer(t, openStore(t, fullReport()))
	f := api.facilitator
	loc := "/api/v1/postmortems/pm-2024-031"
	before := f.call("GET", loc, nil).want(t, 200).report(t)

	in := before.Incident
	in.Severity = "P2"
	// Like every write to the report, it needs the version read.
	wantRefusal(t, f.call("PUT", "/api/v1/incidents/INC-4411", in),
		http.StatusPreconditionRequired, "precondition_required", "If-Match")
	stale := fmt.Sprintf(`"%d"`, before.Version-1)
	wantRefusal(t, f.call("PUT", "/api/v1/incidents/INC-4411", in, "If-Match", stale),
		http.StatusPreconditionFailed, "precondition_failed", "")
	etag := fmt.Sprintf(`"%d"`, before.Version)
	f.call("PUT", "/api/v1/incidents/INC-4411", in, "If-Match", etag).want(t, 200)
	res := f.call("GET", loc, nil).want(t, 200)
	after := res.report(t)
	if after.Incident.Severity != "P2" || after.Version != before.Version+1 {
		t.Errorf("report header severity %q at version %d, want P2 at %d",
			after.Incident.Severity, after.Version, before.Version+1)
	}

	f.call("POST", loc+"/transitions", map[string]any{"status": "archived"},
		"If-Match", res.header.Get("ETag")).want(t, 200)
	in.Severity = "P3"
	archived := f.call("GET", loc, nil).want(t, 200).header.Get("ETag")
	wantRefusal(t, api.admin.call("PUT", "/api/v1/incidents/INC-4411", in, "If-Match", archived),
		http.StatusConflict, "conflict", "")
	var kept debrief.IncidentSummary
	f.call("GET", "/api/v1/incidents/INC-4411", nil).want(t, 200).decode(t, &kept)
	if kept.Severity != "P2" {
		t.Errorf("archived report's incident has severity %q, want P2 kept", kept.Severity)
	}
}

// wantRefusal fails the test unless the reply is an error body with the
// status, the code and the field.
func wantRefusal(t *testing.T, reply apiReply, status int, code, field string) {
	t.Helper()
	e := reply.want(t, status).fail(t)
	if e.Code != code || e.Field != field {
		t.Errorf("code %q field %q, want %q %q (%s)", e.Code, e.Field, code, field, e.Message)
	}
}
