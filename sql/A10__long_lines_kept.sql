-- Every line longer than load.max-line-bytes is kept as a too_long reject. DuckDB's line reader
-- drops such a line without a trace where it lies across two of its read buffers (no row, no
-- reject, and the lines after it numbered one too few), so on DuckDB the runner finds those lines
-- from the files' bytes before the steps run (long_lines: per file, how many, and the longest) and
-- this audit compares them with the rejects. A row names a file whose too_long rejects are fewer:
-- nothing is published, since the day would lack what those lines held. Trino and Athena read
-- each line whole, and the runner looks for none there.
{{#duckdb}}
{{#any_long_lines}}
SELECT found.file,
       format('{} line(s) over load.max-line-bytes ({} bytes), the longest {} bytes from byte {}{}; {} kept as too_long rejects:'
              || ' the line reader dropped the others without a trace',
              found.lines, {{max_line_bytes}}, found.longest_bytes, found.longest_from,
              CASE WHEN found.file LIKE '%.gz' THEN ' of its text' ELSE '' END, coalesce(kept.rejects, 0)) AS problem,
       'raise load.max-line-bytes above the longest (the reader then holds it), or split the file into lines,'
           || ' or move it out of the day''s folder; then rerun' AS fix
FROM (VALUES {{#long_lines}}('{{file}}', {{lines}}, {{longest_bytes}}, {{longest_from}}){{^last}}, {{/last}}{{/long_lines}})
         AS found(file, lines, longest_bytes, longest_from)
{{#written.rejects}}
LEFT JOIN (SELECT file, count(*) AS rejects
           FROM read_json('{{staged.rejects}}*.json', format = 'newline_delimited',
                          columns = {file: 'VARCHAR', reason: 'VARCHAR'})
           WHERE reason = 'too_long'
           GROUP BY file) AS kept USING (file)
{{/written.rejects}}
{{^written.rejects}}
-- the step that keeps the rejects did not run: the lines scanned were as many as the rows written,
-- so none of these lines was read
LEFT JOIN (SELECT NULL::VARCHAR AS file, NULL::BIGINT AS rejects WHERE false) AS kept USING (file)
{{/written.rejects}}
WHERE coalesce(kept.rejects, 0) < found.lines;
{{/any_long_lines}}
{{^any_long_lines}}
-- the runner found no line over the limit in the day's files
SELECT NULL::VARCHAR AS file, NULL::VARCHAR AS problem, NULL::VARCHAR AS fix WHERE false;
{{/any_long_lines}}
{{/duckdb}}
{{#trino_sql}}
-- the runner looks for long lines only where DuckDB reads them
SELECT CAST(NULL AS varchar) AS file, CAST(NULL AS varchar) AS problem, CAST(NULL AS varchar) AS fix WHERE false;
{{/trino_sql}}
