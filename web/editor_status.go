package web

import (
	"net/http"
	"unicode"
	"unicode/utf8"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// statusMove is a lifecycle move the report page offers as a button.
type statusMove struct {
	To    debrief.Status
	Label string
	// Override offers a facilitator the reason that finalises the report
	// over the blameless checker's errors.
	Override bool
}

// moveLabels say each move the way a facilitator would.
var moveLabels = map[debrief.Status]map[debrief.Status]string{
	debrief.StatusDraft: {debrief.StatusInReview: "Send for review"},
	debrief.StatusInReview: {debrief.StatusDraft: "Back to draft",
		debrief.StatusFinal: "Mark as final"},
	debrief.StatusFinal: {debrief.StatusInReview: "Reopen the review",
		debrief.StatusArchived: "Archive"},
	debrief.StatusArchived: {debrief.StatusFinal: "Bring back from the archive"},
}

// statusMoves lists the moves the actor may make now; moves their role does
// not allow are not offered at all.
func statusMoves(a debrief.Actor, p *debrief.Postmortem) []statusMove {
	var out []statusMove
	for _, to := range debrief.NextStatuses(a, p) {
		label := moveLabels[p.Status][to]
		if label == "" {
			label = "Move to " + to.Label()
		}
		out = append(out, statusMove{To: to, Label: label})
	}
	return out
}

func (s *Server) handleTransition(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessContributor)
	if !ok {
		return
	}
	version, ok := s.formVersion(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	to, err := debrief.ParseStatus(r.PostForm.Get("status"))
	if err == nil {
		_, err = s.flow.Transition(r.Context(), a, id, version, to,
			workflow.OverrideErrors(r.PostForm.Get("override_reason")))
	}
	if err == nil {
		http.Redirect(w, r, reportURL(id), http.StatusSeeOther)
		return
	}
	if status := StatusCode(err); status >= http.StatusInternalServerError ||
		status == http.StatusNotFound {
		s.serveError(w, r, err)
		return
	}

	// The refusal is shown on the report as it is now, whose buttons carry
	// the current version.
	p, gerr := s.flow.Get(r.Context(), a, id)
	if gerr != nil {
		s.serveError(w, r, gerr)
		return
	}
	s.showReport(w, r, StatusCode(err), p,
		"The status was not changed: "+clause(debrief.ErrorMessage(err)))
}

// handleDelete deletes a report for good, for an admin who ticked the box
// that says they understand what that means.
func (s *Server) handleDelete(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessAdmin)
	if !ok {
		return
	}
	version, ok := s.formVersion(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	var err error
	if r.PostForm.Get("confirm") != "1" {
		err = debrief.FieldErrorf("confirm", "tick the box to confirm that the report "+
			"and all its revisions go for good")
	} else {
		err = s.flow.Delete(r.Context(), a, id, version)
	}
	if err == nil {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if status := StatusCode(err); status >= http.StatusInternalServerError ||
		status == http.StatusNotFound {
		s.serveError(w, r, err)
		return
	}
	p, gerr := s.flow.Get(r.Context(), a, id)
	if gerr != nil {
		s.serveError(w, r, gerr)
		return
	}
	s.showReport(w, r, StatusCode(err), p,
		"The report was not deleted: "+clause(debrief.ErrorMessage(err)))
}

// sentence returns an error's user-safe message as a sentence: capital
// first letter, full stop at the end.
func sentence(err error) string {
	msg := debrief.ErrorMessage(err)
	r, n := utf8.DecodeRuneInString(msg)
	if n == 0 {
		return msg
	}
	return clause(string(unicode.ToUpper(r)) + msg[n:])
}

// clause ends a message with a full stop unless it has one.
func clause(msg string) string {
	if msg == "" {
		return msg
	}
	switch msg[len(msg)-1] {
	case '.', '!', '?':
		return msg
	}
	return msg + "."
}
