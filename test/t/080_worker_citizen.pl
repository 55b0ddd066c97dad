# The snapshot worker as a good citizen of a shared server.
#
# Preloaded (launcher_interval 1 s, naptime 1 s):
#   (lock)     a role holding every advisory lock SQL can take (the old
#              worker key included) neither stops a worker from serving
#              its database nor makes ts_worker_start() report its own pid;
#   (launcher) with databases with and without the extension, and one
#              dropped while its worker runs, the workers never outnumber
#              the databases with the extension, a parallel query still
#              gets its workers, no worker runs in a database without the
#              extension (until CREATE EXTENSION there), and the log has
#              no FATAL for the dropped database;
#   (ddl)      ALTER DATABASE … RENAME, CREATE DATABASE … TEMPLATE and
#              DROP DATABASE succeed without FORCE while a worker serves
#              the database;
#   (bad)      a store whose payload is corrupt is skipped with a WARNING
#              naming it, the healthy store beside it gets its snapshot,
#              and the worker keeps running;
#   (search_path) a database owner's look-alikes of the functions and
#              operators the worker's SQL uses, first in the database's
#              search_path, never run in the worker;
#   (bridge)   a C++ exception in the worker or the launcher (the test-only
#              setting temporal_store.fault_injection) ends that process
#              with a logged error; the postmaster does not restart the
#              cluster, and other sessions go on.
# Not preloaded:
#   (lock)     the same lock test with a worker started on demand;
#   (ddl)      DROP DATABASE while such a worker serves the database.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $INTERVAL = 10;
my $WAIT     = 60;

