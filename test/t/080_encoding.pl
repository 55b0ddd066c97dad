# temporal_store works in UTF8 databases only. In a LATIN1 database:
#   - CREATE EXTENSION fails with 0A000 "temporal_store requires a UTF8
#     database", the encoding named in the detail, a hint saying how to
#     create a UTF8 database; nothing is left behind (no extension, schema,
#     function or type);
#   - an install of 0.1.0 (whose script has no check) refuses every call
#     at run time with the same error, including the document that made
#     this matter ({"name": "café"}, which jsonb accepts); ALTER EXTENSION
#     UPDATE to 0.2.0 fails the same way and 0.1.0 stays; DROP EXTENSION
#     works.
# A UTF8 database of the same cluster is unaffected.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('encoding');
$node->init;
$node->start;

$node->safe_psql('postgres',
	q{CREATE DATABASE lat ENCODING 'LATIN1' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C';
	  CREATE DATABASE utf ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C';});
is($node->safe_psql('lat', 'SHOW server_encoding'), 'LATIN1', 'the database is LATIN1');

# Runs $sql in database $db; returns (sqlstate or 'ok', stderr).
sub run
{
	my ($db, $sql) = @_;
	my ($r, $o, $e) = $node->psql($db, "\\set VERBOSITY verbose\n$sql",
		on_error_stop => 1, extra_params => [ '-v', 'SHOW_CONTEXT=never' ]);
	return ('ok', $e) if $r == 0;
	return ($1, $e) if $e =~ /ERROR:\s+([0-9A-Z]{5}):/;
	return ("no SQLSTATE (psql exit $r)", $e);
}

sub refused
{
	my ($db, $sql, $name) = @_;
	my ($state, $err) = run($db, $sql);
	is($state, '0A000', "$name: 0A000");
	like($err, qr/ERROR:  0A000: temporal_store requires a UTF8 database\n/, "$name: message");
	like($err, qr/DETAIL:  This database's encoding is LATIN1\./, "$name: detail names the encoding");
	like($err, qr/HINT:  Create a UTF8 database \(CREATE DATABASE name ENCODING 'UTF8' TEMPLATE template0\)/,
		"$name: hint");
}

# Everything of the extension that could be left behind.
my $leftovers = q{
SELECT (SELECT count(*) FROM pg_extension WHERE extname = 'temporal_store')
     + (SELECT count(*) FROM pg_namespace WHERE nspname = 'ts_internal')
     + (SELECT count(*) FROM pg_proc WHERE pronamespace <> 'pg_catalog'::regnamespace
                                      AND (proname LIKE 'ts\_%' OR proname LIKE 'temporal\_store%'))
     + (SELECT count(*) FROM pg_type WHERE typname = 'temporal_store')};

# (a) CREATE EXTENSION
refused('lat', 'CREATE EXTENSION temporal_store', 'CREATE EXTENSION in LATIN1');
is($node->safe_psql('lat', $leftovers), '0', 'nothing left behind');
refused('lat', q{CREATE EXTENSION temporal_store VERSION '0.2.0'}, 'CREATE EXTENSION VERSION 0.2.0');
is($node->safe_psql('lat', $leftovers), '0', 'still nothing left behind');

# (b) an install of 0.1.0, whose script has no check: every call refused
my ($state, $err) = run('lat', q{CREATE EXTENSION temporal_store VERSION '0.1.0'});
is($state, 'ok', '0.1.0 installs (its script has no check)') or diag($err);
refused('lat', q{SELECT ts_create('c', '{"name": "café"}')}, 'ts_create');
refused('lat', q{SELECT ts_json_diff('{"a": 1}', '{"a": 2}')}, 'ts_json_diff');
refused('lat', q{SELECT count(*) FROM ts_stores()}, 'ts_stores');
refused('lat', q{SELECT 'x'::temporal_store}, 'temporal_store input');
is($node->safe_psql('lat', 'SELECT count(*) FROM ts_internal.stores'), '0', 'no store was created');
refused('lat', q{ALTER EXTENSION temporal_store UPDATE TO '0.2.0'}, 'ALTER EXTENSION UPDATE');
is($node->safe_psql('lat', q{SELECT extversion FROM pg_extension WHERE extname = 'temporal_store'}),
	'0.1.0', '0.1.0 stays after the refused update');
($state, $err) = run('lat', 'DROP EXTENSION temporal_store');
is($state, 'ok', 'DROP EXTENSION works') or diag($err);
is($node->safe_psql('lat', $leftovers), '0', 'nothing left after DROP EXTENSION');

# A UTF8 database of the same cluster works as ever.
($state, $err) = run('utf', q{CREATE EXTENSION temporal_store;
SELECT ts_create('café', '{"name": "café"}');});
is($state, 'ok', 'UTF8 database: CREATE EXTENSION and ts_create') or diag($err);
is($node->safe_psql('utf', q{SELECT ts_head('café') ->> 'name'}), 'café', 'UTF8 database: reads back');
($state, $err) = run('utf', q{SELECT ts_internal.check_database()});
is($state, 'ok', 'UTF8 database: the check passes') or diag($err);

$node->stop;
done_testing();
