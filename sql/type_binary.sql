--
-- type_binary: binary input of temporal_store through COPY (FORMAT binary).
-- An empty or truncated value is 22P03 (never 08P01, a protocol
-- violation); a good value round-trips. The COPY files are written by
-- printf (a binary COPY header, one row of one field, the trailer), so
-- this test runs as a superuser (COPY ... PROGRAM).
--
\set VERBOSITY default
\set SHOW_CONTEXT never

SELECT ts_create('bin_store', '{"k": 1}');
CREATE TABLE bin_handles (s temporal_store);

-- One row whose single field has the given length word and bytes (octal
-- escapes for printf).
CREATE FUNCTION bin_copy(len_octal text, bytes text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('COPY bin_handles FROM PROGRAM %L WITH (FORMAT binary)',
    'printf ''PGCOPY\n\377\r\n\000' || '\000\000\000\000' || '\000\000\000\000'
    || '\000\001' || len_octal || bytes || '\377\377''');
END $$;

-- zero-length value
SELECT bin_copy('\000\000\000\000', '');
\echo :LAST_ERROR_SQLSTATE
-- truncated: the format byte and no name
SELECT bin_copy('\000\000\000\001', '\001');
\echo :LAST_ERROR_SQLSTATE
-- an unknown format byte
SELECT bin_copy('\000\000\000\002', '\002x');
\echo :LAST_ERROR_SQLSTATE
-- a name that is not UTF-8
SELECT bin_copy('\000\000\000\003', '\001\377x');
\echo :LAST_ERROR_SQLSTATE
-- a name with an invisible character (U+200B)
SELECT bin_copy('\000\000\000\005', '\001a\342\200\213');
\echo :LAST_ERROR_SQLSTATE
-- a store that does not exist
SELECT bin_copy('\000\000\000\004', '\001bin');
\echo :LAST_ERROR_SQLSTATE
-- a good value
SELECT bin_copy('\000\000\000\012', '\001bin_store');
SELECT s, ts_head(s) FROM bin_handles;

-- send/receive round trip: COPY TO binary, COPY FROM the same bytes
INSERT INTO bin_handles VALUES ('bin_store');
SELECT ts_create('bin_café');
INSERT INTO bin_handles VALUES ('bin_café');
COPY bin_handles TO PROGRAM 'cat > ts_type_binary.copy' WITH (FORMAT binary);
CREATE TABLE bin_handles2 (s temporal_store);
COPY bin_handles2 FROM PROGRAM 'cat ts_type_binary.copy && rm ts_type_binary.copy' WITH (FORMAT binary);
SELECT s, s::text AS name FROM bin_handles2 ORDER BY s;
SELECT (SELECT array_agg(s ORDER BY s) FROM bin_handles) = (SELECT array_agg(s ORDER BY s) FROM bin_handles2) AS round_trip;
SELECT temporal_store_send('bin_café') = '\x0162696e5f636166c3a9'::bytea AS send_bytes;

DROP TABLE bin_handles, bin_handles2;
DROP FUNCTION bin_copy(text, text);
SELECT ts_drop('bin_store'), ts_drop('bin_café');
