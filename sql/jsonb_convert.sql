-- jsonb <-> the extension's tree: both directions read and write jsonb's
-- binary format directly (src/pg/jsonb_convert.cpp), so every value must
-- come back byte for byte: same text, same size, same lookups.
-- ts_json_patch(doc, '[]') converts doc into the tree and back.

-- Numbers: printed from their digits as numeric_out does, and rebuilt as
-- numeric_in would (short and long forms, zero, scales, huge weights).
CREATE TEMP TABLE nums AS
  SELECT x::numeric AS n FROM unnest(ARRAY[
    '0', '-0', '0.00', '1', '-1', '0.5', '-0.5', '10', '9999', '10000', '99999999', '100000000',
    '0.0001', '0.00001', '0.000012345', '-0.000012345', '1.0', '1.00000', '123.4500',
    '12345678901234567890', '12345678901234567890.123456789', '1e20', '1e-20', '-1e100', '1.5e300',
    '1e-300', '3.14159265358979323846264338327950288', '-98765.4321000', '1e255', '1e-255',
    '0.000000000000000000000000000000000000000000000000000000000000000001'
  ]) x
  UNION ALL SELECT ((i * 7919 % 1000003)::text || 'e' || (i % 37 - 18))::numeric FROM generate_series(1, 1500) i
  UNION ALL SELECT round((i * 104729 % 99991 - 50000)::numeric / 7, i % 14) FROM generate_series(1, 1500) i;
SELECT count(*) AS numbers,
       count(*) FILTER (WHERE ts_json_patch(jsonb_build_object('n', n, 'a', jsonb_build_array(n, n)), '[]')::text
                              <> jsonb_build_object('n', n, 'a', jsonb_build_array(n, n))::text) AS text_differs,
       count(*) FILTER (WHERE pg_column_size(ts_json_patch(jsonb_build_object('n', n), '[]'))
                              <> pg_column_size(jsonb_build_object('n', n))) AS size_differs,
       count(*) FILTER (WHERE (ts_json_patch(jsonb_build_object('n', n), '[]')->'n')::numeric + 1 <> n + 1) AS value_differs,
       count(*) FILTER (WHERE ts_json_patch(to_jsonb(n), '[]')::text <> to_jsonb(n)::text) AS scalar_differs
  FROM nums;

-- Containers past jsonb's offset stride (32 children), nesting, every
-- scalar kind, keys of every length, and raw scalars.
CREATE TEMP TABLE docs AS
  SELECT jsonb_build_object(
           'arr', (SELECT jsonb_agg(CASE i % 6 WHEN 0 THEN to_jsonb(i) WHEN 1 THEN to_jsonb(repeat('s', i % 50))
                                             WHEN 2 THEN 'null'::jsonb WHEN 3 THEN to_jsonb(i % 2 = 0)
                                             WHEN 4 THEN (SELECT jsonb_object_agg('k' || j, j) FROM generate_series(0, i % 40) j)
                                             ELSE (SELECT jsonb_agg(1.25) FROM generate_series(0, i % 40)) END)
                     FROM generate_series(0, 299) i),
           'keys', (SELECT jsonb_object_agg(repeat('k', i), repeat('v', i)) FROM generate_series(0, 99) i),
           'deep', '[[[[[[[[[[{"x": [1.5, {"y": null}]}]]]]]]]]]]'::jsonb) AS o;
SELECT ts_json_patch(o, '[]')::text = o::text AS same_text,
       -- (o || '{}' is o rebuilt in memory: the stored o is compressed)
       pg_column_size(ts_json_patch(o, '[]')) = pg_column_size(o || '{}') AS same_size,
       (SELECT bool_and(ts_json_patch(o, '[]')->'keys'->k = o->'keys'->k) FROM jsonb_object_keys(o->'keys') k) AS keys_found,
       (SELECT bool_and(ts_json_patch(o, '[]')->'arr'->i = o->'arr'->i) FROM generate_series(0, 299) i) AS elements_found,
       ts_json_patch(o, '[]') @> o AND o @> ts_json_patch(o, '[]') AS containment,
       ts_json_patch(o, '[]') #> '{deep,0,0,0,0,0,0,0,0,0,0,x,1}' AS deep_path
  FROM docs;
