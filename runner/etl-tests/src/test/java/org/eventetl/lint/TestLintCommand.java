package org.eventetl.lint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.eventetl.cli.Console;
import org.eventetl.cli.Etl;
import org.eventetl.cli.ExitCode;
import org.eventetl.model.EngineKind;
import org.eventetl.testing.Loads;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code etl lint} in-process, on the project's steps, audits and callbacks and on copies of them
 * with one fault planted: each finding must name the file, the template line and column, the rule
 * and the engine. The faults are planted by replacing a piece of text, and the expected place is where the
 * replacement landed, so that the tests keep up with edits of the real steps.
 */
final class TestLintCommand
{
    private static final Path HOME = Path.of(System.getProperty("etl.home")).toAbsolutePath().normalize();

    @TempDir
    Path temporary;

    private Path sql;
    private Path templates;

    @BeforeEach
    void copyProject()
            throws IOException
    {
        sql = copy(HOME.resolve("sql"), temporary.resolve("sql"));
        templates = copy(HOME.resolve("templates"), temporary.resolve("templates"));
    }

    @Test
    void passesOnTheProjectSteps()
            throws IOException
    {
        Result result = run("lint");

        assertThat(result.out()).containsExactly("lint: " + scope() + ", no findings");
        assertThat(result.err()).isEmpty();
        assertThat(result.exitCode()).isEqualTo(ExitCode.DONE);
    }

    @Test
    void passesOnACopyAndChangesNothingInIt()
            throws IOException
    {
        Map<String, String> before = snapshot(temporary);

        Result result = lint();

        assertThat(result.exitCode()).isEqualTo(ExitCode.DONE);
        assertThat(result.out()).singleElement().asString().endsWith("no findings");
        assertThat(snapshot(temporary)).isEqualTo(before);
    }

