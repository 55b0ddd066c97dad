# pg_dump of a database with stores, restored into a fresh database with the
# extension available, gives identical stores, versions, branches, tags and
# hashes; roles by name; user tables holding temporal_store values (with a
# UNIQUE index) restore too; and writing goes on afterwards.
#
# The source database has: commits, merge and JSON patches, branches (one
# merged with a merge version, one fast-forwarded, one renamed, one dropped,
# one reset), tags (one dropped), revert, cherry-pick, restore, a store owned
# by another role, grants, a dropped store whose name was reused, a
# compacted store, explicit snapshots, a large document with a snapshot kept
# as jsonb, unicode messages and metadata.
# It is dumped in custom and plain formats and restored into fresh databases
# on the same node and into a second node; every restored database must
# answer every reading function exactly as the source does.
use strict;
use warnings;

use File::Spec;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->start;

$node->safe_psql('postgres', q{CREATE ROLE alice LOGIN; CREATE ROLE bob LOGIN; CREATE DATABASE src;});
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
SELECT ts_grant('cfg', 'alice', 'write');
SELECT ts_grant('cfg', 'bob', 'read');
SELECT ts_snapshot('cfg', 'main~1');
SELECT ts_snapshot('cfg', 'v1.0');

SET ROLE alice;
SELECT ts_commit('cfg', '{"name": "app3", "limits": {"cpu": 8}}', 'by alice', '{"who": "alice"}');
SELECT ts_create('alice_store', '[1, 2, 3]', 'alice''s', '{"k": "ü ☃"}');
SELECT ts_commit('alice_store', '[1, 2, 3, 4.0]', 'message with ünïcödé ☃ and a
newline');
SELECT ts_commit('alice_store', '"scalar"');
SELECT ts_commit('alice_store', 'null', NULL, '{"n": 1.50}');
SELECT ts_grant('alice_store', 'bob', 'admin');
RESET ROLE;

SELECT ts_create('gone', '{"x": 1}');
SELECT ts_commit('gone', '{"x": 2}');
SELECT ts_drop('gone');
SELECT ts_create('gone', '{"again": true}');
SELECT ts_commit('gone', '{"again": false}');

SELECT ts_create('old', '{"n": 0}');
SELECT ts_commit('old', jsonb_build_object('n', g, 'text', repeat(md5(g::text), 20))) FROM generate_series(1, 30) g;
SELECT ts_tag('old', 'keep', '10');
SELECT ts_compact('old', (SELECT committed_at FROM ts_version('old', '20')));

-- A large document: its snapshot is stored as jsonb (payload kind 6) and
-- reads replay onto it; its event payloads keep the portable compact form.
SELECT ts_create('big', (SELECT jsonb_build_object('items', jsonb_agg(jsonb_build_object(
         'id', g, 'name', 'item ' || g, 'tags', jsonb_build_array('a', g, g * 1.5)))) FROM generate_series(1, 300) g));
SELECT ts_patch('big', jsonb_build_array(jsonb_build_object('op', 'replace', 'path', '/items/' || g || '/name',
                                                            'value', 'renamed ' || g))) FROM generate_series(1, 20) g;
SELECT ts_commit('big', ts_head('big') - 'items' || '{"items": []}');
SELECT ts_snapshot('big', 'main~6');

CREATE TABLE app_config (id serial PRIMARY KEY, label text NOT NULL, store temporal_store NOT NULL UNIQUE);
INSERT INTO app_config (label, store) VALUES
  ('main config', 'cfg'), ('alice', 'alice_store'), ('recreated', 'gone'), ('compacted', 'old');
ALTER TABLE app_config OWNER TO alice;

-- A reading helper that reports errors (compacted versions) as their SQLSTATE.
CREATE FUNCTION state_md5(s temporal_store, v bigint) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  RETURN md5(ts_as_of(s, v)::text);
EXCEPTION WHEN OTHERS THEN
  RETURN 'ERROR ' || SQLSTATE;
END $$;
});
pass('source database built');

