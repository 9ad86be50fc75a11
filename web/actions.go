package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/workflow"
)

// Action items have pages of their own: each item with its history and
// the forms that move it through its lifecycle (this file), and the lists
// people work from, with the impact/effort matrix (actions_list.go).

// actionRoutes registers the action item pages and their CSV export.
func (s *Server) actionRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /actions", s.handleActions)
	mux.HandleFunc("GET /actions/mine", s.handleMyActions)
	mux.HandleFunc("GET /actions.csv", s.handleActionsCSV)
	mux.HandleFunc("GET /teams/{team}/actions", s.handleTeamActions)
	mux.HandleFunc("GET /postmortems/{id}/actions", s.handleReportActions)
	mux.HandleFunc("GET /postmortems/{id}/actions/{number}", s.handleAction)
	mux.HandleFunc("POST /postmortems/{id}/actions/{number}/move", s.handleMoveAction)
	mux.HandleFunc("POST /postmortems/{id}/actions/{number}/ticket", s.handleCreateTicket)
}

// actionURL is the address of an action item's page.
func actionURL(ref debrief.ActionRef) string {
	return reportURL(ref.PostmortemID) + "/actions/" + strconv.Itoa(ref.Number)
}

// reportActionsURL is the address of a report's list of action items.
func reportActionsURL(id string) string { return reportURL(id) + "/actions" }

// teamActionsURL is the address of a team's list of action items.
func teamActionsURL(team string) string { return "/teams/" + url.PathEscape(team) + "/actions" }

// actionRefOf reads the item named by the request's path. A number that is
// not one names no item: the answer is 404, as for an item that is gone.
func actionRefOf(r *http.Request) (debrief.ActionRef, error) {
	ref := debrief.ActionRef{PostmortemID: r.PathValue("id")}
	n, err := strconv.Atoi(r.PathValue("number"))
	if err != nil || n < 1 {
		return ref, debrief.Errorf(debrief.KindNotFound, "report %s has no action item %q",
			ref.PostmortemID, r.PathValue("number"))
	}
	ref.Number = n
	return ref, nil
}

// itemView is an action item as its page shows it.
type itemView struct {
	layout
	V         *workflow.ActionView
	URL       string
	ReportURL string
	// TeamURL, IncidentURL and RecheckURL lead to the item's team, its
	// report's incident and the later incident it was flagged for.
	TeamURL, IncidentURL, RecheckURL string

	Quadrant string
	// Seen is the item's state as the page shows it (its ETag, as the
	// API's If-Match takes it): every move form sends it back, so that a
	// move asked from a page someone else's move made stale is refused.
	Seen string
	// Overdue is how late the item is, "" when it is not.
	Overdue string
	Today   string
	History []historyRow
	// Moves are the forms of the moves the actor may make, verifying
	// aside; Verify is the verification form, when the actor may verify.
	Moves  []moveForm
	Verify *verifyForm
	// VerifyNote says who may verify when the actor may not.
	VerifyNote string
	// Trackers are the trackers a ticket may be made in, when the actor may
	// make one and the item has none.
	Trackers []trackerChoice
	// Error is a refusal that belongs to no one form (a conflict).
	Error string
	// Kept is what the person typed for a refused move the page no longer
	// offers, shown so that it is not lost.
	Kept []keptInput
	// Moved says which move just succeeded.
	Moved string
	// Notice says what else just succeeded.
	Notice string
}

// trackerChoice is a tracker the item page offers to make a ticket in.
type trackerChoice struct{ System, Title string }

// keptInput is one input of a refused move, with its label.
type keptInput struct{ Label, Text string }

// historyRow is one entry of an item's history.
type historyRow struct {
	At    time.Time
	Actor string
	What  string
	Link  string
}

// moveForm is one move of the item: a button, with a reason where the
// move needs one.
type moveForm struct {
	To     debrief.ActionStatus
	Button string
	// ReasonLabel, when set, asks for a reason, required when
	// ReasonRequired.
	ReasonLabel    string
	ReasonRequired bool
	Reason         string
	Error          string
}

// verifyForm records the closure criteria.
type verifyForm struct {
	Implemented, Tested, Documented bool
	Result, Evidence                string
	// Error says what is missing; Field is the input at fault:
	// "closure.result", "closure.evidence", or "closure" for the whole.
	Error, Field string
}

// FieldError returns the error when it belongs to the named input.
func (f *verifyForm) FieldError(field string) string {
	if f.Field == field {
		return f.Error
	}
	return ""
}

// ID is the form's id on the page, for links to it.
func (f moveForm) ID() string { return "move-" + string(f.To) }

