# Conformance of the JSON building blocks against the shared public suites.
#
#   json-patch/tests.json, json-patch/spec_tests.json  -> ts_json_patch (RFC 6902)
#   json-merge-patch/rfc7396.json                      -> ts_json_merge_patch (RFC 7396)
#   every doc/expected value of those files, pairwise  -> ts_json_diff round trip:
#       ts_json_patch(a, ts_json_diff(a, b))::text = b::text
#
# The data lives outside the repository, in $TS_CONFORMANCE_DIR (test/run_all.sh
# sets it); without it, ../shared/conformance beside the repository is used.
# Missing data is a failure, never a silent skip.
#
# All records of a suite run in one SQL round trip: the files are loaded into
# a table once, and a plpgsql helper applies each record, catching any error
# and returning its SQLSTATE. Every record is one TAP assertion.
#
# Comparison is exact: jsonb text output, so 1 and 1.0 differ (the contract
# compares values by their jsonb binary form). Inputs go through jsonb like
# everything the extension sees, so duplicate keys collapse (last wins), key
# order is normalised and 1e2 reads as 100; records that depend on such JSON
# text details cannot be expressed in jsonb and belong in %SKIP with a reason.
use strict;
use warnings;

use Cwd qw(abs_path);
use File::Basename qw(dirname);
use JSON::PP;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# Records that cannot be tested faithfully through jsonb, keyed by
# "file#index" (0-based position in the file's array) => reason.
# Records marked "disabled": true in the files are skipped by the suite's own
# convention and need no entry here.
my %SKIP = ();

# Extra documents for the diff round trip, beyond the files' doc/expected
# values: exactness (1 vs 1.0), pointer escaping, nesting, scalars.
my @EXTRA_DOCS = (
	'{"x": 1}',                         '{"x": 1.0}',
	'{"x": 1.00}',                      '[1, 1.0, -0, 0]',
	'{"a/b": {"m~n": [1, 2]}, "": 0}',  '{"~1": "/", "~0": "~"}',
	'[1, 2, 3]',                        '[3, 2, 1]',
	'[[1], [2], {"k": [3]}]',           '{"a": {"b": {"c": {"d": [null]}}}}',
	'"text"',                           '"caf\u00e9 \u2603"',
	'true',                             'null',
	'1e2',                              '[]',
	'{}',                               '[{}, [], "", 0, false, null]',
);

# Upper bound on the cross pairs checked by the round trip.
my $MAX_CROSS_PAIRS = 20000;

# ---------------------------------------------------------------------------
# Locate the data.
my $conf_dir = $ENV{TS_CONFORMANCE_DIR};
if (!defined $conf_dir || $conf_dir eq '')
{
	# test/t/001_conformance.pl -> <repo> -> <repo>/../shared/conformance
	my $repo = abs_path(dirname(abs_path(__FILE__)) . '/../..');
	$conf_dir = "$repo/../shared/conformance";
}
my %FILES = (
	tests      => "$conf_dir/json-patch/tests.json",
	spec_tests => "$conf_dir/json-patch/spec_tests.json",
	rfc7396    => "$conf_dir/json-merge-patch/rfc7396.json",
);
my @missing = grep { !-r $FILES{$_} } sort keys %FILES;
if (@missing)
{
	fail("conformance data found in $conf_dir");
	diag("missing or unreadable: $FILES{$_}") for @missing;
	diag('set TS_CONFORMANCE_DIR to the shared/conformance directory');
	done_testing();
	exit 0;
}
note("conformance data: $conf_dir");

my $json = JSON::PP->new->utf8->canonical;

# Raw file text (handed to SQL unchanged) and its decoded records.
my (%text, %records);
for my $suite (keys %FILES)
{
	$text{$suite} = slurp_file($FILES{$suite});
	$records{$suite} = $json->decode($text{$suite});
	die "$FILES{$suite}: not a JSON array" unless ref $records{$suite} eq 'ARRAY';
}

# ---------------------------------------------------------------------------
# A server with the extension and the helpers.
my $node = PostgreSQL::Test::Cluster->new('conformance');
$node->init;
$node->start;

