-- Lists and searches first ask whether any restricted report is hidden
-- from the reader; most collections have few restricted reports, and this
-- partial index holds only them.

-- +goose Up
CREATE INDEX postmortems_restricted ON postmortems (id) WHERE visibility = 'restricted';

-- +goose Down
DROP INDEX postmortems_restricted;
