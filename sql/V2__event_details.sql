-- Task 1 and more: the one scan of the raw JSON. Every line that is a JSON object with `meta` or
-- `params` becomes a row; the runner compares the lines scanned with the rows written, and only
-- when they differ does V3 look for rejects (lines that are not JSON objects).
{{#duckdb}}
COPY (
    SELECT device_id, event_time, CAST(event_time AS DATE) AS event_date, country,
           longitude, latitude, user_id, user_type, language
    FROM (
        SELECT
            json_text(meta.session_long)                    AS device_id,
            utc_time(json_text(meta.date))                  AS event_time,
            nullif(upper(trim(json_text(params.cc))), '')   AS country,
            json_number(params.long)                        AS longitude,
            json_number(params.lat)                         AS latitude,
            json_text(params.user_id)                       AS user_id,
            json_text(params.extra.user_type)               AS user_type,
            json_text(params.extra.language)                AS language
        FROM read_json({{> source_files}},
                       format = 'newline_delimited', ignore_errors = true,
                       columns = {
                           meta: 'STRUCT(session_long JSON, date JSON)',
                           params: 'STRUCT(cc JSON, long JSON, lat JSON, user_id JSON, extra STRUCT(user_type JSON, language JSON))'})
        WHERE meta IS NOT NULL OR params IS NOT NULL
    )
) TO '{{target}}data.parquet' (FORMAT parquet, COMPRESSION zstd);
{{/duckdb}}
{{#trino}}
-- The raw lines of this one partition folder, as a text table over it (the source layout is
-- values-only, so no partitioned table could map it); dropping it later forgets the table, not the files.
DROP TABLE IF EXISTS {{> trino_raw_table}};

CREATE TABLE {{> trino_raw_table}} (line varchar)
WITH (external_location = '{{source_folder}}', format = 'TEXTFILE');

-- Every JSON object is an event here (Trino sees the whole line, so objects without meta or
-- params need no second look). A field keeps its value only when its JSON type is right.
INSERT INTO {{> trino_schema}}.event_details
SELECT device_id, event_time, CAST(event_time AS date), country, longitude, latitude, user_id, user_type, language,
       {{> partition_values}}
FROM (
    SELECT
        CASE WHEN starts_with(json_format(session_long), '"') THEN CAST(session_long AS varchar) END AS device_id,
        CAST(TRY(from_iso8601_timestamp(CASE WHEN starts_with(json_format(date_value), '"') THEN CAST(date_value AS varchar) END))
             AT TIME ZONE 'UTC' AS timestamp(3)) AS event_time,
        NULLIF(upper(trim(CASE WHEN starts_with(json_format(cc), '"') THEN CAST(cc AS varchar) END)), '') AS country,
        CASE WHEN regexp_like(json_format(longitude), '^-?[0-9]') THEN CAST(longitude AS double) END AS longitude,
        CASE WHEN regexp_like(json_format(latitude), '^-?[0-9]') THEN CAST(latitude AS double) END AS latitude,
        CASE WHEN starts_with(json_format(user_id), '"') THEN CAST(user_id AS varchar) END AS user_id,
        CASE WHEN starts_with(json_format(user_type), '"') THEN CAST(user_type AS varchar) END AS user_type,
        CASE WHEN starts_with(json_format(language), '"') THEN CAST(language AS varchar) END AS language
    FROM (
        SELECT
            json_extract(event, '$.meta.session_long') AS session_long,
            json_extract(event, '$.meta.date') AS date_value,
            json_extract(event, '$.params.cc') AS cc,
            json_extract(event, '$.params.long') AS longitude,
            json_extract(event, '$.params.lat') AS latitude,
            json_extract(event, '$.params.user_id') AS user_id,
            json_extract(event, '$.params.extra.user_type') AS user_type,
            json_extract(event, '$.params.extra.language') AS language
        FROM (SELECT TRY(json_parse(line)) AS event FROM {{> trino_raw_table}})
        WHERE starts_with(json_format(event), '{')
    )
);
{{/trino}}
