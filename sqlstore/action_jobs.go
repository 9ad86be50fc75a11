package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

// TakeStep records an escalation step with its event, its deliveries and
// its mark on the item, in one transaction, unless it was taken before.
func (db *DB) TakeStep(ctx context.Context, s debrief.Step) (bool, error) {
	taken := false
	err := db.inWriteTx(ctx, func(tx *writeTx) error {
		now := db.clock()
		res, err := tx.exec(ctx, `INSERT INTO action_steps (postmortem_id, number, step, taken_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (postmortem_id, number, step) DO NOTHING`,
			s.Ref.PostmortemID, s.Ref.Number, s.Name, now)
		if isForeignKeyViolation(err) {
			return actionNotFound(s.Ref)
		}
		if err != nil {
			return fmt.Errorf("take step: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		taken = true
		if s.Stall || s.Recheck != "" {
			if err := tx.markItem(ctx, s); err != nil {
				return err
			}
		}
		if s.Event.Kind != "" {
			if err := tx.addActionEvent(ctx, s.Event); err != nil {
				return err
			}
		}
		for _, d := range s.Deliveries {
			if err := tx.queueDelivery(ctx, d, now); err != nil {
				return err
			}
		}
		return nil
	})
	return taken, err
}

func (tx *writeTx) markItem(ctx context.Context, s debrief.Step) error {
	q := `UPDATE action_tracking SET stalled = TRUE WHERE postmortem_id = $1 AND number = $2`
	arg := any(nil)
	if s.Recheck != "" {
		q = `UPDATE action_tracking SET recheck = $3 WHERE postmortem_id = $1 AND number = $2`
		arg = s.Recheck
	}
	args := []any{s.Ref.PostmortemID, s.Ref.Number}
	if arg != nil {
		args = append(args, arg)
	}
	if _, err := tx.exec(ctx, q, args...); err != nil {
		return fmt.Errorf("mark action item: %w", err)
	}
	return nil
}

func (tx *writeTx) queueDelivery(ctx context.Context, d debrief.Delivery, now time.Time) error {
	next := d.NextAt
	if next.IsZero() {
		next = now
	}
	_, err := tx.exec(ctx, `INSERT INTO deliveries (delivery_key, channel, recipients,
		postmortem_id, number, event, message, state, next_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9)
		ON CONFLICT (delivery_key) DO NOTHING`,
		d.Key, d.Channel, strings.Join(d.Recipients, ","), d.Ref.PostmortemID, d.Ref.Number,
		d.Event, string(d.Message), next.UTC(), now)
	if err != nil {
		return fmt.Errorf("queue delivery: %w", err)
	}
	return nil
}

// ClaimDelivery leases the oldest due delivery that is not leased, counting
// the attempt, or returns nil when none is. On PostgreSQL, SKIP LOCKED lets
// several servers claim side by side; SQLite has one writer.
func (db *DB) ClaimDelivery(ctx context.Context, lease time.Duration) (*debrief.Delivery, error) {
	var d *debrief.Delivery
	err := db.inWriteTx(ctx, func(tx *writeTx) error {
		now := db.clock()
		lock := ""
		if db.dialect == dialectPostgres {
			lock = ` FOR UPDATE SKIP LOCKED`
		}
		row := tx.queryRow(ctx, `UPDATE deliveries SET lease_until = $1,
			attempts = attempts + 1
			WHERE id = (SELECT id FROM deliveries WHERE state = 'pending' AND next_at <= $2
				AND (lease_until IS NULL OR lease_until <= $2)
				ORDER BY next_at, id LIMIT 1`+lock+`)
			RETURNING id, delivery_key, channel, recipients, postmortem_id, number, event,
				message, state, attempts, next_at, last_error, created_at`,
			now.Add(lease), now)
		var got debrief.Delivery
		var recipients, message string
		err := row.Scan(&got.ID, &got.Key, &got.Channel, &recipients, &got.Ref.PostmortemID,
			&got.Ref.Number, &got.Event, &message, &got.State, &got.Attempts, &got.NextAt,
			&got.LastError, &got.CreatedAt)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("claim delivery: %w", err)
		}
		if recipients != "" {
			got.Recipients = strings.Split(recipients, ",")
		}
		got.Message = []byte(message)
		got.NextAt, got.CreatedAt = got.NextAt.UTC(), got.CreatedAt.UTC()
		d = &got
		return nil
	})
	return d, err
}

// FinishDelivery records the outcome of a claimed delivery's attempt: its
// State says sent, pending (to be retried at NextAt) or failed.
func (db *DB) FinishDelivery(
	ctx context.Context,
	d *debrief.Delivery,
	ev *debrief.ActionEvent,
) error {
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		now := db.clock()
		var sent any
		if d.State == debrief.DeliverySent {
			sent = now
		}
		next := d.NextAt
		if next.IsZero() {
			next = now
		}
		_, err := tx.exec(ctx, `UPDATE deliveries SET state = $1, next_at = $2,
			lease_until = NULL, last_error = $3, sent_at = $4 WHERE id = $5`,
			d.State, next.UTC(), d.LastError, sent, d.ID)
		if err != nil {
			return fmt.Errorf("finish delivery: %w", err)
		}
		if ev == nil {
			return nil
		}
		err = tx.addActionEvent(ctx, *ev)
		if debrief.IsNotFound(err) {
			return nil // the item went with its report; the delivery is recorded
		}
		return err
	})
}

