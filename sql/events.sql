--
-- events: ts_events, the store's event stream
--
\set VERBOSITY sqlstate
SET temporal_store.compression_threshold = 256;
SET temporal_store.snapshot_interval = 100;

SELECT ts_create('ev', '{"a": 1}', 'created', '{"m": 1}');
SELECT ts_commit('ev', '{"a": 2}', 'commit');
SELECT ts_patch('ev', '[{"op": "add", "path": "/b", "value": true}]', 'json patch');
SELECT ts_patch('ev', '{"a": null, "c": [1]}', 'merge patch');
SELECT ts_branch('ev', 'dev');
SELECT ts_commit('ev', '{"b": true, "c": [1], "dev": 1}', branch => 'dev');
SELECT ts_commit('ev', '{"b": false, "c": [1]}');
SELECT ts_tag('ev', 'v-one', '1', 'first tag');
SELECT ts_merge('ev', 'dev', message => 'merge dev');
SELECT ts_merge('ev', 'main', 'dev');
SELECT ts_reset('ev', 'dev', '2', 'reset dev');
SELECT ts_rename_branch('ev', 'dev', 'dev2');
SELECT ts_drop_branch('ev', 'dev2');
SELECT ts_drop_tag('ev', 'v-one');
SELECT ts_restore('ev', '1', 'restore');

-- the stream: seq gapless from 1, versions in order, committed_at increasing
SELECT seq, event_type, version, branch, parents, author, message, metadata FROM ts_events('ev');
SELECT array_agg(seq ORDER BY seq) = array_agg(rn ORDER BY seq) AS gapless
  FROM (SELECT seq, row_number() OVER (ORDER BY seq) AS rn FROM ts_events('ev')) x;
SELECT bool_and(ok) AS increasing FROM (
  SELECT committed_at < lead(committed_at) OVER (ORDER BY seq) OR lead(committed_at) OVER (ORDER BY seq) IS NULL AS ok
    FROM ts_events('ev')) x;
-- versions appear exactly once, in version order
SELECT array_agg(version ORDER BY seq) FROM ts_events('ev')
 WHERE event_type IN ('StateCreated', 'StateUpdated', 'BranchMerged') AND parents IS NOT NULL;
-- version events agree with ts_version
SELECT bool_and(e.committed_at = v.committed_at AND e.parents = v.parents AND e.author = v.author
                AND e.event_type = v.event_type) AS agree
  FROM ts_events('ev') e, ts_version('ev', e.version::text) v
 WHERE e.parents IS NOT NULL;
-- payloads of version events: their encoding and body
SELECT seq, version, payload->>'encoding' AS encoding, payload->'compressed' AS compressed,
       coalesce(payload->'state', payload->'patch') AS body
  FROM ts_events('ev') WHERE parents IS NOT NULL ORDER BY seq;

-- payloads of the other events: names and versions as they were
SELECT seq, event_type, version, payload FROM ts_events('ev') WHERE parents IS NULL ORDER BY seq;

-- after_seq
SELECT seq, event_type FROM ts_events('ev', 14);
SELECT count(*) FROM ts_events('ev', 0) ;
SELECT count(*) FROM ts_events('ev', NULL);
SELECT count(*) FROM ts_events('ev', -5);
SELECT count(*) FROM ts_events('ev', 1000);
SELECT max(seq) AS last_seq FROM ts_events('ev') \gset
SELECT ts_commit('ev', '{"later": true}');
SELECT seq = :last_seq + 1 AS next_seq, event_type, version FROM ts_events('ev', :last_seq);

-- compressed payloads decode to the same body
SET temporal_store.compression_threshold = 0;
SELECT ts_commit('ev', jsonb_build_object('long', repeat('abc', 500)));
SELECT payload->>'encoding' AS encoding, payload->'compressed' AS compressed,
       length(payload::text) > 1500 AS has_body
  FROM ts_events('ev') WHERE version = (SELECT max(version) FROM ts_log('ev')) AND parents IS NOT NULL;
SET temporal_store.compression_threshold = -1;
SELECT ts_commit('ev', jsonb_build_object('long', repeat('xyz', 500)));
SELECT payload->>'encoding' AS encoding, payload->'compressed' AS compressed
  FROM ts_events('ev') WHERE version = (SELECT max(version) FROM ts_log('ev')) AND parents IS NOT NULL;
RESET temporal_store.compression_threshold;
SELECT ts_head('ev') = jsonb_build_object('long', repeat('xyz', 500)) AS head_ok,
       ts_as_of('ev', 'HEAD~1') = jsonb_build_object('long', repeat('abc', 500)) AS prev_ok;
-- however payloads are chained (deltas, full states), every version reads back
SET temporal_store.snapshot_interval = 2;
SELECT ts_create('ev_kf', '{"n": 0, "pad": "padding padding padding padding padding padding"}');
SELECT ts_patch('ev_kf', jsonb_build_object('n', i)) FROM generate_series(1, 6) i;
SELECT version, payload->>'encoding' IN ('full', 'json_patch', 'merge_patch') AS known_encoding,
       payload ? CASE WHEN payload->>'encoding' = 'full' THEN 'state' ELSE 'patch' END AS has_body
  FROM ts_events('ev_kf') ORDER BY seq;
RESET temporal_store.snapshot_interval;
SELECT v, ts_as_of('ev_kf', v)->'n' AS n FROM generate_series(1::bigint, 7) v;

-- dropping a store: its stream is gone with it
SELECT ts_create('ev_gone') AS gone \gset
CREATE TEMP TABLE ev_handle AS SELECT 'ev_gone'::temporal_store AS s;
SELECT ts_drop('ev_gone');
SELECT * FROM ts_events((SELECT s FROM ev_handle));
SELECT * FROM ts_events(NULL);

SELECT count(*) AS problems FROM ts_verify('ev');
SELECT count(*) AS problems FROM ts_verify('ev_kf');
SELECT ts_drop('ev'), ts_drop('ev_kf');
