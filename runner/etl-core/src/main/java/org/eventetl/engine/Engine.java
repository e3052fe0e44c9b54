package org.eventetl.engine;

import org.eventetl.model.EngineKind;
import org.eventetl.model.StepFailedException;
import java.util.Optional;

import org.eventetl.render.RenderedStep;

/**
 * Executes rendered steps. One class per engine; nothing engine-specific leaks into the planner,
 * which only hands over SQL that was rendered with the engine's section.
 */
public interface Engine
        extends AutoCloseable
{
    EngineKind kind();

    /** Runs every statement of the step in order; throws {@link StepFailedException} with the engine's message. */
    StepStats execute(RenderedStep step, ProgressListener progress);

    /**
     * Whether the rows its JSON scan reports are exactly the non-blank lines (then lines that no
     * step could keep are counted as rejects too), or include blank lines.
     */
    boolean scansCountNonBlankLines();

    /**
     * The database whose tables outlive the run (Athena's Glue database), or empty for an engine
     * whose catalog is new every run (embedded DuckDB) or that keeps its own (Trino). Steps with
     * {@code -- scope: database} run once per such database; elsewhere they run every time.
     */
    Optional<String> persistentDatabase();

    /** Stops the running statement, from another thread (Ctrl-C). */
    void cancel();

    @Override
    void close();
}
