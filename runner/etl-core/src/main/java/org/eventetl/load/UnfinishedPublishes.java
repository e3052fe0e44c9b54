package org.eventetl.load;

import java.io.IOException;
import java.util.Collections;
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
 */
public record UnfinishedPublishes(List<String> runs, Map<String, String> unfinishable)
{
    public UnfinishedPublishes
    {
        runs = List.copyOf(runs);
        unfinishable = Collections.unmodifiableMap(new LinkedHashMap<>(unfinishable));
        if (!runs.containsAll(unfinishable.keySet())) {
            throw new IllegalArgumentException("an unfinishable publish must be unfinished: " + unfinishable.keySet() + " not all in " + runs);
        }
    }

    public static UnfinishedPublishes of(Storage storage, Location output, Partition partition)
            throws IOException
    {
        PartitionHistory history = new HistoryStore(storage, output).read(partition);
        StagingJanitor janitor = new StagingJanitor(storage, output, new Publisher(storage, new PublicationStore(storage, output)));
        List<StagingJanitor.DeadRun> deadRuns = janitor.deadRuns(partition, Optional.empty());
        return new UnfinishedPublishes(deadRuns.stream().filter(run -> run.unfinishedPublish(history).isPresent()).map(StagingJanitor.DeadRun::runId).sorted().toList(),
                janitor.unfinishablePublishes(deadRuns, history));
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
     * What a reader that finds a dataset missing is told: the lease would tell a publish under way
     * from one cut short, which is left to {@code etl status}. Empty when no publish is unfinished.
     */
    public Optional<String> forAReader()
    {
        if (none()) {
            return Optional.empty();
        }
        return Optional.of("the publish of run " + runs.get(0) + " began and is not finished (it is publishing now, or was cut short: etl status says which); "
                + whyOnlyALoadFinishes().orElse("etl repair or a rerun of the load finishes a publish cut short"));
    }
}
