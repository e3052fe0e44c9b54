-- The straightforward statements, 2 of 3: events sorted by (country, device_id).
COPY (SELECT device_id, event_time, event_date, country FROM read_parquet('${OUT}/event_details.parquet')
      ORDER BY country NULLS LAST, device_id NULLS LAST, event_time NULLS LAST) TO '${OUT}/events.parquet' (FORMAT parquet, COMPRESSION zstd);
