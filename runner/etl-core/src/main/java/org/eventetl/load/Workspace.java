package org.eventetl.load;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import org.eventetl.model.RunId;
import org.eventetl.plan.Checksum;
import org.eventetl.storage.LocalFolders;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.RunStaging;
import org.eventetl.storage.SourceFile;
import org.eventetl.storage.Storage;
import org.eventetl.storage.Transfers;

import static java.util.Objects.requireNonNull;

/**
 * Where the engine reads and writes during a run. Usually the real source and output. For an
 * engine that reads local files only (embedded DuckDB: its S3 extension would be downloaded at run
 * time, which production machines may not allow) working on {@code s3://}, a local copy: the
 * partition's source objects are copied to a local folder, the run stages locally, and its staged
 * outputs are uploaded to the real staging area before the publish. The local folder is the run's
 * own, in a folder fixed per (source, output, partition) under the temporary folder: a run stalled
 * past its lease (which removes its copy when it wakes) then removes no copy of the run that took
 * the day over, which removes the copies that earlier runs of the day left, since under the lease
 * none is a live run's. Its checksums name the day's folder as it would be under /tmp, the default,
 * without the run: the rendered SQL checksums the same from run to run, and a run with the
 * temporary folder moved (a full /tmp) does not take every day published before for changed SQL.
 */
final class Workspace
{
    /**
     * How many objects are copied or uploaded at once: enough to hide S3's latency on small objects
     * and to fill a machine's network with large ones, few enough for the SDK's connections and the
     * local disk.
     */
    static final int AT_ONCE = 16;

    /**
     * The file in a day's folder that names the output and the partition its copies are of. The
     * folder is named after the source too (a hash of both), so a repair given no --source would
     * look in another folder; it finds the copies by this file instead.
     */
    private static final String OF = "_of";

    private final LoadRequest request;
    private final Path day;
    private final Path root;

    private Workspace(LoadRequest request, Path day, Path root)
    {
        this.request = requireNonNull(request, "request is null");
        this.day = day;
        this.root = root;
    }

    /** The workspace of run {@code runId} ({@link RunId#RENDERED} for a rendering that runs nothing). */
    static Workspace of(LoadRequest request, RunId runId, boolean engineReadsLocalFilesOnly)
    {
        if (!engineReadsLocalFilesOnly || !(request.source().isS3() || request.output().isS3())) {
            return new Workspace(request, null, null);
        }
        Path day = Path.of(System.getProperty("java.io.tmpdir")).resolve(folderName(request));
        return new Workspace(request, day, day.resolve(runId.value()));
    }

    private static Path folderName(LoadRequest request)
    {
        String key = Checksum.of(request.source().uri() + "\n" + request.output().uri());
        return Path.of("etl-work", key + "-" + request.partition().hivePath().replace('/', '_'));
    }

    /** The local copy's folder; only for a workspace that is {@link #local()}. */
    Path root()
    {
        return requireNonNull(root, "not a local copy");
    }

    /** The folder as rendered checksums name it: the day's, as it would be under the default temporary folder. */
    Path rootInChecksums()
    {
        return Path.of("/tmp").resolve(folderName(request));
    }

    boolean local()
    {
        return root != null;
    }

    /** The output root the engine's SQL names. */
    Location output()
    {
        return root == null ? request.output() : Location.local(root.resolve("output"));
    }

    Location sourceFolder()
    {
        return root == null ? request.sourceFolder() : Location.local(root.resolve("source").resolve(request.partition().sourcePath()));
    }

    /** The source files as the engine's SQL names them. */
    List<SourceFile> sourceFiles(List<SourceFile> files)
    {
        if (root == null) {
            return files;
        }
        List<SourceFile> local = new ArrayList<>();
        for (SourceFile file : files) {
            local.add(new SourceFile(sourceFolder().resolve(file.location().fileName()), file.bytes()));
        }
        return List.copyOf(local);
    }

    /** Where a real published prefix is as the engine sees it. */
    Location view(PublishedPrefix prefix)
    {
        return new PublishedPrefix(output(), prefix.dataset(), prefix.partition()).location();
    }