# Polls $sql until it returns $expected (default 't'); false after $timeout s.
sub wait_for
{
	my ($node, $db, $sql, $expected, $timeout) = @_;
	$expected //= 't';
	$timeout  //= $WAIT;
	my $deadline = time() + $timeout;
	my ($ret, $out, $err);
	while (time() < $deadline)
	{
		($ret, $out, $err) = $node->psql($db, $sql);
		return 1 if $ret == 0 && defined $out && $out eq $expected;
		usleep(100_000);
	}
	diag("timed out after ${timeout}s waiting for [$sql] = [$expected]; last: "
		  . ($out // '') . ' ' . ($err // ''));
	return 0;
}

# Whether the server log matches $re past $offset within $timeout s.
sub log_has
{
	my ($node, $re, $offset, $timeout) = @_;
	my $deadline = time() + ($timeout // 20);
	while (time() < $deadline)
	{
		return 1 if slurp_file($node->logfile, $offset) =~ $re;
		usleep(100_000);
	}
	return 0;
}

# SQL: true once a worker is connected to database $db.
sub worker_in
{
	my ($db) = @_;
	return qq{SELECT count(*) = 1 FROM pg_stat_activity
	          WHERE backend_type = 'temporal_store worker' AND datname = '$db'};
}

# SQL: true once store $store has a snapshot past version 1.
sub snapshotted
{
	my ($store) = @_;
	return qq{SELECT EXISTS (SELECT 1 FROM ts_internal.snapshots n JOIN ts_internal.stores s USING (store_id)
	          WHERE s.name = '$store' AND n.version > 1)};
}

# Creates store $store and commits $n more versions, in one transaction.
sub commit_versions
{
	my ($node, $db, $store, $n) = @_;
	$node->safe_psql($db,
		qq{BEGIN; SELECT ts_create('$store', '{"n": 0}');
		   SELECT count(ts_commit('$store', jsonb_build_object('n', g))) FROM generate_series(1, $n) g; COMMIT;});
}

# (lock): a session of an unprivileged role holds every advisory lock it
# can reach; the worker still serves the database, and ts_worker_start()
# returns the worker's pid.
sub lock_test
{
	my ($node, $mode) = @_;
	my $no_worker =
	  q{SELECT count(*) = 0 FROM pg_stat_activity WHERE backend_type = 'temporal_store worker' AND datname = 'postgres'};
	my $terminate =
	  q{SELECT pg_terminate_backend(pid) FROM pg_stat_activity
	    WHERE backend_type = 'temporal_store worker' AND datname = 'postgres'};
	$node->safe_psql('postgres', 'CREATE ROLE mallory LOGIN');
	my $m = $node->background_psql('postgres', on_error_stop => 1);
	$m->query_safe(q{SET ROLE mallory; SET lock_timeout = '10s'});
	# With no worker running, the role takes the old worker key
	# (pg_try_advisory_lock(int8)), its two halves as an int4 pair, the
	# keys next to it, and a few a guess might try.
	$node->safe_psql('postgres', $terminate);
	ok(wait_for($node, 'postgres', $no_worker), "$mode (lock): no worker runs");
	$m->query_safe(
		q{SELECT pg_advisory_lock(k) FROM (VALUES (x'74735f776f726b'::bigint), (x'74735f776f726a'::bigint),
		         (x'74735f776f726c'::bigint), (0), (1), (-1)) v(k)});
	$m->query_safe(
		q{SELECT pg_advisory_lock(a, b) FROM (VALUES (x'74735f'::int, x'776f726b'::int), (0, 0),
		         (x'7477'::int, 0), (x'7470'::int, 0), (0, x'7477'::int)) v(a, b)});
	my $mallory = $m->query_safe('SELECT pg_backend_pid()');
	chomp $mallory;
	# A worker that started meanwhile leaves: the next one starts while
	# the locks are held.
	$node->safe_psql('postgres', $terminate);
	ok(wait_for($node, 'postgres', $no_worker), "$mode (lock): no worker runs while the role holds its locks");
	my $pid = $node->safe_psql('postgres', 'SELECT ts_worker_start()');
	isnt($pid, $mallory, "$mode (lock): ts_worker_start() does not return the lock holder's pid");
	is($node->safe_psql('postgres', "SELECT backend_type FROM pg_stat_activity WHERE pid = $pid"),
		'temporal_store worker', "$mode (lock): ts_worker_start() returns a worker's pid");
	commit_versions($node, 'postgres', "locked_$mode", $INTERVAL + 2);
	ok(wait_for($node, 'postgres', snapshotted("locked_$mode"), 't', 20),
		"$mode (lock): snapshots are built while the role holds its locks");
	is($node->safe_psql('postgres', 'SELECT ts_worker_start()'), $pid,
		"$mode (lock): ts_worker_start() again returns the same worker");
	$m->quit;
}

# ---------------------------------------------------------------------------
my $node = PostgreSQL::Test::Cluster->new('citizen');
$node->init;
$node->append_conf(
	'postgresql.conf', qq{
shared_preload_libraries = 'temporal_store'
temporal_store.worker_naptime = 1
temporal_store.launcher_interval = 1
temporal_store.snapshot_interval = $INTERVAL
max_worker_processes = 8
max_parallel_workers = 8
});
$node->start;
my $start_time = $node->safe_psql('postgres', 'SELECT pg_postmaster_start_time()');
$node->safe_psql('postgres', 'CREATE EXTENSION temporal_store');
ok(wait_for($node, 'postgres', worker_in('postgres')), 'preloaded: a worker serves postgres');

lock_test($node, 'preloaded');

# (launcher) Databases with and without the extension; one of each kind
# is created, served, and dropped.
my $log_offset = -s $node->logfile;
for my $db (qw(ext1 ext2 plain1 plain2 plain3))
{
	$node->safe_psql('postgres', "CREATE DATABASE $db");
}
$node->safe_psql($_, 'CREATE EXTENSION temporal_store') for qw(ext1 ext2);
ok(wait_for($node, 'postgres', worker_in($_)), "(launcher) a worker serves $_") for qw(ext1 ext2);
my $t0 = time();
is($node->psql('postgres', 'DROP DATABASE ext2'), 0, '(launcher) DROP DATABASE of a served database succeeds');
note('DROP DATABASE took ' . (time() - $t0) . ' s');
# Once the launcher has looked into the new databases (a worker exits at
# once where there is no extension), six seconds of rescans
# (launcher_interval 1 s), sampled every 0.1 s.
wait_for($node, 'postgres', q{SELECT count(*) = 0 FROM pg_stat_activity
                              WHERE backend_type = 'temporal_store worker' AND datname LIKE 'plain%'}, 't', 10);
my ($most, $in_plain) = (0, 0);
for (1 .. 60)
{
	my ($n, $p) = split /\|/,
	  $node->safe_psql('postgres',
		q{SELECT count(*), count(*) FILTER (WHERE datname LIKE 'plain%') FROM pg_stat_activity
		  WHERE backend_type = 'temporal_store worker'});
	$most = $n if $n > $most;
	$in_plain += $p;
	usleep(100_000);
}
ok($most <= 2, "(launcher) never more workers than databases with the extension (at most $most of 2)");
is($in_plain, 0, '(launcher) no worker seen in a database without the extension');
$node->safe_psql(
	'postgres', q{CREATE TABLE par AS SELECT g FROM generate_series(1, 200000) g; ANALYZE par;});
my $plan = $node->safe_psql(
	'postgres', q{SET max_parallel_workers_per_gather = 4; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;
	SET min_parallel_table_scan_size = 0;
	EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT count(*) FROM par});
my ($launched) = $plan =~ /Workers Launched: (\d+)/;
$launched //= 0;
# Eight slots: the launcher, two workers, so four are free.
ok($launched >= 3, "(launcher) a parallel query gets its workers ($launched launched of 4 planned)")
  or diag($plan);
my $log = slurp_file($node->logfile, $log_offset);
my @fatal = grep { /FATAL/ && /does not exist/ } split /\n/, $log;
is(scalar(@fatal), 0, '(launcher) no FATAL for the dropped database') or diag(join("\n", @fatal));
# CREATE EXTENSION where the launcher found none: a worker at once, not
# after the launcher's five-minute recheck.
$node->safe_psql('plain1', 'CREATE EXTENSION temporal_store');
ok(wait_for($node, 'postgres', worker_in('plain1'), 't', 10),
	'(launcher) CREATE EXTENSION in a database without it brings a worker');

# (ddl) RENAME, TEMPLATE and DROP without FORCE while a worker serves.
$node->safe_psql('postgres', 'CREATE DATABASE mv');
$node->safe_psql('mv', 'CREATE EXTENSION temporal_store');
commit_versions($node, 'mv', 'm', 3);
ok(wait_for($node, 'postgres', worker_in('mv')), '(ddl) a worker serves mv');
my ($rc, $out, $err) = $node->psql('postgres', 'ALTER DATABASE mv RENAME TO mv2');
is($rc, 0, '(ddl) ALTER DATABASE … RENAME succeeds while a worker serves the database') or diag($err);
ok(wait_for($node, 'postgres', worker_in('mv2')), '(ddl) a worker serves it again under its new name');
($rc, $out, $err) = $node->psql('postgres', 'CREATE DATABASE mvcopy TEMPLATE mv2');
is($rc, 0, '(ddl) CREATE DATABASE … TEMPLATE succeeds while a worker serves the template') or diag($err);
my (undef, $copied) = $node->psql('mvcopy', q{SELECT ts_head('m')->>'n'});
is($copied, '3', '(ddl) the copy has the store');
ok(wait_for($node, 'postgres', worker_in('mv2')), '(ddl) a worker serves the template again');
($rc, $out, $err) = $node->psql('postgres', 'DROP DATABASE mv2');
is($rc, 0, '(ddl) DROP DATABASE succeeds while a worker serves the database') or diag($err);

# (bad) One store's delta is corrupt; the store beside it is healthy.
# Both chains are committed (and the corruption made) in one transaction,
# so the worker sees them together; "bad" has the lower store id and is
# taken first.
my $worker_before = $node->safe_psql('postgres',
	q{SELECT pid FROM pg_stat_activity WHERE backend_type = 'temporal_store worker' AND datname = 'postgres'});
$log_offset = -s $node->logfile;
$node->safe_psql(
	'postgres', qq{BEGIN;
SELECT ts_create('bad', '{"n": 0}');
SELECT ts_create('good', '{"n": 0}');
SELECT count(ts_commit('bad', jsonb_build_object('n', g))) FROM generate_series(1, $INTERVAL + 2) g;
SELECT count(ts_commit('good', jsonb_build_object('n', g))) FROM generate_series(1, $INTERVAL + 2) g;
UPDATE ts_internal.versions SET payload = '\\xdeadbeef'
 WHERE store_id = (SELECT store_id FROM ts_internal.stores WHERE name = 'bad') AND version = 2;
COMMIT;});
ok(wait_for($node, 'postgres', snapshotted('good'), 't', 20), '(bad) the healthy store gets its snapshot');
is($node->safe_psql('postgres', snapshotted('bad')), 'f', '(bad) the corrupt store has none');
ok(log_has($node, qr/WARNING: .*skipped store "bad"/, $log_offset), '(bad) a WARNING names the corrupt store');
sleep(3);
is( $node->safe_psql(
		'postgres',
		q{SELECT pid FROM pg_stat_activity WHERE backend_type = 'temporal_store worker' AND datname = 'postgres'}),
	$worker_before,
	'(bad) the same worker keeps running');
my @warnings = grep { /skipped store "bad"/ } split /\n/, slurp_file($node->logfile, $log_offset);
is(scalar(@warnings), 1, '(bad) the corrupt store is not retried every pass');
commit_versions($node, 'postgres', 'after_bad', $INTERVAL + 2);
ok(wait_for($node, 'postgres', snapshotted('after_bad'), 't', 20), '(bad) later stores still get snapshots');

# (search_path) A database owner's look-alikes, first in the database's
# search_path, each recording who ran it and trying to make its owner a
# superuser.
$node->safe_psql('postgres', 'CREATE ROLE dbo LOGIN; CREATE DATABASE evil OWNER dbo');
$node->safe_psql('evil', 'CREATE EXTENSION temporal_store');
$node->safe_psql(
	'evil', q{SET ROLE dbo;
CREATE TABLE public.pwned (who text, what text);
GRANT INSERT ON public.pwned TO PUBLIC;
CREATE FUNCTION public.pwn(what text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.pwned VALUES (current_user, what);
  BEGIN EXECUTE 'ALTER ROLE dbo SUPERUSER'; EXCEPTION WHEN others THEN NULL; END;
END $$;
CREATE FUNCTION public.make_interval(secs integer) RETURNS interval LANGUAGE plpgsql AS $$
BEGIN PERFORM public.pwn('make_interval'); RETURN pg_catalog.make_interval(secs => secs::float8); END $$;
CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN PERFORM public.pwn('now'); RETURN pg_catalog.now(); END $$;
CREATE FUNCTION public.clock_timestamp() RETURNS timestamptz LANGUAGE plpgsql AS $$
BEGIN PERFORM public.pwn('clock_timestamp'); RETURN pg_catalog.clock_timestamp(); END $$;
CREATE FUNCTION public.current_database() RETURNS name LANGUAGE plpgsql AS $$
BEGIN PERFORM public.pwn('current_database'); RETURN pg_catalog.current_database(); END $$;
DO $do$
DECLARE
  o text; t text[]; n int := 0;
BEGIN
  FOREACH o IN ARRAY ARRAY['=', '<>', '<', '<=', '>', '>='] LOOP
    FOREACH t SLICE 1 IN ARRAY ARRAY[['bigint', 'bigint'], ['integer', 'integer'], ['bigint', 'integer'],
                                     ['integer', 'bigint'], ['name', 'name'], ['text', 'text'],
                                     ['timestamptz', 'timestamptz']] LOOP
      n := n + 1;
      EXECUTE format('CREATE FUNCTION public.evil_op%s(a %s, b %s) RETURNS boolean LANGUAGE plpgsql AS '
                     '$f$BEGIN PERFORM public.pwn(%L); RETURN a OPERATOR(pg_catalog.%s) b; END$f$',
                     n, t[1], t[2], o || ' ' || t[1] || ',' || t[2], o);
      EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.evil_op%s)',
                     o, t[1], t[2], n);
    END LOOP;
  END LOOP;
  FOREACH o IN ARRAY ARRAY['+', '-'] LOOP
    FOREACH t SLICE 1 IN ARRAY ARRAY[['bigint', 'bigint', 'bigint'], ['bigint', 'integer', 'bigint'],
                                     ['integer', 'integer', 'integer'], ['timestamptz', 'interval', 'timestamptz']] LOOP
      n := n + 1;
      EXECUTE format('CREATE FUNCTION public.evil_op%s(a %s, b %s) RETURNS %s LANGUAGE plpgsql AS '
                     '$f$BEGIN PERFORM public.pwn(%L); RETURN a OPERATOR(pg_catalog.%s) b; END$f$',
                     n, t[1], t[2], t[3], o || ' ' || t[1] || ',' || t[2], o);
      EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.evil_op%s)',
                     o, t[1], t[2], n);
    END LOOP;
  END LOOP;
END $do$;
ALTER DATABASE evil SET search_path = public, pg_catalog;
});
# Under that search_path an unqualified call or operator picks them.
is( $node->safe_psql(
		'evil', q{SET ROLE dbo; SELECT make_interval(secs => 5) IS NOT NULL, 1::bigint = 1::bigint, now() IS NOT NULL;
		SELECT string_agg(what, ', ' ORDER BY what) FROM public.pwned; DELETE FROM public.pwned;}),
	"t|t|t\n= bigint,bigint, make_interval, now",
	'(search_path) unqualified calls under that search_path run the look-alikes');
