-- Helpers that every later step uses. A JSON field of the wrong type must become NULL, never a
-- converted value (true must not become the coordinate 1.0), so fields are read as raw JSON and
-- kept only when they are of the expected kind.
-- target: none
-- scope: database
{{#duckdb}}
SET TimeZone = 'UTC';
-- Outputs that need an order say ORDER BY; everything else may be written in any order, which
-- spares DuckDB's order-preserving COPY (one batch per file: 3x the CPU and 5x the memory on a
-- day of 10,000 small files). V3 turns it back on for the one thing that needs it, line numbers.
SET preserve_insertion_order = false;

-- Java's white space (what Character.isWhitespace accepts) as a class of a regular expression,
-- code points in hex.
CREATE OR REPLACE TEMP MACRO java_white_space() AS
    '[\t\n\x0B\f\r\x1C-\x1F \x{1680}\x{2000}-\x{2006}\x{2008}-\x{200A}\x{2028}\x{2029}\x{205F}\x{3000}]'; -- lint: not a partition value

-- Trino's and Athena's trim() drops Java's white space (a tab, a line break, an em space; not the
-- no-break space). DuckDB's trim() keeps a tab and drops the no-break space, so this macro trims
-- Trino's set, and the engines agree on a country like "\tgh". Every white space character is
-- below 33 or from 5760 up, so a text whose first and last characters are neither has nothing to
-- trim, which is most texts. The rest go through one regular expression, which costs a seventh of
-- DuckDB's trim() with a set of characters. (text[-1] is the last code point; reverse() would be
-- cheaper but reverses grapheme clusters, and a cluster can end in a space.)
CREATE OR REPLACE TEMP MACRO trim_white_space(text) AS
    CASE WHEN ascii(text) BETWEEN 33 AND 5759 AND ascii(text[-1]) BETWEEN 33 AND 5759 THEN text
         ELSE regexp_replace(text, '^' || java_white_space() || '+|' || java_white_space() || '+$', '', 'g')
    END;

