package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
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

// actionItemColumns are an item's columns and its tracking's, of
// action_items a and action_tracking t, in the order scanActionItem reads
// them.
var actionItemColumns = `a.number, a.description, a.owner, a.owner_is_team, a.due,
	a.impact, a.effort, a.category, a.purpose, a.success_metric, a.verification, a.status,
	a.blocked_reason, a.tracker_url, ` + trackedColumns

// selectActionItems reads a report's items with their tracking.
var selectActionItems = `SELECT ` + actionItemColumns + `
FROM action_items a LEFT JOIN action_tracking t
	ON t.postmortem_id = a.postmortem_id AND t.number = a.number`

var trackedColumns = "t." + strings.Join(strings.Fields(
	strings.ReplaceAll(trackingColumns, ",", "")), ", t.")

func scanActionItem(r *sql.Rows, extra ...any) (debrief.ActionItem, error) {
	return scanActionItemAfter(r, nil, extra...)
}

// scanActionItemAfter scans an item whose columns follow those read into
// lead.
func scanActionItemAfter(r *sql.Rows, lead []any, extra ...any) (debrief.ActionItem, error) {
	var x debrief.ActionItem
	var t trackingScan
	dest := append(append(lead, &x.Number, &x.Description, &x.Owner, &x.OwnerIsTeam, &x.Due,
		&x.Impact, &x.Effort, &x.Category, &x.Purpose, &x.SuccessMetric, &x.Verification,
		&x.Status, &x.BlockedReason, &x.TrackerURL), t.dest()...)
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
	before map[int]bool,
	now time.Time,
) error {
	// The tracking of an item removed from the report is kept: its history
	// stays, and its number is not given to another item (see
	// HighestActionNumber). A write that brings a new item under a removed
	// item's number (an import of an edited file can) starts that number
	// afresh: the old item's tracking must not become the new one's.
	for i := range p.ActionItems {
		x := &p.ActionItems[i]
		if !restore && before != nil && !before[x.Number] {
			if err := tx.forgetNumber(ctx, p.ID, x.Number); err != nil {
				return err
			}
		}
		note := ""
		if !restore {
			note = x.StartTracking()
		}
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
				Kind: debrief.ActionEventCreated, To: x.Status, Note: note}
			if err := tx.addActionEvent(ctx, ev); err != nil {
				return err
			}
		}
	}
	return nil
}

