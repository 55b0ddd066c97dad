# The snapshot worker.
#
#   (a) preloaded: the launcher starts a worker per database (also one
#       created later); after commits it builds snapshots and
#       ts_worker_status shows it live;
#   (b) not preloaded: ts_worker_start() and the first write launch one; a
#       dynamically started worker exits when idle; ts_worker_start()
#       while one is coming up returns that one; snapshot_max_bytes and
#       snapshot_max_age also make the worker snapshot a head;
#   (c) a worker killed (SIGTERM via pg_terminate_backend, and a real
#       SIGKILL with restart_after_crash = on) comes back and resumes: after
#       the backlog drains the snapshot set is exactly the expected one (no
#       duplicate, none missing) and every version still reads back;
#   (d) with no worker at all (max_worker_processes = 0), 1,000 versions
#       read back identical and no replay chain exceeds 4 x snapshot_interval;
#   (f) preloaded and idle, the worker neither writes nor looks for
#       pending heads every pass, yet a transaction that commits after a
#       look is snapshotted at the next pass.
#
# Expected snapshot set. The worker (src/pg/worker.cpp, read_path.cpp
# snapshot_chain) takes every live branch head whose replay chain is at
# least snapshot_interval long and has no snapshot, in ascending head order,
# walks back along first parents to the nearest full state or snapshot, and
# snapshots every snapshot_interval-th version of that walk counted from its
# base, plus the head. Batches are committed in one transaction, so the
# worker sees each batch whole and the expected set is deterministic; it is
# computed here from ts_internal.versions (first_parent, chain_len: 0 for a
# full-state payload) and the snapshots that existed before the batch.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(usleep);

my $INTERVAL = 10;
my $WAIT     = 60;    # seconds any single wait may take

# ---------------------------------------------------------------------------
# Helpers.

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

# Runs $sql as one psql script; returns 'ok' or the SQLSTATE of the error
# (or a description when there is none, e.g. a lost connection).
sub sqlstate_of
{
	my ($node, $db, $sql) = @_;
	my ($ret, $out, $err) =
	  $node->psql($db, "\\set VERBOSITY verbose\n$sql", on_error_stop => 1);
	return 'ok' if $ret == 0;
	return $1 if $err =~ /ERROR:\s+([0-9A-Z]{5}):/;
	return "no SQLSTATE (psql exit $ret): $err";
}

# Live worker pid of the current database per ts_worker_status ('' if none).
sub worker_pid
{
	my ($node, $db) = @_;
	return $node->safe_psql($db,
		"SELECT coalesce(max(pid), 0) FROM ts_worker_status() WHERE database = current_database()");
}

# True once no live branch head is waiting for a snapshot. Heads come from
# ts_branches; chain_len and snapshots from the internal tables.
sub drained_sql
{
	return qq{SELECT count(*) = 0 FROM ts_stores() t
		CROSS JOIN LATERAL ts_branches(t.store) b
		JOIN ts_internal.stores st ON st.name = t.store::text AND st.dropped_at IS NULL
		JOIN ts_internal.versions v ON v.store_id = st.store_id AND v.version = b.head_version
		WHERE NOT EXISTS (SELECT 1 FROM ts_internal.snapshots n
		                WHERE n.store_id = v.store_id AND n.version = v.version)
		AND (v.chain_len >= $INTERVAL
		     OR (v.version > $INTERVAL AND NOT EXISTS (SELECT 1 FROM ts_internal.snapshots n
		         WHERE n.store_id = v.store_id AND n.version > v.version - $INTERVAL
		           AND n.version <= v.version)))};
}

# Snapshot versions of a store, as a sorted list.
sub snapshot_set
{
	my ($node, $db, $store) = @_;
	my $out = $node->safe_psql($db,
		qq{SELECT n.version FROM ts_internal.snapshots n
		   JOIN ts_internal.stores s ON s.store_id = n.store_id
		   WHERE s.name = '$store' AND s.dropped_at IS NULL ORDER BY 1});
	return [ grep { $_ ne '' } split /\n/, $out ];
}

