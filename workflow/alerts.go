package workflow

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/alerting"
)

// Alerts reach debrief as webhook payloads. Each is stored exactly as it
// came before anything reads it, so a payload that cannot be read is kept
// for a person to look at and to process again once the cause is fixed;
// nothing an alerting tool sends is lost.

// Receipt is what happened to one received payload.
type Receipt struct {
	Payload debrief.Payload `json:"payload"`
	// Replay is true when the same body had been received before: nothing
	// changed.
	Replay    bool                     `json:"replay,omitempty"`
	Incidents []debrief.IncidentChange `json:"incidents,omitempty"`
	// Decisions are the trigger policy's verdicts on the incidents the
	// payload opened, changed or resolved.
	Decisions []debrief.Decision `json:"decisions,omitempty"`
}

// PayloadError is a payload that was stored but could not be read. Its
// Err names what is wrong; ID is where a person finds the payload.
type PayloadError struct {
	ID  int64
	Err error
	// TooLarge is set when the body was over the size limit.
	TooLarge bool
}

func (e *PayloadError) Error() string { return e.Err.Error() }
func (e *PayloadError) Unwrap() error { return e.Err }

// ToolActor is the actor an alerting tool acts as when it authenticated
// with its own shared secret or signature: trusted to report on any of its
// groups, whoever may read the reports about them. ("webhook:" names no
// person: a login name cannot hold a colon.)
func ToolActor(source debrief.AlertSource) debrief.Actor {
	return debrief.Actor{Name: "webhook:" + string(source), DisplayName: string(source),
		Role: debrief.AccessContributor}
}

// isTool reports whether a is an alerting tool rather than a person.
func isTool(a debrief.Actor) bool {
	return a.UserID == 0 && strings.HasPrefix(a.Name, "webhook:")
}

// ReceiveAlerts stores a webhook body from source, reads it and folds its
// alerts into incidents, then asks the trigger policy about every incident
// the payload opened, changed or resolved. The actor is whoever the webhook
// authenticated as; it needs the contributor role, and a person's token
// may not report on an incident whose report that person may not read. A
// body that cannot be read is stored as failed and returned as a
// *PayloadError of KindInvalid. A replay of a body already received
// changes nothing; a replay of one that failed is read again.
func (s *Service) ReceiveAlerts(
	ctx context.Context,
	a debrief.Actor,
	source debrief.AlertSource,
	contentType string,
	body []byte,
) (*Receipt, error) {
	if err := allow(a, debrief.AccessContributor, "sending alerts"); err != nil {
		return nil, err
	}
	p := &debrief.Payload{Source: source, ContentType: contentType, Body: body}
	replay, err := s.store.SavePayload(ctx, p)
	if err != nil {
		return nil, err
	}
	if replay && p.Status == debrief.PayloadProcessed {
		return &Receipt{Payload: *p, Replay: true}, nil
	}
	return s.process(ctx, a, p, replay)
}

// tooLargeProblem starts the problem of a payload kept cut short, which
// can never be read: Reprocess refuses it.
const tooLargeProblem = "the body is larger than"

// ReceiveTooLarge keeps the start of a body that was over the size limit,
// as a failed payload, so that an admin can see what the tool sent; it is
// not read. It returns a *PayloadError with TooLarge set.
func (s *Service) ReceiveTooLarge(
	ctx context.Context,
	a debrief.Actor,
	source debrief.AlertSource,
	contentType string,
	head []byte,
) (*Receipt, error) {
	if err := allow(a, debrief.AccessContributor, "sending alerts"); err != nil {
		return nil, err
	}
	p := &debrief.Payload{Source: source, ContentType: contentType, Body: head}
	if _, err := s.store.SavePayload(ctx, p); err != nil {
		return nil, err
	}
	err := debrief.Errorf(debrief.KindInvalid, "%s %d MiB: its first %d MiB are kept, "+
		"unread; ask the tool to send smaller groups", tooLargeProblem, len(head)>>20,
		len(head)>>20)
	if ferr := s.store.FailPayload(ctx, p.ID, err.Error()); ferr != nil {
		return nil, ferr
	}
	return nil, &PayloadError{ID: p.ID, Err: err, TooLarge: true}
}

