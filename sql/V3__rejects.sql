-- Runs only when V2 scanned more lines than it wrote (blank lines, or rejects). One pass over the
-- lines keeps every non-blank line that is not a JSON object, with its file, its line number and
-- the reason: too_long (over load.max-line-bytes), invalid_utf8, byte_order_mark (one that starts a
-- line other than a file's first), not_json, not_object. A kept line is cut to its first
-- kept_line_bytes characters (too_long: bytes); line_bytes is always its full length in bytes.
-- target: rejects
-- when: rows_dropped
-- summary: count by reason
{{#duckdb}}
-- row_number() OVER () numbers the lines in file order only while order is preserved
SET preserve_insertion_order = true;
DROP TABLE IF EXISTS reader_rejects;
DROP TABLE IF EXISTS reader_reject_scans;

-- Every line the reader gave, numbered, the rejects among them classified; other lines keep only
-- their number, so that the gigabytes of text are not kept. row_number() over the whole scan runs
-- on one thread, but nothing here parses a field.
CREATE OR REPLACE TEMP TABLE scanned_lines AS
SELECT file_index, row_in_scan, reason,
       CASE WHEN reason IS NOT NULL THEN file END AS file,
       CASE WHEN reason IS NOT NULL THEN left(line, {{kept_line_bytes}}) END AS line,
       CASE WHEN reason IS NOT NULL THEN strlen(line) END AS line_bytes
FROM (
    -- reason is NULL for an event and for a blank line
    SELECT file_index, filename AS file, line, row_in_scan, CASE WHEN NOT is_blank(line) THEN nullif(line_kind(line), 'event') END AS reason
    FROM (SELECT file_index, filename, line, row_number() OVER () AS row_in_scan FROM {{> source_lines_duckdb}})
);

COPY (
    WITH file_starts AS (
        SELECT file_index, min(row_in_scan) AS first_row FROM scanned_lines GROUP BY file_index
    ),
    refused AS (
        -- the lines the reader refused: not rows of the scan, so each is counted back in below
        SELECT scans.file_path AS file, errors.line AS line_number,
               CASE errors.error_type WHEN 'INVALID ENCODING' THEN 'invalid_utf8' WHEN 'LINE SIZE OVER MAXIMUM' THEN 'too_long'
                                      ELSE 'reader_' || lower(replace(errors.error_type, ' ', '_')) END AS reason,
               -- the kept text can start with the line end before it; a line holds neither CR nor LF
               ltrim(errors.csv_line, chr(13) || chr(10)) AS line,
               CASE WHEN errors.error_type = 'LINE SIZE OVER MAXIMUM'
                    THEN TRY_CAST(regexp_extract(errors.error_message, 'Actual Size:\s*(\d+)', 1) AS BIGINT)
                    ELSE strlen(ltrim(errors.csv_line, chr(13) || chr(10))) END AS line_bytes,
               row_number() OVER (PARTITION BY scans.file_path ORDER BY errors.line) AS nth
        FROM reader_rejects AS errors JOIN reader_reject_scans AS scans USING (scan_id, file_id)
    ),
    classified AS (
        SELECT lines.file, lines.row_in_scan - starts.first_row + 1 AS row_in_file, lines.reason, lines.line, lines.line_bytes
        FROM scanned_lines AS lines JOIN file_starts AS starts USING (file_index)
        WHERE lines.reason IS NOT NULL
    )
    SELECT file, line_number, reason, line, line_bytes FROM refused
    UNION ALL
    -- row n of a file is line n plus the refused lines of the file before it: the i-th refused line
    -- r_i (in line order) comes before row n when r_i - (i - 1) <= n
    SELECT c.file, c.row_in_file + (SELECT count(*) FROM refused AS r WHERE r.file = c.file AND r.line_number - (r.nth - 1) <= c.row_in_file),
           c.reason, c.line, c.line_bytes
    FROM classified AS c
    ORDER BY file, line_number
) TO '{{target}}rejects.json' (FORMAT json);

DROP TABLE scanned_lines;
SET preserve_insertion_order = false;
{{/duckdb}}
{{#trino}}
-- rejects are kept as plain JSON lines that a person can read with any tool, not compressed
SET SESSION "{{trino_catalog}}".compression_codec = 'NONE';

-- Trino's text table has no line numbers (a file may be read in splits, in any order): line_number
-- is NULL here; the embedded engine numbers them.
CREATE TABLE {{> trino_schema}}."{{staged_table.rejects}}"
WITH (format = 'JSON', external_location = '{{target}}')
AS
SELECT file, CAST(NULL AS bigint) AS line_number, reason, substr(line, 1, {{kept_line_bytes}}) AS line, length(to_utf8(line)) AS line_bytes
FROM (
    SELECT "$path" AS file, line,
           {{> trino_line_kind}} AS reason
    FROM {{> trino_raw_table}}
    WHERE trim(line) <> ''
)
WHERE reason <> 'event';

RESET SESSION "{{trino_catalog}}".compression_codec;
{{/trino}}
{{#athena}}
-- The rejects as JSON lines, with their file and reason (line_number is NULL: Athena's text table
-- has no line numbers). Not compressed: Athena picks a text file's codec by its name's extension and
-- reads a name without one as plain text, and what it names the files it writes is not documented
-- (gzip written under a name without .gz would be read as garbage). Rejects are few, so the bytes
-- hardly matter.
CREATE TABLE {{> athena_schema}}."{{staged_table.rejects}}"
WITH (format = 'JSON', write_compression = 'NONE', external_location = '{{target}}')
AS
SELECT file, CAST(NULL AS bigint) AS line_number, reason, substr(line, 1, {{kept_line_bytes}}) AS line, length(to_utf8(line)) AS line_bytes
FROM (
    SELECT "$path" AS file, line,
           {{> trino_line_kind}} AS reason
    FROM {{> athena_schema}}.raw_lines
    WHERE {{> partition_predicate}}
      AND trim(line) <> ''
)
WHERE reason <> 'event';
{{/athena}}
