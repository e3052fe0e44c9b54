package org.eventetl.engine.athena;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.AthenaClientBuilder;
import software.amazon.awssdk.services.athena.model.AthenaError;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.InternalServerException;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.MetadataException;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionContext;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatistics;
import software.amazon.awssdk.services.athena.model.QueryRuntimeStatisticsRows;
import software.amazon.awssdk.services.athena.model.ResultConfiguration;
import software.amazon.awssdk.services.athena.model.ResultSet;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;
import software.amazon.awssdk.services.athena.model.StatementType;
import software.amazon.awssdk.services.athena.model.TooManyRequestsException;

import org.eventetl.engine.Engine;
import org.eventetl.engine.ProgressListener;
import org.eventetl.engine.QueryRows;
import org.eventetl.engine.StepStatistics;
import org.eventetl.engine.StatisticsTally;
import org.eventetl.model.EngineKind;
import org.eventetl.model.StepFailedException;
import org.eventetl.model.UserException;
import org.eventetl.render.RenderedScript;
import org.eventetl.render.RenderedStep;
import org.eventetl.render.Statements;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.StagedPrefix;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * Amazon Athena (engine version 3) through the AWS SDK v2: one StartQueryExecution per statement,
 * then GetQueryExecution until the query ends, its statistics (bytes scanned, engine and queue
 * time) and, for queries, GetQueryRuntimeStatistics (rows read and written). The SDK's own retries
 * are off, so that what is retried, how often and after what is this class's policy alone:
 * <ul>
 * <li>throttling ({@code TooManyRequestsException}, {@code ThrottlingException}) and Athena's own
 *     {@code InternalServerException} are retried with capped, jittered backoff; a start keeps its
 *     client request token across those retries, so Athena never runs it twice;
 * <li>a query that FAILED is retried only when Athena marks the failure retryable, once, and a
 *     write only after its target prefix has been cleared (and proven empty) again: a deterministic
 *     failure retried would cost its scan again, and Athena leaves a failed write's files behind;
 * <li>"table not found" shortly after this engine created tables is Glue's eventual consistency,
 *     retried briefly; it scans nothing, so it costs nothing;
 * <li>a query still queued or running after the timeout, and the running query on Ctrl-C, are
 *     stopped with StopQueryExecution.
 * </ul>
 */
