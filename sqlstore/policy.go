package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/debrief-oss/debrief"
)

var _ debrief.PolicyStore = (*DB)(nil)

var outcomes = map[debrief.Outcome]bool{
	debrief.OutcomeRequired: true, debrief.OutcomeNotRequired: true,
	debrief.OutcomeWaived: true, debrief.OutcomeRequested: true,
}

// SaveDecision records a decision of the trigger policy, stamped now when
// d.DecidedAt is zero. See debrief.PolicyStore.
func (db *DB) SaveDecision(ctx context.Context, d *debrief.Decision) error {
	if !outcomes[d.Outcome] {
		return debrief.FieldErrorf("outcome", "%q is not a policy outcome", d.Outcome)
	}
	reasons, err := json.Marshal(d.Reasons)
	if err != nil {
		return fmt.Errorf("save decision: %w", err)
	}
	if len(d.Reasons) == 0 {
		reasons = []byte("[]")
	}
	decided := utc(d.DecidedAt)
	if decided.IsZero() {
		decided = db.clock()
	}
	err = db.inWriteTx(ctx, func(tx *writeTx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO incident_decisions (incident_id, outcome,
			rule, explanation, reasons, triggered_by, decided_at, postmortem_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, d.IncidentID, d.Outcome, d.Rule,
			d.Explanation, string(reasons), d.Trigger, decided, d.PostmortemID)
		return err
	})
	if isForeignKeyViolation(err) {
		return incidentNotFound(d.IncidentID)
	}
	if err != nil {
		return fmt.Errorf("save decision: %w", err)
	}
	d.DecidedAt = decided
	return nil
}

// Decisions returns an incident's decisions, newest first. See
// debrief.PolicyStore.
func (db *DB) Decisions(ctx context.Context, incidentID string) ([]debrief.Decision, error) {
	var list []debrief.Decision
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		return eachRow(ctx, db.cached(tx), `SELECT outcome, rule, explanation, reasons,
			triggered_by, decided_at, postmortem_id FROM incident_decisions
			WHERE incident_id = $1 ORDER BY decided_at DESC, id DESC`, []any{incidentID},
			func(r *sql.Rows) error {
				d := debrief.Decision{IncidentID: incidentID}
				var reasons string
				var decided sql.NullTime
				err := r.Scan(&d.Outcome, &d.Rule, &d.Explanation, &reasons, &d.Trigger,
					&decided, &d.PostmortemID)
				if err != nil {
					return err
				}
				d.DecidedAt = timeOf(decided)
				if err := json.Unmarshal([]byte(reasons), &d.Reasons); err != nil {
					return fmt.Errorf("reasons: %w", err)
				}
				if len(d.Reasons) == 0 {
					d.Reasons = nil
				}
				list = append(list, d)
				return nil
			})
	})
	if err != nil {
		return nil, fmt.Errorf("read decisions: %w", err)
	}
	return list, nil
}

