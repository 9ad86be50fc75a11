package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/debrief-oss/debrief"
)

var _ debrief.LintOverrideStore = (*DB)(nil)

// SavePostmortemOverriding saves p with the version check of SavePostmortem
// and records the override against the version the save gives p, in one
// transaction. See debrief.LintOverrideStore.
func (db *DB) SavePostmortemOverriding(
	ctx context.Context,
	p *debrief.Postmortem,
	o *debrief.LintOverride,
) error {
	if err := prepare(p); err != nil {
		return err
	}
	rules := slices.Clone(o.Rules)
	slices.Sort(rules)
	rules = slices.Compact(rules)
	encoded, err := json.Marshal(rules)
	if err != nil {
		return fmt.Errorf("save override: %w", err)
	}
	if len(rules) == 0 {
		encoded = []byte("[]")
	}

	var meta stamp
	at := utc(o.At)
	err = db.inWriteTx(ctx, func(tx *writeTx) error {
		var err error
		if meta, err = tx.write(ctx, debrief.BatchWrite{Postmortem: p}, db.clock()); err != nil {
			return err
		}
		if at.IsZero() {
			at = meta.updatedAt
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO lint_overrides (postmortem_id, version,
			from_status, to_status, decided_by, decided_at, reason, rules, errors)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, p.ID, meta.version, string(o.From),
			string(o.To), o.By, at, o.Reason, string(encoded), o.Errors)
		if err != nil {
			return fmt.Errorf("save override: %w", err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	meta.apply(p)
	o.PostmortemID, o.Version, o.At, o.Rules = p.ID, p.Version, utc(at), rules
	return nil
}

// LintOverrides lists a report's overrides, oldest first. See
// debrief.LintOverrideStore.
func (db *DB) LintOverrides(
	ctx context.Context,
	postmortemID string,
) ([]debrief.LintOverride, error) {
	list := []debrief.LintOverride{}
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		return eachRow(ctx, db.cached(tx), `SELECT version, from_status, to_status,
			decided_by, decided_at, reason, rules, errors FROM lint_overrides
			WHERE postmortem_id = $1 ORDER BY id`, []any{postmortemID},
			func(r *sql.Rows) error {
				o := debrief.LintOverride{PostmortemID: postmortemID}
				var at sql.NullTime
				var rules string
				err := r.Scan(&o.Version, &o.From, &o.To, &o.By, &at, &o.Reason, &rules,
					&o.Errors)
				if err != nil {
					return err
				}
				o.At = timeOf(at)
				if err := json.Unmarshal([]byte(rules), &o.Rules); err != nil {
					return fmt.Errorf("rules: %w", err)
				}
				list = append(list, o)
				return nil
			})
	})
	if err != nil {
		return nil, fmt.Errorf("read overrides: %w", err)
	}
	return list, nil
}