# The worker that comes to evil (the launcher's, or started by these
# commits) looks for pending heads, builds snapshots and records passes.
$node->safe_psql('evil',
	qq{SET search_path = pg_catalog, public; BEGIN; SELECT public.ts_create('s', '{"n": 0}');
	   SELECT count(public.ts_commit('s', jsonb_build_object('n', g))) FROM generate_series(1, $INTERVAL + 2) g; COMMIT;});
# This test's own queries there put pg_catalog first.
my $safe = 'SET search_path = pg_catalog, public; ';
ok(wait_for($node, 'evil', $safe . snapshotted('s'), 't', 20), '(search_path) the worker builds snapshots in that database');
ok( wait_for(
		$node, 'evil',
		$safe . q{SELECT snapshots_built > 0 AND last_run IS NOT NULL FROM ts_internal.worker_status
		  WHERE database = 'evil'}),
	'(search_path) and records its passes');
is($node->safe_psql('evil', 'SELECT count(*) FROM public.pwned'), '0', '(search_path) no look-alike ran')
  or diag($node->safe_psql('evil', 'SELECT * FROM public.pwned'));
is($node->safe_psql('postgres', q{SELECT rolsuper FROM pg_roles WHERE rolname = 'dbo'}), 'f',
	'(search_path) the database owner is not a superuser');

