package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
)

var _ debrief.AlertStore = (*DB)(nil)

// SavePayload stores a webhook body before anything reads it, or finds the
// same body the same tool sent before. See debrief.AlertStore.
func (db *DB) SavePayload(ctx context.Context, p *debrief.Payload) (replay bool, err error) {
	if !slices.Contains(debrief.AlertSources, p.Source) {
		return false, debrief.FieldErrorf("source", "%q is not an alerting tool debrief knows",
			p.Source)
	}
	if p.Digest == "" {
		sum := sha256.Sum256(p.Body)
		p.Digest = hex.EncodeToString(sum[:])
	}
	if p.Body == nil {
		p.Body = []byte{} // body is NOT NULL: an empty body is still one
	}
	now := db.clock()
	err = db.inWriteTx(ctx, func(tx *writeTx) error {
		// DO NOTHING waits for a concurrent insert of the same body to end,
		// so the SELECT below then finds it.
		err := tx.QueryRowContext(ctx, `INSERT INTO payloads (source, received_at, content_type,
			digest, status, body) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (source, digest) DO NOTHING RETURNING id`,
			p.Source, now, p.ContentType, p.Digest, debrief.PayloadReceived, p.Body).Scan(&p.ID)
		if err == nil {
			p.ReceivedAt, p.Status, p.Problem, p.Attempts = now, debrief.PayloadReceived, "", 0
			p.Incidents, p.ProcessedAt = nil, time.Time{}
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("save payload: %w", err)
		}
		replay = true
		stored, err := readPayload(ctx, tx.Tx, selectPayloadBy+`source = $1 AND digest = $2`,
			p.Source, p.Digest)
		if err != nil {
			return fmt.Errorf("read stored payload: %w", err)
		}
		*p = *stored
		return nil
	})
	return replay, err
}

// FailPayload marks a payload failed. See debrief.AlertStore.
func (db *DB) FailPayload(ctx context.Context, id int64, problem string) error {
	now := db.clock()
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		res, err := tx.ExecContext(ctx, `UPDATE payloads SET status = $2, problem = $3,
			attempts = attempts + 1, processed_at = $4 WHERE id = $1`,
			id, debrief.PayloadFailed, clipText(problem, maxProblemLen), now)
		if err != nil {
			return fmt.Errorf("fail payload: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return payloadNotFound(id, err)
		}
		return nil
	})
}

// maxProblemLen is the most of a problem a payload keeps: enough to say
// what is wrong and where, not a copy of the body.
const maxProblemLen = 4 << 10

