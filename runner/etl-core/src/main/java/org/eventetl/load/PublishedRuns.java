package org.eventetl.load;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
}
