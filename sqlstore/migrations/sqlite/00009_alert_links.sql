-- An alert's link back to where its tool shows it (Alertmanager's
-- generatorURL, PagerDuty's html_url, the generic url): the incident page
-- and a report opened from the incident link to it.

-- +goose Up
ALTER TABLE alerts ADD COLUMN url TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE alerts DROP COLUMN url;
