package org.eventetl.lease;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.eventetl.model.Json;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.Location;

import static java.util.Objects.requireNonNull;

/**
 * Who holds a partition and until when: the content of a lock file. The process id lets
 * {@code repair} tell a holder that is gone (same host, no such process) from one that is busy; its
 * start time tells a process that reused the pid (a restarted container's small pids) from the
 * holder, and the pid namespace a holder whose pids this process cannot see (another container
 * under the same host name) from one that is gone. Both are null in a lease written before they
 * were kept, or where the platform does not tell them.
 */
public record Lease(String partition, String owner, String host, long pid, Instant acquiredAt, Instant expiresAt, Instant processStart, String pidNamespace)
{
    public Lease
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(host, "host is null");
        requireNonNull(acquiredAt, "acquiredAt is null");
        requireNonNull(expiresAt, "expiresAt is null");
    }

    /** A lease that says nothing of its process beyond the pid (as written before start time and namespace were kept). */
    public Lease(String partition, String owner, String host, long pid, Instant acquiredAt, Instant expiresAt)
    {
        this(partition, owner, host, pid, acquiredAt, expiresAt, null, null);
    }

    /** A lease held by this process, from now until {@code expiresAt}. */
    static Lease ofThisProcess(String partition, String owner, Instant now, Instant expiresAt)
    {
        ProcessHandle self = ProcessHandle.current();
        return new Lease(partition, owner, thisHost(), self.pid(), now, expiresAt, self.info().startInstant().orElse(null), ThisHost.PID_NAMESPACE);
    }

    /** This process's pid namespace (Linux: the target of /proc/self/ns/pid), or null where there is none to read. */
    static String thisPidNamespace()
    {
        return ThisHost.PID_NAMESPACE;
    }

    /** This machine's name, as leases and history record it; looked up once (it may ask DNS). */
    public static String thisHost()
    {
        return ThisHost.NAME;
    }

    /**
     * What a lock file read from storage holds: its lease, or none when there was no file. One that
     * is not a lease (cut short, edited by hand) is damaged, and named as such, as a history record is.
     */
    static Optional<Lease> parse(Location lock, Optional<byte[]> lockFile)
            throws IOException
    {
        if (lockFile.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(lockFile.get(), Lease.class));
        }
        catch (JsonProcessingException e) {
            throw new DamagedFileException(lock, e);
        }
    }

    public boolean expired(Instant now)
    {
        return !now.isBefore(expiresAt);
    }

    public Lease renewedUntil(Instant newExpiry)
    {
        return new Lease(partition, owner, host, pid, acquiredAt, newExpiry, processStart, pidNamespace);
    }

    public String describe()
    {
        return "run " + owner + " on " + host + " (pid " + pid + "), until " + expiresAt;
    }

    private static final class ThisHost
    {
        static final String NAME = lookUp();
        static final String PID_NAMESPACE = pidNamespace();

        private static String pidNamespace()
        {
            try {
                return Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
            }
            catch (IOException | UnsupportedOperationException | SecurityException e) {
                return null;
            }
        }

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