// process reads a stored payload and records its alerts.
func (s *Service) process(
	ctx context.Context,
	a debrief.Actor,
	p *debrief.Payload,
	replay bool,
) (*Receipt, error) {
	events, err := alerting.Parse(p.Source, p.Body)
	if err != nil {
		if ferr := s.store.FailPayload(ctx, p.ID, err.Error()); ferr != nil {
			return nil, ferr
		}
		s.logger.LogAttrs(ctx, slog.LevelWarn, "alert payload refused",
			slog.Int64("payload_id", p.ID), slog.String("source", string(p.Source)))
		return nil, &PayloadError{ID: p.ID, Err: err}
	}
	if err := s.checkGroups(ctx, a, p.Source, events); err != nil {
		if ferr := s.store.FailPayload(ctx, p.ID, err.Error()); ferr != nil {
			return nil, ferr
		}
		return nil, &PayloadError{ID: p.ID, Err: err}
	}
	changes, err := s.store.RecordAlerts(ctx, p.ID, events)
	if err != nil {
		if debrief.ErrorKind(err) == debrief.KindInvalid {
			if ferr := s.store.FailPayload(ctx, p.ID, err.Error()); ferr != nil {
				return nil, ferr
			}
			return nil, &PayloadError{ID: p.ID, Err: err}
		}
		return nil, err
	}
	stored, err := s.store.Payload(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	stored.Body = nil
	r := &Receipt{Payload: *stored, Replay: replay, Incidents: changes}
	// The alerts are recorded: what follows may fail without losing them,
	// and the policy can be asked again from the incident's page.
	for _, c := range changes {
		if err := s.reviseHeader(ctx, a, c.IncidentID); err != nil {
			s.logFollowUp(ctx, "report header not revised", c.IncidentID, err)
		}
		if !c.Created && c.Before == c.After && c.Events == 0 {
			continue // a replay: nothing the policy reads has changed
		}
		trigger := "changed"
		if c.After == debrief.IncidentResolved && c.Before != c.After {
			trigger = "resolved"
		}
		d, err := s.decide(ctx, c.IncidentID, trigger)
		if err != nil {
			s.logFollowUp(ctx, "policy not asked", c.IncidentID, err)
			continue
		}
		r.Decisions = append(r.Decisions, *d)
	}
	return r, nil
}

// logFollowUp logs a step after recording alerts that failed.
func (s *Service) logFollowUp(ctx context.Context, msg, incidentID string, err error) {
	s.logger.LogAttrs(ctx, slog.LevelError, msg, slog.String("incident_id", incidentID),
		slog.String("error", err.Error()))
}

// checkGroups refuses alerts a person's token sends about an incident
// whose report that person may not read: they could change it, and the
// receipt would tell them of it. Alerting tools are trusted (ToolActor).
func (s *Service) checkGroups(
	ctx context.Context,
	a debrief.Actor,
	source debrief.AlertSource,
	events []debrief.AlertEvent,
) error {
	if isTool(a) || a.Can(debrief.AccessAdmin) {
		return nil
	}
	seen := map[string]bool{}
	for _, ev := range events {
		if seen[ev.GroupKey] {
			continue
		}
		seen[ev.GroupKey] = true
		id, err := s.store.GroupIncident(ctx, source, ev.GroupKey)
		if err != nil {
			return err
		}
		if id == "" {
			continue
		}
		if _, err := s.Incident(ctx, a, id); debrief.IsNotFound(err) {
			// Said without telling whether an incident is there.
			return debrief.FieldErrorf("group_key", "the alerts of group %q cannot be "+
				"taken from %s's token: send them with the tool's own secret or an "+
				"admin's token", ev.GroupKey, a.Name)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// reviseHeader records what alerts changed in the header of the report
// about an incident (its status, its moments) as a revision by whoever
// sent the alerts, so that the report's version, and every ETag a client
// holds, moves with it; then it works the report's deadlines out again,
// since the resolution may have moved.
func (s *Service) reviseHeader(ctx context.Context, a debrief.Actor, incidentID string) error {
	in, err := s.store.Incident(ctx, incidentID)
	if err != nil || in.PostmortemID == "" {
		return err
	}
	for range saveRetries {
		p, err := s.store.Postmortem(ctx, in.PostmortemID)
		if err != nil {
			return err
		}
		was, err := s.store.PostmortemRevision(ctx, p.ID, p.Version)
		if err != nil && !debrief.IsNotFound(err) {
			return err
		}
		if was != nil && sameIncident(was.Incident, p.Incident) {
			return nil
		}
		p.UpdatedBy = a.Name
		err = s.store.SavePostmortem(ctx, p)
		if errors.Is(err, debrief.ErrStaleVersion) {
			continue // a person saved meanwhile; look again
		}
		if err != nil {
			return err
		}
		s.settleDeadlines(ctx, p)
		return nil
	}
	return nil
}

// Payloads lists received payloads without their bodies; only admins may,
// since a body may hold anything an alerting tool was configured to send.
func (s *Service) Payloads(
	ctx context.Context,
	a debrief.Actor,
	f debrief.PayloadFilter,
) ([]debrief.Payload, int, error) {
	if err := allow(a, debrief.AccessAdmin, "reading received payloads"); err != nil {
		return nil, 0, err
	}
	return s.store.Payloads(ctx, f)
}

// Payload returns a received payload with its body, for admins.
func (s *Service) Payload(
	ctx context.Context,
	a debrief.Actor,
	id int64,
) (*debrief.Payload, error) {
	if err := allow(a, debrief.AccessAdmin, "reading received payloads"); err != nil {
		return nil, err
	}
	return s.store.Payload(ctx, id)
}

// Reprocess reads a failed payload again, after the cause was fixed (a
// newer debrief, a corrected policy). Only admins may. A payload already
// processed is KindConflict: reading it again would change nothing.
func (s *Service) Reprocess(ctx context.Context, a debrief.Actor, id int64) (*Receipt, error) {
	p, err := s.Payload(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if p.Status == debrief.PayloadProcessed {
		return nil, debrief.Errorf(debrief.KindConflict,
			"payload %d was processed already; processing it again would change nothing", id)
	}
	if strings.HasPrefix(p.Problem, tooLargeProblem) {
		return nil, debrief.Errorf(debrief.KindConflict, "payload %d was kept cut short "+
			"(%s); it cannot be read, so the tool must send it again in smaller groups",
			id, p.Problem)
	}
	s.logger.LogAttrs(ctx, slog.LevelInfo, "alert payload reprocessed",
		slog.Int64("payload_id", id), slog.Int64("user_id", a.UserID))
	return s.process(ctx, a, p, false)
}

// IncidentEvents returns the incident's timeline as its alerts wrote it,
// to whoever may read the incident.
func (s *Service) IncidentEvents(
	ctx context.Context,
	a debrief.Actor,
	id string,
) ([]debrief.IncidentEvent, error) {
	if _, err := s.Incident(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.IncidentEvents(ctx, id)
}

// Alerts returns the incident's alerts, to whoever may read the incident.
func (s *Service) Alerts(ctx context.Context, a debrief.Actor, id string) ([]debrief.Alert, error) {
	if _, err := s.Incident(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.Alerts(ctx, id)
}

// IsPayloadError reports whether err is a payload that was kept but could
// not be read, and returns it.
func IsPayloadError(err error) (*PayloadError, bool) {
	var pe *PayloadError
	ok := errors.As(err, &pe)
	return pe, ok
}
