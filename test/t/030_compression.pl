# temporal_store.compression_threshold and compression_level changed between
# commits (-1 = never, 0 = everything, a threshold above the documents;
# levels 0, 1, 6, 9) over documents small and large, full states, JSON
# Patch and merge-patch payloads: every version reads back identical, the
# 'compressed' flag of ts_events' payload says what was stored, and
# ts_verify finds nothing.
#
# Where the flag is determined:
#   threshold -1                       never compressed
#   level 0 (zlib "store")             never compressed: nothing to gain
#   payload body above the threshold,  compressed (the large documents here
#   level >= 1, compressible body      are highly compressible)
#   payload body below the threshold   not compressed
# Small payloads with threshold 0 may or may not pay; only the agreement of
# the flag with the stored header byte is checked for them.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('compression');
$node->init;
$node->append_conf('postgresql.conf', "max_worker_processes = 0\n");  # no snapshots in between
$node->start;

$node->safe_psql(
	'postgres', q{
CREATE EXTENSION temporal_store;
SELECT ts_create('z', '{"start": true}');
CREATE TABLE expected (v bigint PRIMARY KEY, doc jsonb, phase text, threshold int, level int,
                       kind text, body_bytes int);
INSERT INTO expected VALUES (1, '{"start": true}', 'create', 256, 6, 'small', 20);
-- One phase: commits of every kind under the session's settings. body_bytes
-- is a lower bound of the payload body (the text the change carries).
CREATE FUNCTION run_phase(phase text, thr int, lvl int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE d jsonb; prev jsonb; v bigint; k text; n int := 0; p jsonb; lb int;
BEGIN
  FOREACH k IN ARRAY ARRAY['small', 'big', 'small2', 'rand', 'medium', 'bigpatch', 'huge',
                           'jsonpatch', 'small', 'big'] LOOP
    n := n + 1;
    prev := (SELECT e.doc FROM expected e ORDER BY e.v DESC LIMIT 1);
    IF k = 'bigpatch' THEN
      p := jsonb_build_object('bp', repeat('merge-' || phase || n, 700));
      lb := length(p::text);
      v := ts_patch('z', p);
      d := prev || p;
    ELSIF k = 'jsonpatch' THEN
      p := jsonb_build_array(jsonb_build_object('op', 'add', 'path', '/jp',
                                                'value', repeat('json-' || phase || n, 800)));
      lb := length(p::text);
      v := ts_patch('z', p);
      d := jsonb_set(prev, '{jp}', p->0->'value');
    ELSE
      d := CASE k
        WHEN 'small'  THEN jsonb_build_object('phase', phase, 'n', n)
        WHEN 'small2' THEN jsonb_build_object('phase', phase, 'n', n, 'x', 1.10)
        WHEN 'big'    THEN jsonb_build_object('phase', phase, 'big', repeat('abcdefgh' || phase || n, 1000))
        WHEN 'huge'   THEN jsonb_build_object('phase', phase, 'huge', repeat('0123456789' || phase || n, 20000))
        WHEN 'rand'   THEN jsonb_build_object('phase', phase, 'rand',
                             (SELECT jsonb_agg(md5(phase || n || '/' || g)) FROM generate_series(1, 120) g))
        WHEN 'medium' THEN jsonb_build_object('phase', phase, 'medium', repeat('m', 600), 'n', n)
      END;
      lb := CASE WHEN k LIKE 'small%' THEN 0 ELSE length(d::text) - 100 END;
      v := ts_commit('z', d);
    END IF;
    INSERT INTO expected VALUES (v, d, phase, thr, lvl, k, lb);
  END LOOP;
END $$;
});

# [name, threshold, level]; undef means RESET (the defaults, 256 and 6).
my @phases = (
	[ 'default', undef, undef ],
	[ 'never',   -1,    6 ],
	[ 'all9',    0,     9 ],
	[ 'all1',    0,     1 ],
	[ 'store0',  0,     0 ],
	[ 'high',    100000, 6 ],
	[ 'def9',    256,   9 ],
	[ 'never9',  -1,    9 ],
	[ 'all6',    0,     6 ],
);
is($node->safe_psql('postgres', "LOAD 'temporal_store';\nSHOW temporal_store.compression_threshold"), '256B', 'default threshold is 256 bytes');
is($node->safe_psql('postgres', "LOAD 'temporal_store';\nSHOW temporal_store.compression_level"), '6', 'default level is 6');
for my $ph (@phases)
{
	my ($name, $thr, $lvl) = @$ph;
	my $set =
	  defined $thr
	  ? "SET temporal_store.compression_threshold = $thr; SET temporal_store.compression_level = $lvl;"
	  : 'RESET temporal_store.compression_threshold; RESET temporal_store.compression_level;';
	$thr //= 256;
	$lvl //= 6;
	$node->safe_psql('postgres', "$set SELECT run_phase('$name', $thr, $lvl);");
}

# Invalid settings are refused by the GUC machinery, not stored.
for my $bad ('compression_level = 10', 'compression_level = -2', 'compression_threshold = -2')
{
	my ($ret, $out, $err) =
	  $node->psql('postgres', "\\set VERBOSITY verbose\nLOAD 'temporal_store';\nSET temporal_store.$bad", on_error_stop => 1);
	like($err, qr/ERROR:\s+22023:/, "SET temporal_store.$bad fails with 22023");
}

my $nversions = $node->safe_psql('postgres', q{SELECT versions FROM ts_stores() WHERE store = 'z'});
is($nversions, $node->safe_psql('postgres', 'SELECT count(*) FROM expected'), "all $nversions versions recorded");

is( $node->safe_psql(
		'postgres', q{SELECT count(*) FROM expected WHERE ts_as_of('z', v)::text IS DISTINCT FROM doc::text}),
	'0',
	'every version reads back identical');
is( $node->safe_psql(
		'postgres', q{SET temporal_store.cache_size = 0;
		SELECT count(*) FROM (SELECT * FROM expected ORDER BY v DESC) e
		WHERE ts_as_of('z', e.v)::text IS DISTINCT FROM e.doc::text}),
	'0',
	'every version reads back identical with the cache off, newest first');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_verify('z')}), '0', 'ts_verify reports nothing');

