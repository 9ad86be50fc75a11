package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/debrief-oss/debrief"
	"github.com/debrief-oss/debrief/markdown"
)

// SavePostmortem inserts or replaces the whole report in one transaction,
// refusing with a KindConflict error when p.Version is not the stored version.
// See debrief.PostmortemStore. p is normalised first (see normalise).
func (db *DB) SavePostmortem(ctx context.Context, p *debrief.Postmortem) error {
	return db.write1(ctx, debrief.BatchWrite{Postmortem: p})
}

// RestorePostmortem writes the report as given, Version, CreatedAt and
// UpdatedAt included, without a version check. p is normalised first.
func (db *DB) RestorePostmortem(ctx context.Context, p *debrief.Postmortem) error {
	return db.write1(ctx, debrief.BatchWrite{Postmortem: p, Restore: true})
}

// write1 writes one report in its own transaction.
func (db *DB) write1(ctx context.Context, w debrief.BatchWrite) error {
	if err := prepare(w.Postmortem); err != nil {
		return err
	}
	var meta stamp
	err := db.inWriteTx(ctx, func(tx *writeTx) error {
		var err error
		meta, err = tx.write(ctx, w, db.clock())
		return err
	})
	if err != nil {
		return err
	}
	meta.apply(w.Postmortem)
	return nil
}

// SavePostmortems writes a batch in one transaction, each report inside its
// own savepoint, so a refused report is rolled back alone. One commit for
// many reports is what makes a bulk import fast: a commit costs more than
// all the rows of a report. See debrief.PostmortemStore.
//
// The search documents of the batch are written after its savepoints, many
// to a statement (see writeSearchDocuments).
func (db *DB) SavePostmortems(ctx context.Context, batch []debrief.BatchWrite) ([]error, error) {
	errs := make([]error, len(batch))
	metas := make([]stamp, len(batch))
	for i, w := range batch {
		errs[i] = prepare(w.Postmortem)
	}
	err := db.inWriteTx(ctx, func(tx *writeTx) error {
		now := db.clock()
		tx.searchDocs = new([]searchDocument)
		for i, w := range batch {
			if errs[i] != nil {
				continue
			}
			var err error
			metas[i], errs[i], err = tx.writeInSavepoint(ctx, w, now)
			if err != nil {
				return err
			}
		}
		return tx.writeSearchDocuments(ctx)
	})
	if err != nil {
		return nil, err
	}
	for i, w := range batch {
		if errs[i] == nil {
			metas[i].apply(w.Postmortem)
		}
	}
	return errs, nil
}

// writeInSavepoint writes one report of a batch. A refusal of the report
// (invalid, conflict) rolls back to the savepoint and is returned as refused;
// any other error ends the batch.
func (tx *writeTx) writeInSavepoint(
	ctx context.Context,
	w debrief.BatchWrite,
	now time.Time,
) (meta stamp, refused, err error) {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT report`); err != nil {
		return meta, nil, fmt.Errorf("savepoint: %w", err)
	}
	docs := len(*tx.searchDocs)
	meta, err = tx.write(ctx, w, now)
	switch debrief.ErrorKind(err) {
	case debrief.KindInvalid, debrief.KindConflict:
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO SAVEPOINT report`); rerr != nil {
			return meta, nil, fmt.Errorf("rollback to savepoint: %w", rerr)
		}
		*tx.searchDocs = (*tx.searchDocs)[:docs]
		refused, err = err, nil
	}
	if err != nil {
		return meta, nil, err
	}
	if _, err := tx.ExecContext(ctx, `RELEASE SAVEPOINT report`); err != nil {
		return meta, nil, fmt.Errorf("release savepoint: %w", err)
	}
	return meta, refused, nil
}

// write saves (with the version check) or restores one prepared report.
func (tx *writeTx) write(ctx context.Context, w debrief.BatchWrite, now time.Time) (stamp, error) {
	p := w.Postmortem
	cur, err := tx.current(ctx, p.ID)
	if err != nil {
		return stamp{}, err
	}
	meta := stamp{version: p.Version, createdAt: p.CreatedAt, updatedAt: p.UpdatedAt}
	if !w.Restore {
		meta, err = saveStamp(p, cur, now)
		if err != nil {
			return stamp{}, err
		}
	}
	if cur.exists && !cur.recorded {
		if err := tx.recordStored(ctx, p.ID); err != nil {
			return stamp{}, err
		}
	}
	var before map[int]bool // nil: a new report, with nothing to forget
	if cur.exists {
		if before, err = tx.itemNumbers(ctx, p.ID); err != nil {
			return stamp{}, err
		}
	}
	if err := tx.writePostmortem(ctx, p, meta, cur); err != nil {
		return stamp{}, err
	}
	return meta, tx.writeTracking(ctx, p, w.Restore, before, now)
}

