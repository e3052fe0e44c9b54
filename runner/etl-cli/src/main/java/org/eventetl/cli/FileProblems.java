package org.eventetl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;

import org.eventetl.model.Causes;
import org.eventetl.model.UserException;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.FileReasons;
import org.eventetl.storage.Location;
import org.eventetl.storage.StorageOutage;

/**
 * File-system failures in the user's terms: which path, and what is wrong with it. Java's own
 * messages name the path only ({@link AccessDeniedException} says neither "denied" nor why), so
 * printed as they are they read as "etl: unexpected AccessDeniedException: /some/file".
 */
final class FileProblems
{
    /** A read or check that runs before anything is written. */
    interface Read<T>
    {
        T get()
                throws IOException;
    }

    private FileProblems() {}

    /** One line: the path and the reason, e.g. {@code permission denied: /out/_etl/history/…/x.json}. */
    static String describe(Throwable failure)
    {
        if (failure instanceof UncheckedIOException unchecked) {
            // the runner's own wording ("cannot take the lease L: " + the cause's message), with the cause said better
            return FileReasons.withCause(unchecked, FileProblems::describe);
        }
        if (failure instanceof JsonProcessingException json) {
            // Jackson names neither the file nor, for bytes, the source: say what it found and where in the file
            JsonLocation location = json.getLocation();
            return "a file is not valid JSON (" + json.getOriginalMessage().lines().findFirst().orElse("")
                    + (location == null ? "" : ", line " + location.getLineNr() + ", column " + location.getColumnNr()) + ")";
        }
        if (failure instanceof IOException io) {
            return FileReasons.describe(io);
        }
        return FileReasons.message(failure);
    }

    /**
     * Runs a read that happens before anything is written, so that a failure (a file this user may
     * not read, say) is a refusal with its reason rather than a stack trace.
     */
    static <T> T reading(String what, Read<T> read)
    {
        try {
            return read.get();
        }
        catch (IOException | UncheckedIOException e) {
            Optional<DamagedFileException> damaged = DamagedFileException.in(e);
            if (damaged.isPresent()) {
                // it names the file: "cannot read the history of …" would send the user to the wrong folder
                // when the damaged file is the publication pointer that the same command read; the
                // runner's own wording is kept, which says why it read the file (a recent day's
                // pointer, read for the audits that compare the day with it)
                String said = damaged.get().getMessage();
                if (e instanceof UncheckedIOException runner && runner.getMessage() != null && runner.getMessage().endsWith(": " + said)) {
                    said = runner.getMessage();
                }
                throw new UserException(said + "; " + DamagedFileException.ADVICE, e);
            }
            Throwable cause = e instanceof UncheckedIOException unchecked ? unchecked.getCause() : e;
            if (StorageOutage.in(e)) {
                // not the user's to fix: a failure (exit 1), which a scheduler retries; one that says what it read stays as it is
                if (e instanceof UncheckedIOException said) {
                    throw said;
                }
                IOException io = cause instanceof IOException known ? known : new IOException(cause.getMessage(), cause);
                throw new UncheckedIOException("cannot read " + what + ": " + io.getMessage(), io);
            }
            String advice = "check that it is there and readable, then rerun";
            if (cause instanceof AccessDeniedException) {
                advice = "run as a user who may read it, or ask its owner to make it readable";
            }
            else if (cause instanceof JsonProcessingException) {
                advice = DamagedFileException.ADVICE;
            }
            else if (Causes.find(e, IOException.class, io -> FileReasons.fileInTheWay(io).isPresent()).isPresent()) {
                // anywhere down the causes, as Failure looks for it: a layer that wraps the
                // file system's failure once more must not change the advice
                advice = "move that file away, then rerun";
            }
            throw new UserException("cannot read " + what + ": " + describe(e) + "; " + advice, e);
        }
    }

    /**
     * Refuses a local folder that a command would write under when it cannot be one: a file is in
     * the way, or the nearest folder that exists may not be written (not ours, or a read-only file
     * system). Checked before a lease is taken or a file deleted, so the run is refused cleanly.
     * Object stores are not checked here: their permissions show on the first request.
     */
    static void requireWritableFolder(String flag, Location folder)
    {
        Optional<Path> existing = nearestFolder(flag, folder);
        if (existing.isPresent() && !Files.isWritable(existing.get())) {
            Path path = folder.toPath();
            throw new UserException(flag + " " + path + ": " + existing.get() + (readOnly(existing.get()) ? " is on a read-only file system" : " may not be written by this user")
                    + "; give a folder you may write to");
        }
    }

    /**
     * Refuses an output root that a load, backfill or repair could not use: one that is no folder this
     * user may write to, or whose path is a pattern. The SQL reads what a run staged, and show and
     * report what it published, by the output's path followed by *.parquet: a path that is itself a
     * pattern would stage and then find nothing. (A source root may hold such characters: the
     * runner names its files escaped.)
     */
    static void requireOutputRoot(Location output)
    {
        requireOutputPath(output);
        requireOutsideOtherOutputs(output);
        requireWritableFolder("--output", output);
    }

