package org.eventetl.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eventetl.storage.Location;
import org.eventetl.storage.SourceFile;

/**
 * How the embedded engine reads the source files, as template parameters. Small uncompressed files
 * are read whole ({@code blob_files}: DuckDB's read_blob costs a twentieth of its line reader per
 * file, which decides a day of 100,000 files); the others line by line ({@code csv_files}). Each
 * set is {@code false} when empty, else its files as {@code source_files} (a list), their number as
 * {@code file_count} and, when the set is the whole day of many files, {@code source_glob}.
 * <p>
 * The glob, {@code <folder>/[!_.]*}: a list of 100,000 paths is megabytes of SQL that DuckDB parses
 * in every statement that reads them. It reads exactly the listed files because the listing is
 * {@link org.eventetl.storage.Storage#listFiles}'s: every file whose name starts with neither
 * {@code _} nor {@code .}, directly in the folder. DuckDB's glob matches files only (a subfolder is
 * neither matched nor descended into) and leaves out the names {@code [!_.]} leaves out; the listing
 * refused symbolic links and anything but regular files, which the glob would follow. What the glob
 * cannot know is a file that lands (or is removed) after the listing: V2 compares the glob's files
 * with the listing's once it has read, by their number ({@code source_file_count}) and by a SHA-256
 * of their names ({@code source_names_sha256}), so that one file removed and another landed
 * meanwhile are seen too.
 * A day with a backslash in its folder's path or in a file's name is listed instead: DuckDB's glob
 * does not match such a name, so the count would never agree.
 */
final class SourceFileSets
{
    /** Files up to this size, uncompressed, are read whole; read_blob has no gzip, and a large file split in SQL is slow. */
    static final long SMALL_FILE_BYTES = 1024 * 1024;
    /** Below this many files a list is short, exact by construction, and costs nothing. */
    static final int GLOB_FROM_FILES = 1_000;

    private SourceFileSets() {}

    static Map<String, Object> parameters(Location folder, List<SourceFile> files)
    {
        List<SourceFile> small = new ArrayList<>();
        List<SourceFile> large = new ArrayList<>();
        for (SourceFile file : files) {
            // an empty file holds no line whatever its name: a .gz of 0 bytes (a writer that died
            // before its first block) is no gzip stream, and the line reader would fail the day on it
            (file.bytes() == 0 || file.bytes() <= SMALL_FILE_BYTES && !file.gzip() ? small : large).add(file);
        }
        // a set takes the glob only when it is the whole day
        Optional<String> glob = small.size() == files.size() || large.size() == files.size() ? glob(folder, files) : Optional.empty();
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("blob_files", set(small, glob));
        parameters.put("csv_files", set(large, glob));
        parameters.put("source_glob", glob.<Object>map(text -> text).orElse(false));
        parameters.put("source_file_count", files.size());
        parameters.put("source_names_sha256", glob.isPresent() ? namesSha256(files) : false);
        parameters.put("source_files", PlanRenderer.fileList(files));
        return parameters;
    }

    private static Object set(List<SourceFile> files, Optional<String> glob)
    {
        if (files.isEmpty()) {
            return false;
        }
        Map<String, Object> set = new HashMap<>();
        set.put("source_files", PlanRenderer.fileList(files));
        set.put("file_count", files.size());
        set.put("source_glob", glob.<Object>map(text -> text).orElse(false));
        return set;
    }

    /**
     * What V2 computes over the glob's files: {@code sha256(string_agg(parse_filename(file), '/' ORDER BY
     * parse_filename(file)))}, the names in DuckDB's order of text (by their UTF-8 bytes) joined by a
     * slash, which no name holds.
     */
    static String namesSha256(List<SourceFile> files)
    {
        List<byte[]> names = new ArrayList<>();
        for (SourceFile file : files) {
            names.add(file.location().fileName().getBytes(StandardCharsets.UTF_8));
        }
        names.sort(Arrays::compareUnsigned);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    digest.update((byte) '/');
                }
                digest.update(names.get(i));
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static Optional<String> glob(Location folder, List<SourceFile> files)
    {
        if (folder.isS3() || files.size() < GLOB_FROM_FILES) {
            return Optional.empty();
        }
        String prefix = folder.asPrefix();
        for (SourceFile file : files) {
            String path = file.location().uri();
            // DuckDB's glob matches no name that holds a backslash (and nothing under a folder whose path does)
            if (!path.startsWith(prefix) || path.indexOf('/', prefix.length()) >= 0 || path.indexOf('\\') >= 0) {
                return Optional.empty();
            }
        }
        return Optional.of(PlanRenderer.literalGlob(prefix) + "[!_.]*");
    }
}
