# A crash at any point loses no committed version and leaves no
# half-written one.
#
# Four psql sessions commit as fast as they can while the snapshot worker
# (preloaded, small interval) builds snapshots beside them:
#   A, B  ts_commit of documents small and large (TOASTed, compressed or
#         not) into one store, concurrently;
#   P     ts_patch (merge patches) into a second store, sequentially, so the
#         state after each patch is known;
#   T     two ts_commit per explicit transaction into a third store; the
#         transaction is acknowledged by an \echo after COMMIT.
# Each prints what the server acknowledged. In the middle of the burst the
# server is stopped with `pg_ctl stop -m immediate` (every process gets
# SIGQUIT, no checkpoint), then restarted (crash recovery). Afterwards every
# acknowledged version reads back identical, versions are gapless 1..N with
# every transaction all or nothing, ts_verify is empty and commits go on.
use strict;
use warnings;

use File::Spec;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time usleep);

my $node = PostgreSQL::Test::Cluster->new('crash');
$node->init;
$node->append_conf(
	'postgresql.conf', q{
shared_preload_libraries = 'temporal_store'
temporal_store.worker_naptime = 1
temporal_store.snapshot_interval = 5
});
$node->start;

$node->safe_psql(
	'postgres', q{
CREATE EXTENSION temporal_store;
-- Documents by index: small, large and compressible, large and
-- incompressible (TOASTed), numbers whose text form matters.
CREATE TABLE docs AS
SELECT i AS idx,
       CASE WHEN i % 10 = 0 THEN jsonb_build_object('idx', i, 'big', repeat(md5(i::text), 400))
            WHEN i % 10 = 5 THEN jsonb_build_object('idx', i, 'rand',
                 (SELECT jsonb_agg(md5(i::text || '/' || g)) FROM generate_series(1, 120) g))
            ELSE jsonb_build_object('idx', i, 'n', i * 1.50, 'nested',
                 jsonb_build_object('a', jsonb_build_array(i, i + 1, 'x' || i)))
       END AS doc
FROM generate_series(1, 20000) i;
ALTER TABLE docs ADD PRIMARY KEY (idx);
SELECT ts_create('c1', '{}');
SELECT ts_create('c2', '{}');
SELECT ts_create('c3', '{}');
});

# Writes a psql script and starts it in the background.
my @sessions;
sub start_writer
{
	my ($name, $script) = @_;
	my $file = File::Spec->catfile($node->basedir, "writer_$name.sql");
	open(my $fh, '>', $file) or die "$file: $!";
	print $fh $script;
	close $fh;
	my $s = { name => $name, out => '', err => '' };
	$s->{h} = IPC::Run::start(
		[
			$node->installed_command('psql'), '-XAtq', '-v', 'ON_ERROR_STOP=1',
			'-d', $node->connstr('postgres'), '-f', $file
		],
		'<', \undef, '>', \$s->{out}, '2>', \$s->{err});
	push @sessions, $s;
	return $s;
}

my $N = 10000;    # statements per writer; the crash comes long before
my ($sa, $sb, $sp, $st) = ('', '', '', '');
for my $i (1 .. $N)
{
	$sa .= "SELECT ts_commit('c1', doc, 'A $i') || '|' || idx FROM docs WHERE idx = $i;\n";
	my $j = 10000 + $i;
	$sb .= "SELECT ts_commit('c1', doc, 'B $j') || '|' || idx FROM docs WHERE idx = $j;\n";
	$sp .= "SELECT ts_patch('c2', '{\"k$i\": $i}') || '|$i';\n";
	$st .=
	    "BEGIN;\n"
	  . "SELECT 'P|' || ts_commit('c3', '{\"t\": $i, \"part\": 1}');\n"
	  . "SELECT 'P|' || ts_commit('c3', '{\"t\": $i, \"part\": 2}');\n"
	  . "COMMIT;\n"
	  . "\\echo C|$i\n";
}
my $wa = start_writer('A', $sa);
my $wb = start_writer('B', $sb);
my $wp = start_writer('P', $sp);
my $wt = start_writer('T', $st);

