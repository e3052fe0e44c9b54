-- The straightforward statements, 3 of 3: daily active devices.
COPY (SELECT country, count(DISTINCT device_id) AS device_count FROM read_parquet('${OUT}/events.parquet')
      WHERE country IS NOT NULL AND device_id <> '' GROUP BY country ORDER BY country) TO '${OUT}/dau.parquet' (FORMAT parquet, COMPRESSION zstd);