// saveStamp decides the version and times of a save over cur.
func saveStamp(p *debrief.Postmortem, cur stored, now time.Time) (stamp, error) {
	meta := stamp{updatedAt: now, version: 1, createdAt: p.CreatedAt}
	if !cur.exists {
		if meta.createdAt.IsZero() {
			meta.createdAt = now
		}
		return meta, nil
	}
	if cur.version != p.Version {
		return stamp{}, &debrief.Error{
			Kind: debrief.KindConflict,
			Message: fmt.Sprintf("report %s was changed by someone else: "+
				"it is at version %d, not %d", p.ID, cur.version, p.Version),
			Err: debrief.ErrStaleVersion,
		}
	}
	meta.version, meta.createdAt = cur.version+1, cur.createdAt
	return meta, nil
}

// stamp is what a save decides about a report's version and times.
type stamp struct {
	version   int
	createdAt time.Time
	updatedAt time.Time
}

// apply copies the stored version and times into p, in their stored form.
func (m stamp) apply(p *debrief.Postmortem) {
	p.Version, p.CreatedAt, p.UpdatedAt = m.version, utc(m.createdAt), utc(m.updatedAt)
}

// stored is what a save needs to know about the stored row.
type stored struct {
	exists     bool
	version    int
	createdAt  time.Time
	incidentID string
	// recorded is whether the stored version has its revision; one saved
	// before revisions were recorded has none.
	recorded bool
}

// current reads the stored version of a report, locking its row on
// PostgreSQL so that concurrent saves of it queue. SQLite needs no lock: the
// single write connection already serialises saves.
func (tx *writeTx) current(ctx context.Context, id string) (stored, error) {
	q := selectCurrent
	if tx.db.dialect == dialectPostgres {
		q += ` FOR UPDATE`
	}
	var s stored
	var created sql.NullTime
	err := tx.queryRow(ctx, q, id).Scan(&s.version, &created, &s.incidentID, &s.recorded)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("read version: %w", err)
	}
	s.exists = true
	s.createdAt = timeOf(created)
	return s, nil
}

// writePostmortem writes p with meta, replacing the stored report when there
// is one, and records the revision it makes.
func (tx *writeTx) writePostmortem(
	ctx context.Context,
	p *debrief.Postmortem,
	meta stamp,
	cur stored,
) error {
	if err := tx.checkSource(ctx, p); err != nil {
		return err
	}
	if err := tx.writeIncident(ctx, &p.Incident); err != nil {
		return fmt.Errorf("write incident: %w", err)
	}

	args := postmortemArgs(p, meta)
	if cur.exists {
		if _, err := tx.exec(ctx, updatePostmortem, args...); err != nil {
			return fmt.Errorf("update report: %w", err)
		}
		if err := tx.deleteParts(ctx, p.ID); err != nil {
			return err
		}
		if cur.incidentID != p.Incident.ID {
			if err := tx.deleteOrphanIncident(ctx, cur.incidentID); err != nil {
				return err
			}
		}
	} else {
		_, err := tx.exec(ctx, insertPostmortem, args...)
		if isUniqueViolation(err) {
			// Another transaction inserted the same ID since this one
			// looked: the version this save assumed (none) is stale.
			return &debrief.Error{Kind: debrief.KindConflict,
				Message: fmt.Sprintf("report %s was saved by someone else", p.ID),
				Err:     debrief.ErrStaleVersion}
		}
		if err != nil {
			return fmt.Errorf("insert report: %w", err)
		}
	}

	if err := tx.writeParts(ctx, p); err != nil {
		if isForeignKeyViolation(err) || isUniqueViolation(err) {
			return &debrief.Error{Kind: debrief.KindInvalid,
				Message: "report parts are inconsistent", Err: err}
		}
		return err
	}
	if err := tx.writeRevision(ctx, p, meta); err != nil {
		return err
	}
	return tx.db.failAfterParts
}

