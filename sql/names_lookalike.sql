--
-- names_lookalike: store, branch and tag names may not contain format or
-- invisible characters (Unicode Cf, Zl, Zp, default-ignorable code points):
-- 22023 with a hint, the character shown as <U+XXXX>; ordinary non-ASCII
-- names still work
--
\set VERBOSITY default

SELECT count(*) AS stores_before FROM ts_stores() \gset

-- ts_create: zero width space, right-to-left override, byte order mark,
-- line separator, soft hyphen, a tag character
SELECT ts_create(E'a\u200Bb');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_create(E'\u202Eabc');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_create(E'\uFEFFconfig');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_create(E'ab\u2028');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_create(E'so\u00ADft');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_create(E't\U000E0001');
\echo :LAST_ERROR_SQLSTATE
-- nothing was created
SELECT count(*) = :stores_before AS nothing_created FROM ts_stores();

-- ordinary non-ASCII names still work
SELECT ts_create('café', '{"n": 1}');
SELECT ts_create('日本', '{"n": 2}');
SELECT ts_head('café'), ts_head('日本');

-- the temporal_store type's input refuses them too
SELECT E'caf\u00E9\u200B'::temporal_store;
\echo :LAST_ERROR_SQLSTATE

-- ts_branch
SELECT ts_branch('café', E'a\u200Bb');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_branch('café', E'\u202Emain');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_branch('café', E'\uFEFFdev');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_branch('café', E'so\u00ADft');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_branch('café', 'évolution');
SELECT ts_branch('café', '日本');

-- ts_tag
SELECT ts_tag('café', E'v1\u200D');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_tag('café', E'r\u2029');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_tag('café', 'première');

-- ts_rename_branch
SELECT ts_rename_branch('café', 'évolution', E'\u202Eevil');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_rename_branch('café', 'évolution', E'dev\u2060');
\echo :LAST_ERROR_SQLSTATE
SELECT ts_rename_branch('café', 'évolution', 'naïve');

-- in a revision a name with one is a syntax error (22P02), with the hint
SELECT ts_resolve('café', E'ma\u200Bin~0');
\echo :LAST_ERROR_SQLSTATE

SELECT branch, head_version FROM ts_branches('café') ORDER BY branch COLLATE "C";
SELECT tag, version FROM ts_tags('café') ORDER BY tag COLLATE "C";

SELECT ts_drop('café'), ts_drop('日本');
