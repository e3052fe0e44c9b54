-- severity: warning
-- Most of a day's events carry a device or a time. Any JSON object is an event, so a day whose
-- tracker moved its fields (a top-level "device_id" instead of meta.session_long, say) loads as
-- events whose every field is NULL, and its DAU shrinks without an error: this warns when more
-- than half of the day's events have neither a device id nor a time. A row says how many. It reads
-- events, whose two columns are a sixth of event_details' (sorted by device, the ids compress well).
{{#duckdb}}
SELECT events, events_without_device_or_time
FROM (SELECT count(*) AS events,
             count(*) FILTER (WHERE device_id IS NULL AND event_time IS NULL) AS events_without_device_or_time
      FROM read_parquet('{{staged.events}}*.parquet'))
WHERE 2 * events_without_device_or_time > events;
{{/duckdb}}
{{#trino_sql}}
SELECT events, events_without_device_or_time
FROM (SELECT count(*) AS events,
             count_if(device_id IS NULL AND event_time IS NULL) AS events_without_device_or_time
      FROM {{> schema}}."{{staged_table.events}}")
WHERE 2 * events_without_device_or_time > events;
{{/trino_sql}}
