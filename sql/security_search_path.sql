--
-- A hostile role's look-alike functions and operators never run with the
-- extension owner's rights, whatever its search_path: every name the
-- extension's SQL uses is shadowed, before and after pg_catalog, and each
-- look-alike would announce itself (a NOTICE naming the role it runs as)
-- and try to make its author superuser.
--
\set VERBOSITY terse
CREATE ROLE regress_sp_mallory;
CREATE SCHEMA regress_sp_evil AUTHORIZATION regress_sp_mallory;
GRANT USAGE ON SCHEMA regress_sp_evil TO PUBLIC;
SET ROLE regress_sp_mallory;

-- Announces itself and tries to escalate (succeeds only as a superuser).
CREATE FUNCTION regress_sp_evil.pwn(what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'look-alike % ran as %', what, current_user;
    BEGIN
        EXECUTE 'ALTER ROLE regress_sp_mallory SUPERUSER';
    EXCEPTION WHEN OTHERS THEN NULL;
    END;
END $$;

-- Functions: each calls pg_catalog's after announcing itself.
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT * FROM (VALUES
        ('hashtext', 'text', 'integer', 'pg_catalog.hashtext($1)'),
        ('nextval', 'text', 'bigint', 'pg_catalog.nextval($1::pg_catalog.regclass)'),
        ('nextval', 'regclass', 'bigint', 'pg_catalog.nextval($1)'),
        ('length', 'text', 'integer', 'pg_catalog.length($1)'),
        ('length', 'bytea', 'integer', 'pg_catalog.length($1)'),
        ('left', 'text, integer', 'text', 'pg_catalog.left($1, $2)'),
        ('left', 'text, bigint', 'text', 'pg_catalog.left($1, $2::integer)'),
        ('encode', 'bytea, text', 'text', 'pg_catalog.encode($1, $2)'),
        ('now', '', 'timestamptz', 'pg_catalog.now()'),
        ('clock_timestamp', '', 'timestamptz', 'pg_catalog.clock_timestamp()'),
        ('current_database', '', 'name', 'pg_catalog.current_database()'),
        ('make_interval', 'secs integer', 'interval', 'pg_catalog.make_interval(secs => $1)'),
        ('make_interval', 'secs bigint', 'interval', 'pg_catalog.make_interval(secs => $1)'),
        ('pg_advisory_xact_lock', 'integer, integer', 'void', 'pg_catalog.pg_advisory_xact_lock($1, $2)'),
        ('pg_advisory_xact_lock', 'bigint', 'void', 'pg_catalog.pg_advisory_xact_lock($1)'),
        ('pg_column_size', 'anyelement', 'integer', 'pg_catalog.pg_column_size($1)'),
        ('jsonb_build_object', 'text, bigint', 'jsonb', 'pg_catalog.jsonb_build_object($1, $2)')
    ) AS t(name, args, ret, body) LOOP
        EXECUTE pg_catalog.format(
            'CREATE FUNCTION regress_sp_evil.%I(%s) RETURNS %s LANGUAGE plpgsql AS '
            '$f$ BEGIN PERFORM regress_sp_evil.pwn(%L); RETURN %s; END $f$',
            f.name, f.args, f.ret, f.name || '(' || f.args || ')',
            CASE WHEN f.ret = 'void' THEN '' ELSE f.body END);
    END LOOP;
END $$;

-- Aggregates.
CREATE FUNCTION regress_sp_evil.count_step(bigint) RETURNS bigint LANGUAGE plpgsql AS
    $$ BEGIN PERFORM regress_sp_evil.pwn('count(*)'); RETURN $1 + 1; END $$;
CREATE AGGREGATE regress_sp_evil.count(*) (SFUNC = regress_sp_evil.count_step, STYPE = bigint, INITCOND = '0');
CREATE FUNCTION regress_sp_evil.big_step(bigint, bigint) RETURNS bigint LANGUAGE plpgsql AS
    $$ BEGIN PERFORM regress_sp_evil.pwn('sum/max(bigint)'); RETURN $1 + $2; END $$;
CREATE AGGREGATE regress_sp_evil.max(bigint) (SFUNC = regress_sp_evil.big_step, STYPE = bigint);
CREATE FUNCTION regress_sp_evil.int_step(bigint, integer) RETURNS bigint LANGUAGE plpgsql AS
    $$ BEGIN PERFORM regress_sp_evil.pwn('sum(integer)'); RETURN coalesce($1, 0) + $2; END $$;
CREATE AGGREGATE regress_sp_evil.sum(integer) (SFUNC = regress_sp_evil.int_step, STYPE = bigint);

-- Operators: comparisons of every type pair the SQL compares, and the
-- arithmetic it does.
DO $$
DECLARE
    t record;
    op text;
    n int := 0;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('bigint', 'bigint'), ('integer', 'integer'), ('text', 'text'),
                                   ('bigint', 'integer'), ('integer', 'bigint'), ('name', 'name'),
                                   ('name', 'text'), ('timestamptz', 'timestamptz'), ('"char"', '"char"'),
                                   ('bytea', 'bytea'), ('oid', 'oid')) AS p(l, r) LOOP
        FOREACH op IN ARRAY ARRAY['=', '<>', '<', '<=', '>', '>='] LOOP
            n := n + 1;
            EXECUTE pg_catalog.format(
                'CREATE FUNCTION regress_sp_evil.op_%s(%s, %s) RETURNS boolean LANGUAGE plpgsql AS '
                '$f$ BEGIN PERFORM regress_sp_evil.pwn(%L); RETURN $1 OPERATOR(pg_catalog.%s) $2; END $f$',
                n, t.l, t.r, t.l || ' ' || op || ' ' || t.r, op);
            EXECUTE pg_catalog.format('CREATE OPERATOR regress_sp_evil.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = regress_sp_evil.op_%s)',
                                      op, t.l, t.r, n);
        END LOOP;
    END LOOP;
