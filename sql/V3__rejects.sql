-- Runs only when V2 scanned more lines than it wrote. One pass over the lines keeps those that
-- are not JSON objects (the rejects), verbatim, with their file and the reason. The other lines V2 did not
-- write are objects with neither `meta` nor `params`: events all the same, so they join
-- event_details as rows of nulls (their count is the non-blank lines less V2's rows and the
-- rejects, which spares a third parse of every line). On DuckDB it also reads the first line of
-- each file that starts with a byte-order mark, which V2's read_json could not read.
-- target: rejects
-- when: rows_dropped
-- summary: count by reason
{{#duckdb}}
CREATE OR REPLACE TEMP TABLE line_check AS
SELECT
    count(is_object)                                                                               AS non_blank_lines,
    coalesce(list({'file': file, 'line': line, 'reason': reason}) FILTER (WHERE NOT is_object), []) AS rejects
FROM (
    -- is_object is NULL for a blank line; the first-character test spares trim() (a copy of
    -- every line, slower than the JSON checks) on all but lines that start with white space.
    -- A line that starts with a byte-order mark (65279) is a reject, as on Trino and Athena,
    -- whose JSON parser refuses it: DuckDB would call it an object, and V2 read no field of it.
    SELECT filename AS file, line,
           CASE WHEN ascii(line) NOT IN (0, 9, 13, 32) OR trim(line, E' \t\r') <> '' THEN
               CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' AND ascii(line) <> 65279 ELSE false END
           END AS is_object,
           CASE WHEN ascii(line) = 65279 THEN 'byte_order_mark' WHEN json_valid(line) THEN 'not_object' ELSE 'not_json' END AS reason
    FROM {{> source_lines_duckdb}}
    WHERE line IS NOT NULL
);

COPY (
    SELECT reject.file, reject.line, reject.reason
    FROM (SELECT unnest(rejects) AS reject FROM line_check)
) TO '{{target}}rejects.json' (FORMAT json);

{{#any_file_with_byte_order_mark}}
-- A file that starts with a byte-order mark: read_json (V2) could not read its first line past the
-- mark, which Trino's text reader (and so Athena's) drops. read_csv drops it too, so that line
-- joins event_details from here (and is not counted below as an object V2 did not write). A line
-- that starts with a second mark is a reject, as everywhere.
COPY (
    SELECT
{{> event_details_columns_duckdb}}
    FROM (
        SELECT event.meta AS meta, event.params AS params
        FROM (
{{/any_file_with_byte_order_mark}}
{{#files_with_byte_order_mark}}
            SELECT json_transform(line, '{"meta": {"session_long": "JSON", "date": "JSON"},
                                          "params": {"cc": "JSON", "long": "JSON", "lat": "JSON", "user_id": "JSON",
                                                     "extra": {"user_type": "JSON", "language": "JSON"} } }') AS event
            FROM (SELECT line FROM {{> first_line_duckdb}} LIMIT 1)
            WHERE CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' AND ascii(line) <> 65279 ELSE false END
{{^last}}
            UNION ALL
{{/last}}
{{/files_with_byte_order_mark}}
{{#any_file_with_byte_order_mark}}
        )
    )
    WHERE meta IS NOT NULL OR params IS NOT NULL
) TO '{{staged.event_details}}first_lines_after_byte_order_marks.parquet' (FORMAT parquet, COMPRESSION zstd);

{{/any_file_with_byte_order_mark}}
COPY (
    SELECT
        NULL::VARCHAR AS device_id, NULL::TIMESTAMP AS event_time, NULL::DATE AS event_date,
        NULL::VARCHAR AS country, NULL::DOUBLE AS longitude, NULL::DOUBLE AS latitude,
        NULL::VARCHAR AS user_id, NULL::VARCHAR AS user_type, NULL::VARCHAR AS language
    FROM range((
        SELECT greatest(0, non_blank_lines - len(rejects)
                           - (SELECT count(*) FROM read_parquet('{{staged.event_details}}*.parquet')))
        FROM line_check))
) TO '{{staged.event_details}}fieldless_objects.parquet' (FORMAT parquet, COMPRESSION zstd);

DROP TABLE line_check;
{{/duckdb}}
{{#trino}}
-- rejects are kept as plain JSON lines that a person can read with any tool, not compressed
SET SESSION "{{trino_catalog}}".compression_codec = 'NONE';

CREATE TABLE {{> trino_schema}}."{{staged_table.rejects}}"
WITH (format = 'JSON', external_location = '{{target}}')
AS
SELECT "$path" AS file, line,
       CASE WHEN starts_with(line, U&'\FEFF') THEN 'byte_order_mark' WHEN TRY(json_parse(line)) IS NULL THEN 'not_json' ELSE 'not_object' END AS reason
FROM {{> trino_raw_table}}
WHERE trim(line) <> ''
  AND NOT coalesce(starts_with(json_format(TRY(json_parse(line))), '{'), false);

RESET SESSION "{{trino_catalog}}".compression_codec;
{{/trino}}
{{#athena}}
-- The lines that are not JSON objects, verbatim, with their file and reason, as JSON lines. Not
-- compressed: Athena picks a text file's codec by its name's extension and reads a name without
-- one as plain text, and what it names the files it writes is not documented (gzip written under
-- a name without .gz would be read as garbage). Rejects are few, so the bytes hardly matter. As
-- on Trino, V2 wrote every object, so nothing joins event_details.
CREATE TABLE {{> athena_schema}}."{{staged_table.rejects}}"
WITH (format = 'JSON', write_compression = 'NONE', external_location = '{{target}}')
AS
SELECT "$path" AS file, line,
       CASE WHEN starts_with(line, U&'\FEFF') THEN 'byte_order_mark' WHEN TRY(json_parse(line)) IS NULL THEN 'not_json' ELSE 'not_object' END AS reason
FROM {{> athena_schema}}.raw_lines
WHERE {{> partition_predicate}}
  AND trim(line) <> ''
  AND NOT coalesce(starts_with(json_format(TRY(json_parse(line))), '{'), false);
{{/athena}}
