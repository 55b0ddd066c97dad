--
-- temporal_store type: text and binary I/O, comparison, operator classes
--
\set VERBOSITY sqlstate

SELECT ts_create('ti_alpha') AS created;
SELECT ts_create('ti_beta', '[1,2]') AS created;
SELECT ts_create('ti_gamma', '"scalar"') AS created;
SELECT ts_create('Ti Mixed "Case" é') AS created;

-- text input/output: the name, verbatim and case-sensitive
SELECT 'ti_alpha'::temporal_store;
SELECT 'Ti Mixed "Case" é'::temporal_store;
SELECT 'Ti Mixed "Case" é'::temporal_store::text = 'Ti Mixed "Case" é' AS verbatim;
SELECT pg_typeof('ti_alpha'::temporal_store);
-- unknown names: 42704 (case matters, nothing is folded or trimmed)
SELECT 'ti_nope'::temporal_store;
SELECT 'TI_ALPHA'::temporal_store;
SELECT ' ti_alpha'::temporal_store;
SELECT 'ti mixed "case" é'::temporal_store;

-- casts text <-> temporal_store
SELECT ('ti_' || 'beta')::temporal_store AS from_text;
SELECT ('ti_beta'::temporal_store)::text || '!' AS to_text;
SELECT ts_head(('ti_' || 'gamma')::temporal_store);
SELECT ts_head(('ti_' || 'missing')::temporal_store);
-- assignment casts
CREATE TEMP TABLE ti_assign (s temporal_store, t text);
INSERT INTO ti_assign VALUES ('ti_alpha'::text, 'ti_beta'::temporal_store);
SELECT s, t FROM ti_assign;
INSERT INTO ti_assign (s) VALUES ('ti_unknown'::text);

-- check_function_bodies = off (pg_dump/restore): unknown names are accepted
SET check_function_bodies = off;
SELECT 'ti_not_yet_created'::temporal_store;
CREATE TABLE ti_restored (s temporal_store);
INSERT INTO ti_restored VALUES ('ti_not_yet_created'), ('ti_alpha');
RESET check_function_bodies;
SELECT s FROM ti_restored ORDER BY s;
-- using such a handle is still 42704
SELECT ts_head(s) FROM ti_restored WHERE s::text = 'ti_not_yet_created';
-- and it becomes usable once the store exists
SELECT ts_create('ti_not_yet_created', '{"late": true}') AS created;
SELECT s, ts_head(s) FROM ti_restored ORDER BY s;
DROP TABLE ti_restored;

-- input checks existence only; a dropped store's handle still prints its name
CREATE TEMP TABLE ti_keep AS SELECT 'ti_not_yet_created'::temporal_store AS s;
SELECT ts_drop('ti_not_yet_created');
SELECT s FROM ti_keep;
SELECT ts_head(s) FROM ti_keep;
SELECT 'ti_not_yet_created'::temporal_store;

-- binary send: a format byte then the name
SELECT temporal_store_send('ti_alpha') AS send;
SELECT temporal_store_send('ti_alpha') = temporal_store_send('ti_alpha'::text::temporal_store) AS same;
SELECT length(temporal_store_send('Ti Mixed "Case" é')) AS bytes;

-- binary round trip through COPY (FORMAT binary): send then receive
\getenv abs_builddir PG_ABS_BUILDDIR
\set ti_binfile :abs_builddir '/results/type_io.bin'
CREATE TABLE ti_bin (id int, s temporal_store);
INSERT INTO ti_bin VALUES (1, 'ti_alpha'), (2, 'Ti Mixed "Case" é'), (3, 'ti_gamma');
COPY ti_bin TO :'ti_binfile' WITH (FORMAT binary);
CREATE TABLE ti_bin2 (id int, s temporal_store);
COPY ti_bin2 FROM :'ti_binfile' WITH (FORMAT binary);
SELECT id, s, s::text = 'Ti Mixed "Case" é' AS mixed FROM ti_bin2 ORDER BY id;
SELECT count(*) AS equal_rows FROM ti_bin a JOIN ti_bin2 b ON a.id = b.id AND a.s = b.s;
-- binary receive checks existence too (42704), except with check_function_bodies off
TRUNCATE ti_bin;
SELECT ts_create('ti_transient') AS created;
INSERT INTO ti_bin VALUES (9, 'ti_transient');
COPY ti_bin TO :'ti_binfile' WITH (FORMAT binary);
SELECT ts_drop('ti_transient');
TRUNCATE ti_bin2;
COPY ti_bin2 FROM :'ti_binfile' WITH (FORMAT binary);
SELECT count(*) FROM ti_bin2;
SET check_function_bodies = off;
COPY ti_bin2 FROM :'ti_binfile' WITH (FORMAT binary);
RESET check_function_bodies;
SELECT id, s FROM ti_bin2;
DROP TABLE ti_bin, ti_bin2;

