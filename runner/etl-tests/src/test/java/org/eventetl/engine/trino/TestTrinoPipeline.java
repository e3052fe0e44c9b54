package org.eventetl.engine.trino;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.cli.ExitCode;
import org.eventetl.model.Json;
import org.eventetl.config.Settings;
import org.eventetl.engine.duckdb.DuckDbEngine;
import org.eventetl.engine.duckdb.DuckDbSettings;
import org.eventetl.load.LoadListener;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.load.RunStop;
import org.eventetl.model.EngineKind;
import org.eventetl.partition.Partition;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;
import org.eventetl.storage.Location;
import org.eventetl.storage.S3Storage;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.testing.Cli;
import org.eventetl.testing.EtlProcess;
import org.eventetl.testing.EventOracle;
import org.eventetl.testing.HostileLines;
import org.eventetl.testing.Loads;
import org.eventetl.testing.Multisets;
import org.eventetl.testing.OutputReader;
import org.eventetl.testing.Published;
import org.eventetl.testing.RawFiles;
import org.eventetl.testing.S3ProxyServer;
import org.eventetl.testing.TrinoServer;
import org.eventetl.testing.TrinoStack;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline on a real Trino server (476, Hive connector, file metastore, native S3 file
 * system) over a real S3 API (S3Proxy), compared with the embedded engine on the same files; and
 * the embedded engine itself over s3://.
 */
