-- severity: warning
-- A day has events. A source folder that holds only empty files, blank lines or rejects publishes
-- an empty day: A6 fails a load that would empty a day that had events, and this warns of a day
-- that had none before either (its first load, say), so that an empty day is never published
-- without a word. A row of the result says what was published before and what is staged now.
{{#duckdb}}
SELECT {{published_rows.event_details}} AS events_published_before, staged_rows AS events_now
FROM (SELECT count(*) AS staged_rows FROM read_parquet('{{staged.event_details}}*.parquet'))
WHERE staged_rows = 0 AND {{published_rows.event_details}} = 0;
{{/duckdb}}
{{#trino_sql}}
SELECT {{published_rows.event_details}} AS events_published_before, staged_rows AS events_now
FROM (SELECT count(*) AS staged_rows FROM {{> schema}}."{{staged_table.event_details}}")
WHERE staged_rows = 0 AND {{published_rows.event_details}} = 0;
{{/trino_sql}}
