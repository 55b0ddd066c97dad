# Every reading function works on a hot standby and answers exactly what the
# primary answers; ts_checkout (session state only) works there; every
# writing function, ts_snapshot, ts_compact and ts_worker_start fail cleanly
# with SQLSTATE 25006 (read-only transaction), never a crash; no snapshot
# worker runs on the standby even with the library preloaded; a standby
# session's cache follows the primary's new commits.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $primary = PostgreSQL::Test::Cluster->new('primary');
$primary->init(allows_streaming => 1);
$primary->append_conf(
	'postgresql.conf', q{
shared_preload_libraries = 'temporal_store'
temporal_store.worker_naptime = 1
temporal_store.snapshot_interval = 5
});
$primary->start;

$primary->safe_psql(
	'postgres', q{
CREATE EXTENSION temporal_store;
CREATE ROLE reader LOGIN;
SELECT ts_create('s', '{"a": 1, "list": [1, 2], "nested": {"x": 1.0}}', 'init', '{"m": 1}');
SELECT ts_commit('s', jsonb_build_object('a', g, 'list', jsonb_build_array(g), 'nested', jsonb_build_object('x', g * 1.5)),
                 'commit ' || g) FROM generate_series(2, 30) g;
SELECT ts_tag('s', 'v1.0', '10', 'ten');
SELECT ts_branch('s', 'feature', '20');
SELECT ts_patch('s', '{"feature": true}', 'feature', branch => 'feature');
SELECT ts_patch('s', '[{"op": "add", "path": "/list/-", "value": 99}]', 'feature 2', branch => 'feature');
SELECT ts_commit('s', '{"a": 100, "list": [], "nested": {"x": 0}}', 'main moves');
SELECT ts_merge('s', 'feature', 'main', 'ours', 'merge feature');
SELECT ts_branch('s', 'ca', 'main');
SELECT ts_branch('s', 'cb', 'main');
SELECT ts_patch('s', '{"a": "left"}', branch => 'ca');
SELECT ts_patch('s', '{"a": "right"}', branch => 'cb');
SELECT ts_grant('s', 'reader', 'read');
SELECT ts_create('other', '[1]');
-- A large document: its snapshots are kept as jsonb, reads replay onto them.
SELECT ts_create('big', (SELECT jsonb_build_object('items', jsonb_agg(jsonb_build_object(
         'id', g, 'name', 'item ' || g, 'tags', jsonb_build_array('a', g)))) FROM generate_series(1, 300) g));
SELECT ts_patch('big', jsonb_build_array(jsonb_build_object('op', 'replace', 'path', '/items/' || g || '/name',
                                                            'value', 'renamed ' || g))) FROM generate_series(1, 12) g;
});
# Let the primary's worker build some snapshots (the large store's among
# them), then stream everything.
$primary->poll_query_until('postgres', 'SELECT count(*) > 0 FROM ts_internal.snapshots')
  or die 'no snapshots on the primary';
$primary->poll_query_until('postgres',
	q{SELECT count(*) > 0 FROM ts_internal.snapshots n JOIN ts_internal.stores s USING (store_id) WHERE s.name = 'big'})
  or die 'no snapshot of the large store on the primary';

$primary->backup('bk');
my $standby = PostgreSQL::Test::Cluster->new('standby');
$standby->init_from_backup($primary, 'bk', has_streaming => 1);
$standby->start;

# More history after the standby started: streamed, not in the backup.
$primary->safe_psql(
	'postgres', q{
SELECT ts_commit('s', jsonb_build_object('late', g), 'late ' || g) FROM generate_series(1, 12) g;
SELECT ts_tag('s', 'late-tag');
});
$primary->wait_for_catchup($standby);
is($standby->safe_psql('postgres', 'SELECT pg_is_in_recovery()'), 't', 'the standby is in recovery');

my $t3 = $primary->safe_psql('postgres', q{SELECT committed_at FROM ts_version('s', '3')});

