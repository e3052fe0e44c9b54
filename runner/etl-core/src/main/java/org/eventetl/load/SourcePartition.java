package org.eventetl.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.eventetl.model.UserException;
import org.eventetl.storage.FileReasons;
import org.eventetl.storage.LocalFolders;
import org.eventetl.storage.RefusedSourceFileException;
import org.eventetl.storage.SourceFile;
import org.eventetl.storage.Storage;
import org.eventetl.storage.StorageOutage;

/** The files of a load's source partition, as the plan names them. */
final class SourcePartition
{
    private SourcePartition() {}

    /** Lists the source partition's files; a missing or empty partition is refused (exit 2). */
    static List<SourceFile> files(Storage storage, LoadRequest request)
    {
        try {
            refuseLinkToNowhere(request);
            if (!storage.folderExists(request.sourceFolder())) {
                throw new UserException("source partition " + request.sourceFolder() + " does not exist; check --source and --partition");
            }
            refuseAnotherPartitionsFolder(request);
            List<SourceFile> files = storage.listFiles(request.sourceFolder());
            if (files.isEmpty()) {
                throw new UserException("source partition " + request.sourceFolder() + " has no data files (names starting with _ or . are ignored)");
            }
            refuseGzipNamesInAnotherCase(request, files);
            refuseOtherCompressions(request, files);
            if (request.engine().readsLocalFilesOnly()) {
                refusePathsDuckDbGlobs(request, files);
                if (request.source().isS3()) {
                    refuseNamesNoLocalCopyHolds(request, files);
                }
            }
            return files;
        }
        catch (IOException e) {
            throw unreadable(request, e);
        }
    }

    /**
     * Whether the partition has source data: its folder exists and holds a data file. A folder that
     * cannot be read is refused here, not taken for a missing one; a file in it that the load would
     * refuse (a link, a pipe) counts as data, so that the load says what is wrong. So does a day
     * folder that is a link to nowhere.
     */
    static boolean exists(Storage storage, LoadRequest request)
    {
        try {
            refuseLinkToNowhere(request);
            if (!storage.folderExists(request.sourceFolder())) {
                return false;
            }
        }
        catch (IOException e) {
            throw unreadable(request, e);
        }
        try {
            return !storage.listFiles(request.sourceFolder()).isEmpty();
        }
        catch (RefusedSourceFileException e) {
            return true;
        }
        catch (IOException e) {
            // the day's folder itself, listed: an error, as a folder above it that cannot be read is
            throw unreadable(request, e);
        }
    }

    /**
     * A name that ends in .gz in another case (a.json.GZ): DuckDB's reader takes it for gzip by its
     * extension, Trino's (and so Athena's) for text, so the engines would publish different days;
     * and on DuckDB it would escape the runner's check of each gzip file's trailer, which looks for
     * .gz. Refused, naming it, on every engine.
     */
    private static void refuseGzipNamesInAnotherCase(LoadRequest request, List<SourceFile> files)
    {
        for (SourceFile file : files) {
            String name = file.location().fileName();
            if (!file.gzip() && name.toLowerCase(Locale.ROOT).endsWith(".gz")) {
                throw new UserException("cannot read source partition " + request.sourceFolder() + ": " + name + " ends in .gz in another case, which DuckDB reads as gzip"
                        + " and Trino as text; rename it to end in .gz if it is gzip, or to something else if it is not");
            }
        }
    }

    /**
     * The names by which Trino's text reader (and so Athena's) picks a codec other than gzip:
     * where it decompresses such a file, DuckDB's reader reads its bytes as lines, which become
     * rejects; under the reject limit the day publishes without that file's events. Names of
     * archives that no engine opens (.zip, .xz, .7z) are refused with them: their events would be
     * lost the same way on every engine.
     */
    private static final List<String> OTHER_COMPRESSIONS = List.of(".zst", ".bz2", ".lz4", ".snappy", ".deflate", ".lzo", ".lzo_deflate", ".xz", ".zip", ".7z", ".br");

    /** A file compressed otherwise than with gzip, by its name: refused, naming it, on every engine. */
    private static void refuseOtherCompressions(LoadRequest request, List<SourceFile> files)
    {
        for (SourceFile file : files) {
            String name = file.location().fileName();
            String lower = name.toLowerCase(Locale.ROOT);
            for (String extension : OTHER_COMPRESSIONS) {
                if (lower.endsWith(extension)) {
                    throw new UserException("cannot read source partition " + request.sourceFolder() + ": " + name + " is named as compressed with " + extension
                            + ", which the runner does not read (only gzip, .gz): DuckDB would read its bytes as lines and reject them, Trino would decompress"
                            + " some of these; recompress it with gzip, or move it out of the day's folder");
                }
            }
        }
    }