# Every answer that must survive dump and restore, by section.
my %SECTIONS = (
	stores => q{SELECT store, owner, created_at, versions, branches, head_version
	            FROM ts_stores() ORDER BY store::text COLLATE "C"},
	versions => q{SELECT s.store, g, to_jsonb(ts_version(s.store, g::text))
	              FROM ts_stores() s, generate_series(1, s.versions) g ORDER BY s.store::text COLLATE "C", g},
	hashes => q{SELECT s.store, g, encode((ts_version(s.store, g::text)).hash, 'hex')
	            FROM ts_stores() s, generate_series(1, s.versions) g ORDER BY s.store::text COLLATE "C", g},
	log => q{SELECT s.store, b.branch, l.* FROM ts_stores() s, ts_branches(s.store) b, ts_log(s.store, b.branch) l
	         ORDER BY s.store::text COLLATE "C", b.branch COLLATE "C", l.version DESC},
	log_first_parent => q{SELECT s.store, l.version FROM ts_stores() s,
	                      ts_log(s.store, first_parent => true) l ORDER BY s.store::text COLLATE "C", l.version DESC},
	branches => q{SELECT s.store, b.* FROM ts_stores() s, ts_branches(s.store) b
	              ORDER BY s.store::text COLLATE "C", b.branch COLLATE "C"},
	tags => q{SELECT s.store, t.* FROM ts_stores() s, ts_tags(s.store) t
	          ORDER BY s.store::text COLLATE "C", t.tag COLLATE "C"},
	states => q{SELECT s.store, g, state_md5(s.store, g)
	            FROM ts_stores() s, generate_series(1, s.versions) g ORDER BY s.store::text COLLATE "C", g},
	heads => q{SELECT s.store, b.branch, md5(ts_head(s.store, b.branch)::text) FROM ts_stores() s, ts_branches(s.store) b
	           ORDER BY s.store::text COLLATE "C", b.branch COLLATE "C"},
	events => q{SELECT s.store, e.* FROM ts_stores() s, ts_events(s.store) e ORDER BY s.store::text COLLATE "C", e.seq},
	diffs => q{SELECT s.store, ts_diff(s.store, 'main~1', 'main') FROM ts_stores() s
	           WHERE s.versions > 1 AND s.store::text <> 'old' ORDER BY s.store::text COLLATE "C"},
	user_table => q{SELECT * FROM app_config ORDER BY id},
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

# Privilege behaviour, as SQLSTATEs ('ok' when it works); writes roll back.
sub sqlstate_of
{
	my ($n, $db, $sql) = @_;
	my ($ret, $out, $err) = $n->psql($db, "\\set VERBOSITY verbose\n$sql", on_error_stop => 1);
	return 'ok' if $ret == 0;
	return $1 if $err =~ /ERROR:\s+([0-9A-Z]{5}):/;
	return "no SQLSTATE (psql exit $ret): $err";
}
my @PRIV = (
	[ 'bob reads cfg',             q{SET ROLE bob; SELECT ts_head('cfg');} ],
	[ 'bob cannot commit to cfg',  q{BEGIN; SET ROLE bob; SELECT ts_commit('cfg', '{}'); ROLLBACK;} ],
	[ 'alice commits to cfg',      q{BEGIN; SET ROLE alice; SELECT ts_commit('cfg', '{}'); ROLLBACK;} ],
	[ 'alice cannot reset cfg',    q{BEGIN; SET ROLE alice; SELECT ts_reset('cfg', 'main', '1'); ROLLBACK;} ],
	[ 'bob administers alice_store', q{BEGIN; SET ROLE bob; SELECT ts_reset('alice_store', 'main', '1'); ROLLBACK;} ],
	[ 'bob cannot read old',       q{SET ROLE bob; SELECT ts_head('old');} ],
	[ 'PUBLIC cannot touch ts_internal', q{SET ROLE bob; SELECT count(*) FROM ts_internal.versions;} ],
);
sub privileges
{
	my ($n, $db) = @_;
	return join("\n", map { "$_->[0]: " . sqlstate_of($n, $db, $_->[1]) } @PRIV);
}

my $src_fp   = fingerprint($node, 'src');
my $src_priv = privileges($node, 'src');
for my $k (sort keys %SECTIONS)
{
	my $rows = () = $src_fp->{$k} =~ /^/mg;
	ok($src_fp->{$k} ne '', "source $k: $rows rows");
}
is( $src_priv, join("\n",
		'bob reads cfg: ok',
		'bob cannot commit to cfg: 42501',
		'alice commits to cfg: ok',
		'alice cannot reset cfg: 42501',
		'bob administers alice_store: ok',
		'bob cannot read old: 42501',
		'PUBLIC cannot touch ts_internal: 42501'),
	'privileges in the source');
is($node->safe_psql('src', q{SELECT count(*) FROM ts_stores() s, ts_verify(s.store)}), '0',
	'source: ts_verify reports nothing');
is( $node->safe_psql(
		'src', q{SELECT (SELECT count(*) FROM ts_internal.versions WHERE get_byte(payload, 1) = 6) || '/'
		             || (SELECT count(*) FROM ts_internal.snapshots WHERE get_byte(state, 1) = 6)}),
	'0/2', 'source: the large store\'s snapshots (version 1\'s and an explicit one) are jsonb, its event payloads are not');
note('source: ' . $node->safe_psql('src', q{SELECT string_agg(store || '=' || versions, ' ') FROM ts_stores()}));

my $max_change = q{SELECT max(change_id) FROM (SELECT change_id FROM ts_internal.versions
                   UNION ALL SELECT change_id FROM ts_internal.events) x};
my $src_max_change = $node->safe_psql('src', $max_change);
my $src_max_store  = $node->safe_psql('src', 'SELECT max(store_id) FROM ts_internal.stores');

# ---------------------------------------------------------------------------
my $dir    = $node->basedir;
my $custom = File::Spec->catfile($dir, 'src.dump');
my $plain  = File::Spec->catfile($dir, 'src.sql');
$node->command_ok([ 'pg_dump', '-Fc', '-f', $custom, '-d', 'src' ], 'pg_dump custom format');
$node->command_ok([ 'pg_dump', '-Fp', '-f', $plain,  '-d', 'src' ], 'pg_dump plain format');

$node->safe_psql('postgres', 'CREATE DATABASE r_custom; CREATE DATABASE r_plain;');
$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', 'r_custom', $custom ], 'pg_restore into a fresh database');
$node->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', $plain, '-d', 'r_plain' ],
	'plain dump replays into a fresh database');

