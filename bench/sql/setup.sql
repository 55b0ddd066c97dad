-- Per-database setup: the extension, the bench schema, the generated
-- document sequence (loaded from :docs and :steps), store :name holding
-- d_1 as version 1, and FULL, the baseline table with one full jsonb copy
-- per version (commit = INSERT, as_of = primary-key SELECT).
--   psql -v name=s -v docs=.../s_docs.csv -v steps=.../s_steps.csv -f setup.sql
\set ON_ERROR_STOP on
CREATE EXTENSION IF NOT EXISTS temporal_store;
CREATE SCHEMA IF NOT EXISTS bench;

-- d_1 .. d_N as JSON text, as a client would send it.
CREATE TABLE bench.docs (i int PRIMARY KEY, doc text NOT NULL);
-- The commit sequence: step s commits d_{doc_i}; patch is the RFC 6902
-- patch from the previous step's document to this one.
CREATE TABLE bench.steps (s int PRIMARY KEY, doc_i int NOT NULL, patch text NOT NULL);
COPY bench.docs FROM :'docs' WITH (FORMAT csv);
COPY bench.steps FROM :'steps' WITH (FORMAT csv);
ANALYZE bench.docs;
ANALYZE bench.steps;

CREATE TABLE bench.full (version bigint PRIMARY KEY, doc jsonb NOT NULL);

SELECT ts_create(:'name', (SELECT doc::jsonb FROM bench.docs WHERE i = 1)) \g /dev/null
INSERT INTO bench.full SELECT 1, doc::jsonb FROM bench.docs WHERE i = 1;
-- A one-version store: fresh sessions read it first to warm catalogs and
-- plans before a measured read.
SELECT ts_create('tiny', '{"a": 1}') \g /dev/null