-- comparison operators (byte order of the names)
SELECT 'ti_alpha'::temporal_store = 'ti_alpha'::temporal_store AS eq,
       'ti_alpha'::temporal_store <> 'ti_beta'::temporal_store AS ne,
       'ti_alpha'::temporal_store < 'ti_beta'::temporal_store AS lt,
       'ti_beta'::temporal_store <= 'ti_beta'::temporal_store AS le,
       'ti_gamma'::temporal_store > 'ti_beta'::temporal_store AS gt,
       'ti_gamma'::temporal_store >= 'ti_gamma'::temporal_store AS ge,
       'ti_alpha'::temporal_store = 'ti_beta'::temporal_store AS eq_false;
SELECT temporal_store_cmp('ti_alpha', 'ti_beta') AS lt,
       temporal_store_cmp('ti_beta', 'ti_beta') AS eq,
       temporal_store_cmp('ti_gamma', 'ti_beta') AS gt;
SELECT temporal_store_hash('ti_alpha') = temporal_store_hash('ti_alpha'::text::temporal_store) AS hash_stable;

-- a user table with a temporal_store column: UNIQUE, ORDER BY, index, joins
CREATE TABLE ti_docs (id serial, s temporal_store UNIQUE, note text);
INSERT INTO ti_docs (s, note) VALUES ('ti_gamma', 'g'), ('ti_alpha', 'a'), ('ti_beta', 'b');
INSERT INTO ti_docs (s, note) VALUES ('ti_alpha', 'dup');
INSERT INTO ti_docs (s, note) VALUES ('ti_zzz', 'unknown');
SELECT s, note FROM ti_docs ORDER BY s;
SELECT s, note FROM ti_docs ORDER BY s DESC;
SELECT min(s::text), max(s::text) FROM ti_docs;
SELECT count(DISTINCT s) FROM ti_docs;
SELECT s, count(*) FROM ti_docs GROUP BY s ORDER BY s;
-- btree index scan
CREATE INDEX ti_docs_s ON ti_docs (s);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT note FROM ti_docs WHERE s = 'ti_beta';
SELECT note FROM ti_docs WHERE s = 'ti_beta';
SELECT note FROM ti_docs WHERE s > 'ti_alpha' ORDER BY s;
RESET enable_seqscan;
-- hash join
CREATE TABLE ti_other (s temporal_store, extra int);
INSERT INTO ti_other VALUES ('ti_alpha', 1), ('ti_beta', 2), ('ti_beta', 3);
-- hash index
CREATE INDEX ti_other_hash ON ti_other USING hash (s);
SET enable_seqscan = off;
SET enable_bitmapscan = off;
EXPLAIN (COSTS OFF) SELECT extra FROM ti_other WHERE s = 'ti_beta';
SELECT extra FROM ti_other WHERE s = 'ti_beta' ORDER BY extra;
RESET enable_seqscan;
RESET enable_bitmapscan;
ANALYZE ti_docs;
ANALYZE ti_other;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT d.note, o.extra FROM ti_docs d JOIN ti_other o ON d.s = o.s;
SELECT d.note, o.extra FROM ti_docs d JOIN ti_other o ON d.s = o.s ORDER BY 1, 2;
-- hash aggregate
SET enable_sort = off;
SELECT s, sum(extra) FROM ti_other GROUP BY s ORDER BY 2;
RESET enable_sort;
-- merge join
SET enable_hashjoin = off;
SET enable_mergejoin = on;
EXPLAIN (COSTS OFF) SELECT d.note, o.extra FROM ti_docs d JOIN ti_other o ON d.s = o.s;
SELECT d.note, o.extra FROM ti_docs d JOIN ti_other o ON d.s = o.s ORDER BY 1, 2;
RESET enable_hashjoin;
RESET enable_mergejoin;
RESET enable_nestloop;
-- the handle works as an argument straight from the table
SELECT s, ts_head(s) FROM ti_docs ORDER BY s;
DROP TABLE ti_docs, ti_other;

-- NULL handles
SELECT NULL::temporal_store IS NULL AS is_null;
SELECT ts_head(NULL::temporal_store);

-- clean up
SELECT ts_drop(s) FROM (VALUES ('ti_alpha'::temporal_store), ('ti_beta'), ('ti_gamma'), ('Ti Mixed "Case" é')) v(s);
