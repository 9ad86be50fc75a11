-- Action items on their way to a verified close.
--
-- An item's words (description, owner, due date, ratings) are part of its
-- report and are rewritten with it; its tracking (status, closure, ticket,
-- stalled, recheck) changes through the item's own lifecycle and lives in
-- action_tracking, which a report save does not rewrite: a status moved
-- while someone edits the report is not undone by their save. A report
-- save adds the row of a new item and drops the rows of removed ones.
--
-- action_events is each item's history, notifications included.
-- action_steps records each escalation step taken (one row per item, step
-- and due date), in the same transaction as the deliveries the step
-- queues, so a step is taken once and its notifications are queued with
-- it or not at all. deliveries is the outbox the notifier works through:
-- a row is leased before it is sent and marked sent after, so a crash
-- leaves it pending and it is sent when its lease runs out.
--
-- calendar_feeds holds the secrets of the iCalendar feed URLs, stored by
-- their SHA-256 like API tokens; a feed reads items as its user may.

-- +goose Up
ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';

CREATE TABLE action_tracking (
    postmortem_id    TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    number           INTEGER NOT NULL,
    status           TEXT NOT NULL DEFAULT 'open',
    blocked_reason   TEXT NOT NULL DEFAULT '',
    closed           BOOLEAN NOT NULL DEFAULT FALSE,
    implemented      BOOLEAN NOT NULL DEFAULT FALSE,
    tested           BOOLEAN NOT NULL DEFAULT FALSE,
    documented       BOOLEAN NOT NULL DEFAULT FALSE,
    result           TEXT NOT NULL DEFAULT '',
    evidence         TEXT NOT NULL DEFAULT '',
    verified_by      TEXT NOT NULL DEFAULT '',
    verified_at      TIMESTAMP,
    updated_by       TEXT NOT NULL DEFAULT '',
    updated_at       TIMESTAMP,
    created_at       TIMESTAMP NOT NULL,
    stalled          BOOLEAN NOT NULL DEFAULT FALSE,
    ticket_system    TEXT NOT NULL DEFAULT '',
    ticket_key       TEXT NOT NULL DEFAULT '',
    ticket_url       TEXT NOT NULL DEFAULT '',
    ticket_status    TEXT NOT NULL DEFAULT '',
    ticket_synced_at TIMESTAMP,
    ticket_pushed    TEXT NOT NULL DEFAULT '',
    recheck          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, number)
) WITHOUT ROWID;
CREATE INDEX action_tracking_status ON action_tracking (status);
CREATE UNIQUE INDEX action_tracking_ticket ON action_tracking (ticket_system, ticket_key)
    WHERE ticket_key <> '';

CREATE TABLE action_events (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    happened_at   TIMESTAMP NOT NULL,
    actor         TEXT NOT NULL DEFAULT '',
    kind          TEXT NOT NULL,
    from_status   TEXT NOT NULL DEFAULT '',
    to_status     TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    link          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX action_events_item ON action_events (postmortem_id, number, id);

CREATE TABLE action_steps (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    step          TEXT NOT NULL,
    taken_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (postmortem_id, number, step)
) WITHOUT ROWID;

CREATE TABLE deliveries (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_key  TEXT NOT NULL UNIQUE,
    channel       TEXT NOT NULL,
    recipients    TEXT NOT NULL DEFAULT '',
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    event         TEXT NOT NULL,
    message       TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       TIMESTAMP NOT NULL,
    lease_until   TIMESTAMP,
    last_error    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMP NOT NULL,
    sent_at       TIMESTAMP
);
CREATE INDEX deliveries_due ON deliveries (state, next_at, id);
CREATE INDEX deliveries_item ON deliveries (postmortem_id, number);

CREATE TABLE calendar_feeds (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    scope      TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);
CREATE INDEX calendar_feeds_user ON calendar_feeds (user_id, id);

-- Every item stored before this migration starts its tracking here, with
-- the status its report gave it.
INSERT INTO action_tracking (postmortem_id, number, status, blocked_reason, created_at)
SELECT a.postmortem_id, a.number, CASE WHEN a.status = '' THEN 'open' ELSE a.status END,
       a.blocked_reason, p.updated_at
FROM action_items a JOIN postmortems p ON p.id = a.postmortem_id
WHERE a.number > 0;

-- +goose Down
DROP TABLE calendar_feeds;
DROP TABLE deliveries;
DROP TABLE action_steps;
DROP TABLE action_events;
DROP TABLE action_tracking;
ALTER TABLE users DROP COLUMN email;