# Let the burst run until every writer has a good number of acknowledgements
# and the worker has built snapshots, then crash.
my $deadline = time() + 60;
my $next_check = 0;
while (time() < $deadline)
{
	$_->{h}->pump_nb for @sessions;
	my $min = 1e9;
	for my $s (@sessions)
	{
		my $n = () = $s->{out} =~ /\n/g;
		$min = $n if $n < $min;
	}
	if ($min >= 150 && time() >= $next_check)
	{
		# Crash only once the worker is busy beside the writers.
		last
		  if $node->safe_psql('postgres', 'SELECT count(*) FROM ts_internal.snapshots') > 0;
		$next_check = time() + 0.3;
	}
	usleep(20_000);
}
$node->stop('immediate');
for my $s (@sessions)
{
	eval { $s->{h}->finish; };
	my $lines = () = $s->{out} =~ /\n/g;
	note("writer $s->{name}: $lines lines of output; stderr: " . substr($s->{err}, 0, 200));
	ok($lines < ($s->{name} eq 'T' ? 3 * $N : $N), "writer $s->{name} was still running at the crash");
}
$node->start;

# ---------------------------------------------------------------------------
# Parse the acknowledgements.
sub acks
{
	my ($s) = @_;
	my @out;
	for my $line (split /\n/, $s->{out})
	{
		push @out, [ $1, $2 ] if $line =~ /^(\d+)\|(\d+)$/;
	}
	return @out;
}
my @ack_c1 = (acks($wa), acks($wb));
my @ack_c2 = acks($wp);
my @ack_c3;    # [version, t, part] of committed transactions only
{
	my @pending;
	for my $line (split /\n/, $wt->{out})
	{
		if ($line =~ /^P\|(\d+)$/) { push @pending, $1; }
		elsif ($line =~ /^C\|(\d+)$/)
		{
			my $t = $1;
			die "transaction $t acknowledged with @{[scalar @pending]} versions" unless @pending == 2;
			push @ack_c3, [ $pending[0], $t, 1 ], [ $pending[1], $t, 2 ];
			@pending = ();
		}
	}
}
ok(@ack_c1 >= 150, scalar(@ack_c1) . ' acknowledged commits into c1');
ok(@ack_c2 >= 100, scalar(@ack_c2) . ' acknowledged patches into c2');
ok(@ack_c3 >= 100, scalar(@ack_c3) . ' acknowledged versions from transactions into c3');

$node->safe_psql('postgres', 'CREATE TABLE ack (store text, v bigint, doc jsonb)');
my $values = join(",\n", map { "('c1', $_->[0], (SELECT doc FROM docs WHERE idx = $_->[1]))" } @ack_c1);
$node->safe_psql('postgres', "INSERT INTO ack VALUES $values");
$values = join(",\n",
	map { "('c2', $_->[0], (SELECT jsonb_object_agg('k' || g, g) FROM generate_series(1, $_->[1]) g))" }
	  @ack_c2);
$node->safe_psql('postgres', "INSERT INTO ack VALUES $values");
$values =
  join(",\n", map { "('c3', $_->[0], '{\"t\": $_->[1], \"part\": $_->[2]}')" } @ack_c3);
$node->safe_psql('postgres', "INSERT INTO ack VALUES $values");

is($node->safe_psql('postgres', 'SELECT count(*) FROM (SELECT store, v FROM ack GROUP BY 1, 2 HAVING count(*) > 1) x'),
	'0', 'no version number was acknowledged twice');
is( $node->safe_psql(
		'postgres',
		q{SELECT count(*) FROM ack WHERE ts_as_of(store::temporal_store, v)::text IS DISTINCT FROM doc::text}),
	'0',
	'every acknowledged version reads back identical after the crash');
is( $node->safe_psql(
		'postgres',
		q{SET temporal_store.cache_size = 0;
		  SELECT count(*) FROM ack WHERE ts_as_of(store::temporal_store, v::text)::text IS DISTINCT FROM doc::text}),
	'0',
	'... also through ts_as_of(store, rev) with the cache off');

