package org.eventetl.load;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.eventetl.model.Json;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.SourceFile;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * Which run's files a published prefix holds: {@code _etl_run}, staged with the data and
 * published with it (last, on object stores), so it can only name a run whose files are all there.
 * Readers skip it: Hive, Trino, Athena and Spark ignore names starting with {@code _}, and it has
 * no extension, so that a reader's glob of a dataset's files ({@code *.parquet}, {@code *.json})
 * does not take it for one. It makes a publish repeatable: a dataset whose marker
 * already names the run is not published twice.
 */
record RunMarker(String runId, String partition, String dataset, Instant stagedAt, Map<String, Long> files)
{
    static final String FILE_NAME = "_etl_run";

    /**
     * The run whose files a published prefix holds, as its marker names it; empty where there is no
     * marker. A marker that cannot be parsed is a {@link DamagedFileException}.
     */
    static Optional<String> runOf(Storage storage, PublishedPrefix published)
            throws IOException
    {
        return read(storage, published).map(RunMarker::runId);
    }

    /** The marker of a published prefix; empty where there is none; a {@link DamagedFileException} where it cannot be parsed. */
    static Optional<RunMarker> read(Storage storage, PublishedPrefix published)
            throws IOException
    {
        Optional<byte[]> marker = storage.read(published.location().resolve(FILE_NAME));
        if (marker.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(parse(marker.get(), published));
    }

    /** A marker read from {@code published}; a {@link DamagedFileException} where it cannot be parsed. */
    static RunMarker parse(byte[] marker, PublishedPrefix published)
            throws DamagedFileException
    {
        try {
            return Json.read(marker, RunMarker.class);
        }
        catch (IOException e) {
            // cut short or edited by hand: named, so that no reader blames another file
            throw new DamagedFileException(published.location().resolve(FILE_NAME), e);
        }
    }

    /** Files as a line says them: {@code 2 files, 1,234 bytes}. */
    static String describe(Map<String, Long> files)
    {
        long bytes = files.values().stream().mapToLong(Long::longValue).sum();
        return String.format("%,d file%s, %,d bytes", files.size(), files.size() == 1 ? "" : "s", bytes);
    }

    /**
     * The files of a published folder that its marker does not list: added since by someone, no
     * run's to delete. A file in a subfolder counts (the publish replaces the folder whole); one
     * whose name starts with {@code _} or {@code .} directly in the folder does not, as the marker
     * leaves those out (readers do too). Empty for a marker that lists no files (written before
     * markers did).
     */
    static SortedSet<String> added(Storage storage, RunMarker marker, Location folder)
            throws IOException
    {
        SortedSet<String> added = new TreeSet<>();
        if (marker.files() == null) {
            return added;
        }
        for (Location file : storage.listRecursively(folder)) {
            String name = folder.toRelative(file);
            boolean hidden = !name.contains("/") && (name.startsWith("_") || name.startsWith("."));
            if (!hidden && !marker.files().containsKey(name)) {
                added.add(name);
            }
        }
        return added;
    }

    /** A few names of a set, and how many more: "a.csv, b.csv, c.csv and 4 more". */
    static String names(SortedSet<String> names)
    {
        return names.size() <= 3 ? String.join(", ", names) : String.join(", ", names.stream().limit(3).toList()) + " and " + (names.size() - 3) + " more";
    }

    /** The data files of a prefix (names without the folder, and their bytes), as a marker keeps them. */
    static Map<String, Long> filesOf(Storage storage, Location prefix)
            throws IOException
    {
        Map<String, Long> files = new TreeMap<>();
        if (storage.folderExists(prefix)) {
            for (SourceFile file : storage.listFiles(prefix)) {
                files.put(file.location().fileName(), file.bytes());
            }
        }
        return files;
    }

    /**
     * @param files the data files the run staged for the dataset (name → bytes; names starting with
     *         {@code _} or {@code .} left out, as readers leave them), so that status can tell a
     *         published folder whose files were deleted, cut or replaced since; null in markers
     *         written before it was kept
     */
    RunMarker
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(partition, "partition is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(stagedAt, "stagedAt is null");
        files = files == null ? null : Map.copyOf(files);
    }
}
