package org.eventetl.engine.athena;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.AthenaClientBuilder;
import software.amazon.awssdk.services.athena.model.AthenaError;
import software.amazon.awssdk.services.athena.model.BatchGetQueryExecutionResponse;
import software.amazon.awssdk.services.athena.model.ColumnInfo;
import software.amazon.awssdk.services.athena.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.ListQueryExecutionsResponse;
import software.amazon.awssdk.services.athena.model.QueryExecution;
import software.amazon.awssdk.services.athena.model.QueryExecutionContext;
import software.amazon.awssdk.services.athena.model.QueryExecutionState;
import software.amazon.awssdk.services.athena.model.QueryExecutionStatistics;
import software.amazon.awssdk.services.athena.model.QueryRuntimeStatistics;
import software.amazon.awssdk.services.athena.model.ResultConfiguration;
import software.amazon.awssdk.services.athena.model.ResultSet;
import software.amazon.awssdk.services.athena.model.Row;
import software.amazon.awssdk.services.athena.model.StartQueryExecutionRequest;

import org.eventetl.engine.Engine;
import org.eventetl.engine.ProgressListener;
import org.eventetl.engine.QueryRows;
import org.eventetl.engine.StatisticsTally;
import org.eventetl.engine.StepStatistics;
import org.eventetl.model.EngineKind;
import org.eventetl.model.RunId;
import org.eventetl.model.StepFailedException;
import org.eventetl.model.UserException;
import org.eventetl.render.RenderedScript;
import org.eventetl.render.RenderedStep;
import org.eventetl.render.Statements;
import org.eventetl.storage.StagedPrefix;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * Amazon Athena (engine version 3) through the AWS SDK v2: one StartQueryExecution per statement,
 * then GetQueryExecution until the query ends. What a step reports comes from where Athena
 * documents it:
 * <ul>
 * <li>bytes scanned, engine and queue time: GetQueryExecution's statistics, there once the query ended;
 * <li>rows a {@code CREATE TABLE … AS} wrote: GetQueryResults' UpdateCount ("the number of rows
 *     inserted with a CREATE TABLE AS SELECT, INSERT INTO, or UPDATE statement"); when it is
 *     missing, a {@code SELECT count(*)} of the table the statement made (Parquet: Athena reads only
 *     the files' footers; billed at its 10 MB minimum, 0.00005 USD at 5 USD per TB), never a guess.
 *     OutputRows of the runtime statistics is "rows returned by the query", not rows written;
 * <li>rows a statement read: InputRows of GetQueryRuntimeStatistics, which "may not be available
 *     immediately after a query completes or, in some cases, may not be returned": waited for
 *     briefly, then unknown (-1), which a {@code -- when: rows_dropped} step reads as "maybe".
 * </ul>
 * Each step's notes say where each count came from. The SDK's own retries are off, so what is
 * retried is this class's policy ({@link AthenaCalls}): throttling, internal errors and network
 * failures of a call, a start keeping its client request token; a query that FAILED only when
 * Athena marks the failure retryable, once, and a write only after its staged prefix was cleared
 * again; "table not found" shortly after this engine made tables, while Glue catches up. A query
 * this engine started is stopped (StopQueryExecution) on its timeout, on Ctrl-C and on any way out
 * of waiting for it that is not its end.
 */
public final class AthenaEngine
        implements Engine
{
    private static final int RETRYABLE_FAILURE_RETRIES = 1;
    /** The most ListQueryExecutions returns per page, and what BatchGetQueryExecution takes at once. */
    private static final int HISTORY_PAGE = 50;
    private static final int HISTORY_PAGES = 20;
    private static final int CATALOG_RETRIES = 5;
    private static final Duration CATALOG_SETTLE = Duration.ofSeconds(60);
    private static final Duration STOP_CONFIRMATION = Duration.ofSeconds(5);
    /** How long the runtime statistics are waited for once a query ended; Athena documents no bound. */
    static final Duration STATISTICS_WAIT = Duration.ofSeconds(10);
    /** How long once a query's statistics never came: this account or table may not return them (Lake Formation filters). */
    static final Duration STATISTICS_WAIT_AFTER_A_MISS = Duration.ofSeconds(2);
    private static final Pattern TABLE_NOT_FOUND = Pattern.compile("TABLE_NOT_FOUND|SCHEMA_NOT_FOUND|Table \\S+ does not exist|Schema \\S+ does not exist");
    private static final Pattern BYTES_SCANNED_LIMIT = Pattern.compile("(?i)bytes scanned limit");

    private final AthenaClient client;
    private final AthenaSettings settings;
    private final Storage storage;
    private final AutoCloseable ownedStorage;
    private final AthenaCalls calls;
    private final CatalogGuard catalog;
    private final Backoff polling = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(3), false);
    private final Backoff throttling = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10), true);
    private final Backoff statisticsPolling = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2), false);
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile String running;
    private long lastCreateNanos = Long.MIN_VALUE;
    private boolean statisticsMissed;

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
        this.calls = new AthenaCalls(throttling, settings.endpoint().map(Object::toString));
        this.catalog = new CatalogGuard(client, calls, settings);
    }

    private static AthenaClient client(AthenaSettings settings)
    {
        AthenaClientBuilder builder = AthenaClient.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                // the retry policy is AthenaCalls', and the stub counts every attempt; an attempt that
                // hangs times out and is retried like a reset connection
                .overrideConfiguration(configuration -> configuration
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .apiCallAttemptTimeout(Duration.ofSeconds(20))
                        .apiCallTimeout(Duration.ofSeconds(30)));
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
        List<String> notes = new ArrayList<>();
        List<ExternalTable> schema = step.statements().stream().flatMap(sql -> ExternalTable.of(sql).stream()).toList();
        if (!schema.isEmpty()) {
            catalog.beforeSchema(schema);
        }
        step.target().ifPresent(target -> catalog.beforeWriting(target.dataset(), target.published().output().resolve(target.dataset()).asPrefix()));
        for (String sql : step.statements()) {
            StatementKind kind = StatementKind.of(sql);
            if (readsSource(kind, sql)) {
                catalog.beforeReadingSource();
            }
            Optional<StagedPrefix> clearable = step.writesTarget(sql) ? step.target() : Optional.empty();
            Finished query = run(step.step().id(), kind, clearable, sql, progress, tally);
            bill(tally, query);
            switch (kind) {
                case CREATE_TABLE_AS, INSERT, UNLOAD -> {
                    long written = rowsWritten(step.step().id(), kind, sql, query, tally, notes);
                    tally.wrote(StatisticsTally.destination(step, sql), written);
                    rowsRead(query, tally, notes);
                }
                case QUERY, OTHER -> rowsRead(query, tally, notes);
                case EXTERNAL_TABLE, DROP_TABLE -> {
                    // metadata only: no rows read or written, and Athena keeps no row statistics for DDL
                }
            }
        }
        StepStatistics counted = tally.stats();
        return new StepStatistics(counted.rowsScanned(), counted.rowsWritten(), counted.rowsWrittenElsewhere(), counted.bytesScanned(), counted.seconds(),
                notes, counted.engineSeconds(), counted.queueSeconds(), counted.dollars());
    }

    /** Whether a statement reads the source lines through the table over every day. */
    private static boolean readsSource(StatementKind kind, String sql)
    {
        return kind != StatementKind.EXTERNAL_TABLE && kind != StatementKind.DROP_TABLE
                && sql.toLowerCase(Locale.ROOT).matches("(?s).*\\.\\s*[`\"]?" + CatalogGuard.RAW_TABLE + "\\b.*");
    }

    private void bill(StatisticsTally tally, Finished query)
    {
        tally.scanned(0, query.bytesScanned());
        tally.billed(query.engineMillis(), query.queueMillis(), AthenaPricing.dollars(query.bytesScanned(), settings.pricePerTerabyte()));
    }

    /**
     * The rows a write inserted, from GetQueryResults' UpdateCount (documented for CTAS and INSERT);
     * when it is missing, for a CTAS a {@code count(*)} of the table it made. An UNLOAD's count is
     * not documented and it leaves no table to count: without an UpdateCount the step fails rather
     * than record a number that may be wrong.
     */
    private long rowsWritten(String label, StatementKind kind, String sql, Finished query, StatisticsTally tally, List<String> notes)
    {
        GetQueryResultsResponse results = calls.call("GetQueryResults", () -> client.getQueryResults(request -> request.queryExecutionId(query.id()).maxResults(1)));
        Long updateCount = results.updateCount();
        if (updateCount != null && updateCount >= 0) {
            notes.add("rows: " + updateCount + ", the UpdateCount of GetQueryResults" + (updateCount == 0
                    ? " (an empty result: Athena may write no file, and the dataset is published empty)" : ""));
            return updateCount;
        }
        Optional<String> table = StatementKind.createdTable(sql);
        if (kind != StatementKind.CREATE_TABLE_AS || table.isEmpty()) {
            throw new StepFailedException("Athena returned no UpdateCount for query " + query.id() + " (" + kind.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + "), and the runner records no count it cannot vouch for; write the step with CREATE TABLE … AS (see docs/athena.md)", null);
        }
        String count = "SELECT count(*) FROM " + table.get();
        Finished counted = run(label, StatementKind.QUERY, Optional.empty(), count, ProgressListener.NONE, tally);
        bill(tally, counted);
        QueryRows rows = results(counted.id(), 1);
        if (rows.rows().size() != 1 || !rows.rows().get(0).get(0).matches("[0-9]+")) {
            throw new StepFailedException("Athena returned no UpdateCount for query " + query.id() + ", and " + count + " answered " + rows.rows(), null);
        }
        long value = Long.parseLong(rows.rows().get(0).get(0));
        notes.add("rows: " + value + ", counted with " + count + " as GetQueryResults had no UpdateCount (scanned "
                + String.format(Locale.ROOT, "%.1f MB, %.6f USD", counted.bytesScanned() / 1e6, AthenaPricing.dollars(counted.bytesScanned(), settings.pricePerTerabyte())) + ")");
        return value;
    }

    /** The rows a statement read, from the runtime statistics, or unknown when they do not come. */
    private void rowsRead(Finished query, StatisticsTally tally, List<String> notes)
    {
        long started = System.nanoTime();
        Duration wait = statisticsMissed ? STATISTICS_WAIT_AFTER_A_MISS : STATISTICS_WAIT;
        int attempt = 0;
        while (true) {
            Optional<Long> input = inputRows(query.id());
            if (input.isPresent()) {
                tally.scanned(input.get(), 0);
                notes.add("rows scanned: " + input.get() + ", the InputRows of GetQueryRuntimeStatistics" + (attempt > 0
                        ? String.format(Locale.ROOT, " (there after %.1f s)", (System.nanoTime() - started) / 1e9) : ""));
                return;
            }
            Duration delay = statisticsPolling.delay(attempt++);
            if (System.nanoTime() - started + delay.toNanos() > wait.toNanos()) {
                break;
            }
            AthenaCalls.sleep(delay);
        }
        statisticsMissed = true;
        tally.rowsUnknown();
        notes.add("rows scanned: unknown, GetQueryRuntimeStatistics had no row statistics within " + wait.toSeconds()
                + " s (Athena documents that they may come late or not at all)");
    }

    private Optional<Long> inputRows(String id)
    {
        QueryRuntimeStatistics statistics;
        try {
            statistics = calls.call("GetQueryRuntimeStatistics", () -> client.getQueryRuntimeStatistics(request -> request.queryExecutionId(id))).queryRuntimeStatistics();
        }
        catch (StepFailedException e) {
            if (e.getCause() instanceof InvalidRequestException) {
                // not (yet) available for this query
                return Optional.empty();
            }
            throw e;
        }
        return Optional.ofNullable(statistics).map(QueryRuntimeStatistics::rows).map(rows -> rows.inputRows());
    }

    @Override
    public QueryRows query(RenderedScript audit, int maxRows)
    {
        StatisticsTally tally = new StatisticsTally();
        List<String> statements = audit.statements();
        for (int i = 0; i < statements.size() - 1; i++) {
            run(audit.id(), StatementKind.of(statements.get(i)), Optional.empty(), statements.get(i), ProgressListener.NONE, tally);
        }
        String last = statements.get(statements.size() - 1);
        return results(run(audit.id(), StatementKind.of(last), Optional.empty(), last, ProgressListener.NONE, tally).id(), maxRows);
    }

    /** The first {@code maxRows} rows of a SELECT's results: its first row is the header. */
    private QueryRows results(String id, int maxRows)
    {
        ResultSet results = calls.call("GetQueryResults", () -> client.getQueryResults(request -> request.queryExecutionId(id).maxResults(maxRows + 2))).resultSet();
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
            // callbacks tidy (drop the run's staged tables): they run after a cancel too, as the runner asks
            run(callback.id(), StatementKind.of(sql), Optional.empty(), sql, ProgressListener.NONE, tally, false);
        }
    }

    /**
     * One statement, from its start to its end, with the retries the class comment allows.
     *
     * @param clearable the staged prefix the statement writes, cleared again before a retry
     */
    private Finished run(String label, StatementKind kind, Optional<StagedPrefix> clearable, String sql, ProgressListener progress, StatisticsTally tally)
    {
        return run(label, kind, clearable, sql, progress, tally, true);
    }

    /** The same, for a statement that a cancel stops ({@code stoppable}) or lets run to its end (a callback's tidying). */
    private Finished run(String label, StatementKind kind, Optional<StagedPrefix> clearable, String sql, ProgressListener progress, StatisticsTally tally,
            boolean stoppable)
    {
        int failuresRetried = 0;
        int catalogRetries = 0;
        while (true) {
            QueryExecution execution = await(label, start(sql, stoppable), progress, tally, stoppable);
            QueryExecutionState state = execution.status().state();
            if (state == QueryExecutionState.SUCCEEDED) {
                if (kind == StatementKind.EXTERNAL_TABLE || kind == StatementKind.CREATE_TABLE_AS) {
                    lastCreateNanos = System.nanoTime();
                }
                return finished(execution);
            }
            if (state == QueryExecutionState.CANCELLED) {
                throw new StepFailedException(cancelled(execution), null);
            }
            if (tableNotFound(execution) && recentlyCreated() && catalogRetries < CATALOG_RETRIES) {
                // the catalog has not caught up with a CREATE of this run yet
                AthenaCalls.sleep(throttling.delay(catalogRetries++));
                continue;
            }
            if (retryable(execution) && failuresRetried < RETRYABLE_FAILURE_RETRIES && !(stoppable && isCancelled()) && clearedForRetry(kind, clearable)) {
                failuresRetried++;
                continue;
            }
            throw new StepFailedException(failure(execution), null);
        }
    }

    private String start(String sql, boolean stoppable)
    {
        if (stoppable && isCancelled()) {
            throw new StepFailedException("cancelled before the next Athena query started", null);
        }
        // one token per query this engine means to run: the retries of this start all carry it, so
        // Athena answers a start it already received with the query it started then
        String token = UUID.randomUUID().toString();
        StartQueryExecutionRequest.Builder request = StartQueryExecutionRequest.builder()
                // without the comments before its first word: Athena tells DDL (Hive) from queries
                // (Trino) by that word, and sends a commented CREATE EXTERNAL TABLE to the wrong parser
                .queryString(Statements.withoutLeadingComments(sql))
                .workGroup(settings.workgroup())
                .queryExecutionContext(QueryExecutionContext.builder().catalog(settings.catalog()).database(settings.database()).build())
                .clientRequestToken(token);
        settings.resultLocation().ifPresent(location -> request.resultConfiguration(ResultConfiguration.builder().outputLocation(location).build()));
        StartQueryExecutionRequest built = request.build();
        String id;
        try {
            id = calls.call("StartQueryExecution", () -> client.startQueryExecution(built)).queryExecutionId();
        }
        catch (StepFailedException e) {
            throw new StepFailedException(e.getMessage() + "; if Athena received the start, its query (client request token " + token
                    + ") runs on without the runner, within the workgroup's limits", e.getCause());
        }
        running = stoppable ? id : null;
        if (stoppable && isCancelled()) {
            // Ctrl-C came while the query was being started: cancel() may not have seen its id
            stopQuietly(id);
        }
        return id;
    }

    /** Polls until the query ends; stops it on timeout, on cancel, and on any way out that is not its end. */
    private QueryExecution await(String label, String id, ProgressListener progress, StatisticsTally tally, boolean stoppable)
    {
        long deadline = System.nanoTime() + settings.queryTimeout().toNanos();
        boolean ended = false;
        try {
            int polls = 0;
            while (true) {
                QueryExecution execution = calls.call("GetQueryExecution", () -> client.getQueryExecution(request -> request.queryExecutionId(id))).queryExecution();
                QueryExecutionState state = execution.status().state();
                if (terminal(state)) {
                    ended = true;
                    return execution;
                }
                progress.progress(label, -1, tally.elapsedSeconds());
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new StepFailedException("Athena query " + id + " was still " + state + " after " + settings.queryTimeout().toSeconds()
                            + " s (--query-timeout, athena.query-timeout-seconds) and was stopped with StopQueryExecution"
                            + (state == QueryExecutionState.QUEUED ? "; the workgroup has no capacity free, try later or raise the timeout" : ""), null);
                }
                long wait = Math.min(polling.delay(polls++).toNanos(), left);
                if (!stoppable) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                else if (cancelled.await(wait, TimeUnit.NANOSECONDS)) {
                    stopQuietly(id);
                    ended = true;
                    throw stopped(id);
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException("interrupted while Athena query " + id + " ran; it was stopped", e);
        }
        finally {
            if (!ended) {
                // a timeout, an interrupt, or polls that failed past their retries: the query must not run on unwatched
                stopQuietly(id);
            }
            running = null;
        }
    }

    /** After StopQueryExecution: waits a few seconds for the query to end, and says how it ended. */
    private StepFailedException stopped(String id)
            throws InterruptedException
    {
        QueryExecutionState state = stateOnceStopped(id);
        return new StepFailedException("cancelled: Athena query " + id + " was stopped with StopQueryExecution"
                + (terminal(state) ? " and ended " + state : ", still " + state + " when the runner stopped waiting"), null);
    }

    /** The state of a query asked to stop: once it has ended, or as it is after {@link #STOP_CONFIRMATION}. */
    private QueryExecutionState stateOnceStopped(String id)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + STOP_CONFIRMATION.toNanos();
        int polls = 0;
        QueryExecutionState state = state(id);
        while (!terminal(state) && System.nanoTime() < deadline) {
            Thread.sleep(polling.delay(polls++).toMillis());
            state = state(id);
        }
        return state;
    }

    private QueryExecutionState state(String id)
    {
        return calls.call("GetQueryExecution", () -> client.getQueryExecution(request -> request.queryExecutionId(id))).queryExecution().status().state();
    }

    private static boolean terminal(QueryExecutionState state)
    {
        return state == QueryExecutionState.SUCCEEDED || state == QueryExecutionState.FAILED || state == QueryExecutionState.CANCELLED;
    }

    private static Finished finished(QueryExecution execution)
    {
        QueryExecutionStatistics statistics = execution.statistics();
        long bytes = statistics == null ? 0 : orZero(statistics.dataScannedInBytes());
        long engineMillis = statistics == null ? 0 : orZero(statistics.engineExecutionTimeInMillis());
        long queueMillis = statistics == null ? 0 : orZero(statistics.queryQueueTimeInMillis());
        return new Finished(execution.queryExecutionId(), bytes, engineMillis, queueMillis);
    }

    /**
     * How a CANCELLED query was cancelled: by this runner, by the workgroup's per-query data limit
     * (its StateChangeReason says "Bytes scanned limit was exceeded"), or by someone else.
     */
    private String cancelled(QueryExecution execution)
    {
        String reason = execution.status().stateChangeReason();
        String id = execution.queryExecutionId();
        if (reason != null && BYTES_SCANNED_LIMIT.matcher(reason).find()) {
            long bytes = execution.statistics() == null ? 0 : orZero(execution.statistics().dataScannedInBytes());
            return "Athena query " + id + " was cancelled by the workgroup's per-query data limit (" + reason.strip() + String.format(Locale.ROOT, ", %.1f MB scanned", bytes / 1e6)
                    + "): raise the data usage control of workgroup " + settings.workgroup() + " above what the step scans, or load a smaller partition; it is not retried";
        }
        return "Athena query " + id + " was cancelled" + (isCancelled() ? " (StopQueryExecution on request)" : " outside this run (someone stopped it)")
                + (reason == null ? "" : ": " + reason.strip());
    }

    /**
     * Whether a failed query may run again: it must be a failure Athena calls retryable, and a write
     * must find its staged prefix cleared again (its failed attempt may have left files behind, and
     * Athena writes only into an empty location).
     */
    private boolean clearedForRetry(StatementKind kind, Optional<StagedPrefix> target)
    {
        if (!kind.writes()) {
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

    /**
     * A dead run's queries are found in the workgroup's history by the run id in their text (each
     * statement after the schema step names the run's staged tables) and stopped: Athena runs a
     * query to its end whether or not anyone waits for it, and a CTAS that ended after the dead
     * run's afterRun callbacks would leave its table in Glue and its files under a staging area
     * already removed. ListQueryExecutions documents no order; it lists the newest first, so pages
     * are read until one holds no query submitted since the dead run started, and at most
     * {@value #HISTORY_PAGES} of them (a busy workgroup): a query further back is not found.
     */
    @Override
    public void stopStatementsOf(String deadRunId)
    {
        // (a margin for a clock of this host ahead of Athena's; an id whose time is no date, made by
        // hand, is looked for as far back as the pages go)
        Instant since = since(new RunId(deadRunId));
        List<String> stopped = new ArrayList<>();
        String token = null;
        for (int page = 0; page < HISTORY_PAGES; page++) {
            String from = token;
            ListQueryExecutionsResponse listed = calls.call("ListQueryExecutions",
                    () -> client.listQueryExecutions(request -> request.workGroup(settings.workgroup()).maxResults(HISTORY_PAGE).nextToken(from)));
            if (!listed.hasQueryExecutionIds() || listed.queryExecutionIds().isEmpty()) {
                return;
            }
            BatchGetQueryExecutionResponse described = calls.call("BatchGetQueryExecution",
                    () -> client.batchGetQueryExecution(request -> request.queryExecutionIds(listed.queryExecutionIds())));
            // a query Athena could not describe may be one of the run's: the pages go on past it
            boolean sinceItStarted = described.hasUnprocessedQueryExecutionIds() && !described.unprocessedQueryExecutionIds().isEmpty();
            for (QueryExecution query : described.queryExecutions()) {
                Instant submitted = query.status() == null ? null : query.status().submissionDateTime();
                if (submitted != null && submitted.isBefore(since)) {
                    continue;
                }
                sinceItStarted = true;
                QueryExecutionState state = query.status() == null ? null : query.status().state();
                if ((state == QueryExecutionState.QUEUED || state == QueryExecutionState.RUNNING) && query.query() != null && query.query().contains(deadRunId)) {
                    calls.call("StopQueryExecution", () -> client.stopQueryExecution(request -> request.queryExecutionId(query.queryExecutionId())));
                    stopped.add(query.queryExecutionId());
                }
            }
            if (!sinceItStarted || listed.nextToken() == null) {
                break;
            }
            token = listed.nextToken();
        }
        // StopQueryExecution only asks: the dead run's tables are dropped once its queries have ended
        for (String id : stopped) {
            awaitEnd(id, deadRunId);
        }
    }

    private static Instant since(RunId run)
    {
        try {
            return run.startedAt().minus(Duration.ofMinutes(5));
        }
        catch (DateTimeException e) {
            return Instant.EPOCH;
        }
    }

    /** Waits for a stopped query of a dead run to end; fails when it does not within a few seconds. */
    private void awaitEnd(String id, String deadRunId)
    {
        QueryExecutionState state;
        try {
            state = stateOnceStopped(id);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException("interrupted while Athena query " + id + " of run " + deadRunId + " was stopping", e);
        }
        if (!terminal(state)) {
            throw new StepFailedException("Athena query " + id + ", which run " + deadRunId + " left running, was stopped but has not ended (" + state + ")", null);
        }
    }

    private void stopQuietly(String id)
    {
        try {
            calls.call("StopQueryExecution", () -> client.stopQueryExecution(request -> request.queryExecutionId(id)));
        }
        catch (StepFailedException e) {
            // it ended meanwhile, or Athena is unreachable: the workgroup's own limits still apply
        }
    }

    @Override
    public void close()
    {
        String id = running;
        if (id != null) {
            // closed while a query ran (an error on another path): it must not run on unwatched
            stopQuietly(id);
        }
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

    /** What a finished query reports in GetQueryExecution. */
    private record Finished(String id, long bytesScanned, long engineMillis, long queueMillis)
    {
        Finished
        {
            requireNonNull(id, "id is null");
        }
    }
}