for my $store ('c1', 'c2', 'c3')
{
	my ($n, $logn, $maxack) = split /\|/,
	  $node->safe_psql('postgres',
		"SELECT versions, (SELECT count(*) FROM ts_log('$store')), "
		  . "(SELECT coalesce(max(v), 0) FROM ack WHERE store = '$store') FROM ts_stores() WHERE store = '$store'");
	ok($n >= $maxack && $maxack > 0, "$store: $n versions, acknowledged up to $maxack");
	is($logn, $n, "$store: ts_log lists every version (linear history)");
	is( $node->safe_psql(
			'postgres',
			"SELECT count(*) = $n AND min(version) = 1 AND max(version) = $n FROM ts_log('$store')"),
		't',
		"$store: versions are gapless 1..$n");
	is( $node->safe_psql(
			'postgres',
			"SELECT count(*) FROM generate_series(1, $n) g WHERE ts_as_of('$store', g) IS NULL"),
		'0',
		"$store: every version, acknowledged or not, reads");
	is($node->safe_psql('postgres', "SELECT count(*) FROM ts_verify('$store')"),
		'0', "$store: ts_verify reports nothing");
	is($node->safe_psql('postgres', "SELECT ts_commit('$store', '{\"after\": \"crash\"}')"),
		$n + 1, "$store: the next commit is version " . ($n + 1));
	is($node->safe_psql('postgres', "SELECT ts_head('$store')::text"),
		'{"after": "crash"}', "$store: and reads back");
}

# c2: every version is the previous state plus one key (sequential patches).
is( $node->safe_psql(
		'postgres', q{SELECT count(*) FROM generate_series(2, (SELECT versions - 1 FROM ts_stores() WHERE store = 'c2')) g
		  WHERE ts_as_of('c2', g)::text IS DISTINCT FROM
		        (SELECT jsonb_object_agg('k' || i, i) FROM generate_series(1, g - 1) i)::text}),
	'0',
	'c2: every version holds exactly the patches before it');

# c3: transactions are all or nothing: versions come in pairs of one t.
is( $node->safe_psql(
		'postgres', q{SELECT (SELECT versions FROM ts_stores() WHERE store = 'c3') % 2 = 0
		  AND NOT EXISTS (
		    SELECT 1 FROM generate_series(1, (SELECT (versions - 2) / 2 FROM ts_stores() WHERE store = 'c3')) k
		    WHERE ts_as_of('c3', 2 * k)::text IS DISTINCT FROM jsonb_build_object('t', k, 'part', 1)::text
		       OR ts_as_of('c3', 2 * k + 1)::text IS DISTINCT FROM jsonb_build_object('t', k, 'part', 2)::text)}),
	't',
	'c3: no transaction is half there (1 creation + pairs + 1 new commit)');

# The worker comes back and keeps building; everything still verifies.
# (This session's hard cap is raised so that the new head surely has a
# replay chain of at least the worker's interval.)
$node->safe_psql('postgres',
	q{SET temporal_store.snapshot_interval = 1000;
	  SELECT ts_commit('c1', jsonb_build_object('more', g, 'pad', repeat('m', 100))) FROM generate_series(1, 20) g});
my $ok = 0;
for (1 .. 150)
{
	my $r = $node->safe_psql('postgres',
		q{SELECT EXISTS (SELECT 1 FROM ts_worker_status() w JOIN pg_stat_activity a ON a.pid = w.pid
		  WHERE w.database = current_database())
		  AND (SELECT count(*) FROM ts_internal.snapshots n JOIN ts_internal.stores s USING (store_id)
		       JOIN ts_stores() t ON t.store::text = s.name AND t.head_version = n.version
		       WHERE s.name = 'c1') = 1});
	if ($r eq 't') { $ok = 1; last; }
	usleep(200_000);
}
ok($ok, 'after the crash the worker runs again and snapshots the new head');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_stores() t, LATERAL ts_verify(t.store)}),
	'0', 'ts_verify is still empty for every store');

$node->stop;
done_testing();