@Tag("trino")
final class TestTrinoPipeline
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");
    private static final String CHANNEL = "brand=olx/tracker=hydra/channel=android";
    private static final Partition NEXT_DAY = DAY.withDay(DAY.day().plusDays(1));
    /** This suite's own source prefix: the report's Trino suite loads its own day from s3://etl/raw on the same stack. */
    private static final String RAW = "s3://etl/pipeline-raw";
    /** The same on both engines: the hostile day's 10,000-byte line is too long. */
    private static final String MAX_LINE_BYTES = String.valueOf(HostileLines.MAX_LINE_BYTES);
    private static final List<String> DATASETS = List.of("event_details", "events", "dau", "rejects");

    private static S3ProxyServer s3;
    private static TrinoServer trino;
    private static S3Storage storage;
    /** the suite's source days, made once; JUnit deletes the folder after the suite */
    @TempDir
    static Path source;

    @TempDir
    Path work;

    @BeforeAll
    static void start()
            throws Exception
    {
        TrinoStack stack = TrinoStack.shared();
        s3 = stack.s3();
        storage = stack.storage();
        trino = stack.trino();
        // malformed lines below the default --max-reject-ratio of 1%, with the hostile lines below added
        new SampleWriter(new SampleSpec(DAY, source, 20_000, 2, 11, 0.05, 0.008, false)).write(bytes -> {});
        RawFiles.write(source, DAY, "edge.json",
                "{\"meta\":{\"session_long\":\"traveller\",\"date\":\"2017-08-09T10:00:00Z\"},\"params\":{\"cc\":\" gh \",\"long\":-0.2,\"lat\":5.6}}",
                "{\"meta\":{\"session_long\":\"traveller\",\"date\":\"2017-08-09T12:00:00+02:00\"},\"params\":{\"cc\":\"Za\"}}",
                "{\"meta\":{\"session_long\":\"tabbed\"},\"params\":{\"cc\":\"\\tgh\\u2003\"}}",
                "{\"meta\":{\"session_long\":\"no-break\"},\"params\":{\"cc\":\"\\u00a0za\"}}",
                "{\"meta\":{\"session_long\":123,\"date\":\"yesterday\"},\"params\":{\"cc\":233,\"long\":\"n/a\",\"lat\":true}}",
                "{}",
                "{\"other\":1}",
                "",
                "   ",
                "[1,2]",
                "\"just a string\"",
                "{\"meta\":{\"session_long\":\"cut",
                "<html>502</html>");
        // a byte-order mark that starts a file is dropped; one that starts another line makes a reject
        RawFiles.writeText(source, DAY, "bom.json", "\uFEFF{\"meta\":{\"session_long\":\"bom-1\",\"date\":\"2017-08-09T09:00:00Z\"},"
                + "\"params\":{\"cc\":\"gh\",\"long\":-0.2,\"lat\":5.6}}\n"
                + "{\"meta\":{\"session_long\":\"bom-2\"},\"params\":{\"cc\":\"za\"}}\n"
                + "\uFEFF{\"meta\":{\"session_long\":\"bom-3\"},\"params\":{\"cc\":\"za\"}}\n");
        // every kind of bad line and of out-of-domain field (docs/source-contract.md), among good lines
        RawFiles.write(source, DAY, "hostile.json", HostileLines.LINES.toArray(String[]::new));
        RawFiles.writeText(source, DAY, "cr.json", "{\"meta\":{\"session_long\":\"cr-1\"}}\r{\"meta\":{\"session_long\":\"cr-2\"}}\r\nabc\rdef\r\n");
        RawFiles.writeBytes(source, DAY, "utf8.json", RawFiles.concat(RawFiles.utf8("{\"meta\":{\"session_long\":\"u8-ok\"}}\n{\"meta\":{\"session_long\":\"bad"),
                new byte[] {(byte) 0xFF}, RawFiles.utf8("\"}}\n"), new byte[] {(byte) 0xC0, (byte) 0xAF}, RawFiles.utf8("{}\n{\"meta\":{\"session_long\":\"u8-ok2\"}}\n")));
        RawFiles.writeGzip(source, DAY, "zipped.json.gz", "{\"meta\":{\"session_long\":\"gz\"},\"params\":{\"cc\":\"gh\"}}");
        RawFiles.write(source, DAY, "_SUCCESS", "{\"meta\":{\"session_long\":\"hidden\"},\"params\":{\"cc\":\"gh\"}}");
        new SampleWriter(new SampleSpec(NEXT_DAY, source, 2_000, 1, 12, 0.05, 0.01, false)).write(bytes -> {});
        upload(source, new Location(RAW));
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        // the stack is shared by the Trino suites and stops when the test JVM exits
        if (storage != null) {
            storage.close();
        }
    }

    @Test
    void trinoWritesWhatTheEmbeddedEngineWritesOnTheSameFiles()
            throws Exception
    {
        Cli.Result load = Cli.run("load", "--config", config("trino", "trino_equal").toString(), "--partition", DAY.hivePath(),
                "--source", RAW, "--output", "s3://etl/trino-equal");
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(load.out()).contains("on trino").contains("V2__event_details");

        Path duckdb = work.resolve("duckdb");
        loadLocally(duckdb);
        OutputReader expected = new OutputReader(duckdb, DAY);
        OutputReader actual = new OutputReader(mirror(new Location("s3://etl/trino-equal"), DAY), DAY);

        assertThat(actual.dau()).isNotEmpty().isEqualTo(expected.dau());
        Multisets.assertSameElements("events", actual.events(), expected.events());
        Multisets.assertSameElements("event_details", actual.eventDetails(), expected.eventDetails());
        assertThat(rejectLines(actual)).isNotEmpty();
        Multisets.assertSameElements("rejects", rejectLines(actual), rejectLines(expected));
        // the neighbouring day was uploaded too and must not leak in
        assertThat(actual.events()).noneMatch(row -> "hidden".equals(row.deviceId()));
        // every reason of the contract is met on Trino too, and the line after a line too long loads
        assertThat(actual.rejects()).extracting(EventOracle.Reject::reason)
                .contains("too_long", "invalid_utf8", "byte_order_mark", "not_json", "not_object");
        assertThat(actual.rejects()).allSatisfy(reject -> assertThat(reject.lineNumber()).isNull());
        assertThat(actual.events()).extracting(OutputReader.EventRow::deviceId).contains("after-long", "cr-1", "cr-2", "u8-ok", "u8-ok2");
        // the first line behind a file's byte-order mark is an event on both engines
        assertThat(actual.events()).filteredOn(row -> "bom-1".equals(row.deviceId())).extracting(OutputReader.EventRow::country).containsExactly("GH");
    }

    @Test
    void rerunsOnS3ReplaceTheirPrefixesAndLeaveOtherPartitionsAlone()
            throws Exception
    {
        Location output = new Location("s3://etl/trino-rerun");
        Path config = config("trino", "trino_rerun");
        // a file added to a folder that an earlier run published is that folder's, and replaced with it
        Location stray = new PublishedPrefix(output, "events", DAY).location().resolve("stray.parquet");
        Location neighbour = new PublishedPrefix(output, "events", NEXT_DAY).location().resolve("keep.parquet");
        storage.write(stray, new byte[] {1});
        Published.byAnEarlierRun(storage, new PublishedPrefix(output, "events", DAY));
        storage.write(neighbour, new byte[] {2});

        Cli.Result firstLoad = Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", RAW, "--output", output.uri());
        assertThat(firstLoad.code()).as(firstLoad.err()).isZero();
        Map<String, Long> first = new OutputReader(mirror(output, DAY), DAY).dau();
        Cli.Result secondLoad = Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", RAW, "--output", output.uri());
        assertThat(secondLoad.code()).as(secondLoad.err()).isZero();
        OutputReader second = new OutputReader(mirror(output, DAY), DAY);

        assertThat(second.dau()).isEqualTo(first);
        assertThat(storage.read(stray)).isEmpty();
        assertThat(storage.read(neighbour)).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(2));
        Cli.Result status = Cli.run("status", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", RAW, "--output", output.uri());
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.DONE);
        // whoever watches Trino's query list for failures sees none from these loads but the
        // rerun's partitions, registered already (ALREADY_EXISTS, taken as done): no probe was
        // closed before its end, which Trino lists as a query cancelled by its user
        assertThat(failedQueries("trino_rerun")).isNotEmpty().allSatisfy(failed -> assertThat(failed).startsWith("ALREADY_EXISTS: ").contains("register_partition"));
    }

    /** Trino's failed queries (that it still lists) that name a schema, or are the engine's reachability probe: error code and text. */
    private static List<String> failedQueries(String schema)
            throws Exception
    {
        List<String> failed = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(trino.url(), "etl", null);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT error_code, query FROM system.runtime.queries WHERE state = 'FAILED'"
                        + " AND (query LIKE '%" + schema + "%' OR query = 'SELECT 1')")) {
            while (result.next()) {
                failed.add(result.getString(1) + ": " + result.getString(2));
            }
        }
        return failed;
    }

    @Test
    void refusedRunsOnS3DeleteNothing()
            throws Exception
    {
        Location output = new Location("s3://etl/trino-refused");
        Location kept = new PublishedPrefix(output, "events", DAY).location().resolve("kept.parquet");
        storage.write(kept, new byte[] {7});
        Path config = config("trino", "trino_refused");

        Cli.Result badPartition = Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath().replace("day=09", "day=32"),
                "--source", RAW, "--output", output.uri());
        Cli.Result missingSource = Cli.run("load", "--config", config.toString(), "--partition", DAY.withDay(DAY.day().minusDays(5)).hivePath(),
                "--source", RAW, "--output", output.uri());
        Cli.Result localOutput = Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath(),
                "--source", RAW, "--output", work.resolve("local").toString());

        // nothing listens on port 9: found before the lease, so no history, lease or staging is written
        Path unreachable = work.resolve("unreachable.properties");
        Files.writeString(unreachable, Files.readString(config).replace(trino.url(), "jdbc:trino://127.0.0.1:9"));
        Cli.Result wrongUrl = Cli.run("load", "--config", unreachable.toString(), "--partition", DAY.hivePath(), "--source", RAW, "--output", output.uri());

        for (Cli.Result refused : List.of(badPartition, missingSource, localOutput)) {
            assertThat(refused.code()).isEqualTo(ExitCode.REFUSED);
            assertThat(refused.err().strip().lines()).hasSize(1);
        }
        assertThat(wrongUrl.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(wrongUrl.err().strip().lines()).singleElement().asString().startsWith("etl: cannot reach Trino at jdbc:trino://127.0.0.1:9: ")
                .endsWith("check trino.url and that the cluster is up");
        assertThat(storage.read(kept)).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(7));
        assertThat(storage.listRecursively(output)).containsExactly(kept);
    }

    /**
     * A gzip file whose CRC-32 trailer does not match what it decodes to fails Trino's own read of
     * it (the runner checks gzip files itself only for DuckDB, whose reader skips the trailer).
     */
    @Test
    void aGzipFileWhoseChecksumIsWrongFailsTheStepOnTrino()
            throws Exception
    {
        Path local = work.resolve("gz-source");
        Path gz = RawFiles.writeGzip(local, DAY, "flipped.json.gz", "{\"meta\":{\"session_long\":\"gz\"},\"params\":{\"cc\":\"gh\"}}");
        byte[] bytes = Files.readAllBytes(gz);
        bytes[bytes.length - 8] ^= 1;
        Files.write(gz, bytes);
        Location raw = new Location("s3://etl/pipeline-raw-gz");
        upload(local, raw);
        Location output = new Location("s3://etl/trino-gz");

        Cli.Result load = Cli.run("load", "--config", config("trino", "trino_gz").toString(), "--partition", DAY.hivePath(),
                "--source", raw.uri(), "--output", output.uri());
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(load.err()).contains("V2__event_details").containsIgnoringCase("gzip");
        assertThat(storage.listRecursively(output).stream().map(Location::uri)).noneMatch(uri -> uri.contains("/events/"));
    }

    /**
     * The days of a parallel backfill each run V1 on a schema that does not exist yet: Trino's
     * CREATE SCHEMA IF NOT EXISTS checks, then creates, so all but one of them meet "already
     * exists", which is what the statement asked for. And status, which on Trino renders without
     * listing the source, still calls the days the source does not hold "no source", as the load does.
     */
    @Test
    void daysLoadedInParallelOnANewSchemaEachFindItMade()
            throws Exception
    {
        Path config = config("trino", "trino_parallel_" + System.nanoTime());
        Location output = new Location("s3://etl/trino-parallel");
        Cli.Result backfill = Cli.run("backfill", "--config", config.toString(), "--partition", DAY.channelPath(), "--from", DAY.day().toString(),
                "--to", NEXT_DAY.day().toString(), "--parallel", "2", "--source", RAW, "--output", output.uri());
        assertThat(backfill.code()).as(backfill.out() + backfill.err()).isEqualTo(ExitCode.DONE);

        Cli.Result status = Cli.run("status", "--config", config.toString(), "--partition", DAY.channelPath(), "--from", DAY.day().minusDays(1).toString(),
                "--to", NEXT_DAY.day().toString(), "--source", RAW, "--output", output.uri());
        assertThat(status.code()).as(status.out() + status.err()).isEqualTo(ExitCode.DONE);
        assertThat(status.out()).containsPattern("(?m)^" + DAY.day().minusDays(1) + " +partition +no source")
                .containsPattern("(?m)^" + DAY.day() + " +partition +current")
                .containsPattern("(?m)^" + NEXT_DAY.day() + " +partition +current");
    }

    @Test
    void aSchemaWhoseTablesWereMadeForAnotherOutputIsRefusedBeforeItWrites()
            throws Exception
    {
        Path config = config("trino", "trino_shared");
        Location first = new Location("s3://etl/shared-first");
        Location second = new Location("s3://etl/shared-second");
        assertThat(Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", RAW, "--output", first.uri()).code()).isZero();
        OutputReader firstBefore = new OutputReader(mirror(first, DAY), DAY);
        Map<String, Long> before = firstBefore.dau();
        int eventsBefore = firstBefore.events().size();

        Cli.Result load = Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", RAW, "--output", second.uri());

        // the tables point at the first output: writing through them would put rows there, beside the old ones
        assertThat(load.code()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(load.err()).contains("lives at " + first.uri() + "/event_details/").contains("trino.schema");
        OutputReader firstAfter = new OutputReader(mirror(first, DAY), DAY);
        assertThat(firstAfter.dau()).isNotEmpty().isEqualTo(before);
        assertThat(firstAfter.events()).hasSize(eventsBefore);
    }

    @Test
    void theEmbeddedEngineOverS3WritesWhatItWritesLocally()
            throws Exception
    {
        Location output = new Location("s3://etl/duckdb-s3");
        Location stray = new PublishedPrefix(output, "dau", DAY).location().resolve("stray.parquet");
        storage.write(stray, new byte[] {1});
        Published.byAnEarlierRun(storage, new PublishedPrefix(output, "dau", DAY));
        Cli.Result load = Cli.run("load", "--s3-endpoint", s3.endpoint().toString(), "--partition", DAY.hivePath(),
                "--source", RAW, "--output", output.uri());
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);

        Path local = work.resolve("local");
        Loads.load(DAY, source, local, 0.5);
        OutputReader expected = new OutputReader(local, DAY);
        OutputReader actual = new OutputReader(mirror(output, DAY), DAY);
        assertThat(actual.dau()).isNotEmpty().isEqualTo(expected.dau());
        Multisets.assertSameElements("events", actual.events(), expected.events());
        Multisets.assertSameElements("rejects", rejectLines(actual), rejectLines(expected));
        assertThat(actual.events()).extracting(OutputReader.EventRow::deviceId).contains("bom-1");
        assertThat(storage.read(stray)).isEmpty();
        assertThat(storage.listRecursively(output.resolve("_etl/history").resolve(DAY.hivePath()))).isNotEmpty();
    }

    /**
     * The rejects as both engines keep them: file, reason, full length, and the text except where
     * it cannot be the same (DuckDB shows bytes that are not UTF-8 as ?, Trino keeps them; a line too
     * long is cut by bytes on DuckDB and by characters on Trino). Line numbers are DuckDB's only.
     */
    private static List<String> rejectLines(OutputReader output)
    {
        return output.rejects().stream()
                .map(reject -> String.join(" ", fileName(reject.file()), reject.reason(), String.valueOf(reject.lineBytes()),
                        reject.reason().equals("invalid_utf8") || reject.reason().equals("too_long") ? "" : reject.line()))
                .toList();
    }

    /** The embedded engine on the local copy of the source, with the settings the Trino loads have. */
    private static void loadLocally(Path output)
    {
        Settings settings = Settings.load(Optional.empty(), Map.of("load.max-line-bytes", MAX_LINE_BYTES));
        try (DuckDbEngine engine = new DuckDbEngine(DuckDbSettings.defaults())) {
            Loads.pipeline(settings).load(new LoadRequest(DAY, Location.local(source), Location.local(output), EngineKind.DUCKDB, 0.5),
                    engine, LoadListener.SILENT, Pipeline.DEFAULT_LEASE, new RunStop(engine));
        }
    }

    private static String fileName(String path)
    {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The partition's outputs copied from S3 into a local folder laid out alike (Trino's files get an extension). */
    private Path mirror(Location output, Partition partition)
            throws IOException
    {
        Path mirror = Files.createTempDirectory(work, "mirror");
        for (String dataset : DATASETS) {
            PublishedPrefix prefix = new PublishedPrefix(output, dataset, partition);
            Path folder = mirror.resolve(dataset).resolve(partition.hivePath());
            Files.createDirectories(folder);
            int index = 0;
            for (Location file : storage.listRecursively(prefix.location())) {
                String name = file.fileName();
                if (name.startsWith(".") || name.startsWith("_")) {
                    continue;
                }
                String extension = dataset.equals("rejects") ? ".json" : ".parquet";
                Files.write(folder.resolve((index++) + "-" + name + (name.endsWith(extension) ? "" : extension)), storage.read(file).orElseThrow());
            }
        }
        return mirror;
    }

    /**
     * A Trino load killed (kill -9) inside a step and inside the publish: each published dataset is
     * still one run's files, status says the run was interrupted, and after repair (which finishes
     * the publish and registers the partitions) a rerun equals the first load.
     */
    @Test
    void aTrinoLoadKilledInAStepOrInThePublishLeavesEachDatasetWhole()
            throws Exception
    {
        Location output = new Location("s3://etl/trino-killed");
        Path config = config("trino", "trino_killed");
        List<String> load = List.of("load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", RAW, "--output", output.uri());
        assertThat(Cli.run(load.toArray(String[]::new)).code()).isZero();
        Map<String, Long> first = new OutputReader(mirror(output, DAY), DAY).dau();
        Map<String, String> firstRuns = publishedBy(output);
        Map<String, String> credentials = Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
                "AWS_REGION", "us-east-1");

        for (String point : List.of("step V4__events", "publish events")) {
            Map<String, String> environment = new HashMap<>(credentials);
            environment.put("ETL_TEST_PAUSE_AT", point);
            List<String> killed = new ArrayList<>(load);
            killed.addAll(List.of("--lease-seconds", "3"));
            EtlProcess run = EtlProcess.start(environment, killed);
            run.awaitErr("etl: paused at " + point);
            run.kill();

            Map<String, String> runs = publishedBy(output);
            if (point.startsWith("step")) {
                assertThat(runs).as("nothing published by a run killed in a step").isEqualTo(firstRuns);
                // a killed run never ran its afterRun callback: its staged tables are still in the catalog
                assertThat(stagedTables("trino_killed")).isNotEmpty();
            }
            else {
                // the datasets before events are the killed run's, events and the rest the first run's, each whole
                assertThat(runs.get("event_details")).isNotEqualTo(firstRuns.get("event_details")).isEqualTo(runs.get("rejects"));
                assertThat(runs.get("events")).isEqualTo(firstRuns.get("events"));
                assertThat(runs.get("dau")).isEqualTo(firstRuns.get("dau"));
            }
            assertThat(new OutputReader(mirror(output, DAY), DAY).dau()).isEqualTo(first);
            Cli.Result status = Cli.run("status", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", RAW, "--output", output.uri());
            assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.NOT_CURRENT);
            assertThat(status.out()).contains("interrupted");

            Cli.Result repair = Cli.run("repair", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", RAW, "--output", output.uri());
            assertThat(repair.code()).as(repair.err()).isZero();
            assertThat(stagedTables("trino_killed")).as("staged tables after repair").isEmpty();
            Cli.Result rerun = Cli.run(load.toArray(String[]::new));
            assertThat(rerun.code()).as(rerun.err()).isZero();
            assertThat(new OutputReader(mirror(output, DAY), DAY).dau()).isEqualTo(first);
            firstRuns = publishedBy(output);
            assertThat(new HashSet<>(firstRuns.values())).hasSize(1);
        }
        // Trino reads the published partition through its table: registered, and whole
        try (Connection connection = DriverManager.getConnection(trino.url(), "etl", null);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT sum(device_count) FROM hive.trino_killed.dau WHERE day = '09'")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getLong(1)).isEqualTo(first.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    /**
     * A load killed (kill -9) while Trino runs one of its queries cannot cancel it, and Trino runs
     * it on for minutes (until it notices that no client reads it). The next run of the day stops
     * it before it drops the dead run's staged tables, which a CTAS that finished later would make
     * again. The query here is an audit added to a copy of the project that runs until stopped.
     */
    @Test
    void aQueryOfAKilledLoadIsStoppedByTheNextRunOfItsDay()
            throws Exception
    {
        Path home = Loads.copyOfProject(work);
        Files.writeString(home.resolve("sql").resolve(Loads.nextAudit(home.resolve("sql"), "slow").fileName()), """
                -- Runs until it is stopped (a test's audit): 10^8 rows for each event.
                {{#trino}}
                SELECT x FROM {{> trino_schema}}."{{staged_table.event_details}}" CROSS JOIN UNNEST(sequence(1, 10000)) AS a(x)
                CROSS JOIN UNNEST(sequence(1, 10000)) AS b(y) WHERE x + y < 0;
                {{/trino}}
                """);
        Location output = new Location("s3://etl/trino-dead-query");
        Path config = config("trino", "trino_dead_query");
        List<String> where = List.of("--config", config.toString(), "--partition", DAY.hivePath(), "--source", RAW, "--output", output.uri());
        List<String> load = new ArrayList<>(List.of("load"));
        load.addAll(where);
        EtlProcess run = EtlProcess.startIn(home, Map.of("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY,
                "AWS_REGION", "us-east-1"), load);
        String query;
        try (Connection connection = DriverManager.getConnection(trino.url(), "etl", null); Statement statement = connection.createStatement()) {
            Optional<String> running = Optional.empty();
            for (long deadline = System.nanoTime() + 180_000_000_000L; running.isEmpty() && System.nanoTime() < deadline; Thread.sleep(200)) {
                try (ResultSet result = statement.executeQuery("SELECT query_id FROM system.runtime.queries WHERE state = 'RUNNING'"
                        + " AND strpos(query, 'sequence(1, 10000)') > 0 AND strpos(query, 'system.runtime') = 0")) {
                    running = result.next() ? Optional.of(result.getString(1)) : Optional.empty();
                }
            }
            assertThat(running).as("the slow audit's query running").isPresent();
            query = running.get();
        }
        run.kill();
        assertThat(queryState(query)).as("the killed load's query runs on").isEqualTo("RUNNING: null");

        Cli.Result repair = Cli.runIn(home, Cli.args("repair", where.toArray(String[]::new)));

        assertThat(repair.code()).as(repair.err()).isZero();
        assertThat(queryState(query)).isEqualTo("FAILED: ADMINISTRATIVELY_KILLED");
        assertThat(stagedTables("trino_dead_query")).as("the dead run's staged tables").isEmpty();
    }

    /**
     * Trino's readers see a day only where the metastore lists its partition: one unregistered by
     * hand (or a table dropped and made again by a later load's V1) leaves files that status alone
     * would call current. Status asks the tables, calls the day outdated and names them; repair
     * registers it again.
     */
    @Test
    void aDayATableDoesNotListIsNotCurrentAndRepairRegistersIt()
            throws Throwable
    {
        Location output = new Location("s3://etl/trino-unlisted");
        Path config = config("trino", "trino_unlisted");
        String[] where = {"--config", config.toString(), "--partition", DAY.hivePath(), "--source", RAW, "--output", output.uri()};
        Cli.Result load = Cli.run(Cli.args("load", where));
        assertThat(load.code()).as(load.err()).isZero();
        String count = "SELECT count(*) FROM hive.trino_unlisted.dau WHERE day = '09'";
        long rows = trinoCount(count);
        assertThat(rows).isPositive();

        Executable unregister = () -> {
            try (Connection connection = DriverManager.getConnection(trino.url(), "etl", null); Statement statement = connection.createStatement()) {
                statement.execute("CALL hive.system.unregister_partition('trino_unlisted', 'dau', ARRAY['brand', 'tracker', 'channel', 'year', 'month', 'day'],"
                        + " ARRAY['olx', 'hydra', 'android', '2017', '08', '09'])");
            }
            assertThat(trinoCount(count)).as("Trino's readers of dau see nothing of the day").isZero();
        };
        unregister.execute();

        Cli.Result status = Cli.run(Cli.args("status", where));
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(status.out()).containsPattern("partition +outdated +published by run [0-9_a-f]+, but trino's table dau does not list the day")
                .contains("etl repair registers it");
        // where Trino cannot be asked, status says so and keeps what the files say
        Path unreachable = work.resolve("unreachable.properties");
        Files.writeString(unreachable, Files.readString(config).replace(trino.url(), "jdbc:trino://127.0.0.1:9"));
        Cli.Result unasked = Cli.run("status", "--config", unreachable.toString(), "--partition", DAY.hivePath(), "--source", RAW, "--output", output.uri());
        assertThat(unasked.code()).as(unasked.out()).isEqualTo(ExitCode.DONE);
        assertThat(unasked.out()).contains("trino's catalog was not asked whether its tables list the day (cannot reach Trino at jdbc:trino://127.0.0.1:9");
        // and so does backfill --only-stale, which leaves the day as it is
        Cli.Result unaskedBackfill = Cli.run("backfill", "--config", unreachable.toString(), "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-09",
                "--source", RAW, "--output", output.uri(), "--only-stale");
        assertThat(unaskedBackfill.code()).as(unaskedBackfill.out() + unaskedBackfill.err()).isEqualTo(ExitCode.DONE);
        assertThat(unaskedBackfill.out()).containsPattern("2017-08-09 +current .*applied and current \\(trino's catalog was not asked whether its tables list the day: cannot reach Trino");

        Cli.Result repair = Cli.run(Cli.args("repair", where));
        assertThat(repair.code()).as(repair.err()).isZero();
        assertThat(repair.out()).contains("registered " + DAY + " in the trino tables dau, which did not list it");
        assertThat(trinoCount(count)).isEqualTo(rows);
        Cli.Result current = Cli.run(Cli.args("status", where));
        assertThat(current.code()).as(current.out()).isEqualTo(ExitCode.DONE);
        assertThat(Cli.run(Cli.args("repair", where)).out()).as("nothing left to register").contains("nothing to repair");

        // backfill --only-stale takes the day as stale as status does, and its reload registers it
        String loadedBy = publishedRun(where);
        unregister.execute();
        String[] range = {"--config", config.toString(), "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-09", "--source", RAW, "--output", output.uri(),
                "--only-stale"};
        assertThat(Cli.run(Cli.args("status", where)).out()).contains("does not list the day");
        Cli.Result backfill = Cli.run(Cli.args("backfill", range));
        assertThat(backfill.code()).as(backfill.err()).isZero();
        assertThat(backfill.out()).containsPattern("2017-08-09 +loaded .*reloaded: trino's table dau did not list the day");
        assertThat(trinoCount(count)).isEqualTo(rows);
        assertThat(publishedRun(where)).as("a new run published the day").isNotEqualTo(loadedBy);
        Cli.Result again = Cli.run(Cli.args("backfill", range));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).containsPattern("2017-08-09 +current .*applied and current");
    }

    /** The run that published the day, as status says it. */
    private static String publishedRun(String[] where)
    {
        Cli.Result status = Cli.run(Cli.args("status", where));
        Matcher run = Pattern.compile("published by run ([0-9_a-f]+)").matcher(status.out());
        assertThat(run.find()).as(status.out()).isTrue();
        return run.group(1);
    }

    /** The first column of the first row of a Trino query (0 for one that returns none). */
    private static long trinoCount(String sql)
            throws Exception
    {
        try (Connection connection = DriverManager.getConnection(trino.url(), "etl", null);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            long first = result.next() ? result.getLong(1) : 0;
            while (result.next()) {
                // read to the end, so that the statement finishes
            }
            return first;
        }
    }

    /** A query's state and error code, as Trino lists it. */
    private static String queryState(String queryId)
            throws Exception
    {
        try (Connection connection = DriverManager.getConnection(trino.url(), "etl", null);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT state, error_code FROM system.runtime.queries WHERE query_id = '" + queryId + "'")) {
            assertThat(result.next()).as("Trino lists query " + queryId).isTrue();
            return result.getString(1) + ": " + result.getString(2);
        }
    }

    /** The tables of runs over their staged prefixes (staged__<dataset>__<run>) in a schema. */
    private static List<String> stagedTables(String schema)
            throws Exception
    {
        List<String> tables = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(trino.url(), "etl", null);
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SHOW TABLES FROM hive." + schema + " LIKE 'staged%'")) {
            while (result.next()) {
                tables.add(result.getString(1));
            }
        }
        return tables;
    }

    /** The run each published dataset's marker names. */
    private static Map<String, String> publishedBy(Location output)
            throws IOException
    {
        Map<String, String> runs = new TreeMap<>();
        for (String dataset : List.of("event_details", "rejects", "events", "dau", "hourly_activity", "location_grid")) {
            byte[] marker = storage.read(new PublishedPrefix(output, dataset, DAY).location().resolve("_etl_run")).orElseThrow();
            runs.put(dataset, Json.MAPPER.readTree(marker).get("run_id").asText());
        }
        return runs;
    }

    private Path config(String engine, String schema)
            throws IOException
    {
        Path file = work.resolve(schema + ".properties");
        Files.writeString(file, String.join("\n",
                "engine=" + engine,
                "trino.url=" + trino.url(),
                "trino.catalog=hive",
                "trino.schema=" + schema,
                "s3.endpoint=" + s3.endpoint(),
                "s3.region=us-east-1",
                "load.max-line-bytes=" + MAX_LINE_BYTES,
                ""));
        return file;
    }

    private static void upload(Path root, Location target)
            throws IOException
    {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                storage.write(target.resolve(root.relativize(file).toString()), Files.readAllBytes(file));
            }
        }
    }

}
