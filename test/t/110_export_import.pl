# ts_export to a file with COPY ... TO, COPY ... FROM that file into a
# table of another database of the same cluster and of another cluster,
# ts_import there: the imported store answers every reading function as
# the exported one does (every version's record, hash and state, branches,
# tags, the log of every branch, the events, every branch as of every
# moment), and its own export is the same file byte for byte. A large
# document (snapshotted as jsonb by the import) and a compacted prefix
# are part of the history; a role without superuser rights imports from a
# table it may read and owns the result.
use strict;
use warnings;

use File::Compare;
use File::Spec;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('export');
$node->init;
$node->start;
$node->safe_psql('postgres', q{CREATE ROLE alice LOGIN; CREATE DATABASE src; CREATE DATABASE dst;});
$node->safe_psql(
	'src', q{
CREATE EXTENSION temporal_store;
SELECT ts_create('cfg', '{"name": "app", "limits": {"cpu": 1, "mem": 512}, "flags": []}', 'initial',
                 '{"ticket": "T-1"}');
SELECT ts_commit('cfg', '{"name": "app", "limits": {"cpu": 2, "mem": 512}, "flags": []}', 'more cpu');
SELECT ts_patch('cfg', '{"limits": {"mem": 1024}}', 'merge patch', '{"ticket": "T-2"}');
SELECT ts_patch('cfg', '[{"op": "add", "path": "/flags/-", "value": "beta"}]', 'json patch');
SELECT ts_tag('cfg', 'v1.0', NULL, 'first release');
SELECT ts_branch('cfg', 'feature');
SELECT ts_commit('cfg', '{"name": "app", "limits": {"cpu": 2, "mem": 1024}, "flags": ["beta"], "feature": true}',
                 'feature on', branch => 'feature');
SELECT ts_commit('cfg', '{"name": "app2", "limits": {"cpu": 2, "mem": 1024}, "flags": ["beta"]}', 'rename app');
SELECT ts_merge('cfg', 'feature', 'main', message => 'merge feature');
SELECT ts_branch('cfg', 'hotfix', 'v1.0');
SELECT ts_patch('cfg', '{"limits": {"cpu": 4}}', 'hotfix cpu', branch => 'hotfix');
SELECT ts_cherry_pick('cfg', 'hotfix', 'cherry-pick hotfix');
SELECT ts_revert('cfg', 'feature', 'revert feature');
SELECT ts_restore('cfg', 'v1.0', 'back to v1.0');
SELECT ts_branch('cfg', 'tmp');
SELECT ts_commit('cfg', '{"tmp": 1}', branch => 'tmp');
SELECT ts_drop_branch('cfg', 'tmp');
SELECT ts_rename_branch('cfg', 'hotfix', 'hotfix-1');
SELECT ts_tag('cfg', 'gone-tag');
SELECT ts_drop_tag('cfg', 'gone-tag');
SELECT ts_branch('cfg', 'ff', 'main~2');
SELECT ts_merge('cfg', 'main', 'ff');
SELECT ts_reset('cfg', 'feature', 'v1.0', 'reset feature');
SELECT ts_snapshot('cfg', 'main~1');
SELECT ts_grant('cfg', 'alice', 'write');
SET ROLE alice;
SELECT ts_commit('cfg', '{"name": "app3", "limits": {"cpu": 8}, "text": "a \\\\ backslash, a\nnewline, a \"quote\", ☃"}',
                 'message with ünïcödé ☃ and a
newline', '{"who": "alice", "n": 1.50}');
RESET ROLE;
SELECT ts_commit('cfg', jsonb_build_object('n', g, 'text', repeat(md5(g::text), 20))) FROM generate_series(1, 30) g;
SELECT ts_tag('cfg', 'keep', 'main~20');
SELECT ts_compact('cfg', (SELECT committed_at FROM ts_version('cfg', 'main~10')));
-- A large document: full states with jsonb snapshots beside them.
SELECT ts_commit('cfg', (SELECT jsonb_build_object('items', jsonb_agg(jsonb_build_object(
         'id', g, 'name', 'item ' || g, 'tags', jsonb_build_array('a', g, g * 1.5)))) FROM generate_series(1, 300) g),
         'large');
SELECT ts_patch('cfg', jsonb_build_array(jsonb_build_object('op', 'replace', 'path', '/items/' || g || '/name',
                                                            'value', 'renamed ' || g))) FROM generate_series(1, 20) g;

CREATE FUNCTION state_md5(v bigint) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN md5(ts_as_of('cfg', v)::text);
EXCEPTION WHEN OTHERS THEN
  RETURN 'ERROR ' || SQLSTATE;
END $$;
CREATE FUNCTION rev_at(t timestamptz, b text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN ts_resolve('cfg', b || '@{' || t::text || '}')::text;
EXCEPTION WHEN OTHERS THEN
  RETURN 'ERROR ' || SQLSTATE;
END $$;
});
pass('source store built');

my $helpers = $node->safe_psql('src',
	q{SELECT string_agg(pg_get_functiondef(p.oid), E';\n') || ';' FROM pg_proc p
	  WHERE p.proname IN ('state_md5', 'rev_at')});

# Every answer that must survive the trip, by section.
my %SECTIONS = (
	versions => q{SELECT g, to_jsonb(ts_version('cfg', g::text))
	              FROM generate_series(1, (SELECT versions FROM ts_stores() WHERE store = 'cfg')) g ORDER BY g},
	states => q{SELECT g, state_md5(g)
	            FROM generate_series(1, (SELECT versions FROM ts_stores() WHERE store = 'cfg')) g ORDER BY g},
	branches => q{SELECT * FROM ts_branches('cfg') ORDER BY branch COLLATE "C"},
	heads => q{SELECT b.branch, md5(ts_head('cfg', b.branch)::text) FROM ts_branches('cfg') b
	           ORDER BY b.branch COLLATE "C"},
	tags => q{SELECT * FROM ts_tags('cfg') ORDER BY tag COLLATE "C"},
	log => q{SELECT b.branch, l.* FROM ts_branches('cfg') b, ts_log('cfg', b.branch) l
	         ORDER BY b.branch COLLATE "C", l.version DESC},
	events => q{SELECT * FROM ts_events('cfg') ORDER BY seq},
	as_of => q{WITH t AS (SELECT committed_at AS at FROM ts_events('cfg')),
	                m AS (SELECT at FROM t UNION SELECT at - interval '1 microsecond' FROM t)
	           SELECT m.at, b.branch, rev_at(m.at, b.branch) FROM m, ts_branches('cfg') b
	           ORDER BY m.at, b.branch COLLATE "C"},
	verify => q{SELECT * FROM ts_verify('cfg')},
);

sub fingerprint
{
	my ($n, $db) = @_;
	my %fp;
	for my $k (sort keys %SECTIONS)
	{
		$fp{$k} = $n->safe_psql($db, "SET TimeZone = 'UTC';\n$SECTIONS{$k}");
	}
	return \%fp;
}

my $src_fp = fingerprint($node, 'src');
for my $k (sort grep { $_ ne 'verify' } keys %SECTIONS)
{
	my $rows = () = $src_fp->{$k} =~ /^/mg;
	ok($src_fp->{$k} ne '', "source $k: $rows rows");
}
like($src_fp->{states}, qr/ERROR TS002/, 'the source has compacted versions');
is($node->safe_psql('src', q{SELECT count(*) FROM ts_events('cfg') WHERE payload->>'encoding' = 'full'}) > 2,
	1, 'the source has several full states');

my $dir  = $node->basedir;
my $file = File::Spec->catfile($dir, 'cfg.export');
$node->safe_psql('src', "COPY (SELECT * FROM ts_export('cfg')) TO '$file'");
my $lines = $node->safe_psql('src', q{SELECT count(*) FROM ts_export('cfg')});
ok(-s $file, "COPY ... TO wrote the export ($lines lines)");

sub import_into
{
	my ($n, $db, $name) = @_;
	$n->safe_psql($db, "CREATE EXTENSION IF NOT EXISTS temporal_store; CREATE TABLE lines (line jsonb);
	                    COPY lines FROM '$file'; $helpers");
	# Snapshots every 10 deltas: the large document's chain gets some.
	return $n->safe_psql($db, "SET temporal_store.snapshot_interval = 10; SELECT ts_import('$name', 'lines')");
}

my $node2 = PostgreSQL::Test::Cluster->new('export2');
$node2->init;
$node2->start;
$node2->safe_psql('postgres', q{CREATE ROLE alice LOGIN; CREATE DATABASE other;});

for my $target ([ $node, 'dst' ], [ $node2, 'other' ])
{
	my ($n, $db) = @$target;
	my $label = $n->name . "/$db";
	is(import_into($n, $db, 'cfg'), 'cfg', "$label: COPY FROM the file and ts_import");
	my $fp = fingerprint($n, $db);
	for my $k (sort keys %SECTIONS)
	{
		is($fp->{$k}, $src_fp->{$k}, "$label: $k identical to the source");
	}
	my $again = File::Spec->catfile($n->basedir, "$db.export");
	$n->safe_psql($db, "COPY (SELECT * FROM ts_export('cfg')) TO '$again'");
	is(compare($file, $again), 0, "$label: its export is the same file");
	ok($n->safe_psql($db, q{SELECT count(*) FROM ts_internal.snapshots n JOIN ts_internal.stores s USING (store_id)
	                        WHERE s.name = 'cfg' AND get_byte(n.state, 1) = 6}) > 0,
		"$label: the import snapshotted the large document's chain as jsonb");
	my $v = $n->safe_psql($db, q{SELECT versions FROM ts_stores() WHERE store = 'cfg'});
	is($n->safe_psql($db, q{SELECT ts_commit('cfg', '{"after": "import"}')}), $v + 1,
		"$label: commits go on after the import");
	is($n->safe_psql($db, q{SELECT count(*) FROM ts_verify('cfg')}), '0', "$label: ts_verify after a new commit");
}

# A role without superuser rights imports from a table it may read and
# owns the new store; the authors stay as recorded.
$node2->safe_psql('other', q{GRANT SELECT ON lines TO alice});
is($node2->safe_psql('other', q{SET ROLE alice; SELECT ts_import('alices', 'lines')}), 'alices',
	'alice imports from a table she may read');
is($node2->safe_psql('other', q{SELECT owner FROM ts_stores() WHERE store = 'alices'}), 'alice', 'alice owns it');
is( $node2->safe_psql(
		'other', q{SELECT string_agg(DISTINCT author, ',' ORDER BY author) FROM ts_log('alices', 'main')}),
	$node->safe_psql('src', q{SELECT string_agg(DISTINCT author, ',' ORDER BY author) FROM ts_log('cfg', 'main')}),
	'authors as recorded, not the importer');
is( $node2->safe_psql(
		'other', q{SELECT bool_and((ts_version('alices', g::text)).hash = (ts_version('cfg', g::text)).hash)
		           FROM generate_series(1, 40) g}),
	't', 'hashes do not depend on the store name');

$node2->stop;
$node->stop;
done_testing();
