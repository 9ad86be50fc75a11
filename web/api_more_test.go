package web

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/debrief-oss/debrief"
)

func TestAPIListPagesAndFilters(t *testing.T) {
	api := newAPIServer(t, openStore(t, fullReport()))
	c := api.contributor
	for i := range 4 {
		c.call("POST", "/api/v1/postmortems", apiDraft(fmt.Sprintf("Report %d", i))).
			want(t, http.StatusCreated)
	}

	var page listEnvelope[debrief.PostmortemSummary]
	res := api.viewer.call("GET", "/api/v1/postmortems?limit=2&sort=title", nil).want(t, 200)
	res.decode(t, &page)
	if page.Total != 5 || len(page.Items) != 2 || page.Limit != 2 || page.Offset != 0 {
		t.Fatalf("first page: total %d, %d items, limit %d, offset %d",
			page.Total, len(page.Items), page.Limit, page.Offset)
	}
	next := `</api/v1/postmortems?limit=2&offset=2&sort=title>; rel="next"`
	if got := res.header.Get("Link"); got != next {
		t.Errorf("Link = %q, want %q", got, next)
	}

	// Following the links visits every report once.
	var titles []string
	path := "/api/v1/postmortems?limit=2&sort=title"
	for path != "" {
		res := api.viewer.call("GET", path, nil).want(t, 200)
		res.decode(t, &page)
		for _, s := range page.Items {
			titles = append(titles, s.Title)
		}
		path = ""
		for _, l := range res.header.Values("Link") {
			if target, ok := strings.CutSuffix(l, `>; rel="next"`); ok {
				path = strings.TrimPrefix(target, "<")
			}
		}
	}
	want := []string{"Checkout outage from a connection-pool setting",
		"Report 0", "Report 1", "Report 2", "Report 3"}
	if !cmp.Equal(titles, want) {
		t.Errorf("pages gave %v, want %v", titles, want)
	}

	// Filters read as people write them.
	for _, q := range []string{"severity=critical", "status=final", "tag=CACHE",
		"service=Checkout", "year=2024"} {
		res := api.viewer.call("GET", "/api/v1/postmortems?"+q, nil).want(t, 200)
		res.decode(t, &page)
		if page.Total == 0 || page.Total == 5 {
			t.Errorf("?%s matched %d of 5", q, page.Total)
		}
	}
}

func TestAPIIncidents(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	c := api.contributor
	in := map[string]any{"title": "Queue backlog", "services": []string{"queue"},
		"severity": "P2", "started_at": "2026-03-07T14:00:00Z",
		"detected_at": "2026-03-07T14:05:00Z", "resolved_at": "2026-03-07T15:00:00Z"}
	res := c.call("POST", "/api/v1/incidents", in).want(t, http.StatusCreated)
	var got debrief.IncidentSummary
	res.decode(t, &got)
	if got.ID != "inc-2026-03-07-queue-backlog" || got.Status != debrief.IncidentOpen ||
		res.header.Get("Location") != "/api/v1/incidents/"+got.ID {
		t.Errorf("new incident %+v, Location %q", got, res.header.Get("Location"))
	}
	api.viewer.call("POST", "/api/v1/incidents", in).want(t, http.StatusForbidden)
	e := c.call("POST", "/api/v1/incidents", map[string]any{"title": "x",
		"status": "exploded"}).want(t, 400).fail(t)
	if e.Field != "status" {
		t.Errorf("bad status: %+v", e)
	}

	// A report started from it takes its header and moments, and the
	// incident then names its report.
	var list listEnvelope[debrief.IncidentSummary]
	api.viewer.call("GET", "/api/v1/incidents?without_postmortem=true", nil).
		want(t, 200).decode(t, &list)
	if list.Total != 1 {
		t.Fatalf("incidents without a report: %d, want 1", list.Total)
	}
	p := c.call("POST", "/api/v1/postmortems", map[string]string{"incident_id": got.ID}).
		want(t, http.StatusCreated).report(t)
	if p.Title != "Queue backlog" || len(p.Timeline) != 3 || p.Incident.ID != got.ID {
		t.Errorf("report from incident: title %q, %d events, incident %q",
			p.Title, len(p.Timeline), p.Incident.ID)
	}
	api.viewer.call("GET", "/api/v1/incidents/"+got.ID, nil).want(t, 200).decode(t, &got)
	if got.PostmortemID != p.ID {
		t.Errorf("incident names report %q, want %q", got.PostmortemID, p.ID)
	}
	c.call("POST", "/api/v1/postmortems", map[string]string{"incident_id": got.ID}).
		want(t, http.StatusConflict)

	in["status"] = "resolved"
	etag := api.viewer.call("GET", "/api/v1/postmortems/"+p.ID, nil).want(t, 200).
		header.Get("ETag")
	c.call("PUT", "/api/v1/incidents/"+got.ID, in, "If-Match", etag).want(t, 200).decode(t, &got)
	if got.Status != debrief.IncidentResolved {
		t.Errorf("replaced incident status %q", got.Status)
	}
	c.call("PUT", "/api/v1/incidents/nope", in).want(t, http.StatusNotFound)
}