// checkSource refuses a source path that another report was imported from,
// with a clearer message than the unique index would give.
func (tx *writeTx) checkSource(ctx context.Context, p *debrief.Postmortem) error {
	if p.Source.Path == "" {
		return nil
	}
	var other string
	err := tx.queryRow(ctx, selectSourceOwner, p.Source.Path, p.ID).Scan(&other)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("check source: %w", err)
	}
	return debrief.Errorf(debrief.KindConflict,
		"source %q was already imported as report %s", p.Source.Path, other)
}

const upsertIncident = `INSERT INTO incidents (id, title, severity, category, status,
	started_at, started_year, detected_at, acknowledged_at, mitigated_at, resolved_at,
	user_impact, critical_process)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (id) DO UPDATE SET title = excluded.title, severity = excluded.severity,
	category = excluded.category, status = excluded.status,
	started_at = excluded.started_at, started_year = excluded.started_year,
	detected_at = excluded.detected_at, acknowledged_at = excluded.acknowledged_at,
	mitigated_at = excluded.mitigated_at, resolved_at = excluded.resolved_at,
	user_impact = excluded.user_impact, critical_process = excluded.critical_process`

func (tx *writeTx) writeIncident(ctx context.Context, in *debrief.Incident) error {
	var year any
	if !in.StartedAt.IsZero() {
		year = in.StartedAt.Year()
	}
	_, err := tx.exec(ctx, upsertIncident, in.ID, in.Title, in.Severity, in.Category, in.Status,
		nullTime(in.StartedAt), year, nullTime(in.DetectedAt), nullTime(in.AcknowledgedAt),
		nullTime(in.MitigatedAt), nullTime(in.ResolvedAt), in.UserImpact, in.CriticalProcess)
	if err != nil {
		return err
	}

	if _, err := tx.exec(ctx, deleteServices, in.ID); err != nil {
		return err
	}
	for i, s := range in.Services {
		_, err := tx.exec(ctx, insertService, in.ID, i, s)
		if err != nil {
			return err
		}
	}
	return nil
}

// deleteOrphanIncident removes an incident that no report belongs to any
// more, unless it stands without one: alerts opened it (it has alerts or
// their events), or the trigger policy or a person said something about it.
func (tx *writeTx) deleteOrphanIncident(ctx context.Context, id string) error {
	_, err := tx.exec(ctx, `DELETE FROM incidents WHERE id = $1
		AND NOT EXISTS (SELECT 1 FROM postmortems WHERE incident_id = $1)
		AND NOT EXISTS (SELECT 1 FROM alerts WHERE incident_id = $1)
		AND NOT EXISTS (SELECT 1 FROM incident_events WHERE incident_id = $1)
		AND NOT EXISTS (SELECT 1 FROM incident_decisions WHERE incident_id = $1)
		AND NOT EXISTS (SELECT 1 FROM policy_requests WHERE incident_id = $1)`, id)
	if err != nil {
		return fmt.Errorf("delete incident: %w", err)
	}
	return nil
}

const postmortemColumns = `id, incident_id, title, status, visibility, facilitator, time_zone,
	category, summary_category, executive_summary, narrative,
	root_cause, trigger_text, detection, resolution, meeting_date, meeting_notes,
	source_path, source_format, source_digest, created_at, updated_at, version, updated_by`

const insertPostmortem = `INSERT INTO postmortems (` + postmortemColumns + `)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
	$13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)`

const updatePostmortem = `UPDATE postmortems SET incident_id = $2, title = $3, status = $4,
	visibility = $5, facilitator = $6, time_zone = $7, category = $8,
	summary_category = $9, executive_summary = $10, narrative = $11,
	root_cause = $12, trigger_text = $13, detection = $14, resolution = $15,
	meeting_date = $16, meeting_notes = $17, source_path = $18, source_format = $19,
	source_digest = $20, created_at = $21, updated_at = $22, version = $23, updated_by = $24
WHERE id = $1`

