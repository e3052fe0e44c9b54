-- A partition that had events when it was last published does not become empty: a source folder
-- emptied or cut short by mistake must not replace a good day with nothing. (A day that is truly
-- empty now can be published by hand after a look: its staged outputs are kept.) A row of the
-- result says what was published before.
{{#duckdb}}
SELECT {{published_rows.event_details}} AS events_published_before, staged_rows AS events_now
FROM (SELECT count(*) AS staged_rows FROM read_parquet('{{staged.event_details}}*.parquet'))
WHERE staged_rows = 0 AND {{published_rows.event_details}} > 0;
{{/duckdb}}
{{#trino_sql}}
SELECT {{published_rows.event_details}} AS events_published_before, staged_rows AS events_now
FROM (SELECT count(*) AS staged_rows FROM {{> schema}}."{{staged_table.event_details}}")
WHERE staged_rows = 0 AND {{published_rows.event_details}} > 0;
{{/trino_sql}}
