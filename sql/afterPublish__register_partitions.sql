-- Once the partition's datasets are published, the tables that users query must see them. Trino's
-- Hive tables read the partitions their metastore knows, so each partition the publish moved into
-- place is registered (a partition registered by an earlier publish is already known: Trino says
-- ALREADY_EXISTS, and that has nothing left to do). DuckDB has no catalog, and Athena's tables
-- find partitions by projection as the files land: nothing to do there.
{{#trino}}
CALL "{{trino_catalog}}".system.register_partition('{{trino_schema}}', 'event_details', ARRAY[{{> partition_keys}}], ARRAY[{{> partition_values}}], '{{published.event_details}}');
CALL "{{trino_catalog}}".system.register_partition('{{trino_schema}}', 'rejects', ARRAY[{{> partition_keys}}], ARRAY[{{> partition_values}}], '{{published.rejects}}');
CALL "{{trino_catalog}}".system.register_partition('{{trino_schema}}', 'events', ARRAY[{{> partition_keys}}], ARRAY[{{> partition_values}}], '{{published.events}}');
CALL "{{trino_catalog}}".system.register_partition('{{trino_schema}}', 'dau', ARRAY[{{> partition_keys}}], ARRAY[{{> partition_values}}], '{{published.dau}}');
CALL "{{trino_catalog}}".system.register_partition('{{trino_schema}}', 'hourly_activity', ARRAY[{{> partition_keys}}], ARRAY[{{> partition_values}}], '{{published.hourly_activity}}');
CALL "{{trino_catalog}}".system.register_partition('{{trino_schema}}', 'location_grid', ARRAY[{{> partition_keys}}], ARRAY[{{> partition_values}}], '{{published.location_grid}}');
{{/trino}}
