package org.eventetl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Assumptions;

import static java.util.Objects.requireNonNull;

/**
 * A folder this user may not write until closed: root writes through any mode, so as root the
 * folder is made immutable ({@code chattr +i}, which binds root too, on file systems that have the
 * flag); as any other user its mode loses the write bits. A test where neither holds is skipped.
 */
public final class Unwritable
        implements AutoCloseable
{
    private final Path folder;
    private final boolean immutable;
    private final Set<PosixFilePermission> mode;

    private Unwritable(Path folder, boolean immutable, Set<PosixFilePermission> mode)
    {
        this.folder = requireNonNull(folder, "folder is null");
        this.immutable = immutable;
        this.mode = Set.copyOf(mode);
    }

    public static Unwritable of(Path folder)
    {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(folder);
            if ("root".equals(System.getProperty("user.name"))) {
                Assumptions.assumeTrue(chattr("+i", folder) == 0, "chattr +i works on " + folder);
                return new Unwritable(folder, true, mode);
            }
            Files.setPosixFilePermissions(folder, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE));
            return new Unwritable(folder, false, mode);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close()
    {
        try {
            if (immutable && chattr("-i", folder) != 0) {
                throw new IllegalStateException("chattr -i " + folder + " failed: the test folder cannot be removed");
            }
            Files.setPosixFilePermissions(folder, mode);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int chattr(String flag, Path folder)
            throws IOException
    {
        try {
            return new ProcessBuilder(List.of("chattr", flag, folder.toString())).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running chattr", e);
        }
    }
}
