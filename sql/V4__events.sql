-- The events: device id, time, date and country of every event, sorted by (country, device_id) so
-- that Parquet's dictionaries, ZSTD and row-group statistics let V5 read a sliver of the day. The
-- time breaks ties, so that a rerun writes the rows in the same order. That order puts the blank
-- device ids first; etl show puts them, and the events without a country, last.
-- show: order by coalesce(device_id, '') = '', country NULLS LAST, device_id, event_time
{{#duckdb}}
{{#blob_files}}
-- the small files' lines that V2 cut (and V3 read, when it ran) are not needed any more
DROP TABLE IF EXISTS small_file_lines;

{{/blob_files}}
COPY (
    SELECT device_id, event_time, event_date, country
    FROM read_parquet('{{staged.event_details}}*.parquet')
    ORDER BY country NULLS LAST, device_id NULLS LAST, event_time NULLS LAST
) TO '{{target}}data.parquet' (FORMAT parquet, COMPRESSION zstd);
{{/duckdb}}
{{#trino}}
-- one bucket, sorted: the file is written in (country, device_id) order, as V5 needs
CREATE TABLE {{> trino_schema}}."{{staged_table.events}}"
WITH (format = 'PARQUET', external_location = '{{target}}',
      bucketed_by = ARRAY['country'], bucket_count = 1, sorted_by = ARRAY['country', 'device_id', 'event_time'])
AS
SELECT device_id, event_time, event_date, country
FROM {{> trino_schema}}."{{staged_table.event_details}}";
{{/trino}}
{{#athena}}
-- One bucket, so one file in (country, device_id) order, which Parquet's dictionaries and
-- statistics need.
CREATE TABLE {{> athena_schema}}."{{staged_table.events}}"
WITH (format = 'PARQUET', write_compression = 'ZSTD', external_location = '{{target}}',
      bucketed_by = ARRAY['country'], bucket_count = 1)
AS
SELECT device_id, event_time, event_date, country
FROM {{> athena_schema}}."{{staged_table.event_details}}"
ORDER BY country NULLS LAST, device_id NULLS LAST, event_time NULLS LAST;
{{/athena}}
