-- severity: warning
-- Most of a day's dated events fall within a day of it. Devices send some events late and some
-- clocks are wrong, so a day holds events of other dates; but a day folder that holds another
-- day's files (copied in by hand, or linked to the same folder as that day) publishes that day's
-- events a second time, under this day, and every other audit passes. This warns when more than
-- half of the events that have a time are dated more than one day away from the partition's day.
-- A day with fewer than 100 such events is not judged. A row says how many, and the date that
-- holds most of them. It reads one column of events.
{{#duckdb}}
WITH dates AS (
    SELECT event_date, count(*) AS events
    FROM read_parquet('{{staged.events}}*.parquet')
    WHERE event_date IS NOT NULL
    GROUP BY event_date
)
SELECT dated_events, dated_within_a_day, most_common_date
FROM (SELECT CAST(sum(events) AS BIGINT) AS dated_events,
             CAST(coalesce(sum(events) FILTER (WHERE event_date BETWEEN DATE '{{date}}' - INTERVAL '1' DAY AND DATE '{{date}}' + INTERVAL '1' DAY), 0) AS BIGINT)
                 AS dated_within_a_day,
             max_by(event_date, events) AS most_common_date
      FROM dates)
WHERE dated_events >= 100 AND 2 * dated_within_a_day < dated_events;
{{/duckdb}}
{{#trino_sql}}
WITH dates AS (
    SELECT event_date, count(*) AS events
    FROM {{> schema}}."{{staged_table.events}}"
    WHERE event_date IS NOT NULL
    GROUP BY event_date
)
SELECT dated_events, dated_within_a_day, most_common_date
FROM (SELECT sum(events) AS dated_events,
             coalesce(sum(events) FILTER (WHERE event_date BETWEEN DATE '{{date}}' - INTERVAL '1' DAY AND DATE '{{date}}' + INTERVAL '1' DAY), 0)
                 AS dated_within_a_day,
             max_by(event_date, events) AS most_common_date
      FROM dates)
WHERE dated_events >= 100 AND 2 * dated_within_a_day < dated_events;
{{/trino_sql}}
