package org.eventetl.load;

import java.io.IOException;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eventetl.history.HistoryStore;
import org.eventetl.history.PartitionHistory;
import org.eventetl.history.PublicationStore;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * The publishes of a partition that began (a run's staging area holds their manifest) and that the
 * history does not record as finished, read once from the staging and the history: under way now,
 * or cut short (killed, or failed in them). Until one is finished the published datasets may mix
 * two runs. For those that look from outside a load: a reader that finds a dataset missing, a
 * backfill that finds the day's source gone.
 *
 * @param runs the runs whose publish is unfinished, oldest first
 * @param unfinishable of those, the ones whose publish cannot be finished (a staged file of a
 *         dataset not swapped in yet is gone or changed), each with why
 * @param firstLoad for a day the history records no publish of, the latest run that left its
 *         staging area: loading it now, stopped, or failed (the next run removes it)
 */
public record UnfinishedPublishes(List<String> runs, Map<String, String> unfinishable, Optional<String> firstLoad)
{
    public UnfinishedPublishes
    {
        requireNonNull(firstLoad, "firstLoad is null");
        runs = List.copyOf(runs);
        unfinishable = Collections.unmodifiableMap(new LinkedHashMap<>(unfinishable));
        if (!runs.containsAll(unfinishable.keySet())) {
            throw new IllegalArgumentException("an unfinishable publish must be unfinished: " + unfinishable.keySet() + " not all in " + runs);
        }
    }

    public static UnfinishedPublishes of(Storage storage, Location output, Partition partition)
            throws IOException
    {
        return of(storage, output, partition, new HistoryStore(storage, output).read(partition));
    }

    /** {@link #of(Storage, Location, Partition)}, with the partition's history the caller read already. */
    public static UnfinishedPublishes of(Storage storage, Location output, Partition partition, PartitionHistory history)
            throws IOException
    {
        StagingJanitor janitor = new StagingJanitor(storage, output, new Publisher(storage, new PublicationStore(storage, output)));
        List<StagingJanitor.DeadRun> deadRuns = janitor.deadRuns(partition, Optional.empty());
        Optional<String> firstLoad = history.published().isPresent() ? Optional.empty()
                : deadRuns.stream().map(StagingJanitor.DeadRun::runId).max(Comparator.naturalOrder());
        return new UnfinishedPublishes(deadRuns.stream().filter(run -> run.unfinishedPublish(history).isPresent()).map(StagingJanitor.DeadRun::runId).sorted().toList(),
                janitor.unfinishablePublishes(deadRuns, history), firstLoad);
    }

    public boolean none()
    {
        return runs.isEmpty();
    }

    /**
     * Why a publish cut short is left to a load, naming the first that cannot be finished: repair
     * refuses every one of them while one cannot. Empty when repair can finish them all.
     */
    public Optional<String> whyOnlyALoadFinishes()
    {
        return unfinishable.entrySet().stream().findFirst()
                .map(run -> "the publish of run " + run.getKey() + " " + PartitionInspector.cannotBeFinished(run.getValue()));
    }

    /**
     * What a load or backfill that finds the day's source gone says of a publish cut short: without
     * the source only repair can finish it, unless one of them cannot be finished.
     */
    public String withoutTheSource()
    {
        return "the publish of run " + runs.get(runs.size() - 1) + " was cut short (the published datasets may mix two runs): "
                + whyOnlyALoadFinishes().map(why -> why + " (restore the day's source first)").orElse("etl repair finishes it without the source");
    }

    /**
     * What a reader that finds a dataset missing is told, instead of advice to load the day: a
     * publish began and is not finished, or the day's first load began and has not published.
     * Empty when neither is so.
     *
     * @param liveHolder the run that holds the day's lease now, if a live one does: its publish or
     *         first load is under way, which no repair is needed for (and none may run)
     */
    public Optional<String> forAReader(Optional<String> liveHolder)
    {
        String again = ": ask again once that load has ended";
        if (none()) {
            return firstLoad.map(run -> liveHolder.filter(run::equals).isPresent()
                    ? "run " + run + " is loading the day now, its first load, and has published nothing yet" + again
                    : "run " + run + " began the day's first load and has published nothing (it is loading now, was stopped, or failed: etl status says which)");
        }
        String run = runs.get(0);
        if (liveHolder.filter(run::equals).isPresent()) {
            return Optional.of("run " + run + " is publishing the day now and has not swapped this dataset in yet" + again);
        }
        return Optional.of("the publish of run " + run + " began and is not finished (it is publishing now, or was cut short: etl status says which); "
                + whyOnlyALoadFinishes().orElse("etl repair or a rerun of the load finishes a publish cut short"));
    }
}