    /**
     * DuckDB expands a path that holds {@code *}, {@code ?} or {@code [} as a glob even where it
     * names one file (the runner brackets each such character so that the glob matches the path
     * alone), and its glob takes a backslash for a folder separator: {@code sub\[x].json} read
     * {@code sub/[x].json}, a file of a subfolder, or another day's through {@code ..\..}, and
     * published its events as this day's with every audit passing; or it read nothing, and the load
     * failed as if the folder had changed. No quoting escapes the backslash, so such a path is
     * refused on DuckDB, naming it. A backslash alone is read as the character it is.
     */
    private static void refusePathsDuckDbGlobs(LoadRequest request, List<SourceFile> files)
    {
        for (SourceFile file : files) {
            // an S3 day is read through a local copy named as its objects are: the object's name is what counts
            String path = request.source().isS3() ? file.location().fileName() : file.location().uri();
            if (path.indexOf('\\') >= 0 && (path.indexOf('*') >= 0 || path.indexOf('?') >= 0 || path.indexOf('[') >= 0)) {
                throw new UserException("cannot load source partition " + request.sourceFolder() + " on " + request.engine().id() + ": " + path
                        + " holds a backslash and one of * ? [, and " + request.engine().id() + " reads such a path as a pattern in which a backslash"
                        + " separates folders, so it would read another file or none; rename it (or the folder in its path), or load the day on trino or athena");
            }
        }
    }

    /** The longest file name that common local disks hold (ext4, XFS, APFS, NTFS), in bytes of UTF-8. */
    private static final int LONGEST_LOCAL_NAME = 255;

    /**
     * An engine that reads local files only (DuckDB) reads an S3 day through a local copy, each file
     * named as its object is: a name the local disk cannot hold would fail the copy as a disk error
     * (exit 1, naming the local path), and two names that differ only in case would land in one file
     * on a disk that does not tell case apart (macOS's, by default), which would lose one file's
     * events without a word. Both are refused before the run, naming the objects.
     */
    private static void refuseNamesNoLocalCopyHolds(LoadRequest request, List<SourceFile> files)
            throws IOException
    {
        Map<String, String> byFoldedName = new HashMap<>();
        String twin = null;
        for (SourceFile file : files) {
            String name = file.location().fileName();
            int bytes = name.getBytes(StandardCharsets.UTF_8).length;
            if (bytes > LONGEST_LOCAL_NAME) {
                throw new UserException("cannot load source partition " + request.sourceFolder() + " on " + request.engine().id() + ": " + name + " is a name of "
                        + bytes + " bytes, and " + request.engine().id() + " reads S3 through a local copy, whose files' names hold at most " + LONGEST_LOCAL_NAME
                        + "; rename the object, or load the day on trino or athena");
            }
            String earlier = byFoldedName.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
            if (earlier != null && twin == null) {
                twin = earlier + " and " + name;
            }
        }
        if (twin != null && !LocalFolders.tellsCaseApart(Path.of(System.getProperty("java.io.tmpdir")))) {
            throw new UserException("cannot load source partition " + request.sourceFolder() + " on " + request.engine().id() + ": " + twin
                    + " differ only in case, and " + request.engine().id() + " reads S3 through a local copy under " + System.getProperty("java.io.tmpdir")
                    + ", on a disk that does not tell case apart, where they would be one file; rename one of them, or set java.io.tmpdir"
                    + " (JAVA_TOOL_OPTIONS=-Djava.io.tmpdir=…) to a case-sensitive disk");
        }
    }

    /**
     * A day folder that is a link (itself, or through a folder above it) to another folder under the
     * same source root, another day's say: its events would be published as this day's too, as a
     * linked file would (which the listing refuses). A link out of the source root (a mount) is read.
     */
    private static void refuseAnotherPartitionsFolder(LoadRequest request)
            throws IOException
    {
        if (request.source().isS3()) {
            return;
        }
        Path root = request.source().toPath().toRealPath();
        Path folder = request.sourceFolder().toPath().toRealPath();
        if (folder.startsWith(root) && !root.relativize(folder).equals(Path.of(request.partition().sourcePath()))) {
            throw new UserException("source partition " + request.sourceFolder() + " is a link to " + folder + ", another folder of --source "
                    + request.source() + ": its events would be loaded as this day's too; put the day's own files there, or remove the link");
        }
    }

    /**
     * A day folder, or a folder between it and the root, that is a link whose target does not exist:
     * a mount that dropped, or a disk not attached yet. Taken for a missing folder, the day would be
     * "no source", which status counts as good and backfill passes over, loading nothing.
     */
    private static void refuseLinkToNowhere(LoadRequest request)
    {
        if (request.source().isS3()) {
            return;
        }
        Path root = request.source().toPath();
        for (Path folder = request.sourceFolder().toPath(); folder != null && folder.startsWith(root) && !folder.equals(root); folder = folder.getParent()) {
            if (Files.isSymbolicLink(folder) && !Files.exists(folder)) {
                throw new UserException("source partition " + request.sourceFolder() + ": " + folder + " is a link to " + FileReasons.linkTarget(folder)
                        + ", which does not exist (a mount that dropped?); mount it, or remove the link if the day has no data");
            }
        }
    }

    /**
     * The refusal of a source folder that cannot be read; a file the load refuses whatever the access
     * says what to do itself. A storage that failed (S3 answering 503, a dropped connection) is no
     * refusal: a failure (exit 1) that a rerun may not meet (see StorageOutage).
     */
    static RuntimeException unreadable(LoadRequest request, IOException failure)
    {
        String said = "cannot read source partition " + request.sourceFolder() + ": " + FileReasons.describe(failure);
        if (StorageOutage.in(failure)) {
            return new UncheckedIOException(said, failure);
        }
        return new UserException(said + (failure instanceof RefusedSourceFileException ? "" : "; check --source and your access to it"), failure);
    }
}
