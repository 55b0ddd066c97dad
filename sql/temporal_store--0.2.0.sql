-- temporal_store 0.2.0: git-like, event-sourced versioned JSON state.
\echo Use "CREATE EXTENSION temporal_store" to load this file. \quit

-- UTF8 databases only: names, documents and payloads are UTF-8 (see
-- docs/concepts.md, "Database encoding"). Checked before anything else is
-- created; in another encoding CREATE EXTENSION fails with 0A000.
CREATE SCHEMA ts_internal;
REVOKE ALL ON SCHEMA ts_internal FROM PUBLIC;
CREATE FUNCTION ts_internal.check_database() RETURNS void
    AS 'MODULE_PATHNAME', 'ts_internal_check_database' LANGUAGE C;
SELECT ts_internal.check_database();

-------------------------------------------------------------------------------
-- Internal storage. Only the extension's functions touch these tables; they
-- run the queries as the schema's owner after checking the caller's
-- privileges on the store. PUBLIC has no access at all. Every table is a
-- heap (USING heap, whatever default_table_access_method says): commits
-- insert into versions and events directly through the heap.
-------------------------------------------------------------------------------

-- One row per store ever created; a dropped store keeps its row (with
-- dropped_at) so the change feed can still name it. Writers serialise on
-- a lock-manager lock on the store id, not on this row, and write nothing
-- here. The counters (last version, last event) are read from the version
-- and event tables' indexes, never kept here: updating one row per commit
-- would grow a HOT chain through a whole batch transaction.
CREATE SEQUENCE ts_internal.store_id_seq;
CREATE TABLE ts_internal.stores (
    store_id      bigint PRIMARY KEY DEFAULT pg_catalog.nextval('ts_internal.store_id_seq'::pg_catalog.regclass),
    created_at    timestamptz NOT NULL,
    dropped_at    timestamptz,
    next_branch   integer NOT NULL DEFAULT 2,
    name          text NOT NULL,
    owner         text NOT NULL,            -- the owner's name when bound (dump/restore)
    owner_oid     oid                       -- the owner (NULL: role gone before a restore)
) USING heap;
CREATE UNIQUE INDEX stores_live_name ON ts_internal.stores (name) WHERE dropped_at IS NULL;

-- The change feed's global order (ts_changes).
CREATE SEQUENCE ts_internal.change_seq;

-- Version events (StateCreated, StateUpdated, BranchMerged with a new
-- version): one row per version, append-only except that compaction may
-- clear payload. The payload is the state or a delta against first_parent
-- (see src/core/payload_codec.hpp for its self-describing format).
CREATE TABLE ts_internal.versions (
    store_id      bigint NOT NULL,
    version       bigint NOT NULL,
    seq           bigint NOT NULL,          -- position in the store's event stream
    change_id     bigint NOT NULL,          -- position in the database-wide feed
    first_parent  bigint,                   -- NULL only for version 1
    merge_parent  bigint,                   -- second parent of a merge
    committed_at  timestamptz NOT NULL,
    -- four-byte columns together: no alignment padding between them
    generation    integer NOT NULL,         -- 1 + max(parents' generation)
    chain_len     integer NOT NULL,         -- deltas to replay from the nearest full state
    chain_bytes   integer NOT NULL,         -- their payload bytes
    branch_id     integer NOT NULL,         -- branch it was committed on
    event_type    "char" NOT NULL,          -- 'C' created, 'U' updated, 'M' merged
    author        text NOT NULL,
    message       text,
    metadata      jsonb,                    -- NULL stands for '{}'
    hash          bytea NOT NULL,
    payload       bytea,                    -- NULL once compacted
    PRIMARY KEY (store_id, version)
) USING heap;
-- The change feed is read in change_id order, which is insertion order:
-- a BRIN index costs next to nothing per version.
CREATE INDEX versions_change ON ts_internal.versions USING brin (change_id);
-- No index on hash: an h:prefix revision reads the store's hashes (a rare
-- operation), which saves about 45 bytes on every version.
-- No index by branch either: a branch's head is found from the store's
-- newest version and the branch row (see branches and branch_marks).

