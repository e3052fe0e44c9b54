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
