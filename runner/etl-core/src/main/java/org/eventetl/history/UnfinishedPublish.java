package org.eventetl.history;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A publish that began and is not recorded as finished, as status tells it to a scheduler: the
 * datasets its run publishes, those whose folder holds its files already, whether the run is
 * publishing now, and why the publish cannot be finished, if it cannot (then only a load of the
 * day replaces every dataset).
 *
 * @param publishedBefore whether an earlier run published the day (the datasets not replaced yet are that run's)
 */
public record UnfinishedPublish(String runId, List<String> datasets, List<String> replaced, boolean underWay, boolean publishedBefore,
        Optional<String> cannotBeFinished)
{
    public UnfinishedPublish
    {
        requireNonNull(runId, "runId is null");
        datasets = List.copyOf(datasets);
        replaced = List.copyOf(replaced);
        requireNonNull(cannotBeFinished, "cannotBeFinished is null");
        if (!datasets.containsAll(replaced)) {
            throw new IllegalArgumentException("replaced datasets " + replaced + " not all among the publish's " + datasets);
        }
    }

    /** Whether a reader of the day sees datasets of two runs now: some replaced, not all, over an earlier run's. */
    public boolean mixesRuns()
    {
        return publishedBefore && !replaced.isEmpty() && replaced.size() < datasets.size();
    }
}
