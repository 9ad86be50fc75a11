// Package workflow is how people change postmortems: it creates reports,
// applies edits section by section without losing anyone's work, moves
// reports through their lifecycle, and compares revisions. Every method
// takes the debrief.Actor asking and enforces what that actor's role allows,
// so the web pages and the API cannot disagree about the rules.
package workflow

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/policy"
	"github.com/debrief-oss/debrief/timeline"
)

// Store is what the workflow needs of storage.
type Store interface {
	debrief.PostmortemStore
	debrief.RevisionStore
	debrief.IncidentStore
	debrief.AlertStore
	debrief.PolicyStore
	debrief.LintOverrideStore
	debrief.ActionStore
	ActionNumberStore
}

// Service applies people's changes to reports.
type Service struct {
	store  Store
	policy *policy.Policy
	now    func() time.Time
	logger *slog.Logger
	checks checkSettings // the blameless checker's roster and config (lint.go)
	teams  []debrief.Team
	// afterMove, when set, follows every stored move of an action item
	// (the tracker sync pushes it to the item's ticket).
	afterMove func(ctx context.Context, ref debrief.ActionRef, item *debrief.ActionItem)
}

// Option configures a Service.
type Option func(*Service)

// WithLogger logs lifecycle events (a report created, moved, deleted) at
// Info, by IDs only: no titles or report text.
func WithLogger(l *slog.Logger) Option {
	return func(s *Service) {
		if l != nil {
			s.logger = l
		}
	}
}

// WithPolicy sets the trigger policy, which decides which incidents need a
// postmortem and when each step is due. The default is policy.Default().
func WithPolicy(p *policy.Policy) Option {
	return func(s *Service) {
		if p != nil {
			s.policy = p
		}
	}
}

// WithClock sets the clock that stamps decisions and deadlines. It is for
// tests; the default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(s *Service) {
		if now != nil {
			s.now = now
		}
	}
}

