-- The service and tag filters ignore case ("simpledb" finds "SimpleDB"),
-- comparing lower(column) with lower(value); these indexes on the same
-- expressions keep the filters from reading every row.

-- +goose Up
CREATE INDEX incident_services_service_lower ON incident_services (lower(service), incident_id);
CREATE INDEX postmortem_tags_tag_lower ON postmortem_tags (lower(tag), postmortem_id);

-- +goose Down
DROP INDEX postmortem_tags_tag_lower;
DROP INDEX incident_services_service_lower;
