-- The report is stored as data: one row per incident and postmortem, one
-- table per repeated part, each with a position column so that order
-- round-trips. Child tables are WITHOUT ROWID, clustered by their primary key,
-- so reading a report's parts is a range scan.

-- +goose Up
CREATE TABLE incidents (
    id              TEXT PRIMARY KEY,
    title           TEXT NOT NULL DEFAULT '',
    severity        TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL DEFAULT '',
    started_at      TIMESTAMP,
    -- started_year is derived from started_at at save time, so the list's
    -- year filter and facet use an index on both dialects.
    started_year    INTEGER,
    detected_at     TIMESTAMP,
    acknowledged_at TIMESTAMP,
    mitigated_at    TIMESTAMP,
    resolved_at     TIMESTAMP
);
CREATE INDEX incidents_severity ON incidents (severity);
CREATE INDEX incidents_started_year ON incidents (started_year);
CREATE INDEX incidents_started_at ON incidents (started_at);

CREATE TABLE incident_services (
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    service     TEXT NOT NULL,
    PRIMARY KEY (incident_id, position)
) WITHOUT ROWID;
CREATE INDEX incident_services_service ON incident_services (service, incident_id);

CREATE TABLE postmortems (
    id                TEXT PRIMARY KEY,
    incident_id       TEXT NOT NULL REFERENCES incidents (id),
    title             TEXT NOT NULL DEFAULT '',
    status            TEXT NOT NULL DEFAULT '',
    visibility        TEXT NOT NULL DEFAULT '',
    facilitator       TEXT NOT NULL DEFAULT '',
    time_zone         TEXT NOT NULL DEFAULT '',
    -- category is what lists filter on: the summary's category, or the
    -- incident's when the summary names none. summary_category keeps what
    -- the author wrote.
    category          TEXT NOT NULL DEFAULT '',
    summary_category  TEXT NOT NULL DEFAULT '',
    executive_summary TEXT NOT NULL DEFAULT '',
    narrative         TEXT NOT NULL DEFAULT '',
    root_cause        TEXT NOT NULL DEFAULT '',
    trigger_text      TEXT NOT NULL DEFAULT '',
    detection         TEXT NOT NULL DEFAULT '',
    resolution        TEXT NOT NULL DEFAULT '',
    meeting_date      TIMESTAMP,
    meeting_notes     TEXT NOT NULL DEFAULT '',
    source_path       TEXT NOT NULL DEFAULT '',
    source_format     TEXT NOT NULL DEFAULT '',
    source_digest     TEXT NOT NULL DEFAULT '',
    created_at        TIMESTAMP,
    updated_at        TIMESTAMP,
    version           INTEGER NOT NULL
);
CREATE UNIQUE INDEX postmortems_source_path ON postmortems (source_path) WHERE source_path <> '';
CREATE INDEX postmortems_incident ON postmortems (incident_id);
CREATE INDEX postmortems_category ON postmortems (category);
CREATE INDEX postmortems_status ON postmortems (status);
CREATE INDEX postmortems_title ON postmortems (title);

CREATE TABLE postmortem_authors (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, position)
) WITHOUT ROWID;

CREATE TABLE timeline_events (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    at            TIMESTAMP,
    time_text     TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL DEFAULT '',
    source        TEXT NOT NULL DEFAULT '',
    flag          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, position)
) WITHOUT ROWID;

-- whys is a forest: parent_id names another why of the same report. The
-- foreign key is deferred so that rows may be inserted in any order.
CREATE TABLE whys (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    why_id        INTEGER NOT NULL,
    parent_id     INTEGER,
    position      INTEGER NOT NULL,
    question      TEXT NOT NULL DEFAULT '',
    answer        TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, why_id),
    UNIQUE (postmortem_id, position),
    FOREIGN KEY (postmortem_id, parent_id) REFERENCES whys (postmortem_id, why_id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
) WITHOUT ROWID;

CREATE TABLE fishbone_causes (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    category      TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, position)
) WITHOUT ROWID;

CREATE TABLE contributing_factors (
    postmortem_id   TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    category        TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    how_contributed TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, position)
) WITHOUT ROWID;
CREATE INDEX contributing_factors_category ON contributing_factors (category);

CREATE TABLE impacts (
    postmortem_id       TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    kind                TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    minutes_down        REAL,
    users_affected      INTEGER,
    failed_transactions INTEGER,
    -- money is a decimal string, kept as text so it reads back as written.
    money               TEXT NOT NULL DEFAULT '',
    currency            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, position)
) WITHOUT ROWID;

