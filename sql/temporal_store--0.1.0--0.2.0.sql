-- temporal_store 0.1.0 -> 0.2.0 (ALTER EXTENSION temporal_store UPDATE).
\echo Use "ALTER EXTENSION temporal_store UPDATE TO '0.2.0'" to load this file. \quit

-- UTF8 databases only (see the full script): checked before anything
-- changes; in another encoding the update fails with 0A000 and 0.1.0 stays.
CREATE FUNCTION ts_internal.check_database() RETURNS void
    AS 'MODULE_PATHNAME', 'ts_internal_check_database' LANGUAGE C;
SELECT ts_internal.check_database();

-- Every internal table is a heap: commits insert into versions and events
-- directly through the heap. A table created under another
-- default_table_access_method is rewritten as a heap.
DO $$
DECLARE
    t regclass;
BEGIN
    FOR t IN SELECT c.oid FROM pg_catalog.pg_class c
             JOIN pg_catalog.pg_namespace n ON n.oid OPERATOR(pg_catalog.=) c.relnamespace
             WHERE n.nspname OPERATOR(pg_catalog.=) 'ts_internal' AND c.relkind OPERATOR(pg_catalog.=) 'r'
               AND c.relam OPERATOR(pg_catalog.<>) (SELECT a.oid FROM pg_catalog.pg_am a
                                                    WHERE a.amname OPERATOR(pg_catalog.=) 'heap') LOOP
        EXECUTE pg_catalog.format('ALTER TABLE %s SET ACCESS METHOD heap', t);
    END LOOP;
END $$;

-- 0.1.0 wrote this default as nextval('...') with an untyped literal,
-- resolved under the install's search_path: a public.nextval(text) could
-- have been chosen, and it runs as the extension owner on every ts_create.
ALTER TABLE ts_internal.stores ALTER COLUMN store_id
    SET DEFAULT pg_catalog.nextval('ts_internal.store_id_seq'::pg_catalog.regclass);

-- Roles by identity: owners and grants are bound to role OIDs (see the
-- full script). Rows of roles that no longer exist stay unbound (NULL),
-- so that a later role of the same name inherits nothing.
ALTER TABLE ts_internal.stores ADD COLUMN owner_oid oid;
ALTER TABLE ts_internal.grants ADD COLUMN role_oid oid;
UPDATE ts_internal.stores st SET owner_oid = r.oid
  FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) st.owner;
UPDATE ts_internal.grants g SET role_oid = r.oid
  FROM pg_catalog.pg_roles r WHERE r.rolname OPERATOR(pg_catalog.=) g.role_name;
CREATE FUNCTION ts_internal.bind_role() RETURNS trigger
    AS 'MODULE_PATHNAME', 'ts_internal_bind_role' LANGUAGE C;
CREATE TRIGGER bind_owner BEFORE INSERT ON ts_internal.stores
    FOR EACH ROW EXECUTE FUNCTION ts_internal.bind_role('owner', 'owner_oid');
CREATE TRIGGER bind_role BEFORE INSERT ON ts_internal.grants
    FOR EACH ROW EXECUTE FUNCTION ts_internal.bind_role('role_name', 'role_oid');

-- The database-wide change feed: every version and event of the stores the
-- caller may read, in change_id order, never handing out an id while a
-- lower one may still commit (see src/pg/change_feed.hpp). VOLATILE: it
-- reads with a snapshot taken after it fixed its horizon.
CREATE FUNCTION ts_changes(after_id bigint DEFAULT 0, max_count integer DEFAULT 1000,
                           OUT change_id bigint, OUT store temporal_store, OUT seq bigint, OUT version bigint,
                           OUT event_type text, OUT committed_at timestamptz)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;

-------------------------------------------------------------------------------
-- Export and import.
-------------------------------------------------------------------------------
-- A store's whole event stream as JSON lines (a header, then one line per
-- event; docs/export.md), and a new store rebuilt from such lines held in
-- the caller's table or view, after checking the stream and its hash chain.
-- Who may create stores is governed by EXECUTE on ts_create and ts_import.
CREATE FUNCTION ts_export(store temporal_store) RETURNS SETOF jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
CREATE FUNCTION ts_import(name text, source regclass) RETURNS temporal_store
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;

-- History analysis.
-------------------------------------------------------------------------------
-- The history index: which paths each version changed against its first
-- parent (see src/core/path_index.hpp), written with the version. path is
-- an order-preserving encoding of the keys, so the rows at or below a path
-- are one range of the index. exact: every changed path below this one has
-- a row of its own (an added value, expanded into its leaves); a row that
-- is not exact makes the paths below it candidates that the states settle.
CREATE TABLE ts_internal.version_paths (
    store_id  bigint NOT NULL,
    version   bigint NOT NULL,
    exact     boolean NOT NULL,
    path      bytea NOT NULL
) USING heap;
CREATE INDEX version_paths_path ON ts_internal.version_paths (store_id, path, version);
-- Where the version graph stops being a straight line: version 1, merges,
-- and versions whose first parent is not the version below. Between two
-- of these every version's only parent is the one below, so ancestry is
-- walked a run at a time.
CREATE TABLE ts_internal.version_runs (
    store_id  bigint NOT NULL,
    version   bigint NOT NULL,
    PRIMARY KEY (store_id, version)
) USING heap;
SELECT pg_catalog.pg_extension_config_dump('ts_internal.version_paths', '');
SELECT pg_catalog.pg_extension_config_dump('ts_internal.version_runs', '');

CREATE FUNCTION ts_path_history(store temporal_store, path text[], branch text DEFAULT NULL,
                                OUT version bigint, OUT committed_at timestamptz, OUT author text,
                                OUT message text, OUT old_value jsonb, OUT new_value jsonb)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
CREATE FUNCTION ts_blame(store temporal_store, rev text DEFAULT NULL,
                         OUT path text[], OUT value jsonb, OUT version bigint, OUT author text,
                         OUT committed_at timestamptz)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
CREATE FUNCTION ts_stats(store temporal_store, branch text DEFAULT NULL,
                         OUT author text, OUT commits bigint, OUT first_commit timestamptz,
                         OUT last_commit timestamptz, OUT paths_changed bigint,
                         OUT mean_interval interval, OUT busiest_hour integer)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
CREATE FUNCTION ts_path_stats(store temporal_store, branch text DEFAULT NULL, depth integer DEFAULT NULL,
                              OUT path text[], OUT changes bigint, OUT authors bigint,
                              OUT last_changed timestamptz)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;

-- Recomputes the history index of one store (NULL: every store) from its
-- versions; versions compacted before the index existed get one inexact
-- row at the root. Run by the update from 0.1.0.
CREATE FUNCTION ts_internal.rebuild_history_index(store_id bigint DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME', 'ts_internal_rebuild_history_index' LANGUAGE C VOLATILE;
-- What this backend's last analysis call read (candidate versions from the
-- index, runs of the graph, states): lets tests show the index is used.
CREATE FUNCTION ts_internal.history_index_reads() RETURNS jsonb
    AS 'MODULE_PATHNAME', 'ts_internal_history_index_reads' LANGUAGE C VOLATILE;
-- Fill the index for the history written by 0.1.0.
SELECT ts_internal.rebuild_history_index();