// itemNumbers lists the numbers of the report's items as stored.
func (tx *writeTx) itemNumbers(ctx context.Context, id string) (map[int]bool, error) {
	out := map[int]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT number FROM action_items
		WHERE postmortem_id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("read item numbers: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}

// forgetNumber drops what is kept of a removed item under the number: its
// tracking, history, steps and unsent notifications.
func (tx *writeTx) forgetNumber(ctx context.Context, id string, number int) error {
	for _, q := range []string{
		`DELETE FROM action_tracking WHERE postmortem_id = $1 AND number = $2`,
		`DELETE FROM action_events WHERE postmortem_id = $1 AND number = $2`,
		`DELETE FROM action_steps WHERE postmortem_id = $1 AND number = $2`,
		`DELETE FROM deliveries WHERE postmortem_id = $1 AND number = $2
			AND state = 'pending'`,
	} {
		if _, err := tx.ExecContext(ctx, q, id, number); err != nil {
			return fmt.Errorf("forget item %d: %w", number, err)
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

// ActionItems lists the items matching the filter, ranked as work is
// taken, each with what the lists show of its report: all of them, or the
// page f.Limit and f.Offset select.
func (db *DB) ActionItems(
	ctx context.Context,
	f debrief.ActionFilter,
) ([]debrief.ActionRow, error) {
	var rows []debrief.ActionRow
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		l, err := db.actionList(ctx, tx, f)
		if err != nil {
			return err
		}
		rows, err = l.page(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list action items: %w", err)
	}
	return rows, nil
}

// ActionPage returns the page of ranked items the filter selects, how many
// match in all and, when cellItems is above zero, the matrix of every
// matching item with the first cellItems items of each cell. Its queries
// share one read transaction, so the counts and the page agree.
func (db *DB) ActionPage(
	ctx context.Context,
	f debrief.ActionFilter,
	cellItems int,
) (*debrief.ActionPage, error) {
	out := &debrief.ActionPage{}
	err := db.inReadTx(ctx, func(tx *sql.Tx) error {
		l, err := db.actionList(ctx, tx, f)
		if err != nil {
			return err
		}
		switch {
		case cellItems > 0:
			out.Matrix, out.Total, err = l.matrix(ctx, tx, cellItems)
		case f.Limit > 0 || f.Offset > 0:
			out.Total, err = l.count(ctx, tx)
		default:
			// Every row is read: they are the count.
			out.Rows, err = l.page(ctx, tx)
			out.Total = len(out.Rows)
			return err
		}
		if err != nil || out.Total == 0 {
			return err
		}
		out.Rows, err = l.page(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list action items: %w", err)
	}
	return out, nil
}

// Ranking in SQL. A list is ordered by debrief's (*ActionItem).Rank, then
// by report and number, as workflow.SortActions orders rows in Go. The
// expressions are written out from Rank itself, for each pair of ratings
// and each purpose, so that the two cannot disagree; a test holds the
// stores' order to SortActions on a varied set of items.

// ratedLevels are the levels an item may be rated with; any other value
// leaves it unrated (see debrief.Level.Score).
var ratedLevels = []debrief.Level{debrief.LevelLow, debrief.LevelMedium, debrief.LevelHigh}

// quadrantRank is Rank's first key: the quadrant's place in the order work
// is taken, unrated items last. It is a CASE on the impact holding a CASE
// on the effort, which SQLite evaluates faster than one CASE on both.
var quadrantRank = func() string {
	unrated, _, _ := (&debrief.ActionItem{}).Rank()
	var b strings.Builder
	b.WriteString(`CASE a.impact`)
	for _, impact := range ratedLevels {
		fmt.Fprintf(&b, ` WHEN '%s' THEN CASE a.effort`, impact)
		for _, effort := range ratedLevels {
			q, _, _ := (&debrief.ActionItem{Impact: impact, Effort: effort}).Rank()
			fmt.Fprintf(&b, ` WHEN '%s' THEN %d`, effort, q)
		}
		fmt.Fprintf(&b, ` ELSE %d END`, unrated)
	}
	fmt.Fprintf(&b, ` ELSE %d END`, unrated)
	return b.String()
}()

// preventionKey and otherPurposeKey are Rank's second key for a
// prevention item and for any other.
var preventionKey, otherPurposeKey = func() (int, int) {
	_, first, _ := (&debrief.ActionItem{Purpose: debrief.PurposePrevention}).Rank()
	_, other, _ := (&debrief.ActionItem{}).Rank()
	return first, other
}()

// purposeRank is Rank's second key: prevention before anything else.
var purposeRank = fmt.Sprintf(`CASE a.purpose WHEN '%s' THEN %d ELSE %d END`,
	debrief.PurposePrevention, preventionKey, otherPurposeKey)

// dueRank is Rank's third key: the due date, undated items last.
var dueRank = func() string {
	_, _, undated := (&debrief.ActionItem{}).Rank()
	return `CASE a.due WHEN '' THEN '` + undated + `' ELSE a.due END`
}()

// closedStatuses are the statuses of finished work, as an SQL list.
var closedStatuses = func() string {
	var marks []string
	for _, s := range debrief.ActionStatuses {
		if s.Closed() {
			marks = append(marks, `'`+string(s)+`'`)
		}
	}
	return strings.Join(marks, ", ")
}()

// bytewise makes a text expression sort and compare byte by byte, as Go
// compares strings: PostgreSQL otherwise follows the database's locale,
// which can order "a-b" and "ab" the other way round. SQLite's default
// collation is already bytewise.
func (d dialect) bytewise(expr string) string {
	if d == dialectPostgres {
		return expr + ` COLLATE "C"`
	}
	return expr
}

// actionList is the SQL of one filtered list of action items.
type actionList struct {
	db *DB
	f  debrief.ActionFilter
	// reader is the filter's reader when some report is hidden from it,
	// else nil (see readerFor).
	reader *debrief.Actor
}

func (db *DB) actionList(
	ctx context.Context,
	tx *sql.Tx,
	f debrief.ActionFilter,
) (*actionList, error) {
	if f.Quadrant != "" && !slices.Contains(debrief.Quadrants, f.Quadrant) {
		return nil, debrief.FieldErrorf("quadrant", "unknown quadrant %q: use %s",
			f.Quadrant, strings.Join(debrief.Quadrants, ", "))
	}
	reader, err := readerFor(ctx, tx, f.Reader)
	if err != nil {
		return nil, err
	}
	return &actionList{db: db, f: f, reader: reader}, nil
}

// filtersTracking reports whether the filter looks at the items' tracking.
func (l *actionList) filtersTracking() bool {
	f := l.f
	return len(f.Statuses) > 0 || f.Open || f.Stalled
}

// open reports whether every item the filter keeps is open, so that
// whether one is finished need not be looked up.
func (l *actionList) open() bool {
	if l.f.Open {
		return true
	}
	return len(l.f.Statuses) > 0 && !slices.ContainsFunc(l.f.Statuses,
		func(s debrief.ActionStatus) bool { return s.Closed() })
}

// actionSQL is one query of a list: its conditions, whose placeholders it
// numbers, and how it reaches the items' tracking. PostgreSQL joins the
// tracking t, hashing it once. SQLite looks it up item by item instead:
// given the join, its planner reads every item twice, through an index and
// then the table, which made a page half as fast again; a count, which
// reads no column of the item, joins on both, reading two small indexes.
type actionSQL struct {
	*actionList
	c    conditions
	join bool
}

// query starts a query of the list; keysOnly says it reads no column of
// the items but their keys.
func (l *actionList) query(keysOnly bool) *actionSQL {
	return &actionSQL{actionList: l, join: keysOnly || l.db.dialect == dialectPostgres}
}

// tracked is the item's tracking column col as SQL.
func (q *actionSQL) tracked(col string) string {
	if q.join {
		return `t.` + col
	}
	return `(SELECT t.` + col + ` FROM action_tracking t
		WHERE t.postmortem_id = a.postmortem_id AND t.number = a.number)`
}

// from returns the FROM and WHERE of the items the filter keeps, and of
// the conditions the query added before, binding its values. readsTracking
// says the query reads the tracking beyond the filter (tracked, late,
// closed).
func (q *actionSQL) from(readsTracking bool) string {
	return q.fromJoining(readsTracking, "")
}

// fromJoining is from with more joins, which may name the items a and
// their tracking t.
func (q *actionSQL) fromJoining(readsTracking bool, joins string) string {
	c := &q.c
	q.addReports(`a.postmortem_id`)
	q.addItems()
	q.addTracking()

	from := ` FROM action_items a`
	switch {
	case !q.join:
	case q.filtersTracking():
		from += ` JOIN action_tracking t ON ` + trackingOfItem
	case readsTracking:
		from += ` LEFT JOIN action_tracking t ON ` + trackingOfItem
	}
	return from + joins + c.where()
}

// trackingOfItem joins the item a to its tracking t.
const trackingOfItem = `t.postmortem_id = a.postmortem_id AND t.number = a.number`

// addReports adds the filter's conditions on the items' reports, whose ID
// is the column col. They are sets of report IDs, which the database
// builds once, from its indexes, rather than test each item's report.
func (q *actionSQL) addReports(col string) {
	f, c := q.f, &q.c
	n := len(c.terms)
	c.addFilters(f.Service, f.Category, "")
	if len(c.terms) > n {
		reports := strings.Join(c.terms[n:], ` AND `)
		c.terms = append(c.terms[:n], col+` IN (SELECT p.id FROM postmortems p
			WHERE `+reports+`)`)
	}
	if cond := c.visibleTo(q.reader, "p"); cond != "" {
		c.terms = append(c.terms, col+` NOT IN (SELECT p.id FROM postmortems p
			WHERE p.visibility = '`+string(debrief.VisibilityRestricted)+`' AND NOT `+cond+`)`)
	}
	if f.PostmortemID != "" {
		c.add(col+` = ?`, f.PostmortemID)
	}
}

// addItems adds the filter's conditions on the items' own words.
func (q *actionSQL) addItems() {
	f, c := q.f, &q.c
	if len(f.Owners) > 0 {
		c.terms = append(c.terms, `lower(trim(a.owner)) IN (`+lowerMarks(c, f.Owners)+`)`)
	}
	if f.Team != nil {
		c.terms = append(c.terms, teamOwns(c, f.Team))
	}
	if f.Quadrant != "" {
		c.terms = append(c.terms, quadrantRank+` = `+
			strconv.Itoa(slices.Index(debrief.Quadrants, f.Quadrant)))
	}
	if f.DueBefore != "" {
		c.add(`a.due <> '' AND `+q.db.dialect.bytewise(`a.due`)+` < ?`, f.DueBefore)
	}
}

// addTracking adds the filter's conditions on the items' tracking. An item
// without tracking (none is expected) has no status and is kept by none.
func (q *actionSQL) addTracking() {
	f, c := q.f, &q.c
	if len(f.Statuses) > 0 {
		marks := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			marks[i] = c.placeholder(s)
		}
		c.terms = append(c.terms, q.tracked(`status`)+` IN (`+strings.Join(marks, ", ")+`)`)
	}
	if f.Open {
		c.terms = append(c.terms, q.tracked(`status`)+` NOT IN (`+closedStatuses+`)`)
	}
	if f.Stalled {
		if q.join {
			c.terms = append(c.terms, `t.stalled`)
		} else {
			c.terms = append(c.terms, `EXISTS (SELECT 1 FROM action_tracking t
				WHERE t.postmortem_id = a.postmortem_id AND t.number = a.number AND t.stalled)`)
		}
	}
}

// lowerMarks binds the names, trimmed, and lists their placeholders, each
// folded as lower() folds the column it is compared with.
func lowerMarks(c *conditions, names []string) string {
	marks := make([]string, len(names))
	for i, n := range names {
		marks[i] = `lower(` + c.placeholder(strings.TrimSpace(n)) + `)`
	}
	return strings.Join(marks, ", ")
}

// teamOwns is (*debrief.Team).Owns in SQL: an item owned by the team by
// name, or by one of its people unless its owner is marked a team.
func teamOwns(c *conditions, t *debrief.Team) string {
	byName := `lower(trim(a.owner)) = lower(` + c.placeholder(strings.TrimSpace(t.Name)) + `)`
	people := t.People()
	if len(people) == 0 {
		return byName
	}
	return `(` + byName + ` OR (NOT a.owner_is_team AND lower(trim(a.owner)) IN (` +
		lowerMarks(c, people) + `)))`
}

// closed is the SQL of "the item's work is finished".
func (q *actionSQL) closed() string {
	if q.open() {
		return `(1 = 0)`
	}
	return `(` + q.tracked(`status`) + ` IN (` + closedStatuses + `))`
}

// late returns the SQL of "overdue on the filter's Today", binding the
// date: due before it and not finished, as (*ActionItem).DaysOverdue
// counts. The due date is tested first, so that the tracking of an item
// not yet due is not read.
func (q *actionSQL) late() string {
	due := q.db.dialect.bytewise(`a.due`)
	cond := `a.due <> '' AND ` + due + ` < ` + q.c.placeholder(q.f.Today)
	if q.open() {
		return `(` + cond + `)`
	}
	return `(` + cond + ` AND ` + q.tracked(`status`) + ` NOT IN (` + closedStatuses + `))`
}

// order returns the ORDER BY keys of the list: the overdue items first
// when the filter asks, then the ranking.
func (q *actionSQL) order() []string {
	d := q.db.dialect
	keys := []string{quadrantRank, purposeRank, d.bytewise(dueRank),
		d.bytewise(`a.postmortem_id`), `a.number`}
	if q.f.LateFirst {
		late := q.late()
		keys = append([]string{`CASE WHEN ` + late + ` THEN 0 ELSE 1 END`,
			`CASE WHEN ` + late + ` THEN ` + d.bytewise(`a.due`) + ` ELSE '' END`}, keys...)
	}
	return keys
}

// count counts the items the filter keeps. Every stored item is numbered
// (the workflow numbers items before a save); saying so lets SQLite count
// from its partial index on (postmortem_id, number) instead of the items.
func (l *actionList) count(ctx context.Context, tx *sql.Tx) (int, error) {
	q := l.query(true)
	q.c.terms = append(q.c.terms, `a.number > 0`)
	var n int
	err := tx.QueryRowContext(ctx, `SELECT count(*)`+q.from(false), q.c.args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count action items: %w", err)
	}
	return n, nil
}

// actionRowColumns are what a list shows of an item, its tracking and its
// report, for action_items a, action_tracking t, postmortems p and
// incidents i, in the order scanActionRow reads them.
var actionRowColumns = actionItemColumns + `, a.postmortem_id, p.title, p.status,
	i.severity, p.category, i.id, i.started_at, t.created_at`

// actionRowJoins join an item's tracking and report to the keys k (pid,
// num) of a query that chose the items.
const actionRowJoins = ` JOIN action_items a ON a.postmortem_id = k.pid AND a.number = k.num
	LEFT JOIN action_tracking t ON ` + trackingOfItem + `
	JOIN postmortems p ON p.id = a.postmortem_id
	JOIN incidents i ON i.id = p.incident_id`

// scanActionRow scans actionRowColumns after skip columns it leaves out.
func scanActionRow(r *sql.Rows, skip int) (debrief.ActionRow, error) {
	var row debrief.ActionRow
	var started, since sql.NullTime
	lead := make([]any, skip)
	for i := range lead {
		lead[i] = new(any)
	}
	x, err := scanActionItemAfter(r, lead, &row.Ref.PostmortemID, &row.Title,
		&row.Report, &row.Severity, &row.Category, &row.IncidentID, &started, &since)
	row.Item, row.Ref.Number = x, x.Number
	row.StartedAt, row.Since = timeOf(started), timeOf(since)
	if x.UpdatedAt.After(row.Since) {
		row.Since = x.UpdatedAt
	}
	return row, err
}

// page reads the filter's page of ranked items with their services. The
// keys of the page are chosen first, reading only what ranks an item;
// what the list shows is read for those alone. A list of every item
// (exports) reads them in one pass instead, its keys first: PostgreSQL
// compares sort keys in the rows it sorts, and finds them faster at the
// start of a wide row than at its end (3 times, for 7,000 items).
func (l *actionList) page(ctx context.Context, tx *sql.Tx) ([]debrief.ActionRow, error) {
	var q *actionSQL
	var query string
	skip := 0
	if l.f.Limit <= 0 && l.f.Offset <= 0 {
		q = l.query(true)
		keys := q.order()
		positions := make([]string, len(keys))
		for i := range keys {
			positions[i] = strconv.Itoa(i + 1)
		}
		skip = len(keys)
		query = `SELECT ` + strings.Join(keys, `, `) + `, ` + actionRowColumns +
			q.fromJoining(true, `
			JOIN postmortems p ON p.id = a.postmortem_id
			JOIN incidents i ON i.id = p.incident_id`) +
			` ORDER BY ` + strings.Join(positions, `, `)
	} else {
		q = l.query(false)
		from := q.from(l.f.LateFirst)
		order := strings.Join(q.order(), `, `)
		limit, offset := page(l.f.Limit, l.f.Offset)
		query = `SELECT ` + actionRowColumns + ` FROM (SELECT a.postmortem_id AS pid,
				a.number AS num` + from + ` ORDER BY ` + order +
			` LIMIT ` + q.c.placeholder(limit) + ` OFFSET ` + q.c.placeholder(offset) + `) k` +
			actionRowJoins + ` ORDER BY ` + order
	}

	var rows []debrief.ActionRow
	err := eachRow(ctx, tx, query, q.c.args, func(r *sql.Rows) error {
		row, err := scanActionRow(r, skip)
		rows = append(rows, row)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read action items: %w", err)
	}
	return rows, readRowServices(ctx, tx, rows)
}

// A cell of the matrix shows its items by tier, then by rank (web's
// rankItems): prevention first, then open before finished, then overdue
// before on time. Counting the items of each tier first tells which tiers
// hold a cell's first items, and only those are read and sorted.

// tierKeys are the SQL of an item's tier: purposeRank, 1 when finished,
// 0 when overdue.
func (q *actionSQL) tierKeys() []string {
	return []string{purposeRank,
		`CASE WHEN ` + q.closed() + ` THEN 1 ELSE 0 END`,
		`CASE WHEN ` + q.late() + ` THEN 0 ELSE 1 END`}
}

// cellTier is one tier of a cell, and how many items it holds.
type cellTier struct {
	impact, effort debrief.Level
	keys           [3]int
	count          int
}

// matrix counts the filter's items in each cell of the impact/effort
// matrix and reads the first perCell items of each, as the matrix shows
// them. It returns the count of every item too, unrated ones included.
func (l *actionList) matrix(
	ctx context.Context,
	tx *sql.Tx,
	perCell int,
) (*debrief.ActionMatrix, int, error) {
	q := l.query(false)
	keys := q.tierKeys()
	query := `SELECT a.impact, a.effort, ` + strings.Join(keys, `, `) + `, count(*)` +
		q.from(true) + ` GROUP BY 1, 2, 3, 4, 5`

	m := &debrief.ActionMatrix{}
	total := 0
	tiers := map[[2]debrief.Level][]cellTier{}
	err := eachRow(ctx, tx, query, q.c.args, func(r *sql.Rows) error {
		var t cellTier
		err := r.Scan(&t.impact, &t.effort, &t.keys[0], &t.keys[1], &t.keys[2], &t.count)
		total += t.count
		if t.impact.Score() == 0 || t.effort.Score() == 0 {
			m.Unrated += t.count
			return err
		}
		cell := [2]debrief.Level{t.impact, t.effort}
		tiers[cell] = append(tiers[cell], t)
		return err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("count action items by impact and effort: %w", err)
	}
	if len(tiers) == 0 {
		return m, total, nil
	}

	cells := map[[2]debrief.Level]*debrief.ActionCell{}
	var first []cellTier
	for key, ts := range tiers {
		c := &debrief.ActionCell{Impact: key[0], Effort: key[1]}
		for _, t := range ts {
			c.Count += t.count
			if t.keys[0] == preventionKey {
				c.Prevention += t.count
			}
			if t.keys[2] == 0 {
				c.Late += t.count
			}
		}
		cells[key] = c
		first = append(first, firstTiers(ts, perCell)...)
	}
	err = l.cellItems(ctx, tx, perCell, first, func(row debrief.ActionRow) {
		if c := cells[[2]debrief.Level{row.Item.Impact, row.Item.Effort}]; c != nil {
			c.Items = append(c.Items, row)
		}
	})
	for _, c := range cells {
		m.Cells = append(m.Cells, *c)
	}
	return m, total, err
}

// firstTiers returns the tiers of a cell that hold its first n items.
func firstTiers(tiers []cellTier, n int) []cellTier {
	slices.SortFunc(tiers, func(x, y cellTier) int { return slices.Compare(x.keys[:], y.keys[:]) })
	held := 0
	for i, t := range tiers {
		if held += t.count; held >= n {
			return tiers[:i+1]
		}
	}
	return tiers
}

// cellItems reads the first perCell items of each cell of the matrix, in
// the order the matrix shows a cell, from the tiers that hold them.
func (l *actionList) cellItems(
	ctx context.Context,
	tx *sql.Tx,
	perCell int,
	tiers []cellTier,
	fn func(debrief.ActionRow),
) error {
	q := l.query(false)
	keys := q.tierKeys()
	var in []string
	for _, t := range tiers {
		in = append(in, fmt.Sprintf(`(a.impact = %s AND a.effort = %s AND %s = %d AND %s = %d `+
			`AND %s = %d)`, q.c.placeholder(t.impact), q.c.placeholder(t.effort),
			keys[0], t.keys[0], keys[1], t.keys[1], keys[2], t.keys[2]))
	}
	q.c.terms = append(q.c.terms, `(`+strings.Join(in, `
		OR `)+`)`)
	d := q.db.dialect
	order := strings.Join(append(keys, d.bytewise(dueRank), d.bytewise(`a.postmortem_id`),
		`a.number`), `, `)
	// The LIMIT tells PostgreSQL's planner how few items come out, so
	// that it looks up their reports rather than hash every report.
	cells := len(ratedLevels) * len(ratedLevels)
	query := `SELECT ` + actionRowColumns + ` FROM (SELECT w.pid, w.num, w.n
			FROM (SELECT a.postmortem_id AS pid, a.number AS num,
				row_number() OVER (PARTITION BY a.impact, a.effort ORDER BY ` + order + `) AS n` +
		q.from(true) + `) w
			WHERE w.n <= ` + q.c.placeholder(perCell) + `
			LIMIT ` + q.c.placeholder(cells*perCell) + `) k` + actionRowJoins + `
		ORDER BY a.impact, a.effort, k.n`

	err := eachRow(ctx, tx, query, q.c.args, func(r *sql.Rows) error {
		row, err := scanActionRow(r, 0)
		fn(row)
		return err
	})
	if err != nil {
		return fmt.Errorf("read the matrix's action items: %w", err)
	}
	return nil
}

// servicesBatch is how many incidents one query of readRowServices asks
// about: lists of every item (exports, escalation) name thousands, and a
// statement with as many placeholders is slow to compile and, past
// 32,766 or 65,535 of them, refused.
const servicesBatch = 500

// readRowServices fills in the services of the rows' incidents, a query
// per batch of servicesBatch incidents.
func readRowServices(ctx context.Context, tx *sql.Tx, rows []debrief.ActionRow) error {
	byIncident := map[string][]int{}
	var incidents []string
	for i, r := range rows {
		if _, seen := byIncident[r.IncidentID]; !seen {
			incidents = append(incidents, r.IncidentID)
		}
		byIncident[r.IncidentID] = append(byIncident[r.IncidentID], i)
	}
	for batch := range slices.Chunk(incidents, servicesBatch) {
		services, err := servicesOf(ctx, tx, batch)
		if err != nil {
			return err
		}
		for id, list := range services {
			for _, i := range byIncident[id] {
				rows[i].Services = slices.Clip(list)
			}
		}
	}
	return nil
}
