-- The "three straightforward DuckDB statements", 1 of 3: read_json with typed columns (lenient: true
-- becomes 1.0, 123 the text '123', a bad line a row of NULLs, and a day with one line over 16 MB
-- and a non-object after it silently loses its good lines), details unsorted. The yardstick of make
-- bench, not something to run: ${SOURCE} and ${OUT} are filled in by bench/run.sh.
SET TimeZone = 'UTC';
SET preserve_insertion_order = false;
COPY (
    SELECT meta.session_long AS device_id,
           timezone('UTC', TRY_CAST(meta.date AS TIMESTAMPTZ)) AS event_time,
           CAST(timezone('UTC', TRY_CAST(meta.date AS TIMESTAMPTZ)) AS DATE) AS event_date,
           nullif(upper(trim(params.cc)), '') AS country,
           params.long AS longitude, params.lat AS latitude, params.user_id AS user_id,
           params.extra.user_type AS user_type, params.extra.language AS language
    FROM read_json('${SOURCE}', format = 'newline_delimited', ignore_errors = true,
                   columns = {meta: 'STRUCT(session_long VARCHAR, date VARCHAR)',
                              params: 'STRUCT(cc VARCHAR, long DOUBLE, lat DOUBLE, user_id VARCHAR, extra STRUCT(user_type VARCHAR, language VARCHAR))'})
) TO '${OUT}/event_details.parquet' (FORMAT parquet, COMPRESSION zstd);
