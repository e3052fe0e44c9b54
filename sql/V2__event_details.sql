-- Task 1 and more: the one scan of the raw JSON. Every line that is a JSON object with `meta` or
-- `params` becomes a row; the runner compares the lines scanned with the rows written, and only
-- when they differ does V3 look for rejects (lines that are not JSON objects).
{{#duckdb}}
COPY (
    SELECT
{{> event_details_columns_duckdb}}
    FROM read_json({{> source_files}},
                   format = 'newline_delimited', ignore_errors = true,
                   columns = {
                       meta: 'STRUCT(session_long JSON, date JSON)',
                       params: 'STRUCT(cc JSON, long JSON, lat JSON, user_id JSON, extra STRUCT(user_type JSON, language JSON))'})
    WHERE meta IS NOT NULL OR params IS NOT NULL
) TO '{{target}}data.parquet' (FORMAT parquet, COMPRESSION zstd);
{{/duckdb}}
{{#trino}}
-- The raw lines of this one partition folder, as a text table over it (the source layout is
-- values-only, so no partitioned table could map it); dropping it later forgets the table, not the files.
DROP TABLE IF EXISTS {{> trino_raw_table}};

CREATE TABLE {{> trino_raw_table}} (line varchar)
WITH (external_location = '{{source_folder}}', format = 'TEXTFILE');

-- Every JSON object is an event here (Trino sees the whole line, so objects without meta or
-- params need no second look). A field keeps its value only when its JSON type is right. The
-- table is the run's own, over the staged prefix: later steps read it, the publish moves its files.
CREATE TABLE {{> trino_schema}}."{{staged_table.event_details}}"
WITH (format = 'PARQUET', external_location = '{{target}}')
AS
SELECT device_id, event_time, CAST(event_time AS date) AS event_date, country, longitude, latitude, user_id, user_type, language
FROM (
{{> json_event_fields}}
);
{{/trino}}
{{#athena}}
-- The one scan of the raw JSON: the projected table narrowed to this partition's folder. Every JSON
-- object is an event, as on Trino. The table is the run's own, over its staged prefix (which must
-- be empty: Athena refuses to write over files); later steps read it, the publish moves its files.
CREATE TABLE {{> athena_schema}}."{{staged_table.event_details}}"
WITH (format = 'PARQUET', write_compression = 'ZSTD', external_location = '{{target}}')
AS
SELECT device_id, event_time, CAST(event_time AS date) AS event_date, country, longitude, latitude, user_id, user_type, language
FROM (
{{> json_event_fields}}
);
{{/athena}}
