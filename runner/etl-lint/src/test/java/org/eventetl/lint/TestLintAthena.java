package org.eventetl.lint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.eventetl.plan.Checksum;
import org.eventetl.plan.Step;
import org.eventetl.plan.StepName;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.PublishedPrefix;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Athena's part of lint: UNLOAD's target and query, and the structure of Hive's CREATE EXTERNAL TABLE. */
final class TestLintAthena
{
    @TempDir
    Path temporary;

    private LintFixture fixture;
    private WriteTargets writeTargets;
    private AthenaLint lint;
    private String target;
    private String output;
    private String source;

    @BeforeEach
    void start()
            throws IOException
    {
        fixture = LintFixture.create(temporary);
        writeTargets = new WriteTargets(fixture.output(), LintFixture.RUN, fixture.partition(), List.of("events", "dau"));
        target = new PublishedPrefix(fixture.output(), "events", fixture.partition()).staged(LintFixture.RUN).prefix();
        output = fixture.output().uri();
        source = fixture.sourceRoot().uri();
        lint = new AthenaLint(fixture);
    }

    @Test
    void findsTheTargetOfUnloadAfterItsQuery()
    {
        String statement = "-- UNLOAD (x) TO 'no'\nUNLOAD (SELECT 'TO' AS \"to\", (1) FROM t WHERE x IN (SELECT 1)) TO '" + target + "' WITH (format = 'PARQUET')";

        assertThat(lint.writeTargets(statement)).containsExactly(new WriteTarget(AthenaLint.UNLOAD_TO, Optional.of(target), statement.indexOf("'" + target)));
        assertThat(lint.writeTargets("UNLOAD (SELECT 1) TO concat('a', 'b') WITH (format = 'JSON')"))
                .containsExactly(new WriteTarget(AthenaLint.UNLOAD_TO, Optional.empty(), "UNLOAD (SELECT 1) TO ".length()));
        assertThat(lint.writeTargets("SELECT 'UNLOAD (x) TO ''y''' AS unload")).isEmpty();
        assertThat(lint.writeTargets("CREATE EXTERNAL TABLE t (a string) LOCATION '" + output + "/events/'")).isEmpty();
    }

    @Test
    void acceptsTheShapesTheStepsUse()
    {
        StepCheck check = lint.check(step(
                "CREATE EXTERNAL TABLE IF NOT EXISTS `etl`.raw_lines (line string)\n"
                        + "PARTITIONED BY (brand string, day string)\nSTORED AS TEXTFILE\nLOCATION '" + source + "/'\n"
                        + "TBLPROPERTIES ('projection.enabled' = 'true', 'projection.brand.type' = 'injected', 'projection.day.type' = 'injected',\n"
                        + "    'storage.location.template' = '" + source + "/${brand}/${day}/')",
                "CREATE EXTERNAL TABLE `etl`.`events` (device_id string COMMENT 'who', event_time timestamp, price decimal(10, 2))\n"
                        + "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true')\n"
                        + "LOCATION '" + output + "/events/'",
                "UNLOAD (SELECT device_id, count(*) AS n FROM \"etl\".events WHERE day = '31' GROUP BY device_id ORDER BY n DESC NULLS LAST)\n"
                        + "TO '" + target + "' WITH (format = 'PARQUET', compression = 'ZSTD', partitioned_by = ARRAY['n'])",
                "SELECT 1"), writeTargets);

        assertThat(check.problems()).isEmpty();
        assertThat(check.complete()).isTrue();
    }

