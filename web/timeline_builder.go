package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/slack"
	"github.com/debrief-oss/debrief/timeline"
	"github.com/debrief-oss/debrief/workflow"
)

// The timeline builder adds events from elsewhere to a report's timeline
// in two steps. The first reads the source and shows a preview: the events
// that would be added, in the order they happened, with their flags, the
// lines that could not be read, and how many the timeline has already. The
// second adds them at the version the preview was made from. Pasted text
// and the incident's alerts are read again for the second step, so the
// form carries only the text; an uploaded Slack export is not sent twice:
// the events read from it travel in the form, one hidden field each.

func (s *Server) timelineBuilderRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /postmortems/{id}/timeline/import", s.handleImportForm)
	mux.HandleFunc("POST /postmortems/{id}/timeline/import", s.handleImportPreview)
	mux.HandleFunc("POST /postmortems/{id}/timeline/import/add", s.handleImportAdd)
}

// importURL is the timeline builder of a report.
func importURL(id string) string { return reportURL(id) + "/timeline/import" }

// The sources the builder reads.
const (
	sourceText   = "text"
	sourceSlack  = "slack"
	sourceAlerts = "alerts"
)

// importView is the builder's page: its three forms, and a preview once a
// source was read.
type importView struct {
	layout
	P *debrief.Postmortem
	// Text, Zone and the Slack fields keep what was typed.
	Text  string
	Zone  string
	Slack slackForm
	// ReportZone is the zone the Slack window is read in: the report's.
	ReportZone string
	// Source is the form the page answers, for the preview and errors.
	Source string
	// Errs are problems by input name; Message one for the whole form.
	Errs    map[string]string
	Message string
	Preview *importPreview
}

// slackForm is the Slack export form as the person filled it in.
type slackForm struct {
	Channel, From, To, People string
	Threads, Bots             bool
}

// importPreview is what adding the source's events would do.
type importPreview struct {
	Source string
	// Base is the version the preview was made from; adding refuses to
	// add to a report changed since.
	Base int
	// Rows are the events that would be added, in time order.
	Rows     []timelineRow
	Problems []timeline.Problem
	// Read counts the events read, Duplicates those the timeline has
	// already, Flagged the new ones whose time is doubtful.
	Read, Duplicates, Flagged int
	// Carried are the events as JSON, for the add form of a source that
	// is not read again (a Slack upload).
	Carried []string
}

// ActionURL is where the forms are sent.
func (v importView) ActionURL() string { return importURL(v.P.ID) }

// AddURL is where the preview's events are added.
func (v importView) AddURL() string { return importURL(v.P.ID) + "/add" }

// ReportURL is the report being added to.
func (v importView) ReportURL() string { return reportURL(v.P.ID) }

// Err returns the problem with an input, if any.
func (v importView) Err(name string) string { return v.Errs[name] }

// importInput is one input of the Slack form, with its value and problem.
type importInput struct {
	Name, Label, Kind, Help, Value, Err string
}

// SlackField describes an input of the Slack form for the template.
func (v importView) SlackField(name, label, kind, help string) importInput {
	in := importInput{Name: name, Label: label, Kind: kind, Help: help}
	switch name {
	case "channel":
		in.Value = v.Slack.Channel
	case "from":
		in.Value = v.Slack.From
	case "to":
		in.Value = v.Slack.To
	}
	if v.Source == sourceSlack {
		in.Err = v.Errs[name]
	}
	return in
}

// HasIncident reports whether the report names an incident whose alerts
// may be read.
func (v importView) HasIncident() bool { return v.P.Incident.ID != "" }

func (s *Server) handleImportForm(w http.ResponseWriter, r *http.Request) {
	p, ok := s.editableReport(w, r)
	if !ok {
		return
	}
	s.renderImport(w, r, http.StatusOK, s.newImportView(r, p))
}

// editableReport reads the report of the path and checks that the actor
// may add to it; otherwise it answers the request.
func (s *Server) editableReport(
	w http.ResponseWriter,
	r *http.Request,
) (*debrief.Postmortem, bool) {
	a, ok := s.require(w, r, debrief.AccessContributor)
	if !ok {
		return nil, false
	}
	p, err := s.flow.Get(r.Context(), a, r.PathValue("id"))
	if err != nil {
		s.serveError(w, r, err)
		return nil, false
	}
	// Offering forms whose result is bound to be refused would waste the
	// person's time; say why now instead.
	if err := debrief.CheckEdit(a, p); err != nil {
		s.serveError(w, r, err)
		return nil, false
	}
	return p, true
}

func (s *Server) newImportView(r *http.Request, p *debrief.Postmortem) importView {
	_, zone := reportZone(p.TimeZone)
	return importView{
		layout: s.layout(r, "Add events to the timeline · "+reportTitle(p)),
		P:      p, Zone: zone, ReportZone: zone,
		Slack: slackForm{People: "name", Threads: true, Bots: true},
		Errs:  map[string]string{},
	}
}