-- JSON that DuckDB's parser accepts and Trino's (Jackson's defaults) refuses: the bare tokens NaN
-- and Infinity, and trailing commas. The first line is the cheap filter that nearly every line
-- fails (two contains() and one small regular expression: 0.6 s of CPU per GB, where six contains()
-- took 1.5); the second, with strings blanked first, decides for the rest.
CREATE OR REPLACE TEMP MACRO json_nonstandard(line) AS
    (contains(line, 'NaN') OR contains(line, 'Infinity') OR regexp_matches(line, ',\s*[}\]]'))
    AND regexp_matches(regexp_replace(line, '"(?:[^"\\]|\\.)*"', '""', 'g'), '(?:NaN|Infinity|,\s*[}\]])');
-- A blank line (empty, or Java white space only) is neither event nor reject. The first-character
-- test spares the trim (a copy of the line) on every line that starts with something visible.
CREATE OR REPLACE TEMP MACRO is_blank(line) AS
    line IS NULL OR (NOT ascii(line) BETWEEN 33 AND 5759 AND trim_white_space(line) = '');

-- What a non-blank line is, as Trino (and so Athena) decides it: an event when it is a JSON
-- object; else a reject for the first reason that holds. The engines' readers refuse two more
-- kinds themselves (too_long, invalid_utf8: see templates/source_lines_duckdb). The branches run in
-- order: json_type() fails on a line that starts with a byte-order mark or is no JSON.
CREATE OR REPLACE TEMP MACRO line_kind(line) AS
    CASE WHEN starts_with(line, chr(65279)) THEN 'byte_order_mark'
         WHEN NOT json_valid(line) OR json_nonstandard(line) THEN 'not_json'
         WHEN starts_with(line, '{') OR json_type(line) = 'OBJECT' THEN 'event'
         ELSE 'not_object' END;
-- Why a line is a reject (line_kind), or NULL for an event and for a blank line, which is neither.
-- The blank-line test runs only on what is not an event: on every line it cost half as much again
-- as the classification.
CREATE OR REPLACE TEMP MACRO reject_reason(line) AS
    CASE WHEN line_kind(line) = 'event' OR is_blank(line) THEN NULL ELSE line_kind(line) END;
-- The fields of an event come out of json_extract as JSON text, and are kept only when their JSON
-- kind is right: a field of the wrong kind becomes NULL, never a converted value (true must not
-- become the coordinate 1.0, nor 123 the device "123").
-- A JSON string's text: only a string's JSON text starts with '"'; unescaping is only needed when
-- it holds a backslash. (substr() rather than value[2:-2], which costs three times as much.)
CREATE OR REPLACE TEMP MACRO json_text(value) AS
    CASE WHEN starts_with(value, '"') THEN
        CASE WHEN contains(value, '\') THEN value::JSON ->> '$' ELSE substr(value, 2, length(value) - 2) END
    END;
-- A coordinate: a JSON number, finite and within [-bound, bound]; 1e400 is infinite, and a value
-- out of range is as unusable as one of the wrong kind. Of the JSON texts json_extract gives, only
-- a number's casts to DOUBLE: a string keeps its quotes, and true, false, null, an object or an
-- array do not cast (NaN and Infinity never get here: their lines are rejects).
CREATE OR REPLACE TEMP MACRO json_coordinate(value, bound) AS
    CASE WHEN abs(TRY_CAST(value AS DOUBLE)) <= bound THEN TRY_CAST(value AS DOUBLE) END;
-- An ISO-8601 time as UTC: NULL unless DuckDB reads it and its UTC offset is at most 14:00 either
-- way, the widest offsets in use (Trino cannot hold a wider one; DuckDB would take +25:00, even +99:59).
-- The instant's microseconds since 1970 as a timestamp: the same time as timezone('UTC', …) at a
-- twentieth of its cost (infinity becomes NULL, which in_event_years makes of it anyway).
CREATE OR REPLACE TEMP MACRO utc_time(text) AS
    CASE WHEN ends_with(text, 'Z') OR NOT regexp_matches(text, 'T.*[+-](1[5-9]|[2-9]\d|14:?(0[1-9]|[1-5]\d)):?\d?\d?$')
         THEN make_timestamp(epoch_us(TRY_CAST(text AS TIMESTAMPTZ))) END;
-- An event time is in the years 1970 to 2100; anything else is a broken clock, kept as NULL like a
-- time that cannot be read. (Called on a column, so the time is computed once.)
CREATE OR REPLACE TEMP MACRO in_event_years(time) AS
    CASE WHEN time >= TIMESTAMP '1970-01-01' AND time < TIMESTAMP '2101-01-01' THEN time END; -- lint: not a partition value
{{/duckdb}}
{{#trino}}
-- Trino keeps the published outputs as partitioned Hive tables over <output>/<dataset>/, so that
-- users can query them. The steps never write these tables: each writes a table of its own run
-- over its staged prefix, and the publish moves the files into the partition's folder and
-- registers it (afterPublish__register_partitions.sql). One schema per output root: a table's
-- location is fixed when it is created.
CREATE SCHEMA IF NOT EXISTS {{> trino_schema}};

CREATE TABLE IF NOT EXISTS {{> trino_schema}}.event_details (
    device_id varchar, event_time timestamp(3), event_date date, country varchar,
    longitude double, latitude double, user_id varchar, user_type varchar, language varchar,
    {{> partition_columns}})
WITH (format = 'PARQUET', external_location = '{{output}}/event_details/', {{> partitioned_by}});

-- one bucket, sorted: the file is written in (country, device_id) order, as V4 needs
CREATE TABLE IF NOT EXISTS {{> trino_schema}}.events (
    device_id varchar, event_time timestamp(3), event_date date, country varchar,
    {{> partition_columns}})
WITH (format = 'PARQUET', external_location = '{{output}}/events/', {{> partitioned_by}},
      bucketed_by = ARRAY['country'], bucket_count = 1, sorted_by = ARRAY['country', 'device_id', 'event_time']);

CREATE TABLE IF NOT EXISTS {{> trino_schema}}.dau (
    country varchar, device_count bigint,
    {{> partition_columns}})
WITH (format = 'PARQUET', external_location = '{{output}}/dau/', {{> partitioned_by}});

CREATE TABLE IF NOT EXISTS {{> trino_schema}}.hourly_activity (
    country varchar, hour timestamp(3), events bigint, devices bigint,
    {{> partition_columns}})
WITH (format = 'PARQUET', external_location = '{{output}}/hourly_activity/', {{> partitioned_by}});

CREATE TABLE IF NOT EXISTS {{> trino_schema}}.location_grid (
    country varchar, cell_latitude double, cell_longitude double, cell_degrees double, events bigint, devices bigint,
    {{> partition_columns}})
WITH (format = 'PARQUET', external_location = '{{output}}/location_grid/', {{> partitioned_by}});

CREATE TABLE IF NOT EXISTS {{> trino_schema}}.rejects (
    file varchar, line_number bigint, reason varchar, line varchar, line_bytes bigint,
    {{> partition_columns}})
WITH (format = 'JSON', external_location = '{{output}}/rejects/', {{> partitioned_by}});
{{/trino}}
{{#athena}}
-- Athena keeps its tables in the Glue catalog, so this step runs once per database and rendered
-- SQL, one run at a time: the runner records it under <output>/_etl/schema/athena/<database>/ and
-- skips it while that marker exists. A changed definition (this file, a partial, another root)
-- renders another checksum, and is applied by dropping each table and making it again: they are
-- external tables, so a DROP forgets the definition and keeps the files, and CREATE … IF NOT
-- EXISTS would keep the old definition without a word. Before that, the runner refuses a table of
-- the database that reads another source or output root: one database per source and output root.
-- Partition projection (templates/athena_projection) maps the six partition values a query names
-- to a folder, so no day ever needs ALTER TABLE ADD PARTITION or MSCK.

-- The raw lines of every day, over the values-only source layout; Athena skips files whose names
-- start with _ or . and reads *.gz as gzip, as the source contract says. A line is one field
-- whatever it holds: the field separator (by default the byte 01, which would cut a line there)
-- and the NULL marker (by default \N, which would lose that line) are the line feed, which no line holds.
DROP TABLE IF EXISTS `{{athena_database}}`.raw_lines;
CREATE EXTERNAL TABLE `{{athena_database}}`.raw_lines (line string)
{{> athena_partitioned_by}}
ROW FORMAT DELIMITED FIELDS TERMINATED BY '\n' NULL DEFINED AS '\n'
STORED AS TEXTFILE
LOCATION '{{source}}/'
TBLPROPERTIES ({{> athena_projection}},
    'storage.location.template' = '{{source}}/${brand}/${tracker}/${channel}/${year}/${month}/${day}/');

-- The published outputs, for users to query: the files each step wrote into its staged prefix,
-- which the publish moves into the partition's folder. Projection sees them as they land.
DROP TABLE IF EXISTS `{{athena_database}}`.event_details;
CREATE EXTERNAL TABLE `{{athena_database}}`.event_details (
    device_id string, event_time timestamp, event_date date, country string,
    longitude double, latitude double, user_id string, user_type string, language string)
{{> athena_partitioned_by}}
STORED AS PARQUET
LOCATION '{{output}}/event_details/'
TBLPROPERTIES ({{> athena_projection}},
    'storage.location.template' = '{{output}}/event_details/{{> athena_hive_partition}}');

DROP TABLE IF EXISTS `{{athena_database}}`.events;
CREATE EXTERNAL TABLE `{{athena_database}}`.events (
    device_id string, event_time timestamp, event_date date, country string)
{{> athena_partitioned_by}}
STORED AS PARQUET
LOCATION '{{output}}/events/'
TBLPROPERTIES ({{> athena_projection}},
    'storage.location.template' = '{{output}}/events/{{> athena_hive_partition}}');

DROP TABLE IF EXISTS `{{athena_database}}`.dau;
CREATE EXTERNAL TABLE `{{athena_database}}`.dau (
    country string, device_count bigint)
{{> athena_partitioned_by}}
STORED AS PARQUET
LOCATION '{{output}}/dau/'
TBLPROPERTIES ({{> athena_projection}},
    'storage.location.template' = '{{output}}/dau/{{> athena_hive_partition}}');

DROP TABLE IF EXISTS `{{athena_database}}`.hourly_activity;
CREATE EXTERNAL TABLE `{{athena_database}}`.hourly_activity (
    country string, hour timestamp, events bigint, devices bigint)
{{> athena_partitioned_by}}
STORED AS PARQUET
LOCATION '{{output}}/hourly_activity/'
TBLPROPERTIES ({{> athena_projection}},
    'storage.location.template' = '{{output}}/hourly_activity/{{> athena_hive_partition}}');

DROP TABLE IF EXISTS `{{athena_database}}`.location_grid;
CREATE EXTERNAL TABLE `{{athena_database}}`.location_grid (
    country string, cell_latitude double, cell_longitude double, cell_degrees double, events bigint, devices bigint)
{{> athena_partitioned_by}}
STORED AS PARQUET
LOCATION '{{output}}/location_grid/'
TBLPROPERTIES ({{> athena_projection}},
    'storage.location.template' = '{{output}}/location_grid/{{> athena_hive_partition}}');

-- rejects are JSON lines, {"file": …, "line_number": …, "reason": …, "line": …, "line_bytes": …}, uncompressed (V3): Athena reads a
-- text file by its name's extension, and a file without one as plain text
DROP TABLE IF EXISTS `{{athena_database}}`.rejects;
CREATE EXTERNAL TABLE `{{athena_database}}`.rejects (
    file string, line_number bigint, reason string, line string, line_bytes bigint)
{{> athena_partitioned_by}}
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION '{{output}}/rejects/'
TBLPROPERTIES ({{> athena_projection}},
    'storage.location.template' = '{{output}}/rejects/{{> athena_hive_partition}}');
{{/athena}}
