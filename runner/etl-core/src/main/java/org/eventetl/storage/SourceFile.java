package org.eventetl.storage;

import static java.util.Objects.requireNonNull;

/**
 * One raw file of a source partition, with its size (the bytes an engine must scan), and whether
 * its text starts with a UTF-8 byte-order mark (known only where an engine needs it: see
 * {@link ByteOrderMark}).
 */
public record SourceFile(Location location, long bytes, boolean byteOrderMark)
{
    public SourceFile
    {
        requireNonNull(location, "location is null");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes is negative");
        }
    }

    public SourceFile(Location location, long bytes)
    {
        this(location, bytes, false);
    }

    public SourceFile withByteOrderMark(boolean byteOrderMark)
    {
        return new SourceFile(location, bytes, byteOrderMark);
    }

    public boolean gzip()
    {
        return location.uri().endsWith(".gz");
    }
}
