package org.eventetl.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

/**
 * Clears a lock whose holder is gone, so that a create-only write can take its name, for one
 * taker of that lock only. Takers that read the same expired lock at once would otherwise each
 * delete it, and a late delete removes the lock a faster taker has just written, leaving two
 * holders. Here the right to delete is taken first, with a create-only write of a claim named for
 * the expired lock's bytes (unique: a lock holds its run id and expiry): one taker creates it and
 * deletes the lock, if a last read shows the lock still holding those bytes (a check just before
 * the delete); the others learn that the lock is being taken and read it again. Not a delete
 * conditional on the lock's ETag: AWS S3 has one since September 2025, but S3Proxy 3.2.0, the S3
 * API the tests and the try-out stack run on, ignores the condition (4.0.0 refuses it), and a
 * store that ignores it would delete a newer lock without a word.
 * <p>
 * Claims are never deleted, so that a taker that read the expired lock a while ago still finds its
 * claim taken. A claim whose taker died before its delete would keep the lock forever, so once it
 * is older than {@link #ABANDONED_AFTER} by its own time, the right passes on to whoever claims
 * that claim, in the same create-only way: a chain, one winner per link.
 */
final class ExpiredLock
{
    /**
     * Far beyond the moment between a claim and its delete (two small calls, with the SDK's retries),
     * and beyond any skew between the clocks of two hosts; a taker stalled longer than this between
     * its claim and its delete is the one case left, as a run stalled at its fence is.
     */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(5);
    /** Claims on claims followed at most: each link means a taker died in its moment. */
    private static final int LONGEST_CHAIN = 8;

    private ExpiredLock() {}

    /**
     * @param expired the lock's bytes as the caller read them and judged its holder gone
     * @param taker the run that takes the lock over (written into the claim)
     * @return true when the lock is free for this taker's create-only write; false when another
     *         taker has the right to clear it, or the lock changed since it was read (read it again)
     */
    static boolean clear(Storage storage, Location lock, byte[] expired, String taker, Clock clock)
            throws IOException
    {
        byte[] mine = claimBy(taker, clock.instant());
        Location claimed = lock;
        byte[] judged = expired;
        for (int link = 0; link < LONGEST_CHAIN; link++) {
            Location claim = claim(claimed, judged);
            if (storage.writeIfAbsent(claim, mine)) {
                return deleteIfUnchanged(storage, lock, expired);
            }
            Optional<byte[]> existing = storage.read(claim);
            if (existing.isEmpty() || !abandoned(existing.get(), clock)) {
                return false;
            }
            // its taker died between claim and delete: the right passes to who claims its claim
            claimed = claim;
            judged = existing.get();
        }
        return false;
    }

    private static boolean deleteIfUnchanged(Storage storage, Location lock, byte[] expired)
            throws IOException
    {
        Optional<byte[]> now = storage.read(lock);
        if (now.isPresent() && !Arrays.equals(now.get(), expired)) {
            // renewed by a holder that was only slow, or replaced: not ours to delete
            return false;
        }
        storage.delete(lock);
        return true;
    }

    static Location claim(Location lock, byte[] expired)
    {
        return new Location(lock.uri() + ".taken-" + HexFormat.of().formatHex(sha256(expired), 0, 12));
    }

    /** What a claim holds: its taker and the time it claimed, which {@link #abandoned} reads back. */
    static byte[] claimBy(String taker, Instant at)
    {
        return (taker + "\n" + at + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A claim older than {@link #ABANDONED_AFTER}, or one that says no time (cut off). */
    private static boolean abandoned(byte[] claim, Clock clock)
    {
        String[] lines = new String(claim, StandardCharsets.UTF_8).split("\n");
        try {
            return lines.length < 2 || Instant.parse(lines[1]).plus(ABANDONED_AFTER).isBefore(clock.instant());
        }
        catch (DateTimeParseException e) {
            return true;
        }
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
