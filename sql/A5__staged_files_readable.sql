-- Every staged file can be read: its footer (Parquet) or its lines (the rejects' JSON) parse. A
-- file that cannot, say one cut short by a full disk, fails this audit with the engine's message,
-- so it is never published. The query returns no rows otherwise.
{{#duckdb}}
SELECT dataset, file_rows
FROM (
    SELECT 'event_details' AS dataset, count(*) AS file_rows FROM read_parquet('{{staged.event_details}}*.parquet')
    UNION ALL SELECT 'events', count(*) FROM read_parquet('{{staged.events}}*.parquet')
    UNION ALL SELECT 'dau', count(*) FROM read_parquet('{{staged.dau}}*.parquet')
    UNION ALL SELECT 'hourly_activity', count(*) FROM read_parquet('{{staged.hourly_activity}}*.parquet')
    UNION ALL SELECT 'location_grid', count(*) FROM read_parquet('{{staged.location_grid}}*.parquet')
{{#written.rejects}}
    UNION ALL SELECT 'rejects', count(*) FROM read_json('{{staged.rejects}}*.json', format = 'newline_delimited',
                                                         columns = {file: 'VARCHAR', line: 'VARCHAR', reason: 'VARCHAR'})
{{/written.rejects}}
)
WHERE file_rows < 0;
{{/duckdb}}
{{#trino_sql}}
SELECT dataset, file_rows
FROM (
    SELECT 'event_details' AS dataset, count(*) AS file_rows FROM {{> schema}}."{{staged_table.event_details}}"
    UNION ALL SELECT 'events', count(*) FROM {{> schema}}."{{staged_table.events}}"
    UNION ALL SELECT 'dau', count(*) FROM {{> schema}}."{{staged_table.dau}}"
    UNION ALL SELECT 'hourly_activity', count(*) FROM {{> schema}}."{{staged_table.hourly_activity}}"
    UNION ALL SELECT 'location_grid', count(*) FROM {{> schema}}."{{staged_table.location_grid}}"
{{#written.rejects}}
    UNION ALL SELECT 'rejects', count(*) FROM {{> schema}}."{{staged_table.rejects}}"
{{/written.rejects}}
)
WHERE file_rows < 0;
{{/trino_sql}}
