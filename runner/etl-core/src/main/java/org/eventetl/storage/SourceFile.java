package org.eventetl.storage;

import static java.util.Objects.requireNonNull;

/** One raw file of a source partition, with its size (the bytes an engine must scan). */
public record SourceFile(Location location, long bytes)
{
    public SourceFile
    {
        requireNonNull(location, "location is null");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes is negative");
        }
    }

    public boolean gzip()
    {
        return location.uri().endsWith(".gz");
    }
}