END $$;
CREATE FUNCTION regress_sp_evil.ts_minus(timestamptz, interval) RETURNS timestamptz LANGUAGE plpgsql AS
    $$ BEGIN PERFORM regress_sp_evil.pwn('timestamptz - interval'); RETURN $1 OPERATOR(pg_catalog.-) $2; END $$;
CREATE OPERATOR regress_sp_evil.- (LEFTARG = timestamptz, RIGHTARG = interval, FUNCTION = regress_sp_evil.ts_minus);
CREATE FUNCTION regress_sp_evil.big_minus(bigint, integer) RETURNS bigint LANGUAGE plpgsql AS
    $$ BEGIN PERFORM regress_sp_evil.pwn('bigint - integer'); RETURN $1 OPERATOR(pg_catalog.-) $2; END $$;
CREATE OPERATOR regress_sp_evil.- (LEFTARG = bigint, RIGHTARG = integer, FUNCTION = regress_sp_evil.big_minus);
CREATE FUNCTION regress_sp_evil.big_plus(bigint, bigint) RETURNS bigint LANGUAGE plpgsql AS
    $$ BEGIN PERFORM regress_sp_evil.pwn('bigint + bigint'); RETURN $1 OPERATOR(pg_catalog.+) $2; END $$;
CREATE OPERATOR regress_sp_evil.+ (LEFTARG = bigint, RIGHTARG = bigint, FUNCTION = regress_sp_evil.big_plus);

CREATE TABLE regress_sp_evil.lines (line jsonb);

-- The look-alikes work where they are meant to be found.
SET search_path = regress_sp_evil, pg_catalog;
SELECT hashtext('x') IS NOT NULL AS evil_hashtext_runs;
RESET search_path;