    @Test
    void reportsUnloadsThatAthenaWouldRefuseOrMisplace()
    {
        String bad = "UNLOAD (SELEC 1) TO '" + target + "' WITH (format = 'PARQUET')";
        String noFormat = "UNLOAD (SELECT 1) TO '" + target + "' WITH (compression = 'ZSTD')";
        String csv = "UNLOAD (SELECT 1) TO '" + target + "' WITH (format = 'CSV', format = 'JSON')";
        String notAQuery = "UNLOAD (DROP TABLE x) TO '" + target + "' WITH (format = 'JSON')";
        String trailing = "UNLOAD (SELECT 1) TO '" + target + "' WITH (format = 'JSON') AND MORE";

        StepCheck check = lint.check(step(bad, noFormat, csv, notAQuery, trailing), writeTargets);

        assertThat(check.problems()).extracting(StepCheck.Problem::statement, StepCheck.Problem::message).containsExactly(
                tuple(0, "Trino's parser rejects UNLOAD's query: mismatched input 'SELEC'. Expecting: 'ALTER', 'ANALYZE', 'CALL', "
                        + "'COMMENT', 'COMMIT', 'CREATE', 'DEALLOCATE', 'DELETE', 'DENY', 'DESC', 'DESCRIBE', 'DROP', 'EXECUTE', 'EXPLAIN', 'GRANT', 'INSERT', "
                        + "'MERGE', 'PREPARE', 'REFRESH', 'RESET', 'REVOKE', 'ROLLBACK', 'SET', 'SHOW', 'START', 'TRUNCATE', 'UPDATE', 'USE', 'WITH', <query>"),
                tuple(1, "UNLOAD needs WITH (format = '…'): Athena's default is gzipped text, not what readers of the outputs expect"),
                tuple(2, "UNLOAD format must be one of AVRO, JSON, ORC, PARQUET, TEXTFILE as a string"),
                tuple(2, "UNLOAD property 'format' is given twice"),
                tuple(3, "UNLOAD takes a query (SELECT, WITH …, VALUES), not another statement"),
                tuple(4, "unexpected text after UNLOAD's WITH (…)"));
        assertThat(check.problems().get(0).offset()).isEqualTo(bad.indexOf("SELEC"));
        assertThat(check.complete()).isFalse();
    }

    @Test
    void reportsExternalTablesThatWouldReadTheWrongFilesOrNone()
    {
        String unknownType = "CREATE EXTERNAL TABLE t (a text) LOCATION '" + output + "/events/'";
        String noLocation = "CREATE EXTERNAL TABLE t (a string) STORED AS PARQUET";
        String wrongRoot = "CREATE EXTERNAL TABLE t (a string) LOCATION '" + output + "/elsewhere/'";
        String notProjected = "CREATE EXTERNAL TABLE t (a string) PARTITIONED BY (day string) LOCATION '" + output + "/dau/'";
        String halfProjected = "CREATE EXTERNAL TABLE t (a string, day string) PARTITIONED BY (day string, month string) LOCATION '" + output + "/dau/'\n"
                + "TBLPROPERTIES ('projection.enabled' = 'true', 'projection.day.type' = 'injected', 'projection.hour.type' = 'integer',\n"
                + " 'storage.location.template' = '" + output + "/events/${day}')";

        StepCheck check = lint.check(step(unknownType, noLocation, wrongRoot, notProjected, halfProjected), writeTargets);

        assertThat(check.problems()).extracting(StepCheck.Problem::statement, StepCheck.Problem::message).containsExactly(
                tuple(0, "'text' is not a Hive type this project uses (bigint, binary, boolean, char, date, decimal, double, float, "
                        + "int, integer, smallint, string, timestamp, tinyint, varchar)"),
                tuple(1, "expected LOCATION '<dataset root>/' (an external table has no location of its own)"),
                tuple(2, "table location {{output}}/elsewhere/ is neither a dataset root {{output}}/<dataset>/ of a step nor the source root {{source}}/"),
                tuple(3, "a partitioned table without 'projection.enabled' = 'true' needs ALTER TABLE ADD PARTITION or MSCK for every day; "
                        + "project its partitions instead"),
                tuple(4, "partition column 'day' is also a data column"),
                tuple(4, "partition projection lacks 'projection.month.type'"),
                tuple(4, "'projection.hour.type' projects 'hour', which is not a partition column"),
                tuple(4, "'storage.location.template' does not lie under the table's location"),
                tuple(4, "'storage.location.template' must end with / so that day=1 never matches day=10"),
                tuple(4, "'storage.location.template' does not name ${month}: every partition would read the same folder"));
        assertThat(check.problems().get(0).offset()).isEqualTo(unknownType.indexOf("text"));
    }

    @Test
    void parsesEveryOtherStatementWithTrinosParser()
    {
        StepCheck check = lint.check(step("SELECT 1", "SELEC 2"), writeTargets);

        assertThat(check.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.statement()).isEqualTo(1);
            assertThat(problem.message()).startsWith("Trino's parser rejects the statement: mismatched input 'SELEC'");
        });
    }

    private RenderedStep step(String... statements)
    {
        String sql = String.join(";\n", statements) + ";\n";
        Step step = new Step(new StepName(9, "events"), "sql/V9__events.sql", sql, Checksum.of(sql), Optional.of("events"), Step.Condition.ALWAYS);
        return new RenderedStep(step, "athena", sql, List.of(statements), Optional.of(new PublishedPrefix(fixture.output(), "events", fixture.partition()).staged(LintFixture.RUN)), "00000000");
    }
}
