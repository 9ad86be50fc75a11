-- Who saved each version of a report, and browser sessions.
--
-- Every save writes one revisions row in the save's transaction, with the
-- report as stored after it as JSON. The snapshot is TEXT, not JSONB: it is
-- only ever read back whole, and TEXT returns the bytes written, where JSONB
-- would reorder keys and cost a parse on every save. Reports saved before
-- this migration have no rows; the store shows their current version
-- instead, and records it when a save replaces it.
--
-- A session is stored by the SHA-256 of its secret, like a token.

-- +goose Up
ALTER TABLE postmortems ADD COLUMN updated_by TEXT NOT NULL DEFAULT '';

CREATE TABLE revisions (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    author        TEXT NOT NULL DEFAULT '',
    saved_at      TIMESTAMPTZ,
    status        TEXT NOT NULL DEFAULT '',
    snapshot      TEXT NOT NULL,
    PRIMARY KEY (postmortem_id, version)
);

CREATE TABLE sessions (
    hash       TEXT PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires_at ON sessions (expires_at);

-- +goose Down
DROP TABLE sessions;
DROP TABLE revisions;
ALTER TABLE postmortems DROP COLUMN updated_by;
