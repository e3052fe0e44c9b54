package org.eventetl.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.RunStaging;

/**
 * On a local output a publish swaps each dataset's partition folder with the staged one by a rename,
 * which cannot cross file systems: a dataset folder mounted from another disk ({@code <output>/dau}
 * on a bigger one, say) failed every publish at that dataset, after the datasets before it were
 * swapped, and every rerun and repair the same way. Refused before the run takes its lease.
 */
final class SameFileSystem
{
    private SameFileSystem() {}

    static void require(Location output, Partition partition, List<String> datasets)
            throws IOException
    {
        if (output.isS3()) {
            return;
        }
        Path staging = output.toPath().resolve(RunStaging.FOLDER);
        Object stagingDevice = device(staging);
        for (String dataset : datasets) {
            Path published = new PublishedPrefix(output, dataset, partition).location().toPath();
            Path existing = nearestExisting(published);
            if (!device(published).equals(stagingDevice)) {
                throw new UserException(existing + " is on another file system than " + nearestExisting(staging)
                        + " (a disk mounted there?): a publish swaps a dataset's folder with the staged one by a rename, which cannot cross file systems;"
                        + " keep the output's folders on one file system (mount the larger disk at the output itself)");
            }
        }
    }

    /** The device of {@code path}, or of its nearest folder that exists: where a rename to it lands. */
    private static Object device(Path path)
            throws IOException
    {
        return Files.getAttribute(nearestExisting(path), "unix:dev");
    }

    /** The nearest folder of {@code path} that exists, itself included. */
    static Path nearestExisting(Path path)
    {
        Path folder = path.toAbsolutePath();
        while (!Files.exists(folder) && folder.getParent() != null) {
            folder = folder.getParent();
        }
        return folder;
    }
}
