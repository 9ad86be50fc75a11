-- words is the documents' text without stemming, weighted as document is,
-- for prefix terms: the english configuration stems a prefix too, so
-- "inciden:*" looked for lexemes starting "inciden" among stems such as
-- "incid". Adding the stored column computes it for every existing row.

-- +goose Up
ALTER TABLE search_documents ADD COLUMN words TSVECTOR GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', title), 'A') ||
    setweight(to_tsvector('simple', summary), 'B') ||
    setweight(to_tsvector('simple', body), 'C')
) STORED;
CREATE INDEX search_documents_words ON search_documents USING GIN (words);

-- +goose Down
DROP INDEX search_documents_words;
ALTER TABLE search_documents DROP COLUMN words;
