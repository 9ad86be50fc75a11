package web

import (
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/slack"
	"github.com/debrief-oss/debrief/timeline"
	"github.com/debrief-oss/debrief/workflow"
)

// The timeline builder over the API: events read from pasted text, from
// the incident's alerts, given as events, or read from a Slack export sent
// as a zip, are added to a report's timeline (or only previewed with
// dry_run). Added events are never reordered: see workflow.AddTimelineEvents.

// maxSlackExport caps a Slack export sent to the API or the builder page.
const maxSlackExport = 64 << 20

// timelineImportRequest is the JSON body of a timeline import.
type timelineImportRequest struct {
	// Source is text, alerts or events.
	Source string `json:"source"`
	// Text is pasted text or a chat log: one event per line or bullet.
	Text string `json:"text,omitempty"`
	// Zone reads times without their own zone; the report's zone when empty.
	Zone   string                  `json:"zone,omitempty"`
	Events []debrief.TimelineEvent `json:"events,omitempty"`
	// DryRun reads and counts without saving.
	DryRun bool `json:"dry_run,omitempty"`
}

// timelineImportResult says what a timeline import read and did.
type timelineImportResult struct {
	// Events are the events added (or that a dry run would add), in the
	// source's order, with the flags adding gave them; events the timeline
	// had already are counted in Skipped.
	Events   []debrief.TimelineEvent `json:"events"`
	Problems []timeline.Problem      `json:"problems,omitempty"`
	Added    int                     `json:"added"`
	Skipped  int                     `json:"skipped"`
	Flagged  int                     `json:"flagged"`
	DryRun   bool                    `json:"dry_run,omitempty"`
	// Version is the report's version after the import.
	Version int `json:"version"`
}

func (s *Server) apiImportTimeline(w http.ResponseWriter, r *http.Request) {
	a, id := actorFrom(r.Context()), r.PathValue("id")
	p, err := s.flow.Get(r.Context(), a, id)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	res := &timelineImportResult{}
	base := p.Version
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "application/zip" {
		// The query says whether this is a dry run, so a missing If-Match
		// is refused before an export of many megabytes is read.
		res.DryRun, err = queryBool(r.URL.Query(), "dry_run")
		if err == nil && !res.DryRun {
			base, err = apiIfMatch(r)
		}
		if err == nil {
			res.Events, err = s.slackEvents(w, r, p)
		}
	} else {
		res.Events, res.Problems, res.DryRun, err = s.readTimelineRequest(w, r, p)
		if err == nil && !res.DryRun {
			base, err = apiIfMatch(r)
		}
	}
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	imp, err := s.flow.AddTimelineEvents(r.Context(), a, id, base, res.Events, res.DryRun)
	if err != nil {
		s.apiFail(w, r, err)
		return
	}
	res.Added, res.Skipped, res.Flagged = imp.Added, imp.Skipped, imp.Flagged
	res.Events = imp.Events
	if res.Events == nil {
		res.Events = []debrief.TimelineEvent{}
	}
	res.Version = imp.Postmortem.Version
	w.Header().Set("ETag", versionETag(res.Version))
	s.apiJSON(w, r, http.StatusOK, res)
}

// readTimelineRequest reads a JSON timeline import into events.
func (s *Server) readTimelineRequest(
	w http.ResponseWriter,
	r *http.Request,
	p *debrief.Postmortem,
) ([]debrief.TimelineEvent, []timeline.Problem, bool, error) {
	var in timelineImportRequest
	if err := apiReadJSON(w, r, &in); err != nil {
		return nil, nil, false, err
	}
	switch in.Source {
	case "text":
		events, problems, err := workflow.TextEvents(p, in.Text, in.Zone)
		return events, problems, in.DryRun, err
	case "alerts":
		events, err := s.flow.AlertTimeline(r.Context(), actorFrom(r.Context()), p.ID)
		return events, nil, in.DryRun, err
	case "events":
		for i := range in.Events {
			e := &in.Events[i]
			if e.Source == "" {
				e.Source = "api"
			}
			if e.Time.IsZero() && e.Flag == "" {
				// Given without a moment: kept as written, and flagged
				// for the writer rather than placed by a guess.
				e.Flag = debrief.FlagUnparsed
			}
		}
		return in.Events, nil, in.DryRun, nil
	}
	return nil, nil, false, debrief.FieldErrorf("source",
		"source %q is not text, alerts or events (send a Slack export as "+
			"application/zip)", in.Source)
}

// slackEvents reads a Slack export sent as a zip body, with the channel,
// window and naming in the query.
func (s *Server) slackEvents(
	w http.ResponseWriter,
	r *http.Request,
	p *debrief.Postmortem,
) ([]debrief.TimelineEvent, error) {
	q := r.URL.Query()
	o, err := slackOptions(q, p)
	if err != nil {
		return nil, err
	}
	ex, cleanup, err := openUploadedExport(http.MaxBytesReader(w, r.Body, maxSlackExport))
	if err != nil {
		return nil, err
	}
	defer cleanup()
	return timeline.FromSlack(ex, o)
}

// slackOptions reads which part of a Slack export to take: channel (required),
// from and to (RFC 3339), people (name or role).
func slackOptions(q url.Values, p *debrief.Postmortem) (timeline.SlackOptions, error) {
	o := timeline.SlackOptions{Channel: strings.TrimSpace(q.Get("channel")),
		People: q.Get("people")}
	if o.Channel == "" {
		return o, debrief.FieldErrorf("channel", "name the Slack channel to read")
	}
	switch o.People {
	case "":
		o.People = "name"
	case "name", "role":
	default:
		return o, debrief.FieldErrorf("people", "people %q is not name or role", o.People)
	}
	for _, b := range []struct {
		name string
		to   *time.Time
	}{{"from", &o.From}, {"to", &o.To}} {
		v := q.Get(b.name)
		if v == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return o, debrief.FieldErrorf(b.name,
				"%s %q is not an RFC 3339 time such as 2026-03-07T14:00:00Z", b.name, v)
		}
		*b.to = t
	}
	o.Roles = workflow.TeamRoles(p)
	return o, nil
}

// openUploadedExport saves an uploaded zip to a temporary file, which a zip
// reader needs, and opens it as a Slack export. cleanup closes the export
// and removes the file.
func openUploadedExport(body io.Reader) (*slack.Export, func(), error) {
	f, err := os.CreateTemp("", "debrief-slack-*.zip")
	if err != nil {
		return nil, nil, err
	}
	cleanup := func() { _ = os.Remove(f.Name()) }
	if _, err := io.Copy(f, body); err != nil {
		_ = f.Close()
		cleanup()
		return nil, nil, err
	}
	if err := f.Close(); err != nil {
		cleanup()
		return nil, nil, err
	}
	ex, err := slack.Open(f.Name())
	if err != nil {
		cleanup()
		return nil, nil, debrief.Errorf(debrief.KindInvalid, "the Slack export cannot be "+
			"read: %s", strings.ReplaceAll(debrief.ErrorMessage(err), f.Name(), "export.zip"))
	}
	return ex, func() { _ = ex.Close(); cleanup() }, nil
}

// queryBool reads a true/false query parameter; absent is false.
func queryBool(q url.Values, name string) (bool, error) {
	v := q.Get(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, debrief.FieldErrorf(name, "%s %q is not true or false", name, v)
	}
	return b, nil
}
