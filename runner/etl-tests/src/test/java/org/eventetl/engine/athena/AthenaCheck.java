package org.eventetl.engine.athena;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionContext;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryRuntimeStatisticsRows;
import software.amazon.awssdk.services.athena.model.ResultConfiguration;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

import org.eventetl.cli.ExitCode;
import org.eventetl.history.HistoryStore;
import org.eventetl.history.StepRecord;
import org.eventetl.partition.Partition;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;
import org.eventetl.storage.Location;
import org.eventetl.storage.S3Settings;
import org.eventetl.storage.S3Storage;
import org.eventetl.testing.Cli;

import static java.util.Objects.requireNonNull;

/**
 * {@code make athena-check}: small live probes of what the Athena stub (AthenaStub) cannot know,
 * each printed with what it saw and its verdict (PASS, FAIL, or NOTE where Athena documents
 * nothing and the probe only records what it answered). It needs AWS credentials (the default
 * chain) and a scratch database, S3 prefix and workgroup:
 * <pre>
 * ETL_ATHENA_REGION=eu-west-1
 * ETL_ATHENA_DATABASE=etl_scratch         an existing Glue database the probes may make and drop tables in
 * ETL_ATHENA_WORKGROUP=etl-scratch        a workgroup that does not enforce its settings (CTAS needs external_location)
 * ETL_ATHENA_SCRATCH=s3://bucket/etl-check  a prefix the probes write under and delete afterwards
 * ETL_ATHENA_RESULT_LOCATION=s3://…       optional, when the workgroup has none
 * </pre>
 * The concurrent V1 probe makes a database of its own (athena CREATE DATABASE) and drops it. Every
 * query reads a few bytes; Athena bills each at least 10 MB, so the probes cost about 40 × 0.00005
 * USD at 5 USD per TB, the total printed at the end. Without the variables or credentials it prints
 * one {@code SKIPPED:} line and exits 0. It has not been run from this repository's machines, which
 * have no AWS account.
 */
