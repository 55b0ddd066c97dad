-- Merge database: store l holds the ~1 MB base document (:base) as
-- version 1; bench.mpatch holds the RFC 6902 patches of each side.
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS temporal_store;
CREATE SCHEMA IF NOT EXISTS bench;
CREATE TABLE bench.mpatch (side text NOT NULL, k int NOT NULL, patch text NOT NULL, PRIMARY KEY (side, k));
COPY bench.mpatch FROM :'patches' WITH (FORMAT csv);
SELECT ts_create('l', pg_read_file(:'base')::jsonb) \g /dev/null
SELECT ts_create('tiny', '{"a": 1}') \g /dev/null