$node->safe_psql('postgres',
	q{CREATE DATABASE conformance ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0});
$node->safe_psql('conformance', 'CREATE EXTENSION temporal_store');

$node->safe_psql('conformance', <<'SQL');
CREATE TABLE conf_records (suite text, idx int, rec jsonb, PRIMARY KEY (suite, idx));
CREATE TABLE conf_extra_docs (doc jsonb);

-- Apply one case, catching any error: kind 'patch', 'merge' or 'roundtrip'
-- (b is then the target document: result = patch(a, diff(a, b))).
CREATE FUNCTION conf_apply(kind text, a jsonb, b jsonb,
                           OUT result jsonb, OUT diff jsonb,
                           OUT state text, OUT msg text)
LANGUAGE plpgsql AS $fn$
BEGIN
  IF kind = 'patch' THEN
    result := ts_json_patch(a, b);
  ELSIF kind = 'merge' THEN
    result := ts_json_merge_patch(a, b);
  ELSIF kind = 'roundtrip' THEN
    diff := ts_json_diff(a, b);
    result := ts_json_patch(a, diff);
  ELSE
    RAISE EXCEPTION 'unknown kind %', kind;
  END IF;
EXCEPTION WHEN OTHERS THEN
  state := SQLSTATE;
  msg := SQLERRM;
END
$fn$;
SQL

# Load the files as they are, plus the extra documents.
{
	my $sql = "SET client_encoding = 'UTF8';\n";
	for my $suite (sort keys %text)
	{
		$sql .= "INSERT INTO conf_records SELECT " . quote($suite)
		  . ", (o - 1)::int, r FROM jsonb_array_elements("
		  . quote($text{$suite}) . "::jsonb) WITH ORDINALITY AS a(r, o);\n";
	}
	$sql .= "INSERT INTO conf_extra_docs VALUES "
	  . join(', ', map { '(' . quote($_) . '::jsonb)' } @EXTRA_DOCS) . ";\n";
	$node->safe_psql('conformance', $sql);
}

