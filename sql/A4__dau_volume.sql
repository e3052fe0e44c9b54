-- severity: warning
-- Each country's daily active devices are not below --min-volume-ratio (default 0.5) of their
-- median over the recent published days of the same brand, tracker and channel (up to 7 days
-- back; a country seen on fewer than 3 of them is not judged). A row of the result is a country
-- whose devices fell: a warning in the summary, or a failure with --strict-audits.
{{#duckdb}}
{{#any_recent_day}}
WITH recent AS (
{{#recent_days}}
    SELECT country, device_count FROM read_parquet('{{published.dau}}*.parquet')
{{^last}}
    UNION ALL
{{/last}}
{{/recent_days}}
),
baseline AS (
    SELECT country, median(device_count) AS median_devices, count(*) AS days
    FROM recent
    GROUP BY country
    HAVING count(*) >= 3
)
SELECT baseline.country, coalesce(today.device_count, 0) AS devices, baseline.median_devices, baseline.days AS recent_days
FROM baseline
LEFT JOIN read_parquet('{{staged.dau}}*.parquet') AS today ON today.country = baseline.country
WHERE coalesce(today.device_count, 0) < {{min_volume_ratio}} * baseline.median_devices
ORDER BY 1;
{{/any_recent_day}}
{{^any_recent_day}}
-- no recent day of this brand, tracker and channel is published: nothing to compare with
SELECT NULL AS country WHERE false;
{{/any_recent_day}}
{{/duckdb}}
{{#trino}}
{{#any_recent_day}}
WITH baseline AS (
    SELECT country, approx_percentile(device_count, 0.5) AS median_devices, count(*) AS days
    FROM {{> trino_schema}}.dau
    WHERE brand = '{{brand}}' AND tracker = '{{tracker}}' AND channel = '{{channel}}'
      AND ({{#recent_days}}(year = '{{year}}' AND month = '{{month}}' AND day = '{{day}}'){{^last}} OR {{/last}}{{/recent_days}})
    GROUP BY country
    HAVING count(*) >= 3
)
SELECT baseline.country, coalesce(today.device_count, 0) AS devices, baseline.median_devices, baseline.days AS recent_days
FROM baseline
LEFT JOIN {{> trino_schema}}."{{staged_table.dau}}" AS today ON today.country = baseline.country
WHERE coalesce(today.device_count, 0) < {{min_volume_ratio}} * baseline.median_devices
ORDER BY 1;
{{/any_recent_day}}
{{^any_recent_day}}
-- no recent day of this brand, tracker and channel is published: nothing to compare with
SELECT CAST(NULL AS varchar) AS country WHERE false;
{{/any_recent_day}}
{{/trino}}
{{#athena}}
{{#any_recent_day}}
-- one SELECT per recent day: the tables' injected projection needs every partition value spelled out
WITH recent AS (
{{#recent_days}}
    SELECT country, device_count FROM {{> athena_schema}}.dau
    WHERE brand = '{{brand}}' AND tracker = '{{tracker}}' AND channel = '{{channel}}' AND year = '{{year}}' AND month = '{{month}}' AND day = '{{day}}'
{{^last}}
    UNION ALL
{{/last}}
{{/recent_days}}
),
baseline AS (
    SELECT country, approx_percentile(device_count, 0.5) AS median_devices, count(*) AS days
    FROM recent
    GROUP BY country
    HAVING count(*) >= 3
)
SELECT baseline.country, coalesce(today.device_count, 0) AS devices, baseline.median_devices, baseline.days AS recent_days
FROM baseline
LEFT JOIN {{> athena_schema}}."{{staged_table.dau}}" AS today ON today.country = baseline.country
WHERE coalesce(today.device_count, 0) < {{min_volume_ratio}} * baseline.median_devices
ORDER BY 1;
{{/any_recent_day}}
{{^any_recent_day}}
-- no recent day of this brand, tracker and channel is published: nothing to compare with
SELECT CAST(NULL AS varchar) AS country WHERE false;
{{/any_recent_day}}
{{/athena}}
