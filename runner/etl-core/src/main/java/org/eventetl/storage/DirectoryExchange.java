package org.eventetl.storage;

import java.io.IOException;
import java.nio.file.Path;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Swaps two folders in one atomic rename, so that a reader of either path sees one folder or the
 * other, never a missing one: Linux's {@code renameat2(RENAME_EXCHANGE)} (ext4, xfs, btrfs, tmpfs
 * and others) and macOS's {@code renamex_np(RENAME_SWAP)}. Java's own file API has no such call,
 * so it is reached through JNA; where the system or the file system lacks it, the caller falls
 * back to two renames and says so.
 */
final class DirectoryExchange
{
    private static final int AT_FDCWD = -100;
    private static final int RENAME_EXCHANGE = 2;
    private static final int RENAME_SWAP = 2;
    private static final LinuxC LINUX = Platform.isLinux() ? load(LinuxC.class) : null;
    private static final MacC MAC = Platform.isMac() ? load(MacC.class) : null;

    private DirectoryExchange() {}

    /**
     * Exchanges {@code first} and {@code second}, both existing; returns false, having changed
     * nothing, when this system or file system cannot exchange atomically.
     */
    static boolean exchange(Path first, Path second)
            throws IOException
    {
        try {
            if (LINUX != null) {
                LINUX.renameat2(AT_FDCWD, first.toString(), AT_FDCWD, second.toString(), RENAME_EXCHANGE);
                return true;
            }
            if (MAC != null) {
                MAC.renamex_np(first.toString(), second.toString(), RENAME_SWAP);
                return true;
            }
            return false;
        }
        catch (LastErrorException e) {
            // ENOSYS: a kernel without renameat2; EINVAL: a file system without exchange; ENOTSUP on macOS
            if (e.getErrorCode() == 38 || e.getErrorCode() == 22 || e.getErrorCode() == 45 || e.getErrorCode() == 95) {
                return false;
            }
            throw new IOException("cannot exchange " + first + " and " + second + ": " + e.getMessage(), e);
        }
        catch (UnsatisfiedLinkError e) {
            // a C library without the call (glibc before 2.28)
            return false;
        }
    }

    private static <T extends Library> T load(Class<T> type)
    {
        try {
            return Native.load(Platform.C_LIBRARY_NAME, type);
        }
        catch (UnsatisfiedLinkError e) {
            return null;
        }
    }

    private interface LinuxC
            extends Library
    {
        int renameat2(int oldDirectory, String oldPath, int newDirectory, String newPath, int flags)
                throws LastErrorException;
    }

    private interface MacC
            extends Library
    {
        int renamex_np(String from, String to, int flags)
                throws LastErrorException;
    }
}
