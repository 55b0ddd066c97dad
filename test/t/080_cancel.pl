# pg_cancel_backend and pg_terminate_backend end a long JSON operation
# promptly.
#
# The JSON core polls for interrupts in every loop whose length its input
# decides (through a hook the glue installs), so a cancel from another
# session is seen within moments, not once the work is done: here, 20,000
# inserts at the front of a 100,000-element array, many seconds of work
# (tens of seconds on a loaded machine) that never looked at interrupts
# before. Through ts_json_patch and through ts_patch, whose canceled commit
# stores nothing; the server keeps running throughout.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use Time::HiRes qw(time usleep);

# How long a cancel may take to end the statement: generous for a slow,
# shared machine; without polling it takes the whole operation.
# Wall time from sending the signal to the client's end, psql start-up and
# a loaded CI machine included (the old code took 78-94 s).
my $BOUND = 5.0;

my $node = PostgreSQL::Test::Cluster->new('cancel');
$node->init;
$node->start;
$node->safe_psql(
	'postgres', q{
CREATE EXTENSION temporal_store;
CREATE TABLE input AS SELECT
  (SELECT jsonb_build_object('a', jsonb_agg(i)) FROM generate_series(1, 100000) i) AS doc,
  (SELECT jsonb_agg(jsonb_build_object('op', 'add', 'path', '/a/0', 'value', 1))
     FROM generate_series(1, 20000)) AS patch;
SELECT ts_create('big', doc) FROM input;
});

# Runs $sql in a session of its own, waits until it is busy, sends
# pg_${how}_backend to it, and returns (seconds until the session ended,
# its stderr).
sub interrupt_after_start
{
	my ($sql, $how) = @_;
	my ($out, $err) = ('', '');
	my $timer = IPC::Run::timer(300);
	my $h = IPC::Run::start(
		[
			$node->installed_command('psql'), '-XAtq', '-d',
			$node->connstr('postgres') . ' application_name=victim', '-c', $sql
		],
		'<', \undef, '>', \$out, '2>', \$err, $timer);
	$node->poll_query_until('postgres',
		q{SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'victim' AND state = 'active'})
	  or die 'the statement did not start';
	# Well inside the patch by now: reading the input takes milliseconds.
	usleep(500_000);
	my $t0 = time;
	my $sent = $node->safe_psql('postgres',
		"SELECT pg_${how}_backend(pid) FROM pg_stat_activity WHERE application_name = 'victim'");
	is($sent, 't', "pg_${how}_backend was sent");
	$h->finish;
	return (time - $t0, $err);
}

my ($took, $err) =
  interrupt_after_start(q{SELECT length(ts_json_patch(doc, patch)::text) FROM input}, 'cancel');
note(sprintf('ts_json_patch canceled after %.3f s', $took));
like($err, qr/canceling statement due to user request/, 'ts_json_patch: the statement is canceled');
cmp_ok($took, '<', $BOUND, "ts_json_patch: canceled within $BOUND s");

($took, $err) = interrupt_after_start(q{SELECT ts_patch('big', patch) FROM input}, 'cancel');
note(sprintf('ts_patch canceled after %.3f s', $took));
like($err, qr/canceling statement due to user request/, 'ts_patch: the statement is canceled');
cmp_ok($took, '<', $BOUND, "ts_patch: canceled within $BOUND s");
is($node->safe_psql('postgres', q{SELECT versions FROM ts_stores() WHERE store = 'big'}),
	'1', 'ts_patch: nothing is stored');

($took, $err) =
  interrupt_after_start(q{SELECT length(ts_json_patch(doc, patch)::text) FROM input}, 'terminate');
note(sprintf('ts_json_patch terminated after %.3f s', $took));
like($err, qr/terminating connection due to administrator command|server closed the connection unexpectedly/,
	'ts_json_patch: the session is terminated');
cmp_ok($took, '<', $BOUND, "ts_json_patch: terminated within $BOUND s");

# The server did not restart, and the store still takes commits.
is($node->safe_psql('postgres', q{SELECT ts_patch('big', '[{"op": "add", "path": "/a/0", "value": 0}]')}),
	'2', 'the store takes a commit afterwards');
ok($node->log_contains('terminating connection due to administrator command')
	  && !$node->log_contains('terminated by signal'), 'no backend crashed');

$node->stop;
done_testing();