-- Every kind of call, with the hostile schema first, then after
-- pg_catalog (where only inexact matches, such as nextval(text) for an
-- unknown literal, could pick it).
CREATE FUNCTION regress_sp_evil.exercise() RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    out text := '';
BEGIN
    PERFORM public.ts_create('sp', '{"a": 1, "list": [1, 2]}', 'first');
    PERFORM public.ts_commit('sp', '{"a": 2, "list": [1, 2, 3]}', 'second');
    PERFORM public.ts_patch('sp', '[{"op": "replace", "path": "/a", "value": 3}]', 'third');
    PERFORM public.ts_branch('sp', 'dev');
    PERFORM public.ts_commit('sp', '{"a": 4}', 'on dev', branch => 'dev');
    PERFORM public.ts_tag('sp', 'v1.0', '2');
    PERFORM public.ts_grant('sp', 'regress_sp_mallory', 'admin');
    PERFORM public.ts_revoke('sp', 'regress_sp_mallory', 'admin');
    PERFORM public.ts_commit('sp', '{"a": 5}', 'on main');
    PERFORM public.ts_revert('sp', 'main');
    PERFORM public.ts_merge('sp', 'dev', strategy => 'theirs');
    PERFORM public.ts_snapshot('sp');
    PERFORM public.ts_rename_branch('sp', 'dev', 'dev2');
    PERFORM public.ts_reset('sp', 'dev2', '1');
    PERFORM public.ts_drop_branch('sp', 'dev2');
    PERFORM public.ts_drop_tag('sp', 'v1.0');
    PERFORM public.ts_restore('sp', '1');
    out := out || coalesce((public.ts_head('sp')::text || ' ')::text, 'null');
    out := out || coalesce((public.ts_as_of('sp', 'main~2')::text || ' ')::text, 'null');
    out := out || coalesce((public.ts_as_of('sp', 2::bigint)::text || ' ')::text, 'null');
    out := out || coalesce((public.ts_as_of('sp', pg_catalog.now())::text || ' ')::text, 'null');
    BEGIN
        PERFORM public.ts_as_of('sp', 'main@{2000-01-01}');
    EXCEPTION WHEN undefined_object THEN
        out := out || SQLSTATE;
    END;
    out := out || ' ' || coalesce((public.ts_resolve('sp', 'h:' || pg_catalog.left(pg_catalog.encode((SELECT hash FROM public.ts_version('sp', '1')), 'hex'), 8)))::text, 'null');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_log('sp', path => '{a}')))::text, 'null');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_events('sp')))::text, 'null');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_branches('sp')))::text, 'null');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_tags('sp')))::text, 'null');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_stores() s WHERE s.store::text OPERATOR(pg_catalog.=) 'sp'))::text, 'null');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_verify('sp')))::text, 'null');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_merge_conflicts('sp', 'main', 'main')))::text, 'null');
    out := out || ' ' || coalesce((public.ts_diff('sp', '1', '2'))::text, 'null');
    out := out || ' ' || coalesce((public.ts_step('sp', 'main', -1))::text, 'null');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_changes(0, 100)))::text, 'null');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_path_history('sp', '{a}')))::text, 'null');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_blame('sp')))::text, 'null');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_stats('sp')))::text, 'null');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_path_stats('sp', depth => 1)))::text, 'null');
    DELETE FROM regress_sp_evil.lines;
    INSERT INTO regress_sp_evil.lines SELECT * FROM public.ts_export('sp');
    PERFORM public.ts_import('sp_copy', 'regress_sp_evil.lines');
    out := out || ' ' || coalesce(((SELECT pg_catalog.count(*) FROM public.ts_log('sp_copy')))::text, 'null');
    PERFORM public.ts_drop('sp_copy');
    PERFORM public.ts_compact('sp', pg_catalog.now() OPERATOR(pg_catalog.-) '1 hour'::interval);
    PERFORM public.ts_drop('sp');
    RETURN out;
END $$;

SET search_path = regress_sp_evil, pg_catalog, public;
SELECT regress_sp_evil.exercise();
SET search_path = pg_catalog, regress_sp_evil, public;
SELECT regress_sp_evil.exercise();
SET search_path = regress_sp_evil, public;
SELECT regress_sp_evil.exercise();
RESET search_path;
RESET ROLE;

-- Nothing escalated.
SELECT rolsuper FROM pg_roles WHERE rolname = 'regress_sp_mallory';

SET client_min_messages = warning;
DROP SCHEMA regress_sp_evil CASCADE;
RESET client_min_messages;
DROP ROLE regress_sp_mallory;
