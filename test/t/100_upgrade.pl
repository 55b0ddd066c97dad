# ALTER EXTENSION temporal_store UPDATE on a database made by release
# 0.1.0: its library and scripts are built from the release's source (the
# test runner exports it from git into TS_RELEASE_0_1_0_SRC) into a copy of
# this PostgreSQL installation; a cluster made there gets stores with
# branches, a merge, tags, grants, snapshots and compacted history; the
# same data directory is then started with this tree's installation,
# updated in place, and everything reads back the same.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $src = $ENV{TS_RELEASE_0_1_0_SRC};
plan skip_all => 'TS_RELEASE_0_1_0_SRC is not set (test/run_all.sh sets it)' unless $src;

# A copy of this installation under $root, with the 0.1.0 release in it.
# PostgreSQL's binaries find their share and lib directories relative to
# themselves, so the copy is a working installation of its own.
my $root = PostgreSQL::Test::Utils::tempdir('release_0_1_0');
my %dir;
for my $k (qw(bindir pkglibdir sharedir includedir-server includedir pkgincludedir))
{
	chomp($dir{$k} = `pg_config --$k`);
	system_or_bail('mkdir', '-p', "$root$dir{$k}");
	system_or_bail('cp', '-a', "$dir{$k}/.", "$root$dir{$k}/");
}
my $old_pg_config = "$root$dir{bindir}/pg_config";
system_or_bail('make', '-s', '-C', $src, '-j2', "PG_CONFIG=$old_pg_config", 'install');
(my $install = "$root$dir{bindir}") =~ s{/bin$}{};

my $node = PostgreSQL::Test::Cluster->new('release_0_1_0', install_path => $install);
$node->init;
$node->append_conf('postgresql.conf', "temporal_store.snapshot_interval = 10\n");
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION temporal_store;
	CREATE ROLE upgrade_reader;
	CREATE ROLE upgrade_owner;
	GRANT upgrade_owner TO CURRENT_USER;});
is($node->safe_psql('postgres', q{SELECT extversion FROM pg_extension WHERE extname = 'temporal_store'}),
	'0.1.0', 'the old cluster runs release 0.1.0');
$node->safe_psql('postgres', q{
	SET ROLE upgrade_owner;
	SELECT ts_create('cfg', '{"db": {"pool": 10}, "features": []}', 'first');
	SELECT ts_commit('cfg', '{"db": {"pool": 20}, "features": []}', 'second');
	SELECT ts_branch('cfg', 'dev');
	SELECT ts_patch('cfg', '{"features": ["dark"]}', 'on dev', branch => 'dev');
	SELECT ts_commit('cfg', '{"db": {"pool": 30}, "features": []}', 'third');
	SELECT ts_merge('cfg', 'dev', message => 'merge dev');
	SELECT ts_tag('cfg', 'v1.0');
	SELECT ts_grant('cfg', 'upgrade_reader', 'read');
	SELECT ts_create('long', '{"n": 0}');
	SELECT ts_patch('long', jsonb_build_object('n', i)) FROM generate_series(1, 300) i;
	SELECT ts_snapshot('long');});
# Compaction of what came before now (heads and tags are kept).
$node->safe_psql('postgres', q{
	SELECT ts_commit('long', '{"n": "after"}');
	SELECT ts_compact('long', (SELECT committed_at FROM ts_version('long', '250')));});

# Every version of every store: hash and state (or "compacted"), with the
# branches, tags, log and verification.
my $capture = q{
	CREATE FUNCTION pg_temp.state_or(st text, v bigint) RETURNS text LANGUAGE plpgsql AS $$
	BEGIN RETURN ts_as_of(st::temporal_store, v)::text;
	EXCEPTION WHEN SQLSTATE 'TS002' THEN RETURN 'compacted'; END $$;
	SELECT string_agg(line, E'\n' ORDER BY line) FROM (
	  SELECT s.store || ' v' || e.version || ' ' || encode(x.hash, 'hex') || ' ' || pg_temp.state_or(s.store::text, e.version) AS line
	    FROM ts_stores() s, ts_events(s.store) e, ts_version(s.store, e.version::text) x
	   WHERE e.event_type IN ('StateCreated', 'StateUpdated', 'BranchMerged')
	  UNION ALL SELECT s.store || ' branch ' || b.branch || ' ' || b.head_version FROM ts_stores() s, ts_branches(s.store) b
	  UNION ALL SELECT s.store || ' tag ' || t.tag || ' ' || t.version FROM ts_stores() s, ts_tags(s.store) t
	  UNION ALL SELECT s.store || ' owner ' || s.owner || ' versions ' || s.versions FROM ts_stores() s
	  UNION ALL SELECT s.store || ' log ' || string_agg(l.version::text, ',' ORDER BY l.version)
	    FROM ts_stores() s, ts_log(s.store) l GROUP BY s.store
	  UNION ALL SELECT s.store || ' events ' || count(*) FROM ts_stores() s, ts_events(s.store) e GROUP BY s.store
	  UNION ALL SELECT s.store || ' problems ' || count(v.*) FROM ts_stores() s LEFT JOIN LATERAL ts_verify(s.store) v ON true GROUP BY s.store
	) q;};