# Reading functions: the standby answers exactly as the primary.
my @READS = (
	[ 'ts_head',                 q{SELECT ts_head('s')} ],
	[ 'ts_head branch',          q{SELECT ts_head('s', 'feature')} ],
	[ 'ts_as_of version',        q{SELECT ts_as_of('s', 3::bigint)} ],
	[ 'ts_as_of timestamptz',    qq{SELECT ts_as_of('s', '$t3'::timestamptz, 'main')} ],
	[ 'ts_as_of timestamptz NULL before', q{SELECT ts_as_of('s', '2000-01-01'::timestamptz) IS NULL} ],
	[ 'ts_as_of rev',            q{SELECT ts_as_of('s', 'v1.0')} ],
	[ 'ts_as_of rev expression', q{SELECT ts_as_of('s', 'main~3')} ],
	[ 'ts_resolve',              q{SELECT ts_resolve('s', 'feature^')} ],
	[ 'ts_step back',            q{SELECT ts_step('s', 'main', -2)} ],
	[ 'ts_step forward',         q{SELECT ts_step('s', '3', 4)} ],
	[ 'ts_version',              q{SELECT * FROM ts_version('s', 'main')} ],
	[ 'ts_version by hash',        q{SELECT * FROM ts_version('s', 'h:' || encode((ts_version('s', 'main~12')).hash, 'hex'))} ],
	[ 'ts_log',                  q{SELECT * FROM ts_log('s')} ],
	[ 'ts_log filtered',         q{SELECT * FROM ts_log('s', 'feature', first_parent => true, max_count => 5)} ],
	[ 'ts_diff',                 q{SELECT ts_diff('s', '1', 'main')} ],
	[ 'ts_events',               q{SELECT * FROM ts_events('s')} ],
	[ 'ts_events after',         q{SELECT * FROM ts_events('s', 30)} ],
	[ 'ts_branches',             q{SELECT * FROM ts_branches('s')} ],
	[ 'ts_tags',                 q{SELECT * FROM ts_tags('s')} ],
	[ 'ts_merge_conflicts',      q{SELECT * FROM ts_merge_conflicts('s', 'ca', 'cb')} ],
	[ 'ts_merge_base',           q{SELECT ts_merge_base('s', 'feature', 'main')} ],
	# bytes left out: the primary's worker may add a snapshot in between.
	[ 'ts_stores',               q{SELECT store, owner, created_at, versions, branches, head_version, bytes > 0
	    FROM ts_stores()} ],
	[ 'ts_verify',               q{SELECT * FROM ts_verify('s')} ],
	[ 'every version, cache off', q{SET temporal_store.cache_size = 0;
	    SELECT string_agg(md5(ts_as_of('s', g)::text), ',' ORDER BY g)
	    FROM generate_series(1, (SELECT versions FROM ts_stores() WHERE store = 's')) g} ],
	[ 'every version of a large store, cache off', q{SET temporal_store.cache_size = 0;
	    SELECT string_agg(md5(ts_as_of('big', g)::text), ',' ORDER BY g) FROM generate_series(1, 13) g} ],
	[ 'as a reader role',        q{SET ROLE reader; SELECT ts_head('s', 'ca')} ],
	[ 'json functions',          q{SELECT ts_json_diff('{"a": 1}', '{"a": 2}'), ts_json_merge_patch('{"a": 1}', '{"b": 2}')} ],
);
for my $r (@READS)
{
	my ($name, $sql) = @$r;
	my $p = $primary->safe_psql('postgres', "SET TimeZone = 'UTC';\n$sql");
	my ($ret, $out, $err) = $standby->psql('postgres', "SET TimeZone = 'UTC';\n$sql", on_error_stop => 1);
	is($ret, 0, "standby: $name works") or diag($err);
	is($out, $p, "standby: $name answers as the primary");
}
is($standby->safe_psql('postgres', q{SELECT count(*) FROM ts_verify('s')}), '0', 'standby: ts_verify reports nothing');
is( $standby->safe_psql(
		'postgres', q{SELECT count(*) > 0 FROM ts_internal.snapshots n JOIN ts_internal.stores s USING (store_id)
		              WHERE s.name = 'big' AND get_byte(n.state, 1) = 6}),
	't', 'standby: the large store has snapshots kept as jsonb');

# ts_worker_status works; no worker (nor launcher work) on a standby.
my ($ret, $out, $err) = $standby->psql('postgres', 'SELECT count(*) >= 0 FROM ts_worker_status()', on_error_stop => 1);
is($ret, 0, 'standby: ts_worker_status works') or diag($err);
is( $standby->safe_psql(
		'postgres', q{SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'temporal_store worker'}),
	'0',
	'standby: no snapshot worker runs');

# ts_checkout: session state only.
is( $standby->safe_psql(
		'postgres', q{SELECT ts_checkout('s', 'feature');
		SELECT ts_head('s')::text = ts_head('s', 'feature')::text, ts_resolve('s', 'HEAD') = ts_resolve('s', 'feature')}
	),
	"\nt|t",
	'standby: ts_checkout works and HEAD follows it');
is( $standby->safe_psql(
		'postgres', q{BEGIN; SELECT ts_checkout('s', 'ca'); ROLLBACK;
		SELECT ts_head('s')::text = ts_head('s', 'main')::text}),
	"\nt",
	'standby: a rolled-back ts_checkout leaves nothing behind');

