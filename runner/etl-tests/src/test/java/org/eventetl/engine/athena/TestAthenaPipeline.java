package org.eventetl.engine.athena;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.eventetl.history.HistoryStore;
import org.eventetl.history.SchemaMarkers;
import org.eventetl.history.StepRecord;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.model.EngineKind;
import org.eventetl.partition.Partition;
import org.eventetl.plan.Callback;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.RenderedScript;
import org.eventetl.render.RenderedStep;
import org.eventetl.render.SqlRenderer;
import org.eventetl.render.Statements;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.S3Storage;
import org.eventetl.testing.AthenaStub;
import org.eventetl.testing.AthenaStub.QueryScript;
import org.eventetl.testing.Cli;
import org.eventetl.testing.Loads;
import org.eventetl.testing.Published;
import org.eventetl.testing.RawFiles;
import org.eventetl.testing.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/**
 * The athena engine end to end through the command line, against {@link AthenaStub} (a strict
 * stub of Athena's API, not Athena) for the queries and S3Proxy for S3: the listing of the source,
 * the staging, the audits, the publish, the history and the schema markers. The stub expects
 * exactly the statements {@code render} prints for the partition, in the order a run sends them
 * (steps that run, audits, callbacks), and scripts what Athena answers.
 */
final class TestAthenaPipeline
{
    /** How many audits the project's sql/ holds, as a load's summary counts them. */
    private static final int AUDITS = Loads.auditCount(Loads.home().resolve("sql"));
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");
    // more than a week later: neither day is among the other's recent days, so each renders its audits alone
    private static final Partition LATER_DAY = DAY.withDay(DAY.day().plusDays(8));
    private static final Location SOURCE = new Location("s3://etl/raw");
    private static final String REGION = "us-east-1";
    private static final String WORKGROUP = "etl-workgroup";
    private static final String DATABASE = "etl_test";
    private static final String RESULTS = "s3://etl/athena-results/";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REJECT = "{\"file\":\"s3://etl/raw/olx/hydra/android/2017/08/09/edge.json\",\"line\":\"not json\",\"reason\":\"not_json\"}\n";
    /** How Athena (Trino's writer) names a file it writes: the query's id and a UUID, with no extension when uncompressed. */
    private static final String ATHENA_FILE = "20261130_101010_00012_abcde_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    private static S3ProxyServer s3;
    private static S3Storage storage;

    /** the suite's source days before they are copied to S3; JUnit deletes the folder after the suite */
    @TempDir
    static Path source;

    @TempDir
    Path work;

    private final List<AthenaStub> stubs = new ArrayList<>();