    @Test
    void reportsMisspeltKeywordAtItsTemplateLine()
            throws IOException
    {
        Place place = plant("V2__event_details.sql", "duckdb", "SELECT json_text(f[1]) AS device_id", "SELEC json_text(f[1]) AS device_id");

        Result result = lint();

        // the later steps read what V2 writes; their "no files" errors would only repeat this one
        assertThat(result.out()).containsExactly(
                place + ": [engine-accepts] duckdb: DuckDB rejects the statement: Parser Error: syntax error at or near \"SELEC\"");
        assertThat(result.err()).isEqualTo("lint: 1 finding in " + scope() + "\n");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void bindsAgainstWhatEarlierStepsWroteOnTheFixture()
            throws IOException
    {
        // V5 reads the Parquet V4 writes: only a real file of V4's schema can tell this column is wrong
        Place place = plant("V5__dau.sql", "duckdb", "count(DISTINCT device_id) AS device_count", "count(DISTINCT device_ident) AS device_count");

        Result result = lint();

        // DuckDB names the line only: the finding points at its first word
        assertThat(result.out()).singleElement().asString()
                .startsWith(place.firstWord() + ": [engine-accepts] duckdb: DuckDB rejects the statement: Binder Error: Referenced column \"device_ident\" not found");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void bindsAnAuditAgainstWhatTheStepsStaged()
            throws IOException
    {
        // A2 reads the Parquet V4 stages: only a real file of V4's schema can tell this column is wrong
        Place place = plant("A2__dau_matches_events.sql", "duckdb", "    WHERE country IS NOT NULL", "    WHERE countr IS NOT NULL");

        Result result = lint();

        assertThat(result.out()).singleElement().asString()
                .startsWith(place.firstWord() + ": [engine-accepts] duckdb: DuckDB rejects the statement: Binder Error: Referenced column \"countr\" not found");
        assertThat(result.err()).isEqualTo("lint: 1 finding in " + scope() + "\n");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void bindsAnAuditsComparisonWithRecentDaysAgainstTheirPublishedFiles()
            throws IOException
    {
        // A4 compares only when recent days are published: lint makes up three, published with what the steps staged
        Place place = plant("A4__dau_volume.sql", "duckdb", "SELECT country, device_count FROM", "SELECT country, device_cnt FROM");

        Result result = lint();

        assertThat(result.out()).singleElement().asString()
                .startsWith(place.firstWord() + ": [engine-accepts] duckdb: DuckDB rejects the statement: Binder Error: Referenced column \"device_cnt\" not found");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void checksTheSidesOfAnAuditThatARunWithoutRejectsOrRecentDaysRenders()
            throws IOException
    {
        // the fixture has rejects, and lint makes up recent days: these show only in a second rendering without either
        Place noRejects = plant("A3__reject_ratio.sql", "duckdb", "SELECT NULL AS problem WHERE false;", "SELEC NULL AS problem WHERE false;");
        Place noRecentDay = plant("A4__dau_volume.sql", "trino", "SELECT CAST(NULL AS varchar) AS country", "SELECT CAST(NULL varchar) AS country");

        Result result = lint();

        assertThat(result.out()).hasSize(2);
        assertThat(result.out().get(0)).startsWith(noRejects + ": [engine-accepts] duckdb: DuckDB rejects the statement: Parser Error: syntax error at or near \"SELEC\"");
        assertThat(result.out().get(1)).startsWith(noRecentDay.right("SELECT CAST(NULL ".length()) + ": [engine-accepts] trino: Trino's parser rejects the statement: mismatched input 'varchar'");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsAnAuditThatWrites()
            throws IOException
    {
        String query = "SELECT {{published_rows.event_details}} AS events_published_before";
        Place place = plant("A6__not_emptied.sql", "duckdb", query, "COPY (SELECT 1 AS n) TO '{{staged.dau}}audit.parquet' (FORMAT parquet);\n" + query);

        Result result = lint();

        // DuckDB would run the COPY, into a prefix the steps may write: only the rule tells an audit from a step
        assertThat(result.out()).containsExactly(place + ": [audit-is-a-query] duckdb: COPY in an audit: an audit writes nothing, "
                + "it returns the rows of the staged outputs that break its expectation");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsAnAuditWithoutASectionForAnEngine()
            throws IOException
    {
        // A4 has a section for each engine: without Athena's, neither {{#athena}} nor {{#trino_sql}} serves Athena
        String text = Files.readString(sql.resolve("A4__dau_volume.sql"));
        Files.writeString(sql.resolve("A4__dau_volume.sql"), withoutSection(text, "athena"));

        Result result = lint();

        assertThat(result.out()).containsExactly(sql + "/A4__dau_volume.sql:1:1: [engine-section] athena: no {{#athena}} or {{#trino_sql}} section: the audit cannot run on athena");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void passesOnACallbackWithoutAnySection()
            throws IOException
    {
        // a callback without a section for an engine has nothing to do there, on any engine
        Files.writeString(sql.resolve("afterRun__nothing_yet.sql"), "-- a moment of the run that needs nothing on any engine yet\n");

        Result result = lint();

        assertThat(scope(sql)).contains("3 callbacks");
        assertThat(result.out()).containsExactly("lint: " + scope(sql) + ", no findings");
        assertThat(result.exitCode()).isEqualTo(ExitCode.DONE);
    }

    @Test
    void reportsAMisspeltKeywordInACallbackAtItsLine()
            throws IOException
    {
        Place place = plant("afterRun__drop_staged_tables.sql", "trino", "DROP TABLE IF EXISTS {{> trino_raw_table}};", "DROP TABLE IF EXIST {{> trino_raw_table}};");

        Result result = lint();

        assertThat(result.out()).singleElement().asString()
                .startsWith(place.right("DROP TABLE IF ".length()) + ": [engine-accepts] trino: Trino's parser rejects the statement: mismatched input 'EXIST'");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsAStepWithoutASectionForTheEngine()
            throws IOException
    {
        String text = Files.readString(sql.resolve("V4__events.sql"));
        Files.writeString(sql.resolve("V4__events.sql"), withoutSection(text, "duckdb"));

        Result result = lint();

        // V5 reads V4's output: its failure follows from this one and is not reported
        assertThat(result.out()).containsExactly(sql + "/V4__events.sql:1:1: [engine-section] duckdb: no {{#duckdb}} or {{#duckdb_sql}} section: the step cannot run on duckdb");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsASectionThatRendersNoStatement()
            throws IOException
    {
        String text = Files.readString(sql.resolve("V4__events.sql"));
        int open = text.indexOf("{{#duckdb}}");
        Files.writeString(sql.resolve("V4__events.sql"), withoutSection(text, "duckdb").substring(0, open) + "{{#duckdb}}\n-- nothing yet\n{{/duckdb}}\n"
                + withoutSection(text, "duckdb").substring(open));
        int line = lineOf(text, open);

        Result result = lint();

        assertThat(result.out()).containsExactly(sql + "/V4__events.sql:" + line + ":1: [engine-section] duckdb: the {{#duckdb}} section renders no statement");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsALiteralYear()
            throws IOException
    {
        Place place = plant("V5__dau.sql", "duckdb", "AS device_count", "AS device_count, '2017' AS loaded_year");

        Result result = lint();

        assertThat(result.out()).containsExactly(place.right("AS device_count, ".length()) + ": [partition-literal] duckdb: year written literally in '2017'; use {{year}}");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsAHiveFragmentAndTheWriteOutsideThePartition()
            throws IOException
    {
        Place place = plant("V6__hourly_activity.sql", "'{{target}}data.parquet'",
                "'{{output}}/hourly_activity/brand={{brand}}/tracker={{tracker}}/channel={{channel}}/year=2017/month={{month}}/day={{day}}/data.parquet'");

        Result result = lint();

        // both at the string: the first finding of a string literal is where it starts
        assertThat(result.out()).containsExactly(
                place + ": [partition-literal] duckdb: partition value written literally: year=2017; use year={{year}} (or {{partition_path}}, {{target}}, {{staged.<dataset>}})",
                place + ": [write-outside-target] duckdb: COPY … TO writes to {{output}}/hourly_activity/brand=lintbrand/tracker=linttracker/channel=lintchannel/year=2017/month=12/day=31/data.parquet, "
                        + "outside the partition's prefix of dataset 'hourly_activity'; write under {{target}} or another step's {{staged.<dataset>}}");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsACopyToADatasetRoot()
            throws IOException
    {
        Place place = plant("V4__events.sql", "'{{target}}data.parquet'", "'{{output}}/events/'");

        Result result = lint();

        assertThat(result.out()).containsExactly(place + ": [write-outside-target] duckdb: COPY … TO writes to {{output}}/events/, the root of dataset 'events'; "
                + "write under {{target}} or another step's {{staged.<dataset>}}");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsACopyOutsideTheOutput()
            throws IOException
    {
        Path elsewhere = temporary.resolve("elsewhere").resolve("dau.parquet");
        Place place = plant("V5__dau.sql", "'{{target}}data.parquet'", "'" + elsewhere + "'");

        Result result = lint();

        assertThat(result.out()).containsExactly(place + ": [write-outside-target] duckdb: COPY … TO writes to " + elsewhere + ", outside the output; "
                + "write under {{target}} or another step's {{staged.<dataset>}}");
        // lint runs only the writes rule 4 allows
        assertThat(elsewhere.getParent()).doesNotExist();
    }

    @Test
    void reportsATemplateThatDoesNotRender()
            throws IOException
    {
        String text = Files.readString(sql.resolve("V5__dau.sql"));
        int open = text.indexOf("{{#duckdb}}");
        Files.writeString(sql.resolve("V5__dau.sql"), text.replace("{{/duckdb}}", ""));

        Result result = lint();

        // the template as a whole does not render, so it fails for every engine alike, at the same line: one finding
        assertThat(result.out()).containsExactly(sql + "/V5__dau.sql:" + lineOf(text, open) + ":1: [template-renders] every engine: cannot render: Failed to close 'duckdb' tag");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    /**
     * A header line that looks like a directive and is none would pass as a comment and the directive
     * silently not apply: a name one letter off, an empty value, capitals. A comment whose first word
     * happens to be near a directive's name (where, shows, targets) is left alone.
     */
    @Test
    void reportsAMisspeltOrEmptyDirectiveInAHeader()
            throws IOException
    {
        Path rejects = sql.resolve("V3__rejects.sql");
        String text = Files.readString(rejects);
        Files.writeString(rejects, text.replace("-- summary: count by reason\n", "-- sumary: count by reason\n-- where: any line\n-- shows: rejects\n")
                .replace("-- show: file order\n", "-- show: file order\n-- when:\n-- Target: rejects\n-- wehn: rows_dropped\n-- show: file order\n-- slow: lines\n"));

        Result result = lint();

        int line = text.lines().toList().indexOf("-- summary: count by reason") + 1;
        assertThat(result.out()).containsExactly(
                rejects + ":" + line + ":1: [directive-name] every engine: '-- sumary:' is no directive, so it is read as a comment; '-- summary:' meant?",
                rejects + ":" + (line + 4) + ":1: [directive-name] every engine: '-- when:' has no value, so it is read as a comment",
                rejects + ":" + (line + 5) + ":1: [directive-name] every engine: '-- Target: rejects' is read as a comment: a directive is written"
                        + " '-- target: …', in lower case, its colon right after it",
                rejects + ":" + (line + 6) + ":1: [directive-name] every engine: '-- wehn:' is no directive, so it is read as a comment; '-- when:' meant?",
                rejects + ":" + (line + 7) + ":1: [directive-name] every engine: '-- show:' is given twice in the header; the runner takes the last");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    /**
     * A step removed whose dataset a callback still names: the callback does not render, and that is
     * the finding; the rule that looks across files (every dataset has a table and is registered)
     * does not add one per dataset for the callback it could not read.
     */
    @Test
    void reportsACallbackThatNoLongerRendersWithoutFalseFindingsAcrossFiles()
            throws IOException
    {
        Files.delete(sql.resolve("V7__location_grid.sql"));

        Result result = lint();

        assertThat(result.out()).anySatisfy(line -> assertThat(line).contains("afterPublish__register_partitions.sql").contains("[template-renders]"))
                // (V1's table over location_grid, which no step writes now, is a true finding of table-location)
                .noneSatisfy(line -> assertThat(line).contains("[dataset-has-table]"));
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    /** A close tag that lost a brace: Mustache's message quotes the text up to the next tag, line break and all. */
    @Test
    void reportsACloseTagWithoutItsBraceOnceOnOneLine()
            throws IOException
    {
        Place place = plant("V5__dau.sql", "{{/duckdb}}", "{{/duckdb}");

        Result result = lint();

        assertThat(result.out()).singleElement().asString()
                .startsWith(place.file() + ":")
                .contains(": [template-renders] every engine: cannot render: {{#duckdb}} is closed by {{/duckdb} {{#trino_sql}}: a tag is missing a brace of its }}")
                .doesNotContain(" in " + place.file());
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    /** An audit that writes is told so once per engine; lint does not run it again into what it wrote ("already exists"). */
    @Test
    void reportsAnAuditThatWritesOnlyForWritingIt()
            throws IOException
    {
        String writes = Loads.nextAudit(sql, "writes").fileName();
        Files.writeString(sql.resolve(writes), "{{#duckdb}}\nCREATE TABLE scratch AS SELECT 1 AS x;\nSELECT x FROM scratch WHERE x <> 1;\n{{/duckdb}}\n"
                + "{{#trino_sql}}\nSELECT 1 WHERE false\n{{/trino_sql}}\n");

        Result result = lint();

        assertThat(result.out()).containsExactly(sql + "/" + writes + ":2:1: [audit-is-a-query] duckdb: CREATE in an audit: an audit writes nothing, "
                + "it returns the rows of the staged outputs that break its expectation");
    }

    @Test
    void reportsAMissingPartialAtTheLineThatIncludesIt()
            throws IOException
    {
        Place place = plant("V3__rejects.sql", "    FROM {{> source_lines_duckdb}}\n);", "    FROM {{> source_lines_duck}}\n);");

        Result result = lint();

        // partials are resolved when the template is compiled, whichever section holds them; Mustache names no column
        assertThat(result.out()).containsExactly(place.lineStart() + ": [template-renders] every engine: cannot render: Template source_lines_duck.mustache not found");
    }

    @Test
    void reportsBracesLeftInTheRenderedSql()
            throws IOException
    {
        Place place = plant("V5__dau.sql", "    WHERE country IS NOT NULL AND device_id <> ''", "    WHERE country IS NOT NULL AND device_id <> '{brand}}'");

        Result result = lint();

        assertThat(result.out()).containsExactly(place.right("    WHERE country IS NOT NULL AND device_id <> '{brand".length())
                + ": [leftover-braces] duckdb: the rendered SQL still contains '}}': '{brand}}' (a misspelt or unbalanced tag?)");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsALiteralInAPartialInThePartialsFile()
            throws IOException
    {
        Path partial = templates.resolve("source_files.mustache");
        Files.writeString(partial, Files.readString(partial).stripTrailing().replace("{{/source_files}}]", "{{/source_files}}, '/data/2017/extra.json']") + "\n");

        Result result = lint();

        String text = Files.readString(partial);
        assertThat(result.out()).contains(templates + "/source_files.mustache:1:" + (text.indexOf("'/data/2017") + 1)
                + ": [partition-literal] duckdb: year written literally in '/data/2017/extra.json'; use {{year}}");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsAMisspeltKeywordInsideAthenasCtas()
            throws IOException
    {
        Place place = plant("V4__events.sql", "athena", "SELECT device_id, event_time, event_date, country\nFROM", "SELEC device_id, event_time, event_date, country\nFROM");

        Result result = lint();

        assertThat(result.out()).singleElement().asString()
                .startsWith(place + ": [engine-accepts] athena: Trino's parser rejects the statement: mismatched input 'SELEC'");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsACtasIntoAnotherStepsPrefix()
            throws IOException
    {
        // the run made the step its own prefix: Athena would find another step's full
        Place place = plant("V4__events.sql", "athena", "external_location = '{{target}}'", "external_location = '{{staged.event_details}}'");

        Result result = lint();

        assertThat(result.out()).containsExactly(place.right("external_location = ".length()) + ": [athena-writes-own-target] athena: CREATE TABLE … AS writes to "
                + "{{output}}/_staging/" + LintFixture.RUN + "/event_details/brand=lintbrand/tracker=linttracker/channel=lintchannel/year=2031/month=12/day=31/: "
                + "it must be the step's whole {{target}}, with its trailing / (Athena writes only into an empty location, "
                + "and the run made only that one for the step)");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsACtasIntoAFileOrOutsideTheOutputAndOneThatMakesAnotherTable()
            throws IOException
    {
        Place file = plant("V3__rejects.sql", "athena", "external_location = '{{target}}'", "external_location = '{{target}}rejects.json'");
        Place outside = plant("V2__event_details.sql", "athena", "external_location = '{{target}}'", "external_location = '{{output}}/details/'");
        Place table = plant("V4__events.sql", "athena", "CREATE TABLE {{> athena_schema}}.\"{{staged_table.events}}\"",
                "CREATE TABLE {{> athena_schema}}.\"{{staged_table.dau}}\"");

        Result result = lint();

        int location = "external_location = ".length();
        assertThat(result.out()).contains(
                file.right(location) + ": [athena-writes-own-target] athena: CREATE TABLE … AS writes to {{output}}/_staging/" + LintFixture.RUN
                        + "/rejects/brand=lintbrand/tracker=linttracker/channel=lintchannel/year=2031/month=12/day=31/rejects.json: "
                        + "it must be the step's whole {{target}}, with its trailing / (Athena writes only into an empty location, and the run made only that one for the step)",
                outside.right(location) + ": [write-outside-target] athena: CREATE TABLE … AS (external_location) writes to {{output}}/details/, "
                        + "in 'details', a dataset no step targets (nothing clears it); write under {{target}} or another step's {{staged.<dataset>}}",
                table.right("CREATE TABLE ".length()) + ": [athena-writes-own-target] athena: CREATE TABLE … AS makes staged__dau__" + LintFixture.RUN
                        + ": it must make the step's own {{staged_table.events}}, the table later steps and audits read and afterRun drops");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    /** Trino writes its staged tables with the same CTAS as Athena: where it writes is checked alike, and a write through another table is refused. */
    @Test
    void reportsATrinoCtasOutsideTheOutputAndAnInsertIntoAPublishedTable()
            throws IOException
    {
        Place outside = plant("V2__event_details.sql", "trino", "external_location = '{{target}}'", "external_location = 's3://elsewhere/x/'");
        Place insert = plant("V5__dau.sql", "trino_sql", "CREATE TABLE {{> schema}}.\"{{staged_table.dau}}\"",
                "INSERT INTO {{> schema}}.dau SELECT country, 1 FROM {{> schema}}.\"{{staged_table.events}}\";\nCREATE TABLE {{> schema}}.\"{{staged_table.dau}}\"");

        Result result = lint();

        assertThat(result.out()).contains(
                outside.right("external_location = ".length()) + ": [write-outside-target] trino: CREATE TABLE … AS (external_location) writes to s3://elsewhere/x/, outside the output;"
                        + " write under {{target}} or another step's {{staged.<dataset>}}");
        // one line of a trino_sql section, which Trino and Athena both run: one finding for both
        assertThat(result.out()).filteredOn(line -> line.contains("INSERT writes into the table dau")).singleElement().asString()
                .startsWith(insert.right("INSERT INTO ".length()) + ": [write-outside-target] athena, trino: INSERT writes into the table dau");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    /** A new dataset with Trino's and Athena's sections but no table to read it there: lint says what each engine lacks. */
    @Test
    void reportsADatasetThatNoTableReads()
            throws IOException
    {
        String devices = Loads.nextStep(sql, "devices").fileName();
        Files.writeString(sql.resolve(devices), """
                {{#duckdb}}
                COPY (SELECT DISTINCT device_id FROM read_parquet('{{staged.events}}*.parquet')) TO '{{target}}data.parquet' (FORMAT parquet);
                {{/duckdb}}
                {{#trino_sql}}
                CREATE TABLE {{> schema}}."{{staged_table.devices}}" WITH ({{> staged_parquet}}) AS SELECT DISTINCT device_id FROM {{> schema}}."{{staged_table.events}}";
                {{/trino_sql}}
                """);

        Result result = lint();

        assertThat(result.out()).containsExactly(
                sql + "/" + devices + ":4:1: [dataset-has-table] athena: no table reads dataset devices at {{output}}/devices/: declare one in V1"
                        + " (CREATE EXTERNAL TABLE … LOCATION … with its projection), or its files are published where no query sees them",
                sql + "/" + devices + ":4:1: [dataset-has-table] trino: no table reads dataset devices at {{output}}/devices/: declare one in V1"
                        + " (CREATE TABLE IF NOT EXISTS … WITH (external_location = …)), or its files are published where no query sees them");

        // with Trino's table declared, what is left there is the registration of its partitions
        Path v1 = sql.resolve("V1__functions.sql");
        String text = Files.readString(v1);
        int trino = text.indexOf("CREATE TABLE IF NOT EXISTS {{> trino_schema}}.dau");
        Files.writeString(v1, text.substring(0, trino) + "CREATE TABLE IF NOT EXISTS {{> trino_schema}}.devices (device_id varchar, brand varchar, tracker varchar,"
                + " channel varchar, year varchar, month varchar, day varchar)\nWITH (format = 'PARQUET', external_location = '{{output}}/devices/', {{> partitioned_by}});\n"
                + text.substring(trino));
        assertThat(lint().out()).contains(sql + "/" + devices + ":4:1: [dataset-has-table] trino: no afterPublish callback registers the partitions of devices"
                + " (system.register_partition): Trino's table reads only the partitions its metastore knows");
    }

    /** A header that stops every command stops lint too, naming the file as --sql-dir gave it. */
    @Test
    void namesAFileWithABadHeaderAsSqlDirGaveIt()
            throws IOException
    {
        plant("V5__dau.sql", "-- summary: rows", "-- summary: count by country, device_count");

        Result result = lint();

        assertThat(result.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(result.err()).startsWith("etl: " + sql + "/V5__dau.sql: summary 'count by country, device_count' is not 'rows' or 'count by <column>'");
    }

    /** A misspelled column in a summary header would fail only the summary of a load that published: lint reads it on the fixture. */
    @Test
    void reportsASummaryOfAColumnTheDatasetHasNot()
            throws IOException
    {
        Place place = plant("V3__rejects.sql", "-- summary: count by reason", "-- summary: count by reasn");

        Result result = lint();

        assertThat(result.out()).singleElement().asString()
                .startsWith(place.file() + ":" + place.line() + ":1: [summary-reads] duckdb: summary 'count by reasn' cannot read the step's dataset on the fixture: ")
                .contains("reasn");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsCtasPropertiesThatAreNotTrinosGrammar()
            throws IOException
    {
        // which property names Athena knows it says itself; that they are name = value is the grammar
        Place place = plant("V2__event_details.sql", "athena", "write_compression = 'ZSTD'", "write_compression 'ZSTD'");

        Result result = lint();

        assertThat(result.out()).singleElement().asString().startsWith(place.right("write_compression ".length())
                + ": [engine-accepts] athena: Trino's parser rejects the statement: mismatched input ''ZSTD''. Expecting: ");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsAProjectionThatDoesNotNameEveryPartitionColumn()
            throws IOException
    {
        // every day would read the month's folder: a query of one day would scan thirty
        Place place = plant("V1__functions.sql", "athena", "${month}/${day}/');", "${month}/');");

        Result result = lint();

        // at the property's name, on the same line as its value here
        assertThat(result.out()).containsExactly(place.column(place.lineText().indexOf("'storage") + 1)
                + ": [table-location] athena: 'storage.location.template' does not name ${day}: every partition would read the same folder");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void reportsATableOutsideTheDatasetRoots()
            throws IOException
    {
        Place place = plant("V1__functions.sql", "athena", "LOCATION '{{output}}/dau/'", "LOCATION '{{output}}/'");

        Result result = lint();

        // and dau, whose table it was, has none left
        assertThat(result.out()).containsExactly(place.right("LOCATION ".length())
                + ": [table-location] athena: table location {{output}}/ is neither a dataset root {{output}}/<dataset>/ of a step nor the source root {{source}}/",
                sql + "/V5__dau.sql:14:1: [dataset-has-table] athena: no table reads dataset dau at {{output}}/dau/: declare one in V1"
                        + " (CREATE EXTERNAL TABLE … LOCATION … with its projection), or its files are published where no query sees them");
        assertThat(result.exitCode()).isEqualTo(ExitCode.STEP_FAILED);
    }

    @Test
    void listsTheRulesAFindingNames()
    {
        Result rules = run("lint", "--rules");
        Result help = run("lint", "--help");

        assertThat(rules.exitCode()).isEqualTo(ExitCode.DONE);
        assertThat(rules.out()).hasSize(Linter.rules().size());
        Linter.rules().forEach((id, description) -> {
            assertThat(rules.out()).anySatisfy(line -> assertThat(line).startsWith(id + " ").endsWith(" " + description));
            assertThat(String.join(" ", help.out())).contains(id);
        });
    }

    @Test
    void refusesAFolderThatIsNotThere()
    {
        Result result = run("lint", "--sql-dir", temporary.resolve("missing").toString());

        assertThat(result.err()).contains("--sql-dir").contains("is not a folder");
        assertThat(result.exitCode()).isEqualTo(ExitCode.REFUSED);

        // run outside a project, without the flag: it named a flag the user never gave
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Etl(new Console(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                temporary.resolve("elsewhere"), false)).run("lint");
        assertThat(code).isEqualTo(ExitCode.REFUSED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no sql/ folder at " + temporary.resolve("elsewhere/sql")).contains("give --sql-dir")
                .doesNotContain("--sql-dir " + temporary);
    }

    /** "15 files (7 steps, 6 audits, 2 callbacks) × 3 engines", from the project's sql/ and the engines the runner knows. */
    private static String scope()
            throws IOException
    {
        return scope(HOME.resolve("sql"));
    }

    /** The same for the files of {@code folder}, told apart by their names as ScriptResolver does. */
    private static String scope(Path folder)
            throws IOException
    {
        List<String> names;
        try (Stream<Path> files = Files.list(folder)) {
            names = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".sql")).toList();
        }
        long steps = names.stream().filter(name -> name.startsWith("V")).count();
        long audits = names.stream().filter(name -> name.startsWith("A")).count();
        long callbacks = names.stream().filter(name -> name.startsWith("after")).count();
        return count(names.size(), "file") + " (" + count(steps, "step") + ", " + count(audits, "audit") + ", " + count(callbacks, "callback") + ") × "
                + count(EngineKind.values().length, "engine");
    }

    private static String count(long count, String noun)
    {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    private Result lint()
    {
        return run("lint", "--sql-dir", sql.toString(), "--templates-dir", templates.toString());
    }

    private static Result run(String... arguments)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = new Etl(new Console(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), HOME, false))
                .run(arguments);
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8).lines().toList(), err.toString(StandardCharsets.UTF_8));
    }

    /** The template without one engine's section (the other engines' sections stay). */
    private static String withoutSection(String text, String engine)
    {
        int open = text.indexOf("{{#" + engine + "}}");
        String close = "{{/" + engine + "}}";
        int end = text.indexOf(close, open) + close.length();
        return text.substring(0, open) + text.substring(end).replaceFirst("^\n", "");
    }

    /** Replaces the one occurrence of {@code original} in a file of sql/ and returns where the replacement starts. */
    private Place plant(String step, String original, String replacement)
            throws IOException
    {
        Path file = sql.resolve(step);
        String text = Files.readString(file);
        return plant(file, text, 0, text.length(), original, replacement);
    }

    /** The same, within the file's section for {@code engine}: the other engines' sections say the same things their own way. */
    private Place plant(String step, String engine, String original, String replacement)
            throws IOException
    {
        Path file = sql.resolve(step);
        String text = Files.readString(file);
        int open = text.indexOf("{{#" + engine + "}}");
        assertThat(open).as("a {{#%s}} section in %s", engine, step).isNotNegative();
        return plant(file, text, open, text.indexOf("{{/" + engine + "}}", open), original, replacement);
    }

    private static Place plant(Path file, String text, int from, int to, String original, String replacement)
            throws IOException
    {
        String region = text.substring(from, to);
        int at = region.indexOf(original);
        assertThat(at).as("'%s' in %s", original, file.getFileName()).isNotNegative();
        assertThat(region.indexOf(original, at + 1)).as("a second '%s' in %s", original, file.getFileName()).isNegative();
        at += from;
        Files.writeString(file, text.substring(0, at) + replacement + text.substring(at + original.length()));
        int lineStart = text.lastIndexOf('\n', at - 1) + 1;
        int lineEnd = text.indexOf('\n', at);
        return new Place(file.toString(), lineOf(text, at), at - lineStart + 1, text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd));
    }

    /** One finding per engine, in the order lint sorts them (by engine within a line). */
    private static int lineOf(String text, int offset)
    {
        return (int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }

    private static Path copy(Path from, Path to)
            throws IOException
    {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.toList()) {
                Files.copy(file, to.resolve(file.getFileName()));
            }
        }
        return to;
    }

    private static Map<String, String> snapshot(Path folder)
            throws IOException
    {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(path).toString(), Files.readString(path));
            }
        }
        return files;
    }

    private record Result(int exitCode, List<String> out, String err) {}

    /** A place in a step, as a finding names it ({@code sql/V5__dau.sql:12:5}), and its line as it was before the plant. */
    private record Place(String file, int line, int column, String lineText)
    {
        /** The place {@code characters} further right on the same line. */
        String right(int characters)
        {
            return column(column + characters);
        }

        String column(int column)
        {
            return file + ":" + line + ":" + column;
        }

        /** The line's first column, where a finding points when Mustache names the line only. */
        String lineStart()
        {
            return column(1);
        }

        /** The line's first word, where a finding points when the engine names the line only. */
        String firstWord()
        {
            return column(lineText.length() - lineText.stripLeading().length() + 1);
        }

        @Override
        public String toString()
        {
            return right(0);
        }
    }
}