# The snapshot set the worker must leave once drained, given the snapshots
# that existed before the current (single-transaction) batch.
sub expected_snapshot_set
{
	my ($node, $db, $store, $before) = @_;
	my (%fp, %len);
	for my $row (split /\n/,
		$node->safe_psql($db,
			qq{SELECT v.version, coalesce(v.first_parent, 0), v.chain_len
			   FROM ts_internal.versions v JOIN ts_internal.stores s ON s.store_id = v.store_id
			   WHERE s.name = '$store' AND s.dropped_at IS NULL}))
	{
		my ($v, $p, $l) = split /\|/, $row;
		$fp{$v}  = $p;
		$len{$v} = $l;
	}
	my @heads = split /\n/,
	  $node->safe_psql($db, qq{SELECT DISTINCT head_version FROM ts_branches('$store') ORDER BY 1});
	my %snap = map { $_ => 1 } @$before;
	# A head is pending when it has no snapshot and either its chain is
	# long or no snapshot lies within the last $INTERVAL version numbers
	# (a keyframe may have reset chain_len over an unsnapshotted stretch).
	my $pending = sub {
		my ($h) = @_;
		return 0 if $snap{$h};
		return 1 if $len{$h} >= $INTERVAL;
		return 0 if $h <= $INTERVAL;
		for my $w ($h - $INTERVAL + 1 .. $h) { return 0 if $snap{$w} }
		return 1;
	};
	for (;;)    # worker passes until nothing is pending
	{
		my @pending = grep { $pending->($_) } @heads;
		last unless @pending;
		for my $h (@pending)
		{
			# Back to the nearest snapshot (or the root), past keyframes.
			my @steps;    # newest first
			my $v = $h;
			while ($v && !$snap{$v})
			{
				push @steps, $v;
				$v = $fp{$v};
			}
			# Forward: a snapshot every $INTERVAL deltas since the last full
			# state (keyframe or snapshot), and at the head.
			my $since = 0;
			for my $st (reverse @steps)
			{
				if ($len{$st} == 0) { $since = 0; }
				else { $since++; }
				if ($since >= $INTERVAL || $st == $h)
				{
					$snap{$st} = 1;
					$since = 0;
				}
			}
		}
	}
	return [ sort { $a <=> $b } keys %snap ];
}

# Every row of expected reads back exactly (text form: 1 and 1.0 differ).
sub check_reads
{
	my ($node, $db, $label) = @_;
	my $bad = $node->safe_psql($db,
		q{SELECT count(*) FROM expected e
		  WHERE ts_as_of(e.store::temporal_store, e.v)::text IS DISTINCT FROM e.doc::text});
	is($bad, '0', "$label: every committed version reads back identical");
	my $gaps = $node->safe_psql($db,
		q{SELECT count(*) FROM (SELECT store, count(*) AS n, max(v) AS m FROM expected GROUP BY store) x
		  JOIN ts_stores() t ON t.store::text = x.store WHERE t.versions <> x.m OR x.n <> x.m});
	is($gaps, '0', "$label: versions are gapless and all recorded");
	my $problems = $node->safe_psql($db,
		q{SELECT count(*) FROM ts_stores() t, LATERAL ts_verify(t.store)});
	is($problems, '0', "$label: ts_verify reports nothing");
}

# Worker errors in the server log since $offset (our own termination aside).
sub worker_log_errors
{
	my ($node, $offset) = @_;
	my $log = slurp_file($node->logfile, $offset);
	my @bad = grep {
		/(ERROR|FATAL|PANIC):/
		  && /temporal_store|snapshots_pkey|duplicate key/
		  && !/terminating background worker "temporal_store (worker|launcher)" due to administrator command/
	} split /\n/, $log;
	return @bad;
}

# SIGKILLs the database's live worker (starting one if none is live) and
# waits until the postmaster has seen it die; returns the pid.
sub kill9_worker
{
	my ($node, $db) = @_;
	for (1 .. 100)
	{
		my $pid = $node->safe_psql($db,
			q{SELECT w.pid FROM ts_worker_status() w JOIN pg_stat_activity a ON a.pid = w.pid
			  WHERE w.database = current_database() AND a.backend_type = 'temporal_store worker'});
		if ($pid eq '')
		{
			$node->safe_psql($db, 'SELECT ts_worker_start()');
			usleep(200_000);
			next;
		}
		my $offset = -s $node->logfile;
		next unless kill('KILL', $pid);
		$node->wait_for_log(qr/\(PID $pid\) was terminated by signal 9/, $offset);
		return $pid;
	}
	die 'no worker to kill';
}

