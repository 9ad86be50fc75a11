package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/policy"
)

// Incidents are recorded before anyone writes about them: a viewer may read
// them, a contributor records and corrects them. An incident with a report
// is that report's header, so it is hidden with the report from whoever
// may not read it (see debrief.(*Postmortem).VisibleTo): not found alone,
// left out of lists.

// Incident returns the incident with the ID and the report about it, if any.
func (s *Service) Incident(
	ctx context.Context,
	a debrief.Actor,
	id string,
) (*debrief.IncidentSummary, error) {
	if err := allow(a, debrief.AccessViewer, "reading incidents"); err != nil {
		return nil, err
	}
	in, err := s.store.Incident(ctx, id)
	if err != nil || in.PostmortemID == "" {
		return in, err
	}
	if _, err := s.visible(ctx, a, in.PostmortemID); debrief.IsNotFound(err) {
		return nil, debrief.Errorf(debrief.KindNotFound, "incident %s not found", id)
	} else if err != nil {
		return nil, err
	}
	return in, nil
}

// Incidents lists the incidents matching the filter, newest start first,
// and how many match in all.
func (s *Service) Incidents(
	ctx context.Context,
	a debrief.Actor,
	f debrief.IncidentFilter,
) ([]debrief.IncidentSummary, int, error) {
	if err := allow(a, debrief.AccessViewer, "reading incidents"); err != nil {
		return nil, 0, err
	}
	f.Reader = &a
	return s.store.Incidents(ctx, f)
}

// CreateIncident records a new incident. An empty ID is made from the start
// date (or today) and the title; an ID already taken is KindConflict. An
// incident without a status is open. It returns the incident as stored.
func (s *Service) CreateIncident(
	ctx context.Context,
	a debrief.Actor,
	in *debrief.Incident,
) (*debrief.IncidentSummary, error) {
	if err := checkIncident(a, in); err != nil {
		return nil, err
	}
	if in.ID == "" {
		id, err := s.newIncidentID(ctx, in)
		if err != nil {
			return nil, err
		}
		in.ID = id
	} else if err := debrief.ValidateID("id", in.ID); err != nil {
		return nil, err
	} else if taken, err := s.incidentExists(ctx, in.ID); err != nil {
		return nil, err
	} else if taken {
		return nil, debrief.Errorf(debrief.KindConflict,
			"an incident with id %q already exists: change that one instead", in.ID)
	}
	if err := s.store.SaveIncident(ctx, in); err != nil {
		return nil, err
	}
	s.logger.LogAttrs(ctx, slog.LevelInfo, "incident recorded",
		slog.String("incident_id", in.ID), slog.Int64("user_id", a.UserID))
	if _, err := s.decide(ctx, in.ID, "changed"); err != nil {
		return nil, err
	}
	return s.store.Incident(ctx, in.ID)
}

// ErrVersionNeeded is the cause of the error ReplaceIncident returns when
// the incident has a report and the caller did not say which version of
// it they read: the incident is that report's header, and changing it
// blind could undo someone's edit of it.
var ErrVersionNeeded = errors.New("report version needed")

// ReplaceIncident replaces a recorded incident. An incident that a report
// is about is that report's header: replacing it is an edit of the report,
// under the report's rules, and base must be the report's version the
// caller read (a *ConflictError when it is stale; ErrVersionNeeded when it
// is 0). Replacing it with what it already says changes nothing.
func (s *Service) ReplaceIncident(
	ctx context.Context,
	a debrief.Actor,
	in *debrief.Incident,
	base int,
) (*debrief.IncidentSummary, error) {
	if err := checkIncident(a, in); err != nil {
		return nil, err
	}
	cur, err := s.Incident(ctx, a, in.ID)
	if err != nil {
		return nil, err
	}
	if cur.PostmortemID == "" {
		err = s.store.SaveIncident(ctx, in)
	} else {
		err = s.replaceHeader(ctx, a, cur.PostmortemID, in, base)
	}
	if err != nil {
		return nil, err
	}
	if policy.FactsChanged(&cur.Incident, in) {
		if _, err := s.decide(ctx, in.ID, "changed"); err != nil {
			return nil, err
		}
	}
	return s.store.Incident(ctx, in.ID)
}