func (s *Server) renderImport(w http.ResponseWriter, r *http.Request, status int, v importView) {
	if len(v.Errs) > 0 || v.Message != "" {
		v.Title = "Error: " + v.Title
	}
	s.render(w, r, status, "timeline_import", v)
}

// handleImportPreview reads the chosen source and shows what adding it
// would do. Nothing is saved.
func (s *Server) handleImportPreview(w http.ResponseWriter, r *http.Request) {
	p, ok := s.editableReport(w, r)
	if !ok {
		return
	}
	v := s.newImportView(r, p)
	events, problems, err := s.readImportSource(w, r, p, &v, false)
	if err != nil {
		s.refuseImport(w, r, v, err)
		return
	}
	v.Preview = previewImport(p, v.Source, events, problems)
	s.renderImport(w, r, http.StatusOK, v)
}

// previewImport works out which events adding would add, as the workflow
// will: the same merge, so the preview says what adding does.
func previewImport(
	p *debrief.Postmortem,
	source string,
	events []debrief.TimelineEvent,
	problems []timeline.Problem,
) *importPreview {
	merged, skipped := timeline.Merge(p.Timeline, events)
	added := merged[len(p.Timeline):]
	pv := &importPreview{Source: source, Base: p.Version, Rows: timelineRows(added),
		Problems: problems, Read: len(events), Duplicates: skipped}
	for _, e := range added {
		if e.Flag != "" {
			pv.Flagged++
		}
	}
	if source == sourceSlack {
		for _, e := range events {
			b, err := json.Marshal(e)
			if err == nil {
				pv.Carried = append(pv.Carried, string(b))
			}
		}
	}
	return pv
}

// handleImportAdd adds the previewed events at the preview's version.
func (s *Server) handleImportAdd(w http.ResponseWriter, r *http.Request) {
	p, ok := s.editableReport(w, r)
	if !ok {
		return
	}
	v := s.newImportView(r, p)
	events, problems, err := s.readImportSource(w, r, p, &v, true)
	if err != nil {
		s.refuseImport(w, r, v, err)
		return
	}
	base, err := strconv.Atoi(strings.TrimSpace(r.PostForm.Get("base")))
	if err != nil || base < 0 {
		s.serveError(w, r, debrief.FieldErrorf("base", "the form does not say which "+
			"version of the report it was previewed with; preview the events again"))
		return
	}
	_, err = s.flow.AddTimelineEvents(r.Context(), actorFrom(r.Context()), p.ID, base,
		events, false)
	var conflict *workflow.ConflictError
	switch {
	case errors.As(err, &conflict):
		s.importConflict(w, r, conflict, events)
	case err != nil:
		v.Preview = previewImport(p, v.Source, events, problems)
		s.refuseImport(w, r, v, err)
	default:
		http.Redirect(w, r, reportURL(p.ID)+"#timeline", http.StatusSeeOther)
	}
}

// readImportSource reads the events of the form's source. For the second
// step (carried) a Slack source is read from the events the preview put
// in the form rather than from an upload.
func (s *Server) readImportSource(
	w http.ResponseWriter,
	r *http.Request,
	p *debrief.Postmortem,
	v *importView,
	carried bool,
) ([]debrief.TimelineEvent, []timeline.Problem, error) {
	// The session's CSRF check has read the form already, unless the token
	// came in a header.
	if err := parseFormBody(w, r); err != nil {
		return nil, nil, debrief.Errorf(debrief.KindInvalid, "the form could not be read")
	}
	v.Source = r.PostForm.Get("source")
	switch v.Source {
	case sourceText:
		v.Text, v.Zone = r.PostForm.Get("text"), strings.TrimSpace(r.PostForm.Get("zone"))
		return workflow.TextEvents(p, v.Text, v.Zone)
	case sourceAlerts:
		events, err := s.flow.AlertTimeline(r.Context(), actorFrom(r.Context()), p.ID)
		if err == nil && len(events) == 0 {
			err = debrief.Errorf(debrief.KindInvalid, "the incident has no alert events")
		}
		return events, nil, err
	case sourceSlack:
		if carried {
			events, err := carriedEvents(r.PostForm["event"])
			return events, nil, err
		}
		events, err := s.slackUpload(r, p, v)
		return events, nil, err
	}
	return nil, nil, debrief.FieldErrorf("source",
		"the form names no source: paste text, upload a Slack export or use the alerts")
}

// carriedEvents reads the events the preview put in the form.
func carriedEvents(fields []string) ([]debrief.TimelineEvent, error) {
	if len(fields) > debrief.MaxListLen {
		return nil, debrief.Errorf(debrief.KindInvalid, "the form carries %d events; at "+
			"most %d can be added at once: choose a narrower time window", len(fields),
			debrief.MaxListLen)
	}
	events := make([]debrief.TimelineEvent, 0, len(fields))
	for i, f := range fields {
		var e debrief.TimelineEvent
		if err := json.Unmarshal([]byte(f), &e); err != nil {
			return nil, debrief.Errorf(debrief.KindInvalid, "event %d of the form cannot "+
				"be read; preview the export again", i+1)
		}
		events = append(events, e)
	}
	if len(events) == 0 {
		return nil, debrief.Errorf(debrief.KindInvalid, "the form carries no events; "+
			"preview the export again")
	}
	return events, nil
}

