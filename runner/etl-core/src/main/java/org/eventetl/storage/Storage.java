package org.eventetl.storage;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The few storage operations the runner needs, on local folders or object stores. Clearing takes
 * a {@link TargetPrefix}, never a free-form path: it is the only delete the runner has.
 */
public interface Storage
{
    /** Whether {@code folder} exists (for an object store: whether any key is under it). */
    boolean folderExists(Location folder)
            throws IOException;

    /**
     * The files of a source partition folder, sorted by name, without the ones whose names start
     * with {@code _} or {@code .} (writers' markers and temporary files), and without subfolders.
     */
    List<SourceFile> listFiles(Location folder)
            throws IOException;

    /** Every file under {@code folder}, at any depth, sorted. */
    List<Location> listRecursively(Location folder)
            throws IOException;

    /** Deletes everything under the prefix and proves it empty afterwards; returns how many objects went. */
    int clear(TargetPrefix target)
            throws IOException;

    void write(Location file, byte[] content)
            throws IOException;

    Optional<byte[]> read(Location file)
            throws IOException;

    /** The first bytes of a file, at most {@code length}: fewer when the file is shorter. */
    byte[] readStart(Location file, int length)
            throws IOException;
}
