package org.eventetl.load;

import org.eventetl.engine.ProgressListener;
import org.eventetl.engine.StepStatistics;

/** What a load tells its user while it runs (progress goes to stderr; the summary is printed after). */
public interface LoadListener
        extends ProgressListener
{
    LoadListener SILENT = new LoadListener()
    {
        @Override
        public void stepStarted(String step, String target) {}

        @Override
        public void stepFinished(String step, StepStatistics statistics, boolean skipped) {}

        @Override
        public void progress(String step, double percent, double elapsedSeconds) {}
    };

    void stepStarted(String step, String target);

    void stepFinished(String step, StepStatistics statistics, boolean skipped);

    /** A phase of the run after the steps (audits, publish) begins: one line for a person watching. */
    default void phase(String description) {}
}