    /**
     * Makes the local copy: the source files, and those of the published prefixes that the SQL
     * reads (earlier days an audit compares with), {@link #AT_ONCE} at a time; returns
     * early, the copy unfinished, once {@code stopRequested} says so. What earlier runs of the day
     * left goes first: called under the lease, no live run's copy is among them (a run stalled past
     * its lease, whose copy this removes, fails as having lost the day when it wakes).
     */
    void prepare(Storage storage, List<SourceFile> files, Collection<PublishedPrefix> published, BooleanSupplier stopRequested, LoadListener listener)
            throws IOException
    {
        if (root == null) {
            return;
        }
        removeEarlierRuns();
        Path folder = sourceFolder().toPath();
        Files.createDirectories(folder);
        Files.writeString(day.resolve(OF), of(request));
        List<Transfers.Transfer> copies = new ArrayList<>();
        // streamed to disk: a day's source file can be larger than the heap
        for (SourceFile file : files) {
            copies.add(() -> copySourceFile(storage, file, folder.resolve(file.location().fileName())));
        }
        for (PublishedPrefix prefix : published) {
            for (Location file : storage.listRecursively(prefix.location())) {
                Path copy = view(prefix).toPath().resolve(prefix.location().toRelative(file));
                Files.createDirectories(copy.getParent());
                copies.add(() -> copy(storage, file, copy));
            }
        }
        long started = System.nanoTime();
        Transfers.run(copies, AT_ONCE, Transfers.Ending.PROMPTLY, stopRequested, done -> listener.progress("copy of the source", 100.0 * done / copies.size(), (System.nanoTime() - started) / 1e9));
    }

    private static void copySourceFile(Storage storage, SourceFile file, Path copy)
            throws IOException
    {
        // (a body cut short on the way is fetched again by the storage, which checks each against its answer's length)
        copy(storage, file.location(), copy);
        long copied = Files.size(copy);
        if (copied != file.bytes()) {
            // the run records the day's source as listed, by which status tells a changed source:
            // a file rewritten in between would be loaded new and recorded old (a false "outdated")
            throw new IOException(file.location() + " changed while the run copied the day (listed with " + file.bytes() + " bytes, copied "
                    + copied + "): a writer is still at work on the day; rerun once it is done");
        }
    }

