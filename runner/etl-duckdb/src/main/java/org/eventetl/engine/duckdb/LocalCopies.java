package org.eventetl.engine.duckdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.eventetl.storage.FileReasons;
import org.eventetl.storage.LocalFolders;
import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * The data files of an output prefix as local paths that embedded DuckDB can read, whichever engine
 * wrote them: listed rather than globbed (Trino names its files without an extension; hidden and
 * marker files are no data), and copied to a temporary folder first when they live on S3. Closing
 * removes the copies.
 */
public final class LocalCopies
        implements AutoCloseable
{
    private final List<String> paths;
    /** Each copy's path, and the location it was copied from (none for a local file, read in place). */
    private final Map<String, String> originals;
    private final Path scratch;

    private LocalCopies(List<String> paths, Map<String, String> originals, Path scratch)
    {
        this.paths = List.copyOf(paths);
        this.originals = Map.copyOf(originals);
        this.scratch = scratch;
    }

    public static LocalCopies of(Storage storage, Location prefix)
            throws IOException
    {
        requireNonNull(storage, "storage is null");
        List<Location> files;
        try {
            files = storage.listRecursively(prefix).stream()
                    .filter(file -> !file.fileName().startsWith(".") && !file.fileName().startsWith("_"))
                    .toList();
        }
        catch (IOException | UncheckedIOException e) {
            // an object store's own words name neither the bucket nor the prefix
            throw new IOException("cannot list " + prefix.asPrefix() + ": " + FileReasons.message(e), e);
        }
        Path scratch = null;
        List<String> paths = new ArrayList<>();
        Map<String, String> originals = new HashMap<>();
        for (Location file : files) {
            if (!file.isS3()) {
                if (!noRows(file, Files.size(Path.of(file.uri())))) {
                    paths.add(file.uri());
                }
                continue;
            }
            if (scratch == null) {
                scratch = Files.createTempDirectory("etl-copies");
            }
            // streamed to disk: a day's event_details can be larger than the heap
            Path download = scratch.resolve(paths.size() + "-" + file.fileName());
            if (!storage.download(file, download)) {
                throw new IOException(file + " vanished while reading it");
            }
            if (noRows(file, Files.size(download))) {
                Files.delete(download);
                continue;
            }
            // the index keeps equal names of different folders apart; the name keeps a .gz recognisable,
            // and gets one where the content is gzip (Athena names the JSON it UNLOADs as it likes)
            Path copy = gzip(download) && !file.fileName().endsWith(".gz") ? Files.move(download, download.resolveSibling(download.getFileName() + ".gz")) : download;
            paths.add(copy.toString());
            originals.put(copy.toString(), file.uri());
        }
        return new LocalCopies(paths, originals, scratch);
    }

    /**
     * A message of DuckDB's about these files, naming each copy by where it came from (the copies are
     * gone once closed): its first line, as the query it echoes after it names copies, cut short.
     */
    public String inOriginalNames(String message)
    {
        if (originals.isEmpty()) {
            // local files, read in place: DuckDB's message names them as they are
            return message;
        }
        String named = String.valueOf(message).strip().lines().findFirst().orElse("");
        for (Map.Entry<String, String> copy : originals.entrySet()) {
            named = named.replace(copy.getKey(), copy.getValue());
        }
        return named;
    }

    /**
     * An empty file of JSON lines: the rejects of a day whose only non-events were blank lines. It
     * holds no row, and DuckDB cannot read a table out of it (no columns to infer). An empty Parquet
     * file is a broken one, and is read, so that the error shows.
     */
    private static boolean noRows(Location file, long bytes)
    {
        return bytes == 0 && !file.fileName().endsWith(".parquet");
    }

    /** Whether a file starts with gzip's magic bytes. */
    private static boolean gzip(Path file)
            throws IOException
    {
        byte[] magic = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(magic, 0, 2) == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        }
    }

    public boolean isEmpty()
    {
        return paths.isEmpty();
    }

    /**
     * A read of the files in their format: Parquet when the first is named .parquet or starts with
     * Parquet's magic bytes (Trino names its files without an extension), else JSON lines (gzipped
     * ones end in .gz). By name first: a damaged .parquet is then said to be no Parquet, not "malformed JSON".
     */
    public String source()
            throws IOException
    {
        if (paths.get(0).endsWith(".parquet")) {
            return parquet();
        }
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(Path.of(paths.get(0)))) {
            if (in.readNBytes(magic, 0, 4) == 4 && new String(magic, StandardCharsets.US_ASCII).equals("PAR1")) {
                return parquet();
            }
        }
        return jsonLines();
    }

    /** {@code read_parquet([...])} over the files. */
    public String parquet()
    {
        return "read_parquet(" + list() + ", hive_partitioning = false)";
    }

    /** {@code read_json([...])} over the files, one JSON object a line. */
    public String jsonLines()
    {
        return "read_json(" + list() + ", format = 'newline_delimited', hive_partitioning = false)";
    }

    /** A path as a DuckDB string literal that matches only itself: DuckDB expands *, ? and [ even in a list of single files. */
    public static String literal(String path)
    {
        return "'" + path.replace("'", "''").replaceAll("[*?\\[]", "[$0]") + "'";
    }

    private String list()
    {
        return paths.stream().map(LocalCopies::literal).collect(Collectors.joining(", ", "[", "]"));
    }

    @Override
    public void close()
    {
        if (scratch != null) {
            try {
                LocalFolders.deleteTree(scratch);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + scratch, e);
            }
        }
    }
}
