package org.eventetl.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.eventetl.config.Settings;
import org.eventetl.engine.Engine;
import org.eventetl.model.EngineKind;
import org.eventetl.plan.Checksum;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.LocalFolders;
import org.eventetl.storage.LocalStorage;
import org.eventetl.storage.Location;
import org.eventetl.storage.SourceFile;
import org.eventetl.storage.Storage;
import org.eventetl.storage.TargetPrefix;

import static java.util.Objects.requireNonNull;

/**
 * The embedded engine on {@code s3://}: DuckDB reads and writes local files here (its S3 extension
 * would be downloaded at run time, which production machines may not allow), so the partition's
 * objects are copied to a local staging folder, the load runs there, and then each output prefix
 * is cleared on S3 and filled with what the load wrote, and the history is copied beside it. The
 * staging folder is fixed per (source, output), so the rendered SQL and its checksum are stable
 * from run to run.
 */
final class Staging
{
    private final LoadRequest request;
    private final Path root;

    Staging(LoadRequest request)
    {
        this.request = requireNonNull(request, "request is null");
        String key = Checksum.of(request.source().uri() + "\n" + request.output().uri());
        this.root = Path.of(System.getProperty("java.io.tmpdir"), "etl-staging", key + "-" + request.partition().hivePath().replace('/', '_'));
    }

    static boolean needed(LoadRequest request)
    {
        return request.engine() == EngineKind.DUCKDB && (request.source().isS3() || request.output().isS3());
    }

    /** The same load over the local staging folders. */
    LoadRequest local()
    {
        return new LoadRequest(request.partition(), Location.local(root.resolve("source")), Location.local(root.resolve("output")),
                request.engine(), request.maxRejectRatio());
    }

    List<SourceFile> localFiles(List<SourceFile> files)
    {
        List<SourceFile> local = new ArrayList<>();
        for (SourceFile file : files) {
            local.add(new SourceFile(local().sourceFolder().resolve(file.location().fileName()), file.bytes(), file.byteOrderMark()));
        }
        return List.copyOf(local);
    }

    List<RenderedStep> render(PlanRenderer planRenderer, List<SourceFile> files, Settings settings)
    {
        LoadRequest local = local();
        return planRenderer.render(local.partition(), local.engine(), local.sourceFolder(), localFiles(files), local.output(), settings);
    }

    LoadResult load(Storage storage, PlanRenderer planRenderer, Settings settings, Engine engine, LoadListener listener)
    {
        List<SourceFile> files = Loader.sourceFiles(storage, request);
        try {
            deleteStaging();
            Path folder = root.resolve("source").resolve(request.partition().sourcePath());
            Files.createDirectories(folder);
            for (SourceFile file : files) {
                Files.write(folder.resolve(file.location().fileName()), storage.read(file.location())
                        .orElseThrow(() -> new IOException(file.location() + " vanished while staging it")));
            }
            LoadResult result;
            try {
                result = new Loader(new LocalStorage(), planRenderer, settings, engine, listener).load(local());
            }
            finally {
                publishHistory(storage);
            }
            publishOutputs(storage, result);
            Rejects rejects = result.rejects();
            Optional<Location> rejectsLocation = rejects.location().map(location -> new TargetPrefix(request.output(), Loader.REJECTS_DATASET, request.partition()).location());
            return new LoadResult(result.partition(), result.engine(), result.runId(), result.sourceFiles(), result.sourceBytes(), result.steps(),
                    new Rejects(rejects.lines(), rejects.events(), rejects.rejects(), rejects.unkept(), rejectsLocation), result.seconds());
        }
        catch (IOException e) {
            throw new UncheckedIOException("staging " + request.partition() + " through " + root + ": " + e.getMessage(), e);
        }
        finally {
            try {
                deleteStaging();
            }
            catch (IOException ignored) {
                // a leftover temporary folder is replaced by the next run of the same partition
            }
        }
    }

    /** Each step's output replaces its prefix on S3: cleared and proven empty first, as the storage does for every write. */
    private void publishOutputs(Storage storage, LoadResult result)
            throws IOException
    {
        for (StepOutcome step : result.steps()) {
            if (step.target().isEmpty()) {
                continue;
            }
            // a local output with an s3:// source: the load wrote to staging all the same
            TargetPrefix staged = step.target().get();
            TargetPrefix real = new TargetPrefix(request.output(), staged.dataset(), staged.partition());
            storage.clear(real);
            copyTree(storage, staged.location().toPath(), real.location());
        }
    }

    private void publishHistory(Storage storage)
            throws IOException
    {
        Path history = root.resolve("output").resolve("_etl/history").resolve(request.partition().hivePath());
        copyTree(storage, history, request.output().resolve("_etl/history").resolve(request.partition().hivePath()));
    }

    private static void copyTree(Storage storage, Path from, Location to)
            throws IOException
    {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path file : paths.filter(Files::isRegularFile).sorted().toList()) {
                storage.write(to.resolve(from.relativize(file).toString().replace('\\', '/')), Files.readAllBytes(file));
            }
        }
    }

    private void deleteStaging()
            throws IOException
    {
        LocalFolders.deleteTree(root);
    }
}