// slackUpload reads the uploaded export with the form's channel, window
// and naming. The upload is read in place: the request's multipart form
// holds it (in memory, or in a temporary file the server removes after
// the request), and a zip reader needs only random access to it.
func (s *Server) slackUpload(
	r *http.Request,
	p *debrief.Postmortem,
	v *importView,
) ([]debrief.TimelineEvent, error) {
	f := r.PostForm
	v.Slack = slackForm{Channel: strings.TrimSpace(f.Get("channel")), From: f.Get("from"),
		To: f.Get("to"), People: f.Get("people"), Threads: f.Get("threads") != "",
		Bots: f.Get("bots") != ""}
	o, err := slackFormOptions(v.Slack, p)
	if err != nil {
		return nil, err
	}
	file, size, err := uploadedFile(r, "export")
	if err != nil {
		return nil, err
	}
	defer file.Close()

	ex, err := slack.ReadZip(file, size)
	if err != nil {
		return nil, debrief.FieldErrorf("export", "the Slack export cannot be read: %s",
			debrief.ErrorMessage(err))
	}
	defer ex.Close()
	return timeline.FromSlack(ex, o)
}

// slackFormOptions reads the Slack form: a channel, a window in the
// report's zone, people by name or by their role in the report's team
// (workflow.TeamRoles: a Slack name that matches a team member's name
// shows as that member's role; others keep their name).
func slackFormOptions(sf slackForm, p *debrief.Postmortem) (timeline.SlackOptions, error) {
	o := timeline.SlackOptions{Channel: sf.Channel, People: sf.People,
		ExcludeThreads: !sf.Threads, ExcludeBots: !sf.Bots}
	if o.Channel == "" {
		return o, debrief.FieldErrorf("channel", "name the Slack channel to read, such as "+
			"incident-4411")
	}
	switch o.People {
	case "name":
	case "role":
		o.Roles = workflow.TeamRoles(p)
	default:
		return o, debrief.FieldErrorf("people", "show people by name or by role")
	}
	loc, zone := reportZone(p.TimeZone)
	for _, b := range []struct {
		name, value string
		to          *time.Time
	}{{"from", sf.From, &o.From}, {"to", sf.To, &o.To}} {
		if strings.TrimSpace(b.value) == "" {
			continue
		}
		t, ok := parseLocal(b.value, loc)
		if !ok {
			return o, debrief.FieldErrorf(b.name, "%q is not a date and time; write it "+
				"like 2026-03-07 14:05 (%s)", b.value, zone)
		}
		*b.to = t
	}
	if !o.From.IsZero() && !o.To.IsZero() && !o.To.After(o.From) {
		return o, debrief.FieldErrorf("to", "the window ends before it begins")
	}
	return o, nil
}

// uploadedFile returns the form's file of the name and its size.
func uploadedFile(r *http.Request, name string) (multipart.File, int64, error) {
	if r.MultipartForm == nil {
		return nil, 0, debrief.FieldErrorf(name, "choose the export's zip file to upload")
	}
	fhs := r.MultipartForm.File[name]
	if len(fhs) == 0 || fhs[0].Size == 0 {
		return nil, 0, debrief.FieldErrorf(name, "choose the export's zip file to upload")
	}
	file, err := fhs[0].Open()
	if err != nil {
		return nil, 0, fmt.Errorf("open upload: %w", err)
	}
	return file, fhs[0].Size, nil
}

// refuseImport shows the builder again with the problem by its input.
func (s *Server) refuseImport(w http.ResponseWriter, r *http.Request, v importView, err error) {
	status := StatusCode(err)
	if status >= http.StatusInternalServerError {
		s.serveError(w, r, err)
		return
	}
	msg := sentence(err)
	switch field := debrief.ErrorField(err); field {
	case "text", "zone", "channel", "from", "to", "people", "export":
		v.Errs[field] = msg
	default:
		v.Message = msg
	}
	s.renderImport(w, r, status, v)
}

// importConflict answers an add refused because the report changed since
// the preview: the conflict page, with the timeline editor holding the
// report's timeline as it is now plus the new events, ready to be saved.
func (s *Server) importConflict(
	w http.ResponseWriter,
	r *http.Request,
	c *workflow.ConflictError,
	events []debrief.TimelineEvent,
) {
	merged, _ := timeline.Merge(c.Current.Timeline, events)
	next := *c.Current
	next.Timeline = merged
	f := s.newFormFor(r, timelineSpec, &next)
	f.Version = c.Current.Version
	timelineSpec.fill(f, &next)
	f.addBlanks()
	s.renderConflict(w, r, c, f)
}
