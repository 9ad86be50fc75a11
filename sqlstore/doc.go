// Package sqlstore keeps postmortems in SQLite or PostgreSQL, implementing
// debrief.PostmortemStore, RevisionStore, UserStore and SessionStore on both
// with one schema design and mostly shared SQL (modernc binds $N
// placeholders by number, as PostgreSQL does).
//
// The report is stored as data, not as a document: incidents and
// postmortems have a row each, and every repeated part (timeline events,
// whys, contributing factors, action items, …) has a table of its own with a
// position column, so that order survives and later features can query the
// parts directly. A save replaces the parts in one transaction; tables that
// must outlive a save (revisions, grants) are left alone.
//
// On SQLite, Open keeps two pools. SQLite admits one writer at a time, so all
// writes go through a single connection: saves queue in Go instead of
// failing with SQLITE_BUSY, and the statements of a save are prepared once
// on that connection. Reads run on a separate pool of several connections,
// which WAL lets proceed while a write commits. The pragmas, set per
// connection through the DSN, are busy_timeout first (so that even the next
// pragmas wait for a lock rather than fail), journal_mode WAL (readers beside
// the writer), foreign_keys (SQLite leaves them off, and the cascades depend
// on them) and synchronous NORMAL (safe with WAL, and it saves an fsync per
// commit). Times are written with _time_format=sqlite so they scan back.
//
// Search differs by dialect. SQLite uses two FTS5 indexes over the
// search_documents table (external content, kept in step by triggers in the
// save's transaction): search_fts stems words with porter, search_words does
// not and serves prefix terms, since a stemmed index holds "incid" where the
// user typed "inciden*". Both rank by bm25 with the title weighted ten and
// the summary four; snippets come from snippet(). PostgreSQL uses two stored
// generated tsvectors on the same table, document (english) and words
// (simple), weighted alike (title A, executive summary and narrative B, the
// rest C) with GIN indexes, ranked by ts_rank_cd, snippets from ts_headline.
// The indexed text is the report's without its inline Markdown syntax, so
// that snippets read as prose. On both, the user's query is parsed by one
// small parser (words, "phrases", prefix*, -exclusions (or NOT), AND and
// OR) and rendered safely: quoted FTS5
// phrases, or websearch_to_tsquery and to_tsquery calls with bound
// arguments.
//
// Revisions: every write of a report records a row in revisions in the
// same transaction, keyed by report and version, holding who saved it, when,
// its status and the whole report as stored, as JSON text. Reading an old
// version unmarshals that snapshot instead of replaying changes, at the cost
// of storing the whole report again for every version. Reports last saved
// before revisions were recorded have no rows; their current version stands
// in, and the next write records it before replacing it.
//
// People, tokens and sessions: login names are unique ignoring case (an
// index on lower(name)); a token is kept as the SHA-256 of its secret, and
// the time of its last use is written at most once a minute, so that
// authenticating API requests seldom takes the SQLite write connection. A
// browser session is kept like a token, by the SHA-256 of its secret;
// looking one up joins its user, so that a changed role or a disabled user
// takes effect at once.
//
// Normalisation: a saved report reads back equal (go-cmp) to the report
// passed to SavePostmortem or RestorePostmortem, because both first bring it
// to the stored form: times in UTC at microsecond precision, empty slices and
// maps as nil, and an incident without an ID given the report's ID.
package sqlstore