// replaceHeader saves in as the header of the report at version base.
func (s *Service) replaceHeader(
	ctx context.Context,
	a debrief.Actor,
	reportID string,
	in *debrief.Incident,
	base int,
) error {
	p, err := s.visible(ctx, a, reportID)
	if err != nil {
		return err
	}
	if err := debrief.CheckEdit(a, p); err != nil {
		return err
	}
	if base == 0 {
		return &debrief.Error{Kind: debrief.KindInvalid, Field: "If-Match",
			Message: fmt.Sprintf("incident %s is the header of report %s: say which "+
				"version of the report you read (it is at version %d)", in.ID, reportID,
				p.Version),
			Err: ErrVersionNeeded}
	}
	if p.Version != base {
		return s.conflict(ctx, p, base)
	}
	if sameIncident(p.Incident, *in) {
		return nil
	}
	p.Incident = *in
	p.UpdatedBy = a.Name
	if err := s.store.SavePostmortem(ctx, p); err != nil {
		if errors.Is(err, debrief.ErrStaleVersion) {
			return s.conflictNow(ctx, a, reportID, base)
		}
		return err
	}
	s.settleDeadlines(ctx, p)
	return nil
}

// sameIncident reports whether a and b say the same, whatever zone their
// moments are written in.
func sameIncident(a, b debrief.Incident) bool {
	for _, in := range []*debrief.Incident{&a, &b} {
		in.Compact()
		for _, t := range in.Moments() {
			*t = t.UTC()
		}
	}
	return reflect.DeepEqual(a, b)
}

// checkNewIncident refuses a new report about an incident that already has
// one, for saving it would overwrite the other report's header. When the
// actor may not read that report, the refusal does not name it.
func (s *Service) checkNewIncident(ctx context.Context, a debrief.Actor, id string) error {
	if id == "" {
		return nil
	}
	in, err := s.store.Incident(ctx, id)
	if debrief.IsNotFound(err) {
		return nil
	}
	if err != nil || in.PostmortemID == "" {
		return err
	}
	msg := fmt.Sprintf("incident %s already has report %s", id, in.PostmortemID)
	if _, err := s.visible(ctx, a, in.PostmortemID); debrief.IsNotFound(err) {
		msg = fmt.Sprintf("incident id %q is taken by another report", id)
	} else if err != nil {
		return err
	}
	return &debrief.Error{Kind: debrief.KindConflict, Field: "incident.id",
		Message: msg + ": leave the incident's id empty to record a new incident"}
}

// checkIncident checks that the actor may record incidents and that in is
// one worth keeping, opening it when it has no status and putting its
// severity on the ladder ("critical" is stored as P1).
func checkIncident(a debrief.Actor, in *debrief.Incident) error {
	if err := allow(a, debrief.AccessContributor, "recording incidents"); err != nil {
		return err
	}
	if strings.TrimSpace(in.Title) == "" {
		return debrief.FieldErrorf("title", "an incident needs a title")
	}
	if in.Status == "" {
		in.Status = debrief.IncidentOpen
	}
	sev, err := debrief.NormalizeSeverity("severity", in.Severity)
	if err != nil {
		return err
	}
	in.Severity = sev
	return in.Validate()
}

// allow refuses an actor whose role is below need: unauthorized when no one
// signed in, forbidden otherwise, naming what was tried and the role it needs.
func allow(a debrief.Actor, need debrief.AccessRole, what string) error {
	if !a.Role.Valid() {
		return debrief.Errorf(debrief.KindUnauthorized, "sign in before %s", what)
	}
	if !a.Can(need) {
		return debrief.Errorf(debrief.KindForbidden, "%s needs the %s role", what, need)
	}
	return nil
}

// newIncidentID makes an unused ID from the start date (or today) and the
// title: "inc-2026-03-07-checkout-502s", with a number added when taken.
func (s *Service) newIncidentID(ctx context.Context, in *debrief.Incident) (string, error) {
	day := in.StartedAt
	if day.IsZero() {
		day = s.now()
	}
	base := strings.TrimSuffix("inc-"+day.UTC().Format("2006-01-02")+"-"+debrief.Slug(in.Title), "-")
	return unusedID(ctx, base, s.incidentExists)
}

// incidentExists reports whether an incident has the ID.
func (s *Service) incidentExists(ctx context.Context, id string) (bool, error) {
	_, err := s.store.Incident(ctx, id)
	if debrief.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}