func TestAPIPeopleAndTokens(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	a := api.admin

	res := a.call("POST", "/api/v1/users", map[string]string{"name": "ana",
		"display_name": "Ana Lima", "role": "contributor", "password": "correct horse battery"}).
		want(t, http.StatusCreated)
	if strings.Contains(string(res.body), "argon2") || strings.Contains(string(res.body), "horse") {
		t.Errorf("new user answer shows the password or its hash: %s", res.body)
	}
	e := a.call("POST", "/api/v1/users", map[string]string{"name": "bo", "role": "viewer",
		"password": "short"}).want(t, 400).fail(t)
	if e.Field != "password" {
		t.Errorf("short password: %+v", e)
	}
	a.call("POST", "/api/v1/users", map[string]string{"name": "ANA", "role": "viewer"}).
		want(t, http.StatusConflict)
	api.facilitator.call("GET", "/api/v1/users", nil).want(t, http.StatusForbidden)

	var u debrief.User
	a.call("PATCH", "/api/v1/users/ana", map[string]any{"role": "facilitator"}).
		want(t, 200).decode(t, &u)
	if u.Role != debrief.AccessFacilitator || u.Disabled {
		t.Errorf("patched user %+v", u)
	}
	var me meResponse
	a.call("GET", "/api/v1/users/me", nil).want(t, 200).decode(t, &me)
	e = a.call("PATCH", "/api/v1/users/"+me.Name, map[string]any{"disabled": true}).
		want(t, http.StatusConflict).fail(t)
	if !strings.Contains(e.Message, "own account") {
		t.Errorf("admin disabling themselves: %q", e.Message)
	}

	// Tokens: made with the secret shown once, never above the request's
	// role, listed and revoked by their owner only.
	v := api.viewer
	var made createdToken
	v.call("POST", "/api/v1/tokens", map[string]string{"label": "laptop"}).
		want(t, http.StatusCreated).decode(t, &made)
	if !strings.HasPrefix(made.Secret, "dbf_") || made.Token.Role != debrief.AccessViewer {
		t.Errorf("new token %+v", made)
	}
	v.call("POST", "/api/v1/tokens", map[string]string{"role": "admin"}).
		want(t, http.StatusForbidden)
	var list itemList[debrief.Token]
	v.call("GET", "/api/v1/tokens", nil).want(t, 200).decode(t, &list)
	if len(list.Items) != 2 || strings.Contains(mustJSON(t, list), made.Secret) {
		t.Errorf("token list: %d tokens (want the test's and the new one), secret shown: %v",
			len(list.Items), strings.Contains(mustJSON(t, list), made.Secret))
	}
	api.contributor.call("DELETE", fmt.Sprintf("/api/v1/tokens/%d", made.Token.ID), nil).
		want(t, http.StatusNotFound)
	api.contributor.call("GET", "/api/v1/tokens?user="+me.Name, nil).
		want(t, http.StatusForbidden)
	newer := apiClient{t: t, ts: api.ts, token: made.Secret}
	newer.call("GET", "/api/v1/users/me", nil).want(t, 200)
	v.call("DELETE", fmt.Sprintf("/api/v1/tokens/%d", made.Token.ID), nil).
		want(t, http.StatusNoContent)
	newer.call("GET", "/api/v1/users/me", nil).want(t, http.StatusUnauthorized)
}

