# NOTIFY temporal_store: one notification per writing transaction, naming
# no store (any role may LISTEN), only the newest change_id; none for a
# rolled-back or read-only transaction; a prepared transaction may write.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('notify');
$node->init;
$node->append_conf('postgresql.conf', "max_prepared_transactions = 2\n");
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION temporal_store');
$node->safe_psql('postgres', q{SELECT ts_create('secret_store_name', '{"n": 0}')});

# Runs $sql in one psql session after LISTEN; returns the notifications'
# payloads in order.
sub payloads_of
{
	my ($sql) = @_;
	my ($out, $err) = ('', '');
	$node->psql('postgres', "LISTEN temporal_store;\n$sql\nSELECT 'done';",
		stdout => \$out, stderr => \$err);
	my @p = ($out =~ /Asynchronous notification "temporal_store" with payload "(.*?)" received from/g);
	return @p;
}

# Many commits and events in one transaction: one notification, the newest id.
my @p = payloads_of(q{
	BEGIN;
	SELECT ts_commit('secret_store_name', jsonb_build_object('n', i)) FROM generate_series(1, 500) i;
	SELECT ts_branch('secret_store_name', 'dev');
	SELECT ts_tag('secret_store_name', 'v1.0');
	COMMIT;});
is(scalar(@p), 1, 'one notification for a transaction of 500 commits, a branch and a tag');
like($p[0] // '', qr/^\{"change_id": \d+\}$/, 'the payload is {"change_id": n}');
unlike($p[0] // '', qr/secret_store_name/, 'the payload names no store');
my $newest = $node->safe_psql('postgres',
	q{SELECT greatest((SELECT max(change_id) FROM ts_internal.versions), (SELECT max(change_id) FROM ts_internal.events))});
is($p[0], qq({"change_id": $newest}), 'the payload carries the newest change_id');

# Each autocommitted write notifies once.
@p = payloads_of(q{
	SELECT ts_commit('secret_store_name', '{"n": -1}');
	SELECT ts_commit('secret_store_name', '{"n": -2}');});
is(scalar(@p), 2, 'two autocommitted commits, two notifications');

# Nothing for a rollback or a transaction that only read.
@p = payloads_of(q{
	BEGIN; SELECT ts_commit('secret_store_name', '{"n": 7}'); ROLLBACK;
	SELECT ts_head('secret_store_name');});
is(scalar(@p), 0, 'no notification for a rollback or a read');

# A commit in a prepared transaction works (NOTIFY is not allowed there).
my ($rc, $out, $err) = $node->psql('postgres', q{
	BEGIN; SELECT ts_commit('secret_store_name', '{"n": 8}'); PREPARE TRANSACTION 'p1';
	COMMIT PREPARED 'p1';});
is($rc, 0, 'a commit can be prepared') or diag($err);
is($node->safe_psql('postgres', q{SELECT ts_head('secret_store_name')->'n'}), '8', 'and is there after COMMIT PREPARED');

$node->stop;
done_testing();
