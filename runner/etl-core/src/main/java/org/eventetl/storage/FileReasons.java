package org.eventetl.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * What went wrong with a local path, in words: Java's own messages of these exceptions are the
 * path alone ({@link AccessDeniedException} says neither "denied" nor why), which printed after a
 * path reads as the path twice.
 */
public final class FileReasons
{
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
        return (context.isEmpty() ? "" : context + ": ") + cause.apply(failure.getCause());
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
        if (failure instanceof FileSystemException system && system.getReason() != null) {
            return system.getFile() + ": " + system.getReason();
        }
        return message(failure);
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
