package org.eventetl.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing a temporary folder of the runner's own (staging, copies of remote files), and nothing else. */
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
}
