# CREATE EXTENSION and ALTER EXTENSION UPDATE resolve every name in the
# install scripts without the installing session's search_path choosing a
# look-alike: a database owner's public.nextval(text), there before the
# superuser installs the extension, is never what a store's id default
# calls (it would run as the extension owner on every ts_create). The
# 0.1.0 script did bind it; the update to 0.2.0 rebinds the default.
use strict;
use warnings;

use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

# The default of ts_internal.stores.store_id.
my $store_id_default = q{(SELECT d.oid FROM pg_attrdef d JOIN pg_attribute a
	ON a.attrelid = d.adrelid AND a.attnum = d.adnum
	WHERE d.adrelid = 'ts_internal.stores'::regclass AND a.attname = 'store_id')};

my $node = PostgreSQL::Test::Cluster->new('install_search_path');
$node->init;
$node->start;

# A database owned by an ordinary role, with a look-alike in public that
# would make its author superuser and leave a trace.
sub hostile_database
{
	my ($db) = @_;
	$node->safe_psql('postgres', "CREATE DATABASE $db OWNER dbo");
	$node->safe_psql($db, q{
		SET ROLE dbo;
		CREATE TABLE public.trace (who text);
		CREATE FUNCTION public.nextval(text) RETURNS bigint LANGUAGE plpgsql AS $$
		BEGIN
			INSERT INTO public.trace VALUES (current_user);
			BEGIN EXECUTE 'ALTER ROLE dbo SUPERUSER'; EXCEPTION WHEN OTHERS THEN NULL; END;
			RETURN pg_catalog.nextval($1::pg_catalog.regclass);
		END $$;});
}

$node->safe_psql('postgres', 'CREATE ROLE dbo LOGIN');

hostile_database('fresh');
$node->safe_psql('fresh', 'CREATE EXTENSION temporal_store');
$node->safe_psql('fresh', q{SET ROLE dbo; SELECT ts_create('a', '{}'); SELECT ts_create('b', '{}');});
is($node->safe_psql('fresh', 'SELECT count(*) FROM public.trace'), '0', 'a fresh install never calls the look-alike');
is($node->safe_psql('postgres', q{SELECT rolsuper FROM pg_roles WHERE rolname = 'dbo'}), 'f', 'dbo is no superuser');

# 0.1.0's script binds the default to the look-alike; the update rebinds it
# before anything can call it through the 0.2.0 library.
hostile_database('old');
$node->safe_psql('old', q{CREATE EXTENSION temporal_store VERSION '0.1.0'});
like($node->safe_psql('old', qq{SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE oid = $store_id_default}), qr/^nextval\('ts_internal\.store_id_seq'::text\)/,
	'0.1.0 bound the default to the look-alike nextval(text)');
$node->safe_psql('old', 'ALTER EXTENSION temporal_store UPDATE');
is($node->safe_psql('old', qq{SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef WHERE oid = $store_id_default}),
	q{nextval('ts_internal.store_id_seq'::regclass)}, 'after the update the default calls nextval(regclass)');
# (pg_catalog's functions are pinned: a default calling one depends on no
# function in pg_depend, unlike one calling the look-alike.)
is($node->safe_psql('old', qq{SELECT count(*) FROM pg_depend
	WHERE classid = 'pg_attrdef'::regclass AND refclassid = 'pg_proc'::regclass AND objid = $store_id_default}),
	'0', 'and no longer depends on the look-alike');
$node->safe_psql('old', q{SET ROLE dbo; SELECT ts_create('c', '{}');});
is($node->safe_psql('old', 'SELECT count(*) FROM public.trace'), '0', 'an updated install never calls the look-alike');
is($node->safe_psql('postgres', q{SELECT rolsuper FROM pg_roles WHERE rolname = 'dbo'}), 'f', 'dbo is still no superuser');

$node->stop;
done_testing();
