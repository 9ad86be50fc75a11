package web

import (
	"net/http"
	"testing"
)

func TestAPILint(t *testing.T) {
	srv := newAPIServer(t, openStore(t))
	var res lintResult
	srv.viewer.call("POST", "/api/v1/lint", map[string]any{
		"text":    "Alice forgot to renew the certificate. Human error, obviously.",
		"section": "summary.narrative",
	}).want(t, http.StatusOK).decode(t, &res)
	rules := map[string]bool{}
	for _, f := range res.Findings {
		rules[f.Rule] = true
		if f.Section != "summary.narrative" || f.Line != 1 || f.Message == "" {
			t.Errorf("finding %+v", f)
		}
	}
	if !rules["pii.name"] || !rules["blame.human-error"] {
		t.Errorf("findings %+v; want the name and the fault label", res.Findings)
	}

	// A stored report, under its fields' paths; a hidden one is not found.
	p := srv.contributor.call("POST", "/api/v1/postmortems", map[string]any{
		"title":   "Cert expiry",
		"summary": map[string]any{"executive_summary": "The on-call engineer was careless."},
	}).want(t, http.StatusCreated).report(t)
	srv.viewer.call("POST", "/api/v1/lint", map[string]any{"postmortem_id": p.ID}).
		want(t, http.StatusOK).decode(t, &res)
	if len(res.Findings) == 0 || res.Findings[0].Section != "summary.executive_summary" {
		t.Errorf("report findings %+v", res.Findings)
	}
	srv.viewer.call("POST", "/api/v1/lint", map[string]any{"postmortem_id": "nope"}).
		want(t, http.StatusNotFound)
	d := srv.viewer.call("POST", "/api/v1/lint", map[string]any{}).
		want(t, http.StatusBadRequest).fail(t)
	if d.Field != "text" {
		t.Errorf("empty request: %+v", d)
	}
	anon := apiClient{t: t, ts: srv.ts}
	anon.call("POST", "/api/v1/lint", map[string]any{"text": "x"}).
		want(t, http.StatusUnauthorized)
}
