package org.eventetl.engine.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.ProfilerPrintFormat;
import org.duckdb.QueryProgress;

import org.eventetl.engine.Engine;
import org.eventetl.engine.ProgressListener;
import org.eventetl.engine.QueryRows;
import org.eventetl.engine.StepStatistics;
import org.eventetl.engine.StatisticsTally;
import org.eventetl.model.EngineKind;
import org.eventetl.model.Json;
import org.eventetl.model.PausePoints;
import org.eventetl.model.StepFailedException;
import org.eventetl.render.RenderedScript;
import org.eventetl.render.RenderedStep;

import static java.util.Objects.requireNonNull;

/**
 * The embedded engine: one in-memory DuckDB database per run. DuckDB's profiler supplies what
 * Athena's statistics supply elsewhere: the bytes read from files and the rows each scan produced.
 */
public final class DuckDbEngine
        implements Engine
{
    private static final Set<String> NO_DATA_ROWS = Set.of("READ_BLOB", "READ_TEXT", "GLOB");

    private final DuckDBConnection connection;
    private final ScheduledExecutorService progressPoller;
    private volatile Statement running;
    /**
     * Set by {@link #cancel}: the run is stopping, so no statement of a step or an audit starts after
     * it (a callback still runs: callbacks tidy up). A cancel that came between two statements of a
     * step, or just before DuckDB began the statement (which clears an interrupt when a query
     * begins), was lost, and the step ran on to its end: a SIGTERM's shutdown hook waited its 30 s
     * for the run to end, gave up, and the run was left without a record (found by a probe).
     */
    private volatile boolean cancelled;
    private final Path spillFolder;

    public DuckDbEngine(DuckDbSettings settings)
    {
        this(settings, Optional.empty());
    }

    /** @param opening the database opened ahead for this engine (DuckDbOpening), or empty to open one now */
    public DuckDbEngine(DuckDbSettings settings, Optional<DuckDbOpening> opening)
    {
        requireNonNull(settings, "settings is null");
        requireNonNull(opening, "opening is null");
        this.spillFolder = settings.spillFolder();
        try {
            this.connection = opening.isPresent() ? opening.get().take() : DuckDbDatabases.openInMemory();
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET threads = " + settings.threads());
                statement.execute("SET memory_limit = '" + settings.memoryLimitMegabytes() + "MB'");
                statement.execute("SET temp_directory = '" + settings.spillFolder().toString().replace("'", "''") + "'");
                statement.execute("SET enable_progress_bar = true");
                statement.execute("SET enable_progress_bar_print = false");
                statement.execute("PRAGMA enable_profiling = 'no_output'");
                statement.execute("SET profiling_coverage = 'ALL'");
            }
        }
        catch (SQLException e) {
            throw new StepFailedException("cannot start DuckDB: " + e.getMessage(), e);
        }
        this.progressPoller = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "duckdb-progress");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public EngineKind kind()
    {
        return EngineKind.DUCKDB;
    }

    @Override
    public Optional<String> persistentDatabase()
    {
        // an in-memory database: its macros are gone when the run ends, so V1 runs every time
        return Optional.empty();
    }

    @Override
    public StepStatistics execute(RenderedStep step, ProgressListener progress)
    {
        StatisticsTally tally = new StatisticsTally();
        createLocalTarget(step);
        ScheduledFuture<?> poll = progressPoller.scheduleAtFixedRate(
                () -> report(step, progress, tally), 500, 500, TimeUnit.MILLISECONDS);
        try {
            for (int index = 0; index < step.statements().size(); index++) {
                String sql = step.statements().get(index);
                long rows;
                try (Statement statement = connection.createStatement()) {
                    running = statement;
                    // after `running` is set: a cancel before this line is seen here, one after it cancels the statement
                    refuseOnceCancelled();
                    boolean hasResult = statement.execute(sql);
                    rows = hasResult ? 0 : Math.max(0, statement.getUpdateCount());
                    refuseOnceCancelled();
                }
                catch (SQLException e) {
                    throw new StepFailedException(cause(e.getMessage(), spillFolder), e);
                }
                finally {
                    running = null;
                }
                Profile profile = profile();
                tally.scanned(profile.rowsScanned(), profile.bytesRead());
                tally.wrote(StatisticsTally.destination(step, sql), rows);
                PausePoints.reach("statement " + step.step().id() + " " + (index + 1));
            }
        }
        finally {
            poll.cancel(false);
        }
        return tally.stats();
    }

    @Override
    public QueryRows query(RenderedScript audit, int maxRows)
    {
        List<String> statements = audit.statements();
        for (int i = 0; i < statements.size(); i++) {
            try (Statement statement = connection.createStatement()) {
                running = statement;
                refuseOnceCancelled();
                if (i < statements.size() - 1) {
                    statement.execute(statements.get(i));
                    continue;
                }
                try (ResultSet result = statement.executeQuery(statements.get(i))) {
                    return QueryRows.of(result, maxRows);
                }
            }
            catch (SQLException e) {
                throw new StepFailedException(cause(e.getMessage(), spillFolder), e);
            }
            finally {
                running = null;
            }
        }
        throw new IllegalArgumentException(audit.file() + " has no statement");
    }

    @Override
    public void run(RenderedScript callback)
    {
        for (String sql : callback.statements()) {
            try (Statement statement = connection.createStatement()) {
                running = statement;
                statement.execute(sql);
            }
            catch (SQLException e) {
                throw new StepFailedException(callback.file() + ": " + cause(e.getMessage(), spillFolder), e);
            }
            finally {
                running = null;
            }
        }
    }

    /**
     * The line of DuckDB's message that names the cause. Most messages start with it; a CSV
     * reader's error starts with a header ("CSV Error on Line: 1") and the original line, and names
     * the cause further down, which one line must then carry: the header alone once stood for invalid
     * UTF-8, for a line too long and for a file that could not be read alike.
     */
    static String cause(String message, Path spillFolder)
    {
        String first = withoutErrorDocument(StepFailedException.firstLine(message, "DuckDB failed without a message"));
        if (first.contains("failed to offload data block")) {
            // said as "Out of Memory", but it is the spill folder that is full: more memory is not the fix
            return first + " (DuckDB spills what does not fit in memory to " + spillFolder + ", and could not write there: a full disk, say;"
                    + " free space there, or move it with ETL_JAVA_OPTS=-Djava.io.tmpdir=<a folder on a larger disk>)";
        }
        if (!first.contains("CSV Error on Line")) {
            return first;
        }
        return message.strip().lines()
                .skip(1)
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("Original Line") && !line.startsWith("Possible") && !line.startsWith("*")
                        && !line.startsWith("file =") && !line.startsWith("delimiter") && !line.startsWith("quote") && !line.startsWith("escape"))
                .findFirst()
                .map(line -> first + ": " + line)
                .orElse(first);
    }

    /**
     * Some of DuckDB's messages end in a JSON document of the error they wrap ("IO Error: Async write
     * failed for range …: {"exception_type":"IO","exception_message":"Could not write file …: No space
     * left on device","errno":"28"}"): said as that error's own message, after the kind.
     */
    private static String withoutErrorDocument(String line)
    {
        int document = line.indexOf("{\"exception_type\"");
        int kind = line.indexOf(": ");
        if (document < 0 || kind < 0 || kind > document) {
            return line;
        }
        try {
            String wrapped = Json.MAPPER.readTree(line.substring(document)).path("exception_message").asText("");
            return wrapped.isEmpty() ? line : line.substring(0, kind + 2) + wrapped;
        }
        catch (IOException e) {
            return line;
        }
    }

    /** DuckDB writes a file into a folder but does not make the folder. */
    private static void createLocalTarget(RenderedStep step)
    {
        step.target().map(target -> target.location()).filter(location -> !location.isS3()).ifPresent(location -> {
            try {
                Files.createDirectories(location.toPath());
            }
            catch (IOException e) {
                throw new StepFailedException("cannot create " + location + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void cancel()
    {
        cancelled = true;
        cancelRunning();
    }

    /** A statement cancelled in its first instants may run on ({@link #cancelled}): a step's progress poll cancels it again. */
    private void cancelRunning()
    {
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            }
            catch (SQLException ignored) {
                // the statement finished meanwhile: nothing left to stop
            }
        }
    }

    @Override
    public void close()
    {
        progressPoller.shutdownNow();
        try {
            connection.close();
        }
        catch (SQLException ignored) {
            // closing an in-memory database loses nothing
        }
    }

    private void refuseOnceCancelled()
    {
        if (cancelled) {
            throw new StepFailedException("interrupted: the run was asked to stop", null);
        }
    }

    private void report(RenderedStep step, ProgressListener progress, StatisticsTally tally)
    {
        if (cancelled) {
            cancelRunning();
        }
        double percent = -1;
        try {
            Statement statement = running;
            if (statement != null) {
                QueryProgress queryProgress = statement.unwrap(DuckDBPreparedStatement.class).getQueryProgress();
                percent = queryProgress.getPercentage();
            }
        }
        catch (SQLException | RuntimeException ignored) {
            // progress is best effort: elapsed time is still shown
        }
        progress.progress(step.step().id(), percent, tally.elapsedSeconds());
    }

    /** Reads the last statement's profile: bytes read from files and rows out of every table scan. */
    private Profile profile()
    {
        try {
            String text = connection.getProfilingInformation(ProfilerPrintFormat.JSON);
            if (text == null || text.isBlank()) {
                return new Profile(0, 0);
            }
            JsonNode root = Json.MAPPER.readTree(text);
            long bytes = root.path("io").path("total_bytes_read").asLong(0);
            List<JsonNode> scans = new ArrayList<>();
            collectScans(root.path("operator"), scans);
            long rows = 0;
            for (JsonNode scan : scans) {
                rows += scan.path("intermediate_rows").asLong(0);
            }
            return new Profile(rows, bytes);
        }
        catch (Exception e) {
            // statistics must never fail a load that succeeded
            return new Profile(0, 0);
        }
    }

    private static void collectScans(JsonNode node, List<JsonNode> scans)
    {
        if (node.isMissingNode() || node.isNull()) {
            return;
        }
        if (node.isArray()) {
            node.forEach(child -> collectScans(child, scans));
            return;
        }
        // a whole-file read (read_blob, read_text) and a listing (glob) yield one row per file, not rows
        // of data: V2 reads small files whole and counts their lines where it scans them, as rows of a
        // table, and counts the files it read only to compare them with the listing
        if ("TABLE_SCAN".equals(node.path("type").asText()) && !NO_DATA_ROWS.contains(node.path("extra_info").path("Function").asText())) {
            scans.add(node);
        }
        collectScans(node.path("children"), scans);
    }

    private record Profile(long rowsScanned, long bytesRead) {}
}
