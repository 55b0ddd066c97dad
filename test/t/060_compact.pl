# ts_compact(store, before): drops the payloads of versions committed before
# `before` that no branch head, tag or later version needs, keeping root
# snapshots where needed. Checked here:
#   - the versions table (with TOAST and indexes) shrinks once vacuumed;
#   - every version at or after `before` reads exactly as before, also from
#     a cold cache, and so do branch heads and tags older than `before`;
#   - every other version before `before` is error TS002, also in a session
#     that had it cached, and the count equals ts_compact's result;
#   - log entries and hashes stay; ts_events shows NULL payloads; a
#     HistoryCompacted event is recorded; ts_verify is empty;
#   - compacting again is a no-op; a later compaction goes further; commits
#     go on.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('compact');
$node->init;
# No worker: nothing else writes snapshots while bytes are measured.
$node->append_conf('postgresql.conf', "max_worker_processes = 0\n");
$node->start;

sub sqlstate_of
{
	my ($sql) = @_;
	my ($r, $o, $e) = $node->psql('postgres', "\\set VERBOSITY verbose\n$sql", on_error_stop => 1);
	return 'ok' if $r == 0;
	return $1 if $e =~ /ERROR:\s+([0-9A-Z]{5}):/;
	return "no SQLSTATE (psql exit $r): $e";
}

# History: main 1..40, tag t10 at 10, branch frozen at 25 (never moves),
# branch old from 30 with two commits (41, 42) merged into main (43), then
# main up to 200. Every state is ~8 kB of hex (TOASTed payloads).
$node->safe_psql(
	'postgres', q{
CREATE EXTENSION temporal_store;
CREATE FUNCTION doc(i int) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('i', i, 'blob', (SELECT string_agg(md5(i || '/' || g), '') FROM generate_series(1, 250) g))
$$;
SELECT ts_create('s', doc(1));
SELECT ts_commit('s', doc(g), 'main ' || g) FROM generate_series(2, 30) g;
SELECT ts_branch('s', 'old');
SELECT ts_commit('s', doc(g), 'main ' || g) FROM generate_series(31, 40) g;
SELECT ts_tag('s', 't10', '10');
SELECT ts_branch('s', 'frozen', '25');
SELECT ts_commit('s', doc(1000 + g) || '{"old": true}', 'old ' || g, branch => 'old') FROM generate_series(1, 2) g;
SELECT ts_merge('s', 'old', 'main', 'theirs', 'merge old');
SELECT ts_commit('s', doc(g), 'main ' || g) FROM generate_series(44, 200) g;
SELECT ts_create('other', '{"untouched": true}');
SELECT ts_commit('other', jsonb_build_object('n', g)) FROM generate_series(1, 20) g;
CREATE TABLE before_state AS
  SELECT g AS v, md5(ts_as_of('s', g)::text) AS state FROM generate_series(1, 200) g;
CREATE TABLE before_log AS
  SELECT g AS v, to_jsonb(ts_version('s', g::text)) AS entry FROM generate_series(1, 200) g;
});
is($node->safe_psql('postgres', q{SELECT versions FROM ts_stores() WHERE store = 's'}), '200', '200 versions');
is($node->safe_psql('postgres', q{SELECT ts_resolve('s', 'old')}), '42', 'branch old ends at 42');
is($node->safe_psql('postgres', q{SELECT ts_resolve('s', 'main~157')}), '43', 'the merge is 43');

my $bytes_sql = q{SELECT pg_total_relation_size('ts_internal.versions') + pg_total_relation_size('ts_internal.snapshots')};
$node->safe_psql('postgres', 'VACUUM ts_internal.versions, ts_internal.snapshots');
my $bytes0 = $node->safe_psql('postgres', $bytes_sql);
note("versions + snapshots before compaction: $bytes0 bytes");

my $before = $node->safe_psql('postgres', q{SELECT committed_at FROM ts_version('s', '150')});

# A second session caches a version that is about to be compacted.
my $bg = $node->background_psql('postgres', on_error_stop => 0);
is($bg->query_safe(q{SELECT md5(ts_as_of('s', 100::bigint)::text)}),
	$node->safe_psql('postgres', 'SELECT state FROM before_state WHERE v = 100'),
	'another session reads (and caches) version 100');

