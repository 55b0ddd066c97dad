# Commits wake the snapshot worker for large states.
#
# A chain of a large document (8 kB of jsonb or more) that grows by
# snapshot_interval deltas wakes the worker when its transaction commits,
# so its snapshots do not wait for worker_naptime: with a naptime of two
# minutes, the snapshot of such a chain appears within seconds. Small
# documents wake nothing: their chains wait for the naptime. Everything
# still reads back as committed. Run twice: with a worker started by
# ts_worker_start(), and with the library preloaded, where a worker skips
# its look for pending heads unless a commit was counted or woke it.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time usleep);

my $INTERVAL = 10;

# Seconds until $sql returns 't', or undef after $limit seconds.
sub seconds_until
{
	my ($node, $sql, $limit) = @_;
	my $t0 = time;
	while (time - $t0 < $limit)
	{
		return time - $t0 if $node->safe_psql('postgres', $sql) eq 't';
		usleep(100_000);
	}
	return undef;
}

# Whether the worker has snapshotted the store's chain. Version 1 of a
# large document has a snapshot from its commit already, so it does not
# count.
my $snapshots_of = sub {
	my $store = shift;
	return qq{SELECT count(*) > 0 FROM ts_internal.snapshots n JOIN ts_internal.stores s USING (store_id)
	          WHERE s.name = '$store' AND n.version > 1};
};

foreach my $mode ('dynamic', 'preloaded')
{
	my $node = PostgreSQL::Test::Cluster->new("wake_$mode");
	$node->init;
	$node->append_conf(
		'postgresql.conf', qq{
	temporal_store.worker_naptime = 120
	temporal_store.snapshot_interval = $INTERVAL
	});
	$node->append_conf('postgresql.conf', "shared_preload_libraries = 'temporal_store'") if $mode eq 'preloaded';
	$node->start;
	$node->safe_psql('postgres', 'CREATE EXTENSION temporal_store');
	$node->safe_psql('postgres', 'SELECT ts_worker_start()');

	# The worker has made its first pass and now sleeps for the naptime.
	$node->poll_query_until('postgres', q{SELECT pid IS NOT NULL AND last_run IS NOT NULL FROM ts_worker_status()})
	  or die 'the worker did not start';
	my $first_run = $node->safe_psql('postgres', 'SELECT last_run FROM ts_worker_status()');

	# A ~25 kB document and INTERVAL commits, each its own transaction.
	$node->safe_psql(
		'postgres', q{
	CREATE TABLE expected (store text, v bigint, doc jsonb);
	CREATE FUNCTION big_doc(n int) RETURNS jsonb LANGUAGE sql AS $$
	  SELECT jsonb_build_object('n', n, 'items', (SELECT jsonb_agg(jsonb_build_object('id', g, 'name', 'item ' || g))
	                                              FROM generate_series(1, 600) g))
	$$;
	SELECT ts_create('big', big_doc(0));
	INSERT INTO expected VALUES ('big', 1, big_doc(0));
	});
	ok($node->safe_psql('postgres', q{SELECT pg_column_size(big_doc(0)) >= 8192}) eq 't', "$mode: the document is large");
	for my $i (1 .. $INTERVAL)
	{
		$node->safe_psql('postgres',
			qq{INSERT INTO expected SELECT 'big', ts_commit('big', big_doc($i)), big_doc($i)});
	}
	my $took = seconds_until($node, $snapshots_of->('big'), 30);
	ok(defined $took, "$mode: a large chain of snapshot_interval deltas is snapshotted well before the naptime ends")
	  and note(sprintf('snapshot after %.1f s (naptime 120 s)', $took));
	isnt($node->safe_psql('postgres', 'SELECT last_run FROM ts_worker_status()'),
		$first_run, "$mode: the worker ran a pass before its naptime ended");

	# Small documents: the same number of commits wakes nothing.
	$node->safe_psql('postgres', q{SELECT ts_create('small', '{"n": 0}')});
	for my $i (1 .. $INTERVAL)
	{
		$node->safe_psql('postgres',
			qq{INSERT INTO expected SELECT 'small', ts_commit('small', '{"n": $i}'), '{"n": $i}'});
	}
	is(seconds_until($node, $snapshots_of->('small'), 5), undef, "$mode: a small chain waits for the naptime");

	is( $node->safe_psql(
			'postgres', q{SET temporal_store.cache_size = 0;
			SELECT count(*) FROM expected e WHERE ts_as_of(e.store::temporal_store, e.v) IS DISTINCT FROM e.doc}),
		'0',
		"$mode: every version reads back as committed");
	is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_verify('big')}), '0', "$mode: ts_verify reports nothing");

	$node->stop;
}

done_testing();