my $before = $node->safe_psql('postgres', $capture);
like($before, qr/long v3 \S+ compacted/, 'the old history has compacted versions');
like($before, qr/cfg v5 /, 'and a merge');
my $reader_before = $node->safe_psql('postgres', q{SET ROLE upgrade_reader; SELECT ts_head('cfg')});

# The same data directory, started with this tree's installation.
$node->stop;
system_or_bail("$dir{bindir}/pg_ctl", '-D', $node->data_dir, '-l', $node->logfile, '-w', 'start');

my ($rc, $out, $err) = $node->psql('postgres', q{SELECT ts_head('cfg')});
like($err, qr/ALTER EXTENSION temporal_store UPDATE/, 'before the update, calls ask for ALTER EXTENSION UPDATE');

$node->safe_psql('postgres', 'ALTER EXTENSION temporal_store UPDATE');
is($node->safe_psql('postgres', q{SELECT extversion FROM pg_extension WHERE extname = 'temporal_store'}),
	'0.2.0', 'updated to 0.2.0');

# The updated extension has the same objects as a fresh 0.2.0 install: the
# same members, columns, indexes, triggers and function signatures.
my $catalog = q{
	SELECT string_agg(x, E'\n' ORDER BY x) FROM (
	  SELECT pg_describe_object(classid, objid, 0) AS x FROM pg_depend
	   WHERE refobjid = (SELECT oid FROM pg_extension WHERE extname = 'temporal_store') AND deptype = 'e'
	  UNION ALL SELECT table_name || '.' || column_name || ': ' || data_type || ' ' || is_nullable
	    FROM information_schema.columns WHERE table_schema = 'ts_internal'
	  UNION ALL SELECT indexdef FROM pg_indexes WHERE schemaname = 'ts_internal'
	  UNION ALL SELECT c.relname || ' ' || t.tgname || ' ' || pg_get_triggerdef(t.oid)
	    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
	   WHERE c.relnamespace = 'ts_internal'::regnamespace
	  UNION ALL SELECT p.oid::regprocedure::text || ' ' || pg_get_function_arguments(p.oid) || ' -> '
	                   || pg_get_function_result(p.oid) || ' ' || p.provolatile::text || p.proisstrict::text
	    FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e'
	   WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'temporal_store')
	) q;};
$node->safe_psql('postgres', 'CREATE DATABASE fresh_0_2_0');
$node->safe_psql('fresh_0_2_0', 'CREATE EXTENSION temporal_store');
is($node->safe_psql('postgres', $catalog), $node->safe_psql('fresh_0_2_0', $catalog),
	'the updated catalog is that of a fresh 0.2.0 install');
is($node->safe_psql('postgres', $capture), $before, 'every version, branch, tag, log and event reads the same');
is($node->safe_psql('postgres', q{SET ROLE upgrade_reader; SELECT ts_head('cfg')}), $reader_before,
	'a grant of 0.1.0 still works');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_internal.stores WHERE owner_oid IS NULL}
	. q{ UNION ALL SELECT count(*) FROM ts_internal.grants WHERE role_oid IS NULL}), "0\n0",
	'owners and grants are bound to role OIDs');

# The history index is filled for the history 0.1.0 wrote: path history,
# blame through the merge, the log's path filter and stats answer from it,
# across the versions compacted before the update.
is($node->safe_psql('postgres', q{SELECT count(DISTINCT version) FROM ts_internal.version_paths p
	JOIN ts_internal.stores s USING (store_id) WHERE s.name = 'cfg'}), '5', 'every old version of cfg is indexed');
is($node->safe_psql('postgres', q{SELECT string_agg(version::text, ',') FROM ts_path_history('cfg', '{db,pool}')}),
	'4,2,1', 'ts_path_history on the old history');
is($node->safe_psql('postgres', q{SELECT string_agg(path::text || '=' || version, ' ' ORDER BY path) FROM ts_blame('cfg')}),
	'{db,pool}=4 {features,0}=3', 'ts_blame on the old history: the merged value is blamed on its branch');
