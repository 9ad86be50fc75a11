-- Facilitators' overrides of the blameless checker: a report moved to
-- final although the checker found errors in it keeps who decided, when,
-- why, and which rules' errors they overrode. Rows are only ever added, in
-- the transaction of the move itself, and go with their report.
--
-- rules is a JSON array of rule ids in a TEXT column: display text written
-- and read only with its override, never searched or joined.

-- +goose Up
CREATE TABLE lint_overrides (
    id            INTEGER PRIMARY KEY,
    postmortem_id TEXT NOT NULL REFERENCES postmortems (id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    from_status   TEXT NOT NULL,
    to_status     TEXT NOT NULL,
    decided_by    TEXT NOT NULL,
    decided_at    TIMESTAMP NOT NULL,
    reason        TEXT NOT NULL,
    rules         TEXT NOT NULL DEFAULT '[]',
    errors        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX lint_overrides_postmortem ON lint_overrides (postmortem_id, id);

-- +goose Down
DROP TABLE lint_overrides;
