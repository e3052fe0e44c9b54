package org.eventetl.load;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eventetl.history.HistoryStore;
import org.eventetl.history.PartitionHistory;
import org.eventetl.history.PublicationStore;

import org.eventetl.partition.Partition;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.Storage;

/**
 * Which run's files each published dataset of a partition holds, as its {@link RunMarker} says: for
 * a reader of several datasets (the report page) that must know whether they come from one run.
 * Between a publish's first swap and its last they do not, until the publish is finished.
 */
public final class PublishedRuns
{
    private PublishedRuns() {}

    /** Dataset → run id, for each of {@code datasets} that is published (has a marker). */
    public static Map<String, String> of(Storage storage, Location output, Partition partition, List<String> datasets)
            throws IOException
    {
        Map<String, String> runs = new LinkedHashMap<>();
        for (String dataset : datasets) {
            try {
                RunMarker.runOf(storage, new PublishedPrefix(output, dataset, partition)).ifPresent(run -> runs.put(dataset, run));
            }
            catch (DamagedFileException e) {
                // whose files these are cannot be told; status names the damaged marker
            }
        }
        return runs;
    }

    /**
     * What a reader that finds a dataset missing says when a publish of the partition began (its
     * manifest is written) and is not recorded as finished: publishing now, or cut short (killed, or
     * failed in it); until it is finished, a dataset it has not swapped in yet is missing or the
     * previous run's. The lease tells which of the two; the advice leaves that to {@code etl status},
     * and says who can finish a publish cut short. Empty when no publish is unfinished.
     */
    public static Optional<String> unfinishedPublish(Storage storage, Location output, Partition partition)
            throws IOException
    {
        PartitionHistory history = new HistoryStore(storage, output).read(partition);
        StagingJanitor janitor = new StagingJanitor(storage, output, new Publisher(storage, new PublicationStore(storage, output)));
        List<StagingJanitor.DeadRun> deadRuns = janitor.deadRuns(partition, Optional.empty());
        Optional<String> unfinished = deadRuns.stream().filter(run -> run.unfinishedPublish(history).isPresent()).map(StagingJanitor.DeadRun::runId).findFirst();
        if (unfinished.isEmpty()) {
            return Optional.empty();
        }
        // repair refuses every cut publish while one of them cannot be finished
        Optional<Map.Entry<String, String>> unfinishable = janitor.unfinishablePublishes(deadRuns, history).entrySet().stream().findFirst();
        return Optional.of("the publish of run " + unfinished.get() + " began and is not finished (it is publishing now, or was cut short: etl status says which); "
                + unfinishable.map(run -> "the publish of run " + run.getKey() + " " + PartitionInspector.cannotBeFinished(run.getValue()))
                        .orElse("etl repair or a rerun of the load finishes a publish cut short"));
    }
}
