package org.eventetl.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

/**
 * Clears a lock whose holder is gone, so that a create-only write can take its name, for one
 * taker of that lock only. Takers that read the same expired lock at once would otherwise each
 * delete it, and a late delete removes the lock a faster taker has just written, leaving two
 * holders. Here the right to delete is taken first, with a create-only write of a marker named
 * for the expired lock's bytes (unique: a lock holds its run id and expiry): one taker creates it
 * and deletes the lock; the others learn that the lock is being taken and read it again. The
 * markers stay beside the lock, a few bytes each, so that a taker that read the expired lock long
 * ago still finds its marker taken.
 */
final class ExpiredLock
{
    private ExpiredLock() {}

    /**
     * @param expired the lock's bytes as the caller read them and judged its holder gone
     * @param taker the run that takes the lock over (written into the marker)
     * @return true when this taker deleted the lock; false when another taker has that right
     */
    static boolean clear(Storage storage, Location lock, byte[] expired, String taker)
            throws IOException
    {
        byte[] claim = (taker + " took over this lock at " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
        if (!storage.writeIfAbsent(marker(lock, expired), claim)) {
            return false;
        }
        storage.delete(lock);
        return true;
    }

    static Location marker(Location lock, byte[] expired)
    {
        return new Location(lock.uri() + ".taken-" + HexFormat.of().formatHex(sha256(expired), 0, 12));
    }

    private static byte[] sha256(byte[] bytes)
    {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
