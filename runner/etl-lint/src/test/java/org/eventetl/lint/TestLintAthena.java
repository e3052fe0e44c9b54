package org.eventetl.lint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.eventetl.model.EngineKind;
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

/** Athena's part of lint: UNLOAD's target, query and properties, and where Hive's CREATE EXTERNAL TABLE reads. */
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
        lint = new AthenaLint();
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
    void findsTheLocationACtasWritesToAmongItsProperties()
    {
        String ctas = "-- external_location = 'no'\nCREATE TABLE \"etl\".\"staged__events__x\"\nWITH (format = 'PARQUET', partitioned_by = ARRAY['day'],\n"
                + "      external_location = '" + target + "')\nAS\nSELECT 'external_location = ''no''' AS x";

        assertThat(lint.writeTargets(ctas)).containsExactly(new WriteTarget(AthenaLint.CTAS_LOCATION, Optional.of(target), ctas.indexOf("'" + target)));
        assertThat(lint.writeTargets("CREATE TABLE t WITH (external_location = concat('a', 'b')) AS SELECT 1"))
                .containsExactly(new WriteTarget(AthenaLint.CTAS_LOCATION, Optional.empty(), "CREATE TABLE t WITH (".length()));
        // no location: athena-writes-own-target says where it goes instead
        assertThat(lint.writeTargets("CREATE TABLE t WITH (format = 'JSON') AS SELECT 1")).isEmpty();
        assertThat(lint.writeTargets("CREATE TABLE t (a varchar) WITH (external_location = '" + target + "')")).isEmpty();
    }

    @Test
    void acceptsTheShapesTheStepsUse()
    {
        StepCheck check = lint.check(List.of(
                "CREATE EXTERNAL TABLE IF NOT EXISTS `etl`.raw_lines (line string)\n"
                        + "PARTITIONED BY (brand string, day string)\nSTORED AS TEXTFILE\nLOCATION '" + source + "/'\n"
                        + "TBLPROPERTIES ('projection.enabled' = 'true', 'projection.brand.type' = 'injected', 'projection.day.type' = 'injected',\n"
                        + "    'storage.location.template' = '" + source + "/${brand}/${day}/')",
                "CREATE EXTERNAL TABLE `etl`.`events` (device_id string COMMENT 'who', event_time timestamp, price decimal(10, 2))\n"
                        + "ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' WITH SERDEPROPERTIES ('ignore.malformed.json' = 'true')\n"
                        + "LOCATION '" + output + "/events/'",
                "UNLOAD (SELECT device_id, count(*) AS n FROM \"etl\".events WHERE day = '31' GROUP BY device_id ORDER BY n DESC NULLS LAST)\n"
                        + "TO '" + target + "' WITH (format = 'PARQUET', compression = 'ZSTD', partitioned_by = ARRAY['n'])",
                "CREATE TABLE \"etl\".\"staged__events__x\"\nWITH (format = 'PARQUET', write_compression = 'ZSTD', external_location = '" + target + "',\n"
                        + "      bucketed_by = ARRAY['country'], bucket_count = 1)\nAS\nSELECT device_id FROM \"etl\".\"staged__event_details__x\" ORDER BY 1",
                "DROP TABLE IF EXISTS `etl`.`staged__events__x`",
                "DROP TABLE etl.raw_lines",
                "SELECT 1"), writeTargets);

        assertThat(check.problems()).isEmpty();
        assertThat(check.complete()).isTrue();
    }

    @Test
    void reportsUnloadsThatAthenaWouldRefuseOrMisplace()
    {
        String bad = "UNLOAD (SELEC 1) TO '" + target + "' WITH (format = 'PARQUET')";
        String noFormat = "UNLOAD (SELECT 1) TO '" + target + "' WITH (compression = 'ZSTD')";
        String unpaired = "UNLOAD (SELECT 1) TO '" + target + "' WITH (format 'CSV', format = 'JSON')";
        String notAQuery = "UNLOAD (DROP TABLE x) TO '" + target + "' WITH (format = 'JSON')";
        String trailing = "UNLOAD (SELECT 1) TO '" + target + "' WITH (format = 'JSON') AND MORE";
        String unclosed = "UNLOAD (SELECT 1 TO '" + target + "'";

        StepCheck check = lint.check(List.of(bad, noFormat, unpaired, notAQuery, trailing, unclosed), writeTargets);

        // which properties and formats Athena takes, it says itself before it reads anything: lint checks the grammar only
        assertThat(check.problems()).extracting(StepCheck.Problem::statement, StepCheck.Problem::message).containsExactly(
                tuple(0, "Trino's parser rejects UNLOAD's query: mismatched input 'SELEC'. Expecting: 'ALTER', 'ANALYZE', 'CALL', "
                        + "'COMMENT', 'COMMIT', 'CREATE', 'DEALLOCATE', 'DELETE', 'DENY', 'DESC', 'DESCRIBE', 'DROP', 'EXECUTE', 'EXPLAIN', 'GRANT', 'INSERT', "
                        + "'MERGE', 'PREPARE', 'REFRESH', 'RESET', 'REVOKE', 'ROLLBACK', 'SET', 'SHOW', 'START', 'TRUNCATE', 'UPDATE', 'USE', 'WITH', <query>"),
                tuple(2, "Trino's parser rejects UNLOAD's WITH (…): mismatched input ''CSV''. Expecting: '='"),
                tuple(3, "UNLOAD takes a query (SELECT, WITH …, VALUES), not another statement"),
                tuple(4, "Trino's parser rejects UNLOAD's WITH (…): mismatched input 'AND'. Expecting: '%', ')', '*', '+', ',', '-', '.', '/', "
                        + "'AND', 'AT', 'OR', '[', '||', <predicate>"),
                tuple(5, "UNLOAD's query has no closing parenthesis"));
        assertThat(check.problems().get(0).offset()).isEqualTo(bad.indexOf("SELEC"));
        assertThat(check.problems().get(1).offset()).isEqualTo(unpaired.indexOf("'CSV'"));
        assertThat(check.problems().get(3).offset()).isEqualTo(trailing.indexOf("AND"));
        assertThat(check.complete()).isFalse();
    }

    @Test
    void reportsAnUnloadThatDoesNotWriteItsOwnTarget()
    {
        String other = new PublishedPrefix(fixture.output(), "dau", fixture.partition()).staged(LintFixture.RUN).prefix();
        String own = "UNLOAD (SELECT 1) TO '" + target + "' WITH (format = 'JSON')";
        String another = "UNLOAD (SELECT 1) TO '" + other + "' WITH (format = 'JSON')";
        String file = "UNLOAD (SELECT 1) TO '" + target + "x.json' WITH (format = 'JSON')";

        List<Finding> findings = findings(new AthenaOwnTargetRule(), own, another, file);

        String why = ": it must be the step's whole {{target}}, with its trailing / (Athena writes only into an empty location, and the run made only that one for the step)";
        assertThat(findings).extracting(Finding::line, Finding::column, Finding::rule, Finding::message).containsExactly(
                tuple(2, another.indexOf("'") + 1, "athena-writes-own-target", "UNLOAD writes to " + writeTargets.shown(other) + why),
                tuple(3, file.indexOf("'") + 1, "athena-writes-own-target", "UNLOAD writes to " + writeTargets.shown(target + "x.json") + why));
    }

    @Test
    void reportsACtasThatDoesNotWriteOrMakeItsStepsOwn()
    {
        String other = new PublishedPrefix(fixture.output(), "dau", fixture.partition()).staged(LintFixture.RUN).prefix();
        String table = "\"etl\".\"staged__events__" + LintFixture.RUN.value() + "\"";
        String own = "CREATE TABLE " + table + " WITH (format = 'PARQUET', external_location = '" + target + "') AS SELECT 1";
        String another = "CREATE TABLE " + table + " WITH (external_location = '" + other + "') AS SELECT 1";
        String nowhere = "CREATE TABLE " + table + " WITH (format = 'PARQUET') AS SELECT 1";
        String otherTable = "CREATE TABLE \"etl\".\"staged__dau__" + LintFixture.RUN.value() + "\" WITH (external_location = '" + target + "') AS SELECT 1";

        List<Finding> findings = findings(new AthenaOwnTargetRule(), own, another, nowhere, otherTable);

        assertThat(findings).extracting(Finding::line, Finding::column, Finding::message).containsExactly(
                tuple(2, another.indexOf("'") + 1, "CREATE TABLE … AS writes to " + writeTargets.shown(other) + ": it must be the step's whole {{target}}, with its trailing /"
                        + " (Athena writes only into an empty location, and the run made only that one for the step)"),
                tuple(3, nowhere.indexOf("\"etl\"") + 1, "CREATE TABLE … AS without external_location: Athena writes the table under the workgroup's query result location,"
                        + " which the publish never moves; write it to {{target}}"),
                tuple(4, otherTable.indexOf("\"etl\"") + 1, "CREATE TABLE … AS makes staged__dau__" + LintFixture.RUN.value()
                        + ": it must make the step's own {{staged_table.events}}, the table later steps and audits read and afterRun drops"));
    }

    @Test
    void parsesHivesDropTableWithItsBackquotedNames()
    {
        String extra = "DROP TABLE `etl`.t PURGE";
        StepCheck check = lint.check(step("DROP TABLE IF EXISTS `etl`.`t`", extra, "DROP TABLE IF EXISTS").statements(), writeTargets);

        // the backquoted names are Hive's and fine; what Trino's grammar does not take is reported
        assertThat(check.problems()).extracting(StepCheck.Problem::statement).containsExactly(1, 2);
        assertThat(check.problems()).extracting(StepCheck.Problem::message).allMatch(message -> message.startsWith("Trino's parser rejects"));
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
        String rawAtOutput = "CREATE EXTERNAL TABLE `etl`.\"raw_lines\" (line string) LOCATION '" + output + "/events/'";
        String outputAtSource = "CREATE EXTERNAL TABLE IF NOT EXISTS etl.events (a string) LOCATION '" + source + "/'";

        List<Finding> findings = findings(new TableLocationRule(), unknownType, noLocation, wrongRoot, notProjected, halfProjected, rawAtOutput, outputAtSource);

        // a Hive type, a column declared twice, a projection's own properties: Athena refuses those when the table is made
        assertThat(findings).extracting(Finding::line, Finding::message).containsExactly(
                tuple(2, "expected LOCATION '<dataset root>/' (an external table has no location of its own)"),
                tuple(3, "table location {{output}}/elsewhere/ is neither a dataset root {{output}}/<dataset>/ of a step nor the source root {{source}}/"),
                tuple(4, "partition projection needs 'storage.location.template': the layout is not Hive's default under the location"),
                tuple(7, "'storage.location.template' does not lie under the table's location"),
                tuple(7, "'storage.location.template' must end with / so that day=1 never matches day=10"),
                tuple(7, "'storage.location.template' does not name ${month}: every partition would read the same folder"),
                tuple(8, "table raw_lines reads the source lines: its location is the source root {{source}}/, not {{output}}/events/"),
                tuple(9, "table events lies at the source root {{source}}/, which only raw_lines reads; its location is the root {{output}}/<dataset>/ of the dataset it shows"));
        assertThat(findings.get(0).column()).isEqualTo(noLocation.indexOf("t (") + 1);
        assertThat(findings.get(3).column()).isEqualTo(" 'storage".indexOf("'") + 1);
    }

    @Test
    void parsesEveryOtherStatementWithTrinosParser()
    {
        StepCheck check = lint.check(List.of("SELECT 1", "SELEC 2"), writeTargets);

        assertThat(check.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.statement()).isEqualTo(1);
            assertThat(problem.message()).startsWith("Trino's parser rejects the statement: mismatched input 'SELEC'");
        });
    }

    /** What one rule finds in the statements, as if they were a step's rendering, one statement a line. */
    private List<Finding> findings(LintRule rule, String... statements)
    {
        RenderedStep rendered = step(statements);
        LintedStep.Context context = new LintedStep.Context(EngineKind.ATHENA, lint, writeTargets, fixture, temporary);
        TemplateText template = new TemplateText(rendered.step().file(), rendered.sql());
        LineMap lines = LineMap.align(rendered.sql(), template.marked()).orElseThrow();
        LintedStep step = LintedStep.rendered(context, LintedStep.Kind.STEP, template, LintedStep.Rendered.of(rendered), lines, lint.check(rendered.statements(), writeTargets), new LintedStep.EarlierFailures(List.of(), List.of()));
        Findings findings = new Findings();
        try {
            rule.check(step, findings);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return findings.list();
    }

    private RenderedStep step(String... statements)
    {
        String sql = String.join(";\n", statements) + ";\n";
        Step step = new Step(new StepName(9, "events"), "sql/V9__events.sql", sql, Checksum.of(sql), Optional.of("events"), Step.Condition.ALWAYS);
        return new RenderedStep(step, "athena", sql, List.of(statements), Optional.of(new PublishedPrefix(fixture.output(), "events", fixture.partition()).staged(LintFixture.RUN)), "00000000");
    }
}
