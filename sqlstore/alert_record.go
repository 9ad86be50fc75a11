package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/debrief-oss/debrief"
)

// RecordAlerts folds the events read from a payload into incidents, in one
// transaction. See debrief.AlertStore and debrief.FoldAlert.
//
// The batch is folded in memory: an incident and its alerts are read once,
// when the first event that needs them comes, and written once at the end,
// the new alerts and timeline entries many rows to a statement. An alert
// storm arrives as payloads of a hundred alerts, and a statement per event
// would cost several times the fold.
//
// On PostgreSQL, where several processes may record alerts of one group at
// once, each group's row is locked before its incident is read, so that the
// first payload of a new group opens its incident and the others join it.
// Groups are locked in one order, and incidents are opened by one
// transaction at a time (see claimID). A deadlock PostgreSQL still reports
// (a person's edit of an incident, say) is tried again.
func (db *DB) RecordAlerts(
	ctx context.Context,
	payloadID int64,
	events []debrief.AlertEvent,
) ([]debrief.IncidentChange, error) {
	if err := checkAlertEvents(events); err != nil {
		return nil, err
	}
	keys := make([]string, len(events))
	for i := range events {
		keys[i] = groupEventKey(&events[i])
	}
	for attempt := 1; ; attempt++ {
		var changes []debrief.IncidentChange
		err := db.inWriteTx(ctx, func(tx *writeTx) error {
			r := &recorder{tx: tx, payloadID: payloadID,
				groups:    make(map[alertGroup]*groupState),
				incidents: make(map[string]*foldedIncident),
				recorded:  make(map[string]string)}
			var err error
			changes, err = r.record(ctx, events, keys, db.clock())
			return err
		})
		if err == nil {
			return changes, nil
		}
		if attempt == maxRecordAttempts || !isDeadlock(err) {
			return nil, err
		}
		db.logger.LogAttrs(ctx, slog.LevelWarn, "recording alerts deadlocked; trying again",
			slog.Int64("payload_id", payloadID))
	}
}

