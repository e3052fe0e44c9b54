-- For the report: events and distinct devices per country and UTC hour, from `events` (never the
-- JSON). An event without a time is counted in the hour NULL; devices are the distinct non-empty
-- device ids, as in `dau`, so a device seen in three hours counts once in each. Hours outside the
-- partition's day (late or early events) keep their own date.
{{#duckdb}}
COPY (
    WITH device_days AS (
        -- one row per device, country and day, the hours it was seen as bits: about 0.5 M rows on a
        -- seed-scale day, where counting distinct device ids per hour would hash 3.7 M
        -- (device, hour) pairs; it is cheap because `events` is sorted by (country, device_id)
        SELECT country, event_date, bit_or(1::INTEGER << hour(event_time)) AS hours_seen
        FROM read_parquet('{{staged.events}}*.parquet')
        WHERE device_id <> ''
        GROUP BY country, device_id, event_date
    ),
    hourly_devices AS (
        SELECT country, event_date, hour_of_day, count(*) AS devices
        FROM device_days JOIN range(24) AS hours(hour_of_day) ON (hours_seen >> hour_of_day) & 1 = 1
        GROUP BY country, event_date, hour_of_day
        UNION ALL
        SELECT country, NULL, NULL, count(*)
        FROM device_days
        WHERE event_date IS NULL
        GROUP BY country
    ),
    hourly_events AS (
        SELECT country, event_date, hour(event_time) AS hour_of_day, count(*) AS events
        FROM read_parquet('{{staged.events}}*.parquet')
        GROUP BY country, event_date, hour_of_day
    )
    SELECT e.country, e.event_date + to_hours(e.hour_of_day) AS hour, e.events, coalesce(d.devices, 0) AS devices
    FROM hourly_events AS e
    LEFT JOIN hourly_devices AS d
        ON e.country IS NOT DISTINCT FROM d.country
        AND e.event_date IS NOT DISTINCT FROM d.event_date
        AND e.hour_of_day IS NOT DISTINCT FROM d.hour_of_day
    ORDER BY e.country NULLS LAST, hour NULLS LAST
) TO '{{target}}data.parquet' (FORMAT parquet, COMPRESSION zstd);
{{/duckdb}}
{{#trino_sql}}
CREATE TABLE {{> schema}}."{{staged_table.hourly_activity}}"
WITH ({{> staged_parquet}})
AS
SELECT country, date_trunc('hour', event_time) AS hour, count(*) AS events, count(DISTINCT nullif(device_id, '')) AS devices
FROM {{> schema}}."{{staged_table.events}}"
GROUP BY country, date_trunc('hour', event_time);
{{/trino_sql}}