# (bridge) std::bad_alloc thrown in the worker, then in the launcher.
my $bystander = $node->background_psql('postgres', on_error_stop => 1);
my $bystander_pid = $bystander->query_safe('SELECT pg_backend_pid()');
for my $fault ('worker', 'launcher')
{
	$log_offset = -s $node->logfile;
	$node->safe_psql('postgres',
		"ALTER SYSTEM SET temporal_store.fault_injection = '${fault}_bad_alloc'; SELECT pg_reload_conf()");
	# The process that logged the error is the one that exits.
	ok(log_has($node, qr/\[\d+\] ERROR:  out of memory/, $log_offset), "(bridge) the $fault logs the exception as an error");
	my ($thrower) = slurp_file($node->logfile, $log_offset) =~ /\[(\d+)\] ERROR:  out of memory/;
	$thrower //= 0;
	ok( log_has($node, qr/background worker "temporal_store $fault" \(PID $thrower\) exited with exit code 1/, $log_offset),
		"(bridge) a C++ exception in the $fault ends it with exit code 1");
	$node->safe_psql('postgres', 'ALTER SYSTEM RESET temporal_store.fault_injection; SELECT pg_reload_conf()');
	my $log = slurp_file($node->logfile, $log_offset);
	unlike($log, qr/terminated by signal|terminating any other active server processes/,
		"(bridge) no process of the $fault aborted, nothing was restarted");
}
is($node->safe_psql('postgres', 'SELECT pg_postmaster_start_time()'), $start_time,
	'(bridge) the postmaster did not reinitialise');