CREATE TABLE lessons (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    kind          TEXT NOT NULL DEFAULT '',
    text          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, position)
) WITHOUT ROWID;

-- Action items are named by (postmortem_id, number), which stays stable
-- across edits, so later lifecycle tables can refer to them by that pair.
CREATE TABLE action_items (
    postmortem_id  TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    number         INTEGER NOT NULL,
    description    TEXT NOT NULL DEFAULT '',
    owner          TEXT NOT NULL DEFAULT '',
    owner_is_team  INTEGER NOT NULL DEFAULT 0,
    -- due is a calendar date "YYYY-MM-DD" or empty; as text it compares in
    -- date order and reads back exactly as written.
    due            TEXT NOT NULL DEFAULT '',
    impact         TEXT NOT NULL DEFAULT '',
    effort         TEXT NOT NULL DEFAULT '',
    category       TEXT NOT NULL DEFAULT '',
    purpose        TEXT NOT NULL DEFAULT '',
    success_metric TEXT NOT NULL DEFAULT '',
    verification   TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT '',
    blocked_reason TEXT NOT NULL DEFAULT '',
    tracker_url    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, position)
) WITHOUT ROWID;
CREATE UNIQUE INDEX action_items_number ON action_items (postmortem_id, number) WHERE number > 0;
CREATE INDEX action_items_status ON action_items (status, due);
CREATE INDEX action_items_owner ON action_items (owner);

CREATE TABLE team_members (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, position)
) WITHOUT ROWID;

CREATE TABLE meeting_attendees (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, position)
) WITHOUT ROWID;

CREATE TABLE links (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    title         TEXT NOT NULL DEFAULT '',
    url           TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, position)
) WITHOUT ROWID;

CREATE TABLE postmortem_tags (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    tag           TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, position)
) WITHOUT ROWID;
CREATE INDEX postmortem_tags_tag ON postmortem_tags (tag, postmortem_id);

CREATE TABLE sections (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    heading       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, position)
) WITHOUT ROWID;

CREATE TABLE custom_fields (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    value         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, name)
) WITHOUT ROWID;

-- search_documents holds the text search indexes, written with the report.
-- search_fts is an external-content FTS5 index over it; the triggers keep the
-- two in step, deletes by cascade included.
CREATE TABLE search_documents (
    id            INTEGER PRIMARY KEY,
    postmortem_id TEXT NOT NULL UNIQUE REFERENCES postmortems (id) ON DELETE CASCADE,
    title         TEXT NOT NULL DEFAULT '',
    summary       TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT ''
);

-- porter stems English words as PostgreSQL's english configuration does;
-- remove_diacritics 2 lets "cafe" find "café".
CREATE VIRTUAL TABLE search_fts USING fts5 (
    title, summary, body,
    content = 'search_documents',
    content_rowid = 'id',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- rank orders hits by bm25 with a title match worth ten and a summary match
-- four of a match elsewhere. Queries that ORDER BY rank let FTS5 sort inside
-- the index and compute snippets only for the rows returned.
INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(10.0, 4.0, 1.0)');

-- +goose StatementBegin
CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN
    INSERT INTO search_fts (rowid, title, summary, body)
    VALUES (new.id, new.title, new.summary, new.body);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, summary, body)
    VALUES ('delete', old.id, old.title, old.summary, old.body);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN
    INSERT INTO search_fts (search_fts, rowid, title, summary, body)
    VALUES ('delete', old.id, old.title, old.summary, old.body);
    INSERT INTO search_fts (rowid, title, summary, body)
    VALUES (new.id, new.title, new.summary, new.body);
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE search_fts;
DROP TABLE search_documents;
DROP TABLE custom_fields;
DROP TABLE sections;
DROP TABLE postmortem_tags;
DROP TABLE links;
DROP TABLE meeting_attendees;
DROP TABLE team_members;
DROP TABLE action_items;
DROP TABLE lessons;
DROP TABLE impacts;
DROP TABLE contributing_factors;
DROP TABLE fishbone_causes;
DROP TABLE whys;
DROP TABLE timeline_events;
DROP TABLE postmortem_authors;
DROP TABLE postmortems;
DROP TABLE incident_services;
DROP TABLE incidents;
