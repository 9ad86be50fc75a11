package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/lint"
)

// The blameless checker on the API's reports: a stored report's findings,
// and the overrides recorded on it in the report itself.

// storedReport is a report as the API answers with it: its fields, and the
// overrides facilitators recorded when they finalised it over the
// checker's errors, which only the API sends (see withoutReadOnly).
type storedReport struct {
	debrief.Postmortem
	LintOverrides []debrief.LintOverride `json:"lint_overrides,omitempty"`
}

// findingsResult is what the checker finds in a stored report, summed up.
type findingsResult struct {
	Findings []lint.Finding `json:"findings"`
	Counts   findingCounts  `json:"counts"`
}

// apiCurrentReport answers with the report as it is now, its overrides
// included, and its version as the ETag.
func (s *Server) apiCurrentReport(
	w http.ResponseWriter,
	r *http.Request,
	status int,
	p *debrief.Postmortem,
) {
	overrides, err := s.store.LintOverrides(r.Context(), p.ID)
	if err != nil {
		s.apiFail(w, r, fmt.Errorf("overrides of %s: %w", p.ID, err))
		return
	}
	w.Header().Set("ETag", versionETag(p.Version))
	s.apiJSON(w, r, status, storedReport{Postmortem: *p, LintOverrides: overrides})
}

func (s *Server) apiFindings(w http.ResponseWriter, r *http.Request) {
	found, err := s.flow.Findings(r.Context(), actorFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	if found == nil {
		found = []lint.Finding{}
	}
	s.apiJSON(w, r, http.StatusOK, findingsResult{Findings: found, Counts: countFindings(found)})
}

// readOnlyFields are the fields of a report that only the API sends.
var readOnlyFields = []string{"lint_overrides"}

// withoutReadOnly drops the fields only the API sends from a whole report's
// body, so that a report read from the API can be sent back as it was. A
// body that is not a JSON object is returned as it is, for the decoder to
// say what is wrong with it.
func withoutReadOnly(data []byte) []byte {
	found := false
	for _, f := range readOnlyFields {
		found = found || bytes.Contains(data, []byte(`"`+f+`"`))
	}
	if !found {
		return data
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(data, &fields) != nil {
		return data
	}
	for _, f := range readOnlyFields {
		delete(fields, f)
	}
	out, err := json.Marshal(fields)
	if err != nil {
		return data
	}
	return out
}
