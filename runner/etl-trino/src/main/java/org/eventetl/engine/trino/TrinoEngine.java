package org.eventetl.engine.trino;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.trino.jdbc.QueryStats;
import io.trino.jdbc.TrinoStatement;

import org.eventetl.engine.Engine;
import org.eventetl.engine.ProgressListener;
import org.eventetl.engine.QueryRows;
import org.eventetl.engine.StepStatistics;
import org.eventetl.engine.StatisticsTally;
import org.eventetl.model.EngineKind;
import org.eventetl.model.RunId;
import org.eventetl.model.StepFailedException;
import org.eventetl.partition.Partition;
import org.eventetl.render.RenderedScript;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.StagedPrefix;

import static java.util.Objects.requireNonNull;

/**
 * A Trino cluster over JDBC. Trino reports each query's statistics while it runs (splits done,
 * rows and bytes read), which feed both the progress line and the step's summary.
 */
public final class TrinoEngine
        implements Engine
{
    private static final int ALREADY_EXISTS = 12;
    /** A query in Trino's list that has not ended yet (queued, planning, running or finishing). */
    private static final String NOT_ENDED = "state NOT IN ('FINISHED', 'FAILED')";
    /** How long a killed query of a dead run may take to end. */
    private static final Duration KILL_CONFIRMATION = Duration.ofSeconds(10);
    /** Trino's StandardErrorCode SCHEMA_NOT_FOUND and TABLE_NOT_FOUND. */
    private static final Set<Integer> NOT_FOUND = Set.of(45, 46);
    /** Trino's StandardErrorCode ALREADY_EXISTS (what its metastores throw), SCHEMA_ALREADY_EXISTS and TABLE_ALREADY_EXISTS. */
    private static final Set<Integer> EXISTS_ALREADY = Set.of(ALREADY_EXISTS, 49, 50);
    /** A statement that makes a schema or table only where none is: Trino checks, then creates, and a concurrent creator can come between. */
    private static final Pattern CREATE_IF_NOT_EXISTS = Pattern.compile("\\bCREATE\\s+(SCHEMA|TABLE)\\s+IF\\s+NOT\\s+EXISTS\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern EXTERNAL_LOCATION = Pattern.compile("external_location = '([^']*)'");

    private final Connection connection;
    private final TrinoSettings settings;
    private final Set<String> verifiedTables = new HashSet<>();
    private volatile Statement running;

    public TrinoEngine(TrinoSettings settings)
    {
        this.settings = requireNonNull(settings, "settings is null");
        Properties properties = new Properties();
        properties.setProperty("user", settings.user());
        // times without an offset are read as UTC, as on the embedded engine
        properties.setProperty("timezone", "UTC");
        properties.setProperty("source", "etl");
        try {
            this.connection = DriverManager.getConnection(settings.url(), properties);
            connection.setCatalog(settings.catalog());
            connection.setSchema(settings.schema());
        }
        catch (SQLException e) {
            throw new StepFailedException("cannot reach Trino at " + settings.url() + ": " + message(e), e);
        }
        // the driver connects on the first statement: a wrong trino.url (or a cluster that is down)
        // is found here, before a load takes the day's lease or writes a line of history
        try {
            firstValue("SELECT 1");
        }
        catch (SQLException e) {
            close();
            throw new StepFailedException("cannot reach Trino at " + settings.url() + ": " + message(e) + "; check trino.url and that the cluster is up", e);
        }
    }

    @Override
    public EngineKind kind()
    {
        return EngineKind.TRINO;
    }

    @Override
    public Optional<String> persistentDatabase()
    {
        // V1's statements are all IF NOT EXISTS and cost a metastore call each: they run every time
        return Optional.empty();
    }

    @Override
    public StepStatistics execute(RenderedStep step, ProgressListener progress)
    {
        StatisticsTally tally = new StatisticsTally();
        step.target().map(StagedPrefix::published).ifPresent(this::verifyTableLocation);
        for (String sql : step.statements()) {
            AtomicReference<QueryStats> last = new AtomicReference<>();
            long rows;
            try (Statement statement = connection.createStatement()) {
                running = statement;
                statement.unwrap(TrinoStatement.class).setProgressMonitor(stats -> {
                    last.set(stats);
                    double percent = stats.getTotalSplits() == 0 ? -1 : 100.0 * stats.getCompletedSplits() / stats.getTotalSplits();
                    progress.progress(step.step().id(), percent, tally.elapsedSeconds());
                });
                boolean hasResult = statement.execute(sql);
                // a CALL or a query is drained, so that it finishes and its final statistics arrive
                drain(statement, hasResult);
                rows = hasResult ? 0 : Math.max(0, statement.getLargeUpdateCount());
            }
            catch (SQLException e) {
                if (EXISTS_ALREADY.contains(e.getErrorCode()) && CREATE_IF_NOT_EXISTS.matcher(sql).find()) {
                    // another load made it between Trino's check and its create (the days of a
                    // parallel backfill on a new schema, say): what the statement asks for is there
                    continue;
                }
                throw new StepFailedException(message(e), e);
            }
            finally {
                running = null;
            }
            QueryStats stats = last.get();
            if (stats != null) {
                tally.scanned(stats.getProcessedRows(), stats.getPhysicalInputBytes());
            }
            tally.wrote(StatisticsTally.destination(step, sql), rows);
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
                boolean hasResult = statement.execute(statements.get(i));
                if (i == statements.size() - 1) {
                    if (!hasResult) {
                        throw new StepFailedException(audit.file() + ": its last statement returns no rows; an audit ends with a SELECT", null);
                    }
                    try (ResultSet result = statement.getResultSet()) {
                        return QueryRows.of(result, maxRows);
                    }
                }
                drain(statement, hasResult);
            }
            catch (SQLException e) {
                throw new StepFailedException(message(e), e);
            }
            finally {
                running = null;
            }
        }
        throw new IllegalArgumentException(audit.file() + " has no statement");
    }

    /**
     * A callback's statement that fails with Trino's ALREADY_EXISTS (error code 12 in Trino's
     * StandardErrorCode), such as registering a partition that a publish cut short had already
     * registered, has nothing left to do.
     */
    @Override
    public void run(RenderedScript callback)
    {
        for (String sql : callback.statements()) {
            try (Statement statement = connection.createStatement()) {
                running = statement;
                drain(statement, statement.execute(sql));
            }
            catch (SQLException e) {
                if (e.getErrorCode() != ALREADY_EXISTS) {
                    throw new StepFailedException(callback.file() + ": " + message(e), e);
                }
            }
            finally {
                running = null;
            }
        }
    }

    private static void drain(Statement statement, boolean hasResult)
            throws SQLException
    {
        if (hasResult) {
            try (ResultSet result = statement.getResultSet()) {
                while (result.next()) {
                    // a CALL or a query: drain it so that it finishes
                }
            }
        }
    }

    /**
     * The runner clears {@code <output>/<dataset>/<partition>/} and Trino writes into the partition
     * of the dataset's table: both must be the same place. A table made earlier for another output
     * root (the schema is shared) would take the rows elsewhere, next to that root's old ones, and
     * duplicate them. Checked once per table, before the first write to it.
     */
    private void verifyTableLocation(PublishedPrefix target)
    {
        String table = target.dataset();
        if (!verifiedTables.add(table)) {
            return;
        }
        String expected = target.output().resolve(target.dataset()).uri();
        String definition;
        try {
            definition = firstValue("SHOW CREATE TABLE \"" + settings.catalog() + "\".\"" + settings.schema() + "\".\"" + table + "\"").orElse("");
        }
        catch (SQLException e) {
            // the table does not exist (yet): the step's own statements will say so
            verifiedTables.remove(table);
            return;
        }
        Matcher location = EXTERNAL_LOCATION.matcher(definition);
        if (location.find() && !stripSlash(location.group(1)).equals(stripSlash(expected))) {
            throw new StepFailedException("table " + settings.catalog() + "." + settings.schema() + "." + table + " lives at " + location.group(1)
                    + ", not at " + expected + "/: it was made for another output; give each output root a schema of its own (trino.schema)", null);
        }
    }

    /**
     * The first column of a query's first row. The rows are read to their end: a result closed
     * before that cancels the query, which Trino's query list then shows as failed (USER_CANCELED),
     * noise for whoever watches it for failures.
     */
    private Optional<String> firstValue(String sql)
            throws SQLException
    {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            Optional<String> first = result.next() ? Optional.ofNullable(result.getString(1)) : Optional.empty();
            while (result.next()) {
                // read to the end, so that the query finishes
            }
            return first;
        }
    }

    private static String stripSlash(String location)
    {
        return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }

    @Override
    public void cancel()
    {
        Statement statement = running;
        if (statement != null) {
            try {
                statement.cancel();
            }
            catch (SQLException ignored) {
                // finished meanwhile
            }
        }
    }

    /**
     * A dead run's queries are found by its id in their text (each statement after V1 names the
     * run's staged tables) and killed: Trino gives up on a query whose client went away only after
     * {@code query.client.timeout} (5 minutes by default), holding the cluster meanwhile, and a
     * CTAS that finished after the run's afterRun callbacks would leave its staged table behind.
     */
    @Override
    public void stopStatementsOf(String deadRunId)
    {
        // (checked to be a run id, and so nothing but digits, letters and underscores, before it goes into a query's text)
        new RunId(deadRunId);
        List<String> running = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT query_id FROM system.runtime.queries WHERE " + NOT_ENDED
                        + " AND strpos(query, '" + deadRunId + "') > 0 AND strpos(query, 'system.runtime.queries') = 0")) {
            while (result.next()) {
                running.add(result.getString(1));
            }
        }
        catch (SQLException e) {
            throw new StepFailedException("cannot list the queries that run " + deadRunId + " left running on Trino: " + message(e), e);
        }
        for (String query : running) {
            try (Statement statement = connection.createStatement()) {
                drain(statement, statement.execute("CALL system.runtime.kill_query(query_id => '" + query + "', message => 'etl run " + deadRunId
                        + " is dead; a later run of its partition stopped its query')"));
            }
            catch (SQLException e) {
                // (a query that ended meanwhile cannot be killed, and needs not be)
                if (stillRunning(query)) {
                    throw new StepFailedException("cannot stop query " + query + ", which run " + deadRunId + " left running on Trino: " + message(e), e);
                }
            }
        }
        // a killed query that was committing may still commit: the dead run's tables are dropped once it has ended
        long deadline = System.nanoTime() + KILL_CONFIRMATION.toNanos();
        for (String query : running) {
            while (stillRunning(query)) {
                if (System.nanoTime() > deadline) {
                    throw new StepFailedException("query " + query + ", which run " + deadRunId + " left running on Trino, was killed but has not ended", null);
                }
                try {
                    Thread.sleep(100);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StepFailedException("interrupted while Trino query " + query + " of run " + deadRunId + " was ending", e);
                }
            }
        }
    }

    /**
     * Each table's {@code $partitions} table (the Hive connector's) for the channel's days, one
     * query per dataset. A table that is not there lists none.
     */
    @Override
    public Optional<Map<String, Set<Partition>>> listedPartitions(Partition channel, List<String> datasets)
    {
        Map<String, Set<Partition>> listed = new LinkedHashMap<>();
        for (String dataset : datasets) {
            Set<Partition> days = new HashSet<>();
            String sql = "SELECT " + String.join(", ", Partition.KEYS.stream().map(key -> "\"" + key + "\"").toList())
                    + " FROM \"" + settings.catalog() + "\".\"" + settings.schema() + "\".\"" + dataset + "$partitions\""
                    + " WHERE brand = " + literal(channel.brand()) + " AND tracker = " + literal(channel.tracker()) + " AND channel = " + literal(channel.channel());
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
                while (result.next()) {
                    List<String> path = new ArrayList<>();
                    for (int column = 1; column <= Partition.KEYS.size(); column++) {
                        path.add(Partition.KEYS.get(column - 1) + "=" + result.getString(column));
                    }
                    try {
                        days.add(Partition.parse(String.join("/", path)));
                    }
                    catch (RuntimeException e) {
                        // a partition that no load registers (made by hand): none of the days asked about
                    }
                }
            }
            catch (SQLException e) {
                if (!NOT_FOUND.contains(e.getErrorCode())) {
                    throw new StepFailedException("cannot read the partitions Trino's table " + settings.catalog() + "." + settings.schema() + "." + dataset
                            + " lists: " + message(e), e);
                }
            }
            listed.put(dataset, Set.copyOf(days));
        }
        return Optional.of(listed);
    }

    private static String literal(String value)
    {
        return "'" + value.replace("'", "''") + "'";
    }

    private boolean stillRunning(String queryId)
    {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT count(*) FROM system.runtime.queries WHERE query_id = '" + queryId
                        + "' AND " + NOT_ENDED)) {
            result.next();
            return result.getLong(1) > 0;
        }
        catch (SQLException e) {
            return true;
        }
    }

    @Override
    public void close()
    {
        try {
            connection.close();
        }
        catch (SQLException ignored) {
            // the server forgets a closed session on its own
        }
    }

    /**
     * Trino's message, and where the driver itself failed (the coordinator went away: "Error
     * fetching results") the network's reason under it, which says what happened.
     */
    static String message(SQLException e)
    {
        String message = StepFailedException.firstLine(e.getMessage(), "Trino failed without a message");
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof IOException && root.getMessage() != null && !message.contains(root.getMessage())) {
            message += " (" + StepFailedException.firstLine(root.getMessage(), "") + ")";
        }
        return message;
    }
}