    @BeforeAll
    static void start()
            throws Exception
    {
        s3 = new S3ProxyServer("etl");
        storage = s3.storage();
        for (Partition day : List.of(DAY, LATER_DAY)) {
            new SampleWriter(new SampleSpec(day, source, 2_000, 2, 5, 0.05, 0.01, false)).write(bytes -> {});
        }
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
    void aWholeDaySucceedsAndTheSummaryShowsTheStubsStatisticsCostAndWhereEachCountCameFrom()
            throws Exception
    {
        Location output = new Location("s3://etl/whole-day");
        // a file added to a folder that an earlier run published (its marker says so) is that folder's
        PublishedPrefix published = new PublishedPrefix(output, "events", DAY);
        Location stray = published.location().resolve("stray.parquet");
        storage.write(stray, new byte[] {1});
        Published.byAnEarlierRun(storage, published);
        Plan plan = plan(output, DAY, Set.of(), Optional.empty());
        AthenaStub stub = stub(plan);
        stub.script(plan.first("V2__event_details"), QueryScript.succeeds().states("QUEUED", "QUEUED", "RUNNING", "SUCCEEDED")
                        .scanned(1_862_650_000L, 24_700, 310).rows(2_005, 1_995))
                .script(plan.first("V3__rejects"), QueryScript.succeeds().scanned(1_862_630_000L, 20_100, 0).rows(2_005, 10)
                        .writes(ATHENA_FILE, REJECT.repeat(10).getBytes(StandardCharsets.UTF_8)))
                .script(plan.first("V4__events"), QueryScript.succeeds().scanned(161_500_000, 3_000, 0).rows(1_995, 1_995))
                .script(plan.first("V5__dau"), QueryScript.succeeds().scanned(8_700_000, 900, 20).rows(1_995, 2));

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(stub.started()).isEqualTo(plan.statements().size());
        assertThat(load.out()).contains("on athena");
        assertThat(load.out().lines()).anyMatch(line -> line.matches("V1__functions\\s+0\\s+0\\.0\\s+\\S+\\s+0\\.00\\s+0\\.00\\s+0\\.000000"));
        // 1,862.65 MB, billed as 1,863 MB at 5 USD per TB; 8.7 MB is billed as the 10 MB minimum
        assertThat(load.out().lines()).anyMatch(line -> line.matches("V2__event_details\\s+1,995\\s+1862\\.7\\s+\\S+\\s+24\\.70\\s+0\\.31\\s+0\\.009315"));
        assertThat(load.out().lines()).anyMatch(line -> line.matches("V3__rejects\\s+10\\s+1862\\.6\\s+\\S+\\s+20\\.10\\s+0\\.00\\s+0\\.009315"));
        assertThat(load.out().lines()).anyMatch(line -> line.matches("V4__events\\s+1,995\\s+161\\.5\\s+\\S+\\s+3\\.00\\s+0\\.00\\s+0\\.000810"));
        assertThat(load.out().lines()).anyMatch(line -> line.matches("V5__dau\\s+2\\s+8\\.7\\s+\\S+\\s+0\\.90\\s+0\\.02\\s+0\\.000050"));
        assertThat(load.out().lines()).anyMatch(line -> line.matches("total\\s+3895\\.5\\s+\\S+\\s+\\S+\\s+0\\.33\\s+0\\.019490"));
        // rows written from UpdateCount (the stub's OutputRows is 1 for a CTAS), rows read from InputRows, which came at the second call
        assertThat(load.out().lines()).anyMatch(line -> line.matches(
                "  V2__event_details: rows: 1995, the UpdateCount of GetQueryResults; rows scanned: 2005, the InputRows of GetQueryRuntimeStatistics \\(there after \\d+\\.\\d s\\)"));
        assertThat(load.out()).contains("  V7__location_grid: rows: 0, the UpdateCount of GetQueryResults (an empty result");
        // what V3 wrote, published and read back: ten lines that are not JSON
        assertThat(load.out()).containsPattern("rejects by reason\\nreason\\s+rows\\nnot_json\\s+10\\n");
        // the publish replaced what was published, the stray file included
        assertThat(storage.read(stray)).isEmpty();
        assertThat(storage.read(new PublishedPrefix(output, "rejects", DAY).location().resolve(ATHENA_FILE))).isPresent();
        // the staged tables were dropped after the run; the catalog keeps V1's
        assertThat(stub.tables()).containsExactlyInAnyOrder("raw_lines", "event_details", "events", "dau", "hourly_activity", "location_grid", "rejects");
        assertThat(storage.read(output.resolve("_etl/schema/athena/" + DATABASE + "/V1__functions__" + plan.step("V1__functions").renderedChecksum() + ".json")))
                .isPresent();
        assertThat(storage.listRecursively(output.resolve("_etl/schema"))).hasSize(1);
        assertThat(history(output, DAY)).extracting(StepRecord::step, StepRecord::outcome).contains(
                tuple("V1__functions", StepRecord.Outcome.APPLIED),
                tuple("V2__event_details", StepRecord.Outcome.APPLIED));

        // the second load of the day: the schema step is recorded as done, and not run again
        Plan again = plan(output, DAY, Set.of("V1__functions", "V3__rejects"), Optional.empty());
        AthenaStub second = stub(again).tablesOf(stub).script(again.first("V2__event_details"), QueryScript.succeeds().rows(1_995, 1_995));
        Cli.Result rerun = load(second, output, DAY, "--json");

        assertThat(second.violations()).as(rerun.err()).isEmpty();
        assertThat(rerun.code()).as(rerun.err()).isEqualTo(ExitCode.DONE);
        assertThat(second.started()).isEqualTo(again.statements().size());
        JsonNode summary = JSON.readTree(rerun.out());
        assertThat(summary.path("steps").get(0).path("step").asText()).isEqualTo("V1__functions");
        assertThat(summary.path("steps").get(0).path("skipped").asBoolean()).isTrue();
        assertThat(summary.path("steps").get(1).path("rows").asLong()).isEqualTo(1_995);
        assertThat(summary.path("steps").get(1).path("rows_scanned").asLong()).isEqualTo(1_995);
        assertThat(summary.path("steps").get(1).path("notes").get(0).asText()).isEqualTo("rows: 1995, the UpdateCount of GetQueryResults");
        assertThat(summary.path("cost_usd").asDouble()).isZero();
        StepRecord schema = history(output, DAY).stream().filter(entry -> entry.step().equals("V1__functions")).reduce((first, last) -> last).orElseThrow();
        assertThat(schema.outcome()).isEqualTo(StepRecord.Outcome.SKIPPED);
        assertThat(schema.message()).startsWith("already applied in athena database " + DATABASE);
    }

    @Test
    void rowStatisticsThatNeverComeLeaveTheScanUnknownAndTheRejectsStepRuns()
            throws Exception
    {
        Location output = new Location("s3://etl/no-statistics");
        Plan plan = plan(output, DAY, Set.of(), Optional.empty());
        AthenaStub stub = stub(plan);
        // every line was an event: with a known scan V3 would be skipped
        stub.script(plan.first("V2__event_details"), QueryScript.succeeds().rows(2_000, 2_000).statisticsAfter(-1))
                .script(plan.first("V3__rejects"), QueryScript.succeeds().rows(2_000, 0));

        Cli.Result load = load(stub, output, DAY, "--json");

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        JsonNode steps = JSON.readTree(load.out()).path("steps");
        assertThat(steps.get(1).path("rows").asLong()).isEqualTo(2_000);
        assertThat(steps.get(1).path("rows_scanned").asLong()).isEqualTo(-1);
        assertThat(steps.get(1).path("notes").get(1).asText())
                .isEqualTo("rows scanned: unknown, GetQueryRuntimeStatistics had no row statistics within 10 s (Athena documents that they may come late or not at all)");
        // an unknown scan cannot rule out rejects: V3 looked, found none, and nothing counted them wrongly
        assertThat(steps.get(2).path("skipped").asBoolean()).isFalse();
        assertThat(steps.get(2).path("rows").asLong()).isZero();
        assertThat(stub.started()).isEqualTo(plan.statements().size());
    }

    @Test
    void blankLinesInTheScanRunTheRejectsStepWhichFindsNoneAndTheEmptyResultIsPublished()
            throws Exception
    {
        Location output = new Location("s3://etl/blank-lines");
        Plan plan = plan(output, DAY, Set.of(), Optional.empty());
        AthenaStub stub = stub(plan);
        // Athena's text reader returns blank lines as rows: 2,005 lines read, 2,000 events written
        stub.script(plan.first("V2__event_details"), QueryScript.succeeds().rows(2_005, 2_000))
                .script(plan.first("V3__rejects"), QueryScript.succeeds().rows(2_005, 0));

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(load.out().lines()).anyMatch(line -> line.matches("V3__rejects\\s+0\\s+.*"));
        assertThat(load.out()).contains("  V3__rejects: rows: 0, the UpdateCount of GetQueryResults (an empty result: Athena may write no file, and the dataset is published empty)");
        assertThat(load.out()).containsPattern("rejects by reason\\n\\(none\\)");
        // the reject ratio is an audit over the staged tables: it passed, with no reject counted from blank lines
        assertThat(load.out()).contains("audits: " + AUDITS + " of " + AUDITS + " passed");
        assertThat(storage.listRecursively(new PublishedPrefix(output, "rejects", DAY).location()))
                .extracting(Location::fileName).containsExactly("_etl_run");
    }

    @Test
    void aMissingUpdateCountIsCountedFromTheStagedTableNeverGuessed()
            throws Exception
    {
        Location output = new Location("s3://etl/no-update-count");
        Plan plan = plan(output, DAY, Set.of("V3__rejects"), Optional.empty());
        AthenaStub stub = stub(plan);
        stub.script(plan.first("V2__event_details"), QueryScript.succeeds().rows(2_000, 2_000))
                .script(plan.first("V4__events"), QueryScript.succeeds().scanned(161_500_000, 3_000, 0).rows(2_000, 1_998).withoutUpdateCount());

        Cli.Result load = load(stub, output, DAY, "--json");

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        String table = "\"" + DATABASE + "\".\"staged__events__";
        assertThat(stub.counted()).singleElement().asString().startsWith("SELECT count(*) FROM " + table);
        JsonNode events = JSON.readTree(load.out()).path("steps").get(3);
        assertThat(events.path("step").asText()).isEqualTo("V4__events");
        assertThat(events.path("rows").asLong()).isEqualTo(1_998);
        assertThat(events.path("notes").get(0).asText()).startsWith("rows: 1998, counted with SELECT count(*) FROM " + table)
                .endsWith("as GetQueryResults had no UpdateCount (scanned 0.0 MB, 0.000000 USD)");
    }

    @Test
    void aFailedQueryStopsTheRunWithAthenasReasonAndIsNotRetried()
            throws Exception
    {
        Location output = new Location("s3://etl/failed");
        Plan plan = plan(output, DAY, Set.of(), Optional.of("V3__rejects"));
        AthenaStub stub = stub(plan);
        int extraction = plan.first("V2__event_details");
        stub.script(extraction, QueryScript.succeeds().fails("COLUMN_NOT_FOUND: line 3:9: Column 'sesion_long' cannot be resolved", 2, 1100, false, false));

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).isEqualTo(ExitCode.STEP_FAILED);
        // progress lines, then the failure as one line
        assertThat(Cli.lastLine(load.err())).startsWith("etl: sql/V2__event_details.sql failed")
                .contains("FAILED: COLUMN_NOT_FOUND: line 3:9: Column 'sesion_long' cannot be resolved")
                .contains("(error category USER, type 1100, not retryable)");
        // a deterministic failure retried would cost its scan again; nothing after it starts but the staged tables' drops
        assertThat(stub.queries(extraction)).hasSize(1);
        assertThat(stub.started()).isEqualTo(plan.statements().size());
        assertThat(history(output, DAY)).filteredOn(entry -> entry.step().equals("V2__event_details"))
                .singleElement().satisfies(entry -> assertThat(entry.outcome()).isEqualTo(StepRecord.Outcome.FAILED));
        // the schema step succeeded, so it is recorded as done even though the load failed
        assertThat(storage.listRecursively(output.resolve("_etl/schema"))).hasSize(1);
    }

