-- Daily active devices: the distinct non-empty device ids per country. A device seen in
-- two countries counts in both; events without a country are not counted. The day is the source
-- folder's day, not the events' timestamps.
-- summary: rows
{{#duckdb}}
COPY (
    SELECT country, count(DISTINCT device_id) AS device_count
    FROM read_parquet('{{staged.events}}*.parquet')
    WHERE country IS NOT NULL AND device_id <> ''
    GROUP BY country
    ORDER BY country
) TO '{{target}}data.parquet' (FORMAT parquet, COMPRESSION zstd);
{{/duckdb}}
{{#trino_sql}}
CREATE TABLE {{> schema}}."{{staged_table.dau}}"
WITH ({{> staged_parquet}})
AS
SELECT country, count(DISTINCT device_id) AS device_count
FROM {{> schema}}."{{staged_table.events}}"
WHERE country IS NOT NULL AND device_id <> ''
GROUP BY country;
{{/trino_sql}}