public final class AthenaEngine
        implements Engine
{
    private static final int CALL_ATTEMPTS = 8;
    private static final int RETRYABLE_FAILURE_RETRIES = 1;
    private static final int CATALOG_RETRIES = 5;
    private static final Duration CATALOG_SETTLE = Duration.ofSeconds(60);
    private static final Duration STOP_CONFIRMATION = Duration.ofSeconds(5);
    private static final Pattern TABLE_NOT_FOUND = Pattern.compile("TABLE_NOT_FOUND|SCHEMA_NOT_FOUND|Table \\S+ does not exist|Schema \\S+ does not exist");

    private final AthenaClient client;
    private final AthenaSettings settings;
    private final Storage storage;
    private final AutoCloseable ownedStorage;
    private final Backoff polling = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(3), false);
    private final Backoff throttling = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), true);
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile String running;
    private long lastCreateNanos = Long.MIN_VALUE;
    private final Set<String> verifiedTables = new HashSet<>();

    /**
     * @param storage where the step targets are, to clear a target again before a failed write is retried
     * @param ownedStorage closed with the engine, when the engine made the storage (or null)
     */
    public AthenaEngine(AthenaSettings settings, Storage storage, AutoCloseable ownedStorage)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.ownedStorage = ownedStorage;
        this.client = client(settings);
    }

    private static AthenaClient client(AthenaSettings settings)
    {
        AthenaClientBuilder builder = AthenaClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                // the retry policy is this class's (see above), and the stub counts every attempt
                .overrideConfiguration(configuration -> configuration
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallTimeout(Duration.ofSeconds(60)));
        settings.endpoint().ifPresent(builder::endpointOverride);
        // without athena.region the default chain's (AWS_REGION, the profile); an endpoint signs for its region too
        settings.region().map(Region::of).ifPresent(builder::region);
        try {
            return builder.build();
        }
        catch (SdkClientException e) {
            throw new UserException("cannot set up the Athena client: " + e.getMessage() + " (set athena.region in --config, or AWS_REGION)", e);
        }
    }

    @Override
    public EngineKind kind()
    {
        return EngineKind.ATHENA;
    }

    @Override
    public Optional<String> persistentDatabase()
    {
        return Optional.of(settings.database());
    }

    @Override
    public StepStatistics execute(RenderedStep step, ProgressListener progress)
    {
        StatisticsTally tally = new StatisticsTally();
        step.target().map(StagedPrefix::published).ifPresent(this::verifyTableLocation);
        for (String sql : step.statements()) {
            Optional<StagedPrefix> clearable = step.writesTarget(sql) ? step.target() : Optional.empty();
            Finished query = run(step.step().id(), clearable, sql, progress, tally);
            tally.scanned(0, query.bytesScanned());
            tally.billed(query.engineMillis(), query.queueMillis(), AthenaPricing.dollars(query.bytesScanned(), settings.pricePerTerabyte()));
            if (query.rows().isEmpty()) {
                tally.rowsUnknown();
                continue;
            }
            QueryRuntimeStatisticsRows rows = query.rows().get();
            tally.scanned(orZero(rows.inputRows()), 0);
            StatisticsTally.Destination destination = StatisticsTally.destination(step, sql);
            // an UNLOAD names its prefix; other statements that name the output (DDL) write no rows
            tally.wrote(destination == StatisticsTally.Destination.ELSEWHERE && !writes(sql) ? StatisticsTally.Destination.NONE : destination, orZero(rows.outputRows()));
        }
        return tally.stats();
    }

    /**
     * The later steps read the earlier ones' outputs through the catalog's tables, whose partition
     * projection was fixed when V1 made them: a database whose tables were made for another output
     * root would have them read that root's partitions. Checked once per table, before the first
     * write to its dataset; a table that does not exist yet is left to the step to report.
     */
    private void verifyTableLocation(PublishedPrefix target)
    {
        String table = target.dataset();
        if (!verifiedTables.add(table)) {
            return;
        }
        String expected = target.output().resolve(target.dataset()).asPrefix();
        Optional<String> template;
        try {
            template = Optional.ofNullable(call("GetTableMetadata", () -> client.getTableMetadata(request -> request
                            .catalogName(settings.catalog()).databaseName(settings.database()).tableName(table)))
                    .tableMetadata().parameters().get("storage.location.template"));
        }
        catch (StepFailedException e) {
            if (e.getCause() instanceof MetadataException) {
                verifiedTables.remove(table);
                return;
            }
            throw e;
        }
        if (template.isPresent() && !template.get().startsWith(expected)) {
            throw new StepFailedException("table " + settings.database() + "." + table + " reads " + template.get() + ", not under " + expected
                    + ": it was made for another output; give each source and output root a database of its own (athena.database)", null);
        }
    }

    @Override
    public QueryRows query(RenderedScript audit, int maxRows)
    {
        StatisticsTally tally = new StatisticsTally();
        List<String> statements = audit.statements();
        for (int i = 0; i < statements.size() - 1; i++) {
            run(audit.id(), Optional.empty(), statements.get(i), ProgressListener.NONE, tally);
        }
        String id = run(audit.id(), Optional.empty(), statements.get(statements.size() - 1), ProgressListener.NONE, tally).queryExecutionId();
        // a SELECT's first row of results is its header
        ResultSet results = call("GetQueryResults", () -> client.getQueryResults(request -> request.queryExecutionId(id).maxResults(maxRows + 2))).resultSet();
        List<String> columns = results.resultSetMetadata().columnInfo().stream().map(ColumnInfo::name).toList();
        List<List<String>> rows = new ArrayList<>();
        for (Row row : results.rows().subList(Math.min(1, results.rows().size()), results.rows().size())) {
            rows.add(row.data().stream().map(datum -> String.valueOf(datum.varCharValue())).toList());
        }
        boolean more = rows.size() > maxRows;
        return new QueryRows(columns, more ? rows.subList(0, maxRows) : rows, more);
    }

    @Override
    public void run(RenderedScript callback)
    {
        StatisticsTally tally = new StatisticsTally();
        for (String sql : callback.statements()) {
            run(callback.id(), Optional.empty(), sql, ProgressListener.NONE, tally);
        }
    }

    /**
     * One statement, from its start to its end, with the retries the class comment allows.
     *
     * @param clearable the staged prefix the statement writes, cleared again before a retry
     */
    private Finished run(String label, Optional<StagedPrefix> clearable, String sql, ProgressListener progress, StatisticsTally tally)
    {
        int failuresRetried = 0;
        int catalogRetries = 0;
        while (true) {
            QueryExecution execution = await(label, start(sql), progress, tally);
            QueryExecutionState state = execution.status().state();
            if (state == QueryExecutionState.SUCCEEDED) {
                if (Statements.withoutLeadingComments(sql).regionMatches(true, 0, "CREATE", 0, "CREATE".length())) {
                    lastCreateNanos = System.nanoTime();
                }
                return finished(execution);
            }
            if (state == QueryExecutionState.CANCELLED) {
                throw new StepFailedException("Athena query " + execution.queryExecutionId() + " was cancelled"
                        + (isCancelled() ? " (StopQueryExecution on request)" : " outside this run (someone stopped it)")
                        + reason(execution), null);
            }
            if (tableNotFound(execution) && recentlyCreated() && catalogRetries < CATALOG_RETRIES) {
                // the catalog has not caught up with a CREATE of this run yet
                sleep(throttling.delay(catalogRetries++));
                continue;
            }
            if (retryable(execution) && failuresRetried < RETRYABLE_FAILURE_RETRIES && !isCancelled() && clearedForRetry(clearable, sql)) {
                failuresRetried++;
                continue;
            }
            throw new StepFailedException(failure(execution), null);
        }
    }

    private String start(String sql)
    {
        if (isCancelled()) {
            throw new StepFailedException("cancelled before the next Athena query started", null);
        }
        StartQueryExecutionRequest.Builder request = StartQueryExecutionRequest.builder()
                // without the comments before its first word: Athena tells DDL (Hive) from queries
                // (Trino) by that word, and sends a commented CREATE EXTERNAL TABLE to the wrong parser
                .queryString(Statements.withoutLeadingComments(sql))
                .workGroup(settings.workgroup())
                .queryExecutionContext(QueryExecutionContext.builder().catalog(settings.catalog()).database(settings.database()).build())
                // Athena returns the same query for the same token: a start retried after throttling never runs twice
                .clientRequestToken(UUID.randomUUID().toString());
        settings.resultLocation().ifPresent(location -> request.resultConfiguration(ResultConfiguration.builder().outputLocation(location).build()));
        StartQueryExecutionRequest built = request.build();
        String id = call("StartQueryExecution", () -> client.startQueryExecution(built)).queryExecutionId();
        running = id;
        if (isCancelled()) {
            // Ctrl-C came while the query was being started: cancel() may not have seen its id
            stopQuietly(id);
        }
        return id;
    }

    /** Polls until the query ends; stops it on timeout or cancel. */
    private QueryExecution await(String label, String id, ProgressListener progress, StatisticsTally tally)
    {
        long deadline = System.nanoTime() + settings.queryTimeout().toNanos();
        try {
            int polls = 0;
            while (true) {
                QueryExecution execution = call("GetQueryExecution", () -> client.getQueryExecution(request -> request.queryExecutionId(id))).queryExecution();
                QueryExecutionState state = execution.status().state();
                if (state == QueryExecutionState.SUCCEEDED || state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED) {
                    return execution;
                }
                progress.progress(label, -1, tally.elapsedSeconds());
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    stopQuietly(id);
                    throw new StepFailedException("Athena query " + id + " was still " + state + " after " + settings.queryTimeout().toSeconds()
                            + " s (--query-timeout, athena.query-timeout-seconds) and was stopped with StopQueryExecution"
                            + (state == QueryExecutionState.QUEUED ? "; the workgroup has no capacity free, try later or raise the timeout" : ""), null);
                }
                long wait = Math.min(polling.delay(polls++).toNanos(), left);
                if (cancelled.await(wait, TimeUnit.NANOSECONDS)) {
                    stopQuietly(id);
                    throw stopped(id);
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly(id);
            throw new StepFailedException("interrupted while Athena query " + id + " ran; it was stopped", e);
        }
        finally {
            running = null;
        }
    }

    /** After StopQueryExecution: waits a few seconds for the query to end, and says how it ended. */
    private StepFailedException stopped(String id)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + STOP_CONFIRMATION.toNanos();
        int polls = 0;
        QueryExecutionState state = call("GetQueryExecution", () -> client.getQueryExecution(request -> request.queryExecutionId(id))).queryExecution().status().state();
        while (state != QueryExecutionState.SUCCEEDED && state != QueryExecutionState.FAILED && state != QueryExecutionState.CANCELLED
                && System.nanoTime() < deadline) {
            Thread.sleep(polling.delay(polls++).toMillis());
            state = call("GetQueryExecution", () -> client.getQueryExecution(request -> request.queryExecutionId(id))).queryExecution().status().state();
        }
        boolean ended = state == QueryExecutionState.SUCCEEDED || state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED;
        return new StepFailedException("cancelled: Athena query " + id + " was stopped with StopQueryExecution"
                + (ended ? " and ended " + state : ", still " + state + " when the runner stopped waiting"), null);
    }

    private Finished finished(QueryExecution execution)
    {
        QueryExecutionStatistics statistics = execution.statistics();
        long bytes = statistics == null ? 0 : orZero(statistics.dataScannedInBytes());
        long engineMillis = statistics == null ? 0 : orZero(statistics.engineExecutionTimeInMillis());
        long queueMillis = statistics == null ? 0 : orZero(statistics.queryQueueTimeInMillis());
        Optional<QueryRuntimeStatisticsRows> rows;
        if (execution.statementType() == StatementType.DDL) {
            // a DDL statement reads and writes no rows, and Athena keeps no runtime statistics for it
            rows = Optional.of(QueryRuntimeStatisticsRows.builder().inputRows(0L).outputRows(0L).build());
        }
        else {
            rows = runtimeRows(execution.queryExecutionId());
        }
        return new Finished(execution.queryExecutionId(), bytes, engineMillis, queueMillis, rows);
    }

    /** Rows read and written, when Athena has them (it may not, for some statements). */
    private Optional<QueryRuntimeStatisticsRows> runtimeRows(String id)
    {
        try {
            return Optional.ofNullable(call("GetQueryRuntimeStatistics", () -> client.getQueryRuntimeStatistics(request -> request.queryExecutionId(id)))
                    .queryRuntimeStatistics())
                    .map(statistics -> statistics.rows());
        }
        catch (StepFailedException e) {
            if (e.getCause() instanceof InvalidRequestException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Whether a failed query may run again: it must be a failure Athena calls retryable, and a write
     * must find its target prefix cleared again (its failed attempt may have left files behind).
     */
    private boolean clearedForRetry(Optional<StagedPrefix> target, String sql)
    {
        if (!writes(sql)) {
            return true;
        }
        if (target.isEmpty()) {
            return false;
        }
        try {
            storage.clear(target.get());
            return true;
        }
        catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static boolean writes(String sql)
    {
        String statement = Statements.withoutLeadingComments(sql).toUpperCase(Locale.ROOT);
        return statement.startsWith("UNLOAD") || statement.startsWith("INSERT") || statement.startsWith("CREATE TABLE") && statement.contains(" AS ");
    }

    private boolean recentlyCreated()
    {
        return lastCreateNanos != Long.MIN_VALUE && System.nanoTime() - lastCreateNanos < CATALOG_SETTLE.toNanos();
    }

    private static boolean tableNotFound(QueryExecution execution)
    {
        String reason = execution.status().stateChangeReason();
        return reason != null && TABLE_NOT_FOUND.matcher(reason).find();
    }

    private static boolean retryable(QueryExecution execution)
    {
        AthenaError error = execution.status().athenaError();
        return error != null && Boolean.TRUE.equals(error.retryable());
    }

    private static String failure(QueryExecution execution)
    {
        StringBuilder message = new StringBuilder("Athena query ").append(execution.queryExecutionId()).append(" FAILED");
        String reason = execution.status().stateChangeReason();
        AthenaError error = execution.status().athenaError();
        if (reason == null && error != null) {
            reason = error.errorMessage();
        }
        message.append(": ").append(reason == null ? "Athena gave no reason" : reason.strip());
        if (error != null) {
            message.append(" (error category ").append(category(error.errorCategory()));
            if (error.errorType() != null) {
                message.append(", type ").append(error.errorType());
            }
            message.append(Boolean.TRUE.equals(error.retryable()) ? ", retryable" : ", not retryable").append(")");
        }
        return message.toString();
    }

    private static String reason(QueryExecution execution)
    {
        String reason = execution.status().stateChangeReason();
        return reason == null ? "" : ": " + reason.strip();
    }

    /** Athena's error categories: 1 its own system, 2 the query (user), 3 other. */
    private static String category(Integer category)
    {
        if (category == null) {
            return "unknown";
        }
        return switch (category) {
            case 1 -> "SYSTEM";
            case 2 -> "USER";
            case 3 -> "OTHER";
            default -> String.valueOf(category);
        };
    }

    /** An Athena API call, retried while Athena throttles it or has an internal error. */
    private <T> T call(String operation, Supplier<T> request)
    {
        int attempt = 0;
        while (true) {
            try {
                return request.get();
            }
            catch (AwsServiceException e) {
                if (!throttled(e) || attempt + 1 >= CALL_ATTEMPTS) {
                    String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode() + ": ";
                    String message = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
                    throw new StepFailedException("Athena " + operation + " failed" + (attempt > 0 ? " after " + (attempt + 1) + " attempts" : "")
                            + ": " + code + message, e);
                }
            }
            catch (SdkClientException e) {
                throw new StepFailedException("cannot reach Athena" + settings.endpoint().map(endpoint -> " at " + endpoint).orElse("")
                        + " for " + operation + ": " + e.getMessage(), e);
            }
            catch (SdkException e) {
                throw new StepFailedException("Athena " + operation + " failed: " + e.getMessage(), e);
            }
            sleep(throttling.delay(attempt++));
        }
    }

    private static boolean throttled(AwsServiceException e)
    {
        if (e instanceof TooManyRequestsException || e instanceof InternalServerException || e.isThrottlingException()) {
            return true;
        }
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        return "ThrottlingException".equals(code) || "ServiceUnavailable".equals(code) || e.statusCode() == 503;
    }

    private static void sleep(Duration duration)
    {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException("interrupted while waiting to retry an Athena call", e);
        }
    }

    private boolean isCancelled()
    {
        return cancelled.getCount() == 0;
    }

    @Override
    public void cancel()
    {
        cancelled.countDown();
        String id = running;
        if (id != null) {
            stopQuietly(id);
        }
    }

    private void stopQuietly(String id)
    {
        try {
            call("StopQueryExecution", () -> client.stopQueryExecution(request -> request.queryExecutionId(id)));
        }
        catch (StepFailedException e) {
            // it ended meanwhile, or Athena is unreachable: the query's own timeout in the workgroup still applies
        }
    }

    @Override
    public void close()
    {
        client.close();
        if (ownedStorage != null) {
            try {
                ownedStorage.close();
            }
            catch (Exception ignored) {
                // nothing to flush: clearing is synchronous
            }
        }
    }

    private static long orZero(Long value)
    {
        return value == null ? 0 : value;
    }

    /** What a finished query reports. */
    private record Finished(String queryExecutionId, long bytesScanned, long engineMillis, long queueMillis, Optional<QueryRuntimeStatisticsRows> rows)
    {
        Finished
        {
            requireNonNull(rows, "rows is null");
        }
    }
}