SELECT v, ts_json_patch(v, '[]') AS back, ts_json_patch(v, '[]') = v AS same
  FROM unnest(ARRAY['"x"', 'null', 'true', 'false', '-0.000', '[]', '{}', '{"": ""}', '[[], {}]']::jsonb[]) v;

-- ts_commit diffs the parent's jsonb against the new jsonb in place: the
-- stored patch must be the one ts_json_diff computes on trees, for every
-- kind of change (keys added, removed, changed; arrays growing,
-- shrinking, changing; kinds changing; scalar and container roots).
CREATE TEMP TABLE seq (i int PRIMARY KEY, doc jsonb);
INSERT INTO seq VALUES
  (1, '{"a": 1, "b": [1, 2, 3], "c": {"d": "x", "e": [true, null]}, "z": 1.50}'),
  (2, '{"a": 2, "b": [1, 2, 3], "c": {"d": "x", "e": [true, null]}, "z": 1.50}'),
  (3, '{"a": 2, "b": [1, 2, 3, 4], "c": {"d": "y", "f": {}}, "z": 1.5}'),
  (4, '{"a": [2], "b": [0, 1, 2, 3, 4], "c": {"d": "y", "f": {"g": [1, [2]]}}, "new": null}'),
  (5, '{"a": [2, 3], "b": [4], "c": {"d": "y", "f": {"g": [1, [2, 3]]}}, "new": false}'),
  (6, '[1, {"a": 1}, [2]]'),
  (7, '[1, {"a": 2}, [2], "x"]'),
  (8, '"just a string"'),
  (9, '42'),
  (10, '{"back": {"to": ["an", "object"]}, "": {"empty key": true}}'),
  (11, '{"back": {"to": ["an", "object", "again"]}, "": {"empty key": false}, "k~/": 1}'),
  (12, '{}'),
  (13, (SELECT jsonb_build_object('big', jsonb_agg(jsonb_build_object('i', i, 'v', i * 2))) FROM generate_series(1, 60) i)),
  (14, (SELECT jsonb_build_object('big', jsonb_agg(jsonb_build_object('i', i, 'v', CASE WHEN i % 17 = 0 THEN -i ELSE i * 2 END)))
          FROM generate_series(1, 61) i));
SELECT ts_create('jc_diff', (SELECT doc FROM seq WHERE i = 1)) IS NOT NULL AS created;
SELECT count(ts_commit('jc_diff', doc)) AS committed FROM (SELECT doc FROM seq WHERE i > 1 ORDER BY i) x;
SELECT s.i,
       e.payload->>'encoding' AS encoding,
       e.payload->'patch' = ts_json_diff(p.doc, s.doc) AS same_patch,
       ts_as_of('jc_diff', s.i::bigint) = s.doc AND ts_as_of('jc_diff', s.i::bigint)::text = s.doc::text AS same_state
  FROM seq s JOIN seq p ON p.i = s.i - 1
  JOIN ts_events('jc_diff') e ON e.version = s.i
 ORDER BY s.i;
SELECT count(*) FROM ts_verify('jc_diff');
SELECT ts_drop('jc_diff');

-- Random documents (a fixed seed): nested objects and arrays of every
-- scalar kind, some past the 32-entry stride, each a small or large edit
-- of the one before. Every one round-trips byte for byte, every stored
-- patch is ts_json_diff's, every version reads back, and the hash chain
-- verifies.
SELECT setseed(0.42);
CREATE FUNCTION jc_random(depth int) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  r float8 := random();
  n int;
  o jsonb;