func (s *Server) handleAction(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	ref, err := actionRefOf(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v, err := s.flow.Action(r.Context(), a, ref)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	page := s.newItemView(r, v)
	if to := r.URL.Query().Get("moved"); to != "" {
		if st, err := debrief.ParseActionStatus(to); err == nil {
			page.Moved = st.Label()
		}
	}
	if r.URL.Query().Get("ticket") == "made" && v.Item.Ticket != nil {
		page.Moved = "" // the notice below says what happened
		page.Notice = "Ticket " + v.Item.Ticket.Key + " made and linked."
	}
	s.render(w, r, http.StatusOK, "action", page)
}

// newItemView prepares an item's page with the forms of the moves the
// actor may make, each empty.
func (s *Server) newItemView(r *http.Request, v *workflow.ActionView) itemView {
	a := actorFrom(r.Context())
	today := s.flow.Today()
	title := fmt.Sprintf("Action item %d of %s", v.Ref.Number, reportTitle(v.Report))
	page := itemView{layout: s.layout(r, title), V: v, URL: actionURL(v.Ref),
		ReportURL: reportURL(v.Ref.PostmortemID), Quadrant: v.Item.Quadrant(), Today: today,
		Seen: itemETag(&v.Item)}
	if v.Team != nil {
		page.TeamURL = teamActionsURL(v.Team.Name)
	}
	page.IncidentURL = incidentURL(v.IncidentID)
	if v.Item.Recheck != debrief.RecheckRestricted {
		page.RecheckURL = incidentURL(v.Item.Recheck)
	}
	if days := v.Item.DaysOverdue(today); days > 0 {
		page.Overdue = "overdue by " + count(int64(days), "day")
	}
	for _, ev := range v.History {
		page.History = append(page.History, historyRow{At: ev.At, Actor: ev.Actor,
			What: ev.Describe(), Link: safeURL(ev.Link)})
	}
	if s.trackers.sync != nil && v.Item.Ticket == nil && a.Can(debrief.AccessContributor) {
		for _, c := range s.trackers.config.Clients() {
			page.Trackers = append(page.Trackers, trackerChoice{System: string(c.System()),
				Title: c.System().Title()})
		}
	}
	from := v.Item.Status
	for _, to := range v.Next {
		if to == debrief.ActionVerified {
			if s.flow.MayVerify(a, &v.Item) {
				page.Verify = &verifyForm{}
			} else {
				page.VerifyNote = fmt.Sprintf("The item's owner (%s, or anyone in the "+
					"team that owns it) records its verification; a facilitator may record "+
					"it for them.", ownerWords(&v.Item))
			}
			continue
		}
		page.Moves = append(page.Moves, newMoveForm(from, to))
	}
	return page
}

func ownerWords(item *debrief.ActionItem) string {
	if strings.TrimSpace(item.Owner) == "" {
		return "none yet"
	}
	return item.Owner
}

// newMoveForm words the move from one status to another.
func newMoveForm(from, to debrief.ActionStatus) moveForm {
	f := moveForm{To: to, Button: "Move to " + to.Label()}
	switch {
	case to == debrief.ActionBlocked:
		f.Button, f.ReasonLabel, f.ReasonRequired = "Mark blocked", "What blocks it", true
	case to == debrief.ActionOpen && from.Closed():
		f.Button, f.ReasonLabel, f.ReasonRequired = "Reopen", "Why it is reopened", true
	case to == debrief.ActionDone:
		f.Button = "Mark done"
	case to == debrief.ActionInProgress && from == debrief.ActionBlocked:
		f.Button = "Resume work"
	case to == debrief.ActionInProgress && from.Closed():
		f.Button = "Back to in progress"
	case to == debrief.ActionInProgress:
		f.Button = "Start work"
	}
	return f
}

// handleMoveAction moves an item as its page's forms ask. A refused move
// shows the page again with the error in the form that asked, its input
// kept; a form sent from a page that someone else's move made stale is a
// conflict, not applied on top.
func (s *Server) handleMoveAction(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessContributor)
	if !ok {
		return
	}
	ctx := r.Context()
	ref, err := actionRefOf(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	v, err := s.flow.Action(ctx, a, ref)
	if err != nil {
		s.serveError(w, r, err)
		return
	}

	m, err := moveFromForm(r)
	if err == nil {
		err = checkSeen(v, r.PostFormValue("seen"), r.PostFormValue("from"))
	}
	if err == nil {
		err = debrief.CheckMoveText(m)
	}
	if err == nil {
		_, err = s.flow.MoveAction(ctx, a, ref, m)
	}
	if err == nil {
		target := actionURL(ref) + "?" + url.Values{"moved": {string(m.To)}}.Encode()
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	}
	if StatusCode(err) >= 500 {
		s.serveError(w, r, err)
		return
	}
	s.showMoveError(w, r, ref, m, err)
}

// moveFromForm reads a move from the item page's forms.
func moveFromForm(r *http.Request) (debrief.ActionMove, error) {
	to, err := debrief.ParseActionStatus(r.PostFormValue("to"))
	m := debrief.ActionMove{To: to, Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if err != nil {
		return m, err
	}
	if to == debrief.ActionVerified {
		m.Closure = &debrief.Closure{
			Implemented: r.PostFormValue("implemented") != "",
			Tested:      r.PostFormValue("tested") != "",
			Documented:  r.PostFormValue("documented") != "",
			Result:      strings.TrimSpace(r.PostFormValue("result")),
			Evidence:    strings.TrimSpace(r.PostFormValue("evidence")),
		}
	}
	return m, nil
}

// checkSeen refuses a move sent from a page that showed the item in
// another state than it has now: someone moved it meanwhile, and the move
// asked for may no longer make sense. The state is the item's ETag, which
// tells a done item from the same item reopened and done again; a page
// served before forms carried it sends only the status it showed.
func checkSeen(v *workflow.ActionView, seen, from string) error {
	cur := orOpen(v.Item.Status)
	switch {
	case seen != "" && seen == itemETag(&v.Item):
		return nil
	case seen == "" && (from == "" || debrief.ActionStatus(from) == cur):
		return nil
	}
	return debrief.Errorf(debrief.KindConflict, "someone changed this item since the "+
		"page was opened (it is %s now), so nothing was changed. Check its status and "+
		"history below before you send it again; what you typed is kept.", cur.Label())
}

// showMoveError shows the item as it is now, with the refusal in the form
// that asked for the move and what was typed there kept.
func (s *Server) showMoveError(
	w http.ResponseWriter,
	r *http.Request,
	ref debrief.ActionRef,
	m debrief.ActionMove,
	moveErr error,
) {
	v, err := s.flow.Action(r.Context(), actorFrom(r.Context()), ref)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	page := s.newItemView(r, v)
	page.Title = "Error: " + page.Title
	msg := sentenceCase(debrief.ErrorMessage(moveErr))
	field := debrief.ErrorField(moveErr)
	// A conflict is about the item, not the form: its message goes above
	// the forms, and the input goes back into the form as typed.
	formErr := fieldLabel(field) + ": " + msg
	if debrief.ErrorKind(moveErr) == debrief.KindConflict {
		formErr, field = "", ""
	}
	placed := placeMove(&page, m, field, formErr)
	switch {
	case placed && formErr != "":
	case field != "":
		page.Error = fieldLabel(field) + ": " + msg
	default:
		page.Error = msg
	}
	if !placed {
		page.Kept = keptInputs(m)
	}
	s.render(w, r, StatusCode(moveErr), "action", page)
}

// placeMove puts the input of the move asked for back in its form, with
// the error (if any) naming the field; false when no form on the page
// asks for that move.
func placeMove(page *itemView, m debrief.ActionMove, field, formErr string) bool {
	if m.To == debrief.ActionVerified && page.Verify != nil && m.Closure != nil {
		c := m.Closure
		page.Verify = &verifyForm{Implemented: c.Implemented, Tested: c.Tested,
			Documented: c.Documented, Result: c.Result, Evidence: c.Evidence,
			Field: field, Error: formErr}
		return true
	}
	for i := range page.Moves {
		f := &page.Moves[i]
		if f.To == m.To {
			f.Reason, f.Error = m.Reason, formErr
			return true
		}
	}
	return false
}

// keptInputs are the texts typed for a move, as the page labels them.
func keptInputs(m debrief.ActionMove) []keptInput {
	var out []keptInput
	add := func(field, text string) {
		if text != "" {
			out = append(out, keptInput{Label: fieldLabel(field), Text: text})
		}
	}
	add("reason", m.Reason)
	if c := m.Closure; c != nil {
		add("closure.result", c.Result)
		add("closure.evidence", c.Evidence)
	}
	return out
}

// fieldLabel names a field of the move forms as the page labels it.
func fieldLabel(field string) string {
	switch field {
	case "reason":
		return "Reason"
	case "closure":
		return "Closure criteria"
	case "closure.result":
		return "What was checked"
	case "closure.evidence":
		return "Evidence link"
	case "to":
		return "Move"
	}
	return "Error"
}

// handleCreateTicket makes a tracker ticket from the item, as the item
// page's form asks, and shows the page again with the ticket linked or
// the reason it was not made, the tracker's own failure (502) included.
func (s *Server) handleCreateTicket(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessContributor)
	if !ok {
		return
	}
	ref, err := actionRefOf(r)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	if s.trackers.sync == nil {
		s.serveError(w, r, debrief.Errorf(debrief.KindNotFound, "no tracker is configured"))
		return
	}
	_, err = s.trackers.sync.CreateTicket(r.Context(), a, ref, r.PostFormValue("system"))
	if err == nil {
		http.Redirect(w, r, actionURL(ref)+"?ticket=made", http.StatusSeeOther)
		return
	}
	failed := trackerFailed(err)
	if k := debrief.ErrorKind(err); !failed && (k == debrief.KindNotFound ||
		StatusCode(err) >= 500) {
		s.serveError(w, r, err)
		return
	}
	if failed {
		s.logServerError(r, StatusCode(err), err)
	}
	v, verr := s.flow.Action(r.Context(), a, ref)
	if verr != nil {
		s.serveError(w, r, verr)
		return
	}
	page := s.newItemView(r, v)
	page.Error = "The ticket was not made: " + debrief.ErrorMessage(err)
	s.render(w, r, StatusCode(err), "action", page)
}
