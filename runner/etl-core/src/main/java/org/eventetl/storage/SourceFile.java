package org.eventetl.storage;

import static java.util.Objects.requireNonNull;

/**
 * One raw file of a source partition, with its size (the bytes an engine must scan) and, where its
 * storage gives one, its version: S3's ETag, which changes when the object is written again with
 * other bytes, however many. Empty on a local disk, whose files are told apart by size alone (a
 * modification time changes when a file is only touched).
 */
public record SourceFile(Location location, long bytes, String version)
{
    public SourceFile
    {
        requireNonNull(location, "location is null");
        requireNonNull(version, "version is null");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes is negative");
        }
    }

    /** A file whose storage keeps no version of it (a local disk). */
    public SourceFile(Location location, long bytes)
    {
        this(location, bytes, "");
    }

    public boolean gzip()
    {
        return location.uri().endsWith(".gz");
    }
}
