package org.eventetl.sample;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.zip.GZIPOutputStream;

import org.eventetl.model.UserException;

import static java.util.Objects.requireNonNull;

/**
 * Writes a {@link SampleSpec} as {@code part-NNNNN.json[.gz]} files, one thread per core, and a
 * {@value #MARKER} file naming them (the parts a later sample may replace). Each file
 * has its own random stream seeded from (seed, file index), so the output does not depend on
 * thread scheduling.
 */
public final class SampleWriter
{
    /** The file a sample leaves beside its parts, one name per line (a load skips names that start with _). */
    public static final String MARKER = "_etl_sample";
    private static final int FLUSH_BYTES = 1 << 20;

    private final SampleSpec spec;

    public SampleWriter(SampleSpec spec)
    {
        this.spec = requireNonNull(spec, "spec is null");
    }

    /**
     * Writes every file and returns the bytes written. Refuses a folder that already holds files
     * other than the parts an earlier sample's marker names, so that generating never overwrites real data.
     */
    public long write(LongConsumer progressBytes)
            throws IOException
    {
        Path folder = spec.partitionFolder();
        prepare(folder);
        AtomicLong written = new AtomicLong();
        int threads = Math.max(1, Math.min(spec.files(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> files = new ArrayList<>();
            for (int file = 0; file < spec.files(); file++) {
                int index = file;
                files.add(pool.submit(() -> writeFile(folder, index, written, progressBytes)));
            }
            for (Future<?> file : files) {
                file.get();
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing the sample", e);
        }
        catch (ExecutionException e) {
            if (e.getCause() instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (e.getCause() instanceof Error error) {
                // an OutOfMemoryError is said as such, with how to give the heap more, not as a file's failure
                throw error;
            }
            throw new IOException(e.getCause());
        }
        finally {
            pool.shutdownNow();
        }
        return written.get();
    }

    public static String fileName(int index, boolean gzip)
    {
        return String.format("part-%05d.json%s", index, gzip ? ".gz" : "");
    }

    /**
     * Clears the parts an earlier sample wrote into the folder, which only its marker can tell:
     * part-NNNNN.json is how Spark, Hadoop and Kafka Connect name their files too, so a name alone
     * is no proof. Anything else in the folder, such a part included, stops the sample untouched. The
     * marker names the parts about to be written before the first is, so a sample killed midway
     * leaves parts that the next one may still replace.
     */
    private void prepare(Path folder)
            throws IOException
    {
        Files.createDirectories(folder);
        Path marker = folder.resolve(MARKER);
        if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(marker, LinkOption.NOFOLLOW_LINKS)) {
            // a link (read through it, then written through it) or a folder: no sample made that
            throw new UserException(folder + " already holds " + MARKER + ", which no sample wrote (it is not a plain file); choose an empty --output");
        }
        Set<String> ours;
        try {
            ours = Files.exists(marker, LinkOption.NOFOLLOW_LINKS) ? Set.copyOf(Files.readAllLines(marker, StandardCharsets.UTF_8)) : Set.of();
        }
        catch (CharacterCodingException e) {
            throw new UserException(marker + " is not a list of a sample's parts (not UTF-8); choose an empty --output");
        }
        List<Path> earlierParts = new ArrayList<>();
        try (var entries = Files.list(folder)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (name.equals(MARKER)) {
                    continue;
                }
                if (!ours.contains(name) || !Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    String unmarked = name.matches("part-[0-9]{5}\\.json(\\.gz)?") && ours.isEmpty()
                            ? " (no " + MARKER + " file there names it: another writer's file, or a sample from before that file existed)" : "";
                    throw new UserException(folder + " already holds " + name + ", which no sample wrote" + unmarked + "; choose an empty --output");
                }
                earlierParts.add(entry);
            }
        }
        // earlier sample parts are ours to replace: a smaller sample must not leave old parts behind
        for (Path part : earlierParts) {
            Files.delete(part);
        }
        List<String> parts = new ArrayList<>();
        for (int file = 0; file < spec.files(); file++) {
            parts.add(fileName(file, spec.gzip()));
        }
        Files.write(marker, parts, StandardCharsets.UTF_8);
    }

    private void writeFile(Path folder, int index, AtomicLong written, LongConsumer progressBytes)
    {
        long events = spec.events() / spec.files() + (index < spec.events() % spec.files() ? 1 : 0);
        EventGenerator generator = new EventGenerator(spec, new SplittableRandom(EventGenerator.mix(spec.seed()) + index));
        Path path = folder.resolve(fileName(index, spec.gzip()));
        try (OutputStream out = open(path)) {
            AsciiBuffer buffer = new AsciiBuffer();
            for (long event = 0; event < events; event++) {
                generator.appendLine(buffer);
                if (buffer.length() >= FLUSH_BYTES) {
                    flush(buffer, out, written, progressBytes);
                }
            }
            flush(buffer, out, written, progressBytes);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private OutputStream open(Path path)
            throws IOException
    {
        OutputStream file = Files.newOutputStream(path);
        if (spec.gzip()) {
            return new GZIPOutputStream(file, 1 << 16);
        }
        return new BufferedOutputStream(file, 1 << 16);
    }

    private static void flush(AsciiBuffer buffer, OutputStream out, AtomicLong written, LongConsumer progressBytes)
            throws IOException
    {
        buffer.writeTo(out);
        progressBytes.accept(written.addAndGet(buffer.length()));
        buffer.clear();
    }
}
