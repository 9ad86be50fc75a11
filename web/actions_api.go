package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
)

// The action item API: the lists with the web pages' filters, one item
// with its history, and moves through the item's lifecycle.

// actionEventKinds are the kinds of an item's history, as the document
// lists them.
var actionEventKinds = []debrief.ActionEventKind{debrief.ActionEventCreated,
	debrief.ActionEventStatus, debrief.ActionEventStep, debrief.ActionEventNotified,
	debrief.ActionEventFailed, debrief.ActionEventStalled, debrief.ActionEventTicket,
	debrief.ActionEventSynced, debrief.ActionEventRecheck, debrief.ActionEventOwner}

// apiActionRow is an item in a list, with what the list computes for it.
type apiActionRow struct {
	debrief.ActionRow
	Quadrant string `json:"quadrant,omitempty"`
	// DaysOverdue counts whole days past the due date; 0 when not late.
	DaysOverdue int `json:"days_overdue"`
	// URL is the item's page on this server.
	URL string `json:"url"`
}

func newAPIActionRow(r debrief.ActionRow, today string) apiActionRow {
	return apiActionRow{ActionRow: r, Quadrant: r.Item.Quadrant(),
		DaysOverdue: r.Item.DaysOverdue(today), URL: actionURL(r.Ref)}
}

// apiActionList is one page of a ranked list of items.
type apiActionList struct {
	// Today is the date overdue is counted from, in the policy's zone.
	Today  string         `json:"today"`
	Items  []apiActionRow `json:"items"`
	Total  int            `json:"total"`
	Limit  int            `json:"limit"`
	Offset int            `json:"offset"`
}

// apiActionView is one item with its report's summary, its history and
// the moves the asker may make.
type apiActionView struct {
	apiActionRow
	Today   string                 `json:"today"`
	History []debrief.ActionEvent  `json:"history"`
	Next    []debrief.ActionStatus `json:"next"`
	Team    *debrief.Team          `json:"team,omitempty"`
}

func (s *Server) apiListActions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, offset, err := apiPage(q)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	f, err := parseActionFilters(q)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	wq := f.query()
	wq.PostmortemID = strings.TrimSpace(q.Get("postmortem"))
	wq.Limit, wq.Offset = limit, offset
	list, err := s.flow.Actions(r.Context(), actorFrom(r.Context()), wq)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}

	page := apiActionList{Today: list.Today, Items: []apiActionRow{}, Total: list.Total,
		Limit: limit, Offset: offset}
	for _, row := range list.Rows {
		page.Items = append(page.Items, newAPIActionRow(row, list.Today))
	}
	apiPageLinks(w, r, offset, limit, len(page.Items), page.Total)
	s.apiJSON(w, r, http.StatusOK, page)
}

// apiPageLinks adds Link headers to the neighbouring pages of a list, with
// the request's filters, as apiWritePage does for listEnvelope.
func apiPageLinks(w http.ResponseWriter, r *http.Request, offset, limit, shown, total int) {
	link := func(at int, rel string) {
		q := r.URL.Query()
		q.Set("limit", strconv.Itoa(limit))
		q.Set("offset", strconv.Itoa(at))
		w.Header().Add("Link", fmt.Sprintf(`<%s?%s>; rel="%s"`, r.URL.Path, q.Encode(), rel))
	}
	if next := offset + shown; shown > 0 && next < total {
		link(next, "next")
	}
	if offset > 0 {
		link(max(0, offset-limit), "prev")
	}
}

func (s *Server) apiGetAction(w http.ResponseWriter, r *http.Request) {
	a := actorFrom(r.Context())
	ref, err := apiActionRef(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	v, err := s.flow.Action(r.Context(), a, ref)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	today := s.flow.Today()
	out := apiActionView{apiActionRow: newAPIActionRow(v.ActionRow, today), Today: today,
		History: v.History, Next: []debrief.ActionStatus{}, Team: v.Team}
	if out.History == nil {
		out.History = []debrief.ActionEvent{}
	}
	for _, to := range v.Next {
		if to != debrief.ActionVerified || v.Item.OwnedBy(a) || a.Can(debrief.AccessFacilitator) {
			out.Next = append(out.Next, to)
		}
	}
	w.Header().Set("ETag", itemETag(&v.Item))
	s.apiJSON(w, r, http.StatusOK, out)
}

func (s *Server) apiMoveAction(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := actorFrom(ctx)
	ref, err := apiActionRef(r)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	var m debrief.ActionMove
	if err := apiReadJSON(w, r, &m); err != nil {
		s.apiFail(w, r, err)
		return
	}
	if err := normaliseMove(&m); err != nil {
		s.apiFail(w, r, err)
		return
	}
	if tag := strings.TrimSpace(r.Header.Get("If-Match")); tag != "" {
		v, err := s.flow.Action(ctx, a, ref)
		if err != nil {
			s.apiFail(w, r, err)
			return
		}
		if cur := itemETag(&v.Item); tag != cur && tag != "*" {
			w.Header().Set("ETag", cur)
			s.apiFail(w, r, &apiRefusal{status: http.StatusPreconditionFailed,
				code: codePreconditionFailed, message: fmt.Sprintf("action item %s moved "+
					"since If-Match %s was read: it is %s now; read it again", ref, tag,
					orOpen(v.Item.Status).Label())})
			return
		}
	}
	item, err := s.flow.MoveAction(ctx, a, ref, m)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	w.Header().Set("ETag", itemETag(item))
	s.apiJSON(w, r, http.StatusOK, item)
}

// normaliseMove reads the status as people write it ("in progress") and
// checks the move's texts.
func normaliseMove(m *debrief.ActionMove) error {
	if strings.TrimSpace(string(m.To)) == "" {
		return debrief.FieldErrorf("to", "to is missing: say which status to move the "+
			"item to (open, in_progress, blocked, done or verified)")
	}
	to, err := debrief.ParseActionStatus(string(m.To))
	if err != nil {
		return err
	}
	m.To = to
	return debrief.CheckMoveText(*m)
}

// apiActionRef reads the item named by the path: a number that is not one
// is refused naming it.
func apiActionRef(r *http.Request) (debrief.ActionRef, error) {
	n, err := positiveInt("number", r.PathValue("number"))
	return debrief.ActionRef{PostmortemID: r.PathValue("id"), Number: n}, err
}

// itemETag names the state of an item's tracking, which moves change: its
// status and the moment of its last change. A report edit of the item's
// words does not change it, since moves do not depend on them.
func itemETag(it *debrief.ActionItem) string {
	var at int64
	if !it.UpdatedAt.IsZero() {
		at = it.UpdatedAt.UnixMicro()
	}
	return `"` + string(orOpen(it.Status)) + "." + strconv.FormatInt(at, 10) + `"`
}

func orOpen(s debrief.ActionStatus) debrief.ActionStatus {
	if s == "" {
		return debrief.ActionOpen
	}
	return s
}
