--
-- Commits insert into ts_internal.versions directly through the heap.
-- What a DBA may add there that such an insert could not maintain
-- (triggers, CHECK constraints, expression or partial indexes, row-level
-- security) makes commits fail cleanly (55000), with nothing written,
-- until it is dropped; plain indexes are maintained.
--
\set VERBOSITY default
SELECT ts_create('dig', '{"n": 0}');

CREATE FUNCTION public.dig_trigger() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER dba_audit BEFORE INSERT ON ts_internal.versions FOR EACH ROW EXECUTE FUNCTION public.dig_trigger();
SELECT ts_commit('dig', '{"n": 1}');
DROP TRIGGER dba_audit ON ts_internal.versions;
SELECT ts_commit('dig', '{"n": 1}');

ALTER TABLE ts_internal.versions ADD CONSTRAINT dba_check CHECK (version > 0);
SELECT ts_commit('dig', '{"n": 2}');
ALTER TABLE ts_internal.versions DROP CONSTRAINT dba_check;

CREATE INDEX dba_expr ON ts_internal.versions ((version + 1));
SELECT ts_commit('dig', '{"n": 2}');
DROP INDEX ts_internal.dba_expr;

CREATE INDEX dba_partial ON ts_internal.versions (author) WHERE version > 1;
SELECT ts_commit('dig', '{"n": 2}');
DROP INDEX ts_internal.dba_partial;

ALTER TABLE ts_internal.versions ENABLE ROW LEVEL SECURITY;
SELECT ts_commit('dig', '{"n": 2}');
ALTER TABLE ts_internal.versions DISABLE ROW LEVEL SECURITY;

-- a plain index is kept up to date
CREATE INDEX dba_plain ON ts_internal.versions (author, version);
SELECT ts_commit('dig', '{"n": 2}');
CREATE EXTENSION amcheck;
SELECT bt_index_check('ts_internal.dba_plain', heapallindexed => true);
DROP EXTENSION amcheck;
DROP INDEX ts_internal.dba_plain;

-- nothing was written by the refused commits
SELECT version, ts_as_of('dig', version) FROM ts_log('dig') ORDER BY version;
SELECT ts_drop('dig');
DROP FUNCTION public.dig_trigger();
