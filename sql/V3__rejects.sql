-- Runs only when V2 scanned more lines than it wrote (blank lines, or rejects). Keeps every
-- non-blank line that is not a JSON object, with its file, its line number (DuckDB's: Trino's and
-- Athena's text tables have none) and the reason (docs/source-contract.md): too_long (over
-- load.max-line-bytes), invalid_utf8, byte_order_mark (one that starts a line other than a file's
-- first), not_json, not_object. A kept line is cut to its first kept_line_bytes characters
-- (too_long: bytes); line_bytes is always its full length in bytes.
-- target: rejects
-- when: rows_dropped
-- summary: count by reason
-- show: file order
{{#duckdb}}
{{#csv_files}}
-- the line reader's refusals of V2's scan: this step's scan finds them again
DROP TABLE IF EXISTS reader_rejects;
DROP TABLE IF EXISTS reader_reject_scans;

-- Every line the reader gave, in file order, each kept only as its file's index unless it is a
-- reject (rejects are few, so the table is small). A table filled while order is preserved keeps
-- the lines in file order, so its rowid numbers them, and the scan that fills it classifies and
-- numbers on every thread at once (row_number() over the scan would run on one). The order holds
-- for a scan and a projection only: a join or a filter here may reorder the lines, as a join did
-- on files larger than the reader's buffer. No field is parsed.
SET preserve_insertion_order = true;
CREATE OR REPLACE TEMP TABLE lines_in_order AS
SELECT file_index, CASE WHEN reason IS NOT NULL THEN filename END AS file, CASE WHEN reason IS NOT NULL THEN line END AS line, reason
FROM (
    SELECT file_index, filename, line, reject_reason(line) AS reason
    FROM {{> source_lines_duckdb}}
);
SET preserve_insertion_order = false;
CREATE OR REPLACE TEMP TABLE numbered_rejects AS
WITH file_starts AS (
    SELECT file_index, min(rowid) AS first_row FROM lines_in_order GROUP BY file_index
)
SELECT lines.file, lines.rowid - file_starts.first_row + 1 AS row_in_file, lines.reason, lines.line
FROM lines_in_order AS lines JOIN file_starts USING (file_index)
WHERE lines.reason IS NOT NULL;
DROP TABLE lines_in_order;
-- The lines the reader refused in that scan: too long, not UTF-8.
CREATE OR REPLACE TEMP TABLE refused_lines AS
SELECT scans.file_path AS file, errors.line AS line_number, errors.error_type, errors.error_message,
       -- the kept text can start with the line end before it; a line holds neither CR nor LF
       ltrim(errors.csv_line, chr(13) || chr(10)) AS line
FROM reader_rejects AS errors JOIN reader_reject_scans AS scans USING (scan_id, file_id);
DROP TABLE reader_rejects;
DROP TABLE reader_reject_scans;

{{/csv_files}}
COPY (
    -- each reject names its file in the real source folder: over S3 the engine reads a local copy,
    -- whose path means nothing once the run is over
    SELECT CASE WHEN starts_with(file, '{{source_folder}}') THEN '{{source_folder_named}}' || file[length('{{source_folder}}') + 1:]
                ELSE file END AS file,
           line_number, reason, line, line_bytes
    FROM (
{{#csv_files}}
    WITH refused AS (
        SELECT file, line_number,
               CASE error_type WHEN 'INVALID ENCODING' THEN 'invalid_utf8' WHEN 'LINE SIZE OVER MAXIMUM' THEN 'too_long'
                               ELSE 'unreadable_' || lower(replace(error_type, ' ', '_')) END AS reason,
               line,
               -- a line too long to read is kept in part; the reader's message has its full length
               CASE WHEN error_type = 'LINE SIZE OVER MAXIMUM' THEN TRY_CAST(regexp_extract(error_message, 'Actual Size:\s*(\d+)', 1) AS BIGINT)
                    ELSE strlen(line) END AS line_bytes,
               row_number() OVER (PARTITION BY file ORDER BY line_number) AS nth
        FROM refused_lines
    )
    SELECT file, line_number, reason, line, line_bytes FROM refused
    UNION ALL
    -- row n of a file is line n plus the refused lines of the file before it: the i-th refused line
    -- r_i (in line order) comes before row n when r_i - (i - 1) <= n
    SELECT r.file, r.row_in_file + (SELECT count(*) FROM refused WHERE refused.file = r.file AND refused.line_number - (refused.nth - 1) <= r.row_in_file),
           r.reason, left(r.line, {{kept_line_bytes}}), strlen(r.line)
    FROM numbered_rejects AS r
{{#blob_files}}
    UNION ALL
{{/blob_files}}
{{/csv_files}}
{{#blob_files}}
    -- the small files V2 cut into lines: their numbers are known
    SELECT filename AS file, line_number, reason, coalesce(refused_line, left(line, {{kept_line_bytes}})) AS line, line_bytes
    FROM (
        SELECT filename, line_number, refused_line, line, line_bytes,
               coalesce(refused, reject_reason(line)) AS reason
        FROM small_file_lines
    )
    WHERE reason IS NOT NULL
{{/blob_files}}
    )
    ORDER BY file, line_number
) TO '{{target}}rejects.json' (FORMAT json);
{{#csv_files}}

DROP TABLE refused_lines;
DROP TABLE numbered_rejects;
{{/csv_files}}
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
