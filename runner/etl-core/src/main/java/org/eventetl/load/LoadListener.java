package org.eventetl.load;

import org.eventetl.engine.ProgressListener;
import org.eventetl.engine.StepStatistics;

/** What a load tells its user while it runs (progress goes to stderr; the summary is printed after). */
public interface LoadListener
        extends ProgressListener
{
    /** Tells nobody anything; a listener that wants one kind of news overrides that method alone. */
    LoadListener SILENT = new LoadListener() {};

    /** Step {@code number} (from 1) of the {@code steps} that the load runs starts: progress says "step 2 of 7". */
    default void stepStarted(String step, String target, int number, int steps) {}

    default void stepFinished(String step, StepStatistics statistics, boolean skipped) {}

    @Override
    default void progress(String step, double percent, double elapsedSeconds) {}

    /** A phase of the run after the steps (audits, publish) begins: one line for a person watching. */
    default void phase(String description) {}

    /**
     * Something went wrong that fails nothing (a callback that tidies the engine): said apart from
     * the progress, so that it is not lost among the phases.
     */
    default void warning(String message)
    {
        phase(message);
    }
}
