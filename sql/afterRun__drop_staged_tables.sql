-- At the end of every run, published or failed: the tables the run made over its staged prefixes
-- (and, on Trino, over the source folder) are dropped. They are external tables, so only the
-- catalog forgets them: a failed run's staged files stay where its message says, for inspection.
{{#trino}}
DROP TABLE IF EXISTS {{> trino_raw_table}};
DROP TABLE IF EXISTS {{> trino_schema}}."{{staged_table.event_details}}";
DROP TABLE IF EXISTS {{> trino_schema}}."{{staged_table.rejects}}";
DROP TABLE IF EXISTS {{> trino_schema}}."{{staged_table.events}}";
DROP TABLE IF EXISTS {{> trino_schema}}."{{staged_table.dau}}";
DROP TABLE IF EXISTS {{> trino_schema}}."{{staged_table.hourly_activity}}";
DROP TABLE IF EXISTS {{> trino_schema}}."{{staged_table.location_grid}}";
{{/trino}}
{{#athena}}
DROP TABLE IF EXISTS `{{athena_database}}`.`{{staged_table.event_details}}`;
DROP TABLE IF EXISTS `{{athena_database}}`.`{{staged_table.rejects}}`;
DROP TABLE IF EXISTS `{{athena_database}}`.`{{staged_table.events}}`;
DROP TABLE IF EXISTS `{{athena_database}}`.`{{staged_table.dau}}`;
DROP TABLE IF EXISTS `{{athena_database}}`.`{{staged_table.hourly_activity}}`;
DROP TABLE IF EXISTS `{{athena_database}}`.`{{staged_table.location_grid}}`;
{{/athena}}
