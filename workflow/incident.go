package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	"github.com/debrief-oss/debrief"
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
	return s.store.Incident(ctx, in.ID)
}

// ReplaceIncident saves a whole new content for the incident with in.ID,
// which must exist. The incident is the header of the report about it, so
// when there is one the change is an edit of that report: refused when the
// report is archived, or final and the actor no facilitator, and kept in
// the report's revisions like any other edit.
func (s *Service) ReplaceIncident(
	ctx context.Context,
	a debrief.Actor,
	in *debrief.Incident,
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
		err = s.replaceHeader(ctx, a, cur.PostmortemID, in)
	}
	if err != nil {
		return nil, err
	}
	return s.store.Incident(ctx, in.ID)
}

// replaceHeader saves in as the header of the report, again on the newer
// version when another save landed between reading and writing it.
func (s *Service) replaceHeader(
	ctx context.Context,
	a debrief.Actor,
	reportID string,
	in *debrief.Incident,
) error {
	for range saveRetries {
		p, err := s.visible(ctx, a, reportID)
		if err != nil {
			return err
		}
		if err := debrief.CheckEdit(a, p); err != nil {
			return err
		}
		p.Incident = *in
		p.UpdatedBy = a.Name
		err = s.store.SavePostmortem(ctx, p)
		if !errors.Is(err, debrief.ErrStaleVersion) {
			return err
		}
	}
	return debrief.Errorf(debrief.KindConflict,
		"report %s is being changed by others right now; try again", reportID)
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
	base := strings.TrimSuffix("inc-"+day.UTC().Format("2006-01-02")+"-"+Slug(in.Title), "-")
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
