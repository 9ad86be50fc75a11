package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/debrief-oss/debrief"
)

var _ debrief.IncidentStore = (*DB)(nil)

// SaveIncident inserts or replaces an incident and its services. See
// debrief.IncidentStore.
func (db *DB) SaveIncident(ctx context.Context, in *debrief.Incident) error {
	if strings.TrimSpace(in.ID) == "" {
		return debrief.FieldErrorf("id", "an incident needs an id")
	}
	for _, t := range in.Moments() {
		*t = utc(*t)
	}
	in.Compact()
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		if err := tx.writeIncident(ctx, in); err != nil {
			return fmt.Errorf("save incident: %w", err)
		}
		return nil
	})
}

const incidentColumns = `i.id, i.title, i.severity, i.category, i.status, i.started_at,
	i.detected_at, i.acknowledged_at, i.mitigated_at, i.resolved_at, i.user_impact,
	i.critical_process,
	COALESCE((SELECT min(p.id) FROM postmortems p WHERE p.incident_id = i.id), '')`

func scanIncident(row interface{ Scan(...any) error }) (debrief.IncidentSummary, error) {
	var s debrief.IncidentSummary
	in := &s.Incident
	var started, detected, acked, mitigated, resolved sql.NullTime
	err := row.Scan(&in.ID, &in.Title, &in.Severity, &in.Category, &in.Status,
		&started, &detected, &acked, &mitigated, &resolved, &in.UserImpact, &in.CriticalProcess,
		&s.PostmortemID)
	in.StartedAt, in.DetectedAt, in.AcknowledgedAt = timeOf(started), timeOf(detected), timeOf(acked)
	in.MitigatedAt, in.ResolvedAt = timeOf(mitigated), timeOf(resolved)
	return s, err
}

// Incident returns one incident with the report about it. See
// debrief.IncidentStore.
func (db *DB) Incident(ctx context.Context, id string) (*debrief.IncidentSummary, error) {
	var s debrief.IncidentSummary
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		s, err = scanIncident(tx.QueryRowContext(ctx,
			`SELECT `+incidentColumns+` FROM incidents i WHERE i.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return debrief.Errorf(debrief.KindNotFound, "incident %s not found", id)
		}
		if err != nil {
			return fmt.Errorf("read incident: %w", err)
		}
		return readServices(ctx, tx, []*debrief.IncidentSummary{&s})
	})
	if err != nil {
		return nil, err
	}
	return &s, nil
}

// Incidents lists incidents, newest start first. See debrief.IncidentStore.
func (db *DB) Incidents(
	ctx context.Context,
	f debrief.IncidentFilter,
) ([]debrief.IncidentSummary, int, error) {
	var c conditions
	arg := c.placeholder
	if f.Service != "" {
		c.terms = append(c.terms, `EXISTS (SELECT 1 FROM incident_services s
			WHERE s.incident_id = i.id AND lower(s.service) = lower(`+arg(f.Service)+`))`)
	}
	if f.Status != "" {
		c.terms = append(c.terms, `i.status = `+arg(string(f.Status)))
	}
	if f.WithoutPostmortem {
		c.terms = append(c.terms,
			`NOT EXISTS (SELECT 1 FROM postmortems p WHERE p.incident_id = i.id)`)
	}
	// An incident is the header of its report: hidden with the report.
	if visible := c.visibleTo(f.Reader, "p"); visible != "" {
		c.terms = append(c.terms, `NOT EXISTS (SELECT 1 FROM postmortems p
			WHERE p.incident_id = i.id AND NOT `+visible+`)`)
	}
	cond := c.where()
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}

	var list []debrief.IncidentSummary
	var total int
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx,
			`SELECT count(*) FROM incidents i`+cond, c.args...).Scan(&total); err != nil {
			return fmt.Errorf("count incidents: %w", err)
		}
		q := `SELECT ` + incidentColumns + ` FROM incidents i` + cond +
			` ORDER BY i.started_at IS NULL, i.started_at DESC, i.id LIMIT ` + arg(limit) +
			` OFFSET ` + arg(max(f.Offset, 0))
		rows, err := tx.QueryContext(ctx, q, c.args...)
		if err != nil {
			return fmt.Errorf("list incidents: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			s, err := scanIncident(rows)
			if err != nil {
				return fmt.Errorf("list incidents: %w", err)
			}
			list = append(list, s)
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("list incidents: %w", err)
		}
		ptrs := make([]*debrief.IncidentSummary, len(list))
		for i := range list {
			ptrs[i] = &list[i]
		}
		return readServices(ctx, tx, ptrs)
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// readServices fills in the services of each incident, one query each;
// lists are a page long.
func readServices(ctx context.Context, tx *sql.Tx, list []*debrief.IncidentSummary) error {
	for _, s := range list {
		rows, err := tx.QueryContext(ctx,
			`SELECT service FROM incident_services WHERE incident_id = $1 ORDER BY position`, s.ID)
		if err != nil {
			return fmt.Errorf("read services: %w", err)
		}
		for rows.Next() {
			var svc string
			if err := rows.Scan(&svc); err != nil {
				rows.Close()
				return fmt.Errorf("read services: %w", err)
			}
			s.Services = append(s.Services, svc)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("read services: %w", err)
		}
	}
	return nil
}