    /** Copies what the run staged locally to its real staging area, before the publish. */
    void upload(Storage storage, RunId runId)
            throws IOException
    {
        if (root == null) {
            return;
        }
        Path staged = new RunStaging(output(), runId).location().toPath();
        Location target = new RunStaging(request.output(), runId).location();
        if (!Files.isDirectory(root)) {
            // not a run that staged nothing: without this, its publish would swap in empty datasets
            throw new IOException("the run's local copy " + root + " was removed while the run ran (by a run of the day that took it over, or by"
                    + " a cleaner of the temporary folder); it uploads nothing");
        }
        if (!Files.isDirectory(staged)) {
            return;
        }
        List<Transfers.Transfer> uploads = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(staged)) {
            for (Path file : paths.filter(Files::isRegularFile).sorted().toList()) {
                Location uploaded = target.resolve(staged.relativize(file).toString().replace('\\', '/'));
                uploads.add(() -> {
                    try {
                        storage.upload(file, uploaded);
                    }
                    catch (IOException e) {
                        // the SDK's words alone ("Unable to execute HTTP request") name neither the object nor the step
                        throw new IOException("cannot upload the run's staged outputs to " + target.asPrefix() + " (" + uploaded + "): " + e.getMessage(), e);
                    }
                });
            }
        }
        // no stop is looked for: the publish waits for the upload, and a stop asked for meanwhile is seen
        // before it. After a failure, the uploads under way are waited for: one still in flight once
        // the run has ended would land in its staging later, where no one removes it
        Transfers.run(uploads, AT_ONCE, Transfers.Ending.TO_THE_END, () -> false, done -> {});
    }

    private static void copy(Storage storage, Location file, Path copy)
            throws IOException
    {
        if (!storage.download(file, copy)) {
            throw new IOException(file + " vanished while copying it");
        }
    }

    /**
     * Removes the local copies that earlier runs of the day left (runs killed, or failed with their
     * staged outputs kept for inspection), and returns the folders removed; only under the day's
     * lease, when none of them is a live run's. This run's own copy stays.
     */
    List<Path> removeEarlierRuns()
            throws IOException
    {
        if (day == null || !Files.isDirectory(day)) {
            return List.of();
        }
        List<Path> removed = removeRunsIn(day, root);
        // (this run's own copy stays, and so does a run of the day that began meanwhile: repair holds no lease by then)
        removeIfOnlyItsNameIsLeft(day);
        return List.copyOf(removed);
    }

    /**
     * Removes the local copies of every run of the request's output and partition, whatever source
     * they copied: a repair given no --source renders the default one, whose folder is not theirs.
     * Only under the partition's lease, when none of them is a live run's.
     */
    static List<Path> removeCopiesOf(LoadRequest request)
            throws IOException
    {
        Path work = Path.of(System.getProperty("java.io.tmpdir")).resolve("etl-work");
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        String suffix = "-" + request.partition().hivePath().replace('/', '_');
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> days = Files.list(work)) {
            for (Path day : days.filter(folder -> folder.getFileName().toString().endsWith(suffix)).sorted().toList()) {
                Path of = day.resolve(OF);
                if (Files.isRegularFile(of) && Files.readString(of).equals(of(request))) {
                    removed.addAll(removeRunsIn(day, null));
                    removeIfOnlyItsNameIsLeft(day);
                }
            }
        }
        return List.copyOf(removed);
    }

    /** Removes the run folders in a day's folder but {@code kept}; returns them. */
    private static List<Path> removeRunsIn(Path day, Path kept)
            throws IOException
    {
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> left = Files.list(day)) {
            for (Path earlier : left.sorted().toList()) {
                if (!earlier.equals(kept) && !earlier.getFileName().toString().equals(OF)) {
                    LocalFolders.deleteTree(earlier);
                    removed.add(earlier);
                }
            }
        }
        return removed;
    }

    /** Removes a day's folder that holds no run's copy any more, only the file that names it. */
    private static void removeIfOnlyItsNameIsLeft(Path day)
            throws IOException
    {
        if (!Files.isDirectory(day)) {
            // removed already (by the run of the day that took it over, or by repair)
            return;
        }
        try (Stream<Path> left = Files.list(day)) {
            if (left.anyMatch(entry -> !entry.getFileName().toString().equals(OF))) {
                return;
            }
        }
        Files.deleteIfExists(day.resolve(OF));
        try {
            Files.deleteIfExists(day);
        }
        catch (DirectoryNotEmptyException e) {
            // a run of the day began meanwhile
        }
    }

    private static String of(LoadRequest request)
    {
        return request.output().uri() + "\n" + request.partition().hivePath() + "\n";
    }

    /**
     * What a failed or stopped run removes of its local copy: its copy of the day's source and of
     * the published days its audits read (as large as the day, and only copies of what stays on
     * S3), and, unless {@code keepStaged}, what it staged too. Its staged outputs are kept only where
     * the run's message says to look at them; the next run of the day, or etl repair, removes them.
     */
    void removeAfterFailure(RunId runId, boolean keepStaged)
            throws IOException
    {
        if (root == null) {
            return;
        }
        if (!keepStaged) {
            remove();
            return;
        }
        LocalFolders.deleteTree(root.resolve("source"));
        Path outputs = output().toPath();
        if (Files.isDirectory(outputs)) {
            Path staged = new RunStaging(output(), runId).location().toPath();
            try (Stream<Path> datasets = Files.list(outputs)) {
                for (Path dataset : datasets.toList()) {
                    if (!staged.startsWith(dataset)) {
                        LocalFolders.deleteTree(dataset);
                    }
                }
            }
        }
    }

    /** Where a failed run's staged outputs can be looked at. */
    Location stagedOutputs(RunId runId)
    {
        return new RunStaging(output(), runId).location();
    }

    /** Removes the run's local copy (a published run's; a failed run's stays for inspection until the next run), and the day's folder once empty. */
    void remove()
            throws IOException
    {
        if (root != null) {
            LocalFolders.deleteTree(root);
            // (another run of the day may work there now: this one stalled past its lease)
            removeIfOnlyItsNameIsLeft(day);
        }
    }
}