BEGIN
  IF depth <= 0 OR r < 0.45 THEN
    r := random();
    RETURN CASE WHEN r < 0.2 THEN to_jsonb(round((random() * 2000 - 1000)::numeric, (random() * 4)::int))
                WHEN r < 0.3 THEN to_jsonb((random() * 1e12)::bigint)
                WHEN r < 0.6 THEN to_jsonb(repeat(chr(97 + (random() * 25)::int), (random() * 40)::int))
                WHEN r < 0.7 THEN 'null'::jsonb
                WHEN r < 0.85 THEN 'true'::jsonb
                ELSE 'false'::jsonb END;
  END IF;
  n := CASE WHEN random() < 0.15 THEN 33 + (random() * 10)::int ELSE (random() * 6)::int END;
  IF r < 0.75 THEN
    SELECT coalesce(jsonb_agg(jc_random(depth - 1)), '[]') INTO o FROM generate_series(1, n);
  ELSE
    SELECT coalesce(jsonb_object_agg('k' || (random() * 60)::int, jc_random(depth - 1)), '{}') INTO o
      FROM generate_series(1, n);
  END IF;
  RETURN o;
END $$;
-- an edit: replace a random top-level member or element, or the whole thing
CREATE FUNCTION jc_edit(doc jsonb) RETURNS jsonb LANGUAGE plpgsql VOLATILE AS $$
DECLARE k text;
BEGIN
  IF random() < 0.1 OR jsonb_typeof(doc) NOT IN ('object', 'array') THEN RETURN jc_random(4); END IF;
  IF jsonb_typeof(doc) = 'object' THEN
    k := 'k' || (random() * 60)::int;
    IF random() < 0.2 THEN RETURN doc - k; END IF;
    RETURN jsonb_set(doc, ARRAY[k], jc_random(3));
  END IF;
  IF random() < 0.3 THEN RETURN doc || jsonb_build_array(jc_random(2)); END IF;
  IF jsonb_array_length(doc) = 0 THEN RETURN '[1]'; END IF;
  RETURN jsonb_set(doc, ARRAY[((random() * (jsonb_array_length(doc) - 1))::int)::text], jc_random(3));
END $$;
CREATE TEMP TABLE rnd (i int PRIMARY KEY, doc jsonb);
DO $$
DECLARE d jsonb := jc_random(5);
BEGIN
  FOR i IN 1..150 LOOP
    INSERT INTO rnd VALUES (i, d);
    d := jc_edit(d);
  END LOOP;
END $$;
SELECT count(*) AS docs,
       count(*) FILTER (WHERE ts_json_patch(doc, '[]')::text <> doc::text
                           OR pg_column_size(ts_json_patch(doc, '[]'))
                              -- doc rebuilt in memory (stored, it may be compressed or short-headed)
                              <> pg_column_size(CASE jsonb_typeof(doc) WHEN 'object' THEN doc || '{}'
                                                WHEN 'array' THEN doc || '[]' ELSE jsonb_build_array(doc)->0 END))
         AS round_trip_differs
  FROM rnd;
SELECT ts_create('jc_rnd', (SELECT doc FROM rnd WHERE i = 1)) IS NOT NULL AS created;
SELECT count(ts_commit('jc_rnd', doc)) AS committed FROM (SELECT doc FROM rnd WHERE i > 1 ORDER BY i) x;
SELECT count(*) FILTER (WHERE e.payload->>'encoding' = 'json_patch'
                           AND e.payload->'patch' IS DISTINCT FROM ts_json_diff(p.doc, s.doc)) AS patch_differs,
       count(*) FILTER (WHERE ts_as_of('jc_rnd', s.i::bigint)::text <> s.doc::text) AS state_differs
  FROM rnd s JOIN rnd p ON p.i = s.i - 1 JOIN ts_events('jc_rnd') e ON e.version = s.i;
SELECT count(*) AS problems FROM ts_verify('jc_rnd');
SELECT ts_drop('jc_rnd');
DROP FUNCTION jc_edit(jsonb);
DROP FUNCTION jc_random(int);
