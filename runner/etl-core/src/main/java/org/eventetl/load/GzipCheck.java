package org.eventetl.load;

import java.io.EOFException;
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
 * the reject ratio. (A file cut short DuckDB refuses by itself.) The files are read on every core,
 * at about 0.5 GB of JSON per second and core on the machine of docs/performance.md.
 */
final class GzipCheck
{
    private static final int BUFFER_BYTES = 1 << 16;

    private GzipCheck() {}

    /**
     * Fails the run, naming the first damaged file of the day, when a gzip file is not whole.
     *
     * @param files the day's files as the run lists them (named in the message)
     * @param local the same files where the engine reads them (a local copy of an object store's)
     */
    static void verify(List<SourceFile> files, List<SourceFile> local)
    {
        if (files.size() != local.size()) {
            throw new IllegalArgumentException("the files and their local copies differ in number");
        }
        Optional<LoadFailedException> damaged = IntStream.range(0, files.size()).parallel()
                .filter(i -> files.get(i).gzip() && files.get(i).bytes() > 0)
                .mapToObj(i -> problem(local.get(i)).map(problem -> failure(files.get(i), problem)))
                .flatMap(Optional::stream)
                .findFirst();
        if (damaged.isPresent()) {
            throw damaged.get();
        }
    }

    private static LoadFailedException failure(SourceFile file, IOException problem)
    {
        String reason = problem.getMessage() == null ? problem.getClass().getSimpleName() : problem.getMessage();
        if (!(problem instanceof ZipException || problem instanceof EOFException)) {
            // gone or unreadable since it was listed: not the file's content
            return new LoadFailedException(file.location() + " cannot be read (" + FileReasons.describe(problem) + ")", problem);
        }
        return new LoadFailedException(file.location() + " is a damaged gzip file (" + reason + "): what it held cannot be known, so the day"
                + " is not loaded: replace the file, or move it out of the day's folder", problem);
    }

    /** What is wrong with a gzip file, or empty when every member decodes and matches its trailer. */
    private static Optional<IOException> problem(SourceFile file)
    {
        byte[] buffer = new byte[BUFFER_BYTES];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file.location().toPath()), BUFFER_BYTES)) {
            while (in.read(buffer) >= 0) {
                // decoded only to be checked
            }
            return Optional.empty();
        }
        catch (IOException e) {
            // ZipException "Corrupt GZIP trailer", "invalid stored block lengths", "Not in GZIP format";
            // EOFException "Unexpected end of ZLIB input stream" for a file cut short
            return Optional.of(e);
        }
    }
}
