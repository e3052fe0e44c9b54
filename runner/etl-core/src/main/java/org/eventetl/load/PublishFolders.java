package org.eventetl.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.RunStaging;

/**
 * On a local output a run writes in several folders, one after the other: its staging, then in its
 * publish each dataset's day folder (swapped with the staged one by a rename, which rewrites the
 * moved folder's own entry for its parent, so the day folder itself is written too), then the
 * publication pointer and the history record. A folder there that this user may not write (its
 * mode, an immutable flag) failed the publish at that place, after the datasets before it had been
 * swapped: the day mixed two runs until the folder was mended and repair ran. Each is checked before
 * the run takes its lease, as {@link SameFileSystem} checks that the renames stay on one file system.
 * (access(2) answers for the user the runner runs as, root's capabilities and read-only mounts
 * included.)
 */
final class PublishFolders
{
    private PublishFolders() {}

    /**
     * @param pointer the publication pointer's file
     * @param history the folder of the partition's history records
     */
    static void requireWritable(Location output, Partition partition, List<String> datasets, Location pointer, Location history)
    {
        if (output.isS3()) {
            return;
        }
        List<Path> written = new ArrayList<>();
        written.add(output.toPath().resolve(RunStaging.FOLDER));
        for (String dataset : datasets) {
            Path day = new PublishedPrefix(output, dataset, partition).location().toPath();
            if (Files.isDirectory(day)) {
                written.add(day);
            }
            written.add(day.getParent());
        }
        written.add(pointer.toPath().getParent());
        written.add(history.toPath());
        for (Path folder : written) {
            Path existing = SameFileSystem.nearestExisting(folder);
            if (!Files.isWritable(existing)) {
                throw new UserException(existing + " may not be written by this user (its mode, or an immutable flag): a run writes there"
                        + (existing.startsWith(output.toPath().resolve(RunStaging.FOLDER)) ? " as it stages its outputs"
                                : " as it publishes, after it has replaced the datasets before it, so the day would be left mixing two runs")
                        + "; make it writable, then rerun");
            }
        }
    }
}