-- All other events: branch and tag events, compaction, store drop. Branch
-- head movements that make no version (creation, fast-forward, reset,
-- drop) are read from here for BRANCH@{time}.
CREATE TABLE ts_internal.events (
    store_id      bigint NOT NULL,
    seq           bigint NOT NULL,
    change_id     bigint NOT NULL,
    version       bigint,                   -- the version the event points at
    committed_at  timestamptz NOT NULL,
    branch_id     integer,
    event_type    text NOT NULL,
    author        text NOT NULL,
    message       text,
    metadata      jsonb,
    payload       jsonb,                    -- event details (names, from, to)
    PRIMARY KEY (store_id, seq)
) USING heap;
CREATE INDEX events_change ON ts_internal.events USING brin (change_id);

-- Branches: movable heads. Dropped branches keep their row (the versions
-- they made still name them); names are unique among live ones. A commit
-- does not update its own branch's row: when the store's newest version is
-- on the branch and newer than the last event that moved it (creation,
-- fast-forward, reset: moved_seq), that version is the head; otherwise
-- head is. A commit on another branch first writes the branch it passes
-- over into head (and a branch_marks row), so a batch on one branch
-- updates no row at all.
CREATE TABLE ts_internal.branches (
    store_id      bigint NOT NULL,
    branch_id     integer NOT NULL,
    head          bigint NOT NULL,
    moved_seq     bigint NOT NULL,
    created_from  bigint NOT NULL,
    created_at    timestamptz NOT NULL,
    dropped_at    timestamptz,
    name          text NOT NULL,
    PRIMARY KEY (store_id, branch_id)
) USING heap;
CREATE UNIQUE INDEX branches_live_name ON ts_internal.branches (store_id, name) WHERE dropped_at IS NULL;

-- Where a branch's newest version stood each time a commit on another
-- branch followed it: with the events, the branch's head at any time
-- (BRANCH@{time}). Written only when commits switch branches.
CREATE TABLE ts_internal.branch_marks (
    store_id      bigint NOT NULL,
    branch_id     integer NOT NULL,
    seq           bigint NOT NULL,          -- the commit that switched away
    head          bigint NOT NULL,          -- the branch's newest version then
    PRIMARY KEY (store_id, branch_id, seq)
) USING heap;

CREATE TABLE ts_internal.tags (
    store_id      bigint NOT NULL,
    name          text NOT NULL,
    version       bigint NOT NULL,
    created_at    timestamptz NOT NULL,
    author        text NOT NULL,
    message       text,
    PRIMARY KEY (store_id, name)
) USING heap;

CREATE TABLE ts_internal.grants (
    store_id      bigint NOT NULL,
    role_name     text NOT NULL,            -- the role's name when bound (dump/restore)
    privilege     text NOT NULL CHECK (privilege IN ('read', 'write', 'admin')),
    role_oid      oid,                      -- the role (NULL: gone before a restore)
    PRIMARY KEY (store_id, role_name)
) USING heap;

-- Roles are identified by OID while the database lives: a dropped role's
-- stores and grants do not pass to a later role of the same name. An
-- inserted row (ts_create, ts_grant, or a restore's COPY) is bound to the
-- role its name names now, which re-binds a restored dump by name.
CREATE FUNCTION ts_internal.bind_role() RETURNS trigger
    AS 'MODULE_PATHNAME', 'ts_internal_bind_role' LANGUAGE C;
CREATE TRIGGER bind_owner BEFORE INSERT ON ts_internal.stores
    FOR EACH ROW EXECUTE FUNCTION ts_internal.bind_role('owner', 'owner_oid');
CREATE TRIGGER bind_role BEFORE INSERT ON ts_internal.grants
    FOR EACH ROW EXECUTE FUNCTION ts_internal.bind_role('role_name', 'role_oid');

-- Materialised states, built by ts_snapshot or the background worker.
-- Derived data: dropping every row changes no answer.
CREATE TABLE ts_internal.snapshots (
    store_id      bigint NOT NULL,
    version       bigint NOT NULL,
    created_at    timestamptz NOT NULL,
    state         bytea NOT NULL,
    PRIMARY KEY (store_id, version)
) USING heap;

-- One row per database whose snapshot worker has run (ts_worker_status).
-- Not dumped: it describes this server's processes.
CREATE TABLE ts_internal.worker_status (
    database        name PRIMARY KEY,
    pid             integer,
    started_at      timestamptz,
    last_run        timestamptz,
    snapshots_built bigint NOT NULL DEFAULT 0,
    pending         bigint NOT NULL DEFAULT 0
) USING heap;

-- Versions read by this backend's last ancestry walk (merge base,
-- ancestry test, ahead/behind): lets tests show that a walk's cost follows
-- the distance to the merge base, not the length of the history.
CREATE FUNCTION ts_internal.walk_visits() RETURNS bigint
    AS 'MODULE_PATHNAME', 'ts_internal_walk_visits' LANGUAGE C VOLATILE;