# Which records run: not disabled by the file, not in %SKIP.
my %active;    # suite => [idx, ...]
my %summary;   # suite => [passed, failed]
for my $suite (sort keys %records)
{
	my $recs = $records{$suite};
	for my $i (0 .. $#$recs)
	{
		my $r = $recs->[$i];
		my $key = "$suite.json#$i";
		if ($r->{disabled})
		{
			note("$key disabled by the suite: " . ($r->{comment} // ''));
			next;
		}
		if (exists $SKIP{$key})
		{
			diag("SKIP $key (" . ($r->{comment} // '') . "): $SKIP{$key}");
			next;
		}
		push @{ $active{$suite} }, $i;
	}
}

# ---------------------------------------------------------------------------
# JSON Patch and merge patch suites.
for my $suite (qw(tests spec_tests rfc7396))
{
	my $kind = $suite eq 'rfc7396' ? 'merge' : 'patch';
	my $fn = $kind eq 'merge' ? 'ts_json_merge_patch' : 'ts_json_patch';
	my $idx = $active{$suite} // [];
	my $rows = query_json(
		"$suite cases",
		sprintf(<<'SQL', quote($kind), quote($suite), join(',', @$idx)));
SELECT coalesce(jsonb_agg(jsonb_build_object(
         'idx', c.idx, 'state', x.state, 'msg', x.msg,
         'got', x.result::text,
         'want', (c.rec -> 'expected')::text,
         'equal', x.result::text = (c.rec -> 'expected')::text)
       ORDER BY c.idx), '[]')
FROM conf_records c,
     LATERAL conf_apply(%s, c.rec -> 'doc', c.rec -> 'patch') x
WHERE c.suite = %s AND c.idx = ANY ('{%s}'::int[])
SQL
	next unless $rows;

	my ($pass, $fail) = (0, 0);
	for my $row (@$rows)
	{
		my $r = $records{$suite}[ $row->{idx} ];
		my $name = "$suite.json#$row->{idx} " . ($r->{comment} // '');
		my $ok;
		my @why;
		if (exists $r->{error})
		{
			$ok = defined $row->{state} && $row->{state} eq '22023';
			push @why,
			  defined $row->{state}
			  ? "raised SQLSTATE $row->{state} ($row->{msg}), expected 22023"
			  : "no error; returned $row->{got}; expected error: $r->{error}";
			$name .= " [$fn raises 22023]";
		}
		elsif (exists $r->{expected})
		{
			$ok = !defined $row->{state} && $row->{equal};
			push @why,
			  defined $row->{state}
			  ? "raised SQLSTATE $row->{state}: $row->{msg}"
			  : "got  $row->{got}\nwant $row->{want}";
			$name .= " [$fn result]";
		}
		else
		{
			# No expectation in the record: it must simply apply.
			$ok = !defined $row->{state};
			push @why, "raised SQLSTATE " . ($row->{state} // '') . ": " . ($row->{msg} // '');
			$name .= " [$fn applies]";
		}
		ok($ok, $name) or diag(join("\n", @why));
		$ok ? $pass++ : $fail++;
	}
	$summary{"$suite ($fn)"} = [ $pass, $fail ];
}

# ---------------------------------------------------------------------------
# Diff round trip within each record: doc -> expected and expected -> doc.
{
	my @ids;
	for my $suite (sort keys %active)
	{
		push @ids, map { quote("$suite:$_") } @{ $active{$suite} };
	}
	my $rows = query_json('in-record round trips', sprintf(<<'SQL', join(',', @ids)));
SELECT coalesce(jsonb_agg(jsonb_build_object(
         'suite', c.suite, 'idx', c.idx,
         'fwd_ok', f.state IS NULL AND f.result::text = (c.rec -> 'expected')::text,
         'fwd', jsonb_build_object('state', f.state, 'msg', f.msg, 'diff', f.diff::text,
                                   'got', f.result::text),
         'back_ok', b.state IS NULL AND b.result::text = (c.rec -> 'doc')::text,
         'back', jsonb_build_object('state', b.state, 'msg', b.msg, 'diff', b.diff::text,
                                    'got', b.result::text),
         'doc', (c.rec -> 'doc')::text, 'expected', (c.rec -> 'expected')::text)
       ORDER BY c.suite, c.idx), '[]')
FROM conf_records c,
     LATERAL conf_apply('roundtrip', c.rec -> 'doc', c.rec -> 'expected') f,
     LATERAL conf_apply('roundtrip', c.rec -> 'expected', c.rec -> 'doc') b
WHERE c.suite || ':' || c.idx = ANY (ARRAY[%s]::text[])
  AND c.rec ? 'doc' AND c.rec ? 'expected'
SQL
	if ($rows)
	{
		my ($pass, $fail) = (0, 0);
		for my $row (@$rows)
		{
			my $ok = $row->{fwd_ok} && $row->{back_ok};
			ok($ok, "round trip $row->{suite}.json#$row->{idx}: doc <-> expected")
			  or diag(roundtrip_why('doc -> expected', $row->{doc}, $row->{expected}, $row->{fwd}, $row->{fwd_ok})
				. roundtrip_why('expected -> doc', $row->{expected}, $row->{doc}, $row->{back}, $row->{back_ok}));
			$ok ? $pass++ : $fail++;
		}
		$summary{'round trip within records (ts_json_diff)'} = [ $pass, $fail ];
	}
}

# ---------------------------------------------------------------------------
# Diff round trip across documents: every ordered pair of distinct documents
# (by jsonb text) from the active records' doc/expected values and the extra
# documents, bounded by $MAX_CROSS_PAIRS; one assertion per source document.
{
	my @ids;
	for my $suite (sort keys %active)
	{
		push @ids, map { quote("$suite:$_") } @{ $active{$suite} };
	}
	my $rows = query_json('cross-document round trips', sprintf(<<'SQL', join(',', @ids), $MAX_CROSS_PAIRS));
WITH docs AS (
  SELECT DISTINCT ON (d::text) d, d::text AS t
  FROM (SELECT c.rec -> k AS d
          FROM conf_records c, unnest(ARRAY['doc', 'expected']) AS k
         WHERE c.suite || ':' || c.idx = ANY (ARRAY[%s]::text[]) AND c.rec ? k
        UNION ALL
        SELECT doc FROM conf_extra_docs) s
  ORDER BY d::text
), numbered AS (
  SELECT row_number() OVER (ORDER BY t) AS n, d, t FROM docs
), pairs AS (
  SELECT a.n AS an, a.d AS ad, a.t AS at, b.d AS bd, b.t AS bt
  FROM numbered a JOIN numbered b ON a.n <> b.n
  ORDER BY a.n, b.n
  LIMIT %d
)
SELECT coalesce(jsonb_agg(jsonb_build_object(
         'a', p.an, 'at', p.at, 'bt', p.bt,
         'ok', x.state IS NULL AND x.result::text = p.bt,
         'x', jsonb_build_object('state', x.state, 'msg', x.msg, 'diff', x.diff::text,
                                 'got', x.result::text))
       ORDER BY p.an), '[]')
FROM pairs p, LATERAL conf_apply('roundtrip', p.ad, p.bd) x
SQL
	if ($rows)
	{
		my (%by_a, @order);
		for my $row (@$rows)
		{
			push @order, $row->{a} unless exists $by_a{ $row->{a} };
			push @{ $by_a{ $row->{a} } }, $row;
		}
		my ($pass, $fail, $pairs_bad) = (0, 0, 0);
		for my $src (@order)
		{
			my @bad = grep { !$_->{ok} } @{ $by_a{$src} };
			my $n = scalar @{ $by_a{$src} };
			my $at = $by_a{$src}[0]{at};
			my $short = length($at) > 60 ? substr($at, 0, 57) . '...' : $at;
			ok(!@bad, "round trip from $short to $n other documents")
			  or diag(join('', map { roundtrip_why("-> ", $_->{at}, $_->{bt}, $_->{x}, 0) }
				  @bad[ 0 .. ($#bad < 4 ? $#bad : 4) ])
				. (@bad > 5 ? '... and ' . (@bad - 5) . " more failing pairs\n" : ''));
			@bad ? $fail++ : $pass++;
			$pairs_bad += @bad;
		}
		note(scalar(@$rows) . " cross pairs checked, $pairs_bad failed");
		$summary{'round trip across documents (ts_json_diff)'} = [ $pass, $fail ];
	}
}

# ---------------------------------------------------------------------------
for my $s (sort keys %summary)
{
	diag(sprintf('%-45s %4d passed, %d failed', $s, @{ $summary{$s} }));
}
diag(scalar(keys %SKIP) . ' record(s) skipped by %SKIP') if %SKIP;

$node->stop;
done_testing();

# ---------------------------------------------------------------------------

# A SQL string literal (dollar quoting with a tag absent from the text).
sub quote
{
	my ($s) = @_;
	my $tag = 'q';
	$tag .= 'x' while index($s, "\$$tag\$") >= 0;
	return "\$$tag\$$s\$$tag\$";
}

# Run a query returning one jsonb array; one assertion that it ran.
sub query_json
{
	my ($what, $sql) = @_;
	my ($ret, $out, $err) = $node->psql('conformance',
		"SET client_encoding = 'UTF8';\n$sql",
		on_error_stop => 1,
		timeout => $PostgreSQL::Test::Utils::timeout_default);
	if ($ret != 0 || !defined $out || $out eq '')
	{
		fail("$what: query ran");
		diag("psql exit $ret: " . ($err // ''));
		return undef;
	}
	return $json->decode($out);
}

sub roundtrip_why
{
	my ($dir, $from, $to, $x, $ok) = @_;
	return '' if $ok;
	my $s = "$dir: from $from\n    to   $to\n";
	if (defined $x->{state})
	{
		$s .= "    raised SQLSTATE $x->{state}: $x->{msg}\n";
		$s .= "    diff $x->{diff}\n" if defined $x->{diff};
	}
	else
	{
		$s .= "    diff $x->{diff}\n    got  " . ($x->{got} // 'NULL') . "\n";
	}
	return $s;
}
