package org.eventetl.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eventetl.model.EngineKind;
import org.eventetl.partition.Partition;
import org.eventetl.render.RenderedScript;
import org.eventetl.render.RenderedStep;

/**
 * Executes rendered SQL. One class per engine, each in its own module; nothing engine-specific
 * leaks into the planner, which only hands over SQL rendered from the engine's section.
 */
public interface Engine
        extends AutoCloseable
{
    EngineKind kind();

    /** Runs every statement of the step in order; throws {@code StepFailedException} with the engine's message. */
    StepStatistics execute(RenderedStep step, ProgressListener progress);

    /**
     * Runs an audit's statements in order and returns the first {@code maxRows} rows of the last
     * one, a query; throws {@code StepFailedException} when a statement fails.
     */
    QueryRows query(RenderedScript audit, int maxRows);

    /**
     * Runs a callback's statements in order. Callbacks are written to be repeatable: a statement that
     * fails because what it creates is already there (the engine knows its own error for that) has
     * nothing left to do and does not fail the callback.
     */
    void run(RenderedScript callback);

    /**
     * The database whose tables outlive the run (Athena's Glue database), or empty for an engine
     * whose catalog is new every run (embedded DuckDB) or that keeps its own (Trino). Steps with
     * {@code -- scope: database} run once per such database; elsewhere they run every time.
     */
    Optional<String> persistentDatabase();

    /** Stops the running statement, from another thread (Ctrl-C, a lost lease). */
    void cancel();

    /**
     * Stops the statements that a dead run (killed with kill -9, its machine lost) left running on
     * the engine: nobody cancelled them, and a server runs them on until it notices that no client
     * reads their results. Run before its afterRun callbacks drop its staged tables, which a
     * statement that finished later would make again. Nothing to do for an engine whose statements
     * die with the process (embedded DuckDB); throws {@code StepFailedException} when it cannot.
     */
    default void stopStatementsOf(String deadRunId)
    {
    }

    /**
     * The days of one channel that each dataset's table in the engine's own catalog lists: its
     * readers see only those, whatever the published files say (a partition unregistered by hand,
     * a table dropped and made again). Empty for an engine without such a catalog: embedded DuckDB
     * has none, and Athena's tables find a partition by projection. Throws {@code StepFailedException}
     * when it cannot ask.
     *
     * @param channel any partition of the channel
     */
    default Optional<Map<String, Set<Partition>>> listedPartitions(Partition channel, List<String> datasets)
    {
        return Optional.empty();
    }

    @Override
    void close();
}
