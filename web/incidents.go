package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/debrief-oss/debrief"
)

// The incident pages: the list of incidents, and one incident with what
// the trigger policy decided about it, the requests people made of the
// policy, its alerts as a picture and its events as a list. A postmortem
// is started from here through the new-report flow (editor_new.go).

// incidentPageRoutes registers the incident pages, the ingestion-errors
// pages, the overdue list and the timeline builder.
func (s *Server) incidentPageRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /incidents", s.handleIncidents)
	mux.HandleFunc("GET /incidents/{id}", s.handleIncident)
	mux.HandleFunc("POST /incidents/{id}/decide", s.handleDecide)
	mux.HandleFunc("POST /incidents/{id}/requests", s.handlePolicyRequest)
	mux.HandleFunc("POST /incidents/{id}/requests/{request}/approve", s.handleApprove)
	mux.HandleFunc("GET /overdue", s.handleOverdue)
	s.ingestionRoutes(mux)
	s.timelineBuilderRoutes(mux)
}

func incidentURL(id string) string { return "/incidents/" + url.PathEscape(id) }

// incidentsView is the list of incidents.
type incidentsView struct {
	layout
	Status            selectField
	Service           string
	WithoutPostmortem bool
	Filtered          bool
	Rows              []incidentRow
	Pager             pager
	// CanStart is true when the actor may start a report from an incident.
	CanStart bool
}

// incidentRow is one incident of the list with its latest policy outcome.
type incidentRow struct {
	debrief.IncidentSummary
	Duration string
	Decision *debrief.Decision
}

// URL is the incident's page.
func (r incidentRow) URL() string { return incidentURL(r.ID) }

// ReportURL is the report about the incident.
func (r incidentRow) ReportURL() string { return reportURL(r.PostmortemID) }

func (s *Server) handleIncidents(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	q := r.URL.Query()
	f, page, err := parseIncidentQuery(q)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	f.Limit, f.Offset = s.pageSize, (page-1)*s.pageSize
	list, total, err := s.flow.Incidents(r.Context(), a, f)
	if err != nil {
		s.serveError(w, r, err)
		return
	}

	v := incidentsView{
		layout:            s.layout(r, "Incidents"),
		Status:            incidentStatusSelect(f.Status),
		Service:           f.Service,
		WithoutPostmortem: f.WithoutPostmortem,
		Filtered:          f.Status != "" || f.Service != "" || f.WithoutPostmortem,
		Pager:             newPager("/incidents", q, page, s.pageSize, total),
		CanStart:          a.Can(debrief.AccessContributor),
	}
	for _, in := range list {
		row := incidentRow{IncidentSummary: in, Duration: formatDuration(in.Duration())}
		// The workflow listed only incidents the actor may read, so their
		// decisions are read from the store without asking again.
		ds, err := s.store.Decisions(r.Context(), in.ID)
		if err != nil {
			s.serveError(w, r, fmt.Errorf("decisions of %s: %w", in.ID, err))
			return
		}
		if len(ds) > 0 {
			row.Decision = &ds[0]
		}
		v.Rows = append(v.Rows, row)
	}
	s.render(w, r, pageStatus(v.Pager), "incidents", v)
}

// parseIncidentQuery reads the list's filters, refusing values it cannot
// read rather than showing an unfiltered list.
func parseIncidentQuery(q url.Values) (debrief.IncidentFilter, int, error) {
	f := debrief.IncidentFilter{
		Service:           strings.TrimSpace(q.Get("service")),
		WithoutPostmortem: q.Get("without_postmortem") != "",
	}
	if st := q.Get("status"); st != "" {
		var err error
		if f.Status, err = debrief.ParseIncidentStatus(st); err != nil {
			return f, 0, err
		}
	}
	page, err := parsePageNumber(q)
	return f, page, err
}

func incidentStatusSelect(cur debrief.IncidentStatus) selectField {
	f := selectField{Name: "status", Label: "Status", AnyText: "Any status"}
	for _, st := range debrief.IncidentStatuses {
		f.Options = append(f.Options, selectOption{Value: string(st), Label: humanize(st),
			Selected: st == cur})
	}
	return f
}