# Compact, reading version 120 in the same transaction before and after.
my $res = $node->safe_psql(
	'postgres', qq{
SELECT md5(ts_as_of('s', 120::bigint)::text) IS NOT NULL;
SELECT ts_compact('s', '$before');
});
my ($pre_read, $n) = split /\n/, $res;
my @kept_old = (10, 25, 42);
my $expected_n = 149 - scalar(@kept_old);
is($n, $expected_n, "ts_compact returns $expected_n (149 older versions minus tag, frozen head, old head)");

# Which versions are compacted, by reading each one.
$node->safe_psql(
	'postgres', q{
CREATE FUNCTION try_state(v bigint) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN md5(ts_as_of('s', v)::text);
EXCEPTION WHEN OTHERS THEN
  RETURN 'ERROR ' || SQLSTATE;
END $$;
});
my $compacted = $node->safe_psql('postgres',
	q{SET temporal_store.cache_size = 0;
	  SELECT string_agg(v::text, ',' ORDER BY v) FROM before_state WHERE try_state(v) = 'ERROR TS002'});
my $expect_compacted = join(',', grep { my $v = $_; !grep { $_ == $v } @kept_old } 1 .. 149);
is($compacted, $expect_compacted, 'exactly the older versions no head or tag needs give TS002');
is( $node->safe_psql(
		'postgres', q{SET temporal_store.cache_size = 0;
		SELECT count(*) FROM before_state WHERE try_state(v) NOT IN (state, 'ERROR TS002')}),
	'0',
	'every other version reads exactly as before (cold cache)');
is( $node->safe_psql(
		'postgres', q{SELECT count(*) FROM before_state WHERE (v >= 150 OR v IN (10, 25, 42)) AND try_state(v) <> state}),
	'0',
	'every version at or after `before`, and the old head/tag versions, read the same (warm cache)');
is(sqlstate_of(q{SELECT ts_as_of('s', 100::bigint)}), 'TS002', 'ts_as_of(version) of a compacted version: TS002');
is(sqlstate_of(q{SELECT ts_as_of('s', 'main~100')}), 'TS002', 'ts_as_of(rev) of a compacted version: TS002');
is(sqlstate_of(qq{SELECT ts_as_of('s', '$before'::timestamptz - interval '1 microsecond')}),
	'TS002', 'ts_as_of(timestamptz) landing on a compacted version: TS002');
is(sqlstate_of(q{SELECT ts_diff('s', '100', 'main')}), 'TS002', 'ts_diff from a compacted version: TS002');
is(sqlstate_of(q{SELECT ts_snapshot('s', '100')}), 'TS002', 'ts_snapshot of a compacted version: TS002');
is(sqlstate_of(q{SELECT ts_restore('s', '100')}), 'TS002', 'ts_restore of a compacted version: TS002');

my ($bgout, $bgerr) = $bg->query(q{\set VERBOSITY verbose
SELECT md5(ts_as_of('s', 100::bigint)::text)});
like($bg->{stderr}, qr/ERROR:\s+TS002:/, 'the session that had version 100 cached also gets TS002');
$bg->{stderr} = '';
$bg->quit;

# Heads and tags older than `before` stay readable.
is($node->safe_psql('postgres', q{SELECT md5(ts_head('s', 'frozen')::text) = (SELECT state FROM before_state WHERE v = 25)}),
	't', 'the frozen branch head (25) reads');
is($node->safe_psql('postgres', q{SELECT md5(ts_head('s', 'old')::text) = (SELECT state FROM before_state WHERE v = 42)}),
	't', 'the old branch head (42) reads');
is($node->safe_psql('postgres', q{SELECT md5(ts_as_of('s', 't10')::text) = (SELECT state FROM before_state WHERE v = 10)}),
	't', 'the tag t10 reads');
is($node->safe_psql('postgres', q{SELECT md5(ts_head('s')::text) = (SELECT state FROM before_state WHERE v = 200)}),
	't', 'main head reads');
