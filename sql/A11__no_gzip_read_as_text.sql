-- No source file is gzip read as text. The engines take a file for gzip by its name (.gz): one
-- named otherwise (day.json holding gzip, from an uploader that compresses without renaming) is
-- read as lines of compressed bytes, every one a reject, and its events are lost; under the reject
-- ratio the day would publish without them. Such a file's first line starts with gzip's first byte
-- (0x1F, then 0x8B, which is no UTF-8), which no line of JSON does. A row names each such file.
{{#duckdb}}
{{#written.rejects}}
SELECT file, 'starts with the bytes of gzip but is not named .gz: it was read as text, every line a reject and its events lost;'
             || ' rename it to end in .gz (or decompress it), and rerun' AS problem
FROM read_json('{{staged.rejects}}*.json', format = 'newline_delimited',
               columns = {file: 'VARCHAR', line_number: 'BIGINT', reason: 'VARCHAR', line: 'VARCHAR'})
WHERE line_number = 1 AND reason = 'invalid_utf8' AND starts_with(line, chr(31))
ORDER BY file;
{{/written.rejects}}
{{^written.rejects}}
-- the step that keeps the rejects did not run: every line was an event or blank
SELECT NULL::VARCHAR AS file, NULL::VARCHAR AS problem WHERE false;
{{/written.rejects}}
{{/duckdb}}
{{#trino_sql}}
{{#written.rejects}}
-- (Trino numbers no lines: a reject of compressed bytes that starts as gzip does names its file)
SELECT DISTINCT file, 'starts with the bytes of gzip but is not named .gz: it was read as text, every line a reject and its events lost;'
                      || ' rename it to end in .gz (or decompress it), and rerun' AS problem
FROM {{> schema}}."{{staged_table.rejects}}"
WHERE reason = 'invalid_utf8' AND starts_with(line, chr(31))
ORDER BY file;
{{/written.rejects}}
{{^written.rejects}}
SELECT CAST(NULL AS varchar) AS file, CAST(NULL AS varchar) AS problem WHERE false;
{{/written.rejects}}
{{/trino_sql}}