func postmortemArgs(p *debrief.Postmortem, meta stamp) []any {
	a := &p.Analysis
	return []any{
		p.ID, p.Incident.ID, p.Title, p.Status, p.Visibility, p.Facilitator, p.TimeZone,
		listCategory(p), p.Summary.Category, p.Summary.ExecutiveSummary, p.Summary.Narrative,
		a.RootCause, a.Trigger, a.Detection, a.Resolution,
		nullTime(p.Meeting.Date), p.Meeting.Notes,
		p.Source.Path, p.Source.Format, p.Source.Digest,
		nullTime(meta.createdAt), nullTime(meta.updatedAt), meta.version, p.UpdatedBy,
	}
}

// listCategory is the category lists filter on: the summary's, else the
// incident's.
func listCategory(p *debrief.Postmortem) debrief.Category {
	if p.Summary.Category != "" {
		return p.Summary.Category
	}
	return p.Incident.Category
}

// partTables are the tables holding a report's repeated parts. A replace
// deletes their rows and writes them anew; tables added later that must
// outlive a save (revisions, grants) are not listed here.
var partTables = []string{
	"postmortem_authors", "timeline_events", "whys", "fishbone_causes",
	"contributing_factors", "impacts", "lessons", "action_items", "team_members",
	"meeting_attendees", "links", "postmortem_tags", "sections", "custom_fields",
	"search_documents",
}

func (tx *writeTx) deleteParts(ctx context.Context, id string) error {
	for _, t := range partTables {
		if t == "search_documents" && tx.searchDocs != nil {
			continue // replaced with the batch's other search documents
		}
		if _, err := tx.exec(ctx, deletePart(t), id); err != nil {
			return fmt.Errorf("delete %s: %w", t, err)
		}
	}
	return nil
}

// insertRows inserts n rows into table, args(i) giving the values after
// postmortem_id and position. Rows go in batches of batchSizes, so that a
// report's dozens of rows take a few statements, each prepared once.
func (tx *writeTx) insertRows(
	ctx context.Context,
	table string,
	id string,
	n int,
	args func(i int) []any,
) error {
	var batch []any
	for i := 0; i < n; {
		size := batchSizes[len(batchSizes)-1]
		for _, b := range batchSizes {
			if b <= n-i {
				size = b
				break
			}
		}
		batch = batch[:0]
		for j := i; j < i+size; j++ {
			batch = append(batch, id, j)
			batch = append(batch, args(j)...)
		}
		if _, err := tx.exec(ctx, insertPart(table, size), batch...); err != nil {
			return fmt.Errorf("insert %s: %w", table, err)
		}
		i += size
	}
	return nil
}

// batchSizes are the numbers of rows one INSERT of parts takes, largest first.
var batchSizes = []int{16, 4, 1}

// partColumns are the columns of each part table after postmortem_id and
// position.
var partColumns = map[string]string{
	"postmortem_authors":   "name",
	"timeline_events":      "at, time_text, text, kind, source, flag",
	"whys":                 "why_id, parent_id, question, answer, kind",
	"fishbone_causes":      "category, text, kind",
	"contributing_factors": "category, description, how_contributed",
	"impacts": "kind, description, minutes_down, users_affected, failed_transactions, " +
		"money, currency",
	"lessons": "kind, text",
	"action_items": "number, description, owner, owner_is_team, due, impact, effort, " +
		"category, purpose, success_metric, verification, status, blocked_reason, tracker_url",
	"team_members":      "name, role",
	"meeting_attendees": "name",
	"links":             "title, url",
	"postmortem_tags":   "tag",
	"sections":          "heading, body",
}

type partInsert struct {
	table string
	rows  int
}

// partInserts holds the INSERT statement of each part table for each batch size.
var partInserts = func() map[partInsert]string {
	m := make(map[partInsert]string)
	for table, columns := range partColumns {
		width := strings.Count(columns, ",") + 3
		for _, rows := range batchSizes {
			var b strings.Builder
			fmt.Fprintf(&b, "INSERT INTO %s (postmortem_id, position, %s) VALUES ", table, columns)
			for r := range rows {
				if r > 0 {
					b.WriteString(", ")
				}
				b.WriteString("(")
				for c := range width {
					if c > 0 {
						b.WriteString(", ")
					}
					fmt.Fprintf(&b, "$%d", r*width+c+1)
				}
				b.WriteString(")")
			}
			m[partInsert{table, rows}] = b.String()
		}
	}
	return m
}()

func insertPart(table string, rows int) string { return partInserts[partInsert{table, rows}] }

