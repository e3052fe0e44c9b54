package org.eventetl.storage;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The few storage operations the runner needs, on local folders or object stores. The only
 * deletions are of prefixes the runner owns ({@link OwnedPrefix}) and of its own small files
 * (leases, markers); a publish replaces a published prefix with a staged one.
 */
public interface Storage
{
    /** Whether {@code folder} exists (for an object store: whether any key is under it). */
    boolean folderExists(Location folder)
            throws IOException;

    /**
     * The files of a source partition folder, sorted by name, without the ones whose names start
     * with {@code _} or {@code .} (writers' markers and temporary files), and without subfolders.
     * An entry it will not read (a symbolic link, a file that is not regular or cannot be read)
     * fails the listing with an exception that names it and why.
     */
    List<SourceFile> listFiles(Location folder)
            throws IOException;

    /** Every file under {@code folder}, at any depth, sorted. */
    List<Location> listRecursively(Location folder)
            throws IOException;

    /** The names of the folders directly under {@code folder}, sorted; none when it does not exist. */
    List<String> listFolders(Location folder)
            throws IOException;

    /** Deletes everything under the prefix and proves it empty afterwards; returns how many files went. */
    int clear(OwnedPrefix prefix)
            throws IOException;

    /**
     * Publishes a staged partition: afterwards its published prefix holds exactly what the staged
     * one held. Local folders swap in one atomic rename where the file system can; object stores
     * delete the published objects, then copy the staged ones in. Returns the files published.
     */
    int publish(StagedPrefix staged)
            throws IOException;

    /** Writes a whole file; a reader sees the old content or the new, never a part. */
    void write(Location file, byte[] content)
            throws IOException;

    /** Writes only if nothing has the name yet; false when something does (of another writer). */
    boolean writeIfAbsent(Location file, byte[] content)
            throws IOException;

    /**
     * Replaces a file of the runner's own (a lease) only if it still holds {@code expected}; false
     * when it holds anything else or is gone, and then nothing is written. On S3 the check and the
     * write are one request (a put conditional on the ETag of what was read), so a lease renewed
     * just as another run takes it over cannot overwrite the new holder's; on a local folder it is
     * a read just before the write.
     */
    boolean replaceIfUnchanged(Location file, byte[] expected, byte[] content)
            throws IOException;

    Optional<byte[]> read(Location file)
            throws IOException;

    /**
     * Copies a file to a local path, which it replaces, streamed: a source file or a published
     * Parquet file can be far larger than the heap, where {@link #read} holds the whole file.
     * Returns false, and writes nothing, when the file is not there. As {@link #read}, it gives the
     * whole file or fails: an object store's body cut short on the way is fetched again.
     */
    boolean download(Location file, Path copy)
            throws IOException;

    /** Writes a local file's content to {@code file}, streamed, as {@link #write} writes bytes: a reader sees the old content or the new. */
    void upload(Path content, Location file)
            throws IOException;

    /** The first bytes of a file, at most {@code length}: fewer when the file is shorter. */
    byte[] readStart(Location file, int length)
            throws IOException;

    /** Deletes one file of the runner's own (a lease, a marker); a file that is not there is fine. */
    void delete(Location file)
            throws IOException;

    /** Deletes files of the runner's own, as {@link #delete(Location)} does one; an object store deletes them a batch per request. */
    default void delete(List<Location> files)
            throws IOException
    {
        for (Location file : files) {
            delete(file);
        }
    }
}
