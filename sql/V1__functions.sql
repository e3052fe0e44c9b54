-- Helpers that every later step uses. A JSON field of the wrong type must become NULL, never a
-- converted value (true must not become the coordinate 1.0), so fields are read as raw JSON and
-- kept only when they are of the expected kind.
-- target: none
{{#duckdb}}
SET TimeZone = 'UTC';
CREATE OR REPLACE TEMP MACRO json_text(value) AS
    CASE WHEN starts_with(value::VARCHAR, '"') THEN
        CASE WHEN contains(value::VARCHAR, '\') THEN value ->> '$' ELSE (value::VARCHAR)[2:-2] END
    END;
CREATE OR REPLACE TEMP MACRO json_number(value) AS
    CASE WHEN NOT starts_with(value::VARCHAR, '"') THEN TRY_CAST(value::VARCHAR AS DOUBLE) END;
CREATE OR REPLACE TEMP MACRO utc_time(text) AS
    timezone('UTC', TRY_CAST(text AS TIMESTAMPTZ));
{{/duckdb}}