const (
	selectCurrent = `SELECT version, created_at, incident_id,
	EXISTS (SELECT 1 FROM revisions r
		WHERE r.postmortem_id = postmortems.id AND r.version = postmortems.version)
FROM postmortems WHERE id = $1`
	// source_path <> '' lets the planner use the partial unique index.
	selectSourceOwner = `SELECT id FROM postmortems
WHERE source_path = $1 AND source_path <> '' AND id <> $2`
	deleteServices   = `DELETE FROM incident_services WHERE incident_id = $1`
	insertService    = `INSERT INTO incident_services (incident_id, position, service) VALUES ($1, $2, $3)`
	insertField      = `INSERT INTO custom_fields (postmortem_id, name, value) VALUES ($1, $2, $3)`
	insertSearchText = `INSERT INTO search_documents (postmortem_id, title, summary, body)
VALUES ($1, $2, $3, $4)`
)

// writeQueries lists the statements a save runs, to be prepared once on the
// SQLite write connection.
func writeQueries() []string {
	qs := []string{selectCurrent, selectSourceOwner, upsertIncident, deleteServices,
		insertService, insertPostmortem,
		updatePostmortem, insertField, insertSearchText, upsertRevision}
	for _, t := range partTables {
		qs = append(qs, deletePart(t))
	}
	for _, q := range partInserts {
		qs = append(qs, q)
	}
	return append(qs, alertQueries()...)
}

func deletePart(table string) string {
	return `DELETE FROM ` + table + ` WHERE postmortem_id = $1`
}

func (tx *writeTx) writeParts(ctx context.Context, p *debrief.Postmortem) error {
	id := p.ID
	a := &p.Analysis
	steps := []struct {
		table string
		n     int
		args  func(i int) []any
	}{
		{"postmortem_authors", len(p.Authors), func(i int) []any {
			return []any{p.Authors[i]}
		}},
		{"timeline_events", len(p.Timeline),
			func(i int) []any {
				e := &p.Timeline[i]
				return []any{nullTime(e.Time), e.TimeText, e.Text, e.Kind, e.Source, e.Flag}
			}},
		{"whys", len(a.Whys), func(i int) []any {
			w := &a.Whys[i]
			var parent any
			if w.ParentID != 0 {
				parent = w.ParentID
			}
			return []any{w.ID, parent, w.Question, w.Answer, w.Kind}
		}},
		{"fishbone_causes", len(a.Causes), func(i int) []any {
			c := &a.Causes[i]
			return []any{c.Category, c.Text, c.Kind}
		}},
		{"contributing_factors", len(p.ContributingFactors), func(i int) []any {
			f := &p.ContributingFactors[i]
			return []any{f.Category, f.Description, f.HowContributed}
		}},
		{"impacts", len(p.Impacts), func(i int) []any {
			m := &p.Impacts[i]
			return []any{m.Kind, m.Description, m.MinutesDown, m.UsersAffected,
				m.FailedTransactions, m.Money, m.Currency}
		}},
		{"lessons", len(p.Lessons), func(i int) []any {
			return []any{p.Lessons[i].Kind, p.Lessons[i].Text}
		}},
		{"action_items", len(p.ActionItems), func(i int) []any {
			x := &p.ActionItems[i]
			return []any{x.Number, x.Description, x.Owner, x.OwnerIsTeam, x.Due, x.Impact,
				x.Effort, x.Category, x.Purpose, x.SuccessMetric, x.Verification, x.Status,
				x.BlockedReason, x.TrackerURL}
		}},
		{"team_members", len(p.Team), func(i int) []any {
			return []any{p.Team[i].Name, p.Team[i].Role}
		}},
		{"meeting_attendees", len(p.Meeting.Attendees), func(i int) []any {
			return []any{p.Meeting.Attendees[i]}
		}},
		{"links", len(p.Links), func(i int) []any {
			return []any{p.Links[i].Title, p.Links[i].URL}
		}},
		{"postmortem_tags", len(p.Tags), func(i int) []any {
			return []any{p.Tags[i]}
		}},
		{"sections", len(p.Sections), func(i int) []any {
			return []any{p.Sections[i].Heading, p.Sections[i].Body}
		}},
	}
	for _, s := range steps {
		if err := tx.insertRows(ctx, s.table, id, s.n, s.args); err != nil {
			return err
		}
	}

	if err := tx.writeFields(ctx, id, p.Fields); err != nil {
		return err
	}
	return tx.writeSearchDocument(ctx, p)
}