is($node->safe_psql('postgres', q{SELECT string_agg(version::text, ',') FROM ts_log('cfg', path => '{features}')}),
	'5,3,1', 'ts_log path filter on the old history');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_path_history('long', '{n}');
	SELECT ts_internal.history_index_reads() ->> 'runs'}),
	"302\n1", 'path history across versions compacted before the update, one run walked');
is($node->safe_psql('postgres', q{SELECT count(*) FILTER (WHERE new_value IS NULL) > 200,
	bool_and(new_value IS NOT NULL) FILTER (WHERE version > 250) FROM ts_path_history('long', '{n}')}),
	't|t', 'compacted versions show NULL values, later ones their values');
is($node->safe_psql('postgres', q{SELECT sum(commits) FROM ts_stats('long')}), '302', 'ts_stats on the old history');

# The updated store takes new writes and they verify.
$node->safe_psql('postgres', q{
	SET ROLE upgrade_owner;
	SELECT ts_commit('cfg', '{"db": {"pool": 40}, "features": ["dark"]}', 'after the update');
	SELECT ts_merge('cfg', 'main', target => 'dev');});
is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_verify('cfg')}), '0', 'new writes verify');
is($node->safe_psql('postgres', q{SELECT ts_head('cfg', 'dev')->'db'->>'pool'}), '40', 'and read back');

# Stores made by release 0.1.0 export, and import under new names with
# the same hashes, states, branches, tags and stream.
$node->safe_psql('postgres', q{
	CREATE TABLE long_lines (line jsonb);
	INSERT INTO long_lines SELECT * FROM ts_export('long');
	CREATE TABLE cfg_lines (line jsonb);
	INSERT INTO cfg_lines SELECT * FROM ts_export('cfg');
	SELECT ts_import('long_copy', 'long_lines');
	SELECT ts_import('cfg_copy', 'cfg_lines');});
for my $st ('long', 'cfg')
{
	my $same = $node->safe_psql('postgres', qq{
		CREATE FUNCTION pg_temp.state_or(st text, v bigint) RETURNS text LANGUAGE plpgsql AS \$\$
		BEGIN RETURN ts_as_of(st::temporal_store, v)::text;
		EXCEPTION WHEN SQLSTATE 'TS002' THEN RETURN 'compacted'; END \$\$;
		CREATE FUNCTION pg_temp.versions(st text) RETURNS TABLE (v bigint, h text, s text) LANGUAGE sql AS \$\$
		  SELECT e.version, encode(x.hash, 'hex'), pg_temp.state_or(st, e.version)
		    FROM ts_events(st::temporal_store) e, ts_version(st::temporal_store, e.version::text) x
		   WHERE e.parents IS NOT NULL \$\$;
		SELECT (SELECT count(*) FROM ((SELECT * FROM pg_temp.versions('$st') EXCEPT SELECT * FROM pg_temp.versions('${st}_copy'))
		         UNION ALL (SELECT * FROM pg_temp.versions('${st}_copy') EXCEPT SELECT * FROM pg_temp.versions('$st'))) d)
		    || ' ' || (SELECT count(*) FROM ((SELECT * FROM ts_branches('$st') EXCEPT SELECT * FROM ts_branches('${st}_copy'))
		         UNION ALL (SELECT * FROM ts_branches('${st}_copy') EXCEPT SELECT * FROM ts_branches('$st'))) d)
		    || ' ' || (SELECT count(*) FROM ((SELECT * FROM ts_tags('$st') EXCEPT SELECT * FROM ts_tags('${st}_copy'))
		         UNION ALL (SELECT * FROM ts_tags('${st}_copy') EXCEPT SELECT * FROM ts_tags('$st'))) d)
		    || ' ' || ((SELECT array_agg(l ORDER BY l->'seq') FROM ts_export('$st') l WHERE l->>'seq' <> '0')
		             = (SELECT array_agg(l ORDER BY l->'seq') FROM ts_export('${st}_copy') l WHERE l->>'seq' <> '0'))
		    || ' ' || (SELECT count(*) FROM pg_temp.versions('${st}_copy'))
		    || ' ' || (SELECT count(*) FROM ts_verify('${st}_copy'))});
	like($same, qr/^0 0 0 true [1-9]\d* 0$/,
		"$st (made by 0.1.0): imported copy has the same versions, hashes, states, branches, tags and stream ($same)");
}

system_or_bail("$dir{bindir}/pg_ctl", '-D', $node->data_dir, '-m', 'fast', '-w', 'stop');
done_testing();