    @Test
    void aQueryCancelledByTheWorkgroupsDataLimitIsReportedAsThat()
            throws Exception
    {
        Location output = new Location("s3://etl/data-limit");
        Plan plan = plan(output, DAY, Set.of(), Optional.of("V3__rejects"));
        AthenaStub stub = stub(plan);
        int extraction = plan.first("V2__event_details");
        stub.script(extraction, QueryScript.succeeds().scanned(1_000_000_000, 9_000, 0).cancelled("Bytes scanned limit was exceeded"));

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(load.err())).contains("was cancelled by the workgroup's per-query data limit (Bytes scanned limit was exceeded, 1000.0 MB scanned)")
                .contains("raise the data usage control of workgroup " + WORKGROUP).doesNotContain("someone");
        assertThat(stub.queries(extraction)).hasSize(1);
        assertThat(stub.stopped()).isEmpty();
    }

    @Test
    void aDatabaseWhoseTablesWereMadeForAnotherOutputIsRefusedBeforeV1DropsThem()
            throws Exception
    {
        Location output = new Location("s3://etl/second-root");
        Plan plan = plan(output, DAY, Set.of(), Optional.of("V1__functions"));
        // the catalog holds the tables of loads into another root
        AthenaStub stub = stub(plan).table("event_details", "s3://etl/first-root/event_details/",
                "s3://etl/first-root/event_details/brand=${brand}/tracker=${tracker}/channel=${channel}/year=${year}/month=${month}/day=${day}/");

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(load.err())).contains("table " + DATABASE + ".event_details reads s3://etl/first-root/event_details/")
                .contains("not under s3://etl/second-root/event_details/: it was made for another output root, and V1 would drop it")
                .contains("athena.database");
        // no statement of V1 started: only the drops of the run's staged tables (none were made)
        assertThat(stub.started()).isEqualTo(plan.statements().size());
        assertThat(stub.tables()).containsExactly("event_details");
        assertThat(stub.calls()).contains("GetTableMetadata");
    }

    @Test
    void rawLinesOverAnotherSourceIsRefusedBeforeTheExtractionReadsIt()
            throws Exception
    {
        Location output = new Location("s3://etl/other-source");
        Plan plan = plan(output, DAY, Set.of("V1__functions"), Optional.of("V2__event_details"));
        // V1 was applied here (its marker), and raw_lines was since made again over another source
        new SchemaMarkers(storage, output).record(EngineKind.ATHENA, DATABASE, plan.step("V1__functions"), "20260101_000000_00000000", DAY.hivePath());
        AthenaStub stub = stub(plan).table("raw_lines", "s3://etl/elsewhere/", "s3://etl/elsewhere/${brand}/${tracker}/${channel}/${year}/${month}/${day}/");

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(load.err())).contains("table " + DATABASE + ".raw_lines reads s3://etl/elsewhere/").contains("not under s3://etl/raw/")
                .contains("made for another source root");
        assertThat(stub.queries(plan.first("afterRun__drop_staged_tables"))).hasSize(1);
        assertThat(stub.started()).isEqualTo(plan.statements().size());
    }

    @Test
    void aChangedSchemaStepDropsAndMakesItsTablesAgain()
            throws Exception
    {
        Location output = new Location("s3://etl/changed-schema");
        Plan plan = plan(output, DAY, Set.of("V3__rejects"), Optional.empty());
        // an earlier V1 made raw_lines under the same source with another layout
        AthenaStub stub = stub(plan).table("raw_lines", SOURCE.asPrefix(), SOURCE.asPrefix() + "${brand}/${tracker}/${channel}/${year}${month}${day}/")
                .script(plan.first("V2__event_details"), QueryScript.succeeds().rows(2_000, 2_000));

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(stub.template("raw_lines")).contains(SOURCE.asPrefix() + "${brand}/${tracker}/${channel}/${year}/${month}/${day}/");
        assertThat(plan.statements().subList(0, 2)).extracting(statement -> statement.lines().findFirst().orElseThrow())
                .containsExactly("DROP TABLE IF EXISTS `" + DATABASE + "`.raw_lines", "CREATE EXTERNAL TABLE `" + DATABASE + "`.raw_lines (line string)");
    }

    @Test
    void twoDaysLoadedSideBySideApplyTheSchemaStepOnce()
            throws Exception
    {
        Location output = new Location("s3://etl/side-by-side");
        Plan first = plan(output, DAY, Set.of("V1__functions", "V3__rejects"), Optional.empty());
        Plan second = plan(output, LATER_DAY, Set.of("V1__functions", "V3__rejects"), Optional.empty());
        List<String> schema = plan(output, DAY, Set.of(), Optional.of("V2__event_details")).statements().subList(0, first.step("V1__functions").statements().size());
        // V1 once, by whichever day comes first; each day's own statements interleave with the other's
        AthenaStub stub = new AthenaStub(expected(), List.of(schema, first.statements(), second.statements()), storage);
        stubs.add(stub);

        Cli.Result backfill = Cli.run("backfill", "--config", config(stub, output).toString(), "--partition", "brand=olx/tracker=hydra/channel=android",
                "--from", DAY.day().toString(), "--to", LATER_DAY.day().toString(), "--parallel", "2", "--source", SOURCE.uri(), "--output", output.uri());

        assertThat(stub.violations()).isEmpty();
        assertThat(backfill.code()).as(backfill.err() + backfill.out()).isEqualTo(ExitCode.DONE);
        assertThat(backfill.out()).contains("2 loaded");
        assertThat(stub.started()).isEqualTo(schema.size() + first.statements().size() + second.statements().size());
        List<StepRecord.Outcome> schemaOutcomes = Stream.of(DAY, LATER_DAY)
                .map(day -> history(output, day).stream().filter(entry -> entry.step().equals("V1__functions")).findFirst().orElseThrow().outcome())
                .toList();
        assertThat(schemaOutcomes).containsExactlyInAnyOrder(StepRecord.Outcome.APPLIED, StepRecord.Outcome.SKIPPED);
        assertThat(storage.read(new SchemaMarkers(storage, output).lock(EngineKind.ATHENA, DATABASE))).isEmpty();
    }

    @Test
    void aRetryableFailureOfAWriteRunsAgainOnlyAfterItsPrefixIsClearedAgain()
            throws Exception
    {
        Location output = new Location("s3://etl/retryable");
        Plan plan = plan(output, DAY, Set.of("V3__rejects"), Optional.empty());
        AthenaStub stub = stub(plan);
        int events = plan.first("V4__events");
        stub.script(plan.first("V2__event_details"), QueryScript.succeeds().rows(2_000, 2_000))
                // the failed attempt leaves a file in the target, as Athena does; the retry is refused unless it is gone
                .script(events, QueryScript.succeeds().fails("GENERIC_INTERNAL_ERROR: worker lost", 1, 401, true, true), QueryScript.succeeds().rows(2_000, 2_000));

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(stub.queries(events)).hasSize(2);
        assertThat(storage.listRecursively(new PublishedPrefix(output, "events", DAY).location())).extracting(Location::fileName).containsExactly("_etl_run");
        assertThat(load.out()).contains("V3__rejects").contains("skipped");
    }

    @Test
    void aTableNotFoundRightAfterItsCreateIsRetriedWhileGlueCatchesUp()
            throws Exception
    {
        Location output = new Location("s3://etl/eventual");
        Plan plan = plan(output, DAY, Set.of("V3__rejects"), Optional.empty());
        AthenaStub stub = stub(plan);
        int extraction = plan.first("V2__event_details");
        stub.script(extraction,
                QueryScript.succeeds().fails("TABLE_NOT_FOUND: line 1:8: Table 'awsdatacatalog." + DATABASE + ".raw_lines' does not exist", 2, 1301, false, false),
                QueryScript.succeeds().rows(2_000, 2_000));

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(stub.queries(extraction)).hasSize(2);
    }

    @Test
    void throttlingIsRetriedWithTheSameClientRequestToken()
            throws Exception
    {
        Location output = new Location("s3://etl/throttled");
        Plan plan = plan(output, DAY, Set.of("V3__rejects"), Optional.empty());
        AthenaStub stub = stub(plan);
        stub.script(plan.first("V2__event_details"), QueryScript.succeeds().rows(2_000, 2_000))
                .throttle("StartQueryExecution", 2, "TooManyRequestsException")
                .throttle("GetQueryExecution", 1, "ThrottlingException")
                .throttle("GetQueryExecution", 1, "InternalServerException")
                .throttle("GetQueryRuntimeStatistics", 1, "TooManyRequestsException");

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        List<String> queries = stub.calls().stream().filter(call -> !call.startsWith("GetTableMetadata")).toList();
        assertThat(queries.subList(0, 6)).containsExactly(
                "StartQueryExecution:TooManyRequestsException", "StartQueryExecution:TooManyRequestsException", "StartQueryExecution",
                "GetQueryExecution:ThrottlingException", "GetQueryExecution:InternalServerException", "GetQueryExecution");
        assertThat(stub.calls()).contains("GetQueryRuntimeStatistics:TooManyRequestsException");
        // Athena runs a start only once per token: the retries of a throttled start must keep it
        assertThat(stub.startTokens().subList(0, 3)).containsOnly(stub.startTokens().get(0));
        assertThat(stub.startTokens().get(3)).isNotEqualTo(stub.startTokens().get(0));
        assertThat(stub.started()).isEqualTo(plan.statements().size());
    }

    @Test
    void aStartOrPollWhoseConnectionIsLostIsRetriedAndTheStartRunsOnce()
            throws Exception
    {
        Location output = new Location("s3://etl/network");
        Plan plan = plan(output, DAY, Set.of("V3__rejects"), Optional.empty());
        AthenaStub stub = stub(plan);
        // the first start reaches Athena and its answer is lost, twice; then two polls are lost before they arrive
        stub.script(plan.first("V2__event_details"), QueryScript.succeeds().rows(2_000, 2_000))
                .drop("StartQueryExecution", 2, true)
                .drop("GetQueryExecution", 2, false);

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(stub.calls()).contains("StartQueryExecution:dropped", "GetQueryExecution:dropped");
        // every attempt of the first start carried one token, and Athena started one query for it
        List<String> tokens = stub.startTokens();
        assertThat(tokens.subList(0, 3)).containsOnly(tokens.get(0));
        assertThat(stub.queries(0)).hasSize(1);
        assertThat(stub.started()).isEqualTo(plan.statements().size());
    }

    /**
     * An Athena endpoint that refuses connections fails the load (exit 1, which a scheduler
     * retries) naming Athena and its endpoint, and sends the user to the engine, not to the
     * storage: the same SDK's failure under S3 is said as "the storage failed".
     */
    @Test
    void anAthenaEndpointThatRefusesConnectionsIsNamed()
            throws Exception
    {
        Location output = new Location("s3://etl/refused-endpoint");
        AthenaStub stub = stub(plan(output, DAY, Set.of(), Optional.empty()));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        Cli.Result load = load(stub, output, DAY, "--athena-endpoint", "http://127.0.0.1:" + port);

        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(load.err())).contains("on athena: cannot reach Athena at http://127.0.0.1:" + port + " for ")
                .endsWith("; published data is unchanged; the engine failed, not the command: rerun it")
                .doesNotContain("storage");
        assertThat(stub.started()).isZero();

        // the run's afterRun callbacks could not reach Athena either: its record is kept for them. A
        // repair on DuckDB would run them there, dropping nothing of its staged tables in Athena's
        // catalog: it says where they must run, and keeps the record
        String runId = new HistoryStore(storage, output).read(DAY).openAttempt().orElseThrow();
        Location record = output.resolve("_staging/" + runId + "/_run.json");
        assertThat(storage.read(record)).isPresent();
        Cli.Result repair = Cli.run("repair", "--config", config(stub, output).toString(), "--engine", "duckdb", "--partition", DAY.hivePath(), "--output", output.uri());
        assertThat(repair.code()).as(repair.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(repair.err())).contains("afterRun callback of run " + runId + " failed: it ran on athena, not duckdb")
                .contains("run etl repair --engine athena for the day");
        assertThat(storage.read(record)).isPresent();
    }

    @Test
    void aQueryWhosePollsKeepFailingIsStoppedWhenTheRunnerGivesUp()
            throws Exception
    {
        Location output = new Location("s3://etl/gives-up");
        Plan plan = plan(output, DAY, Set.of(), Optional.of("V3__rejects"));
        AthenaStub stub = stub(plan);
        int extraction = plan.first("V2__event_details");
        stub.dropPolls(extraction, 1_000);

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(load.err())).contains("cannot reach Athena at " + stub.endpoint() + " for GetQueryExecution after " + AthenaCalls.NETWORK_ATTEMPTS + " attempts");
        assertThat(stub.stopped()).containsExactlyElementsOf(stub.queries(extraction));
    }

    @Test
    void aQueryStuckInQueuedPastTheTimeoutIsStoppedAndReported()
            throws Exception
    {
        Location output = new Location("s3://etl/queued");
        Plan plan = plan(output, DAY, Set.of(), Optional.of("V3__rejects"));
        AthenaStub stub = stub(plan);
        int extraction = plan.first("V2__event_details");
        stub.script(extraction, QueryScript.succeeds().states("QUEUED"));

        long started = System.nanoTime();
        Cli.Result load = load(stub, output, DAY, "--query-timeout", "1");

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
        Plan plan = plan(output, DAY, Set.of(), Optional.of("V3__rejects"));
        AthenaStub stub = stub(plan);
        int extraction = plan.first("V2__event_details");
        stub.script(extraction, QueryScript.succeeds().states("QUEUED", "RUNNING"));
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");

        // a real process and a real SIGINT, so that the real shutdown hook of etl load runs
        Process process = etlProcess(out, err, true, "load", "--config", config(stub, output).toString(), "--partition", DAY.hivePath(),
                "--source", SOURCE.uri(), "--output", output.uri());
        try {
            awaitRunning(stub, extraction, process, err);
            assertThat(new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor()).isZero();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the load did not exit after Ctrl-C").isTrue();
        }
        finally {
            process.destroyForcibly();
        }

        assertThat(process.exitValue()).isNotZero();
        assertThat(Files.readString(err)).contains("etl: interrupted (Ctrl-C); stopping the running step");
        assertThat(stub.stopped()).contains(stub.queries(extraction).get(0));
        assertThat(stub.queries(extraction)).hasSize(1);
        // the afterRun callback still drops the run's staged tables: a cancel stops steps, not the tidying
        int drops = plan.first("afterRun__drop_staged_tables");
        for (int statement = drops; statement < plan.statements().size(); statement++) {
            assertThat(stub.queries(statement)).as("afterRun statement %s", statement).hasSize(1);
        }
        assertThat(Files.readString(err)).doesNotContain("afterRun callback failed");
        assertThat(history(output, DAY)).filteredOn(entry -> entry.step().equals("V2__event_details"))
                .singleElement().satisfies(entry -> {
                    assertThat(entry.outcome()).isEqualTo(StepRecord.Outcome.FAILED);
                    assertThat(entry.message()).contains("cancelled").contains("StopQueryExecution");
                });
    }

    /**
     * Athena runs a query to its end whether anyone waits for it or not: a load killed (kill -9)
     * while its V2 runs leaves that query running, and a CTAS that ended after the dead run's
     * afterRun would make its staged table again, in Glue for good. The repair after it finds the
     * query in the workgroup's history by the run id in its text and stops it, then drops the
     * dead run's staged tables.
     */
    @Test
    void aQueryOfAKilledLoadIsStoppedBeforeItsTablesAreDropped()
            throws Exception
    {
        Location output = new Location("s3://etl/killed-query");
        Plan plan = plan(output, DAY, Set.of(), Optional.empty());
        List<String> drops = new ArrayList<>();
        for (int statement = plan.first("afterRun__drop_staged_tables"); statement < plan.statements().size(); statement++) {
            drops.add(plan.statements().get(statement));
        }
        // the killed load's statements, and the dead run's afterRun that the repair runs for it
        AthenaStub stub = new AthenaStub(expected(), List.of(plan.statements(), drops), storage);
        stubs.add(stub);
        int extraction = plan.first("V2__event_details");
        stub.script(extraction, QueryScript.succeeds().states("QUEUED", "RUNNING"));
        Path config = config(stub, output);
        Path err = work.resolve("err.txt");
        Process process = etlProcess(work.resolve("out.txt"), err, true, "load", "--config", config.toString(), "--partition", DAY.hivePath(),
                "--source", SOURCE.uri(), "--output", output.uri());
        try {
            awaitRunning(stub, extraction, process, err);
        }
        finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        String query = stub.queries(extraction).get(0);
        assertThat(stub.stopped()).as("a killed load stops nothing").isEmpty();
        int before = stub.calls().size();

        Cli.Result repair = Cli.run("repair", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", output.uri());

        assertThat(repair.code()).as(repair.err()).isZero();
        assertThat(stub.violations()).isEmpty();
        assertThat(stub.stopped()).containsExactly(query);
        assertThat(stub.calls().subList(before, stub.calls().size()))
                .as("the query is stopped, and has ended, before the first drop starts")
                .startsWith("ListQueryExecutions", "BatchGetQueryExecution", "StopQueryExecution", "GetQueryExecution", "StartQueryExecution");
        for (int statement = plan.statements().size(); statement < plan.statements().size() + drops.size(); statement++) {
            assertThat(stub.queries(statement)).as("the dead run's afterRun statement %s", statement).hasSize(1);
        }
    }

    /**
     * A cancelled AthenaEngine starts no further query, so a backfill's Ctrl-C that reached a day's
     * engine while the day was publishing would leave the run's callbacks undone (here the afterRun
     * drops of its staged tables; on Trino, the registering of its partitions): a day that has begun
     * to publish finishes, callbacks and all.
     */
    @Test
    void aBackfillInterruptedWhileADayPublishesFinishesThatDayAndItsCallbacks()
            throws Exception
    {
        Location output = new Location("s3://etl/backfill-interrupted");
        Plan plan = plan(output, DAY, Set.of("V3__rejects"), Optional.empty());
        AthenaStub stub = stub(plan);
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Path resume = work.resolve("resume");

        Process process = etlProcess(out, err, true, Map.of("ETL_TEST_PAUSE_AT", "publish events", "ETL_TEST_RESUME_FILE", resume.toString()),
                "backfill", "--config", config(stub, output).toString(), "--partition", "brand=olx/tracker=hydra/channel=android",
                "--from", DAY.day().toString(), "--to", DAY.day().toString(), "--source", SOURCE.uri(), "--output", output.uri());
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(err) || !Files.readString(err).contains("etl: paused at publish events")) {
                assertThat(process.isAlive()).as("the backfill ended early: %s", Files.exists(out) ? Files.readString(out) : "").isTrue();
                assertThat(System.nanoTime()).as("the day did not reach its publish within a minute").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start().waitFor()).isZero();
            // the signal's hook has cancelled what it cancels well before the day goes on
            Thread.sleep(500);
            Files.createFile(resume);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("the backfill did not exit after Ctrl-C").isTrue();
        }
        finally {
            process.destroyForcibly();
        }

        String said = Files.readString(out);
        assertThat(process.exitValue()).as(Files.readString(err)).isEqualTo(ExitCode.INTERRUPTED);
        assertThat(stub.violations()).isEmpty();
        assertThat(said).containsPattern("(?m)^" + DAY.day() + " +loaded +\\S+ +\\S+ +0  $");
        // every statement of the plan started, the afterRun drops last: the catalog keeps V1's tables only
        assertThat(stub.started()).isEqualTo(plan.statements().size());
        assertThat(stub.tables()).containsExactlyInAnyOrder("raw_lines", "event_details", "events", "dau", "hourly_activity", "location_grid", "rejects");
        assertThat(Cli.run("status", "--config", config(stub, output).toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(),
                "--output", output.uri()).code()).isEqualTo(ExitCode.DONE);
    }

    @Test
    void rejectsWrittenAsAthenaNamesThemAreReadByItsTableAndByShow()
            throws Exception
    {
        Location output = new Location("s3://etl/rejects");
        Plan plan = plan(output, DAY, Set.of(), Optional.empty());
        AthenaStub stub = stub(plan);
        // uncompressed JSON under a name without an extension: plain text for Athena's reader and for show
        stub.script(plan.first("V2__event_details"), QueryScript.succeeds().rows(2_005, 2_000))
                .script(plan.first("V3__rejects"), QueryScript.succeeds().rows(2_005, 1).writes(ATHENA_FILE, REJECT.getBytes(StandardCharsets.UTF_8)));

        Cli.Result load = load(stub, output, DAY);
        Cli.Result show = Cli.run("show", "rejects", "--partition", DAY.hivePath(), "--output", output.uri(), "--s3-endpoint", s3.endpoint().toString());

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(show.code()).as(show.err()).isEqualTo(ExitCode.DONE);
        assertThat(show.out()).contains("s3://etl/raw/olx/hydra/android/2017/08/09/edge.json").contains("not json").contains("not_json");
    }

    @Test
    void gzipUnderANameWithoutGzIsWhatAthenasReaderWouldMisreadSoTheRunStops()
            throws Exception
    {
        Location output = new Location("s3://etl/misnamed");
        Plan plan = plan(output, DAY, Set.of(), Optional.empty());
        // the run stops at the first audit that reads the rejects' table (A3): then only the staged tables' drops
        List<String> upToTheAudit = plan.statements().subList(0, plan.first("A3__reject_ratio") + 1);
        AthenaStub stub = new AthenaStub(expected(), List.of(concat(upToTheAudit, plan(output, DAY, Set.of(), Optional.of("V1__functions")).statements())), storage);
        stubs.add(stub);
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
            gzip.write(REJECT.getBytes(StandardCharsets.UTF_8));
        }
        stub.script(plan.first("V2__event_details"), QueryScript.succeeds().rows(2_005, 2_000))
                .script(plan.first("V3__rejects"), QueryScript.succeeds().rows(2_005, 1).writes(ATHENA_FILE, gzipped.toByteArray()));

        Cli.Result load = load(stub, output, DAY);

        assertThat(stub.violations()).isEmpty();
        assertThat(load.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(load.err())).contains("audit A3__reject_ratio").contains("read as plain text, though it is gzip").contains("nothing was published");
    }

    @Test
    void renderNeedsNoCredentialsForAthenaAndSaysWhyDuckDbOverS3Does()
            throws Exception
    {
        Path config = work.resolve("offline.properties");
        Files.writeString(config, String.join("\n", "engine=athena", "athena.region=" + REGION, "athena.database=" + DATABASE,
                // nothing listens there: a render that called out would fail
                "athena.endpoint=http://127.0.0.1:9", "s3.endpoint=http://127.0.0.1:9", "s3.region=" + REGION, ""));
        Path out = work.resolve("render.txt");
        Path err = work.resolve("render-err.txt");

        Process athena = etlProcess(out, err, false, "render", "--config", config.toString(), "--partition", DAY.hivePath(),
                "--source", SOURCE.uri(), "--output", "s3://etl/offline");
        assertThat(athena.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(athena.exitValue()).as(Files.readString(err)).isZero();
        assertThat(Files.readString(out)).contains("CREATE TABLE \"" + DATABASE + "\".\"staged__event_details__")
                .contains("-- cannot read what the output has published (").contains("no AWS credentials found")
                .contains("the audits above are rendered as for a partition never published");

        Process duckdb = etlProcess(out, err, false, "render", "--engine", "duckdb", "--partition", DAY.hivePath(),
                "--source", SOURCE.uri(), "--output", "s3://etl/offline", "--s3-endpoint", "http://127.0.0.1:9");
        assertThat(duckdb.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(duckdb.exitValue()).isEqualTo(ExitCode.REFUSED);
        assertThat(Files.readString(err)).contains("no AWS credentials found").contains("duckdb's SQL names every source file, so rendering it lists the folder")
                .contains("--source DIR");
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
        assertThat(database.err()).isEqualTo("etl: --query-timeout must be a whole number of seconds from 1 to 604800, got 0\n");
        // an output bucket that is not there is refused as a missing source bucket is (it was exit 1, once the lease was
        // asked for): a load reads what the output has published before anything runs, on every engine
        Cli.Result noBucket = Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", SOURCE.uri(), "--output", "s3://no-such-bucket/out");
        assertThat(noBucket.code()).as(noBucket.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(noBucket.err().strip().lines()).singleElement().asString()
                .startsWith("etl: cannot read what s3://no-such-bucket/out has published: s3://no-such-bucket/out/_etl/published/").contains("NoSuchBucket");
        assertThat(stub.calls()).isEmpty();
        assertThat(storage.listRecursively(new Location("s3://etl/refused"))).isEmpty();
    }

    @Test
    void statusCallsDaysWithoutDataNoSourceAsTheLoadRefusesThem()
            throws Exception
    {
        // the day before DAY holds only the upstream's _SUCCESS marker; the one before that has no folder
        Partition markerOnly = DAY.withDay(DAY.day().minusDays(1));
        Partition missing = DAY.withDay(DAY.day().minusDays(2));
        Location marker = SOURCE.resolve(markerOnly.sourcePath()).resolve("_SUCCESS");
        storage.write(marker, new byte[0]);
        try {
            AthenaStub stub = stub(new Plan(List.of(), List.of(), List.of()));
            Location output = new Location("s3://etl/status-no-source");
            Path config = config(stub, output);

            Cli.Result status = Cli.run("status", "--config", config.toString(), "--partition", "brand=olx/tracker=hydra/channel=android",
                    "--from", missing.day().toString(), "--to", markerOnly.day().toString(), "--source", SOURCE.uri(), "--output", output.uri());
            Cli.Result load = Cli.run("load", "--config", config.toString(), "--partition", markerOnly.hivePath(), "--source", SOURCE.uri(), "--output", output.uri());

            assertThat(status.code()).as(status.out() + status.err()).isEqualTo(ExitCode.DONE);
            assertThat(status.out()).containsPattern("(?m)^" + missing.day() + " +partition +no source")
                    .containsPattern("(?m)^" + markerOnly.day() + " +partition +no source")
                    .doesNotContain("load it");
            assertThat(load.code()).isEqualTo(ExitCode.REFUSED);
            assertThat(load.err()).contains("has no data files");
            assertThat(stub.calls()).isEmpty();
        }
        finally {
            storage.delete(marker);
        }
    }

    /** The statements a load sends, as render prints them, each with the id of its step, audit or callback. */
    private record Plan(List<RenderedStep> steps, List<String> ids, List<String> statements)
    {
        int first(String id)
        {
            int index = ids.indexOf(id);
            assertThat(index).as("a statement of %s in the plan", id).isNotNegative();
            return index;
        }

        RenderedStep step(String id)
        {
            return steps.stream().filter(step -> step.step().id().equals(id)).findFirst().orElseThrow();
        }
    }

    /**
     * What a load of {@code day} sends: the statements of the steps that run (all but
     * {@code skipped}), then the audits (rendered for the datasets those steps wrote) and the
     * afterPublish callbacks; or, for a run that stops before the step {@code stopsBefore}, only the
     * steps before it. The afterRun callbacks come last either way.
     */
    private Plan plan(Location output, Partition day, Set<String> skipped, Optional<String> stopsBefore)
    {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("engine", "athena");
        overrides.put("athena.database", DATABASE);
        overrides.put("s3.endpoint", s3.endpoint().toString());
        Settings settings = Settings.load(Optional.empty(), overrides);
        Pipeline pipeline = new Pipeline(Loads.home().resolve("sql"), Loads.home().resolve("templates"), new RoutingStorage(s3.settings()), settings);
        org.eventetl.render.Plan rendered = pipeline.render(new LoadRequest(day, SOURCE, output, EngineKind.ATHENA, 0.01));
        List<String> ids = new ArrayList<>();
        List<String> statements = new ArrayList<>();
        Set<String> written = new LinkedHashSet<>();
        boolean stopped = false;
        for (RenderedStep step : rendered.steps()) {
            stopped |= stopsBefore.filter(step.step().id()::equals).isPresent();
            if (stopped || skipped.contains(step.step().id())) {
                continue;
            }
            step.step().dataset().ifPresent(written::add);
            add(ids, statements, step.step().id(), step.statements());
        }
        if (!stopped) {
            PlanRenderer renderer = new PlanRenderer(pipeline.scripts(), new SqlRenderer(Loads.home().resolve("templates")));
            renderer.audits(rendered.context(), written).forEach((audit, script) -> add(ids, statements, audit.id(), script.statements()));
            rendered.callbacks(Callback.Event.AFTER_PUBLISH).forEach(callback -> add(ids, statements, callback.id(), callback.statements()));
        }
        for (RenderedScript callback : rendered.callbacks(Callback.Event.AFTER_RUN)) {
            add(ids, statements, callback.id(), callback.statements());
        }
        return new Plan(rendered.steps(), ids, statements);
    }

    private static void add(List<String> ids, List<String> statements, String id, List<String> sql)
    {
        for (String statement : sql) {
            ids.add(id);
            statements.add(Statements.withoutLeadingComments(statement));
        }
    }

    private static List<String> concat(List<String> first, List<String> second)
    {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static AthenaStub.Expected expected()
    {
        return new AthenaStub.Expected(REGION, WORKGROUP, "AwsDataCatalog", DATABASE, RESULTS);
    }

    private AthenaStub stub(Plan plan)
            throws IOException
    {
        AthenaStub stub = new AthenaStub(expected(), List.of(plan.statements()), storage);
        stubs.add(stub);
        return stub;
    }

    private Cli.Result load(AthenaStub stub, Location output, Partition day, String... flags)
            throws IOException
    {
        List<String> arguments = new ArrayList<>(List.of("load", "--config", config(stub, output).toString(), "--partition", day.hivePath(),
                "--source", SOURCE.uri(), "--output", output.uri()));
        arguments.addAll(List.of(flags));
        return Cli.run(arguments.toArray(String[]::new));
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

    /** {@code etl} in a process of its own, with S3Proxy's credentials or with none at all (and no instance metadata to ask). */
    /** Waits until the query of the statement at {@code index} was polled twice (it runs), while the load that started it runs. */
    private static void awaitRunning(AthenaStub stub, int index, Process process, Path err)
            throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stub.queries(index).isEmpty() || stub.polls(stub.queries(index).get(0)) < 2) {
            assertThat(process.isAlive()).as("the load ended early: %s", Files.exists(err) ? Files.readString(err) : "").isTrue();
            assertThat(System.nanoTime()).as("the query did not start within a minute").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static Process etlProcess(Path out, Path err, boolean credentials, String... arguments)
            throws IOException
    {
        return etlProcess(out, err, credentials, Map.of(), arguments);
    }

    private static Process etlProcess(Path out, Path err, boolean credentials, Map<String, String> environment, String... arguments)
            throws IOException
    {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Detl.home=" + Loads.home(), "org.eventetl.cli.Etl"));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().put("AWS_REGION", REGION);
        if (credentials) {
            builder.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
            builder.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
        }
        else {
            builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
            builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", out.resolveSibling("no-credentials").toString());
            builder.environment().put("AWS_CONFIG_FILE", out.resolveSibling("no-config").toString());
        }
        builder.environment().putAll(environment);
        return builder.start();
    }

    private static List<StepRecord> history(Location output, Partition day)
    {
        try {
            return new HistoryStore(storage, output).read(day).steps();
        }
        catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
