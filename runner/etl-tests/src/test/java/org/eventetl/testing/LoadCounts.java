package org.eventetl.testing;

import org.eventetl.load.LoadResult;
import org.eventetl.load.StepRun;

/**
 * This pipeline's accounting read off a load's step statistics: events are the rows written into
 * event_details (by V2, and by V3 for what V2 could not read), rejects the rows of the rejects
 * dataset, and every non-blank line is one or the other.
 */
public record LoadCounts(long events, long rejects)
{
    public static LoadCounts of(LoadResult result)
    {
        long events = 0;
        long rejects = 0;
        for (StepRun step : result.steps()) {
            if (step.skipped() || step.target().isEmpty()) {
                continue;
            }
            switch (step.target().get().dataset()) {
                case "event_details" -> events += step.statistics().rowsWritten();
                case "rejects" -> {
                    rejects += step.statistics().rowsWritten();
                    events += step.statistics().rowsWrittenElsewhere();
                }
                default -> {
                    // the other datasets are derived from events
                }
            }
        }
        return new LoadCounts(events, rejects);
    }

    public long lines()
    {
        return events + rejects;
    }
}
