-- Alerts, the trigger policy's decisions and requests, and postmortem
-- deadlines.
--
-- A webhook body is kept in payloads before anything reads it, so nothing
-- an alerting tool sends is lost; the same body from the same tool is kept
-- once. A group of alerts belongs to the incident its alert_groups row
-- names, NULL while the first transaction to see the group has not opened
-- one yet; the row is what concurrent writers of one group lock (several
-- debrief processes may share this database). alerts and incident_events
-- are folded from the payloads' events; an event is recorded once, by its
-- key.
--
-- Times the alerting tools give (an alert's start, end and change, an
-- event's time) are BIGINT nanoseconds since 1970, UTC: they carry
-- nanoseconds, which are part of an event's identity, and timestamptz
-- keeps microseconds only, so both dialects store them alike, in an
-- integer that orders as the time does. Times debrief's clock sets
-- (received, decided, due) are TIMESTAMPTZ, as elsewhere.
--
-- A decision's reasons are a JSON array in a TEXT column: they are lines
-- of display text, written and read only with their decision, never
-- searched, counted or joined, so a child table would cost a join and an
-- insert per line for nothing a query needs (and JSONB a parse).

-- +goose Up
ALTER TABLE incidents ADD COLUMN user_impact BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE incidents ADD COLUMN critical_process BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE payloads (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source       TEXT NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,
    content_type TEXT NOT NULL DEFAULT '',
    digest       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('received', 'processed', 'failed')),
    problem      TEXT NOT NULL DEFAULT '',
    attempts     INTEGER NOT NULL DEFAULT 0,
    processed_at TIMESTAMPTZ,
    body         BYTEA NOT NULL,
    UNIQUE (source, digest)
);
CREATE INDEX payloads_received_at ON payloads (received_at, id);
CREATE INDEX payloads_status ON payloads (status, received_at, id);

CREATE TABLE payload_incidents (
    payload_id  BIGINT NOT NULL REFERENCES payloads (id) ON DELETE CASCADE,
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    PRIMARY KEY (payload_id, incident_id)
);
CREATE INDEX payload_incidents_incident ON payload_incidents (incident_id);

CREATE TABLE alert_groups (
    source      TEXT NOT NULL,
    group_key   TEXT NOT NULL,
    incident_id TEXT REFERENCES incidents (id) ON DELETE CASCADE,
    PRIMARY KEY (source, group_key)
);
CREATE INDEX alert_groups_incident ON alert_groups (incident_id);

CREATE TABLE alerts (
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    alert_key   TEXT NOT NULL,
    source      TEXT NOT NULL,
    title       TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT '',
    severity    TEXT NOT NULL DEFAULT '',
    starts_at   BIGINT,
    ends_at     BIGINT,
    changed_at  BIGINT,
    PRIMARY KEY (incident_id, alert_key)
);

-- id is the order of insertion, which breaks ties between events of one
-- time. event_key is the event's key (debrief's EventKey) hashed with its
-- source and group key. The unique key leads with it so that it also finds
-- an event its group recorded in an earlier incident.
CREATE TABLE incident_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    at          BIGINT NOT NULL,
    kind        TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL,
    alert_key   TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT '',
    text        TEXT NOT NULL DEFAULT '',
    payload_id  BIGINT REFERENCES payloads (id) ON DELETE SET NULL,
    event_key   TEXT NOT NULL,
    UNIQUE (event_key, incident_id)
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, at, id);
CREATE INDEX incident_events_payload ON incident_events (payload_id);

-- postmortem_id names the draft a decision opened, kept as history even
-- when that report is deleted later, so it is not a foreign key.
CREATE TABLE incident_decisions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id   TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    outcome       TEXT NOT NULL,
    rule          TEXT NOT NULL DEFAULT '',
    explanation   TEXT NOT NULL DEFAULT '',
    reasons       TEXT NOT NULL DEFAULT '[]',
    triggered_by  TEXT NOT NULL DEFAULT '',
    decided_at    TIMESTAMPTZ NOT NULL,
    postmortem_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_decisions_incident ON incident_decisions (incident_id, decided_at, id);

CREATE TABLE policy_requests (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id  TEXT NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    requested_by TEXT NOT NULL DEFAULT '',
    requested_at TIMESTAMPTZ NOT NULL,
    approved_by  TEXT NOT NULL DEFAULT '',
    approved_at  TIMESTAMPTZ
);
CREATE INDEX policy_requests_incident ON policy_requests (incident_id, requested_at, id);

CREATE TABLE postmortem_deadlines (
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    kind          TEXT NOT NULL,
    due           TIMESTAMPTZ NOT NULL,
    met_at        TIMESTAMPTZ,
    rule          TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (postmortem_id, kind)
);
-- The overdue list reads only the steps not done yet.
CREATE INDEX postmortem_deadlines_unmet ON postmortem_deadlines (due) WHERE met_at IS NULL;

-- +goose Down
DROP TABLE postmortem_deadlines;
DROP TABLE policy_requests;
DROP TABLE incident_decisions;
DROP TABLE incident_events;
DROP TABLE alerts;
DROP TABLE alert_groups;
DROP TABLE payload_incidents;
DROP TABLE payloads;
ALTER TABLE incidents DROP COLUMN critical_process;
ALTER TABLE incidents DROP COLUMN user_impact;