func TestAPIImport(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	c := api.contributor
	doc := []byte("# Cache outage\n\n## Summary\n\nThe cache ran out of memory.\n")
	send := func(c apiClient, source string, doc []byte) apiReply {
		return c.send("POST", "/api/v1/imports?source="+source, "text/markdown", doc)
	}

	var res importResult
	r := send(c, "/srv/pm/cache.md", doc).want(t, http.StatusCreated)
	r.decode(t, &res)
	if res.Outcome != "created" || res.ID != "cache" ||
		r.header.Get("Location") != "/api/v1/postmortems/cache" {
		t.Fatalf("first import: %+v, Location %q", res, r.header.Get("Location"))
	}
	if len(res.Warnings) == 0 || !strings.Contains(res.Warnings[0].Message, "draft") {
		t.Errorf("a contributor's import of a final report does not say it is a draft: %+v",
			res.Warnings)
	}
	send(c, "/srv/pm/cache.md", doc).want(t, 200).decode(t, &res)
	if res.Outcome != "unchanged" {
		t.Errorf("same document again: %s", res.Outcome)
	}
	changed := []byte(strings.Replace(string(doc), "memory", "disk", 1))
	send(c, "/srv/pm/cache.md", changed).want(t, 200).decode(t, &res)
	if res.Outcome != "updated" || res.Version != 2 {
		t.Errorf("changed document: %+v", res)
	}
	send(c, "/srv/pm/cache.md", changed).want(t, 200).decode(t, &res)
	if res.Outcome != "unchanged" {
		t.Errorf("changed document again: %s", res.Outcome)
	}
	// Another file of the same name elsewhere is another report.
	send(c, "/srv/other/cache.md", doc).want(t, 201).decode(t, &res)
	if res.ID != "cache-2" {
		t.Errorf("second cache.md: id %q", res.ID)
	}

	e := send(c, "/srv/pm/empty.md", []byte("  \n")).want(t, 400).fail(t)
	if e.Message != "the file is empty" {
		t.Errorf("empty document: %+v", e)
	}
	send(c, "", doc).want(t, 400)
	send(api.viewer, "/srv/pm/x.md", doc).want(t, http.StatusForbidden)
	c.send("POST", "/api/v1/imports?source=/x.md", "application/json", doc).want(t, 415)
}

func TestAPIRevisionsAndDiff(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	c := api.contributor
	p := c.call("POST", "/api/v1/postmortems", apiDraft("Disk full")).want(t, 201).report(t)
	loc := "/api/v1/postmortems/" + p.ID
	p.Summary.ExecutiveSummary = "The disk filled with logs."
	c.call("PUT", loc, p, "If-Match", `"1"`).want(t, 200)

	var revs itemList[debrief.Revision]
	api.viewer.call("GET", loc+"/revisions", nil).want(t, 200).decode(t, &revs)
	if len(revs.Items) != 2 || revs.Items[0].Version != 2 || revs.Items[0].Author == "" {
		t.Fatalf("revisions: %+v", revs.Items)
	}
	old := api.viewer.call("GET", loc+"/revisions/1", nil).want(t, 200).report(t)
	if old.Summary.ExecutiveSummary != "The cache ran out of memory." {
		t.Errorf("version 1 reads %q", old.Summary.ExecutiveSummary)
	}
	var d diffResponse
	api.viewer.call("GET", loc+"/diff?from=1&to=2", nil).want(t, 200).decode(t, &d)
	if len(d.Sections) != 1 || d.Sections[0].Key != "summary" {
		t.Errorf("diff: %+v", d)
	}
	api.viewer.call("GET", loc+"/revisions/9", nil).want(t, http.StatusNotFound)
}

func TestAPIAnonymousIsRefused(t *testing.T) {
	ts := testServer(t, openStore(t, fullReport()))
	anon := apiClient{t: t, ts: ts}
	for _, path := range []string{"/api/v1/postmortems", "/api/v1/postmortems/pm-2024-031",
		"/api/v1/users/me", "/api/v1/search?q=x"} {
		res := anon.call("GET", path, nil).want(t, http.StatusUnauthorized)
		if res.fail(t).Code != "unauthorized" || res.header.Get("WWW-Authenticate") == "" {
			t.Errorf("%s: %s", path, res.body)
		}
	}
}
