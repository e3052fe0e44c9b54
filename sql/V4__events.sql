-- Task 1: device id, time, date and country of every event, sorted by (country, device_id) so that
-- Parquet's dictionaries, ZSTD and row-group statistics let V5 read a sliver of the day. The time
-- breaks ties, so that a rerun writes the rows in the same order.
{{#duckdb}}
COPY (
    SELECT device_id, event_time, event_date, country
    FROM read_parquet('{{locations.event_details}}*.parquet')
    ORDER BY country NULLS LAST, device_id NULLS LAST, event_time NULLS LAST
) TO '{{target}}data.parquet' (FORMAT parquet, COMPRESSION zstd);
{{/duckdb}}
{{#trino}}
INSERT INTO {{> trino_schema}}.events
SELECT device_id, event_time, event_date, country, {{> partition_values}}
FROM {{> trino_schema}}.event_details
WHERE {{> partition_predicate}};
{{/trino}}
{{#athena}}
-- UNLOAD writes its files in parallel: each file is sorted, which is what Parquet's dictionaries
-- and statistics need.
UNLOAD (
    SELECT device_id, event_time, event_date, country
    FROM {{> athena_schema}}.event_details
    WHERE {{> partition_predicate}}
    ORDER BY country NULLS LAST, device_id NULLS LAST, event_time NULLS LAST
) TO '{{target}}' WITH (format = 'PARQUET', compression = 'ZSTD');
{{/athena}}