# SIGTERMs the database's live worker via pg_terminate_backend; returns the pid.
sub terminate_worker
{
	my ($node, $db) = @_;
	for (1 .. 100)
	{
		my $pid = $node->safe_psql($db,
			q{SELECT w.pid FROM ts_worker_status() w JOIN pg_stat_activity a ON a.pid = w.pid
			  WHERE w.database = current_database() AND a.backend_type = 'temporal_store worker'});
		if ($pid eq '')
		{
			$node->safe_psql($db, 'SELECT ts_worker_start()');
			usleep(200_000);
			next;
		}
		next unless $node->safe_psql($db, "SELECT pg_terminate_backend($pid)") eq 't';
		return $pid;
	}
	die 'no worker to terminate';
}

my $setup_sql = q{
CREATE EXTENSION temporal_store;
CREATE TABLE expected (store text, v bigint, doc jsonb, PRIMARY KEY (store, v));
CREATE FUNCTION batch(s text, n_main int, n_side int, side text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE v bigint; d jsonb;
BEGIN
  FOR i IN 1..n_main LOOP
    d := jsonb_build_object('i', i, 'batch', side, 'pad', repeat('p', 40));
    v := ts_commit(s::temporal_store, d);
    INSERT INTO expected VALUES (s, v, d);
    IF n_side > 0 AND i = n_main / 2 THEN
      PERFORM ts_branch(s::temporal_store, side);
    END IF;
  END LOOP;
  FOR i IN 1..n_side LOOP
    d := jsonb_build_object('j', i, 'side', side, 'pad', repeat('q', 40));
    v := ts_commit(s::temporal_store, d, branch => side);
    INSERT INTO expected VALUES (s, v, d);
  END LOOP;
END $$;
};

# Commits the store's initial version and $n more, one transaction each.
sub commit_separately
{
	my ($node, $db, $store, $n) = @_;
	my $sql =
	  "INSERT INTO expected SELECT '$store', 1, '{\"i\": 0}'::jsonb FROM (SELECT ts_create('$store', '{\"i\": 0}')) x;\n";
	for my $i (1 .. $n)
	{
		$sql .=
		  "INSERT INTO expected SELECT '$store', ts_commit('$store', d), d FROM "
		  . "(SELECT jsonb_build_object('i', $i, 'pad', repeat('x', 40), 'sq', $i * $i) d) x;\n";
	}
	$node->safe_psql($db, $sql);
}

# Runs one batch with the worker possibly absent, waits for a live worker
# and the drain, and compares the snapshot set with the expected one.
sub batch_and_compare
{
	my ($node, $db, $store, $n_main, $n_side, $side, $label, $old_pid) = @_;
	ok(wait_for($node, $db, drained_sql()), "$label: nothing pending before the batch")
	  if !defined $old_pid;
	my $before = snapshot_set($node, $db, $store);
	$node->safe_psql($db, "SELECT batch('$store', $n_main, $n_side, '$side')");
	my $expected = expected_snapshot_set($node, $db, $store, $before);
	if (defined $old_pid)
	{
		ok( wait_for(
				$node, $db,
				"SELECT count(*) = 1 FROM ts_worker_status() WHERE database = current_database() "
				  . "AND pid IS NOT NULL AND pid <> $old_pid"),
			"$label: a new worker is live");
	}
	ok(wait_for($node, $db, drained_sql()), "$label: the backlog drains");
	# One more naptime: nothing beyond the expected set may appear.
	sleep(2);
	my $got = snapshot_set($node, $db, $store);
	note("$label: snapshots before the batch: @$before; after: @$got");
	is_deeply($got, $expected,
		"$label: snapshot set is exactly the expected one (no duplicate, none missing)")
	  or diag("got @$got\nexpected @$expected");
	check_reads($node, $db, $label);
}

# ---------------------------------------------------------------------------
# (a) and (c): preloaded.
my $pre = PostgreSQL::Test::Cluster->new('preloaded');
$pre->init;
$pre->append_conf(
	'postgresql.conf', qq{
shared_preload_libraries = 'temporal_store'
temporal_store.worker_naptime = 1
temporal_store.snapshot_interval = $INTERVAL
restart_after_crash = on
});
$pre->start;
my $log_offset = -s $pre->logfile;
$pre->safe_psql('postgres', $setup_sql);

ok(wait_for($pre, 'postgres', q{SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'temporal_store launcher'}),
	'(a) the launcher runs');

commit_separately($pre, 'postgres', 'a', 100);
ok( wait_for(
		$pre, 'postgres',
		q{SELECT (SELECT count(*) > 0 FROM ts_internal.snapshots)
		     AND EXISTS (SELECT 1 FROM ts_worker_status() w JOIN pg_stat_activity a ON a.pid = w.pid
		                 WHERE w.database = current_database() AND w.snapshots_built > 0
		                 AND a.backend_type = 'temporal_store worker')}),
	'(a) snapshots built; ts_worker_status shows a live worker with snapshots_built > 0');
ok(wait_for($pre, 'postgres', drained_sql()), '(a) the backlog drains');
is( $pre->safe_psql(
		'postgres',
		q{SELECT count(*) FROM ts_internal.snapshots n
		  WHERE NOT EXISTS (SELECT 1 FROM ts_internal.versions v WHERE v.store_id = n.store_id AND v.version = n.version)}
	),
	'0',
	'(a) every snapshot belongs to a version');
is( $pre->safe_psql(
		'postgres', q{SELECT last_run IS NOT NULL AND started_at IS NOT NULL FROM ts_worker_status()
		              WHERE database = current_database()}),
	't',
	'(a) ts_worker_status has started_at and last_run');
check_reads($pre, 'postgres', '(a)');

# (a) a database that gets the extension later is found by the launcher,
# without any write or ts_worker_start.
$pre->safe_psql('postgres', 'CREATE DATABASE late');
$pre->safe_psql('late', 'CREATE EXTENSION temporal_store');
ok( wait_for(
		$pre, 'late',
		q{SELECT count(*) = 1 FROM ts_worker_status() w JOIN pg_stat_activity a ON a.pid = w.pid
		  WHERE w.database = 'late' AND a.datname = 'late' AND a.backend_type = 'temporal_store worker'},
		't', 30),
	'(a) the launcher starts a worker in a database created later');

# (c) SIGTERM: the launcher brings a worker back without any write.
my $pid1 = terminate_worker($pre, 'postgres');
ok( wait_for(
		$pre, 'postgres',
		"SELECT count(*) = 1 FROM ts_worker_status() WHERE database = current_database() "
		  . "AND pid IS NOT NULL AND pid <> $pid1"),
	'(c) preloaded: after pg_terminate_backend the launcher starts a new worker (no write needed)');
batch_and_compare($pre, 'postgres', 'a', 57, 23, 'b1', '(c) preloaded after SIGTERM');

# (c) SIGTERM with the backlog committed while no worker is alive.
my $pid2 = terminate_worker($pre, 'postgres');
ok(wait_for($pre, 'postgres', "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $pid2)"),
	'(c) preloaded: worker gone');
batch_and_compare($pre, 'postgres', 'a', 95, 12, 'b2', '(c) preloaded, backlog while down', $pid2);

# (c) SIGKILL: the postmaster reinitialises; the launcher restarts workers.
my $before_kill = snapshot_set($pre, 'postgres', 'a');
my $pid3 = kill9_worker($pre, 'postgres');
ok( wait_for(
		$pre, 'postgres',
		"SELECT count(*) = 1 FROM ts_worker_status() w JOIN pg_stat_activity a ON a.pid = w.pid "
		  . "WHERE w.database = current_database() AND w.pid <> $pid3 AND a.backend_type = 'temporal_store worker'"),
	'(c) preloaded: after SIGKILL and crash restart a worker runs again (no write needed)');
is_deeply(snapshot_set($pre, 'postgres', 'a'), $before_kill, '(c) preloaded: snapshots survive the crash');
check_reads($pre, 'postgres', '(c) preloaded after SIGKILL');
batch_and_compare($pre, 'postgres', 'a', 73, 41, 'b3', '(c) preloaded after SIGKILL');

# (f) Idle, a worker neither writes nor looks (here the launcher's worker:
# one started by a write exits when idle): over five passes
# (naptime 1 s) with nothing written to the database, it updates
# worker_status at most once and scans the branches (its look for pending
# heads, a probe per branch) at most once; both may fall in the window
# once, as each is repeated every minute. Recording every pass would cost a
# transaction id and WAL each time. The worker flushes its table
# statistics after every pass.
my $idle_sql = q{SELECT (SELECT n_tup_upd FROM pg_stat_all_tables WHERE relid = 'ts_internal.worker_status'::regclass)
                 || ' ' || (SELECT seq_scan + coalesce(idx_scan, 0) FROM pg_stat_all_tables
                            WHERE relid = 'ts_internal.branches'::regclass)};
ok(wait_for($pre, 'postgres', drained_sql()), '(f) nothing pending');
sleep(2);    # a pass after the drain records pending = 0 if it changed
my ($updates_before, $scans_before) = split / /, $pre->safe_psql('postgres', $idle_sql);
sleep(5);
my ($updates_after, $scans_after) = split / /, $pre->safe_psql('postgres', $idle_sql);
ok($updates_after - $updates_before <= 1, '(f) an idle worker does not update worker_status every pass')
  or diag(($updates_after - $updates_before) . ' updates in 5 s');
ok($scans_after - $scans_before <= 1, '(f) an idle worker does not look for pending heads every pass')
  or diag(($scans_after - $scans_before) . ' scans of branches in 5 s');
ok($updates_before > 0 && $scans_before > 0, '(f) the worker recorded and looked before (statistics are on)');

# (f) A transaction still open while the worker looks, committed after
# that look, is looked at in the next pass, not only at the once-a-minute
# look: the worker counts commits, not change numbers taken (the open
# transaction took its numbers before the look). Another session's commit
# makes the worker look while the transaction is open.
my $open = $pre->background_psql('postgres', on_error_stop => 1);
$open->query_safe('BEGIN');
$open->query_safe(q{SELECT ts_create('open_tx', '{"n": 0}')});
$open->query_safe(qq{SELECT count(ts_commit('open_tx', jsonb_build_object('n', g))) FROM generate_series(1, $INTERVAL) g});
$pre->safe_psql('postgres', q{SELECT ts_create('poke')});
sleep(3);    # passes, one of them a look, while the transaction is open
my $open_snapshot_sql = q{SELECT EXISTS (SELECT 1 FROM ts_internal.snapshots n JOIN ts_internal.stores s USING (store_id)
                                          WHERE s.name = 'open_tx')};
is($pre->safe_psql('postgres', $open_snapshot_sql), 'f', '(f) nothing of the open transaction is snapshotted yet');
$open->query_safe('COMMIT');
$open->quit;
ok(wait_for($pre, 'postgres', $open_snapshot_sql, 't', 5),
	'(f) a transaction committed after a look is snapshotted within seconds (naptime 1 s)');

is(join("\n", worker_log_errors($pre, $log_offset)), '', '(c) preloaded: no worker errors in the log');
$pre->stop;

# ---------------------------------------------------------------------------
# (b) and (c): not preloaded.
my $dyn = PostgreSQL::Test::Cluster->new('dynamic');
$dyn->init;
$dyn->append_conf(
	'postgresql.conf', qq{
temporal_store.worker_naptime = 1
temporal_store.snapshot_interval = $INTERVAL
restart_after_crash = on
});
$dyn->start;
$log_offset = -s $dyn->logfile;
$dyn->safe_psql('postgres', $setup_sql);
is($dyn->safe_psql('postgres', q{SELECT count(*) FROM pg_stat_activity WHERE backend_type LIKE 'temporal_store%'}),
	'0', '(b) no worker before anything asks for one');

my $spid = $dyn->safe_psql('postgres', 'SELECT ts_worker_start()');
ok($spid > 0, "(b) ts_worker_start() returns a pid ($spid)");
is( $dyn->safe_psql('postgres', "SELECT backend_type FROM pg_stat_activity WHERE pid = $spid"),
	'temporal_store worker',
	'(b) that pid is a temporal_store worker');
ok( wait_for($dyn, 'postgres',
		"SELECT pid = $spid FROM ts_worker_status() WHERE database = current_database()"),
	'(b) ts_worker_status shows it');
is($dyn->safe_psql('postgres', 'SELECT ts_worker_start()'), $spid,
	'(b) ts_worker_start() again returns the running worker');

# (b) ts_worker_start() called again while the worker it started is still
# coming up returns that worker, not a second one that exits at once.
$dyn->safe_psql('postgres', 'CREATE DATABASE race');
$dyn->safe_psql('race', 'CREATE EXTENSION temporal_store');
my @race = split /\n/,
  $dyn->safe_psql('race', 'SELECT ts_worker_start(); SELECT ts_worker_start(); SELECT ts_worker_start();');
ok( wait_for($dyn, 'race',
		q{SELECT pid IS NOT NULL FROM ts_worker_status() WHERE database = current_database()}),
	'(b) race: the worker registers');
my $race_live = worker_pid($dyn, 'race');
is(join(' ', @race), join(' ', ($race_live) x 3),
	'(b) three quick ts_worker_start() calls all return the one live worker');

commit_separately($dyn, 'postgres', 'd', 60);
ok( wait_for(
		$dyn, 'postgres',
		q{SELECT (SELECT count(*) > 0 FROM ts_internal.snapshots)
		     AND (SELECT snapshots_built > 0 FROM ts_worker_status() WHERE database = current_database())}),
	'(b) the started worker builds snapshots');
ok(wait_for($dyn, 'postgres', drained_sql()), '(b) the backlog drains');
check_reads($dyn, 'postgres', '(b)');

# A dynamically started worker exits after a few idle passes.
ok( wait_for(
		$dyn, 'postgres',
		q{SELECT pid IS NULL FROM ts_worker_status() WHERE database = current_database()}, 't', 30),
	'(b) the dynamic worker exits when idle');
is($dyn->safe_psql('postgres', q{SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'temporal_store worker'}),
	'0', '(b) no worker process left');

# (b) the first write in a fresh database launches a worker.
$dyn->safe_psql('postgres', 'CREATE DATABASE fresh');
$dyn->safe_psql('fresh', $setup_sql);
is($dyn->safe_psql('fresh', 'SELECT count(*) FROM ts_worker_status()'), '0',
	'(b) fresh database: no worker status yet');
commit_separately($dyn, 'fresh', 'f', 30);
ok( wait_for(
		$dyn, 'fresh',
		q{SELECT count(*) = 1 FROM ts_worker_status() w JOIN pg_stat_activity a ON a.pid = w.pid
		  WHERE w.database = 'fresh' AND a.backend_type = 'temporal_store worker' AND a.datname = 'fresh'},
		't', 20),
	'(b) fresh database: the first writes launched a worker');
ok(wait_for($dyn, 'fresh', q{SELECT count(*) > 0 FROM ts_internal.snapshots}),
	'(b) fresh database: it builds snapshots');
check_reads($dyn, 'fresh', '(b) fresh');

# (c) dynamic, SIGTERM: the next write starts a new worker, which resumes.
my $dpid = terminate_worker($dyn, 'postgres');
ok( wait_for(
		$dyn, 'postgres',
		q{SELECT pid IS NULL FROM ts_worker_status() WHERE database = current_database()}),
	'(c) dynamic: terminated worker shows as not live');
batch_and_compare($dyn, 'postgres', 'd', 88, 17, 'c1', '(c) dynamic after SIGTERM, restarted by a write',
	$dpid);

# (c) dynamic, SIGKILL: nothing restarts it by itself; ts_worker_start and
# writes do.
$dpid = kill9_worker($dyn, 'postgres');
ok( wait_for(
		$dyn, 'postgres',
		q{SELECT pid IS NULL FROM ts_worker_status() WHERE database = current_database()}),
	'(c) dynamic: after SIGKILL and crash restart the status shows no live worker');
check_reads($dyn, 'postgres', '(c) dynamic after SIGKILL');
batch_and_compare($dyn, 'postgres', 'd', 66, 30, 'c2', '(c) dynamic after SIGKILL, restarted by a write',
	$dpid);
my $npid = $dyn->safe_psql('postgres', 'SELECT ts_worker_start()');
ok($npid > 0 && $npid != $dpid, '(c) dynamic: ts_worker_start works after the crash');
is(join("\n", worker_log_errors($dyn, $log_offset)), '', '(c) dynamic: no worker errors in the log');

# (b) the other triggers: snapshot_max_bytes and snapshot_max_age make the
# worker snapshot a head whose chain is shorter than snapshot_interval.
$dyn->safe_psql('fresh',
	q{LOAD 'temporal_store'; ALTER SYSTEM SET temporal_store.snapshot_max_bytes = '2kB'; SELECT pg_reload_conf();});
$dyn->safe_psql(
	'fresh', q{
SELECT ts_create('mb', '{}');
SELECT ts_patch('mb', jsonb_build_object('k' || g,
       (SELECT string_agg(md5(g || '/' || h), '') FROM generate_series(1, 64) h))) FROM generate_series(1, 4) g;
});
is( $dyn->safe_psql(
		'fresh', q{SELECT chain_len < 10 AND chain_bytes >= 2048 FROM ts_internal.versions
		  WHERE store_id = (SELECT store_id FROM ts_internal.stores WHERE name = 'mb') AND version = 5}),
	't',
	'(b) max_bytes: the head has a short chain of many bytes');
$dyn->safe_psql('fresh', 'SELECT ts_worker_start()');
ok( wait_for(
		$dyn, 'fresh',
		q{SELECT EXISTS (SELECT 1 FROM ts_internal.snapshots n JOIN ts_internal.stores s USING (store_id)
		  WHERE s.name = 'mb' AND n.version = 5)}, 't', 20),
	'(b) snapshot_max_bytes: the worker snapshots that head');
$dyn->safe_psql('fresh',
	q{LOAD 'temporal_store'; ALTER SYSTEM RESET temporal_store.snapshot_max_bytes;
	  ALTER SYSTEM SET temporal_store.snapshot_max_age = '2s'; SELECT pg_reload_conf();});
$dyn->safe_psql('fresh',
	q{SELECT ts_create('age', '{}'); SELECT ts_commit('age', jsonb_build_object('n', g)) FROM generate_series(1, 3) g;});
$dyn->safe_psql('fresh', 'SELECT ts_worker_start()');
ok( wait_for(
		$dyn, 'fresh',
		q{SELECT EXISTS (SELECT 1 FROM ts_internal.snapshots n JOIN ts_internal.stores s USING (store_id)
		  WHERE s.name = 'age' AND n.version = 4)}, 't', 20),
	'(b) snapshot_max_age: the worker snapshots a short, old enough chain');
$dyn->safe_psql('fresh', q{LOAD 'temporal_store'; ALTER SYSTEM RESET temporal_store.snapshot_max_age; SELECT pg_reload_conf();});
is($dyn->safe_psql('fresh', q{SELECT count(*) FROM ts_stores() t, LATERAL ts_verify(t.store)}), '0',
	'(b) ts_verify reports nothing after those snapshots');
$dyn->stop;

# ---------------------------------------------------------------------------
# (d) no worker at all: reads stay correct and bounded.
my $off = PostgreSQL::Test::Cluster->new('noworker');
$off->init;
$off->append_conf(
	'postgresql.conf', qq{
max_worker_processes = 0
temporal_store.worker_naptime = 1
temporal_store.snapshot_interval = $INTERVAL
});
$off->start;
$off->safe_psql('postgres', $setup_sql);
my $st = sqlstate_of($off, 'postgres', 'SELECT ts_worker_start()');
is($st, '53400', '(d) ts_worker_start fails cleanly without a worker slot');

# 1,000 writes of every kind, the expected state tracked with plain jsonb
# operators at commit time.
$off->safe_psql(
	'postgres', q{
DO $$
DECLARE
  d jsonb := '{"n": 0, "arr": []}';
  side jsonb;
  v bigint;
  src bigint;
  s temporal_store;
BEGIN
  s := ts_create('big', d);
  INSERT INTO expected VALUES ('big', 1, d);
  FOR i IN 1..1000 LOOP
    IF i % 250 = 0 THEN
      -- a side branch with a few commits, merged back as a merge version
      PERFORM ts_branch(s, 'side' || i);
      side := d;
      FOR j IN 1..7 LOOP
        side := side || jsonb_build_object('s' || i || '_' || j, j);
        v := ts_patch(s, jsonb_build_object('s' || i || '_' || j, j), branch => 'side' || i);
        INSERT INTO expected VALUES ('big', v, side);
      END LOOP;
      v := ts_merge(s, 'side' || i, 'main', 'no_ff');
      d := side;
    ELSIF i % 100 = 0 THEN
      src := (SELECT max(e.v) - 50 FROM expected e WHERE e.store = 'big');
      v := ts_restore(s, src::text);
      d := (SELECT e.doc FROM expected e WHERE e.store = 'big' AND e.v = src);
    ELSE
      CASE i % 4
      WHEN 0 THEN
        d := jsonb_build_object('n', i, 'arr', d->'arr', 'k' || (i % 37), repeat('v', i % 50), 'f', i / 7.0);
        v := ts_commit(s, d);
      WHEN 1 THEN
        v := ts_patch(s, jsonb_build_object('m' || (i % 13), i));
        d := d || jsonb_build_object('m' || (i % 13), i);
      WHEN 2 THEN
        v := ts_patch(s, jsonb_build_array(jsonb_build_object('op', 'add', 'path', '/arr/-', 'value', i)));
        d := jsonb_set(d, '{arr}', (d->'arr') || to_jsonb(i));
      ELSE
        v := ts_patch(s, jsonb_build_object('m' || ((i + 5) % 13), NULL));
        d := d - ('m' || ((i + 5) % 13));
      END CASE;
    END IF;
    INSERT INTO expected VALUES ('big', v, d);
  END LOOP;
END $$;
});
my $nv = $off->safe_psql('postgres', q{SELECT versions FROM ts_stores() WHERE store = 'big'});
ok($nv > 1000, "(d) $nv versions committed");
is($off->safe_psql('postgres', 'SELECT count(*) FROM ts_internal.snapshots'), '0',
	'(d) no snapshot exists: the worker never ran');
is($off->safe_psql('postgres', 'SELECT count(*) FROM ts_worker_status() WHERE pid IS NOT NULL'), '0',
	'(d) ts_worker_status shows no live worker');
check_reads($off, 'postgres', '(d) warm cache');
# Every version again with the per-backend cache off, newest first.
is( $off->safe_psql(
		'postgres', q{SET temporal_store.cache_size = 0;
		SELECT count(*) FROM (SELECT * FROM expected ORDER BY v DESC) e
		WHERE ts_as_of(e.store::temporal_store, e.v)::text IS DISTINCT FROM e.doc::text}),
	'0',
	'(d) every version reads back identical with the cache off');
my $cap = 4 * $INTERVAL;
my $maxlen = $off->safe_psql('postgres', 'SELECT max(chain_len) FROM ts_internal.versions');
ok($maxlen <= $cap, "(d) no chain_len exceeds 4 x snapshot_interval ($maxlen <= $cap)");
# The real replay length (deltas to apply from the nearest full state, by
# the payload header's kind byte, see src/core/payload_codec.hpp), not
# only the recorded chain_len.
my $replay = $off->safe_psql(
	'postgres', q{
WITH RECURSIVE walk (store_id, start, cur, steps) AS (
  SELECT store_id, version, version, 0 FROM ts_internal.versions
  UNION ALL
  SELECT w.store_id, w.start, v.first_parent, w.steps + 1
  FROM walk w JOIN ts_internal.versions v ON v.store_id = w.store_id AND v.version = w.cur
  WHERE get_byte(v.payload, 1) <> 1
)
SELECT max(steps) FROM walk});
ok($replay <= $cap, "(d) no version replays more than 4 x snapshot_interval deltas ($replay <= $cap)");
is( $off->safe_psql(
		'postgres', q{SELECT count(*) FROM ts_internal.versions WHERE chain_len > 0
		  AND chain_len IS DISTINCT FROM (SELECT p.chain_len + 1 FROM ts_internal.versions p
		    WHERE p.store_id = versions.store_id AND p.version = versions.first_parent)}),
	'0',
	'(d) chain_len counts the first-parent deltas (no snapshots exist)');

# Every writing transaction sends one NOTIFY temporal_store whose payload
# names no store, only the newest change id (see also 080_notify.pl).
my ($rc, $out, $err) = $off->psql(
	'postgres', q{LISTEN temporal_store;
SELECT ts_create('we"ird', '{}') IS NOT NULL;
SELECT ts_commit('we"ird', '{"a": 1}');
SELECT ts_drop('we"ird');});
my @payloads = ($out . $err) =~ /Asynchronous notification "temporal_store" with payload "(.*)" received/g;
is(scalar(@payloads), 3, '(e) one notification per writing transaction');
is(scalar(grep { /^\{"change_id": \d+\}$/ } @payloads), 3, '(e) each payload is {"change_id": n}, no store name');
my @ids = map { /(\d+)/ ? $1 : 0 } @payloads;
ok($ids[0] < $ids[1] && $ids[1] < $ids[2], '(e) in change_id order');
$off->stop;

done_testing();
