package org.eventetl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.model.UserException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestFileProblems
{
    @TempDir
    Path work;

    /**
     * A file where the runner keeps a folder is advised the same however deep the file system's
     * failure sits among the causes: moved away, as {@link Failure} advises it for a command.
     */
    @Test
    void aFileInTheWayIsAdvisedAtAnyDepthOfTheCauses()
            throws IOException
    {
        Path file = Files.writeString(work.resolve("locks"), "a file made by hand");
        FileSystemException notAFolder = new FileSystemException(file.resolve("day.json").toString(), null, "Not a directory");

        assertThatThrownBy(() -> FileProblems.reading("the leases", () -> {
            throw new UncheckedIOException("cannot read the leases", notAFolder);
        }))
                .isInstanceOf(UserException.class)
                .hasMessage("cannot read the leases: " + file + " is a file, not a folder (on the way to " + file.resolve("day.json") + "); move that file away, then rerun");
        assertThatThrownBy(() -> FileProblems.reading("the leases", () -> {
            throw new UncheckedIOException("cannot read the leases", new IOException("cannot list the locks", notAFolder));
        }))
                .isInstanceOf(UserException.class)
                .hasMessageEndingWith("; move that file away, then rerun");
    }
}