// New returns a Service over the store.
func New(store Store, opts ...Option) *Service {
	s := &Service{store: store, policy: policy.Default(), now: time.Now,
		logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// logEvent records a lifecycle event of a report.
func (s *Service) logEvent(
	ctx context.Context,
	msg string,
	a debrief.Actor,
	id string,
	attrs ...slog.Attr,
) {
	s.logger.LogAttrs(ctx, slog.LevelInfo, msg, append([]slog.Attr{
		slog.String("postmortem_id", id), slog.Int64("user_id", a.UserID),
	}, attrs...)...)
}

// saveRetries is how often a section edit that raced another writer is
// tried again on the newer version before the conflict goes to the person.
const saveRetries = 3

// Get returns a report the actor may read. A report they may not read
// (see debrief.(*Postmortem).VisibleTo) is not found, as every method here
// that names a report says of it.
func (s *Service) Get(
	ctx context.Context,
	a debrief.Actor,
	id string,
) (*debrief.Postmortem, error) {
	return s.visible(ctx, a, id)
}

// visible returns the report as stored now when the actor may read it. One
// they may not is KindNotFound in the words of a report that does not
// exist, so that nobody learns that a restricted report is there.
func (s *Service) visible(
	ctx context.Context,
	a debrief.Actor,
	id string,
) (*debrief.Postmortem, error) {
	if err := canRead(a); err != nil {
		return nil, err
	}
	p, err := s.store.Postmortem(ctx, id)
	if err != nil {
		return nil, err
	}
	if !p.VisibleTo(a) {
		return nil, reportNotFound(id)
	}
	return p, nil
}

// reportNotFound is the error of a report that does not exist, or that the
// actor may not know of.
func reportNotFound(id string) error {
	return debrief.Errorf(debrief.KindNotFound, "report %s not found", id)
}

func canRead(a debrief.Actor) error {
	if !a.Can(debrief.AccessViewer) {
		return debrief.Errorf(debrief.KindUnauthorized, "sign in to read reports")
	}
	return nil
}

// Create stores a new report as a draft by the actor. An empty ID is made
// from the incident's start date (or today) and the title; an ID already
// taken, or one that names a page of the web app, is refused. Whatever
// status p has, a new report starts as a draft. A report a person writes
// has its severity put on the ladder and its timeline read and sorted (see
// settleTimeline); a document an import read is stored as it reads.
func (s *Service) Create(ctx context.Context, a debrief.Actor, p *debrief.Postmortem) error {
	if !a.Can(debrief.AccessContributor) {
		return debrief.Errorf(debrief.KindForbidden, "writing a report needs the contributor role")
	}
	p.Status = debrief.StatusDraft
	if p.Visibility == "" {
		p.Visibility = debrief.VisibilityInternal
	}
	if strings.TrimSpace(p.Title) == "" {
		return debrief.FieldErrorf("title", "a new report needs a title")
	}
	if p.Source.Format == "" {
		p.Source.Format = "web"
	}
	if err := s.settleItems(ctx, p, nil, imported(p)); err != nil {
		return err
	}
	if err := prepare(p, nil, wholeReport, imported(p)); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		return err
	}
	madeID := p.ID == ""
	if madeID {
		id, err := s.newID(ctx, p)
		if err != nil {
			return err
		}
		p.ID = id
	} else if err := checkChosenID(p.ID); err != nil {
		return err
	} else if taken, err := s.store.PostmortemIDExists(ctx, p.ID); err != nil {
		return err
	} else if taken {
		return debrief.Errorf(debrief.KindConflict, "a report with id %q already exists", p.ID)
	}
	if err := s.checkNewIncident(ctx, a, p.Incident.ID); err != nil {
		return err
	}
	if p.Incident.Title == "" {
		p.Incident.Title = p.Title
	}
	p.UpdatedBy = a.Name
	if err := s.insert(ctx, p, madeID); err != nil {
		return err
	}
	s.settleDeadlines(ctx, p)
	s.logEvent(ctx, "report created", a, p.ID)
	return nil
}

// insert stores a new report. An ID made here may be taken between the
// check and the insert by another report made at the same moment (alert
// groups with one title resolving together); then another is made, and
// after saveRetries such races one with a random ending, which no other
// writer is after.
func (s *Service) insert(ctx context.Context, p *debrief.Postmortem, madeID bool) error {
	for attempt := 1; ; attempt++ {
		p.Version, p.CreatedAt, p.UpdatedAt = 0, time.Time{}, time.Time{}
		err := s.store.SavePostmortem(ctx, p)
		if !madeID || attempt > saveRetries || !errors.Is(err, debrief.ErrStaleVersion) {
			return err
		}
		if p.ID, err = s.newID(ctx, p); err != nil {
			return err
		}
		if attempt == saveRetries {
			p.ID = randomSuffix(p.ID)
		}
	}
}

// reservedIDs are the words that follow /postmortems/ in the web app's own
// addresses: a report with such an id could never be opened.
var reservedIDs = []string{"new"}

// checkChosenID checks an id a person chose for a new report.
func checkChosenID(id string) error {
	if err := debrief.ValidateID("id", id); err != nil {
		return err
	}
	for _, word := range reservedIDs {
		if strings.EqualFold(id, word) {
			return debrief.FieldErrorf("id", "the id %q names the web app's page "+
				"/postmortems/%s: choose another id, or none to have one made from the title",
				id, word)
		}
	}
	return nil
}

// newID makes an unused ID from the date the incident started (today when
// that is not known) and the title: "Checkout 502s" becomes
// "2026-12-04-checkout-502s", with a number added when that is taken.
func (s *Service) newID(ctx context.Context, p *debrief.Postmortem) (string, error) {
	day := p.Incident.StartedAt
	if day.IsZero() {
		day = s.now()
	}
	base := strings.TrimSuffix(day.UTC().Format("2006-01-02")+"-"+debrief.Slug(p.Title), "-")
	return unusedID(ctx, base, s.store.PostmortemIDExists)
}

// unusedID returns base, or base with the first number from 2 that taken
// says is free. After 99 taken numbers a random suffix ends the search.
func unusedID(
	ctx context.Context,
	base string,
	taken func(ctx context.Context, id string) (bool, error),
) (string, error) {
	for n := 1; n < 100; n++ {
		id := base
		if n > 1 {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		used, err := taken(ctx, id)
		if err != nil || !used {
			return id, err
		}
	}
	return randomSuffix(base), nil
}

// randomSuffix ends id with eight random hex digits.
func randomSuffix(id string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return id + "-" + hex.EncodeToString(b[:])
}

// Replace saves a whole new content for the report. p.Version is the
// version the writer read; when the report changed since, the save is a
// *ConflictError. The status is not changed by a replace (see Transition).
// A content equal to the stored one saves nothing: p becomes the stored
// report, its version unchanged. On success p holds the report as stored.
func (s *Service) Replace(ctx context.Context, a debrief.Actor, p *debrief.Postmortem) error {
	cur, err := s.visible(ctx, a, p.ID)
	if err != nil {
		return err
	}
	if err := debrief.CheckEdit(a, cur); err != nil {
		return err
	}
	if cur.Version != p.Version {
		return s.conflict(ctx, cur, p.Version)
	}
	if err := s.settleItems(ctx, p, cur, imported(p)); err != nil {
		return err
	}
	if err := prepare(p, cur.Timeline, wholeReport, imported(p)); err != nil {
		return err
	}
	p.Status = cur.Status
	p.Source = cur.Source
	keepIncident(p, cur)
	keepVisibility(p, cur)
	if err := p.Validate(); err != nil {
		return err
	}
	if sameContent(cur, p) {
		*p = *cur
		return nil
	}
	p.UpdatedBy = a.Name
	if err := s.store.SavePostmortem(ctx, p); err != nil {
		if errors.Is(err, debrief.ErrStaleVersion) {
			return s.conflictNow(ctx, a, p.ID, p.Version)
		}
		return err
	}
	s.recordOwnerChanges(ctx, a, cur, p)
	s.afterSave(ctx, &cur.Incident, p)
	return nil
}

// keepIncident keeps the report's incident: its ID always, and all of it
// when a write leaves the incident out, so that a client saving a header
// without one does not wipe what alerts or people recorded.
func keepIncident(next, cur *debrief.Postmortem) {
	next.Incident.ID = ""
	if reflect.ValueOf(next.Incident).IsZero() {
		next.Incident = cur.Incident
	}
	next.Incident.ID = cur.Incident.ID
}

// afterSave follows a saved edit that may have changed the report's
// incident: the trigger policy is asked again when a fact it reads
// changed, and the deadlines are worked out again.
func (s *Service) afterSave(
	ctx context.Context,
	before *debrief.Incident,
	p *debrief.Postmortem,
) {
	if p.Incident.ID != "" && policy.FactsChanged(before, &p.Incident) {
		if _, err := s.decide(ctx, p.Incident.ID, "changed"); err != nil {
			s.logFollowUp(ctx, "policy not asked", p.Incident.ID, err)
		}
	}
	s.settleDeadlines(ctx, p)
}

// keepVisibility keeps the stored visibility when a write leaves it out: a
// client that does not know the field must not make a restricted report
// readable by everyone. Making a report internal takes saying so.
//
// A report imported without a visibility is internal already; a form that
// says "internal" of it changes nothing, and makes no revision.
func keepVisibility(next, cur *debrief.Postmortem) {
	switch {
	case next.Visibility == "":
		next.Visibility = cur.Visibility
	case next.Visibility == debrief.VisibilityInternal && cur.Visibility == "":
		next.Visibility = ""
	}
}

// sameContent reports whether a and b say the same, whoever saved them and
// when: what a no-op save is measured by.
func sameContent(a, b *debrief.Postmortem) bool {
	strip := func(p *debrief.Postmortem) ([]byte, error) {
		c := *p
		c.Version, c.CreatedAt, c.UpdatedAt, c.UpdatedBy = 0, time.Time{}, time.Time{}, ""
		return json.Marshal(&c)
	}
	ja, errA := strip(a)
	jb, errB := strip(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// EditSection replaces one section of the report with the same section of
// from. base is the version the person started editing from. When others
// saved since but left this section alone, the edit applies to the newer
// version: two people writing different sections do not conflict. When the
// section itself changed, the result is a *ConflictError listing what
// changed meanwhile, and nothing is saved. An edit that leaves the section
// as it is saves nothing and returns the stored report.
func (s *Service) EditSection(
	ctx context.Context,
	a debrief.Actor,
	id string,
	base int,
	sec Section,
	from *debrief.Postmortem,
) (*debrief.Postmortem, error) {
	for range saveRetries {
		cur, err := s.visible(ctx, a, id)
		if err != nil {
			return nil, err
		}
		if err := debrief.CheckEdit(a, cur); err != nil {
			return nil, err
		}
		if cur.Version != base {
			old, err := s.store.PostmortemRevision(ctx, id, base)
			if err != nil && !debrief.IsNotFound(err) {
				return nil, err
			}
			if old == nil || !sec.Equal(old, cur) {
				return nil, s.conflict(ctx, cur, base)
			}
		}
		next, err := editSection(cur, sec, from)
		if err != nil {
			return nil, err
		}
		if sec.Key == "action_items" {
			if err := s.settleItems(ctx, next, cur, false); err != nil {
				return nil, err
			}
		}
		if sec.Equal(cur, next) {
			return cur, nil
		}
		next.UpdatedBy = a.Name
		err = s.store.SavePostmortem(ctx, next)
		if errors.Is(err, debrief.ErrStaleVersion) {
			continue // another save landed between our read and write
		}
		if err != nil {
			return nil, err
		}
		s.recordOwnerChanges(ctx, a, cur, next)
		s.afterSave(ctx, &cur.Incident, next)
		return next, nil
	}
	return nil, s.conflictNow(ctx, a, id, base)
}

// editSection returns a copy of cur with the section taken from from, its
// rules applied and checked. Only the section is validated, so that an
// edit of the timeline is not refused for a link an import wrote long ago.
func editSection(cur *debrief.Postmortem, sec Section, from *debrief.Postmortem) (
	*debrief.Postmortem,
	error,
) {
	next := *cur
	sec.Copy(&next, from)
	if sec.Key == "header" {
		keepIncident(&next, cur)
		keepVisibility(&next, cur)
	}
	if err := prepare(&next, cur.Timeline, sec.Key, false); err != nil {
		return nil, err
	}
	// A title stands in for the header's, which the blank report lacks.
	blank := debrief.Postmortem{Title: "untitled", Status: debrief.StatusDraft}
	sec.Copy(&blank, &next)
	if err := blank.Validate(); err != nil {
		return nil, err
	}
	return &next, nil
}

// wholeReport is the part prepare applies to when a whole report is saved.
const wholeReport = ""

// prepare applies the rules of a write to part of p (a section's key, or
// wholeReport): empty lists are none, new action items get numbers,
// people's words for a severity go onto the ladder, moments are in UTC,
// and the timeline's written times are read and the events sorted (see
// settleTimeline; stored is the timeline saved before). A document an
// import read (fromImport) keeps its timeline as it reads, with the flags
// the import gave its doubtful times.
func prepare(
	p *debrief.Postmortem,
	stored []debrief.TimelineEvent,
	part string,
	fromImport bool,
) error {
	p.Compact()
	if (part == wholeReport || part == "action_items") && !fromImport {
		p.NumberActionItems()
	}
	if part == wholeReport || part == "header" {
		sev, err := debrief.NormalizeSeverity("incident.severity", p.Incident.Severity)
		if err != nil {
			return err
		}
		p.Incident.Severity = sev
		// Moments are kept in UTC, so one written with an offset is the
		// same content as the stored one.
		for _, t := range p.Incident.Moments() {
			*t = t.UTC()
		}
	}
	if part == wholeReport || part == "team" {
		p.Meeting.Date = p.Meeting.Date.UTC()
	}
	if (part == wholeReport || part == "timeline") && !fromImport {
		return settleTimeline(p, stored)
	}
	return nil
}

// imported reports whether p, a whole report being written, is a document
// an import read, as its source says; a person's write through the web app
// or the API never says so (DecodeReport drops a source a client sends).
// A section edit is always a person's.
func imported(p *debrief.Postmortem) bool {
	return p.Source.Format == "markdown" || p.Source.Format == "debrief-markdown"
}

// Transition moves the report to another lifecycle state. base is the
// version the actor saw; a report changed since is a *ConflictError, so
// nobody finalises text they have not read. A move to final is refused
// while the blameless checker finds errors in the report, unless a
// facilitator overrides them (OverrideErrors); the override is saved with
// the move.
func (s *Service) Transition(
	ctx context.Context,
	a debrief.Actor,
	id string,
	base int,
	to debrief.Status,
	opts ...TransitionOption,
) (*debrief.Postmortem, error) {
	var o transitionOptions
	for _, opt := range opts {
		opt(&o)
	}
	cur, err := s.visible(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if err := checkOverrider(a, o); err != nil {
		return nil, err
	}
	if err := debrief.CheckTransition(a, cur, to); err != nil {
		return nil, err
	}
	if cur.Version != base {
		return nil, s.conflict(ctx, cur, base)
	}
	override, err := s.overrideFor(ctx, a, cur, to, o)
	if err != nil {
		return nil, err
	}
	from := cur.Status
	cur.Status = to
	cur.UpdatedBy = a.Name
	if override != nil {
		err = s.store.SavePostmortemOverriding(ctx, cur, override)
	} else {
		err = s.store.SavePostmortem(ctx, cur)
	}
	if err != nil {
		if errors.Is(err, debrief.ErrStaleVersion) {
			return nil, s.conflictNow(ctx, a, id, base)
		}
		return nil, err
	}
	s.settleDeadlines(ctx, cur)
	s.logEvent(ctx, "report status changed", a, id,
		slog.String("from", string(from)), slog.String("to", string(to)),
		slog.Bool("override", override != nil))
	return cur, nil
}

// Delete removes a report for good; only an admin may. base is the version
// the admin saw: a report changed since is a *ConflictError, so nobody
// deletes what they have not read.
func (s *Service) Delete(ctx context.Context, a debrief.Actor, id string, base int) error {
	if !a.Can(debrief.AccessAdmin) {
		return debrief.Errorf(debrief.KindForbidden, "deleting a report needs the admin role")
	}
	cur, err := s.visible(ctx, a, id)
	if err != nil {
		return err
	}
	if cur.Version != base {
		return s.conflict(ctx, cur, base)
	}
	if err := s.store.DeletePostmortem(ctx, id); err != nil {
		return err
	}
	s.logEvent(ctx, "report deleted", a, id)
	return nil
}

// List returns the summaries of the reports the actor may read that match
// the filter, and how many match in all.
func (s *Service) List(
	ctx context.Context,
	a debrief.Actor,
	f debrief.PostmortemFilter,
) ([]debrief.PostmortemSummary, int, error) {
	if err := canRead(a); err != nil {
		return nil, 0, err
	}
	f.Reader = &a
	return s.store.Postmortems(ctx, f)
}

// Facets counts the reports the actor may read by the list's filters.
func (s *Service) Facets(ctx context.Context, a debrief.Actor) (*debrief.Facets, error) {
	if err := canRead(a); err != nil {
		return nil, err
	}
	return s.store.Facets(ctx, debrief.FacetFilter{Reader: &a})
}

// Search runs a full-text query over the reports the actor may read.
func (s *Service) Search(
	ctx context.Context,
	a debrief.Actor,
	q debrief.SearchQuery,
) (*debrief.SearchResult, error) {
	if err := canRead(a); err != nil {
		return nil, err
	}
	q.Reader = &a
	return s.store.Search(ctx, q)
}

// Revisions lists the report's saved versions, newest first.
func (s *Service) Revisions(
	ctx context.Context,
	a debrief.Actor,
	id string,
) ([]debrief.Revision, error) {
	if _, err := s.visible(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.Revisions(ctx, id)
}

// Revision returns the report as it was at the version.
func (s *Service) Revision(
	ctx context.Context,
	a debrief.Actor,
	id string,
	version int,
) (*debrief.Postmortem, error) {
	if _, err := s.visible(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.PostmortemRevision(ctx, id, version)
}

// Compare returns the differences between two versions of the report,
// section by section; sections that did not change are left out.
func (s *Service) Compare(
	ctx context.Context,
	a debrief.Actor,
	id string,
	from, to int,
) ([]SectionDiff, error) {
	if _, err := s.visible(ctx, a, id); err != nil {
		return nil, err
	}
	old, err := s.store.PostmortemRevision(ctx, id, from)
	if err != nil {
		return nil, err
	}
	cur, err := s.store.PostmortemRevision(ctx, id, to)
	if err != nil {
		return nil, err
	}
	return Diff(old, cur), nil
}

// CreateFromIncident starts a draft report about a recorded incident: its
// header is the incident, and its timeline is seeded with the incident's
// alert events, or its known moments when no alert reported it, so the
// team starts from facts instead of a blank page. An incident that already
// has a report is KindConflict. format is where the report was asked for,
// recorded as its Source.Format: "web", "api", or "policy".
func (s *Service) CreateFromIncident(
	ctx context.Context,
	a debrief.Actor,
	incidentID string,
	format string,
) (*debrief.Postmortem, error) {
	in, err := s.Incident(ctx, a, incidentID)
	if err != nil {
		return nil, err
	}
	if in.PostmortemID != "" {
		return nil, debrief.Errorf(debrief.KindConflict,
			"incident %s already has report %s", incidentID, in.PostmortemID)
	}
	seed := seedTimeline(&in.Incident)
	events, err := s.store.IncidentEvents(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	if len(events) > 0 {
		seed = timeline.FromAlerts(events)
	}
	links, err := s.alertLinks(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	p := &debrief.Postmortem{
		Title:    in.Title,
		Incident: in.Incident,
		Summary:  debrief.Summary{Category: in.Category},
		Timeline: seed,
		Links:    links,
		Source:   debrief.Source{Format: format},
	}
	if err := s.Create(ctx, a, p); err != nil {
		return nil, err
	}
	return p, nil
}

// maxAlertLinks is how many of its alerts' links a new report lists.
const maxAlertLinks = 20

// alertLinks are the links to the incident's alerts in their tools, for a
// new report's links.
func (s *Service) alertLinks(ctx context.Context, incidentID string) ([]debrief.Link, error) {
	alerts, err := s.store.Alerts(ctx, incidentID)
	if err != nil {
		return nil, err
	}
	return debrief.AlertLinks(alerts, maxAlertLinks), nil
}

// seedTimeline turns the incident's known moments into timeline events.
func seedTimeline(in *debrief.Incident) []debrief.TimelineEvent {
	moments := []struct {
		at   time.Time
		kind debrief.EventKind
		text string
	}{
		{in.StartedAt, debrief.EventOther, "Incident started"},
		{in.DetectedAt, debrief.EventDetection, "Incident detected"},
		{in.AcknowledgedAt, debrief.EventEscalation, "Incident acknowledged"},
		{in.MitigatedAt, debrief.EventMitigation, "Impact mitigated"},
		{in.ResolvedAt, debrief.EventResolution, "Incident resolved"},
	}
	var events []debrief.TimelineEvent
	for _, m := range moments {
		if m.at.IsZero() {
			continue
		}
		events = append(events, debrief.TimelineEvent{
			Time:     m.at.UTC(),
			TimeText: m.at.UTC().Format("2006-01-02 15:04 UTC"),
			Text:     m.text,
			Kind:     m.kind,
			Source:   "incident",
		})
	}
	return events
}
