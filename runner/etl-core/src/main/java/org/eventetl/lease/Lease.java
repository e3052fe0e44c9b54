package org.eventetl.lease;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.eventetl.model.Json;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.Location;

import static java.util.Objects.requireNonNull;

/**
 * Who holds a partition and until when: the content of a lock file. The process id lets
 * {@code repair} tell a holder that is gone (same host, no such process) from one that is busy; its
 * start ({@code processStart}: the boot's id and the start time in clock ticks since boot, as Linux's
 * /proc gives them, so that no change of the wall clock moves it) tells a process that reused the
 * pid (a restarted container's small pids) from the holder, and the pid namespace a holder whose
 * pids this process cannot see (another container under the same host name) from one that is
 * gone. Both are null in a lease written before they were kept, or where there is no /proc.
 */
public record Lease(String partition, String owner, String host, long pid, Instant acquiredAt, Instant expiresAt, String processStart, String pidNamespace,
        Purpose purpose)
{
    /** What the holder does with the partition: said to whoever finds it held (null in a lease written before it was kept: a load's). */
    public enum Purpose
    {
        LOAD,
        REPAIR,
        /** Not a partition's lease: the claim of a report on its own staging area (no report holds a partition). */
        REPORT,
    }

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
        this(partition, owner, host, pid, acquiredAt, expiresAt, null, null, null);
    }

    /** A load's lease held by this process, from now until {@code expiresAt}. */
    static Lease ofThisProcess(String partition, String owner, Instant now, Instant expiresAt)
    {
        return ofThisProcess(partition, owner, Purpose.LOAD, now, expiresAt);
    }

    /** A lease held by this process for {@code purpose}, from now until {@code expiresAt}. */
    public static Lease ofThisProcess(String partition, String owner, Purpose purpose, Instant now, Instant expiresAt)
    {
        long pid = ProcessHandle.current().pid();
        return new Lease(partition, owner, thisHost(), pid, now, expiresAt, processStart(pid).orElse(null), ThisHost.PID_NAMESPACE, purpose);
    }

    /** Whether the holder is etl repair, which finishes and tidies what earlier runs left, rather than a load. */
    public boolean repairs()
    {
        return purpose == Purpose.REPAIR;
    }

    /**
     * When a process of this machine started, as {@code <boot id>:<start ticks>}: field 22 of
     * /proc/&lt;pid&gt;/stat, after the command in parentheses (which may hold spaces and parentheses).
     * Empty where there is no such process or no /proc.
     */
    static Optional<String> processStart(long pid)
    {
        if (ThisHost.BOOT_ID == null) {
            return Optional.empty();
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields[0] is field 3 (the state), so field 22 (starttime) is fields[19]
            return fields.length > 19 ? Optional.of(ThisHost.BOOT_ID + ":" + fields[19]) : Optional.empty();
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
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
            return Optional.of(Json.read(lockFile.get(), Lease.class));
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
        return new Lease(partition, owner, host, pid, acquiredAt, newExpiry, processStart, pidNamespace, purpose);
    }

    public String describe()
    {
        String holder = switch (purpose == null ? Purpose.LOAD : purpose) {
            case LOAD -> "run ";
            case REPAIR -> "etl repair ";
            case REPORT -> "etl report ";
        };
        return holder + owner + " on " + host + " (pid " + pid + "), until " + expiresAt.truncatedTo(ChronoUnit.SECONDS);
    }

    private static final class ThisHost
    {
        static final String NAME = lookUp();
        static final String PID_NAMESPACE = pidNamespace();
        static final String BOOT_ID = bootId();

        private static String bootId()
        {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
            }
            catch (IOException | SecurityException e) {
                return null;
            }
        }

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
