-- Task 2: daily active devices, the distinct non-empty device ids per country. A device seen in
-- two countries counts in both; events without a country are not counted. The day is the source
-- folder's day, not the events' timestamps.
{{#duckdb}}
COPY (
    SELECT country, count(DISTINCT device_id) AS device_count
    FROM read_parquet('{{locations.events}}*.parquet')
    WHERE country IS NOT NULL AND device_id <> ''
    GROUP BY country
    ORDER BY country
) TO '{{target}}data.parquet' (FORMAT parquet, COMPRESSION zstd);
{{/duckdb}}
{{#trino}}
INSERT INTO {{> trino_schema}}.dau
SELECT country, count(DISTINCT device_id), {{> partition_values}}
FROM {{> trino_schema}}.events
WHERE {{> partition_predicate}} AND country IS NOT NULL AND device_id <> ''
GROUP BY country;
{{/trino}}
{{#athena}}
UNLOAD (
    SELECT country, count(DISTINCT device_id) AS device_count
    FROM {{> athena_schema}}.events
    WHERE {{> partition_predicate}} AND country IS NOT NULL AND device_id <> ''
    GROUP BY country
    ORDER BY country
) TO '{{target}}' WITH (format = 'PARQUET', compression = 'ZSTD');
{{/athena}}