-- This backend's replays of a chain on jsonb (large states read from a
-- jsonb snapshot or cached jsonb), and how many gave way to the tree: lets
-- tests show which lane a read took.
CREATE FUNCTION ts_internal.jsonb_replays() RETURNS jsonb
    AS 'MODULE_PATHNAME', 'ts_internal_jsonb_replays' LANGUAGE C VOLATILE;

-- pg_dump keeps the data of extension tables only when told to.
SELECT pg_catalog.pg_extension_config_dump('ts_internal.stores', '');
SELECT pg_catalog.pg_extension_config_dump('ts_internal.store_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('ts_internal.change_seq', '');
SELECT pg_catalog.pg_extension_config_dump('ts_internal.versions', '');
SELECT pg_catalog.pg_extension_config_dump('ts_internal.events', '');
SELECT pg_catalog.pg_extension_config_dump('ts_internal.branches', '');
SELECT pg_catalog.pg_extension_config_dump('ts_internal.branch_marks', '');
SELECT pg_catalog.pg_extension_config_dump('ts_internal.tags', '');
SELECT pg_catalog.pg_extension_config_dump('ts_internal.grants', '');
SELECT pg_catalog.pg_extension_config_dump('ts_internal.snapshots', '');

-------------------------------------------------------------------------------
-- The temporal_store type: a handle naming one store.
-------------------------------------------------------------------------------
CREATE TYPE temporal_store;
CREATE FUNCTION temporal_store_in(cstring) RETURNS temporal_store
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT STABLE PARALLEL SAFE;
CREATE FUNCTION temporal_store_out(temporal_store) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION temporal_store_recv(internal) RETURNS temporal_store
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT STABLE PARALLEL SAFE;
CREATE FUNCTION temporal_store_send(temporal_store) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE TYPE temporal_store (
    INPUT = temporal_store_in,
    OUTPUT = temporal_store_out,
    RECEIVE = temporal_store_recv,
    SEND = temporal_store_send,
    INTERNALLENGTH = VARIABLE,
    STORAGE = extended,
    CATEGORY = 'U'
);

CREATE FUNCTION temporal_store_cmp(temporal_store, temporal_store) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION temporal_store_hash(temporal_store) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION temporal_store_eq(temporal_store, temporal_store) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION temporal_store_ne(temporal_store, temporal_store) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION temporal_store_lt(temporal_store, temporal_store) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION temporal_store_le(temporal_store, temporal_store) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION temporal_store_gt(temporal_store, temporal_store) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION temporal_store_ge(temporal_store, temporal_store) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE OPERATOR = (LEFTARG = temporal_store, RIGHTARG = temporal_store, PROCEDURE = temporal_store_eq,
    COMMUTATOR = =, NEGATOR = <>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR <> (LEFTARG = temporal_store, RIGHTARG = temporal_store, PROCEDURE = temporal_store_ne,
    COMMUTATOR = <>, NEGATOR = =, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE OPERATOR < (LEFTARG = temporal_store, RIGHTARG = temporal_store, PROCEDURE = temporal_store_lt,
    COMMUTATOR = >, NEGATOR = >=, RESTRICT = scalarltsel, JOIN = scalarltjoinsel);
CREATE OPERATOR <= (LEFTARG = temporal_store, RIGHTARG = temporal_store, PROCEDURE = temporal_store_le,
    COMMUTATOR = >=, NEGATOR = >, RESTRICT = scalarlesel, JOIN = scalarlejoinsel);
CREATE OPERATOR > (LEFTARG = temporal_store, RIGHTARG = temporal_store, PROCEDURE = temporal_store_gt,
    COMMUTATOR = <, NEGATOR = <=, RESTRICT = scalargtsel, JOIN = scalargtjoinsel);
CREATE OPERATOR >= (LEFTARG = temporal_store, RIGHTARG = temporal_store, PROCEDURE = temporal_store_ge,
    COMMUTATOR = <=, NEGATOR = <, RESTRICT = scalargesel, JOIN = scalargejoinsel);

CREATE OPERATOR CLASS temporal_store_btree_ops DEFAULT FOR TYPE temporal_store USING btree AS
    OPERATOR 1 <, OPERATOR 2 <=, OPERATOR 3 =, OPERATOR 4 >=, OPERATOR 5 >,
    FUNCTION 1 temporal_store_cmp(temporal_store, temporal_store);
CREATE OPERATOR CLASS temporal_store_hash_ops DEFAULT FOR TYPE temporal_store USING hash AS
    OPERATOR 1 =,
    FUNCTION 1 temporal_store_hash(temporal_store);

CREATE CAST (temporal_store AS text) WITH INOUT AS ASSIGNMENT;
CREATE CAST (text AS temporal_store) WITH INOUT AS ASSIGNMENT;

-------------------------------------------------------------------------------
-- JSON building blocks (pure).
-------------------------------------------------------------------------------
CREATE FUNCTION ts_json_diff(a jsonb, b jsonb) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ts_json_patch(doc jsonb, patch jsonb) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ts_json_merge_patch(doc jsonb, patch jsonb) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION ts_json_merge3(base jsonb, ours jsonb, theirs jsonb, strategy text DEFAULT 'three_way') RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-------------------------------------------------------------------------------
-- Stores.
-------------------------------------------------------------------------------
CREATE FUNCTION ts_create(name text, initial jsonb DEFAULT '{}', message text DEFAULT NULL,
                          metadata jsonb DEFAULT '{}') RETURNS temporal_store
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_drop(store temporal_store) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_stores(OUT store temporal_store, OUT owner text, OUT created_at timestamptz,
                          OUT versions bigint, OUT branches bigint, OUT head_version bigint, OUT bytes bigint)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;

-------------------------------------------------------------------------------
-- Writing.
-------------------------------------------------------------------------------
CREATE FUNCTION ts_commit(store temporal_store, state jsonb, message text DEFAULT NULL,
                          metadata jsonb DEFAULT '{}', branch text DEFAULT NULL,
                          expected_head bigint DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_patch(store temporal_store, patch jsonb, message text DEFAULT NULL,
                         metadata jsonb DEFAULT '{}', branch text DEFAULT NULL,
                         expected_head bigint DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_restore(store temporal_store, rev text, message text DEFAULT NULL,
                           metadata jsonb DEFAULT '{}', branch text DEFAULT NULL,
                           expected_head bigint DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;

-------------------------------------------------------------------------------
-- Reading.
-------------------------------------------------------------------------------
CREATE FUNCTION ts_head(store temporal_store, branch text DEFAULT NULL) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
CREATE FUNCTION ts_as_of(store temporal_store, version bigint) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'ts_as_of_version' LANGUAGE C STABLE;
CREATE FUNCTION ts_as_of(store temporal_store, at timestamptz, branch text DEFAULT NULL) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'ts_as_of_time' LANGUAGE C STABLE;
CREATE FUNCTION ts_as_of(store temporal_store, rev text) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'ts_as_of_rev' LANGUAGE C STABLE;
CREATE FUNCTION ts_resolve(store temporal_store, rev text) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
CREATE FUNCTION ts_step(store temporal_store, rev text, n integer, branch text DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
CREATE FUNCTION ts_version(store temporal_store, rev text,
                           OUT version bigint, OUT parents bigint[], OUT branch text, OUT author text,
                           OUT message text, OUT metadata jsonb, OUT committed_at timestamptz,
                           OUT event_type text, OUT hash bytea)
    RETURNS record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;

-------------------------------------------------------------------------------
-- History.
-------------------------------------------------------------------------------
-- ts_log's row type: a composite, since its filter arguments share names
-- (branch, author) with its result columns.
CREATE TYPE ts_log_entry AS (
    version bigint, parents bigint[], branch text, author text, message text,
    metadata jsonb, committed_at timestamptz, event_type text);
CREATE FUNCTION ts_log(store temporal_store, branch text DEFAULT NULL, author text DEFAULT NULL,
                       since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL,
                       path text[] DEFAULT NULL, max_count integer DEFAULT NULL,
                       exclude text DEFAULT NULL, first_parent boolean DEFAULT false)
    RETURNS SETOF ts_log_entry
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
CREATE FUNCTION ts_diff(store temporal_store, from_rev text, to_rev text) RETURNS jsonb
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;

-------------------------------------------------------------------------------
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

-------------------------------------------------------------------------------
-- Events.
-------------------------------------------------------------------------------
CREATE FUNCTION ts_events(store temporal_store, after_seq bigint DEFAULT 0,
                          OUT seq bigint, OUT event_type text, OUT version bigint, OUT branch text,
                          OUT parents bigint[], OUT author text, OUT message text, OUT metadata jsonb,
                          OUT committed_at timestamptz, OUT payload jsonb)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;

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

-------------------------------------------------------------------------------
-- Access control.
-------------------------------------------------------------------------------
CREATE FUNCTION ts_grant(store temporal_store, role text, privilege text) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_revoke(store temporal_store, role text, privilege text) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;

-------------------------------------------------------------------------------
-- Branches and tags.
-------------------------------------------------------------------------------
CREATE FUNCTION ts_branch(store temporal_store, name text, from_rev text DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_branches(store temporal_store,
                            OUT branch text, OUT head_version bigint, OUT created_at timestamptz,
                            OUT created_from bigint, OUT ahead bigint, OUT behind bigint)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
-- Session state only (a GUC): writes nothing, works on a standby.
CREATE FUNCTION ts_checkout(store temporal_store, branch text) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_drop_branch(store temporal_store, name text) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_rename_branch(store temporal_store, name text, new_name text) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_reset(store temporal_store, branch text, rev text, message text DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_tag(store temporal_store, name text, rev text DEFAULT NULL, message text DEFAULT NULL)
    RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_tags(store temporal_store,
                        OUT tag text, OUT version bigint, OUT created_at timestamptz, OUT author text,
                        OUT message text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
CREATE FUNCTION ts_drop_tag(store temporal_store, name text) RETURNS void
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;

-------------------------------------------------------------------------------
-- Merging.
-------------------------------------------------------------------------------
CREATE FUNCTION ts_merge(store temporal_store, source text, target text DEFAULT NULL,
                         strategy text DEFAULT 'three_way', message text DEFAULT NULL,
                         metadata jsonb DEFAULT '{}', expected_head bigint DEFAULT NULL,
                         resolved jsonb DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_merge_conflicts(store temporal_store, source text, target text DEFAULT NULL,
                                   OUT path text[], OUT base jsonb, OUT ours jsonb, OUT theirs jsonb)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
CREATE FUNCTION ts_merge_base(store temporal_store, a text, b text) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
CREATE FUNCTION ts_revert(store temporal_store, rev text, message text DEFAULT NULL,
                          metadata jsonb DEFAULT '{}', branch text DEFAULT NULL,
                          expected_head bigint DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_cherry_pick(store temporal_store, rev text, message text DEFAULT NULL,
                               metadata jsonb DEFAULT '{}', branch text DEFAULT NULL,
                               expected_head bigint DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;

-------------------------------------------------------------------------------
-- Snapshots, maintenance, integrity.
-------------------------------------------------------------------------------
CREATE FUNCTION ts_snapshot(store temporal_store, rev text DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_compact(store temporal_store, before timestamptz) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_verify(store temporal_store, OUT version bigint, OUT problem text) RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;

-------------------------------------------------------------------------------
-- The snapshot worker.
-------------------------------------------------------------------------------
CREATE FUNCTION ts_worker_start() RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C VOLATILE;
CREATE FUNCTION ts_worker_status(OUT database text, OUT pid integer, OUT started_at timestamptz,
                                 OUT last_run timestamptz, OUT snapshots_built bigint, OUT pending bigint)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME' LANGUAGE C STABLE;
