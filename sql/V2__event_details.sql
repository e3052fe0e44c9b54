-- The one parse of the raw JSON. Every line that is a JSON object is an event and a row, nulls
-- included; every field keeps its value only when its JSON kind and its domain are right. The lines
-- this step does not write (blank lines and rejects) are what V3 looks at, and only when there are
-- any: the runner compares the lines scanned with the rows written.
-- show: order by coalesce(device_id, '') = '', country NULLS LAST, device_id, event_time
{{#duckdb}}
{{#blob_files}}
-- Small files (up to 1 MiB, not gzip) are read whole: read_blob costs a twentieth of the line
-- reader's time per file, which decides a day of 100,000 files. They are cut into lines here as the
-- line reader cuts them (every CR and every LF ends a line; a byte-order mark that starts a file is
-- dropped), each line with its number. A file that is not UTF-8 is cut in DuckDB's escaped form of
-- its bytes (every byte outside printable ASCII, and the backslash, as \xHH), and each of its lines
-- decoded on its own. A line that is not UTF-8, or longer than load.max-line-bytes, has no text
-- and says why (refused), as the line reader's refusals do. V3 reads this table too; V4 drops it.
CREATE OR REPLACE TEMP TABLE small_file_lines AS
WITH files AS (
    SELECT filename, content, try(decode(content)) AS text FROM read_blob({{> source_files}})
),
pieces AS (
    SELECT filename, text IS NOT NULL AS utf8,
           CASE WHEN text IS NOT NULL THEN string_split(replace(text, chr(13), chr(10)), chr(10))
                ELSE string_split(replace(content::VARCHAR, '\x0D', '\x0A'), '\x0A') END AS pieces
    FROM files
),
numbered AS (
    SELECT filename, utf8, unnest(pieces) AS piece, generate_subscripts(pieces, 1) AS line_number, len(pieces) AS piece_count FROM pieces
),
decoded AS (
    SELECT filename, line_number, escaped,
           CASE WHEN utf8 THEN CASE WHEN line_number = 1 AND starts_with(piece, chr(65279)) THEN piece[2:] ELSE piece END
                ELSE try(decode(escaped::BLOB)) END AS text
    FROM (
        SELECT filename, line_number, utf8, piece,
               CASE WHEN NOT utf8 THEN CASE WHEN line_number = 1 AND starts_with(piece, '\xEF\xBB\xBF') THEN piece[13:] ELSE piece END END AS escaped
        FROM numbered
        -- what follows the last line end is no line
        WHERE line_number < piece_count OR piece <> ''
    )
)
SELECT filename, line_number,
       CASE WHEN text IS NULL THEN 'invalid_utf8' WHEN strlen(text) > {{max_line_bytes}} THEN 'too_long' END AS refused,
       CASE WHEN text IS NOT NULL AND strlen(text) <= {{max_line_bytes}} THEN text END AS line,
       -- what a refused line keeps: its first characters; in a line that is not UTF-8 every byte
       -- outside ASCII is shown as ? (the escaped bytes of ASCII decode back to themselves)
       CASE WHEN text IS NULL THEN left(decode(regexp_replace(escaped, '\\x[89A-F][0-9A-F]', '?', 'g')::BLOB), {{kept_line_bytes}})
            WHEN strlen(text) > {{max_line_bytes}} THEN left(text, {{kept_line_bytes}}) END AS refused_line,
       CASE WHEN text IS NULL THEN octet_length(escaped::BLOB) ELSE strlen(text) END AS line_bytes
FROM decoded;

{{^source_glob}}
-- read_blob passes over a listed file that is gone (deleted or renamed since the listing) without a
-- word, where the line reader fails: the day would be published short. So the files are counted
-- once they were read (their names only: no content is read again); one gone stops the load.
SELECT CASE WHEN count(*) <> {{file_count}}
            THEN error('the source folder changed while it was read: {{file_count}} small files listed, ' || count(*) || ' there now; rerun the load')
       END AS small_files_all_read
FROM read_blob({{> source_files}});

{{/source_glob}}
{{/blob_files}}
COPY (
    WITH fields AS (
        -- one parse per event for all eight fields, each as its JSON text
        SELECT json_extract(line, ['$.meta.session_long', '$.meta.date', '$.params.cc', '$.params.long', '$.params.lat',
                                   '$.params.user_id', '$.params.extra.user_type', '$.params.extra.language'])::VARCHAR[] AS f
        FROM (
{{#csv_files}}
            SELECT line FROM {{> source_lines_duckdb}}
{{#blob_files}}
            UNION ALL
{{/blob_files}}
{{/csv_files}}
{{#blob_files}}
            SELECT line FROM small_file_lines
{{/blob_files}}
        )
        WHERE line_kind(line) = 'event'
    ),
    typed AS (
        SELECT json_text(f[1]) AS device_id, in_event_years(utc_time(json_text(f[2]))) AS event_time, json_text(f[3]) AS cc,
               json_coordinate(f[4], 180) AS longitude, json_coordinate(f[5], 90) AS latitude,
               json_text(f[6]) AS user_id, json_text(f[7]) AS user_type, json_text(f[8]) AS language
        FROM fields
    )
    SELECT device_id, event_time, CAST(event_time AS DATE) AS event_date, nullif(upper(trim_white_space(cc)), '') AS country,
           longitude, latitude, user_id, user_type, language
    FROM typed
) TO '{{target}}data.parquet' (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1);
{{#source_glob}}

-- The glob read the files the runner listed, unless one landed or was removed meanwhile: listed
-- again once they were read (their number, and a hash of their names, as the runner hashed its
-- listing), a folder that changed stops the load rather than publish another day.
SELECT CASE WHEN count(*) <> {{source_file_count}}
            THEN error('the source folder changed while it was read: {{source_file_count}} files listed, ' || count(*) || ' there now; rerun the load')
            WHEN sha256(string_agg(parse_filename(file), '/' ORDER BY parse_filename(file))) <> '{{source_names_sha256}}'
            THEN error('the source folder changed while it was read: as many files there now as the {{source_file_count}} listed, but not the same ones; rerun the load')
       END AS source_unchanged
FROM glob('{{source_glob}}');
{{/source_glob}}
{{#csv_files}}

-- The lines the line reader refused (too long, not UTF-8) are no rows of the scan above. Reading
-- them here counts them as scanned and not written, so that V3 runs and keeps them as rejects.
-- (Grouped: a bare count(*) is answered from the table's statistics, without a scan to count.)
SELECT error_type, count(*) AS lines_refused_by_the_reader FROM reader_rejects GROUP BY error_type;
{{/csv_files}}
{{/duckdb}}
{{#trino}}
-- The raw lines of this one partition folder, as a text table over it (the source layout is
-- values-only, so no partitioned table could map it); dropping it later forgets the table, not the files.
-- A line is one field whatever it holds: the text format's field separator (by default the byte
-- 01, which would cut a line there) and its NULL marker (by default \N, which would make that line
-- NULL and lose it) are set to the line feed, which no line holds.
DROP TABLE IF EXISTS {{> trino_raw_table}};

CREATE TABLE {{> trino_raw_table}} (line varchar)
WITH (external_location = '{{source_folder}}', format = 'TEXTFILE',
      textfile_field_separator = U&'\000A', null_format = U&'\000A');

-- Every JSON object is an event here (Trino sees the whole line, so objects without meta or
-- params need no second look). A field keeps its value only when its JSON type is right. The
-- table is the run's own, over the staged prefix: later steps read it, the publish moves its files.
CREATE TABLE {{> trino_schema}}."{{staged_table.event_details}}"
WITH (format = 'PARQUET', external_location = '{{target}}')
AS
SELECT device_id, event_time, CAST(event_time AS date) AS event_date, country, longitude, latitude, user_id, user_type, language
FROM (
{{> json_event_fields}}
);
{{/trino}}
{{#athena}}
-- The one scan of the raw JSON: the projected table narrowed to this partition's folder. Every JSON
-- object is an event, as on Trino. The table is the run's own, over its staged prefix (which must
-- be empty: Athena refuses to write over files); later steps read it, the publish moves its files.
CREATE TABLE {{> athena_schema}}."{{staged_table.event_details}}"
WITH (format = 'PARQUET', write_compression = 'ZSTD', external_location = '{{target}}')
AS
SELECT device_id, event_time, CAST(event_time AS date) AS event_date, country, longitude, latitude, user_id, user_type, language
FROM (
{{> json_event_fields}}
);
{{/athena}}
