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