my $node2 = PostgreSQL::Test::Cluster->new('dump2');
$node2->init;
$node2->start;
# Other roles first and in another order, so that role OIDs differ from the
# source's: roles must be recorded by name.
$node2->safe_psql('postgres',
	q{CREATE ROLE filler1; CREATE ROLE filler2; CREATE ROLE filler3; CREATE ROLE bob LOGIN; CREATE ROLE alice LOGIN;
	  CREATE DATABASE r2;});
isnt($node2->safe_psql('postgres', q{SELECT oid FROM pg_roles WHERE rolname = 'alice'}),
	$node->safe_psql('postgres', q{SELECT oid FROM pg_roles WHERE rolname = 'alice'}),
	'the second node gives alice another OID');
$node2->command_ok([ 'pg_restore', '--exit-on-error', '-d', 'r2', $custom ], 'pg_restore into a second node');

for my $target ([ $node, 'r_custom' ], [ $node, 'r_plain' ], [ $node2, 'r2' ])
{
	my ($n, $db) = @$target;
	my $label = $n->name . "/$db";
	my $fp = fingerprint($n, $db);
	for my $k (sort keys %SECTIONS)
	{
		is($fp->{$k}, $src_fp->{$k}, "$label: $k identical to the source");
	}
	is($n->safe_psql($db, q{SELECT count(*) FROM ts_stores() s, ts_verify(s.store)}), '0',
		"$label: ts_verify reports nothing");
	is(privileges($n, $db), $src_priv, "$label: privileges as in the source");
	is( $n->safe_psql($db, q{SELECT count(*) FROM ts_stores() WHERE store::text = 'gone'}),
		'1', "$label: the dropped store stays dropped, its reused name is live");
	is(sqlstate_of($n, $db, q{SELECT ts_as_of('old', 5::bigint)}), 'TS002',
		"$label: a compacted version is still TS002");

	# The user table: its UNIQUE index and the type's existence check work.
	is(sqlstate_of($n, $db, q{INSERT INTO app_config (label, store) VALUES ('dup', 'cfg')}),
		'23505', "$label: UNIQUE on the temporal_store column holds");
	is(sqlstate_of($n, $db, q{INSERT INTO app_config (label, store) VALUES ('x', 'no_such_store')}),
		'42704', "$label: unknown store names are refused");
	is($n->safe_psql($db, q{SELECT label FROM app_config WHERE store = 'alice_store'::temporal_store}),
		'alice', "$label: lookups by store through the index");

	# Writing goes on: versions, store ids and change ids continue.
	my $v = $n->safe_psql($db, q{SELECT versions FROM ts_stores() WHERE store = 'cfg'});
	is($n->safe_psql($db, q{SELECT ts_commit('cfg', '{"after": "restore"}', 'after restore')}),
		$v + 1, "$label: the next commit on cfg is version " . ($v + 1));
	is($n->safe_psql($db, q{SELECT ts_head('cfg')::text}), '{"after": "restore"}', "$label: and reads back");
	ok($n->safe_psql($db, $max_change) > $src_max_change, "$label: change ids continue after the dumped ones");
	is($n->safe_psql($db, q{SET ROLE alice; SELECT ts_commit('alice_store', '[5]')}), '5',
		"$label: the other owner's store takes commits");
	is($n->safe_psql($db, q{SELECT ts_create('brand_new', '{"fresh": 1}')}), 'brand_new',
		"$label: a new store can be created");
	ok($n->safe_psql($db, q{SELECT store_id FROM ts_internal.stores WHERE name = 'brand_new'}) > $src_max_store,
		"$label: store ids continue after the dumped ones");
	is($n->safe_psql($db, q{SELECT ts_merge('cfg', 'hotfix-1', 'feature')}) > 0, 1,
		"$label: merging restored branches works");
	is($n->safe_psql($db, q{SELECT count(*) FROM ts_stores() s, ts_verify(s.store)}), '0',
		"$label: ts_verify still reports nothing after the new writes");
}

$node2->stop;
$node->stop;
done_testing();