is($node->safe_psql('postgres', q{SELECT md5(ts_head('other')::text) = md5('{"n": 20}'::jsonb::text)}),
	't', 'another store is untouched');

# Log entries and hashes stay.
is( $node->safe_psql(
		'postgres', q{SELECT count(*) FROM before_log b WHERE to_jsonb(ts_version('s', b.v::text)) IS DISTINCT FROM b.entry}),
	'0',
	'every version keeps its log entry and hash');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_log('s')}), '200',
	'ts_log still lists the whole ancestry of main (all 200 versions)');
is( $node->safe_psql(
		'postgres', q{SELECT count(*) FROM ts_events('s') WHERE version IS NOT NULL
		  AND event_type IN ('StateCreated', 'StateUpdated', 'BranchMerged') AND payload IS NULL}),
	$expected_n,
	'ts_events shows NULL payloads for exactly the compacted versions');
my $ev = $node->safe_psql('postgres',
	q{SELECT count(*), max((payload->>'versions')::bigint) FROM ts_events('s') WHERE event_type = 'HistoryCompacted'});
is($ev, "1|$expected_n", 'one HistoryCompacted event, recording the count');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_verify('s')}), '0', 'ts_verify reports nothing');

# The bytes.
$node->safe_psql('postgres', 'VACUUM ts_internal.versions, ts_internal.snapshots');
my $bytes1 = $node->safe_psql('postgres', $bytes_sql);
$node->safe_psql('postgres', 'VACUUM FULL ts_internal.versions, ts_internal.snapshots');
my $bytes2 = $node->safe_psql('postgres', $bytes_sql);
note("versions + snapshots: before $bytes0, after compaction + VACUUM $bytes1, after VACUUM FULL $bytes2 bytes");
ok($bytes1 <= $bytes0 * 1.1, "VACUUM: not larger than before ($bytes1 vs $bytes0)");
ok($bytes2 < $bytes0 * 0.5, "VACUUM FULL: less than half of before ($bytes2 vs $bytes0)");
is($node->safe_psql('postgres', q{SELECT count(*) FROM before_state WHERE try_state(v) NOT IN (state, 'ERROR TS002')}),
	'0', 'after VACUUM FULL every remaining version still reads the same');

# Again with the same `before`: nothing to do.
is($node->safe_psql('postgres', qq{SELECT ts_compact('s', '$before')}), '0', 'compacting again compacts nothing');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_events('s') WHERE event_type = 'HistoryCompacted'}),
	'1', '... and records no event');

# Further: before version 180, with a tag at 170 added meanwhile.
$node->safe_psql('postgres', q{SELECT ts_tag('s', 't170', '170')});
my $before2 = $node->safe_psql('postgres', q{SELECT committed_at FROM ts_version('s', '180')});
is($node->safe_psql('postgres', qq{SELECT ts_compact('s', '$before2')}), 29, 'a later compaction takes 150..179 but 170');
is( $node->safe_psql(
		'postgres', q{SET temporal_store.cache_size = 0;
		SELECT string_agg(v::text, ',' ORDER BY v) FROM before_state WHERE try_state(v) <> 'ERROR TS002'}),
	join(',', @kept_old, 170, 180 .. 200),
	'now only the heads, the tags and 180.. read');
is($node->safe_psql('postgres', q{SELECT count(*) FROM before_state WHERE try_state(v) NOT IN (state, 'ERROR TS002')}),
	'0', 'and they read the same');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_verify('s')}), '0', 'ts_verify still reports nothing');

# Writing goes on.
is($node->safe_psql('postgres', q{SELECT ts_commit('s', '{"after": "compaction"}')}), '201', 'commit after compaction');
is($node->safe_psql('postgres', q{SELECT ts_patch('s', '{"more": 1}', branch => 'frozen')}), '202',
	'commit on the old frozen branch');
is($node->safe_psql('postgres', q{SELECT ts_head('s', 'frozen')->>'more'}), '1', 'which reads back');
is($node->safe_psql('postgres', q{SELECT ts_merge('s', 'frozen', 'main', 'theirs') > 0}), 't',
	'merging the old frozen branch into main works');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_verify('s')}), '0', 'ts_verify reports nothing at the end');

$node->stop;
done_testing();
