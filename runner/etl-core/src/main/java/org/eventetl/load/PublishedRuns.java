package org.eventetl.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

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
     * How a published dataset's folder differs from what its run published, as its marker lists the
     * files: other files added (another day's copied in, say: a reader of the folder reads their rows
     * too), some deleted, or rewritten to another size; empty where it holds what was published, or
     * where its marker lists no files (a marker written before markers did). A folder of data files
     * without a marker is said too.
     */
    public static Optional<String> filesChanged(Storage storage, Location output, Partition partition, String dataset)
            throws IOException
    {
        PublishedPrefix prefix = new PublishedPrefix(output, dataset, partition);
        Optional<RunMarker> marker;
        try {
            marker = RunMarker.read(storage, prefix);
        }
        catch (DamagedFileException e) {
            return Optional.of(e.getMessage());
        }
        if (marker.isEmpty()) {
            // data files without a marker: no run's, by what readers can tell. On S3 a publish cut
            // short between its copies and its marker leaves them so (a copy still in flight when the
            // run was killed lands later), and a reader must not take them for the earlier run's
            Map<String, Long> files = RunMarker.filesOf(storage, prefix.location());
            return files.isEmpty() ? Optional.empty()
                    : Optional.of(prefix.location().asPrefix() + " holds " + RunMarker.describe(files) + " of no run: its " + RunMarker.FILE_NAME
                            + " marker is missing (a publish cut short between its copies and its marker, or files copied in by hand)");
        }
        if (marker.get().files() == null) {
            return Optional.empty();
        }
        Map<String, Long> published = marker.get().files();
        Map<String, Long> now = RunMarker.filesOf(storage, prefix.location());
        SortedSet<String> added = RunMarker.added(storage, marker.get(), prefix.location());
        if (published.equals(now) && added.isEmpty()) {
            return Optional.empty();
        }
        List<String> changes = new ArrayList<>();
        TreeSet<String> gone = new TreeSet<>(published.keySet());
        gone.removeAll(now.keySet());
        TreeSet<String> resized = new TreeSet<>(published.keySet());
        resized.retainAll(now.keySet());
        resized.removeIf(name -> published.get(name).equals(now.get(name)));
        if (!added.isEmpty()) {
            changes.add("added since: " + RunMarker.names(added));
        }
        if (!gone.isEmpty()) {
            changes.add("deleted since: " + RunMarker.names(gone));
        }
        if (!resized.isEmpty()) {
            changes.add("rewritten since: " + RunMarker.names(resized));
        }
        return Optional.of(prefix.location().asPrefix() + " holds other files than run " + marker.get().runId() + " published ("
                + String.join("; ", changes) + ")");
    }

}
