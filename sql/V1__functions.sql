-- Helpers that every later step uses. A JSON field of the wrong type must become NULL, never a
-- converted value (true must not become the coordinate 1.0), so fields are read as raw JSON and
-- kept only when they are of the expected kind.
-- target: none
{{#duckdb}}
SET TimeZone = 'UTC';
CREATE OR REPLACE TEMP MACRO json_text(value) AS
    CASE WHEN starts_with(value::VARCHAR, '"') THEN
        CASE WHEN contains(value::VARCHAR, '\') THEN value ->> '$' ELSE (value::VARCHAR)[2:-2] END
    END;
CREATE OR REPLACE TEMP MACRO json_number(value) AS
    CASE WHEN NOT starts_with(value::VARCHAR, '"') THEN TRY_CAST(value::VARCHAR AS DOUBLE) END;
CREATE OR REPLACE TEMP MACRO utc_time(text) AS
    timezone('UTC', TRY_CAST(text AS TIMESTAMPTZ));
{{/duckdb}}
{{#trino}}
-- Trino keeps the outputs as partitioned Hive tables over <output>/<dataset>/, so that users can
-- query them; writes land in the partition folder, the prefix the runner cleared. One schema per
-- output root: a table's location is fixed when it is created.
CREATE SCHEMA IF NOT EXISTS {{> trino_schema}};

CREATE TABLE IF NOT EXISTS {{> trino_schema}}.event_details (
    device_id varchar, event_time timestamp(3), event_date date, country varchar,
    longitude double, latitude double, user_id varchar, user_type varchar, language varchar,
    {{> partition_columns}})
WITH (format = 'PARQUET', external_location = '{{output}}/event_details/', {{> partitioned_by}});

-- one bucket, sorted: the file is written in (country, device_id) order, as V4 needs
CREATE TABLE IF NOT EXISTS {{> trino_schema}}.events (
    device_id varchar, event_time timestamp(3), event_date date, country varchar,
    {{> partition_columns}})
WITH (format = 'PARQUET', external_location = '{{output}}/events/', {{> partitioned_by}},
      bucketed_by = ARRAY['country'], bucket_count = 1, sorted_by = ARRAY['country', 'device_id', 'event_time']);

CREATE TABLE IF NOT EXISTS {{> trino_schema}}.dau (
    country varchar, device_count bigint,
    {{> partition_columns}})
WITH (format = 'PARQUET', external_location = '{{output}}/dau/', {{> partitioned_by}});

CREATE TABLE IF NOT EXISTS {{> trino_schema}}.hourly_activity (
    country varchar, hour timestamp(3), events bigint, devices bigint,
    {{> partition_columns}})
WITH (format = 'PARQUET', external_location = '{{output}}/hourly_activity/', {{> partitioned_by}});

CREATE TABLE IF NOT EXISTS {{> trino_schema}}.location_grid (
    country varchar, cell_latitude double, cell_longitude double, cell_degrees double, events bigint, devices bigint,
    {{> partition_columns}})
WITH (format = 'PARQUET', external_location = '{{output}}/location_grid/', {{> partitioned_by}});

CREATE TABLE IF NOT EXISTS {{> trino_schema}}.rejects (
    file varchar, line varchar,
    {{> partition_columns}})
WITH (format = 'JSON', external_location = '{{output}}/_rejects/', {{> partitioned_by}});
{{/trino}}
