-- The rejects stay within --max-reject-ratio of the non-blank lines, every one of which is an
-- event (a row of event_details) or a reject. A row of the result says by how much they do not.
-- Nothing is published then, and the rejects are kept in the run's staged outputs for a look.
{{#duckdb}}
{{#written.rejects}}
SELECT format('{} of {} non-blank lines ({:.3f}%) are rejects, above --max-reject-ratio {}',
              rejects, lines, 100.0 * rejects / lines, {{max_reject_ratio}}) AS problem
FROM (
    SELECT rejects, events + rejects AS lines
    FROM (SELECT count(*) AS rejects
          FROM read_json('{{staged.rejects}}*.json', format = 'newline_delimited',
                         columns = {file: 'VARCHAR', line: 'VARCHAR', reason: 'VARCHAR'})),
         (SELECT count(*) AS events FROM read_parquet('{{staged.event_details}}*.parquet'))
)
WHERE rejects > {{max_reject_ratio}} * lines;
{{/written.rejects}}
{{^written.rejects}}
-- the step that keeps the rejects did not run: every line it would have looked at was an event
SELECT NULL AS problem WHERE false;
{{/written.rejects}}
{{/duckdb}}
{{#trino_sql}}
{{#written.rejects}}
SELECT format('%d of %d non-blank lines (%.3f%%) are rejects, above --max-reject-ratio %s',
              rejects, lines, 100.0 * rejects / lines, '{{max_reject_ratio}}') AS problem
FROM (
    SELECT rejects, events + rejects AS lines
    FROM (SELECT count(*) AS rejects FROM {{> schema}}."{{staged_table.rejects}}")
    CROSS JOIN (SELECT count(*) AS events FROM {{> schema}}."{{staged_table.event_details}}")
)
WHERE rejects > {{max_reject_ratio}} * lines;
{{/written.rejects}}
{{^written.rejects}}
-- the step that keeps the rejects did not run: every line it would have looked at was an event
SELECT CAST(NULL AS varchar) AS problem WHERE false;
{{/written.rejects}}
{{/trino_sql}}
