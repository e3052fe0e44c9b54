package org.eventetl.lease;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

import org.eventetl.model.Json;

import static java.util.Objects.requireNonNull;

/**
 * Who holds a partition and until when: the content of a lock file. The process id lets
 * {@code repair} tell a holder that is gone (same host, no such process) from one that is busy.
 */
public record Lease(String partition, String owner, String host, long pid, Instant acquiredAt, Instant expiresAt)
{
    public Lease
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(host, "host is null");
        requireNonNull(acquiredAt, "acquiredAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }

    /** This machine's name, as leases and history record it; looked up once (it may ask DNS). */
    public static String thisHost()
    {
        return ThisHost.NAME;
    }

    /** What a lock file read from storage holds: its lease, or none when there was no file. */
    static Optional<Lease> parse(Optional<byte[]> lockFile)
            throws IOException
    {
        return lockFile.isEmpty() ? Optional.empty() : Optional.of(Json.MAPPER.readValue(lockFile.get(), Lease.class));
    }

    public boolean expired(Instant now)
    {
        return !now.isBefore(expiresAt);
    }

    public Lease renewedUntil(Instant newExpiry)
    {
        return new Lease(partition, owner, host, pid, acquiredAt, newExpiry);
    }

    public String describe()
    {
        return "run " + owner + " on " + host + " (pid " + pid + "), until " + expiresAt;
    }

    private static final class ThisHost
    {
        static final String NAME = lookUp();

        private static String lookUp()
        {
            try {
                return InetAddress.getLocalHost().getHostName();
            }
            catch (IOException e) {
                return "unknown";
            }
        }
    }
}