is($bystander->query_safe('SELECT pg_backend_pid()'), $bystander_pid, '(bridge) another session goes on');
$bystander->quit;
commit_versions($node, 'postgres', 'after_fault', $INTERVAL + 2);
ok(wait_for($node, 'postgres', snapshotted('after_fault'), 't', 30),
	'(bridge) a new worker builds snapshots after the worker\'s fault');
$node->stop;

# ---------------------------------------------------------------------------
my $dyn = PostgreSQL::Test::Cluster->new('citizen_dynamic');
$dyn->init;
$dyn->append_conf(
	'postgresql.conf', qq{
temporal_store.worker_naptime = 1
temporal_store.snapshot_interval = $INTERVAL
});
$dyn->start;
$dyn->safe_psql('postgres', 'CREATE EXTENSION temporal_store');
lock_test($dyn, 'dynamic');

$dyn->safe_psql('postgres', 'CREATE DATABASE gone');
$dyn->safe_psql('gone', 'CREATE EXTENSION temporal_store; SELECT ts_worker_start()');
ok(wait_for($dyn, 'postgres', worker_in('gone')), 'dynamic (ddl): a worker serves the database');
($rc, $out, $err) = $dyn->psql('postgres', 'DROP DATABASE gone');
is($rc, 0, 'dynamic (ddl): DROP DATABASE succeeds while the worker serves it') or diag($err);
$dyn->stop;

done_testing();
