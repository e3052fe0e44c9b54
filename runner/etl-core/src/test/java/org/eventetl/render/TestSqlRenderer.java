package org.eventetl.render;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.Optional;

import org.eventetl.model.EngineKind;
import org.eventetl.model.UserException;
import org.eventetl.config.Settings;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.plan.Callback;
import org.eventetl.plan.Checksum;
import org.eventetl.plan.Step;
import org.eventetl.plan.StepName;
import org.eventetl.plan.ScriptResolver;
import org.eventetl.storage.Location;
import org.eventetl.storage.SourceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestSqlRenderer
{
    private static final Path HOME = Path.of(System.getProperty("etl.home"));

    @TempDir
    Path templates;

    @Test
    void testValueWithQuoteIsEscaped()
    {
        SqlRenderer renderer = new SqlRenderer(templates);

        String sql = renderer.render(step("SELECT '{{value}}' AS v, '{{other}}' AS w;"), Map.of("value", "it's", "other", "'; DROP TABLE x; --"));

        assertThat(sql).isEqualTo("SELECT 'it''s' AS v, '''; DROP TABLE x; --' AS w;\n");
        // the literal still holds: one statement, the semicolon inside it is text
        assertThat(Statements.split(sql)).hasSize(1);
    }

    @Test
    void testNoHtmlEscaping()
    {
        SqlRenderer renderer = new SqlRenderer(templates);

        assertThat(renderer.render(step("SELECT '{{value}}';"), Map.of("value", "a<b>&\"c\"")))
                .isEqualTo("SELECT 'a<b>&\"c\"';\n");
    }

    @Test
    void testPartialInlinedWithoutTrailingNewline()
            throws IOException
    {
        Files.writeString(templates.resolve("where_day.mustache"), "day = '{{day}}'\n\n");
        SqlRenderer renderer = new SqlRenderer(templates);

        String sql = renderer.render(step("SELECT * FROM t WHERE {{> where_day}} AND x = 1;"), Map.of("day", "0'9"));

        assertThat(sql).isEqualTo("SELECT * FROM t WHERE day = '0''9' AND x = 1;\n");
    }

    /** A stray byte in a partial became U+FFFD in the rendered SQL: render and validate passed it, only the engine refused it. */
    @Test
    void testPartialThatIsNotUtf8IsNamed()
            throws IOException
    {
        Files.write(templates.resolve("where_day.mustache"), new byte[] {'d', 'a', 'y', ' ', (byte) 0xFF, '\n'});
        SqlRenderer renderer = new SqlRenderer(templates);

        assertThatThrownBy(() -> renderer.render(step("SELECT * FROM t WHERE {{> where_day}};"), Map.of()))
                .hasMessageContaining(templates.resolve("where_day.mustache") + ":1: not UTF-8 (the byte 0xFF at byte 4 of the file)");
    }

    @Test
    void testSections()
    {
        SqlRenderer renderer = new SqlRenderer(templates);
        Step step = step("-- head\n{{#duckdb}}\nSELECT 'duck';\n{{/duckdb}}\n{{#athena}}\nSELECT 'athena';\n{{/athena}}\n");

        String duckdb = renderer.render(step, Map.of("duckdb", true, "athena", false));
        String athena = renderer.render(step, Map.of("duckdb", false, "athena", true));

        assertThat(duckdb).startsWith("-- head\n").contains("SELECT 'duck';").doesNotContain("athena").doesNotContain("\n\n\n").endsWith(";\n");
        assertThat(athena).startsWith("-- head\n").contains("SELECT 'athena';").doesNotContain("duck").doesNotContain("\n\n\n").endsWith(";\n");
    }

    @Test
    void testUnknownNameFails()
    {
        SqlRenderer renderer = new SqlRenderer(templates);

        assertThatThrownBy(() -> renderer.render(step("SELECT * FROM read_parquet('{{locations.event}}*.parquet');"),
                Map.of("locations", Map.of("events", "/out/events/"))))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("sql/V1__test.sql");
    }

    @Test
    void testMissingPartial()
    {
        SqlRenderer renderer = new SqlRenderer(templates);

        assertThatThrownBy(() -> renderer.render(step("SELECT {{> nowhere}};"), Map.of()))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void testProjectStepsRender()
    {
        PlanRenderer plan = new PlanRenderer(new ScriptResolver(HOME.resolve("sql")).resolve(), new SqlRenderer(HOME.resolve("templates")));
        Partition partition = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));
        List<SourceFile> files = List.of(
                // large enough for the line reader (small files are read whole, see testSmallFilesAreReadWhole)
                new SourceFile(Location.local(Path.of("/data/raw/olx/hydra/android/2017/08/09/part-00000.json")), 10_000_000),
                new SourceFile(Location.local(Path.of("/data/raw/olx/hydra/android/2017/08/09/part-00001.json.gz")), 20));
        Location output = Location.local(Path.of("/data/out"));

        List<RenderedStep> first = render(plan, partition, files, output);
        List<RenderedStep> second = render(plan, partition, files, output);
        // nothing the steps write is published while they run: every write goes to the run's staging
        for (RenderedStep step : first) {
            assertThat(step.sql()).as(step.step().id()).doesNotContain("/data/out/event_details/", "/data/out/events/", "/data/out/dau/");
        }

        assertThat(first).extracting(step -> step.step().id())
                .containsExactly("V1__functions", "V2__event_details", "V3__rejects", "V4__events", "V5__dau", "V6__hourly_activity", "V7__location_grid");
        assertThat(first).extracting(RenderedStep::sql).isEqualTo(second.stream().map(RenderedStep::sql).toList());
        for (RenderedStep step : first) {
            assertThat(step.sql()).as(step.step().id()).doesNotContain("{{", "}}");
            assertThat(step.statements()).as(step.step().id()).isNotEmpty();
            assertThat(step.engine()).isEqualTo("duckdb");
            // the run's id is taken out of the checksum, so two runs of the same SQL compare equal
            assertThat(step.renderedChecksum()).isEqualTo(Checksum.of(step.sql().replace(RUN.value(), "<run>")));
        }

        String hive = "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09/";
        String staging = "/data/out/_staging/" + RUN + "/";
        RenderedStep details = first.get(1);
        assertThat(details.target()).map(target -> target.prefix()).contains(staging + "event_details/" + hive);
        assertThat(details.sql())
                .contains("'/data/raw/olx/hydra/android/2017/08/09/part-00000.json', '/data/raw/olx/hydra/android/2017/08/09/part-00001.json.gz']")
                .contains("TO '" + staging + "event_details/" + hive + "data.parquet'");
        assertThat(first.get(0).target()).isEmpty();
        assertThat(first.get(2).target()).map(target -> target.prefix()).contains(staging + "rejects/" + hive);
        assertThat(first.get(3).sql()).contains("read_parquet('" + staging + "event_details/" + hive + "*.parquet')");
        assertThat(first.get(4).sql()).contains("read_parquet('" + staging + "events/" + hive + "*.parquet')");
    }

    @Test
    void testAfterRunRenderedForAnotherRunDropsThatRunsTables()
    {
        PlanRenderer plan = new PlanRenderer(new ScriptResolver(HOME.resolve("sql")).resolve(), new SqlRenderer(HOME.resolve("templates")));
        Partition partition = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));
        Location folder = Location.of("s3://raw/olx/hydra/android/2017/08/09");
        RenderContext context = new RenderContext(partition, EngineKind.TRINO, folder, List.of(), Location.of("s3://out"), RUN, Settings.defaultSettings(),
                Map.of("max_reject_ratio", 0.01, "min_volume_ratio", 0.5, "recent_days", List.of(), "any_recent_day", false,
                        "published_rows", Map.of("event_details", 0L)));
        RunId dead = new RunId("20170809_090000_deadbeef");

        List<RenderedScript> callbacks = plan.callbacks(context, dead, Callback.Event.AFTER_RUN);

        String sql = String.join("\n", callbacks.stream().map(RenderedScript::sql).toList());
        assertThat(sql).contains("\"staged__event_details__" + dead + "\"").contains("\"staged__location_grid__" + dead + "\"")
                .doesNotContain(RUN.value());
        assertThat(callbacks).extracting(RenderedScript::id).isNotEmpty().allMatch(id -> id.startsWith("afterRun"));
    }

    @Test
    void testProjectStepsEscapeFileNames()
    {
        PlanRenderer plan = new PlanRenderer(new ScriptResolver(HOME.resolve("sql")).resolve(), new SqlRenderer(HOME.resolve("templates")));
        Partition partition = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));
        List<SourceFile> files = List.of(new SourceFile(Location.local(Path.of("/data/o'brien/part.json")), 10));

        List<RenderedStep> steps = render(plan, partition, files, Location.local(Path.of("/data/out'put")));

        assertThat(steps.get(1).sql()).contains("['/data/o''brien/part.json']").contains("'/data/out''put/_staging/");
        assertThat(steps.get(1).sql()).doesNotContain("o'brien", "out'put");
    }

    @Test
    void testSourceFilesAreLiteralGlobs()
    {
        PlanRenderer plan = new PlanRenderer(new ScriptResolver(HOME.resolve("sql")).resolve(), new SqlRenderer(HOME.resolve("templates")));
        Partition partition = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));
        List<SourceFile> files = List.of(new SourceFile(Location.local(Path.of("/data/x[1]*?.json")), 10_000_000),
                new SourceFile(Location.local(Path.of("/data/y[2].json")), 10));

        List<RenderedStep> steps = render(plan, partition, files, Location.local(Path.of("/data/out")));

        // the extraction and the line reader both name the file so that it matches only itself
        assertThat(steps.get(1).sql()).contains("read_csv(['/data/x[[]1][*][?].json']");
        assertThat(steps.get(2).sql()).contains("read_csv(['/data/x[[]1][*][?].json']");
        // and so does the whole-file read of a small file
        assertThat(steps.get(1).sql()).contains("read_blob(['/data/y[[]2].json'])");
    }

    @Test
    void testSmallFilesAreReadWholeAndManyThroughAGlob()
    {
        PlanRenderer plan = new PlanRenderer(new ScriptResolver(HOME.resolve("sql")).resolve(), new SqlRenderer(HOME.resolve("templates")));
        Partition partition = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));
        List<SourceFile> files = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            files.add(new SourceFile(Location.local(Path.of("/data/[raw]/part-" + i + ".json")), 3000));
        }

        List<RenderedStep> steps = render(plan, partition, files, Location.local(Path.of("/data/out")));

        // one glob for the folder, its own brackets literal; its count is checked before the read
        assertThat(steps.get(1).sql()).contains("read_blob('/data/[[]raw]/[!_.]*')").contains("FROM glob('/data/[[]raw]/[!_.]*')")
                .contains("<> 1000").doesNotContain("part-0.json").doesNotContain("read_csv(");
        // one file fewer: the list
        List<RenderedStep> fewer = render(plan, partition, files.subList(0, 999), Location.local(Path.of("/data/out")));
        assertThat(fewer.get(1).sql()).contains("'/data/[[]raw]/part-0.json'").doesNotContain("[!_.]*");
        // a backslash in a name: DuckDB's glob would not match it, so the list
        List<RenderedStep> backslash = render(plan, partition, Stream.concat(files.stream(),
                Stream.of(new SourceFile(Location.local(Path.of("/data/[raw]/back\\slash.json")), 3000))).toList(), Location.local(Path.of("/data/out")));
        assertThat(backslash.get(1).sql()).contains("'/data/[[]raw]/back\\slash.json'").doesNotContain("[!_.]*");
        // a large file among them: the small ones are listed for the whole-file read, the large one for the line reader
        files.set(0, new SourceFile(Location.local(Path.of("/data/[raw]/part-0.json")), 2_000_000));
        List<RenderedStep> mixed = render(plan, partition, files, Location.local(Path.of("/data/out")));
        assertThat(mixed.get(1).sql()).contains("read_csv(['/data/[[]raw]/part-0.json']").contains("'/data/[[]raw]/part-1.json'")
                .doesNotContain("read_blob('/data/[[]raw]/[!_.]*')");
    }

    @Test
    void testStepWithoutEngineSectionRefused()
            throws IOException
    {
        Path sql = Files.createDirectory(templates.resolve("sql"));
        Files.writeString(sql.resolve("V1__events.sql"), "-- nothing for this engine yet\n{{^duckdb}}\nSELECT 1;\n{{/duckdb}}\n");
        PlanRenderer plan = new PlanRenderer(new ScriptResolver(sql).resolve(), new SqlRenderer(templates));

        assertThatThrownBy(() -> render(plan, new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9)),
                List.of(new SourceFile(Location.local(Path.of("/x.json")), 1)), Location.local(Path.of("/out"))))
                .isInstanceOf(UserException.class)
                .hasMessageContaining("V1__events.sql")
                .hasMessageContaining("{{#duckdb}}");
    }

    private static final RunId RUN = new RunId("20170809_101112_0123abcd");

    private static List<RenderedStep> render(PlanRenderer plan, Partition partition, List<SourceFile> files, Location output)
    {
        Location folder = Location.of(files.get(0).location().uri().substring(0, files.get(0).location().uri().lastIndexOf('/')));
        return plan.render(new RenderContext(partition, EngineKind.DUCKDB, folder, files, output, RUN, Settings.defaultSettings(),
                Map.of("max_reject_ratio", 0.01, "min_volume_ratio", 0.5, "recent_days", List.of(), "any_recent_day", false,
                        "published_rows", Map.of("event_details", 0L)))).steps();
    }

    private static Step step(String template)
    {
        return new Step(new StepName(1, "test"), "sql/V1__test.sql", template, Checksum.of(template), Optional.empty(), Step.Condition.ALWAYS);
    }
}
