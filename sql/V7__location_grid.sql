-- For the report's maps: events and distinct devices per country and cell of 0.1 degree, from
-- `event_details` (never the JSON). A cell is named by its centre. Events without a usable
-- location (a coordinate missing, or outside -90..90 / -180..180) are counted apart, as the
-- country's row whose cell is NULL. Every row carries the cell size, so the page never guesses it.
{{#duckdb}}
COPY (
    WITH located AS (
        SELECT country, device_id,
               CASE WHEN latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180
                    THEN floor(latitude * 10)::INTEGER END AS cell_row,
               CASE WHEN latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180
                    THEN floor(longitude * 10)::INTEGER END AS cell_column
        FROM read_parquet('{{staged.event_details}}*.parquet')
    ),
    device_cells AS (
        -- distinct devices in two steps: the (cell, device) pairs first (0.7 M of them from 6.6 M
        -- events on a seed-scale day), then a count per cell; count(DISTINCT) per cell is slower
        SELECT country, cell_row, cell_column, device_id, count(*) AS events
        FROM located
        GROUP BY country, cell_row, cell_column, device_id
    )
    SELECT country,
           (cell_row + 0.5::DOUBLE) / 10 AS cell_latitude,
           (cell_column + 0.5::DOUBLE) / 10 AS cell_longitude,
           0.1::DOUBLE AS cell_degrees,
           sum(events)::BIGINT AS events,
           count(*) FILTER (WHERE device_id <> '') AS devices
    FROM device_cells
    GROUP BY country, cell_row, cell_column
    ORDER BY country NULLS LAST, cell_latitude NULLS LAST, cell_longitude NULLS LAST
) TO '{{target}}data.parquet' (FORMAT parquet, COMPRESSION zstd);
{{/duckdb}}
{{#trino_sql}}
CREATE TABLE {{> schema}}."{{staged_table.location_grid}}"
WITH ({{> staged_parquet}})
AS
SELECT country, (cell_row + 0.5e0) / 10 AS cell_latitude, (cell_column + 0.5e0) / 10 AS cell_longitude, 0.1e0 AS cell_degrees,
       count(*) AS events, count(DISTINCT nullif(device_id, '')) AS devices
FROM (
    SELECT country, device_id,
           CASE WHEN latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180 THEN CAST(floor(latitude * 10) AS integer) END AS cell_row,
           CASE WHEN latitude BETWEEN -90 AND 90 AND longitude BETWEEN -180 AND 180 THEN CAST(floor(longitude * 10) AS integer) END AS cell_column
    FROM {{> schema}}."{{staged_table.event_details}}"
)
GROUP BY country, cell_row, cell_column;
{{/trino_sql}}
