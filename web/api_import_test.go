package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/markdown"
)

// TestAPIImportOfExports: debrief's own export comes back unchanged as it
// is, is refused when the report changed after it was written, and is
// restored exactly by an admin into a server that lacks it.
func TestAPIImportOfExports(t *testing.T) {
	api := newAPIServer(t, openStore(t))
	c := api.contributor
	send := func(c apiClient, source string, doc []byte) apiReply {
		q := "/api/v1/imports?source=" + url.QueryEscape(source)
		return c.send("POST", q, "text/markdown", doc)
	}
	export := func(p *debrief.Postmortem) []byte {
		var b bytes.Buffer
		if err := markdown.Write(&b, p); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}

	doc := []byte("# Disk full\n\n## Summary\n\nThe disk filled with logs.\n")
	var res importResult
	send(c, `C:\reports\disk full.md`, doc).want(t, http.StatusCreated).decode(t, &res)
	if res.ID != "disk-full" {
		t.Errorf("a Windows path names the report %q, want disk-full", res.ID)
	}
	p := c.call("GET", "/api/v1/postmortems/disk-full", nil).want(t, 200).report(t)

	send(c, "/tmp/export/disk-full.md", export(p)).want(t, 200).decode(t, &res)
	if res.Outcome != "unchanged" || res.Version != 1 {
		t.Errorf("the export as it is: %+v, want unchanged at version 1", res)
	}
	p.Summary.ExecutiveSummary = "The disk filled with debug logs."
	send(c, "/tmp/export/disk-full.md", export(p)).want(t, 200).decode(t, &res)
	if res.Outcome != "updated" || res.Version != 2 {
		t.Errorf("the edited export: %+v, want updated to version 2", res)
	}
	p.Summary.ExecutiveSummary = "Someone else's edit of the old export."
	e := send(c, "/tmp/export/disk-full.md", export(p)).want(t, http.StatusConflict).fail(t)
	if !strings.Contains(e.Message, "changed after this file was exported") {
		t.Errorf("a stale export: %+v", e)
	}

	// Into another server, an admin's import restores it as it was.
	other := newAPIServer(t, openStore(t))
	p.ID, p.Version, p.Status = "moved", 7, debrief.StatusFinal
	send(other.admin, "/tmp/export/moved.md", export(p)).want(t, http.StatusCreated)
	got := other.viewer.call("GET", "/api/v1/postmortems/moved", nil).want(t, 200).report(t)
	if got.Version != 7 || got.Status != debrief.StatusFinal {
		t.Errorf("restored export: version %d, %s; want 7, final", got.Version, got.Status)
	}
}
