package org.eventetl.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.eventetl.model.TextFiles;
import org.eventetl.model.UserException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestScriptResolver
{
    @TempDir
    Path sql;

    @Test
    void testNumericOrder()
            throws IOException
    {
        write("V10__ten.sql", "SELECT 10;");
        write("V9__nine.sql", "SELECT 9;");
        write("V2__two.sql", "SELECT 2;");
        write("V1__one.sql", "SELECT 1;");
        write("V100__hundred.sql", "SELECT 100;");

        assertThat(new ScriptResolver(sql).resolve().steps())
                .extracting(Step::id)
                .containsExactly("V1__one", "V2__two", "V9__nine", "V10__ten", "V100__hundred");
    }

    @Test
    void testStepContent()
            throws IOException
    {
        String template = "-- a comment\nSELECT 1;\n";
        write("V3__events.sql", template);

        Step step = new ScriptResolver(sql).resolve().steps().get(0);
        assertThat(step.version()).isEqualTo(3);
        assertThat(step.name()).isEqualTo(new StepName(3, "events"));
        assertThat(step.template()).isEqualTo(template);
        assertThat(step.checksum()).isEqualTo(Checksum.of(template));
        assertThat(step.file()).isEqualTo(sql.getFileName() + "/V3__events.sql");
        assertThat(step.dataset()).contains("events");
        assertThat(step.condition()).isEqualTo(Step.Condition.ALWAYS);
    }

    @Test
    void testDuplicateVersion()
            throws IOException
    {
        write("V1__one.sql", "SELECT 1;");
        write("V2__events.sql", "SELECT 2;");
        write("V2__dau.sql", "SELECT 2;");

        assertThatThrownBy(() -> new ScriptResolver(sql).resolve().steps())
                .isInstanceOf(UserException.class)
                .hasMessageContaining("version 2")
                .hasMessageContaining("V2__events.sql")
                .hasMessageContaining("V2__dau.sql");
    }

    /** A step that is not UTF-8, or a folder named like a step: named, with the line, where the message named only the folder ("Input length = 3"). */
    @Test
    void testNotUtf8OrAFolder()
            throws IOException
    {
        write("V1__one.sql", "SELECT 1;");
        Files.write(sql.resolve("V2__two.sql"), new byte[] {'S', 'E', 'L', '\n', 'x', ' ', (byte) 0xE9, 't', 'e', '\n'});
        assertThatThrownBy(() -> new ScriptResolver(sql).resolve())
                .isInstanceOf(UserException.class)
                .hasMessage(sql.resolve("V2__two.sql") + ":2: not UTF-8 (the byte 0xE9 at byte 6 of the file); save it as UTF-8");

        Files.delete(sql.resolve("V2__two.sql"));
        Files.createDirectories(sql.resolve("V2__two.sql"));
        assertThatThrownBy(() -> new ScriptResolver(sql).resolve())
                .isInstanceOf(UserException.class)
                .hasMessage(sql.resolve("V2__two.sql") + " is a folder, not a file of SQL: move it away");
    }

    /**
     * A file of SQL over the limit is refused by its name and size before it is read: the template
     * library compiles 100,000 lines in minutes. One at the limit is read.
     */
    @Test
    void testFileOverTheSizeLimit()
            throws IOException
    {
        String line = "-- a line of a generated step, sixty-four bytes long ..........\n";
        int lines = (int) (TextFiles.MAX_BYTES / line.length());
        write("V1__one.sql", "SELECT 1;\n" + line.repeat(lines - 1));
        assertThat(new ScriptResolver(sql).resolve().steps()).hasSize(1);

        write("V1__one.sql", "SELECT 1;\n" + line.repeat(lines));
        assertThatThrownBy(() -> new ScriptResolver(sql).resolve())
                .isInstanceOf(UserException.class)
                .hasMessage(sql.resolve("V1__one.sql") + ": 262,154 bytes, over the 256 KiB a file of SQL or a partial may hold (the template library would take"
                        + " minutes to compile it); split it, or keep data in a table the SQL reads");
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1__one.sql", "V1_one.sql", "V1__One.sql", "1__one.sql", "V01__one.sql", "V0__one.sql", "V1__.sql",
            "V1__one-two.sql", "V1__1one.sql", "Vx__one.sql", "V1__one.SQL.sql", "V1__one .sql"})
    void testBadFileName(String fileName)
            throws IOException
    {
        write("V2__good.sql", "SELECT 2;");
        write(fileName, "SELECT 1;");

        assertThatThrownBy(() -> new ScriptResolver(sql).resolve().steps())
                .isInstanceOf(UserException.class)
                .hasMessageContaining("'" + fileName + "'")
                .hasMessageContaining("V<version>__<name>.sql")
                .hasMessageContaining("e.g. " + StepName.EXAMPLE);
    }

    @Test
    void testOtherFilesIgnored()
            throws IOException
    {
        write("V1__one.sql", "SELECT 1;");
        write("README.md", "not a step");
        write("V2__two.sql.bak", "SELECT 2;");
        Files.createDirectories(sql.resolve("V3__folder.sql.d"));

        assertThat(new ScriptResolver(sql).resolve().steps()).extracting(Step::id).containsExactly("V1__one");
    }

    @Test
    void testSqlInAnotherCaseRefused()
            throws IOException
    {
        write("V1__one.sql", "SELECT 1;");
        write("V2__two.SQL", "SELECT 2;");

        assertThatThrownBy(() -> new ScriptResolver(sql).resolve())
                .isInstanceOf(UserException.class)
                .hasMessageEndingWith("V2__two.SQL ends in .SQL: name it .sql, or move it out of " + sql.getFileName());
    }

    @Test
    void testNoSteps()
            throws IOException
    {
        assertThatThrownBy(() -> new ScriptResolver(sql).resolve().steps())
                .isInstanceOf(UserException.class)
                .hasMessageContaining("no steps");
        assertThatThrownBy(() -> new ScriptResolver(sql.resolve("missing")).resolve().steps())
                .isInstanceOf(UserException.class)
                .hasMessageContaining("no step folder");
    }

    @Test
    void testDirectives()
            throws IOException
    {
        write("V1__functions.sql", "-- helpers\n-- target: none\nSELECT 1;\n");
        write("V2__event_details.sql", "-- extraction\nSELECT 2;\n");
        write("V3__rejects.sql", "-- the rejects\r\n--target:   rejects\r\n-- when: rows_dropped\r\nSELECT 3;\r\n");
        write("V4__events.sql", "--   when:   ALWAYS  \n-- target: events_sorted\nSELECT 4;\n");

        List<Step> steps = new ScriptResolver(sql).resolve().steps();
        assertThat(steps).extracting(Step::dataset)
                .containsExactly(Optional.empty(), Optional.of("event_details"), Optional.of("rejects"), Optional.of("events_sorted"));
        assertThat(steps).extracting(Step::condition)
                .containsExactly(Step.Condition.ALWAYS, Step.Condition.ALWAYS, Step.Condition.ROWS_DROPPED, Step.Condition.ALWAYS);
    }

    @Test
    void testDirectivesOnlyInHeader()
            throws IOException
    {
        write("V1__events.sql", "-- header\nSELECT 1;\n-- target: none\n-- when: rows_dropped\n");
        write("V2__dau.sql", "\n-- target: none\nSELECT 2;\n");

        List<Step> steps = new ScriptResolver(sql).resolve().steps();
        assertThat(steps).extracting(Step::dataset).containsExactly(Optional.of("events"), Optional.of("dau"));
        assertThat(steps).extracting(Step::condition).containsOnly(Step.Condition.ALWAYS);
    }

    @Test
    void testBadTarget()
            throws IOException
    {
        write("V1__events.sql", "-- target: ../events\nSELECT 1;\n");

        assertThatThrownBy(() -> new ScriptResolver(sql).resolve().steps())
                .isInstanceOf(UserException.class)
                .hasMessageContaining("V1__events.sql")
                .hasMessageContaining("'../events'");
    }

    @Test
    void testUnknownCondition()
            throws IOException
    {
        write("V1__events.sql", "-- when: sometimes\nSELECT 1;\n");

        assertThatThrownBy(() -> new ScriptResolver(sql).resolve().steps())
                .isInstanceOf(UserException.class)
                .hasMessageContaining("V1__events.sql")
                .hasMessageContaining("'sometimes'")
                .hasMessageContaining("rows_dropped");
    }

    @Test
    void testScopeDirective()
            throws IOException
    {
        write("V1__functions.sql", "-- tables\n-- target: none\n-- scope: database\nSELECT 1;\n");
        write("V2__events.sql", "-- scope: partition\nSELECT 2;\n");
        write("V3__dau.sql", "SELECT 3;\n");

        assertThat(new ScriptResolver(sql).resolve().steps()).extracting(Step::scope)
                .containsExactly(Step.Scope.DATABASE, Step.Scope.PARTITION, Step.Scope.PARTITION);
    }

    @Test
    void testBadScope()
            throws IOException
    {
        write("V1__events.sql", "-- scope: cluster\nSELECT 1;\n");

        assertThatThrownBy(() -> new ScriptResolver(sql).resolve().steps())
                .isInstanceOf(UserException.class)
                .hasMessageContaining("V1__events.sql")
                .hasMessageContaining("'cluster'")
                .hasMessageContaining("partition, database");

        // a schema step runs once per database: it cannot also fill a partition's dataset
        write("V1__events.sql", "-- scope: database\nSELECT 1;\n");
        assertThatThrownBy(() -> new ScriptResolver(sql).resolve().steps())
                .isInstanceOf(UserException.class)
                .hasMessageContaining("'-- target: none'");
    }

    @Test
    void testShowDirective()
            throws IOException
    {
        write("V1__events.sql", "-- show: ORDER BY country NULLS LAST, device_id\nSELECT 1;\n");
        write("V2__rejects.sql", "-- show: file order\nSELECT 2;\n");
        write("V3__dau.sql", "SELECT 3;\n");

        Scripts scripts = new ScriptResolver(sql).resolve();
        assertThat(scripts.steps()).extracting(Step::showOrder)
                .containsExactly(Optional.of("country NULLS LAST, device_id"), Optional.of(""), Optional.empty());
        assertThat(scripts.showOrder("events")).contains("country NULLS LAST, device_id");
        assertThat(scripts.showOrder("dau")).isEmpty();

        write("V3__dau.sql", "-- show: by country\nSELECT 3;\n");
        assertThatThrownBy(() -> new ScriptResolver(sql).resolve())
                .isInstanceOf(UserException.class)
                .hasMessage(sql.getFileName() + "/V3__dau.sql: '-- show: by country' is neither 'order by <expressions>' nor 'file order'");
        write("V3__dau.sql", "-- target: none\n-- show: file order\nSELECT 3;\n");
        assertThatThrownBy(() -> new ScriptResolver(sql).resolve())
                .isInstanceOf(UserException.class)
                .hasMessageContaining("'-- show:' needs a dataset");
    }

    @Test
    void testProjectSteps()
    {
        Path home = Path.of(System.getProperty("etl.home"));
        List<Step> steps = new ScriptResolver(home.resolve("sql")).resolve().steps();

        assertThat(steps).extracting(Step::id)
                .containsExactly("V1__functions", "V2__event_details", "V3__rejects", "V4__events", "V5__dau", "V6__hourly_activity", "V7__location_grid");
        assertThat(steps).extracting(Step::dataset)
                .containsExactly(Optional.empty(), Optional.of("event_details"), Optional.of("rejects"), Optional.of("events"), Optional.of("dau"),
                        Optional.of("hourly_activity"), Optional.of("location_grid"));
        assertThat(steps).extracting(Step::condition)
                .containsExactly(Step.Condition.ALWAYS, Step.Condition.ALWAYS, Step.Condition.ROWS_DROPPED, Step.Condition.ALWAYS, Step.Condition.ALWAYS,
                        Step.Condition.ALWAYS, Step.Condition.ALWAYS);
        assertThat(steps).extracting(Step::scope).containsExactly(Step.Scope.DATABASE, Step.Scope.PARTITION, Step.Scope.PARTITION, Step.Scope.PARTITION,
                Step.Scope.PARTITION, Step.Scope.PARTITION, Step.Scope.PARTITION);
    }

    private void write(String fileName, String text)
            throws IOException
    {
        Files.writeString(sql.resolve(fileName), text);
    }
}
