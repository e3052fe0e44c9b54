-- events holds exactly the rows of event_details (their device, time, date and country), no more
-- and no fewer: compared per country by count and by a fingerprint that does not depend on row
-- order (a sum of row hashes on DuckDB, checksum() on Trino and Athena), which any row lost, added
-- or changed moves. A row of the result is a country where the two disagree.
{{#duckdb}}
WITH details AS (
    SELECT country, count(*) AS row_count, sum(hash(device_id, event_time, event_date)) AS fingerprint
    FROM read_parquet('{{staged.event_details}}*.parquet')
    GROUP BY country
),
events AS (
    SELECT country, count(*) AS row_count, sum(hash(device_id, event_time, event_date)) AS fingerprint
    FROM read_parquet('{{staged.events}}*.parquet')
    GROUP BY country
)
SELECT coalesce(details.country, events.country) AS country, coalesce(details.row_count, 0) AS event_details_rows,
       coalesce(events.row_count, 0) AS events_rows
FROM details FULL JOIN events ON details.country IS NOT DISTINCT FROM events.country
WHERE details.row_count IS DISTINCT FROM events.row_count OR details.fingerprint IS DISTINCT FROM events.fingerprint
ORDER BY 1 NULLS LAST;
{{/duckdb}}
{{#trino_sql}}
WITH details AS (
    SELECT country, count(*) AS row_count, checksum(ROW(device_id, event_time, event_date)) AS fingerprint
    FROM {{> schema}}."{{staged_table.event_details}}"
    GROUP BY country
),
events AS (
    SELECT country, count(*) AS row_count, checksum(ROW(device_id, event_time, event_date)) AS fingerprint
    FROM {{> schema}}."{{staged_table.events}}"
    GROUP BY country
)
SELECT coalesce(details.country, events.country) AS country, coalesce(details.row_count, 0) AS event_details_rows,
       coalesce(events.row_count, 0) AS events_rows
FROM details FULL JOIN events ON details.country IS NOT DISTINCT FROM events.country
WHERE details.row_count IS DISTINCT FROM events.row_count OR details.fingerprint IS DISTINCT FROM events.fingerprint
ORDER BY 1 NULLS LAST;
{{/trino_sql}}
