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

// Action items' tracking (see migration 11): a report save writes the rows
// of new items and keeps those of removed ones; everything else here is
// written by the item's lifecycle, escalation and tracker sync.

// trackingColumns are action_tracking's columns after the key, in the
// order trackingArgs and scanTracking use.
const trackingColumns = `status, blocked_reason, closed, implemented, tested, documented,
	result, evidence, verified_by, verified_at, updated_by, updated_at, stalled,
	ticket_system, ticket_key, ticket_url, ticket_status, ticket_synced_at, ticket_pushed,
	recheck`

func trackingArgs(x *debrief.ActionItem) []any {
	var c debrief.Closure
	if x.Closure != nil {
		c = *x.Closure
	}
	var t debrief.Ticket
	if x.Ticket != nil {
		t = *x.Ticket
	}
	status := x.Status
	if status == "" {
		status = debrief.ActionOpen
	}
	return []any{status, x.BlockedReason, x.Closure != nil, c.Implemented, c.Tested,
		c.Documented, c.Result, c.Evidence, x.VerifiedBy, nullTime(x.VerifiedAt),
		x.UpdatedBy, nullTime(x.UpdatedAt), x.Stalled, t.System, t.Key, t.URL, t.Status,
		nullTime(t.SyncedAt), t.Pushed, x.Recheck}
}

// trackingScan holds the scanned tracking columns until apply puts them on
// an item.
type trackingScan struct {
	status, blocked, result, evidence, verifiedBy, updatedBy sql.NullString
	system, key, url, ticketStatus, pushed, recheck          sql.NullString
	closed, implemented, tested, documented, stalled         sql.NullBool
	verifiedAt, updatedAt, syncedAt                          sql.NullTime
}

func (s *trackingScan) dest() []any {
	return []any{&s.status, &s.blocked, &s.closed, &s.implemented, &s.tested,
		&s.documented, &s.result, &s.evidence, &s.verifiedBy, &s.verifiedAt,
		&s.updatedBy, &s.updatedAt, &s.stalled, &s.system, &s.key, &s.url,
		&s.ticketStatus, &s.syncedAt, &s.pushed, &s.recheck}
}

// apply puts the tracking on the item; an item without a tracking row
// (none is expected) keeps the status its report gave it.
func (s *trackingScan) apply(x *debrief.ActionItem) {
	if !s.status.Valid {
		return
	}
	x.Status = debrief.ActionStatus(s.status.String)
	x.BlockedReason = s.blocked.String
	x.Closure = nil
	if s.closed.Bool {
		x.Closure = &debrief.Closure{Implemented: s.implemented.Bool, Tested: s.tested.Bool,
			Documented: s.documented.Bool, Result: s.result.String, Evidence: s.evidence.String}
	}
	x.VerifiedBy, x.VerifiedAt = s.verifiedBy.String, timeOf(s.verifiedAt)
	x.UpdatedBy, x.UpdatedAt = s.updatedBy.String, timeOf(s.updatedAt)
	x.Stalled, x.Recheck = s.stalled.Bool, s.recheck.String
	x.Ticket = nil
	if s.key.String != "" {
		x.Ticket = &debrief.Ticket{System: s.system.String, Key: s.key.String,
			URL: s.url.String, Status: s.ticketStatus.String,
			SyncedAt: timeOf(s.syncedAt), Pushed: s.pushed.String}
	}
}

// selectActionItems reads a report's items with their tracking.
var selectActionItems = `SELECT a.number, a.description, a.owner, a.owner_is_team, a.due,
	a.impact, a.effort, a.category, a.purpose, a.success_metric, a.verification, a.status,
	a.blocked_reason, a.tracker_url, ` + trackedColumns + `
FROM action_items a LEFT JOIN action_tracking t
	ON t.postmortem_id = a.postmortem_id AND t.number = a.number`

var trackedColumns = "t." + strings.Join(strings.Fields(
	strings.ReplaceAll(trackingColumns, ",", "")), ", t.")

func scanActionItem(r *sql.Rows, extra ...any) (debrief.ActionItem, error) {
	var x debrief.ActionItem
	var t trackingScan
	dest := append([]any{&x.Number, &x.Description, &x.Owner, &x.OwnerIsTeam, &x.Due,
		&x.Impact, &x.Effort, &x.Category, &x.Purpose, &x.SuccessMetric, &x.Verification,
		&x.Status, &x.BlockedReason, &x.TrackerURL}, t.dest()...)
	if err := r.Scan(append(dest, extra...)...); err != nil {
		return x, err
	}
	t.apply(&x)
	return x, nil
}