# The flag per version, with the stored header's compression byte
# (src/core/payload_codec.hpp: byte 2, 0 none, 1 zlib).
my $rows = $node->safe_psql(
	'postgres', q{
SELECT e.v, e.phase, e.kind, e.threshold, e.level, e.body_bytes,
       (p.payload->>'compressed'), p.payload->>'encoding', get_byte(iv.payload, 2), octet_length(iv.payload)
FROM expected e
JOIN ts_events('z') p ON p.version = e.v AND p.payload ? 'encoding'
JOIN ts_internal.versions iv ON iv.version = e.v
 AND iv.store_id = (SELECT store_id FROM ts_internal.stores WHERE name = 'z' AND dropped_at IS NULL)
ORDER BY e.v});
my (%bad, %checked, $consistent, $n);
$consistent = 0;
for my $row (split /\n/, $rows)
{
	my ($v, $phase, $kind, $thr, $lvl, $lb, $flag, $enc, $hdr, $bytes) = split /\|/, $row;
	$n++;
	$consistent++ if ($flag eq 'true') == ($hdr == 1);
	my $expect;
	if ($thr == -1 || $lvl == 0) { $expect = 'false'; }
	elsif ($kind !~ /^small/ && $lb > $thr) { $expect = 'true'; }
	elsif ($kind !~ /^small/ && $thr == 100000 && $lb < 90000) { $expect = 'false'; }
	elsif ($kind =~ /^small/ && $thr >= 256) { $expect = 'false'; }
	next unless defined $expect;
	$checked{"$phase/$kind"} = 1;
	push @{ $bad{"$phase (threshold $thr, level $lvl)"} }, "v$v $kind $enc: compressed=$flag, expected $expect"
	  if $flag ne $expect;
}
is($n, $nversions, 'ts_events describes every version payload');
is($consistent, $n, "the 'compressed' flag agrees with the stored payload for every version");
for my $ph (@phases)
{
	my ($name, $thr, $lvl) = @$ph;
	$thr //= 256;
	$lvl //= 6;
	my $key = "$name (threshold $thr, level $lvl)";
	is(join("\n", @{ $bad{$key} // [] }), '', "phase $key: 'compressed' flags as expected");
}
note('flag checked for: ' . join(' ', sort keys %checked));

# Level matters: the same large document stored at level 0 takes several
# times the bytes of level 9; threshold -1 keeps it raw.
my $sizes = $node->safe_psql(
	'postgres', q{
SELECT e.phase, octet_length(iv.payload) FROM expected e
JOIN ts_internal.versions iv ON iv.version = e.v
 AND iv.store_id = (SELECT store_id FROM ts_internal.stores WHERE name = 'z' AND dropped_at IS NULL)
WHERE e.kind = 'huge' ORDER BY e.v});
my %huge = map { split /\|/ } split /\n/, $sizes;
note(join(', ', map { "$_: $huge{$_} bytes" } sort keys %huge));
ok($huge{store0} > 5 * $huge{all9}, "level 0 stores the huge document raw ($huge{store0} > 5 x $huge{all9})");
ok($huge{never} > 5 * $huge{all1}, "threshold -1 stores it raw ($huge{never} > 5 x $huge{all1})");
ok($huge{all9} <= $huge{all1}, "level 9 is no larger than level 1 ($huge{all9} <= $huge{all1})");

# Full-state payloads carry the exact committed document.
is( $node->safe_psql(
		'postgres', q{SELECT count(*) FROM expected e JOIN ts_events('z') p ON p.version = e.v
		  WHERE p.payload->>'encoding' = 'full' AND (p.payload->'state')::text IS DISTINCT FROM e.doc::text}),
	'0',
	"ts_events' full-state payloads equal the committed documents");

# Snapshots built under either setting read the same.
$node->safe_psql(
	'postgres', q{
SET temporal_store.compression_threshold = 0; SET temporal_store.compression_level = 9;
SELECT ts_snapshot('z', v::text) FROM expected WHERE v % 3 = 0;
SET temporal_store.compression_threshold = -1;
SELECT ts_snapshot('z', v::text) FROM expected WHERE v % 3 = 1;
});
is( $node->safe_psql(
		'postgres', q{SET temporal_store.cache_size = 0;
		SELECT count(*) FROM expected WHERE ts_as_of('z', v)::text IS DISTINCT FROM doc::text}),
	'0',
	'every version reads back identical through snapshots of either compression');
# Snapshots of states of 8 kB or more are kept as jsonb (payload kind 6),
# compressed or not like any other body.
is( $node->safe_psql(
		'postgres', q{SELECT count(*) FILTER (WHERE get_byte(state, 2) = 1) > 0
		                 AND count(*) FILTER (WHERE get_byte(state, 2) = 0) > 0
		  FROM ts_internal.snapshots WHERE get_byte(state, 1) = 6}),
	't',
	'snapshots of large states are jsonb, both compressed and raw');
is($node->safe_psql('postgres', q{SELECT count(*) FROM ts_verify('z')}), '0', 'ts_verify still reports nothing');

$node->stop;
done_testing();
