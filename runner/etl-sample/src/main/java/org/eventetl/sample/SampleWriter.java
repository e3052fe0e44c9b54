package org.eventetl.sample;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * Writes a {@link SampleSpec} as {@code part-NNNNN.json[.gz]} files, one thread per core. Each file
 * has its own random stream seeded from (seed, file index), so the output does not depend on
 * thread scheduling.
 */
public final class SampleWriter
{
    private static final int FLUSH_BYTES = 1 << 20;

    private final SampleSpec spec;

    public SampleWriter(SampleSpec spec)
    {
        this.spec = requireNonNull(spec, "spec is null");
    }

    /**
     * Writes every file and returns the bytes written. Refuses a folder that already holds files
     * other than an earlier sample's parts, so that generating never overwrites real data.
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

    private void prepare(Path folder)
            throws IOException
    {
        Files.createDirectories(folder);
        try (var entries = Files.list(folder)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.matches("part-[0-9]{5}\\.json(\\.gz)?") || !Files.isRegularFile(entry)) {
                    throw new UserException(folder + " already holds " + name + ", which no sample wrote; choose an empty --output");
                }
            }
        }
        // earlier sample parts are ours to replace: a smaller sample must not leave old parts behind
        try (var entries = Files.list(folder)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Files.delete(entry);
            }
        }
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