// incidentView is one incident's page.
type incidentView struct {
	layout
	In       *debrief.IncidentSummary
	Moments  []moment
	Duration string
	Spans    []responseSpan

	// Decision is the policy's current decision; History the earlier ones.
	Decision *debrief.Decision
	History  []debrief.Decision
	Requests []requestRow

	Chart *alertChart
	// AlertLinks go to the alerts in their tools, one per address.
	AlertLinks []debrief.Link
	Alerts     []debrief.Alert
	Events     []debrief.IncidentEvent
	// MoreEvents counts events beyond maxIncidentEvents, not listed.
	MoreEvents int

	// CanRequest is true when the actor may ask for a waiver and start a
	// report (contributors and above); anyone may ask for a learning
	// postmortem.
	CanRequest bool
	// Problem is why the last request was refused, shown by its form.
	Problem *requestProblem
}

// requestRow is a waiver or learning request with what the actor may do.
type requestRow struct {
	debrief.PolicyRequest
	// Pending is a learning request waiting for its approver.
	Pending bool
	// CanApprove is true when the policy lets the actor approve it; else
	// WhyNot says who may.
	CanApprove bool
	WhyNot     string
}

// requestProblem is a refused request or approval, with what was typed.
type requestProblem struct {
	// Form is "waiver", "learning" or "approve".
	Form    string
	Message string
	Reason  string
}

// ReasonFor returns the reason typed into the form of kind, kept after a
// refusal.
func (v incidentView) ReasonFor(kind string) string {
	if v.Problem != nil && v.Problem.Form == kind {
		return v.Problem.Reason
	}
	return ""
}

// ErrorFor returns the refusal to show by the form of kind.
func (v incidentView) ErrorFor(kind string) string {
	if v.Problem != nil && v.Problem.Form == kind {
		return v.Problem.Message
	}
	return ""
}

// URL is the incident's page.
func (v incidentView) URL() string { return incidentURL(v.In.ID) }

// ReportURL is the report about the incident, if there is one.
func (v incidentView) ReportURL() string {
	if v.In.PostmortemID == "" {
		return ""
	}
	return reportURL(v.In.PostmortemID)
}

// OffersWaiver is true when a waiver could change the decision: the policy
// requires a postmortem, or has not been asked yet.
func (v incidentView) OffersWaiver() bool {
	return v.Decision == nil || v.Decision.Outcome == debrief.OutcomeRequired
}

// OffersLearning is true when a learning request could change the
// decision: the policy does not require a postmortem.
func (v incidentView) OffersLearning() bool {
	return v.Decision == nil || v.Decision.Outcome == debrief.OutcomeNotRequired ||
		v.Decision.Outcome == debrief.OutcomeWaived
}

// maxIncidentEvents bounds the events listed on an incident's page; an
// alert storm can send thousands.
const maxIncidentEvents = 500

func (s *Server) handleIncident(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.require(w, r, debrief.AccessViewer); !ok {
		return
	}
	s.showIncident(w, r, http.StatusOK, r.PathValue("id"), nil)
}

// showIncident renders the incident's page; problem, when set, is why the
// last request was refused and status its HTTP status.
func (s *Server) showIncident(
	w http.ResponseWriter,
	r *http.Request,
	status int,
	id string,
	problem *requestProblem,
) {
	ctx, a := r.Context(), actorFrom(r.Context())
	in, err := s.flow.Incident(ctx, a, id)
	if err != nil {
		s.serveError(w, r, err)
		return
	}
	title := in.Title
	if strings.TrimSpace(title) == "" {
		title = "Incident " + in.ID
	}
	if problem != nil {
		title = "Error: " + title
	}
	v := incidentView{
		layout: s.layout(r, title), In: in,
		Moments: incidentMoments(&in.Incident), Duration: formatDuration(in.Duration()),
		Spans:      responseSpans(incidentMoments(&in.Incident)),
		CanRequest: a.Can(debrief.AccessContributor),
		Problem:    problem,
	}
	if err := s.incidentRecords(r, &v); err != nil {
		s.serveError(w, r, err)
		return
	}
	s.render(w, r, status, "incident", v)
}

