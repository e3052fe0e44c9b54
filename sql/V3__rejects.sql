-- Runs only when V2 scanned more lines than it wrote. One pass over the lines keeps those that
-- are not JSON objects (the rejects), verbatim and with their file. The other lines V2 did not
-- write are objects with neither `meta` nor `params`: events all the same, so they join
-- event_details as rows of nulls (their count is the non-blank lines less V2's rows and the
-- rejects, which spares a third parse of every line).
-- target: _rejects
-- when: rejects_suspected
{{#duckdb}}
CREATE OR REPLACE TEMP TABLE line_check AS
SELECT
    count(is_object)                                                               AS non_blank_lines,
    coalesce(list({'file': file, 'line': line}) FILTER (WHERE NOT is_object), []) AS rejects
FROM (
    -- is_object is NULL for a blank line; the first-character test spares trim() (a copy of
    -- every line, slower than the JSON checks) on all but lines that start with white space
    SELECT filename AS file, line,
           CASE WHEN ascii(line) NOT IN (0, 9, 13, 32) OR trim(line, E' \t\r') <> '' THEN
               CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' ELSE false END
           END AS is_object
    FROM {{> source_lines_duckdb}}
    WHERE line IS NOT NULL
);

COPY (
    SELECT reject.file, reject.line
    FROM (SELECT unnest(rejects) AS reject FROM line_check)
) TO '{{target}}rejects.json' (FORMAT json);

COPY (
    SELECT
        NULL::VARCHAR AS device_id, NULL::TIMESTAMP AS event_time, NULL::DATE AS event_date,
        NULL::VARCHAR AS country, NULL::DOUBLE AS longitude, NULL::DOUBLE AS latitude,
        NULL::VARCHAR AS user_id, NULL::VARCHAR AS user_type, NULL::VARCHAR AS language
    FROM range((
        SELECT greatest(0, non_blank_lines - len(rejects)
                           - (SELECT count(*) FROM read_parquet('{{locations.event_details}}*.parquet')))
        FROM line_check))
) TO '{{locations.event_details}}fieldless_objects.parquet' (FORMAT parquet, COMPRESSION zstd);

DROP TABLE line_check;
{{/duckdb}}
{{#trino}}
-- rejects are kept as plain JSON lines that a person can read with any tool, not compressed
SET SESSION "{{trino_catalog}}".compression_codec = 'NONE';

INSERT INTO {{> trino_schema}}.rejects
SELECT "$path", line, {{> partition_values}}
FROM {{> trino_raw_table}}
WHERE trim(line) <> ''
  AND NOT coalesce(starts_with(json_format(TRY(json_parse(line))), '{'), false);

RESET SESSION "{{trino_catalog}}".compression_codec;

DROP TABLE IF EXISTS {{> trino_raw_table}};
{{/trino}}
{{#athena}}
-- The lines that are not JSON objects, verbatim and with their file; Athena gzips JSON it UNLOADs
-- (the readers of the outputs read *.gz). As on Trino, V2 wrote every object, so nothing joins it.
UNLOAD (
    SELECT "$path" AS file, line
    FROM {{> athena_schema}}.raw_lines
    WHERE {{> partition_predicate}}
      AND trim(line) <> ''
      AND NOT coalesce(starts_with(json_format(TRY(json_parse(line))), '{'), false)
) TO '{{target}}' WITH (format = 'JSON');
{{/athena}}