// groupEventKey is the event's key within its group (see
// debrief.AlertEvent.EventKey), the key an event is recorded under: two
// groups may hold alerts of one key, and each gets its events.
func groupEventKey(ev *debrief.AlertEvent) string {
	h := sha256.New()
	for _, part := range []string{string(ev.Source), ev.GroupKey, ev.EventKey()} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// maxRecordAttempts is how often RecordAlerts tries a transaction that
// PostgreSQL ended to break a deadlock.
const maxRecordAttempts = 3

// isDeadlock reports whether PostgreSQL ended the transaction to break a
// deadlock or a serialization failure, which trying again resolves.
func isDeadlock(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// maxKeyLen bounds group and alert keys: they are primary keys, and a
// PostgreSQL index entry must fit in a third of a page.
const maxKeyLen = 1024

// checkAlertEvents refuses events that cannot be folded: without the keys
// that place them, without a time, or with a state or time out of range.
func checkAlertEvents(events []debrief.AlertEvent) error {
	for i := range events {
		ev := &events[i]
		field := "events[" + strconv.Itoa(i) + "]"
		switch {
		case !slices.Contains(debrief.AlertSources, ev.Source):
			return debrief.FieldErrorf(field+".source",
				"%s: %q is not an alerting tool debrief knows", field, ev.Source)
		case strings.TrimSpace(ev.GroupKey) == "":
			return debrief.FieldErrorf(field+".group_key", "%s has no group key", field)
		case strings.TrimSpace(ev.AlertKey) == "":
			return debrief.FieldErrorf(field+".alert_key", "%s has no alert key", field)
		case len(ev.GroupKey) > maxKeyLen || len(ev.AlertKey) > maxKeyLen:
			return debrief.FieldErrorf(field+".group_key",
				"%s: a group or alert key is longer than %d bytes", field, maxKeyLen)
		case ev.At.IsZero():
			return debrief.FieldErrorf(field+".at", "%s has no time", field)
		}
		switch ev.Status {
		case "", debrief.AlertFiring, debrief.AlertAcknowledged, debrief.AlertResolved:
		default:
			return debrief.FieldErrorf(field+".status",
				"%s: %q is not an alert state: firing, acknowledged or resolved", field, ev.Status)
		}
		for _, t := range []struct {
			name string
			at   time.Time
		}{{"at", ev.At}, {"starts_at", ev.StartsAt}, {"ends_at", ev.EndsAt}} {
			if y := t.at.UTC().Year(); !t.at.IsZero() && (y < 1900 || y > 2100) {
				return debrief.FieldErrorf(field+"."+t.name,
					"%s.%s is in the year %d: give a time between 1900 and 2100", field, t.name, y)
			}
		}
	}
	return nil
}

// recorder folds one payload's events in one transaction.
type recorder struct {
	tx        *writeTx
	payloadID int64
	groups    map[alertGroup]*groupState
	incidents map[string]*foldedIncident
	// touched lists the incidents the events went to, in the order they did.
	touched []*foldedIncident
	// recorded maps the key of every event recorded, before or in this
	// batch, that the batch has, to its incident.
	recorded map[string]string
	// opening is whether the transaction holds openingIncidentsLock.
	opening bool
}

type alertGroup struct {
	source debrief.AlertSource
	key    string
}

// groupState is the incident a group's events join, "" when none.
type groupState struct {
	incidentID string
	moved      bool // differs from the stored one
}

// foldedIncident is an incident as the batch has folded it so far.
type foldedIncident struct {
	in      debrief.Incident
	before  debrief.IncidentStatus
	created bool
	touched bool
	// forFold is whether the incident was read to fold events into: locked
	// on PostgreSQL, with its alerts. An incident only replayed events went
	// to is read without.
	forFold bool
	alerts  map[string]*debrief.Alert
	changed map[string]bool // keys of the alerts to write
	events  []newEvent
}

type newEvent struct {
	debrief.IncidentEvent
	key string
}

func (r *recorder) record(
	ctx context.Context,
	events []debrief.AlertEvent,
	keys []string,
	now time.Time,
) ([]debrief.IncidentChange, error) {
	if r.tx.db.dialect == dialectPostgres {
		// Every query here finds rows by key through an index. Until
		// autovacuum has analyzed a new database's tables, PostgreSQL
		// guesses that a list of event keys matches a tenth of the events
		// and scans them all: 8 ms a payload in a storm of 10,000 alerts on
		// a new database, growing with the table. Forbid the scan.
		_, err := r.tx.ExecContext(ctx, `SELECT set_config('enable_seqscan', 'off', true)`)
		if err != nil {
			return nil, fmt.Errorf("record alerts: %w", err)
		}
	}
	if err := r.lockPayload(ctx); err != nil {
		return nil, err
	}
	if err := r.lockGroups(ctx, events); err != nil {
		return nil, err
	}
	// After the locks, so that events a concurrent payload of the same
	// groups recorded are seen.
	if err := r.findRecorded(ctx, keys); err != nil {
		return nil, err
	}
	for i := range events {
		if err := r.fold(ctx, &events[i], keys[i]); err != nil {
			return nil, err
		}
	}
	if err := r.flush(ctx, now); err != nil {
		return nil, err
	}
	changes := make([]debrief.IncidentChange, len(r.touched))
	for i, f := range r.touched {
		changes[i] = debrief.IncidentChange{IncidentID: f.in.ID, Created: f.created,
			Before: f.before, After: f.in.Status, Events: len(f.events)}
	}
	return changes, nil
}

// lockPayload finds the payload, locking it on PostgreSQL so that two
// recordings of it queue.
func (r *recorder) lockPayload(ctx context.Context) error {
	var id int64
	err := r.tx.queryRow(ctx, selectPayloadID+r.forUpdate(), r.payloadID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return payloadNotFound(r.payloadID, nil)
	}
	if err != nil {
		return fmt.Errorf("record alerts: %w", err)
	}
	return nil
}

// lockGroups reads the incident of each group the events name, in one
// order. On PostgreSQL a group's row is first inserted if missing (a
// concurrent insert makes this one wait for its end), then locked, so a
// new group's row exists to be locked by whoever comes second.
func (r *recorder) lockGroups(ctx context.Context, events []debrief.AlertEvent) error {
	var groups []alertGroup
	for i := range events {
		g := alertGroup{events[i].Source, events[i].GroupKey}
		if r.groups[g] == nil {
			r.groups[g] = &groupState{}
			groups = append(groups, g)
		}
	}
	slices.SortFunc(groups, compareGroups)
	for _, g := range groups {
		if r.tx.db.dialect == dialectPostgres {
			_, err := r.tx.ExecContext(ctx, `INSERT INTO alert_groups (source, group_key)
				VALUES ($1, $2) ON CONFLICT (source, group_key) DO NOTHING`, g.source, g.key)
			if err != nil {
				return fmt.Errorf("lock alert group: %w", err)
			}
		}
		var id sql.NullString
		err := r.tx.queryRow(ctx, selectGroup+r.forUpdate(), g.source, g.key).Scan(&id)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read alert group: %w", err)
		}
		r.groups[g].incidentID = id.String
	}
	return nil
}

func compareGroups(a, b alertGroup) int {
	if c := strings.Compare(string(a.source), string(b.source)); c != 0 {
		return c
	}
	return strings.Compare(a.key, b.key)
}

// forUpdate is the row lock clause of the dialect: SQLite needs none, its
// one write connection taking the database's write lock at BEGIN.
func (r *recorder) forUpdate() string {
	if r.tx.db.dialect == dialectPostgres {
		return ` FOR UPDATE`
	}
	return ""
}

// findRecorded looks up which of the events are recorded already, in any
// incident of their group: a tool that repeats an alert its group had
// before the group's incident resolved must not bring it into the next
// incident.
// The list of keys is padded with its last key to one of rowSizes, so that
// the query is one of a few prepared ones.
func (r *recorder) findRecorded(ctx context.Context, keys []string) error {
	for len(keys) > 0 {
		size := rowSizes[0] // the smallest size that takes all keys, or the largest
		for _, s := range rowSizes {
			if s >= len(keys) {
				size = s
			}
		}
		n := min(len(keys), size)
		args := make([]any, size)
		for i := range args {
			args[i] = keys[min(i, n-1)]
		}
		err := eachRow(ctx, preparedTx{r.tx}, selectRecorded(size), args,
			func(rows *sql.Rows) error {
				var key, incident string
				err := rows.Scan(&key, &incident)
				r.recorded[key] = incident
				return err
			})
		if err != nil {
			return fmt.Errorf("find recorded events: %w", err)
		}
		keys = keys[n:]
	}
	return nil
}

func selectRecorded(n int) string {
	marks := make([]string, n)
	for i := range marks {
		marks[i] = "$" + strconv.Itoa(i+1)
	}
	return `SELECT event_key, incident_id FROM incident_events WHERE event_key IN (` +
		strings.Join(marks, ", ") + `)`
}

// fold applies one event: nothing for one recorded before, which only
// counts its incident as touched; else the event joins its group's
// incident, or opens a new one (see debrief.OpensNewIncident).
func (r *recorder) fold(ctx context.Context, ev *debrief.AlertEvent, key string) error {
	if id, ok := r.recorded[key]; ok {
		// Read without its alerts: a tool repeating a whole group, as
		// Alertmanager does, sends payloads of nothing new.
		f, err := r.incident(ctx, id, false)
		if f != nil {
			r.touch(f)
		}
		return err
	}

	g := r.groups[alertGroup{ev.Source, ev.GroupKey}]
	var f *foldedIncident
	if g.incidentID != "" {
		var err error
		if f, err = r.incident(ctx, g.incidentID, true); err != nil {
			return err
		}
	}
	if f == nil || debrief.OpensNewIncident(&f.in, *ev) {
		var err error
		if f, err = r.open(ctx, ev); err != nil {
			return err
		}
		g.incidentID, g.moved = f.in.ID, true
	}

	e := debrief.FoldAlert(&f.in, f.alerts, *ev)
	// As stored: the next payload folds into what it reads back.
	for _, t := range f.in.Moments() {
		*t = utc(*t)
	}
	e.PayloadID = r.payloadID
	f.events = append(f.events, newEvent{e, key})
	f.changed[ev.AlertKey] = true
	r.recorded[key] = f.in.ID
	r.touch(f)
	return nil
}

func (r *recorder) touch(f *foldedIncident) {
	if !f.touched {
		f.touched = true
		r.touched = append(r.touched, f)
	}
}

// incident returns the incident with id as the batch has it, reading it on
// first use; nil when there is none. forFold reads it to fold into.
func (r *recorder) incident(
	ctx context.Context,
	id string,
	forFold bool,
) (*foldedIncident, error) {
	f := r.incidents[id]
	if f != nil && (f.forFold || !forFold) {
		return f, nil
	}
	q := selectIncident
	if forFold {
		q += r.forUpdate()
	}
	s, err := scanIncident(r.tx.queryRow(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read incident: %w", err)
	}
	if err := readServices(ctx, r.tx.Tx, []*debrief.IncidentSummary{&s}); err != nil {
		return nil, err
	}
	if f == nil {
		f = &foldedIncident{before: s.Status}
		r.incidents[id] = f
	}
	f.in = s.Incident
	if forFold {
		f.forFold = true
		f.changed = make(map[string]bool)
		if f.alerts, err = r.readAlerts(ctx, id); err != nil {
			return nil, err
		}
	}
	return f, nil
}

func (r *recorder) readAlerts(ctx context.Context, id string) (map[string]*debrief.Alert, error) {
	m := make(map[string]*debrief.Alert)
	err := eachRow(ctx, preparedTx{r.tx}, selectAlerts, []any{id}, func(rows *sql.Rows) error {
		a, err := scanAlert(rows, id)
		m[a.Key] = a
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read alerts: %w", err)
	}
	return m, nil
}

// open creates the incident ev opens, under an ID no incident has.
func (r *recorder) open(ctx context.Context, ev *debrief.AlertEvent) (*foldedIncident, error) {
	in := debrief.NewAlertIncident(*ev)
	id, err := r.claimID(ctx, &in, ev.At)
	if err != nil {
		return nil, err
	}
	in.ID = id
	f := &foldedIncident{in: in, created: true, forFold: true,
		alerts: make(map[string]*debrief.Alert), changed: make(map[string]bool)}
	r.incidents[id] = f
	return f, nil
}

// claimID inserts a bare incident under the first free ID of the form the
// workflow gives people's incidents: the base, then the base with -2, -3 …
// -99, then with random digits. The insert claims the ID: a concurrent
// claim of the same ID waits for this transaction and then moves on.
//
// On PostgreSQL the first claim of a transaction waits for the others that
// open incidents to end: two payloads claiming IDs of the same titles in
// opposite orders would each wait for the other's claim, a deadlock that
// PostgreSQL takes a second to find. Incidents are opened far less often
// than alerts arrive, so opening them one transaction at a time costs
// little.
//
// The numbers taken are looked up first, so that a storm of groups with one
// title does not try every number before a free one.
func (r *recorder) claimID(
	ctx context.Context,
	in *debrief.Incident,
	at time.Time,
) (string, error) {
	if r.tx.db.dialect == dialectPostgres && !r.opening {
		if _, err := r.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`,
			openingIncidentsLock); err != nil {
			return "", fmt.Errorf("open incident: %w", err)
		}
		r.opening = true
	}
	base := debrief.IncidentIDBase(in, at)
	taken, err := r.takenNumbers(ctx, base)
	if err != nil {
		return "", err
	}
	for n := 1; n < 110; n++ {
		id := base
		switch {
		case taken[n]:
			continue
		case n >= 100:
			var b [4]byte
			_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
			id = base + "-" + hex.EncodeToString(b[:])
		case n > 1:
			id = base + "-" + strconv.Itoa(n)
		}
		res, err := r.tx.exec(ctx, claimIncident, id, in.Title, in.Status)
		if err != nil {
			return "", fmt.Errorf("open incident: %w", err)
		}
		if claimed, err := res.RowsAffected(); err != nil || claimed == 1 {
			return id, err
		}
	}
	return "", fmt.Errorf("open incident: no free id for %s", base)
}

// openingIncidentsLock is the PostgreSQL advisory lock a transaction holds
// while it opens incidents: "debrief" in ASCII.
const openingIncidentsLock int64 = 0x64656272696566

// takenNumbers returns the numbers n of the IDs base (1) and base-n that
// incidents have.
func (r *recorder) takenNumbers(ctx context.Context, base string) (map[int]bool, error) {
	taken := make(map[int]bool)
	// IDs from base-2 to base-99 sort between base + "-" and base + "."
	// (the character after "-").
	err := eachRow(ctx, preparedTx{r.tx}, selectTakenIDs, []any{base, base + "-", base + "."},
		func(rows *sql.Rows) error {
			var id string
			if err := rows.Scan(&id); err != nil {
				return err
			}
			if id == base {
				taken[1] = true
			} else if n, err := strconv.Atoi(strings.TrimPrefix(id, base+"-")); err == nil {
				taken[n] = true
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("open incident: %w", err)
	}
	return taken, nil
}

// flush writes what the batch folded: each changed incident once, its
// changed alerts and new timeline entries, the groups that moved to a new
// incident, and the payload as processed with the incidents it touched.
func (r *recorder) flush(ctx context.Context, now time.Time) error {
	var alerts, events [][]any
	for _, f := range r.touched {
		if len(f.events) == 0 {
			continue
		}
		if err := r.tx.writeIncident(ctx, &f.in); err != nil {
			return fmt.Errorf("write incident: %w", err)
		}
		for _, k := range sortedKeys(f.changed) {
			a := f.alerts[k]
			alerts = append(alerts, []any{f.in.ID, a.Key, a.Source, a.Title, a.Status,
				a.Severity, nanos(a.StartsAt), nanos(a.EndsAt), nanos(a.ChangedAt), a.URL})
		}
		for _, e := range f.events {
			events = append(events, []any{f.in.ID, e.At.UnixNano(), e.Kind, e.Source,
				e.AlertKey, e.Status, e.Text, e.PayloadID, e.key})
		}
	}
	if err := r.tx.insertMany(ctx, upsertAlerts, alerts); err != nil {
		return fmt.Errorf("write alerts: %w", err)
	}
	if err := r.tx.insertMany(ctx, insertIncidentEvents, events); err != nil {
		return fmt.Errorf("write incident events: %w", err)
	}
	if err := r.writeGroups(ctx); err != nil {
		return err
	}
	return r.markProcessed(ctx, now)
}

const upsertAlerts = `INSERT INTO alerts (incident_id, alert_key, source, title, status,
	severity, starts_at, ends_at, changed_at, url) VALUES %s
ON CONFLICT (incident_id, alert_key) DO UPDATE SET source = excluded.source,
	title = excluded.title, status = excluded.status, severity = excluded.severity,
	starts_at = excluded.starts_at, ends_at = excluded.ends_at, changed_at = excluded.changed_at,
	url = excluded.url`

const insertIncidentEvents = `INSERT INTO incident_events (incident_id, at, kind, source,
	alert_key, status, text, payload_id, event_key) VALUES %s`

func (r *recorder) writeGroups(ctx context.Context) error {
	var moved []alertGroup
	for g, st := range r.groups {
		if st.moved {
			moved = append(moved, g)
		}
	}
	slices.SortFunc(moved, compareGroups)
	for _, g := range moved {
		_, err := r.tx.exec(ctx, upsertGroup, g.source, g.key, r.groups[g].incidentID)
		if err != nil {
			return fmt.Errorf("write alert group: %w", err)
		}
	}
	return nil
}

// markProcessed marks the payload processed and records the incidents it
// touched, replacing those of an earlier attempt.
func (r *recorder) markProcessed(ctx context.Context, now time.Time) error {
	_, err := r.tx.exec(ctx, markProcessed, r.payloadID, debrief.PayloadProcessed, now)
	if err != nil {
		return fmt.Errorf("mark payload processed: %w", err)
	}
	_, err = r.tx.exec(ctx, deletePayloadIncidents, r.payloadID)
	if err != nil {
		return fmt.Errorf("mark payload processed: %w", err)
	}
	rows := make([][]any, len(r.touched))
	for i, f := range r.touched {
		rows[i] = []any{r.payloadID, f.in.ID, i}
	}
	err = r.tx.insertMany(ctx, insertPayloadIncidents, rows)
	if err != nil {
		return fmt.Errorf("mark payload processed: %w", err)
	}
	return nil
}

// rowSizes are the numbers of rows one multi-row statement takes, largest
// first. Rows are cut into these sizes so that each statement is one of a
// few, prepared once on SQLite, where compiling a statement of a hundred
// rows costs as much as running it.
var rowSizes = []int{25, 5, 1}

// rowSize returns the largest of rowSizes that n rows fill.
func rowSize(n int) int {
	for _, s := range rowSizes {
		if s <= n {
			return s
		}
	}
	return 1
}

// multiRow returns query with its %s replaced by rows VALUES lists of width
// placeholders each.
func multiRow(query string, width, rows int) string {
	var b strings.Builder
	for i := range rows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range width {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("$" + strconv.Itoa(i*width+j+1))
		}
		b.WriteByte(')')
	}
	return fmt.Sprintf(query, b.String())
}

// insertMany runs query, whose %s stands for the VALUES lists, for rows,
// many rows a statement (see rowSizes).
func (tx *writeTx) insertMany(ctx context.Context, query string, rows [][]any) error {
	for len(rows) > 0 {
		n := rowSize(len(rows))
		var args []any
		for _, row := range rows[:n] {
			args = append(args, row...)
		}
		if _, err := tx.exec(ctx, multiRow(query, len(rows[0]), n), args...); err != nil {
			return err
		}
		rows = rows[n:]
	}
	return nil
}

// preparedTx runs a write transaction's queries through the statements
// prepared at Open, where there is one, as writeTx.exec does.
type preparedTx struct{ *writeTx }

func (t preparedTx) QueryContext(
	ctx context.Context,
	query string,
	args ...any,
) (*sql.Rows, error) {
	if s, ok := t.db.stmts[query]; ok {
		return t.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return t.writeTx.QueryContext(ctx, query, args...)
}

// The fixed statements of RecordAlerts.
const (
	selectPayloadID = `SELECT id FROM payloads WHERE id = $1`
	selectGroup     = `SELECT incident_id FROM alert_groups WHERE source = $1 AND group_key = $2`
	selectIncident  = `SELECT ` + incidentColumns + ` FROM incidents i WHERE i.id = $1`
	selectTakenIDs  = `SELECT id FROM incidents WHERE id = $1 OR (id > $2 AND id < $3)`
	claimIncident   = `INSERT INTO incidents (id, title, status) VALUES ($1, $2, $3)
ON CONFLICT (id) DO NOTHING`
	upsertGroup = `INSERT INTO alert_groups (source, group_key, incident_id) VALUES ($1, $2, $3)
ON CONFLICT (source, group_key) DO UPDATE SET incident_id = excluded.incident_id`
	markProcessed = `UPDATE payloads SET status = $2, problem = '', attempts = attempts + 1,
	processed_at = $3 WHERE id = $1`
	deletePayloadIncidents = `DELETE FROM payload_incidents WHERE payload_id = $1`
	insertPayloadIncidents = `INSERT INTO payload_incidents (payload_id, incident_id, position)
VALUES %s`
)

// alertQueries lists the statements RecordAlerts runs, to be prepared once
// on the SQLite write connection (see writeQueries). On SQLite no row is
// locked, so the statements are those without FOR UPDATE.
func alertQueries() []string {
	qs := []string{selectPayloadID, selectGroup, selectIncident, selectTakenIDs,
		claimIncident, selectAlerts, upsertGroup, markProcessed, deletePayloadIncidents}
	for _, n := range rowSizes {
		qs = append(qs, selectRecorded(n), multiRow(upsertAlerts, 10, n),
			multiRow(insertIncidentEvents, 9, n), multiRow(insertPayloadIncidents, 3, n))
	}
	return qs
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