// Payload returns one payload with its body. See debrief.AlertStore.
func (db *DB) Payload(ctx context.Context, id int64) (*debrief.Payload, error) {
	var p *debrief.Payload
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		p, err = readPayload(ctx, tx, selectPayloadBy+`id = $1`, id)
		if errors.Is(err, sql.ErrNoRows) {
			return payloadNotFound(id, nil)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

const selectPayloadBy = `SELECT id, source, received_at, content_type, digest, status,
	problem, attempts, processed_at, body FROM payloads WHERE `

// readPayload reads the one payload query finds, with its body and
// incidents, or returns sql.ErrNoRows.
func readPayload(
	ctx context.Context,
	tx *sql.Tx,
	query string,
	args ...any,
) (*debrief.Payload, error) {
	var p debrief.Payload
	var received, processed sql.NullTime
	err := tx.QueryRowContext(ctx, query, args...).Scan(&p.ID, &p.Source, &received,
		&p.ContentType, &p.Digest, &p.Status, &p.Problem, &p.Attempts, &processed, &p.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("read payload: %w", err)
	}
	p.ReceivedAt, p.ProcessedAt = timeOf(received), timeOf(processed)
	incidents, err := payloadIncidents(ctx, tx, []int64{p.ID})
	p.Incidents = incidents[p.ID]
	return &p, err
}

// Payloads lists payloads without their bodies, newest first. See
// debrief.AlertStore.
func (db *DB) Payloads(
	ctx context.Context,
	f debrief.PayloadFilter,
) ([]debrief.Payload, int, error) {
	var c conditions
	if f.Source != "" {
		if !slices.Contains(debrief.AlertSources, f.Source) {
			return nil, 0, debrief.FieldErrorf("source",
				"%q is not an alerting tool debrief knows", f.Source)
		}
		c.add(`source = ?`, f.Source)
	}
	if f.Status != "" {
		if !slices.Contains(payloadStatuses, f.Status) {
			return nil, 0, debrief.FieldErrorf("status",
				"%q is not a payload status: received, processed or failed", f.Status)
		}
		c.add(`status = ?`, f.Status)
	}

	var list []debrief.Payload
	var total int
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM payloads`+c.where(),
			c.args...).Scan(&total)
		if err != nil {
			return fmt.Errorf("count payloads: %w", err)
		}
		limit, offset := page(f.Limit, f.Offset)
		q := `SELECT id, source, received_at, content_type, digest, status, problem, attempts,
			processed_at FROM payloads` + c.where() + ` ORDER BY received_at DESC, id DESC
			LIMIT ` + c.placeholder(limit) + ` OFFSET ` + c.placeholder(offset)
		var ids []int64
		err = eachRow(ctx, tx, q, c.args, func(r *sql.Rows) error {
			var p debrief.Payload
			var received, processed sql.NullTime
			err := r.Scan(&p.ID, &p.Source, &received, &p.ContentType, &p.Digest, &p.Status,
				&p.Problem, &p.Attempts, &processed)
			p.ReceivedAt, p.ProcessedAt = timeOf(received), timeOf(processed)
			list = append(list, p)
			ids = append(ids, p.ID)
			return err
		})
		if err != nil {
			return fmt.Errorf("list payloads: %w", err)
		}
		incidents, err := payloadIncidents(ctx, tx, ids)
		for i := range list {
			list[i].Incidents = incidents[list[i].ID]
		}
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

var payloadStatuses = []debrief.PayloadStatus{
	debrief.PayloadReceived, debrief.PayloadProcessed, debrief.PayloadFailed,
}

// payloadIncidents returns the incidents each payload touched, in the
// order its events did.
func payloadIncidents(ctx context.Context, tx *sql.Tx, ids []int64) (map[int64][]string, error) {
	m := make(map[int64][]string, len(ids))
	if len(ids) == 0 {
		return m, nil
	}
	var c conditions
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = c.placeholder(id)
	}
	err := eachRow(ctx, tx, `SELECT payload_id, incident_id FROM payload_incidents
		WHERE payload_id IN (`+strings.Join(marks, ", ")+`) ORDER BY payload_id, position`,
		c.args, func(r *sql.Rows) error {
			var id int64
			var incident string
			err := r.Scan(&id, &incident)
			m[id] = append(m[id], incident)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("read payload incidents: %w", err)
	}
	return m, nil
}

// IncidentEvents returns an incident's timeline as its alerts wrote it,
// oldest first; events of one time in the order they were recorded. See
// debrief.AlertStore.
func (db *DB) IncidentEvents(
	ctx context.Context,
	incidentID string,
) ([]debrief.IncidentEvent, error) {
	var list []debrief.IncidentEvent
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		return eachRow(ctx, db.cached(tx), `SELECT at, kind, source, alert_key, status, text,
			payload_id FROM incident_events WHERE incident_id = $1 ORDER BY at, id`,
			[]any{incidentID}, func(r *sql.Rows) error {
				e := debrief.IncidentEvent{IncidentID: incidentID}
				var at int64
				var payload sql.NullInt64
				err := r.Scan(&at, &e.Kind, &e.Source, &e.AlertKey, &e.Status, &e.Text, &payload)
				e.At, e.PayloadID = time.Unix(0, at).UTC(), payload.Int64
				list = append(list, e)
				return err
			})
	})
	if err != nil {
		return nil, fmt.Errorf("read incident events: %w", err)
	}
	return list, nil
}

// Alerts returns an incident's alerts in the order they started, those
// without a start last. See debrief.AlertStore.
func (db *DB) Alerts(ctx context.Context, incidentID string) ([]debrief.Alert, error) {
	var list []debrief.Alert
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		return eachRow(ctx, db.cached(tx), selectAlerts+` ORDER BY starts_at IS NULL, starts_at,
			alert_key`, []any{incidentID}, func(r *sql.Rows) error {
			a, err := scanAlert(r, incidentID)
			list = append(list, *a)
			return err
		})
	})
	if err != nil {
		return nil, fmt.Errorf("read alerts: %w", err)
	}
	return list, nil
}

const selectAlerts = `SELECT alert_key, source, title, status, severity, starts_at, ends_at,
	changed_at, url FROM alerts WHERE incident_id = $1`

func scanAlert(r *sql.Rows, incidentID string) (*debrief.Alert, error) {
	a := &debrief.Alert{IncidentID: incidentID}
	var starts, ends, changed sql.NullInt64
	err := r.Scan(&a.Key, &a.Source, &a.Title, &a.Status, &a.Severity, &starts, &ends, &changed,
		&a.URL)
	a.StartsAt, a.EndsAt, a.ChangedAt = fromNanos(starts), fromNanos(ends), fromNanos(changed)
	return a, err
}

// nanos is t for a BIGINT column of nanoseconds since 1970, NULL when t is
// the zero time. Alert times keep their nanoseconds this way on both
// dialects (see migration 8).
func nanos(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixNano()
}

func fromNanos(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

func payloadNotFound(id int64, err error) error {
	if err != nil {
		return fmt.Errorf("payload %d: %w", id, err)
	}
	return debrief.Errorf(debrief.KindNotFound, "payload %d not found", id)
}

// clipText cuts s to at most n bytes at a rune boundary.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// GroupIncident returns the incident the group last opened, or "" when it
// opened none. See debrief.AlertStore.
func (db *DB) GroupIncident(
	ctx context.Context,
	source debrief.AlertSource,
	groupKey string,
) (string, error) {
	var id sql.NullString
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT incident_id FROM alert_groups
			WHERE source = $1 AND group_key = $2`, source, groupKey).Scan(&id)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read alert group: %w", err)
	}
	return id.String, nil
}
