--
-- settings: which an ordinary role may change (docs/storage.md#settings)
--
\set VERBOSITY sqlstate
LOAD 'temporal_store';

-- what decides what is stored for every session, or costs the server, is
-- superuser-only (suset) or server-wide (sighup); a session's own
-- preference is user
SELECT name, context, unit, min_val, max_val
FROM pg_settings WHERE name LIKE 'temporal_store.%' ORDER BY name;

CREATE ROLE regress_settings_user;
SET ROLE regress_settings_user;
SET temporal_store.cache_size = '1GB';
SET temporal_store.cache_size = 0;
SET temporal_store.snapshot_interval = 1;
SET temporal_store.snapshot_max_bytes = '1kB';
SET temporal_store.snapshot_max_age = 1;
SET temporal_store.compression_threshold = -1;
SET temporal_store.compression_level = 0;
SELECT set_config('temporal_store.snapshot_interval', '1000000', false);
ALTER ROLE regress_settings_user SET temporal_store.cache_size = '1GB';
SET temporal_store.worker_naptime = 1;
-- still the defaults
SHOW temporal_store.cache_size;
SHOW temporal_store.snapshot_interval;
-- harmless ones still work
SET temporal_store.checkout = '{}';
SHOW temporal_store.checkout;
RESET temporal_store.checkout;
SELECT ts_create('settings_s', '{"a": 1}');
SELECT ts_patch('settings_s', '[{"op": "replace", "path": "/a", "value": 2}]');
SELECT ts_as_of('settings_s', 1), ts_head('settings_s');
RESET ROLE;

-- a superuser may, and may let a role (GRANT SET ON PARAMETER)
SET temporal_store.snapshot_interval = 50;
SHOW temporal_store.snapshot_interval;
RESET temporal_store.snapshot_interval;
GRANT SET ON PARAMETER temporal_store.cache_size TO regress_settings_user;
SET ROLE regress_settings_user;
SET temporal_store.cache_size = '1MB';
SHOW temporal_store.cache_size;
RESET temporal_store.cache_size;
SET temporal_store.snapshot_interval = 1;
RESET ROLE;
REVOKE SET ON PARAMETER temporal_store.cache_size FROM regress_settings_user;

-- cache_size is bounded: 1 GB at most
SET temporal_store.cache_size = '2GB';
SET temporal_store.cache_size = '1GB';
SHOW temporal_store.cache_size;
RESET temporal_store.cache_size;

-- set before the library is loaded, a placeholder is checked when it loads
\c
SET ROLE regress_settings_user;
SET temporal_store.cache_size = '1GB';
SET temporal_store.snapshot_interval = 1;
SELECT ts_head('settings_s');
SHOW temporal_store.cache_size;
SHOW temporal_store.snapshot_interval;
RESET ROLE;

SELECT ts_drop('settings_s');
DROP ROLE regress_settings_user;