func (tx *writeTx) writeFields(ctx context.Context, id string, fields map[string]string) error {
	names := make([]string, 0, len(fields))
	for k := range fields {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		_, err := tx.exec(ctx, insertField, id, k, fields[k])
		if err != nil {
			return fmt.Errorf("insert custom_fields: %w", err)
		}
	}
	return nil
}

// searchDocument is the text the search indexes of one report.
type searchDocument struct {
	id, title, summary, body string
}

func (tx *writeTx) writeSearchDocument(ctx context.Context, p *debrief.Postmortem) error {
	d := searchDocument{id: p.ID}
	d.title, d.summary, d.body = searchText(p)
	if tx.searchDocs != nil {
		*tx.searchDocs = append(*tx.searchDocs, d)
		return nil
	}
	_, err := tx.exec(ctx, insertSearchText, d.id, d.title, d.summary, d.body)
	if err != nil {
		return fmt.Errorf("index report: %w", err)
	}
	return nil
}

// writeSearchDocuments writes the search documents collected in a batch,
// replacing the reports' earlier ones, many to a statement: FTS5 writes out
// its pending changes as a new index segment at the start of every
// statement that changes it, so one row per statement would make a segment
// per report and per index, and merging them would cost more than indexing.
func (tx *writeTx) writeSearchDocuments(ctx context.Context) error {
	docs := *tx.searchDocs
	for len(docs) > 0 {
		n := min(len(docs), maxSearchRows)
		ids := make([]string, n)
		var del, ins conditions
		for i, d := range docs[:n] {
			ids[i] = del.placeholder(d.id)
			ins.terms = append(ins.terms, "("+ins.placeholder(d.id)+", "+
				ins.placeholder(d.title)+", "+ins.placeholder(d.summary)+", "+
				ins.placeholder(d.body)+")")
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM search_documents WHERE postmortem_id IN (`+
			strings.Join(ids, ", ")+`)`, del.args...)
		if err != nil {
			return fmt.Errorf("delete search_documents: %w", err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO search_documents (postmortem_id, title, summary, body)
VALUES `+strings.Join(ins.terms, ", "), ins.args...)
		if err != nil {
			return fmt.Errorf("index reports: %w", err)
		}
		docs = docs[n:]
	}
	return nil
}

// maxSearchRows is how many search documents one statement writes at most.
const maxSearchRows = 100

// searchText splits the report's text into the three weighted parts of the
// search index: the title; the executive summary and narrative; the rest.
// The text is indexed without its Markdown syntax (see markdown.PlainText), which
// snippets would otherwise show.
func searchText(p *debrief.Postmortem) (title, summary, body string) {
	var b strings.Builder
	add := func(s string) {
		s = indexable(s)
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(s)
	}
	add(p.Summary.ExecutiveSummary)
	add(p.Summary.Narrative)
	summary = b.String()

	b.Reset()
	a := &p.Analysis
	add(a.RootCause)
	add(a.Trigger)
	add(a.Detection)
	add(a.Resolution)
	for _, e := range p.Timeline {
		add(e.Text)
	}
	for _, f := range p.ContributingFactors {
		add(f.Description)
		add(f.HowContributed)
	}
	for _, x := range p.ActionItems {
		add(x.Description)
	}
	for _, l := range p.Lessons {
		add(l.Text)
	}
	for _, s := range p.Sections {
		add(s.Heading)
		add(s.Body)
	}
	for _, s := range p.Incident.Services {
		add(s)
	}
	for _, t := range p.Tags {
		add(t)
	}
	return indexable(p.Title), summary, b.String()
}

// markerSpace turns the highlight markers into spaces: text that holds them
// would make snippets that mark words the search did not find.
var markerSpace = strings.NewReplacer(debrief.HighlightStart, " ", debrief.HighlightEnd, " ")

// indexable is the text of s a search reads: its plain text, without the
// characters that mark matches in snippets.
func indexable(s string) string {
	return markerSpace.Replace(markdown.PlainText(s))
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func timeOf(t sql.NullTime) time.Time {
	if !t.Valid {
		return time.Time{}
	}
	return t.Time.UTC()
}
