-- Every country of dau occurs in events, with at least one device and no more devices than it has
-- events there: a device is counted from its events. A row of the result is a country of dau that
-- breaks this.
{{#duckdb}}
SELECT dau.country, dau.device_count, coalesce(events.event_count, 0) AS event_count
FROM read_parquet('{{staged.dau}}*.parquet') AS dau
LEFT JOIN (
    SELECT country, count(*) AS event_count
    FROM read_parquet('{{staged.events}}*.parquet')
    WHERE country IS NOT NULL
    GROUP BY country
) AS events ON events.country = dau.country
WHERE dau.country IS NULL OR events.event_count IS NULL OR dau.device_count < 1 OR dau.device_count > events.event_count
ORDER BY 1 NULLS FIRST;
{{/duckdb}}
{{#trino_sql}}
SELECT dau.country, dau.device_count, coalesce(events.event_count, 0) AS event_count
FROM {{> schema}}."{{staged_table.dau}}" AS dau
LEFT JOIN (
    SELECT country, count(*) AS event_count
    FROM {{> schema}}."{{staged_table.events}}"
    WHERE country IS NOT NULL
    GROUP BY country
) AS events ON events.country = dau.country
WHERE dau.country IS NULL OR events.event_count IS NULL OR dau.device_count < 1 OR dau.device_count > events.event_count
ORDER BY 1 NULLS FIRST;
{{/trino_sql}}