// writeTracking starts the tracking of the report's new items. A restore
// writes the tracking as given.
func (tx *writeTx) writeTracking(
	ctx context.Context,
	p *debrief.Postmortem,
	restore bool,
	now time.Time,
) error {
	// The tracking of an item removed from the report is kept: its history
	// stays, and its number is not given to another item (see
	// HighestActionNumber).
	for i := range p.ActionItems {
		x := &p.ActionItems[i]
		q := insertTracking + ` DO NOTHING`
		if restore {
			q = insertTracking + ` DO UPDATE SET ` + excludedTracking
		}
		res, err := tx.exec(ctx, q, append([]any{p.ID, x.Number, now}, trackingArgs(x)...)...)
		if err != nil {
			return fmt.Errorf("write action tracking: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 1 && !restore {
			ev := debrief.ActionEvent{Ref: debrief.ActionRef{PostmortemID: p.ID,
				Number: x.Number}, At: now, Actor: p.UpdatedBy,
				Kind: debrief.ActionEventCreated, To: x.Status}
			if err := tx.addActionEvent(ctx, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

var insertTracking = `INSERT INTO action_tracking (postmortem_id, number, created_at, ` +
	trackingColumns + `)
VALUES (` + placeholders(3+len(strings.Split(trackingColumns, ","))) + `)
ON CONFLICT (postmortem_id, number)`

var excludedTracking = func() string {
	var set []string
	for _, c := range strings.Split(trackingColumns, ",") {
		c = strings.TrimSpace(c)
		set = append(set, c+" = excluded."+c)
	}
	return strings.Join(set, ", ")
}()

func placeholders(n int) string {
	marks := make([]string, n)
	for i := range marks {
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	return strings.Join(marks, ", ")
}

func (tx *writeTx) addActionEvent(ctx context.Context, ev debrief.ActionEvent) error {
	_, err := tx.exec(ctx, `INSERT INTO action_events (postmortem_id, number, happened_at,
		actor, kind, from_status, to_status, note, link)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		ev.Ref.PostmortemID, ev.Ref.Number, ev.At.UTC(), ev.Actor, ev.Kind, ev.From, ev.To,
		ev.Note, ev.Link)
	if isForeignKeyViolation(err) {
		return actionNotFound(ev.Ref)
	}
	if err != nil {
		return fmt.Errorf("record action event: %w", err)
	}
	return nil
}

func actionNotFound(ref debrief.ActionRef) error {
	return debrief.Errorf(debrief.KindNotFound, "action item %s not found", ref)
}

// AddActionEvent records an entry in the item's history.
func (db *DB) AddActionEvent(ctx context.Context, ev debrief.ActionEvent) error {
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		if err := tx.checkItem(ctx, ev.Ref); err != nil {
			return err
		}
		return tx.addActionEvent(ctx, ev)
	})
}

func (tx *writeTx) checkItem(ctx context.Context, ref debrief.ActionRef) error {
	var one int
	err := tx.queryRow(ctx, `SELECT 1 FROM action_tracking
		WHERE postmortem_id = $1 AND number = $2`, ref.PostmortemID, ref.Number).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return actionNotFound(ref)
	}
	return err
}

// MoveActionItem writes the item's tracking and the event recording the
// change, provided its stored status is still from.
func (db *DB) MoveActionItem(
	ctx context.Context,
	ref debrief.ActionRef,
	from debrief.ActionStatus,
	item *debrief.ActionItem,
	ev debrief.ActionEvent,
) error {
	return db.inWriteTx(ctx, func(tx *writeTx) error {
		set := strings.Join(strings.Fields(strings.ReplaceAll(trackingColumns, ",", "")),
			" = ?, ") + " = ?"
		args := trackingArgs(item)
		for i := range args {
			set = strings.Replace(set, "?", fmt.Sprintf("$%d", i+1), 1)
		}
		n := len(args)
		args = append(args, ref.PostmortemID, ref.Number, from)
		res, err := tx.ExecContext(ctx, `UPDATE action_tracking SET `+set+
			fmt.Sprintf(` WHERE postmortem_id = $%d AND number = $%d AND status = $%d`,
				n+1, n+2, n+3), args...)
		if err != nil {
			return fmt.Errorf("move action item: %w", err)
		}
		if moved, _ := res.RowsAffected(); moved == 0 {
			if err := tx.checkItem(ctx, ref); err != nil {
				return err
			}
			return debrief.Errorf(debrief.KindConflict, "action item %s is no longer %s: "+
				"someone changed it; reload and try again", ref, from.Label())
		}
		return tx.addActionEvent(ctx, ev)
	})
}

// ActionEvents returns the item's history, oldest first.
func (db *DB) ActionEvents(
	ctx context.Context,
	ref debrief.ActionRef,
) ([]debrief.ActionEvent, error) {
	var evs []debrief.ActionEvent
	err := eachRow(ctx, db.read, `SELECT id, happened_at, actor, kind, from_status,
		to_status, note, link FROM action_events WHERE postmortem_id = $1 AND number = $2
		ORDER BY id`, []any{ref.PostmortemID, ref.Number}, func(r *sql.Rows) error {
		ev := debrief.ActionEvent{Ref: ref}
		err := r.Scan(&ev.ID, &ev.At, &ev.Actor, &ev.Kind, &ev.From, &ev.To, &ev.Note,
			&ev.Link)
		ev.At = ev.At.UTC()
		evs = append(evs, ev)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read action history: %w", err)
	}
	return evs, nil
}

// ActionItems lists the items matching the filter, each with what the
// lists show of its report, in report and number order.
func (db *DB) ActionItems(
	ctx context.Context,
	f debrief.ActionFilter,
) ([]debrief.ActionRow, error) {
	var c conditions
	c.addReader(f.Reader)
	c.addFilters(f.Service, f.Category, "")
	if f.PostmortemID != "" {
		c.add(`a.postmortem_id = ?`, f.PostmortemID)
	}
	if len(f.Owners) > 0 {
		marks := make([]string, len(f.Owners))
		for i, o := range f.Owners {
			marks[i] = `lower(` + c.placeholder(strings.TrimSpace(o)) + `)`
		}
		c.terms = append(c.terms, `lower(trim(a.owner)) IN (`+strings.Join(marks, ", ")+`)`)
	}
	if len(f.Statuses) > 0 {
		marks := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			marks[i] = c.placeholder(s)
		}
		c.terms = append(c.terms, `t.status IN (`+strings.Join(marks, ", ")+`)`)
	}
	if f.Open {
		c.terms = append(c.terms, `t.status NOT IN ('done', 'verified')`)
	}
	if f.DueBefore != "" {
		c.add(`a.due <> '' AND a.due < ?`, f.DueBefore)
	}
	if f.Stalled {
		c.terms = append(c.terms, `t.stalled`)
	}
	q := strings.Replace(selectActionItems, "FROM action_items a", `, a.postmortem_id,
	p.title, p.status, i.severity, p.category, i.id, i.started_at,
	t.created_at FROM action_items a`, 1) + `
	JOIN postmortems p ON p.id = a.postmortem_id
	JOIN incidents i ON i.id = p.incident_id` + c.where() + `
	ORDER BY a.postmortem_id, a.number`

	var rows []debrief.ActionRow
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		err := eachRow(ctx, tx, q, c.args, func(r *sql.Rows) error {
			var row debrief.ActionRow
			var started, since sql.NullTime
			x, err := scanActionItem(r, &row.Ref.PostmortemID, &row.Title, &row.Report,
				&row.Severity, &row.Category, &row.IncidentID, &started, &since)
			row.Item, row.Ref.Number = x, x.Number
			row.StartedAt, row.Since = timeOf(started), timeOf(since)
			if x.UpdatedAt.After(row.Since) {
				row.Since = x.UpdatedAt
			}
			rows = append(rows, row)
			return err
		})
		if err != nil {
			return err
		}
		return readRowServices(ctx, tx, rows)
	})
	if err != nil {
		return nil, fmt.Errorf("list action items: %w", err)
	}
	return rows, nil
}

// readRowServices fills in the services of the rows' incidents, one query
// for all of them.
func readRowServices(ctx context.Context, tx *sql.Tx, rows []debrief.ActionRow) error {
	byIncident := map[string][]int{}
	var c conditions
	var marks []string
	for i, r := range rows {
		if _, seen := byIncident[r.IncidentID]; !seen {
			marks = append(marks, c.placeholder(r.IncidentID))
		}
		byIncident[r.IncidentID] = append(byIncident[r.IncidentID], i)
	}
	if len(marks) == 0 {
		return nil
	}
	return eachRow(ctx, tx, `SELECT incident_id, service FROM incident_services
		WHERE incident_id IN (`+strings.Join(marks, ", ")+`) ORDER BY incident_id, position`,
		c.args, func(r *sql.Rows) error {
			var id, service string
			if err := r.Scan(&id, &service); err != nil {
				return err
			}
			for _, i := range byIncident[id] {
				rows[i].Services = append(rows[i].Services, service)
			}
			return nil
		})
}
