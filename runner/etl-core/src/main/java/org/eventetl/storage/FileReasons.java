package org.eventetl.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * What went wrong with a local path, in words: Java's own messages of these exceptions are the
 * path alone ({@link AccessDeniedException} says neither "denied" nor why), which printed after a
 * path reads as the path twice.
 */
public final class FileReasons
{
    /** The reason Linux gives for ENOTDIR, which Java passes on as a plain {@link FileSystemException}. */
    private static final String NOT_A_FOLDER = "Not a directory";

    private FileReasons() {}

    /**
     * A failure's message with its file-system cause said in words: the runner's own wording
     * ("cannot renew the lease L: " + the cause's message) keeps its context.
     */
    public static String describe(Exception failure)
    {
        if (failure instanceof UncheckedIOException unchecked) {
            return withCause(unchecked, FileReasons::describe);
        }
        if (failure instanceof IOException io) {
            return describe(io);
        }
        return message(failure);
    }

    /** The runner's wording around an I/O failure, its cause said by {@code cause}. */
    public static String withCause(UncheckedIOException failure, Function<IOException, String> cause)
    {
        String message = String.valueOf(failure.getMessage());
        String causeMessage = String.valueOf(failure.getCause().getMessage());
        String context = message.endsWith(": " + causeMessage) ? message.substring(0, message.length() - causeMessage.length() - 2) : "";
        String said = cause.apply(failure.getCause());
        int colon = said.indexOf(": ");
        if (!context.isEmpty() && colon > 0 && context.endsWith(" " + said.substring(0, colon))) {
            // the cause starts with the file that the wording ends with ("cannot take the lease
            // <lock>" and "<lock>: S3 said …"): named once
            return context + said.substring(colon);
        }
        return (context.isEmpty() ? "" : context + ": ") + said;
    }

    /** One line: the path and the reason, e.g. {@code permission denied: /data/src/olx}. */
    public static String describe(IOException failure)
    {
        if (failure instanceof AccessDeniedException denied) {
            return "permission denied: " + denied.getFile();
        }
        if (failure instanceof NoSuchFileException missing) {
            return missing.getFile() + " does not exist";
        }
        if (failure instanceof NotDirectoryException notFolder) {
            return notFolder.getFile() + " is not a folder";
        }
        Optional<Path> inTheWay = fileInTheWay(failure);
        if (inTheWay.isPresent()) {
            return notAFolder(inTheWay.get()) + " (on the way to " + ((FileSystemException) failure).getFile() + ")";
        }
        if (failure instanceof FileSystemException system && system.getReason() != null) {
            return system.getFile() + ": " + system.getReason();
        }
        return message(failure);
    }

    /**
     * The part of {@code path} that is not a folder though something lies under it (a file, or a
     * link to one, made where a folder of the output must be), if any: the nearest of {@code path}
     * and its parents that exists, when it is no folder and not {@code path} itself.
     */
    public static Optional<Path> fileInTheWay(Path path)
    {
        Path absolute = path.toAbsolutePath();
        for (Path part = absolute.getParent(); part != null; part = part.getParent()) {
            if (Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
                return Files.isDirectory(part) ? Optional.empty() : Optional.of(part);
            }
        }
        return Optional.empty();
    }

    /**
     * The part of the path a failure names that is a file, where the failure is ENOTDIR: it names
     * the path asked for, not the part of it that is a file.
     */
    public static Optional<Path> fileInTheWay(IOException failure)
    {
        if (failure instanceof FileSystemException system && system.getFile() != null && NOT_A_FOLDER.equals(system.getReason())) {
            return fileInTheWay(Path.of(system.getFile()));
        }
        return Optional.empty();
    }

    /**
     * What stands where a folder that a run replaces whole must be (a dataset's or a report's
     * folder of a partition): the folder itself when it is a file or a link (made by hand: a publish
     * would remove it, where it may delete only what a run made), else a parent that is no folder
     * ({@link #fileInTheWay(Path)}). A parent that is a link to a folder is a user's choice of disk
     * and stands.
     */
    public static Optional<Path> inTheWayOfFolder(Location folder)
    {
        if (folder.isS3()) {
            return Optional.empty();
        }
        Path path = folder.toPath().toAbsolutePath();
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of(path);
        }
        return fileInTheWay(path);
    }

    /** What {@link #fileInTheWay} found, in words: "/out/events is a file, not a folder". */
    public static String notAFolder(Path inTheWay)
    {
        return inTheWay + (Files.isSymbolicLink(inTheWay) ? " is a link to " + linkTarget(inTheWay) + ", not a folder" : " is a file, not a folder");
    }

    /** Where a symbolic link points, as it says it; for a link that cannot be read, that it cannot. */
    public static String linkTarget(Path link)
    {
        try {
            return Files.readSymbolicLink(link).toString();
        }
        catch (IOException e) {
            return "a target that cannot be read";
        }
    }

    /** A failure's own message, or its kind when it has none. */
    public static String message(Throwable failure)
    {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message.strip();
    }
}
