-- Smoke test: the extension loads (pg_regress --load-extension) and its
-- pure JSON functions answer. Other tests cover the contract in depth.
SELECT extname, extversion FROM pg_extension WHERE extname = 'temporal_store';

-- A diff is an RFC 6902 patch (an array) that turns a into b exactly.
WITH d AS (
  SELECT '{"a": 1, "b": [1, 2]}'::jsonb AS a,
         '{"a": 2, "b": [1, 2], "c": null}'::jsonb AS b
)
SELECT jsonb_typeof(ts_json_diff(a, b)) AS diff_type,
       ts_json_patch(a, ts_json_diff(a, b))::text = b::text AS round_trip
FROM d;

SELECT ts_json_diff('{"x": 1}', '{"x": 1}') AS no_change;