// SetTicket links the item to a tracker issue or updates what is known of
// it, recording the event when one is given.
func (db *DB) SetTicket(
	ctx context.Context,
	ref debrief.ActionRef,
	t *debrief.Ticket,
	ev *debrief.ActionEvent,
) error {
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		res, err := tx.exec(ctx, `UPDATE action_tracking SET ticket_system = $1,
			ticket_key = $2, ticket_url = $3, ticket_status = $4, ticket_synced_at = $5,
			ticket_pushed = $6 WHERE postmortem_id = $7 AND number = $8`,
			t.System, t.Key, t.URL, t.Status, nullTime(t.SyncedAt), t.Pushed,
			ref.PostmortemID, ref.Number)
		if isUniqueViolation(err) {
			return debrief.Errorf(debrief.KindConflict,
				"ticket %s is already linked to another action item", t.Key)
		}
		if err != nil {
			return fmt.Errorf("link ticket: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return actionNotFound(ref)
		}
		if ev == nil {
			return nil
		}
		return tx.addActionEvent(ctx, *ev)
	})
}

// ActionByTicket finds the item linked to a tracker issue.
func (db *DB) ActionByTicket(
	ctx context.Context,
	system, key string,
) (debrief.ActionRef, error) {
	var ref debrief.ActionRef
	err := db.read.QueryRowContext(ctx, `SELECT postmortem_id, number FROM action_tracking
		WHERE ticket_system = $1 AND ticket_key = $2`, system, key).
		Scan(&ref.PostmortemID, &ref.Number)
	if errors.Is(err, sql.ErrNoRows) {
		return ref, debrief.Errorf(debrief.KindNotFound,
			"no action item is linked to %s ticket %s", system, key)
	}
	if err != nil {
		return ref, fmt.Errorf("find ticket: %w", err)
	}
	return ref, nil
}

// LaterIncident returns the earliest incident, other than except, that
// started after the time and shares one of the services and the category.
func (db *DB) LaterIncident(
	ctx context.Context,
	services []string,
	category debrief.Category,
	after time.Time,
	except string,
) (*debrief.Incident, error) {
	if len(services) == 0 || category == "" {
		return nil, debrief.Errorf(debrief.KindNotFound, "no later incident")
	}
	var c conditions
	marks := make([]string, len(services))
	for i, s := range services {
		marks[i] = `lower(` + c.placeholder(s) + `)`
	}
	q := `SELECT i.id, i.title, i.started_at FROM incidents i
		WHERE i.started_at > ` + c.placeholder(after.UTC()) + `
		AND lower(i.category) = lower(` + c.placeholder(category) + `)
		AND i.id <> ` + c.placeholder(except) + `
		AND EXISTS (SELECT 1 FROM incident_services s WHERE s.incident_id = i.id
			AND lower(s.service) IN (` + strings.Join(marks, ", ") + `))
		ORDER BY i.started_at, i.id LIMIT 1`
	var in debrief.Incident
	var started sql.NullTime
	err := db.read.QueryRowContext(ctx, q, c.args...).Scan(&in.ID, &in.Title, &started)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, debrief.Errorf(debrief.KindNotFound, "no later incident")
	}
	if err != nil {
		return nil, fmt.Errorf("find later incident: %w", err)
	}
	in.StartedAt, in.Category = timeOf(started), category
	return &in, nil
}

// StepsTaken lists the escalation steps taken, by debrief.StepKey, so a
// scan tries only the steps not taken yet.
func (db *DB) StepsTaken(ctx context.Context) (map[string]bool, error) {
	taken := map[string]bool{}
	err := eachRow(ctx, db.read, `SELECT postmortem_id, number, step FROM action_steps`, nil,
		func(r *sql.Rows) error {
			var ref debrief.ActionRef
			var step string
			if err := r.Scan(&ref.PostmortemID, &ref.Number, &step); err != nil {
				return err
			}
			taken[debrief.StepKey(ref, step)] = true
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("read steps taken: %w", err)
	}
	return taken, nil
}

// HighestActionNumber returns the highest number an action item of the
// report ever had, removed items included (their tracking is kept), or 0.
func (db *DB) HighestActionNumber(ctx context.Context, postmortemID string) (int, error) {
	var n sql.NullInt64
	err := db.read.QueryRowContext(ctx, `SELECT max(number) FROM action_tracking
		WHERE postmortem_id = $1`, postmortemID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("highest action item number: %w", err)
	}
	return int(n.Int64), nil
}

// IncidentRestricted reports whether a report of the incident is
// restricted.
func (db *DB) IncidentRestricted(ctx context.Context, incidentID string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM postmortems
		WHERE incident_id = $1 AND visibility = $2`, incidentID,
		debrief.VisibilityRestricted).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("incident visibility: %w", err)
	}
	return n > 0, nil
}
