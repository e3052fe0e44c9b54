package org.eventetl.storage;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * What went wrong with a local path, in words: Java's own messages of these exceptions are the
 * path alone ({@link AccessDeniedException} says neither "denied" nor why), which printed after a
 * path reads as the path twice.
 */
public final class FileReasons
{
    private FileReasons() {}

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
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message.strip();
    }
}
