package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/debrief-oss/debrief"
)

// Postmortem returns the report with the given ID, or a KindNotFound error.
// Parts the report has none of read back as nil slices and maps.
func (db *DB) Postmortem(ctx context.Context, id string) (*debrief.Postmortem, error) {
	var p *debrief.Postmortem
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = readPostmortem(ctx, db.cached(tx), id)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

const selectPostmortem = `SELECT p.title, p.status, p.visibility, p.facilitator, p.time_zone,
	p.summary_category, p.executive_summary, p.narrative,
	p.root_cause, p.trigger_text, p.detection, p.resolution, p.meeting_date, p.meeting_notes,
	p.source_path, p.source_format, p.source_digest, p.created_at, p.updated_at, p.version,
	p.updated_by, i.id, i.title, i.severity, i.category, i.status, i.started_at, i.detected_at,
	i.acknowledged_at, i.mitigated_at, i.resolved_at, i.user_impact, i.critical_process
FROM postmortems p JOIN incidents i ON i.id = p.incident_id
WHERE p.id = $1`

func readPostmortem(ctx context.Context, tx querier, id string) (*debrief.Postmortem, error) {
	p := &debrief.Postmortem{ID: id}
	a, in := &p.Analysis, &p.Incident
	var meeting, created, updated, started, detected, acked, mitigated, resolved sql.NullTime
	err := tx.QueryRowContext(ctx, selectPostmortem, id).Scan(
		&p.Title, &p.Status, &p.Visibility, &p.Facilitator, &p.TimeZone,
		&p.Summary.Category, &p.Summary.ExecutiveSummary, &p.Summary.Narrative,
		&a.RootCause, &a.Trigger, &a.Detection, &a.Resolution, &meeting, &p.Meeting.Notes,
		&p.Source.Path, &p.Source.Format, &p.Source.Digest, &created, &updated, &p.Version,
		&p.UpdatedBy, &in.ID, &in.Title, &in.Severity, &in.Category, &in.Status,
		&started, &detected, &acked, &mitigated, &resolved, &in.UserImpact, &in.CriticalProcess)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, debrief.Errorf(debrief.KindNotFound, "report %s not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	p.Meeting.Date, p.CreatedAt, p.UpdatedAt = timeOf(meeting), timeOf(created), timeOf(updated)
	in.StartedAt, in.DetectedAt, in.AcknowledgedAt = timeOf(started), timeOf(detected), timeOf(acked)
	in.MitigatedAt, in.ResolvedAt = timeOf(mitigated), timeOf(resolved)

	if err := readParts(ctx, tx, p); err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	return p, nil
}

// eachRow runs query with args and calls scan for every row.
func eachRow(
	ctx context.Context,
	tx querier,
	query string,
	args []any,
	scan func(*sql.Rows) error,
) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// readParts reads the repeated parts of p, each table in position order.
func readParts(ctx context.Context, tx querier, p *debrief.Postmortem) error {
	a := &p.Analysis
	where := ` WHERE postmortem_id = $1 ORDER BY position`
	args := []any{p.ID}
	steps := []struct {
		query string
		args  []any
		scan  func(*sql.Rows) error
	}{
		{`SELECT service FROM incident_services WHERE incident_id = $1 ORDER BY position`,
			[]any{p.Incident.ID}, func(r *sql.Rows) error {
				var s string
				err := r.Scan(&s)
				p.Incident.Services = append(p.Incident.Services, s)
				return err
			}},
		{`SELECT name FROM postmortem_authors` + where, args, func(r *sql.Rows) error {
			var s string
			err := r.Scan(&s)
			p.Authors = append(p.Authors, s)
			return err
		}},
		{`SELECT at, time_text, text, kind, source, flag FROM timeline_events` + where, args,
			func(r *sql.Rows) error {
				var e debrief.TimelineEvent
				var at sql.NullTime
				err := r.Scan(&at, &e.TimeText, &e.Text, &e.Kind, &e.Source, &e.Flag)
				e.Time = timeOf(at)
				p.Timeline = append(p.Timeline, e)
				return err
			}},
		{`SELECT why_id, parent_id, question, answer, kind FROM whys` + where, args,
			func(r *sql.Rows) error {
				var w debrief.Why
				var parent sql.NullInt64
				err := r.Scan(&w.ID, &parent, &w.Question, &w.Answer, &w.Kind)
				w.ParentID = int(parent.Int64)
				a.Whys = append(a.Whys, w)
				return err
			}},
		{`SELECT category, text, kind FROM fishbone_causes` + where, args,
			func(r *sql.Rows) error {
				var c debrief.Cause
				err := r.Scan(&c.Category, &c.Text, &c.Kind)
				a.Causes = append(a.Causes, c)
				return err
			}},
		{`SELECT category, description, how_contributed FROM contributing_factors` + where, args,
			func(r *sql.Rows) error {
				var f debrief.ContributingFactor
				err := r.Scan(&f.Category, &f.Description, &f.HowContributed)
				p.ContributingFactors = append(p.ContributingFactors, f)
				return err
			}},
		{`SELECT kind, description, minutes_down, users_affected, failed_transactions,
			money, currency FROM impacts` + where, args, func(r *sql.Rows) error {
			var m debrief.Impact
			err := r.Scan(&m.Kind, &m.Description, &m.MinutesDown, &m.UsersAffected,
				&m.FailedTransactions, &m.Money, &m.Currency)
			p.Impacts = append(p.Impacts, m)
			return err
		}},
		{`SELECT kind, text FROM lessons` + where, args, func(r *sql.Rows) error {
			var l debrief.Lesson
			err := r.Scan(&l.Kind, &l.Text)
			p.Lessons = append(p.Lessons, l)
			return err
		}},
		{selectActionItems + ` WHERE a.postmortem_id = $1 ORDER BY a.position`, args,
			func(r *sql.Rows) error {
				x, err := scanActionItem(r)
				p.ActionItems = append(p.ActionItems, x)
				return err
			}},
		{`SELECT name, role FROM team_members` + where, args, func(r *sql.Rows) error {
			var m debrief.TeamMember
			err := r.Scan(&m.Name, &m.Role)
			p.Team = append(p.Team, m)
			return err
		}},
		{`SELECT name FROM meeting_attendees` + where, args, func(r *sql.Rows) error {
			var s string
			err := r.Scan(&s)
			p.Meeting.Attendees = append(p.Meeting.Attendees, s)
			return err
		}},
		{`SELECT title, url FROM links` + where, args, func(r *sql.Rows) error {
			var l debrief.Link
			err := r.Scan(&l.Title, &l.URL)
			p.Links = append(p.Links, l)
			return err
		}},
		{`SELECT tag FROM postmortem_tags` + where, args, func(r *sql.Rows) error {
			var s string
			err := r.Scan(&s)
			p.Tags = append(p.Tags, s)
			return err
		}},
		{`SELECT heading, body FROM sections` + where, args, func(r *sql.Rows) error {
			var s debrief.Section
			err := r.Scan(&s.Heading, &s.Body)
			p.Sections = append(p.Sections, s)
			return err
		}},
		{`SELECT name, value FROM custom_fields WHERE postmortem_id = $1`, args,
			func(r *sql.Rows) error {
				var k, v string
				if err := r.Scan(&k, &v); err != nil {
					return err
				}
				if p.Fields == nil {
					p.Fields = make(map[string]string)
				}
				p.Fields[k] = v
				return nil
			}},
	}
	for _, s := range steps {
		if err := eachRow(ctx, tx, s.query, s.args, s.scan); err != nil {
			return err
		}
	}
	return nil
}

// PostmortemIDBySource returns the ID of the report imported from sourcePath,
// or a KindNotFound error.
func (db *DB) PostmortemIDBySource(ctx context.Context, sourcePath string) (string, error) {
	if sourcePath == "" {
		return "", debrief.Errorf(debrief.KindNotFound, "no report has an empty source")
	}
	var id string
	err := db.queryRow(ctx,
		`SELECT id FROM postmortems WHERE source_path = $1 AND source_path <> ''`, sourcePath).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", debrief.Errorf(debrief.KindNotFound, "no report was imported from %q", sourcePath)
	}
	if err != nil {
		return "", fmt.Errorf("find report by source: %w", err)
	}
	return id, nil
}

// PostmortemIDExists reports whether a report has the given ID.
func (db *DB) PostmortemIDExists(ctx context.Context, id string) (bool, error) {
	var n int
	err := db.queryRow(ctx,
		`SELECT count(*) FROM postmortems WHERE id = $1`, id).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check report: %w", err)
	}
	return n > 0, nil
}

// DeletePostmortem removes a report, its parts and its search entry, and its
// incident when no other report belongs to it. A missing report is a
// KindNotFound error.
func (db *DB) DeletePostmortem(ctx context.Context, id string) error {
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		cur, err := tx.current(ctx, id)
		if err != nil {
			return err
		}
		if !cur.exists {
			return debrief.Errorf(debrief.KindNotFound, "report %s not found", id)
		}
		if _, err := tx.exec(ctx, `DELETE FROM postmortems WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete report: %w", err)
		}
		return tx.deleteOrphanIncident(ctx, cur.incidentID)
	})
}