    /**
     * Refuses a local output root inside another one (a folder above it holds an {@code _etl}
     * folder): its datasets and {@code _etl} would land among the other output's (a load into
     * {@code out/dau} wrote {@code out/dau/events/…}), where a reader of that dataset reads every
     * Parquet file below it, and the other output's status said nothing of them.
     */
    static void requireOutsideOtherOutputs(Location output)
    {
        if (output.isS3()) {
            return;
        }
        Path root = output.toPath().toAbsolutePath().normalize();
        for (Path folder = root.getParent(); folder != null; folder = folder.getParent()) {
            if (Files.isDirectory(folder.resolve("_etl"))) {
                throw new UserException("--output " + output + " lies inside " + folder + ", the output of other loads (it holds their _etl folder):"
                        + " this one's datasets would mix with that output's files; give a folder outside it");
            }
        }
    }

    /**
     * Refuses an output root whose path no load can write to (see {@link #requireOutputRoot}): status
     * and show refuse it too, rather than answer for an output that no run can have published to.
     */
    static void requireOutputPath(Location output)
    {
        if (output.uri().matches(".*[*?\\[].*")) {
            throw new UserException("--output " + output + " holds '*', '?' or '[', which DuckDB's readers take as a pattern;"
                    + " give a folder whose path has none of them");
        }
        if (!output.isS3() && output.uri().indexOf('\\') >= 0) {
            // the staged files are read back as <output>/…/*.parquet, a pattern, in which DuckDB
            // takes a backslash for a folder separator: a load ran its steps, then found nothing
            throw new UserException("--output " + output + " holds a backslash, which DuckDB's readers take for a folder separator in the patterns"
                    + " they read the staged files by; give a folder whose path has none");
        }
    }

    /**
     * Makes a load's local output root when it is missing, so that a path no folder can be made at
     * ({@code /proc/x}, a file system that refuses new folders though it looks writable) is a refusal
     * that names the flag, not a failed lease under the output's {@code _etl} folder. Called once the
     * command is known to run (a load's source found and its steps rendered; a backfill's arguments
     * checked, before its first day); the root is the command's own to make.
     */
    static void makeOutputRoot(Location output)
    {
        if (output.isS3()) {
            return;
        }
        makeFolder("--output", output.toPath());
    }

    /** Makes the folder a flag names when it is missing; one that cannot be made there is the user's to change, as {@link #makeOutputRoot} says. */
    static void makeFolder(String flag, Path path)
    {
        try {
            Files.createDirectories(path);
        }
        catch (IOException e) {
            throw new UserException(flag + " " + path + ": no folder can be made there (" + describe(e) + "); give a folder you may write to", e);
        }
    }

    /**
     * The nearest local folder that exists at or above {@code folder} (none on S3, or when nothing
     * exists), refusing a file in the way: a command that only reads the folder says so in one line
     * rather than failing on the first path below the file.
     */
    static Optional<Path> nearestFolder(String flag, Location folder)
    {
        if (folder.isS3()) {
            return Optional.empty();
        }
        Path path = folder.toPath();
        Path existing = path;
        while (existing != null && !Files.exists(existing)) {
            if (Files.isSymbolicLink(existing)) {
                // a link whose target is gone: no folder can be made through it
                throw new UserException(flag + " " + path + ": " + existing + " is a link to " + FileReasons.linkTarget(existing) + ", which does not exist;"
                        + " give a folder, or make the link's target");
            }
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new UserException(flag + " " + path + ": " + (existing.equals(path) ? "it" : existing) + " is a file, not a folder; give a folder");
        }
        return Optional.ofNullable(existing);
    }

    /** The local folder, when it does not exist (nothing was ever written there); empty for one that exists, or on S3. */
    static Optional<Path> missingFolder(Location folder)
    {
        return folder.isS3() || Files.exists(folder.toPath()) ? Optional.empty() : Optional.of(folder.toPath());
    }

    /** A local folder that exists and holds no {@code _etl} folder: no load ever ran there (a mistyped --output, more often than not). */
    static Optional<Path> folderNoLoadRanIn(Location folder)
    {
        if (folder.isS3() || !Files.isDirectory(folder.toPath())) {
            return Optional.empty();
        }
        return Files.exists(folder.toPath().resolve("_etl")) ? Optional.empty() : Optional.of(folder.toPath());
    }

    /** Refuses a local path that exists and is a file where a folder is meant (nothing is said of a missing one). */
    static void requireFolderIfPresent(String flag, Location folder)
    {
        if (!folder.isS3() && Files.exists(folder.toPath()) && !Files.isDirectory(folder.toPath())) {
            throw new UserException(flag + " " + folder.toPath() + " is a file, not a folder; give the folder that holds brand/tracker/channel/yyyy/mm/dd/");
        }
    }

    private static boolean readOnly(Path path)
    {
        try {
            FileStore store = Files.getFileStore(path);
            if (store.isReadOnly()) {
                return true;
            }
        }
        catch (IOException e) {
            return false;
        }
        // a read-only bind mount shares its device with a writable mount, whose options the JDK may
        // read instead: only a write tells (called where access(2) refused one, so it makes no file)
        try {
            Files.delete(Files.createTempFile(path, ".etl-write-probe", ""));
            return false;
        }
        catch (FileSystemException e) {
            return "Read-only file system".equals(e.getReason());
        }
        catch (IOException e) {
            return false;
        }
    }
}
