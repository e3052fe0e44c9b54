package org.eventetl.storage;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Removing a temporary folder of the runner's own (staging, copies of remote files), and nothing
 * else; writing a file there so that a failure names it.
 */
public final class LocalFolders
{
    private LocalFolders() {}

    /** Deletes the folder and everything under it; a folder that does not exist is fine. */
    public static void deleteTree(Path folder)
            throws IOException
    {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /**
     * Whether the disk of {@code folder} tells names that differ only in case apart (Linux's do;
     * macOS's and Windows' do not, by default): a file is made there and looked for in upper case.
     */
    public static boolean tellsCaseApart(Path folder)
            throws IOException
    {
        Files.createDirectories(folder);
        Path probe = Files.createTempFile(folder, "etl-case-probe-", ".tmp");
        try {
            return !Files.exists(probe.resolveSibling(probe.getFileName().toString().toUpperCase(Locale.ROOT)));
        }
        finally {
            Files.deleteIfExists(probe);
        }
    }

    /**
     * Writes the file, new or replaced. A write that fails on its content (a full disk) throws an
     * exception that names no file ("No space left on device"); this one names it, so that the user
     * knows which disk is full (the output's, or the temporary folder of a copy).
     */
    public static void write(Path file, byte[] content, OpenOption... options)
            throws IOException
    {
        try {
            Files.write(file, content, options);
        }
        catch (FileSystemException e) {
            throw e;
        }
        catch (IOException e) {
            FileSystemException named = new FileSystemException(file.toString(), null, e.getMessage());
            named.initCause(e);
            throw named;
        }
    }
}
