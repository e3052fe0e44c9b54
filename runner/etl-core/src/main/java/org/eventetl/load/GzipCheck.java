package org.eventetl.load;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.eventetl.model.LoadFailedException;
import org.eventetl.storage.FileReasons;
import org.eventetl.storage.SourceFile;

/**
 * Reads each gzip source file to its end before a step reads it, for an engine whose gzip reader
 * does not check the files' trailers (embedded DuckDB): the JDK's inflater checks every member's
 * CRC-32 and length. Without it, a bit flipped inside a member decodes to lines of garbage, and
 * the day publishes with the events those lines held lost and the garbage counted as rejects, under
 * the reject ratio. A file cut short, or with bytes after its last member that are no member,
 * fails here too, named (DuckDB's own errors for them do not always name it). Its lines longer than
 * the line reader's limit are counted as they pass ({@link LongLines}). The files are read on every core,
 * at about 0.5 GB of JSON per second and core on the machine of docs/performance.md.
 */
final class GzipCheck
{
    private static final int BUFFER_BYTES = 1 << 16;
    private static final int TRAILER_BYTES = 8;
    /** FTEXT, FHCRC and FCOMMENT of a gzip header's flags (RFC 1952), which DuckDB's gzip reader refuses. */
    private static final int DUCKDB_UNREAD_FLAGS = 0x01 | 0x02 | 0x10;

    private GzipCheck() {}

    /**
     * Fails the run, naming the first damaged file of the day, when a gzip file is not whole; else
     * returns the {@link LongLines} of each file that has any, found as the files are inflated.
     *
     * @param files the day's files as the run lists them (named in the message)
     * @param local the same files where the engine reads them (a local copy of an object store's)
     * @param longerThan the length of line counted as long ({@link LongLines#longerThan})
     */
    static List<LongLines> verify(List<SourceFile> files, List<SourceFile> local, long longerThan)
    {
        if (files.size() != local.size()) {
            throw new IllegalArgumentException("the files and their local copies differ in number");
        }
        List<Inflated> inflated = IntStream.range(0, files.size()).parallel()
                .filter(i -> files.get(i).gzip() && files.get(i).bytes() > 0)
                .mapToObj(i -> inflate(files.get(i), local.get(i), longerThan))
                .toList();
        Optional<LoadFailedException> damaged = inflated.stream()
                .flatMap(file -> file.problem().map(problem -> failure(file.file(), problem)).stream())
                .findFirst();
        if (damaged.isPresent()) {
            throw damaged.get();
        }
        return inflated.stream().flatMap(file -> file.longLines().stream()).toList();
    }

    /** What inflating one file found: what is wrong with it, or its long lines. */
    private record Inflated(SourceFile file, Optional<IOException> problem, Optional<LongLines> longLines) {}

    private static Inflated inflate(SourceFile file, SourceFile local, long longerThan)
    {
        LongLines.Counter lines = new LongLines.Counter(file, longerThan);
        Optional<IOException> problem = problem(local, lines);
        return new Inflated(file, problem, problem.isPresent() ? Optional.empty() : lines.finish());
    }

    private static LoadFailedException failure(SourceFile file, IOException problem)
    {
        if (problem instanceof UnreadHeader) {
            return new LoadFailedException(file.location() + " is gzip whose header sets FTEXT, FHCRC or FCOMMENT, which DuckDB's reader does not take:"
                    + " write it again with gzip (which sets none of them), or move it out of the day's folder", problem);
        }
        // the JDK's EOFException for a file cut short may have no message at all
        String reason = problem instanceof EOFException ? "it ends inside a member: cut short"
                : problem.getMessage() == null ? problem.getClass().getSimpleName() : problem.getMessage();
        if (!(problem instanceof ZipException || problem instanceof EOFException)) {
            // gone or unreadable since it was listed: not the file's content
            return new LoadFailedException(file.location() + " cannot be read (" + FileReasons.describe(problem) + ")", problem);
        }
        return new LoadFailedException(file.location() + " is a damaged gzip file (" + reason + "): what it held cannot be known, so the day"
                + " is not loaded: replace the file, or move it out of the day's folder", problem);
    }

    /**
     * What is wrong with a gzip file, or empty when every member decodes and matches its trailer and
     * nothing follows the last one. (The JDK's reader ends quietly at bytes after a member that are
     * no member's header, a second member's header damaged say; DuckDB's then fails without naming
     * the file.)
     */
    private static Optional<IOException> problem(SourceFile source, LongLines.Counter lines)
    {
        byte[] buffer = new byte[BUFFER_BYTES];
        // one open: the header's flags are read ahead and given back to the reader
        try (BufferedInputStream file = new BufferedInputStream(Files.newInputStream(source.location().toPath()), BUFFER_BYTES)) {
            file.mark(4);
            byte[] header = file.readNBytes(4);
            if (header.length == 4 && header[0] == (byte) 0x1f && header[1] == (byte) 0x8b && (header[3] & DUCKDB_UNREAD_FLAGS) != 0) {
                // valid gzip, but DuckDB's reader refuses it ("Unsupported GZIP archive") without naming it
                return Optional.of(new UnreadHeader());
            }
            file.reset();
            CountingStream raw = new CountingStream(file);
            try (MemberReader in = new MemberReader(raw)) {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    // decoded to be checked, and its lines measured
                    lines.accept(buffer, read);
                }
                // the last member's trailer (CRC-32 and length) is read from the bytes the inflater left
                if (in.unread() > TRAILER_BYTES || raw.count() < source.bytes()) {
                    return Optional.of(new ZipException("bytes after its last member are no gzip member"));
                }
                return Optional.empty();
            }
        }
        catch (IOException e) {
            // ZipException "Corrupt GZIP trailer", "invalid stored block lengths", "Not in GZIP format";
            // EOFException for a file cut short ("Unexpected end of ZLIB input stream", or none in the header)
            return Optional.of(e);
        }
    }

    /** The JDK's gzip reader, telling what its inflater was given and did not use. */
    private static final class MemberReader
            extends GZIPInputStream
    {
        MemberReader(InputStream in)
                throws IOException
        {
            super(in, BUFFER_BYTES);
        }

        /** Bytes read from the file but not inflated: after the end, the last trailer and what followed it. */
        int unread()
        {
            return inf.getRemaining();
        }
    }

    /** Counts the bytes read from the file. */
    private static final class CountingStream
            extends FilterInputStream
    {
        private long count;

        CountingStream(InputStream in)
        {
            super(in);
        }

        @Override
        public int read()
                throws IOException
        {
            int b = super.read();
            count += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length)
                throws IOException
        {
            int n = super.read(bytes, offset, length);
            count += Math.max(n, 0);
            return n;
        }

        @Override
        public long skip(long n)
                throws IOException
        {
            long skipped = super.skip(n);
            count += skipped;
            return skipped;
        }

        long count()
        {
            return count;
        }
    }

    /** A header whose flags DuckDB's gzip reader refuses, though the file is whole. */
    private static final class UnreadHeader
            extends ZipException
    {
        UnreadHeader()
        {
            super("a header flag DuckDB's reader does not take");
        }
    }
}
