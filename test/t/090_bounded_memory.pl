# Reading a long history costs memory bounded by a few documents, not by
# the history: ts_events, ts_verify, ts_stores and ts_log stream their rows
# (pages of versions, per-row memory contexts, a cursor over the stores),
# and ts_log(max_count => n) reads about n versions. On a store of 20,000
# versions of a 30 kB document, each call's peak backend memory growth
# (VmHWM, less the shared buffers it touched) stays below 4 x the document
# + 16 MB, and ts_log(max_count => 10) takes a small fraction of the full
# log's time.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time);

my $VERSIONS = 20_000;

my $node = PostgreSQL::Test::Cluster->new('bounded_memory');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION temporal_store');
$node->safe_psql('postgres', q{
	SELECT ts_create('big', jsonb_build_object('items', (SELECT jsonb_agg(jsonb_build_object(
		'id', i, 'name', 'item number ' || i, 'tags', jsonb_build_array('a', 'b', 'c'), 'qty', 0))
		FROM generate_series(1, 300) i)));
	SELECT ts_create('small', '{}');});
$node->safe_psql('postgres', qq{
	DO \$\$ BEGIN
	FOR i IN 1..$VERSIONS - 1 LOOP
		PERFORM ts_patch('big', jsonb_build_array(jsonb_build_object(
			'op', 'replace', 'path', '/items/' || (i % 300) || '/qty', 'value', i)));
	END LOOP;
	END \$\$;});
my $doc = $node->safe_psql('postgres', q{SELECT pg_column_size(ts_head('big'))});
my $bound_kb = int((4 * $doc) / 1024) + 16 * 1024;
note "document: $doc bytes; bound: $bound_kb kB";

# The backend's peak growth (kB) while running $sql, less its growth in
# shared memory: read from /proc in the same session before and after.
sub peak_growth
{
	my ($sql) = @_;
	my $status = q{SELECT pg_read_file('/proc/' || pg_backend_pid() || '/status')};
	my $out = $node->safe_psql('postgres', qq{
		SELECT ts_head('small') IS NOT NULL;
		$status;
		SELECT count(*) FROM ($sql) q;
		$status;});
	my @hwm = ($out =~ /VmHWM:\s+(\d+) kB/g);
	my @shm = ($out =~ /RssShmem:\s+(\d+) kB/g);
	return ($hwm[1] - $hwm[0]) - ($shm[1] - $shm[0]);
}

for my $call (
	q{SELECT * FROM ts_events('big')},
	q{SELECT * FROM ts_verify('big')},
	q{SELECT * FROM ts_stores()},
	q{SELECT * FROM ts_log('big')},
	q{SELECT * FROM ts_log('big', max_count => 10)})
{
	my $kb = peak_growth($call);
	cmp_ok($kb, '<', $bound_kb, "$call: peak growth $kb kB");
}

is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_events('big')}), $VERSIONS, 'every event streamed');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_verify('big')}), '0', 'the store verifies');

# ts_log(max_count => 10): the same rows as the first 10 of the full log,
# in a fraction of its time (both measured inside the server, the best of
# three each, so that one preemption does not decide).
is($node->safe_psql('postgres', q{SELECT array_agg(version) FROM ts_log('big', max_count => 10)}),
	$node->safe_psql('postgres', q{SELECT array_agg(version) FROM (SELECT version FROM ts_log('big') LIMIT 10) q}),
	'max_count => 10 returns the first ten');
my $timing = $node->safe_psql('postgres', q{
	CREATE FUNCTION pg_temp.ms(q text) RETURNS float8 LANGUAGE plpgsql AS $$
	DECLARE t0 timestamptz := clock_timestamp();
	BEGIN EXECUTE q; RETURN extract(epoch FROM clock_timestamp() - t0) * 1000; END $$;
	SELECT pg_temp.ms('SELECT count(*) FROM ts_log(''big'')');
	SELECT least(pg_temp.ms('SELECT count(*) FROM ts_log(''big'', max_count => 10)'),
	             pg_temp.ms('SELECT count(*) FROM ts_log(''big'', max_count => 10)'),
	             pg_temp.ms('SELECT count(*) FROM ts_log(''big'', max_count => 10)')) || '|' ||
	       least(pg_temp.ms('SELECT count(*) FROM ts_log(''big'')'),
	             pg_temp.ms('SELECT count(*) FROM ts_log(''big'')'),
	             pg_temp.ms('SELECT count(*) FROM ts_log(''big'')'));});
$timing = (split /\n/, $timing)[-1];
my ($t10, $tall) = split /\|/, $timing;
note "ts_log max_count 10: $t10 ms; full: $tall ms";
cmp_ok($t10 * 20, '<', $tall, 'max_count => 10 takes under a twentieth of the full log');

$node->stop;
done_testing();
