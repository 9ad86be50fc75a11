-- People and their API tokens. Login names are unique ignoring case, by an
-- index on lower(name) (names are ASCII, which SQLite's lower() covers). A
-- token is stored by the SHA-256 of its secret, never the secret; its role
-- is at most its user's, which the store checks.

-- +goose Up
CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'contributor', 'facilitator', 'admin')),
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    disabled      BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE UNIQUE INDEX users_name_lower ON users (lower(name));

CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash         TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role IN ('viewer', 'contributor', 'facilitator', 'admin')),
    label        TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP,
    revoked_at   TIMESTAMP
);
CREATE INDEX tokens_user ON tokens (user_id, id);

-- +goose Down
DROP TABLE tokens;
DROP TABLE users;
