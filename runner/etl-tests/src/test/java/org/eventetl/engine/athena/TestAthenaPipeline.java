package org.eventetl.engine.athena;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.cli.ExitCode;
import org.eventetl.config.Settings;
import org.eventetl.history.StepRecord;
import org.eventetl.history.HistoryStore;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.model.EngineKind;
import org.eventetl.partition.Partition;
import org.eventetl.render.RenderedStep;
import org.eventetl.render.Statements;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;
import org.eventetl.storage.Location;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.S3Storage;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.testing.AthenaStub.QueryScript;
import org.eventetl.testing.AthenaStub;
import org.eventetl.testing.Cli;
import org.eventetl.testing.Loads;
import org.eventetl.testing.RawFiles;
import org.eventetl.testing.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The athena engine end to end through the command line, against {@link AthenaStub} (a strict
 * stub of Athena's API, not Athena) for the queries and S3Proxy for S3: the listing of the source,
 * the clearing of each target, the history and the schema markers. The stub expects exactly the
 * statements {@code render} prints for the partition, in order, and scripts what Athena answers.
 */
final class TestAthenaPipeline
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");
    private static final Location SOURCE = new Location("s3://etl/raw");
    private static final String REGION = "us-east-1";
    private static final String WORKGROUP = "etl-workgroup";
    private static final String DATABASE = "etl_test";
    private static final String RESULTS = "s3://etl/athena-results/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static S3ProxyServer s3;
    private static S3Storage storage;

    @TempDir
    Path work;

    private final List<AthenaStub> stubs = new ArrayList<>();

    @BeforeAll
    static void start()
            throws Exception
    {
        s3 = new S3ProxyServer("etl");
        storage = s3.storage();
        Path source = Files.createTempDirectory("athena-source");
        new SampleWriter(new SampleSpec(DAY, source, 2_000, 2, 5, 0.05, 0.01, false)).write(bytes -> {});
        RawFiles.write(source, DAY, "edge.json", "{\"meta\":{\"session_long\":\"d\"},\"params\":{\"cc\":\"gh\"}}", "", "not json");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                storage.write(SOURCE.resolve(source.relativize(file).toString()), Files.readAllBytes(file));
            }
        }
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        if (storage != null) {
            storage.close();
        }
        if (s3 != null) {
            s3.close();
        }
    }

    @AfterEach
    void closeStubs()
    {
        stubs.forEach(AthenaStub::close);
    }

    @Test
    void aWholeDaySucceedsAndTheSummaryShowsTheStubsStatisticsAndCost()
            throws Exception
    {
        Location output = new Location("s3://etl/whole-day");
        Location stray = new PublishedPrefix(output, "events", DAY).location().resolve("stray.parquet");
        storage.write(stray, new byte[] {1});
        Plan plan = plan(output, true, true);
        AthenaStub stub = stub(plan);
        stub.script(plan.first("V2__event_details"), QueryScript.succeeds().states("QUEUED", "QUEUED", "RUNNING", "SUCCEEDED")
                        .scanned(1_862_650_000L, 24_700, 310).rows(2_005, 1_995))
                .script(plan.first("V3__rejects"), QueryScript.succeeds().scanned(1_862_630_000L, 20_100, 0).rows(2_005, 10))
                .script(plan.first("V4__events"), QueryScript.succeeds().scanned(161_500_000, 3_000, 0).rows(1_995, 1_995))
                .script(plan.first("V5__dau"), QueryScript.succeeds().scanned(8_700_000, 900, 20).rows(1_995, 2));

        Cli.Result load = Cli.run("load", "--config", config(stub, output).toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", output.uri());

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(stub.started()).isEqualTo(plan.statements.size());
        assertThat(load.out()).contains("on athena");
        assertThat(load.out().lines()).anyMatch(line -> line.matches("V1__functions\\s+0\\s+0\\.0\\s+\\S+\\s+0\\.00\\s+0\\.00\\s+0\\.000000"));
        // 1,862.65 MB, billed as 1,863 MB at 5 USD per TB; 8.7 MB is billed as the 10 MB minimum
        assertThat(load.out().lines()).anyMatch(line -> line.matches("V2__event_details\\s+1,995\\s+1862\\.7\\s+\\S+\\s+24\\.70\\s+0\\.31\\s+0\\.009315"));
        assertThat(load.out().lines()).anyMatch(line -> line.matches("V3__rejects\\s+10\\s+1862\\.6\\s+\\S+\\s+20\\.10\\s+0\\.00\\s+0\\.009315"));
        assertThat(load.out().lines()).anyMatch(line -> line.matches("V4__events\\s+1,995\\s+161\\.5\\s+\\S+\\s+3\\.00\\s+0\\.00\\s+0\\.000810"));
        assertThat(load.out().lines()).anyMatch(line -> line.matches("V5__dau\\s+2\\s+8\\.7\\s+\\S+\\s+0\\.90\\s+0\\.02\\s+0\\.000050"));
        assertThat(load.out().lines()).anyMatch(line -> line.matches("total\\s+3895\\.5\\s+\\S+\\s+\\S+\\s+0\\.33\\s+0\\.019490"));
        assertThat(load.out()).contains("rejects: 10 (0.499%)").contains("(none: the partition's dau prefix holds no rows)");
        // the stub refuses an UNLOAD into a location that holds anything: the stray object went first
        assertThat(storage.read(stray)).isEmpty();
        assertThat(storage.read(output.resolve("_etl/schema/athena/" + DATABASE + "/V1__functions__" + plan.step("V1__functions").renderedChecksum() + ".json")))
                .isPresent();
        assertThat(history(output)).extracting(StepRecord::step, StepRecord::outcome).contains(
                org.assertj.core.groups.Tuple.tuple("V1__functions", StepRecord.Outcome.APPLIED),
                org.assertj.core.groups.Tuple.tuple("V2__event_details", StepRecord.Outcome.APPLIED));

        // the second load of the day, or of any other day: the schema step is recorded as done, and not run again
        Plan again = plan(output, false, false);
        AthenaStub second = stub(again);
        Cli.Result rerun = Cli.run("load", "--config", config(second, output).toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", output.uri(),
                "--json");

        assertThat(second.violations()).isEmpty();
        assertThat(rerun.code()).as(rerun.err()).isEqualTo(ExitCode.DONE);
        assertThat(second.started()).isEqualTo(again.statements.size());
        JsonNode summary = JSON.readTree(rerun.out());
        assertThat(summary.path("steps").get(0).path("step").asText()).isEqualTo("V1__functions");
        assertThat(summary.path("steps").get(0).path("skipped").asBoolean()).isTrue();
        assertThat(summary.path("steps").get(1).has("cost_usd")).isTrue();
        assertThat(summary.path("cost_usd").asDouble()).isZero();
        StepRecord schema = history(output).stream().filter(entry -> entry.step().equals("V1__functions")).reduce((first, last) -> last).orElseThrow();
        assertThat(schema.outcome()).isEqualTo(StepRecord.Outcome.SKIPPED);
        assertThat(schema.message()).startsWith("already applied in athena database " + DATABASE);
    }

    @Test
    void aFailedQueryStopsTheRunWithAthenasReasonAndIsNotRetried()
            throws Exception
    {
        Location output = new Location("s3://etl/failed");
        Plan plan = plan(output, true, true);
        AthenaStub stub = stub(plan);
        int extraction = plan.first("V2__event_details");
        stub.script(extraction, QueryScript.succeeds().fails("COLUMN_NOT_FOUND: line 3:9: Column 'sesion_long' cannot be resolved", 2, 1100, false, false));

        Cli.Result load = Cli.run("load", "--config", config(stub, output).toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", output.uri());

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).isEqualTo(ExitCode.STEP_FAILED);
        // progress lines, then the failure as one line
        assertThat(load.err().strip().lines().reduce((first, last) -> last).orElseThrow()).startsWith("etl: sql/V2__event_details.sql failed").contains("FAILED: COLUMN_NOT_FOUND: line 3:9: Column 'sesion_long' cannot be resolved")
                .contains("(error category USER, type 1100, not retryable)");
        // a deterministic failure retried would cost its scan again; nothing after it starts either
        assertThat(stub.queries(extraction)).hasSize(1);
        assertThat(stub.started()).isEqualTo(extraction + 1);
        assertThat(history(output)).filteredOn(entry -> entry.step().equals("V2__event_details"))
                .singleElement().satisfies(entry -> assertThat(entry.outcome()).isEqualTo(StepRecord.Outcome.FAILED));
        // the schema step succeeded, so it is recorded as done even though the load failed
        assertThat(storage.listRecursively(output.resolve("_etl/schema"))).hasSize(1);
    }

    @Test
    void aDatabaseWhoseTablesWereMadeForAnotherOutputIsRefusedBeforeItWrites()
            throws Exception
    {
        Location output = new Location("s3://etl/second-root");
        Plan plan = plan(output, true, true);
        // the catalog kept the tables of an earlier load into another root (CREATE … IF NOT EXISTS keeps them)
        AthenaStub stub = stub(plan).table("event_details", "s3://etl/first-root/event_details/brand=${brand}/tracker=${tracker}/channel=${channel}/year=${year}/month=${month}/day=${day}/");

        Cli.Result load = Cli.run("load", "--config", config(stub, output).toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", output.uri());

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(load.err()).contains("reads s3://etl/first-root/event_details/").contains("athena.database");
        // the check comes before the extraction's UNLOAD: nothing was written
        assertThat(stub.started()).isEqualTo(plan.first("V2__event_details"));
        assertThat(stub.calls()).contains("GetTableMetadata");
    }

    @Test
    void aRetryableFailureOfAWriteRunsAgainOnlyAfterItsPrefixIsClearedAgain()
            throws Exception
    {
        Location output = new Location("s3://etl/retryable");
        Plan plan = plan(output, true, false);
        AthenaStub stub = stub(plan);
        int events = plan.first("V4__events");
        stub.script(plan.first("V2__event_details"), QueryScript.succeeds().rows(2_000, 2_000))
                // the failed attempt leaves a file in the target, as Athena does; the retry is refused unless it is gone
                .script(events, QueryScript.succeeds().fails("GENERIC_INTERNAL_ERROR: worker lost", 1, 401, true, true), QueryScript.succeeds());

        Cli.Result load = Cli.run("load", "--config", config(stub, output).toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", output.uri());

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(stub.queries(events)).hasSize(2);
        assertThat(storage.listRecursively(new PublishedPrefix(output, "events", DAY).location())).isEmpty();
        assertThat(load.out()).contains("V3__rejects").contains("skipped");
    }

    @Test
    void aTableNotFoundRightAfterItsCreateIsRetriedWhileGlueCatchesUp()
            throws Exception
    {
        Location output = new Location("s3://etl/eventual");
        Plan plan = plan(output, true, false);
        AthenaStub stub = stub(plan);
        int extraction = plan.first("V2__event_details");
        stub.script(extraction,
                QueryScript.succeeds().fails("TABLE_NOT_FOUND: line 1:8: Table 'awsdatacatalog." + DATABASE + ".raw_lines' does not exist", 2, 1301, false, false),
                QueryScript.succeeds().rows(2_000, 2_000));

        Cli.Result load = Cli.run("load", "--config", config(stub, output).toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", output.uri());

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(stub.queries(extraction)).hasSize(2);
    }

    @Test
    void throttlingIsRetriedWithTheSameClientRequestToken()
            throws Exception
    {
        Location output = new Location("s3://etl/throttled");
        Plan plan = plan(output, true, false);
        AthenaStub stub = stub(plan);
        stub.script(plan.first("V2__event_details"), QueryScript.succeeds().rows(2_000, 2_000))
                .throttle("StartQueryExecution", 2, "TooManyRequestsException")
                .throttle("GetQueryExecution", 1, "ThrottlingException")
                .throttle("GetQueryExecution", 1, "InternalServerException")
                .throttle("GetQueryRuntimeStatistics", 1, "TooManyRequestsException");

        Cli.Result load = Cli.run("load", "--config", config(stub, output).toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", output.uri());

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(stub.calls().subList(0, 6)).containsExactly(
                "StartQueryExecution:TooManyRequestsException", "StartQueryExecution:TooManyRequestsException", "StartQueryExecution",
                "GetQueryExecution:ThrottlingException", "GetQueryExecution:InternalServerException", "GetQueryExecution");
        assertThat(stub.calls()).contains("GetQueryRuntimeStatistics:TooManyRequestsException");
        // Athena runs a start only once per token: the retries of a throttled start must keep it
        assertThat(stub.startTokens().subList(0, 3)).containsOnly(stub.startTokens().get(0));
        assertThat(stub.startTokens().get(3)).isNotEqualTo(stub.startTokens().get(0));
        assertThat(stub.started()).isEqualTo(plan.statements.size());
    }

    @Test
    void aQueryStuckInQueuedPastTheTimeoutIsStoppedAndReported()
            throws Exception
    {
        Location output = new Location("s3://etl/queued");
        Plan plan = plan(output, true, true);
        AthenaStub stub = stub(plan);
        int extraction = plan.first("V2__event_details");
        stub.script(extraction, QueryScript.succeeds().states("QUEUED"));

        long started = System.nanoTime();
        Cli.Result load = Cli.run("load", "--config", config(stub, output).toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", output.uri(),
                "--query-timeout", "1");

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(load.err()).contains("was still QUEUED after 1 s (--query-timeout, athena.query-timeout-seconds) and was stopped with StopQueryExecution");
        assertThat(stub.stopped()).containsExactlyElementsOf(stub.queries(extraction));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void ctrlCStopsTheRunningQueryBeforeTheRunnerExits()
            throws Exception
    {
        Location output = new Location("s3://etl/interrupted");
        Plan plan = plan(output, true, true);
        AthenaStub stub = stub(plan);
        int extraction = plan.first("V2__event_details");
        stub.script(extraction, QueryScript.succeeds().states("QUEUED", "RUNNING"));
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");

        // a real process and a real SIGINT, so that the real shutdown hook of etl load runs
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Detl.home=" + Loads.home(), "org.eventetl.cli.Etl",
                "load", "--config", config(stub, output).toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", output.uri())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        builder.environment().put("AWS_REGION", REGION);
        Process process = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (stub.queries(extraction).isEmpty() || stub.polls(stub.queries(extraction).get(0)) < 2) {
                assertThat(process.isAlive()).as("the load ended early: %s", Files.exists(err) ? Files.readString(err) : "").isTrue();
                assertThat(System.nanoTime()).as("V2's query did not start within a minute").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor()).isZero();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the load did not exit after Ctrl-C").isTrue();
        }
        finally {
            process.destroyForcibly();
        }

        assertThat(stub.violations()).isEmpty();
        assertThat(process.exitValue()).isNotZero();
        assertThat(Files.readString(err)).contains("etl: interrupted; stopping the running step");
        assertThat(stub.stopped()).contains(stub.queries(extraction).get(0));
        assertThat(stub.started()).isEqualTo(extraction + 1);
        assertThat(history(output)).filteredOn(entry -> entry.step().equals("V2__event_details"))
                .singleElement().satisfies(entry -> {
                    assertThat(entry.outcome()).isEqualTo(StepRecord.Outcome.FAILED);
                    assertThat(entry.message()).contains("cancelled").contains("StopQueryExecution");
                });
    }

    @Test
    void showReadsTheRejectsAthenaGzipsWhateverTheirFilesAreCalled()
            throws Exception
    {
        Location output = new Location("s3://etl/gzipped");
        // UNLOAD … WITH (format = 'JSON') gzips its files and names them without an extension
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write("{\"file\":\"s3://etl/raw/edge.json\",\"line\":\"not json\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        storage.write(new PublishedPrefix(output, "rejects", DAY).location().resolve("20261126_101010_00012_abcde_0f1e2d3c"), gzipped.toByteArray());

        Cli.Result show = Cli.run("show", "rejects", "--partition", DAY.hivePath(), "--output", output.uri(), "--s3-endpoint", s3.endpoint().toString());

        assertThat(show.code()).as(show.err()).isEqualTo(ExitCode.DONE);
        assertThat(show.out()).contains("s3://etl/raw/edge.json").contains("not json");
    }

    @Test
    void refusesLocalLocationsBeforeAnythingRuns()
            throws Exception
    {
        AthenaStub stub = stub(new Plan(List.of(), List.of(), List.of()));
        Path config = config(stub, new Location("s3://etl/refused"));

        Cli.Result local = Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", work.toString());
        Cli.Result database = Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", "s3://etl/refused",
                "--query-timeout", "0");

        assertThat(local.code()).isEqualTo(ExitCode.REFUSED);
        assertThat(local.err()).isEqualTo("etl: the athena engine reads and writes S3 only: give s3:// locations for --source and --output\n");
        assertThat(database.code()).isEqualTo(ExitCode.REFUSED);
        assertThat(database.err()).contains("the query timeout must be at least 1 second");
        assertThat(stub.calls()).isEmpty();
        assertThat(storage.listRecursively(new Location("s3://etl/refused"))).isEmpty();
    }

    /** The statements a load sends, as render prints them, for the steps that will run. */
    private record Plan(List<RenderedStep> steps, List<String> stepOfStatement, List<String> statements)
    {
        int first(String step)
        {
            int index = stepOfStatement.indexOf(step);
            assertThat(index).as("a statement of %s in the plan", step).isNotNegative();
            return index;
        }

        RenderedStep step(String id)
        {
            return steps.stream().filter(step -> step.step().id().equals(id)).findFirst().orElseThrow();
        }
    }

    private Plan plan(Location output, boolean schema, boolean rejects)
    {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("engine", "athena");
        overrides.put("athena.database", DATABASE);
        overrides.put("s3.endpoint", s3.endpoint().toString());
        Settings settings = Settings.load(Optional.empty(), overrides);
        Pipeline pipeline = new Pipeline(Loads.home().resolve("sql"), Loads.home().resolve("templates"), new RoutingStorage(s3.settings()), settings);
        List<RenderedStep> steps = pipeline.render(new LoadRequest(DAY, SOURCE, output, EngineKind.ATHENA, 0.01)).steps();
        List<String> stepOfStatement = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        for (RenderedStep step : steps) {
            if (step.step().id().equals("V1__functions") && !schema || step.step().id().equals("V3__rejects") && !rejects) {
                continue;
            }
            for (String statement : step.statements()) {
                stepOfStatement.add(step.step().id());
                statements.add(Statements.withoutLeadingComments(statement));
            }
        }
        return new Plan(steps, stepOfStatement, statements);
    }

    private AthenaStub stub(Plan plan)
            throws IOException
    {
        AthenaStub stub = new AthenaStub(new AthenaStub.Expected(REGION, WORKGROUP, "AwsDataCatalog", DATABASE, RESULTS), plan.statements(), storage);
        stubs.add(stub);
        return stub;
    }

    private Path config(AthenaStub stub, Location output)
            throws IOException
    {
        Path file = work.resolve(output.fileName() + "-" + stubs.indexOf(stub) + ".properties");
        Files.writeString(file, String.join("\n",
                "engine=athena",
                "athena.region=" + REGION,
                "athena.workgroup=" + WORKGROUP,
                "athena.database=" + DATABASE,
                "athena.result-location=" + RESULTS,
                "athena.endpoint=" + stub.endpoint(),
                "s3.endpoint=" + s3.endpoint(),
                "s3.region=" + REGION,
                ""));
        return file;
    }

    private static List<StepRecord> history(Location output)
            throws IOException
    {
        return new HistoryStore(storage, output).read(DAY).steps();
    }
}