# Writing functions fail with 25006 (and the session and server live on).
sub sqlstate_of
{
	my ($n, $sql) = @_;
	my ($r, $o, $e) = $n->psql('postgres', "\\set VERBOSITY verbose\n$sql", on_error_stop => 1);
	return 'ok' if $r == 0;
	return $1 if $e =~ /ERROR:\s+([0-9A-Z]{5}):/;
	return "no SQLSTATE (psql exit $r): $e";
}
# A version without a snapshot: ts_snapshot would have to write one.
my $unsnapped = $primary->safe_psql('postgres',
	q{SELECT min(g) FROM generate_series(2, 40) g WHERE NOT EXISTS (SELECT 1 FROM ts_internal.snapshots n
	  JOIN ts_internal.stores st USING (store_id) WHERE st.name = 's' AND n.version = g)});
my @WRITES = (
	q{SELECT ts_create('new_store', '{}')},
	q{SELECT ts_drop('other')},
	q{SELECT ts_commit('s', '{"x": 1}')},
	q{SELECT ts_commit('s', '{"x": 1}', branch => 'feature', expected_head => 1)},
	q{SELECT ts_patch('s', '{"x": 1}')},
	q{SELECT ts_patch('s', '[{"op": "add", "path": "/x", "value": 1}]')},
	q{SELECT ts_restore('s', '3')},
	q{SELECT ts_revert('s', 'main')},
	q{SELECT ts_cherry_pick('s', 'ca', branch => 'cb')},
	q{SELECT ts_merge('s', 'feature', 'main')},
	q{SELECT ts_merge('s', 'ca', 'cb', 'theirs')},
	q{SELECT ts_branch('s', 'nb')},
	q{SELECT ts_drop_branch('s', 'ca')},
	q{SELECT ts_rename_branch('s', 'ca', 'cc')},
	q{SELECT ts_reset('s', 'ca', '1')},
	q{SELECT ts_tag('s', 'nt')},
	q{SELECT ts_drop_tag('s', 'v1.0')},
	q{SELECT ts_grant('s', 'reader', 'write')},
	q{SELECT ts_revoke('s', 'reader', 'read')},
	qq{SELECT ts_snapshot('s', '$unsnapped')},
	q{SELECT ts_compact('s', now())},
	q{SELECT ts_worker_start()},
);
# ts_snapshot of a version that already has one writes nothing: a no-op
# success is as acceptable there as 25006.
my $snapped = $primary->safe_psql('postgres',
	q{SELECT max(n.version) FROM ts_internal.snapshots n JOIN ts_internal.stores st USING (store_id) WHERE st.name = 's'});
like(sqlstate_of($standby, qq{SELECT ts_snapshot('s', '$snapped')}), qr/^(ok|25006)$/,
	"standby: ts_snapshot of already snapshotted version $snapped is a no-op or 25006");
for my $w (@WRITES)
{
	is(sqlstate_of($standby, $w), '25006', "standby: $w fails with 25006");
}
is($standby->safe_psql('postgres', 'SELECT 1'), '1', 'standby: still up');
my $log = slurp_file($standby->logfile);
unlike($log, qr/terminated by signal|server process .* exited with exit code [^0]|PANIC/,
	'standby: no backend crashed');

# A standby session's cached states follow the primary.
my $bg = $standby->background_psql('postgres', on_error_stop => 0);
my $n = $primary->safe_psql('postgres', q{SELECT versions FROM ts_stores() WHERE store = 's'});
is($bg->query_safe(q{SELECT ts_head('s')::text}), '{"late": 12}', 'standby session: head read (and cached)');
$primary->safe_psql('postgres', q{BEGIN; SELECT ts_commit('s', '{"rolled": "back"}'); ROLLBACK;});
$primary->safe_psql('postgres', q{SELECT ts_commit('s', '{"after": "rollback"}')});
$primary->wait_for_catchup($standby);
is($bg->query_safe(q{SELECT ts_head('s')::text}), '{"after": "rollback"}', 'standby session: sees the new head');
is($bg->query_safe(qq{SELECT ts_as_of('s', @{[$n + 1]}::bigint)::text}), '{"after": "rollback"}',
	'standby session: the new version number reads the committed state');
is($bg->query_safe(q{SELECT ts_diff('s', 'main~1', 'main')::text}),
	$primary->safe_psql('postgres', q{SELECT ts_diff('s', 'main~1', 'main')::text}),
	'standby session: diff across the new version as on the primary');
$bg->quit;

$standby->stop;
$primary->stop;
done_testing();