// SavePolicyRequest files a request (r.ID zero), or records its approval.
// The first approval stands: approving an approved request again leaves it
// as it was, and r then holds the stored request. See debrief.PolicyStore.
func (db *DB) SavePolicyRequest(ctx context.Context, r *debrief.PolicyRequest) error {
	if r.Kind != debrief.RequestWaiver && r.Kind != debrief.RequestLearning {
		return debrief.FieldErrorf("kind", "%q is not a request: waiver or learning", r.Kind)
	}
	if r.ApprovedBy != "" && r.ApprovedAt.IsZero() {
		r.ApprovedAt = db.clock()
	}
	r.ApprovedAt = utc(r.ApprovedAt)
	if r.ID != 0 {
		return db.approveRequest(ctx, r)
	}

	now := db.clock()
	var id int64
	err := db.inWriteTx(ctx, func(tx *writeTx) error {
		return tx.QueryRowContext(ctx, `INSERT INTO policy_requests (incident_id, kind, reason,
			requested_by, requested_at, approved_by, approved_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, r.IncidentID, r.Kind, r.Reason,
			r.RequestedBy, now, r.ApprovedBy, nullTime(r.ApprovedAt)).Scan(&id)
	})
	if isForeignKeyViolation(err) {
		return incidentNotFound(r.IncidentID)
	}
	if err != nil {
		return fmt.Errorf("save policy request: %w", err)
	}
	r.ID, r.RequestedAt = id, now
	return nil
}

func (db *DB) approveRequest(ctx context.Context, r *debrief.PolicyRequest) error {
	if strings.TrimSpace(r.ApprovedBy) == "" {
		return debrief.FieldErrorf("approved_by", "an approval needs the approver's name")
	}
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		_, err := tx.ExecContext(ctx, `UPDATE policy_requests SET approved_by = $3,
			approved_at = $4 WHERE id = $1 AND incident_id = $2 AND approved_at IS NULL`,
			r.ID, r.IncidentID, r.ApprovedBy, r.ApprovedAt)
		if err != nil {
			return fmt.Errorf("approve request: %w", err)
		}
		stored, err := readRequests(ctx, tx, `id = $1 AND incident_id = $2`, r.ID, r.IncidentID)
		if err != nil {
			return fmt.Errorf("approve request: %w", err)
		}
		if len(stored) == 0 {
			return debrief.Errorf(debrief.KindNotFound, "incident %s has no request %d",
				r.IncidentID, r.ID)
		}
		*r = stored[0]
		return nil
	})
}

// PolicyRequests returns an incident's requests, oldest first. See
// debrief.PolicyStore.
func (db *DB) PolicyRequests(
	ctx context.Context,
	incidentID string,
) ([]debrief.PolicyRequest, error) {
	var list []debrief.PolicyRequest
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		var err error
		list, err = readRequests(ctx, db.cached(tx), `incident_id = $1`, incidentID)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read policy requests: %w", err)
	}
	return list, nil
}

func readRequests(
	ctx context.Context,
	tx querier,
	where string,
	args ...any,
) ([]debrief.PolicyRequest, error) {
	var list []debrief.PolicyRequest
	err := eachRow(ctx, tx, `SELECT id, incident_id, kind, reason, requested_by, requested_at,
		approved_by, approved_at FROM policy_requests WHERE `+where+
		` ORDER BY requested_at, id`, args, func(rows *sql.Rows) error {
		var r debrief.PolicyRequest
		var requested, approved sql.NullTime
		err := rows.Scan(&r.ID, &r.IncidentID, &r.Kind, &r.Reason, &r.RequestedBy, &requested,
			&r.ApprovedBy, &approved)
		r.RequestedAt, r.ApprovedAt = timeOf(requested), timeOf(approved)
		list = append(list, r)
		return err
	})
	return list, err
}

// CountIncidents counts the incidents on a service and category that
// started within [q.From, q.To], both ends included. An empty service or
// category, or a zero end, does not narrow the count. See
// debrief.PolicyStore.
func (db *DB) CountIncidents(ctx context.Context, q debrief.RecurrenceQuery) (int, error) {
	var c conditions
	if q.Service != "" {
		c.add(`i.id IN (SELECT s.incident_id FROM incident_services s
			WHERE lower(s.service) = lower(?))`, q.Service)
	}
	if q.Category != "" {
		c.add(`lower(i.category) = lower(?)`, q.Category)
	}
	// Stored moments keep microseconds: cut the window's ends alike, so an
	// incident that started at From or To is inside.
	if !q.From.IsZero() {
		c.add(`i.started_at >= ?`, utc(q.From))
	}
	if !q.To.IsZero() {
		c.add(`i.started_at <= ?`, utc(q.To))
	}
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM incidents i`+c.where(),
		c.args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count incidents: %w", err)
	}
	return n, nil
}

func incidentNotFound(id string) error {
	return &debrief.Error{Kind: debrief.KindNotFound, Field: "incident_id",
		Message: fmt.Sprintf("incident %s not found", id)}
}