// incidentRecords reads the incident's decisions, requests, alerts and
// events into the view.
func (s *Server) incidentRecords(r *http.Request, v *incidentView) error {
	ctx, a, id := r.Context(), actorFrom(r.Context()), v.In.ID
	ds, err := s.flow.Decisions(ctx, a, id)
	if err != nil {
		return fmt.Errorf("decisions: %w", err)
	}
	if len(ds) > 0 {
		v.Decision, v.History = &ds[0], ds[1:]
	}
	rs, err := s.flow.PolicyRequests(ctx, a, id)
	if err != nil {
		return fmt.Errorf("policy requests: %w", err)
	}
	for _, req := range rs {
		row := requestRow{PolicyRequest: req,
			Pending: req.Kind == debrief.RequestLearning && !req.Approved()}
		if row.Pending {
			if err := s.flow.Policy().CheckApprover(a, req); err != nil {
				row.WhyNot = sentence(err)
			} else {
				row.CanApprove = true
			}
		}
		v.Requests = append(v.Requests, row)
	}
	if v.Alerts, err = s.flow.Alerts(ctx, a, id); err != nil {
		return fmt.Errorf("alerts: %w", err)
	}
	v.Chart = newAlertChart(&v.In.Incident, v.Alerts, s.now())
	v.AlertLinks = debrief.AlertLinks(v.Alerts, maxAlertBars)
	events, err := s.flow.IncidentEvents(ctx, a, id)
	if err != nil {
		return fmt.Errorf("incident events: %w", err)
	}
	if len(events) > maxIncidentEvents {
		v.MoreEvents = len(events) - maxIncidentEvents
		events = events[:maxIncidentEvents]
	}
	v.Events = events
	return nil
}

// handleDecide asks the policy about the incident now. Any reader may:
// the answer depends only on facts they can see.
func (s *Server) handleDecide(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	id := r.PathValue("id")
	if _, err := s.flow.Decide(r.Context(), a, id); err != nil {
		s.refuseOnIncident(w, r, id, "decide", "", err)
		return
	}
	http.Redirect(w, r, incidentURL(id)+"#policy", http.StatusSeeOther)
}

func (s *Server) handlePolicyRequest(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer) // the workflow decides per kind
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.serveError(w, r, debrief.Errorf(debrief.KindInvalid, "the form could not be read"))
		return
	}
	id := r.PathValue("id")
	kind := debrief.RequestKind(r.PostForm.Get("kind"))
	reason := r.PostForm.Get("reason")
	if kind != debrief.RequestWaiver && kind != debrief.RequestLearning {
		s.serveError(w, r, debrief.FieldErrorf("kind",
			"a request is a waiver or a learning request, not %q", kind))
		return
	}
	if _, _, err := s.flow.Request(r.Context(), a, id, kind, reason); err != nil {
		s.refuseOnIncident(w, r, id, string(kind), reason, err)
		return
	}
	http.Redirect(w, r, incidentURL(id)+"#policy", http.StatusSeeOther)
}

func (s *Server) handleApprove(w http.ResponseWriter, r *http.Request) {
	a, ok := s.require(w, r, debrief.AccessViewer)
	if !ok {
		return
	}
	id := r.PathValue("id")
	rid, err := strconv.ParseInt(r.PathValue("request"), 10, 64)
	if err != nil || rid <= 0 {
		s.notFound(w, r)
		return
	}
	// The policy, not the role, says who approves: the workflow refuses
	// everyone else, and the page shows its refusal.
	if _, _, err := s.flow.Approve(r.Context(), a, id, rid); err != nil {
		s.refuseOnIncident(w, r, id, "approve", "", err)
		return
	}
	http.Redirect(w, r, incidentURL(id)+"#requests", http.StatusSeeOther)
}

// refuseOnIncident shows the incident's page again with the workflow's
// refusal by the form that caused it. A missing incident, or one the actor
// may not read, is the plain error page, and so is a server error.
func (s *Server) refuseOnIncident(
	w http.ResponseWriter,
	r *http.Request,
	id, form, reason string,
	err error,
) {
	status := StatusCode(err)
	if status >= http.StatusInternalServerError || debrief.IsNotFound(err) {
		s.serveError(w, r, err)
		return
	}
	s.showIncident(w, r, status, id,
		&requestProblem{Form: form, Message: sentence(err), Reason: reason})
}
