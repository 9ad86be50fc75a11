package web

import (
	"net/http"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/lint"
)

// The blameless-language checker over the API: a text, or a stored report
// the caller may read.

// lintRequest names what to check: text (with the section it belongs to,
// for the findings) or a stored report.
type lintRequest struct {
	Text         string `json:"text,omitempty"`
	Section      string `json:"section,omitempty"`
	PostmortemID string `json:"postmortem_id,omitempty"`
}

// lintResult is what the checker found, in order of place.
type lintResult struct {
	Findings []lint.Finding `json:"findings"`
}

func (s *Server) apiLint(w http.ResponseWriter, r *http.Request) {
	if !actorFrom(r.Context()).Can(debrief.AccessViewer) {
		s.apiFail(w, r, debrief.Errorf(debrief.KindUnauthorized, "sign in to check text"))
		return
	}
	var in lintRequest
	if err := apiReadJSON(w, r, &in); err != nil {
		s.apiFail(w, r, err)
		return
	}
	res := lintResult{Findings: []lint.Finding{}}
	switch {
	case in.PostmortemID != "" && in.Text != "":
		s.apiFail(w, r, debrief.FieldErrorf("text",
			"send text or postmortem_id, not both"))
		return
	case in.PostmortemID != "":
		found, err := s.flow.Findings(r.Context(), actorFrom(r.Context()), in.PostmortemID)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		res.Findings = append(res.Findings, found...)
	case strings.TrimSpace(in.Text) != "":
		section := in.Section
		if section == "" {
			section = "text"
		}
		found, err := s.flow.CheckText(r.Context(), section, in.Text)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		res.Findings = append(res.Findings, found...)
	default:
		s.apiFail(w, r, debrief.FieldErrorf("text", "send the text to check, or the "+
			"postmortem_id of a report"))
		return
	}
	s.apiJSON(w, r, http.StatusOK, res)
}