public final class AthenaCheck
        implements AutoCloseable
{
    private static final List<String> REQUIRED = List.of("ETL_ATHENA_REGION", "ETL_ATHENA_DATABASE", "ETL_ATHENA_WORKGROUP", "ETL_ATHENA_SCRATCH");
    private static final Duration STATISTICS_WAIT = Duration.ofSeconds(60);
    private static final Partition FIRST = Partition.parse("brand=etlcheck/tracker=hydra/channel=android/year=2031/month=01/day=01");
    private static final Partition SECOND = FIRST.withDay(FIRST.day().plusDays(8));

    private final String region;
    private final String database;
    private final String workgroup;
    private final Optional<String> resultLocation;
    private final Location scratch;
    private final String id = HexFormat.of().formatHex(randomBytes());
    private final AthenaClient client;
    private final S3Storage storage;
    private final List<String> tables = new ArrayList<>();
    private final List<Verdict> verdicts = new ArrayList<>();
    private long bytesScanned;
    private double dollars;
    private int queries;

    private AthenaCheck(Map<String, String> environment)
    {
        this.region = environment.get("ETL_ATHENA_REGION");
        this.database = environment.get("ETL_ATHENA_DATABASE");
        this.workgroup = environment.get("ETL_ATHENA_WORKGROUP");
        this.resultLocation = Optional.ofNullable(environment.get("ETL_ATHENA_RESULT_LOCATION")).filter(value -> !value.isBlank());
        this.scratch = new Location(environment.get("ETL_ATHENA_SCRATCH")).resolve("etl-check-" + id);
        this.client = AthenaClient.builder().region(Region.of(region)).build();
        this.storage = S3Storage.create(new S3Settings(Optional.empty(), false, Optional.of(region)));
    }

    public static void main(String[] args)
            throws Exception
    {
        Map<String, String> environment = System.getenv();
        List<String> missing = REQUIRED.stream().filter(name -> environment.getOrDefault(name, "").isBlank()).toList();
        if (!missing.isEmpty()) {
            System.out.println("SKIPPED: athena-check probes a real Athena (it costs about 0.002 USD): set " + String.join(", ", missing)
                    + " (see docs/athena.md), with AWS credentials in the default chain");
            return;
        }
        try {
            DefaultCredentialsProvider.builder().build().resolveCredentials();
        }
        catch (SdkException e) {
            System.out.println("SKIPPED: athena-check found no AWS credentials in the default chain (environment, profile, SSO, instance role)");
            return;
        }
        int failed;
        try (AthenaCheck check = new AthenaCheck(environment)) {
            failed = check.run();
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    private int run()
            throws Exception
    {
        System.out.println("athena-check: database " + database + ", workgroup " + workgroup + ", scratch " + scratch);
        textTable();
        ctasCounts();
        unloadCounts();
        jsonNames();
        emptyResults();
        parquetOfV4();
        tableMetadata();
        historyOrder();
        concurrentSchemaSteps();
        long failed = verdicts.stream().filter(verdict -> verdict.outcome() == Outcome.FAIL).count();
        System.out.printf(Locale.ROOT, "athena-check: %d checks, %d passed, %d failed, %d notes; %d queries scanned %.1f MB, about %.5f USD at 5 USD per TB%n",
                verdicts.size(), verdicts.stream().filter(verdict -> verdict.outcome() == Outcome.PASS).count(), failed,
                verdicts.stream().filter(verdict -> verdict.outcome() == Outcome.NOTE).count(), queries, bytesScanned / 1e6,
                dollars);
        return (int) failed;
    }

    /** The text table the steps read the source through: hidden files, gzip by extension, a byte-order mark, a blank line. */
    private void textTable()
            throws Exception
    {
        Location folder = scratch.resolve("text");
        storage.write(folder.resolve("bom.json"), "\uFEFF{\"n\":1}\n{\"n\":2}\n".getBytes(StandardCharsets.UTF_8));
        storage.write(folder.resolve("_a.json"), "{\"n\":91}\n".getBytes(StandardCharsets.UTF_8));
        storage.write(folder.resolve(".b.json"), "{\"n\":92}\n".getBytes(StandardCharsets.UTF_8));
        storage.write(folder.resolve("c.json.gz"), gzip("{\"n\":3}\n\n{\"n\":4}\n"));
        String table = table("text");
        ddl("CREATE EXTERNAL TABLE `" + database + "`." + table + " (line string) STORED AS TEXTFILE LOCATION '" + folder.asPrefix() + "'");
        List<List<String>> rows = select("SELECT \"$path\", line FROM \"" + database + "\"." + table + " ORDER BY 1, 2");
        boolean hidden = rows.stream().anyMatch(row -> row.get(0).contains("_a.json") || row.get(0).contains(".b.json"));
        verdict("text table: files named _a.json and .b.json are skipped", hidden ? Outcome.FAIL : Outcome.PASS, rows.size() + " rows: " + rows);
        boolean gzipRead = rows.stream().filter(row -> row.get(0).endsWith("c.json.gz")).anyMatch(row -> row.get(1).equals("{\"n\":3}"));
        verdict("text table: c.json.gz is read as gzip by its extension", gzipRead ? Outcome.PASS : Outcome.FAIL, "");
        Optional<String> first = rows.stream().filter(row -> row.get(0).endsWith("bom.json")).map(row -> row.get(1)).filter(line -> line.contains("\"n\":1")).findFirst();
        verdict("text table: a byte-order mark at a file's start is dropped (as Trino's reader does; V2 counts on it)",
                first.map(line -> line.startsWith("{") ? Outcome.PASS : Outcome.FAIL).orElse(Outcome.FAIL), "first line " + first.map(AthenaCheck::visible).orElse("missing"));
        long blank = rows.stream().filter(row -> row.get(1) == null || row.get(1).equals("null") || row.get(1).isEmpty()).count();
        verdict("text table: a blank line is a row (then a day with blank lines runs V3, which finds no reject in them)", Outcome.NOTE, blank + " blank rows");
    }

    /** A CTAS of 5 known rows from a text table of 5 lines and a blank one: where its counts are, at once and later. */
    private void ctasCounts()
            throws Exception
    {
        String five = fiveLines();
        String table = table("ctas");
        QueryExecution ctas = query("CREATE TABLE \"" + database + "\"." + table + " WITH (format = 'PARQUET', write_compression = 'ZSTD', external_location = '"
                + scratch.resolve("ctas").asPrefix() + "') AS SELECT line FROM \"" + database + "\"." + five + " WHERE line <> ''");
        Long updateCount = results(ctas.queryExecutionId()).updateCount();
        verdict("CTAS of 5 rows: GetQueryResults' UpdateCount is 5", Long.valueOf(5).equals(updateCount) ? Outcome.PASS : Outcome.FAIL, "UpdateCount " + updateCount);
        statistics("CTAS of 5 rows", ctas.queryExecutionId());
    }

    /** The same 5 rows UNLOADed: Athena documents no count for UNLOAD. */
    private void unloadCounts()
            throws Exception
    {
        String five = fiveLines();
        QueryExecution unload = query("UNLOAD (SELECT line FROM \"" + database + "\"." + five + " WHERE line <> '') TO '" + scratch.resolve("unload").asPrefix()
                + "' WITH (format = 'PARQUET', compression = 'ZSTD')");
        Long updateCount = results(unload.queryExecutionId()).updateCount();
        verdict("UNLOAD of 5 rows: GetQueryResults' UpdateCount (undocumented for UNLOAD; the runner fails a step without one)", Outcome.NOTE,
                "UpdateCount " + updateCount + ", data manifest " + unload.statistics().dataManifestLocation() + ", files " + names(scratch.resolve("unload")));
        statistics("UNLOAD of 5 rows", unload.queryExecutionId());
    }

    /** What JSON CTAS (plain and gzip) and UNLOAD name their files, and whether a JSON table reads them back. */
    private void jsonNames()
            throws Exception
    {
        String five = fiveLines();
        for (String compression : List.of("NONE", "GZIP")) {
            Location location = scratch.resolve("json-ctas-" + compression.toLowerCase(Locale.ROOT));
            query("CREATE TABLE \"" + database + "\"." + table("json_" + compression.toLowerCase(Locale.ROOT)) + " WITH (format = 'JSON', write_compression = '"
                    + compression + "', external_location = '" + location.asPrefix() + "') AS SELECT line FROM \"" + database + "\"." + five + " WHERE line <> ''");
            readBack("JSON CTAS, write_compression " + compression, location, compression.equals("GZIP"));
        }
        Location unloaded = scratch.resolve("json-unload");
        query("UNLOAD (SELECT line FROM \"" + database + "\"." + five + " WHERE line <> '') TO '" + unloaded.asPrefix() + "' WITH (format = 'JSON')");
        readBack("JSON UNLOAD", unloaded, true);
    }

    private void readBack(String what, Location location, boolean compressed)
            throws Exception
    {
        List<String> names = names(location);
        verdict(what + ": file names " + (compressed ? "end in .gz, which Athena's reader needs for gzip" : "have no compression extension"),
                names.stream().allMatch(name -> name.endsWith(".gz") == compressed) ? Outcome.PASS : Outcome.FAIL, names.toString());
        String reader = table("read_" + location.fileName().replace('-', '_'));
        ddl("CREATE EXTERNAL TABLE `" + database + "`." + reader + " (line string) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION '" + location.asPrefix() + "'");
        List<List<String>> count = select("SELECT count(*) FROM \"" + database + "\"." + reader);
        verdict(what + ": a JSON table over the files reads the 5 rows", count.get(0).get(0).equals("5") ? Outcome.PASS : Outcome.FAIL, "count " + count.get(0).get(0));
    }

    /** A CTAS and an UNLOAD of no rows: a valid output, perhaps without a file. */
    private void emptyResults()
            throws Exception
    {
        String five = fiveLines();
        QueryExecution ctas = query("CREATE TABLE \"" + database + "\"." + table("empty") + " WITH (format = 'PARQUET', external_location = '"
                + scratch.resolve("empty-ctas").asPrefix() + "') AS SELECT line FROM \"" + database + "\"." + five + " WHERE false");
        Long updateCount = results(ctas.queryExecutionId()).updateCount();
        verdict("empty CTAS: UpdateCount 0", Long.valueOf(0).equals(updateCount) ? Outcome.PASS : Outcome.FAIL,
                "UpdateCount " + updateCount + ", files " + names(scratch.resolve("empty-ctas")));
        QueryExecution unload = query("UNLOAD (SELECT line FROM \"" + database + "\"." + five + " WHERE false) TO '" + scratch.resolve("empty-unload").asPrefix()
                + "' WITH (format = 'PARQUET')");
        verdict("empty UNLOAD: what it writes", Outcome.NOTE, "UpdateCount " + results(unload.queryExecutionId()).updateCount() + ", files " + names(scratch.resolve("empty-unload")));
    }

    /** V4's table properties: one bucket, ZSTD; the codec and the types of the file Athena writes, read with DuckDB. */
    private void parquetOfV4()
            throws Exception
    {
        Location location = scratch.resolve("events");
        query("CREATE TABLE \"" + database + "\"." + table("events") + " WITH (format = 'PARQUET', write_compression = 'ZSTD', external_location = '"
                + location.asPrefix() + "', bucketed_by = ARRAY['country'], bucket_count = 1) AS "
                + "SELECT device_id, event_time, CAST(event_time AS date) AS event_date, country FROM (VALUES ('d1', TIMESTAMP '2031-01-01 10:00:00.123', 'GH'), "
                + "('d2', TIMESTAMP '2031-01-01 11:00:00', 'ZA'), ('d3', NULL, NULL)) AS t(device_id, event_time, country) "
                + "ORDER BY country NULLS LAST, device_id NULLS LAST, event_time NULLS LAST");
        List<Location> files = storage.listRecursively(location);
        verdict("V4's CTAS: one bucket writes one file", files.size() == 1 ? Outcome.PASS : Outcome.FAIL, files.toString());
        if (files.isEmpty()) {
            return;
        }
        Path copy = Files.createTempFile("athena-check", ".parquet");
        try {
            Files.write(copy, storage.read(files.get(0)).orElseThrow());
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                    Statement statement = connection.createStatement()) {
                List<String> codecs = column(statement, "SELECT DISTINCT compression FROM parquet_metadata('" + copy + "')");
                verdict("V4's CTAS: write_compression ZSTD writes ZSTD", codecs.equals(List.of("ZSTD")) ? Outcome.PASS : Outcome.FAIL, codecs.toString());
                List<String> types = column(statement, "SELECT name || ' ' || coalesce(type, '') || ' ' || coalesce(logical_type, '') FROM parquet_schema('" + copy + "')");
                verdict("V4's CTAS: the Parquet types (timestamps INT96 or INT64, millisecond or not)", Outcome.NOTE, types.toString());
            }
        }
        finally {
            Files.deleteIfExists(copy);
        }
    }

    /** GetTableMetadata: the projection's template among a table's parameters, and how a missing table is told. */
    private void tableMetadata()
            throws Exception
    {
        String table = table("projected");
        String root = scratch.resolve("projected").asPrefix();
        ddl("CREATE EXTERNAL TABLE `" + database + "`." + table + " (line string) PARTITIONED BY (day string) STORED AS TEXTFILE LOCATION '" + root + "' "
                + "TBLPROPERTIES ('projection.enabled' = 'true', 'projection.day.type' = 'injected', 'storage.location.template' = '" + root + "${day}/')");
        Map<String, String> parameters = client.getTableMetadata(request -> request.catalogName("AwsDataCatalog").databaseName(database).tableName(table))
                .tableMetadata().parameters();
        verdict("GetTableMetadata: parameters carry storage.location.template (the runner checks roots with it)",
                (root + "${day}/").equals(parameters.get("storage.location.template")) ? Outcome.PASS : Outcome.FAIL, parameters.toString());
        String missing;
        try {
            client.getTableMetadata(request -> request.catalogName("AwsDataCatalog").databaseName(database).tableName(table("never_made")));
            missing = "no error";
        }
        catch (SdkException e) {
            missing = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        verdict("GetTableMetadata of a missing table: the error (the runner takes MetadataException as missing)",
                missing.startsWith("MetadataException") ? Outcome.PASS : Outcome.FAIL, missing);
    }

    /**
     * ListQueryExecutions' order, which Athena's reference does not give: the runner reads the
     * workgroup's history newest first to find a killed run's queries, and stops at a page that
     * holds none submitted since that run started. The probes above have just run queries here.
     */
    private void historyOrder()
    {
        List<String> ids = client.listQueryExecutions(request -> request.workGroup(workgroup).maxResults(50)).queryExecutionIds();
        List<java.time.Instant> submitted = ids.isEmpty() ? List.of()
                : client.batchGetQueryExecution(request -> request.queryExecutionIds(ids)).queryExecutions().stream()
                        .sorted(java.util.Comparator.comparingInt(query -> ids.indexOf(query.queryExecutionId())))
                        .map(query -> query.status().submissionDateTime()).toList();
        boolean newestFirst = submitted.size() > 1;
        for (int i = 1; i < submitted.size(); i++) {
            newestFirst &= !submitted.get(i).isAfter(submitted.get(i - 1));
        }
        verdict("ListQueryExecutions lists the newest first (the runner finds a killed run's queries so)",
                newestFirst ? Outcome.PASS : Outcome.FAIL, submitted.size() + " ids, submitted " + (submitted.isEmpty() ? "-" : submitted.get(0) + " … " + submitted.get(submitted.size() - 1)));
    }

    /** Two days loaded side by side into a new database: V1 applied once, under its lock. */
    private void concurrentSchemaSteps()
            throws Exception
    {
        String fresh = "etl_check_" + id;
        ddl("CREATE DATABASE `" + fresh + "`");
        Location source = scratch.resolve("v1/raw");
        Location output = scratch.resolve("v1/out");
        try {
            Path local = Files.createTempDirectory("athena-check-source");
            for (Partition day : List.of(FIRST, SECOND)) {
                new SampleWriter(new SampleSpec(day, local, 100, 1, 7, 0.05, 0.01, false)).write(bytes -> {});
            }
            try (Stream<Path> paths = Files.walk(local)) {
                for (Path file : paths.filter(Files::isRegularFile).toList()) {
                    storage.write(source.resolve(local.relativize(file).toString()), Files.readAllBytes(file));
                }
            }
            Path config = Files.createTempFile("athena-check", ".properties");
            List<String> lines = new ArrayList<>(List.of("engine=athena", "athena.region=" + region, "athena.workgroup=" + workgroup, "athena.database=" + fresh,
                    "s3.region=" + region));
            resultLocation.ifPresent(location -> lines.add("athena.result-location=" + location));
            Files.write(config, lines);
            Cli.Result backfill = Cli.run("backfill", "--config", config.toString(), "--partition", "brand=etlcheck/tracker=hydra/channel=android",
                    "--from", FIRST.day().toString(), "--to", SECOND.day().toString(), "--parallel", "2", "--source", source.uri(), "--output", output.uri());
            List<StepRecord.Outcome> outcomes = new ArrayList<>();
            for (Partition day : List.of(FIRST, SECOND)) {
                new HistoryStore(storage, output).read(day).steps().stream().filter(step -> step.step().equals("V1__functions")).findFirst()
                        .ifPresent(step -> outcomes.add(step.outcome()));
            }
            boolean once = backfill.code() == ExitCode.DONE && outcomes.stream().filter(StepRecord.Outcome.APPLIED::equals).count() == 1 && outcomes.size() == 2;
            verdict("two days side by side on a new database: both load, V1 applied once", once ? Outcome.PASS : Outcome.FAIL,
                    "exit " + backfill.code() + ", V1 " + outcomes + (backfill.code() == ExitCode.DONE ? "" : ": " + backfill.err().strip()));
        }
        finally {
            ddl("DROP DATABASE IF EXISTS `" + fresh + "` CASCADE");
            for (Location file : storage.listRecursively(scratch.resolve("v1"))) {
                storage.delete(file);
            }
        }
    }

    /** A text table over 5 lines and a blank one, made once. */
    private String fiveLines()
            throws Exception
    {
        String table = "etl_check_" + id + "_five";
        if (!tables.contains(table)) {
            Location folder = scratch.resolve("five");
            storage.write(folder.resolve("five.txt"), "1\n2\n3\n\n4\n5\n".getBytes(StandardCharsets.UTF_8));
            tables.add(table);
            ddl("CREATE EXTERNAL TABLE `" + database + "`." + table + " (line string) STORED AS TEXTFILE LOCATION '" + folder.asPrefix() + "'");
        }
        return table;
    }

    /** InputRows and OutputRows of the runtime statistics, right after the query and once they come (at most a minute later). */
    private void statistics(String what, String queryId)
            throws InterruptedException
    {
        Optional<QueryRuntimeStatisticsRows> first = runtimeRows(queryId);
        long started = System.nanoTime();
        Optional<QueryRuntimeStatisticsRows> later = first;
        while (later.isEmpty() && System.nanoTime() - started < STATISTICS_WAIT.toNanos()) {
            Thread.sleep(2_000);
            later = runtimeRows(queryId);
        }
        verdict(what + ": runtime statistics right away and later (InputRows 6 would count the blank line; OutputRows is rows returned)", Outcome.NOTE,
                "at once " + describe(first) + String.format(Locale.ROOT, "; after %.0f s ", (System.nanoTime() - started) / 1e9) + describe(later));
    }

    private Optional<QueryRuntimeStatisticsRows> runtimeRows(String queryId)
    {
        try {
            return Optional.ofNullable(client.getQueryRuntimeStatistics(request -> request.queryExecutionId(queryId)).queryRuntimeStatistics().rows());
        }
        catch (SdkException e) {
            return Optional.empty();
        }
    }

    private static String describe(Optional<QueryRuntimeStatisticsRows> rows)
    {
        return rows.map(found -> "InputRows " + found.inputRows() + ", OutputRows " + found.outputRows()).orElse("no row statistics");
    }

    private String table(String name)
    {
        String table = "etl_check_" + id + "_" + name;
        tables.add(table);
        return table;
    }

    private void ddl(String sql)
            throws InterruptedException
    {
        query(sql);
    }

    private List<List<String>> select(String sql)
            throws InterruptedException
    {
        GetQueryResultsResponse results = results(query(sql).queryExecutionId());
        List<List<String>> rows = new ArrayList<>();
        List<Row> all = results.resultSet().rows();
        for (Row row : all.subList(Math.min(1, all.size()), all.size())) {
            rows.add(row.data().stream().map(datum -> String.valueOf(datum.varCharValue())).toList());
        }
        return rows;
    }

    private GetQueryResultsResponse results(String queryId)
    {
        return client.getQueryResults(request -> request.queryExecutionId(queryId).maxResults(100));
    }

    /** Runs one statement to its end; a query that does not succeed stops the check with Athena's reason. */
    private QueryExecution query(String sql)
            throws InterruptedException
    {
        StartQueryExecutionRequest.Builder request = StartQueryExecutionRequest.builder()
                .queryString(sql)
                .workGroup(workgroup)
                .queryExecutionContext(QueryExecutionContext.builder().catalog("AwsDataCatalog").database(database).build());
        resultLocation.ifPresent(location -> request.resultConfiguration(ResultConfiguration.builder().outputLocation(location).build()));
        String queryId = client.startQueryExecution(request.build()).queryExecutionId();
        queries++;
        while (true) {
            QueryExecution execution = client.getQueryExecution(get -> get.queryExecutionId(queryId)).queryExecution();
            QueryExecutionState state = execution.status().state();
            if (state == QueryExecutionState.SUCCEEDED) {
                long scanned = Optional.ofNullable(execution.statistics().dataScannedInBytes()).orElse(0L);
                bytesScanned += scanned;
                dollars += AthenaPricing.dollars(scanned, 5);
                return execution;
            }
            if (state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                throw new IllegalStateException("query " + queryId + " " + state + ": " + execution.status().stateChangeReason() + "\n" + sql);
            }
            Thread.sleep(500);
        }
    }

    private List<String> names(Location location)
            throws IOException
    {
        return storage.listRecursively(location).stream().map(Location::fileName).toList();
    }

    private void verdict(String check, Outcome outcome, String saw)
    {
        verdicts.add(new Verdict(check, outcome, saw));
        System.out.println(outcome + "  " + check + (saw.isEmpty() ? "" : "\n      saw: " + saw));
    }

    private static List<String> column(Statement statement, String sql)
            throws SQLException
    {
        List<String> values = new ArrayList<>();
        try (ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }

    private static byte[] gzip(String text)
            throws IOException
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    private static String visible(String line)
    {
        return line.startsWith("\uFEFF") ? "U+FEFF then " + line.substring(1) : line;
    }

    private static byte[] randomBytes()
    {
        byte[] bytes = new byte[4];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    /** Drops every table the probes made and deletes what they wrote under the scratch prefix. */
    @Override
    public void close()
            throws Exception
    {
        try {
            for (String table : tables) {
                try {
                    query("DROP TABLE IF EXISTS `" + database + "`.`" + table + "`");
                }
                catch (RuntimeException e) {
                    System.out.println("athena-check: could not drop " + database + "." + table + ": " + e.getMessage());
                }
            }
            for (Location file : storage.listRecursively(scratch)) {
                storage.delete(file);
            }
        }
        finally {
            storage.close();
            client.close();
        }
    }

    enum Outcome
    {
        PASS,
        FAIL,
        NOTE,
    }

    private record Verdict(String check, Outcome outcome, String saw)
    {
        Verdict
        {
            requireNonNull(check, "check is null");
            requireNonNull(outcome, "outcome is null");
            requireNonNull(saw, "saw is null");
        }
    }
}
