package org.eventetl.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;

import org.eventetl.storage.SourceFile;

import static java.util.Objects.requireNonNull;

/**
 * The lines of a source file longer than load.max-line-bytes, found from the file's bytes before a
 * step reads it. DuckDB's line reader keeps such a line as a reject ({@code too_long}) only where it
 * lies within its read buffer: one that lies across two buffers with much of it in the first is
 * dropped without a trace (no row, no reject, the lines after it numbered one too few), seen with
 * DuckDB 2.0 from lines of 9 MB in buffers of 32 MB. Audit A10 compares what this finds with the
 * too_long rejects of each file, so that a dropped line fails the run instead of a day published
 * without it. A line ends at CR or at LF, as the line reader ends it.
 *
 * @param file the file as the run lists it (the rejects name it so)
 * @param lines how many of its lines are longer than {@link #longerThan}
 * @param longestBytes the longest such line's length, without its line end
 * @param longestFrom the byte of the file where that line begins
 */
record LongLines(SourceFile file, int lines, long longestBytes, long longestFrom)
{
    /**
     * Lines shorter than this are not looked for: DuckDB kept every line it was tried with up to 6 MB
     * across its 32 MB buffers (as a row, or as a reject), and a plain file is then probed once every
     * half of this length at least (one read of 64 KB per 8 MB at the default limit), not read whole.
     */
    static final long LEAST_LOOKED_FOR = 1024 * 1024;
    /** Lines within this many bytes over the limit are not counted: the reader's own count may take in a line end or two. */
    private static final long MARGIN = 16;
    private static final int CHUNK = 1 << 16;

    LongLines
    {
        requireNonNull(file, "file is null");
    }

    /** The length a line must exceed to be counted, for the limit {@code maxLineBytes}. */
    static long longerThan(long maxLineBytes)
    {
        return Math.max(maxLineBytes + MARGIN, LEAST_LOOKED_FOR);
    }

    /**
     * The long lines of a file that is not compressed, read at {@code local}: any run of more than
     * {@code longerThan} bytes without a line end holds an aligned block of half that whole, so only
     * the start of each such block is read, and a block without a line end is measured whole.
     */
    static Optional<LongLines> ofPlainFile(SourceFile file, Path local, long longerThan)
    {
        long block = longerThan / 2;
        Counter counter = new Counter(file, longerThan);
        try (FileChannel channel = FileChannel.open(local, StandardOpenOption.READ)) {
            long size = channel.size();
            long measuredUntil = 0;
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            for (long start = 0; start + block <= size; start += block) {
                if (start < measuredUntil || lineEndWithin(channel, buffer, start, start + block) >= 0) {
                    continue;
                }
                long from = lineEndBefore(channel, buffer, start) + 1;
                long end = lineEndWithin(channel, buffer, start + block, size);
                long to = end < 0 ? size : end;
                counter.line(from, to - from);
                measuredUntil = to;
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.found();
    }

    /** The first line end in [from, to), or -1. */
    private static long lineEndWithin(FileChannel channel, ByteBuffer buffer, long from, long to)
            throws IOException
    {
        for (long position = from; position < to; position += CHUNK) {
            int length = (int) Math.min(CHUNK, to - position);
            byte[] bytes = read(channel, buffer, position, length);
            for (int i = 0; i < bytes.length; i++) {
                if (lineEnd(bytes[i])) {
                    return position + i;
                }
            }
        }
        return -1;
    }

    /** The last line end before {@code before}, or -1 when the file has none there. */
    private static long lineEndBefore(FileChannel channel, ByteBuffer buffer, long before)
            throws IOException
    {
        for (long end = before; end > 0; end -= CHUNK) {
            long position = Math.max(0, end - CHUNK);
            byte[] bytes = read(channel, buffer, position, (int) (end - position));
            for (int i = bytes.length - 1; i >= 0; i--) {
                if (lineEnd(bytes[i])) {
                    return position + i;
                }
            }
        }
        return -1;
    }

    /** Whether the byte ends a line: CR and LF each do, as for DuckDB's line reader. */
    private static boolean lineEnd(byte b)
    {
        return b == '\n' || b == '\r';
    }

    private static byte[] read(FileChannel channel, ByteBuffer buffer, long position, int length)
            throws IOException
    {
        buffer.clear().limit(length);
        while (buffer.hasRemaining() && channel.read(buffer, position + buffer.position()) >= 0) {
            // a positional read may return fewer bytes than asked
        }
        byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        return bytes;
    }

    /**
     * Follows the lines of a stream read in chunks (a gzip file as it is inflated): only the first
     * and the last line end of each chunk are looked for, since a line between them is shorter than
     * the chunk, and so than any length looked for.
     */
    static final class Counter
    {
        private final SourceFile file;
        private final long longerThan;
        private long position;
        private long lineFrom;
        private int lines;
        private long longestBytes;
        private long longestFrom;

        Counter(SourceFile file, long longerThan)
        {
            this.file = requireNonNull(file, "file is null");
            if (longerThan < CHUNK) {
                throw new IllegalArgumentException("longerThan must be at least " + CHUNK + ", got " + longerThan);
            }
            this.longerThan = longerThan;
        }

        void accept(byte[] bytes, int length)
        {
            int first = -1;
            for (int i = 0; i < length; i++) {
                if (lineEnd(bytes[i])) {
                    first = i;
                    break;
                }
            }
            if (first >= 0) {
                line(lineFrom, position + first - lineFrom);
                int last = first;
                for (int i = length - 1; i > first; i--) {
                    if (lineEnd(bytes[i])) {
                        last = i;
                        break;
                    }
                }
                lineFrom = position + last + 1;
            }
            position += length;
        }

        /** The stream's end: its last line, if it has no line end. */
        Optional<LongLines> finish()
        {
            line(lineFrom, position - lineFrom);
            lineFrom = position;
            return found();
        }

        private void line(long from, long bytes)
        {
            if (bytes > longerThan) {
                lines++;
                if (bytes > longestBytes) {
                    longestBytes = bytes;
                    longestFrom = from;
                }
            }
        }

        private Optional<LongLines> found()
        {
            return lines == 0 ? Optional.empty() : Optional.of(new LongLines(file, lines, longestBytes, longestFrom));
        }
    }

    /** This file's entry in the {@code long_lines} parameter of the audits ({@link org.eventetl.render.PlanRenderer#audits}). */
    Map<String, Object> parameter()
    {
        return Map.of("file", file.location().uri(), "lines", lines, "longest_bytes", longestBytes, "longest_from", longestFrom);
    }
}
