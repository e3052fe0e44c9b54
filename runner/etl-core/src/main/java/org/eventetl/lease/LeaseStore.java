package org.eventetl.lease;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.Storage;

/**
 * One writer per partition: a run takes the partition's lease before it clears or writes anything,
 * renews it while it runs and gives it back at the end. A lease that is not renewed expires and
 * may be taken over, so a crashed run never blocks a partition for good.
 */
public interface LeaseStore
{
    /** Takes the partition for a load for {@code duration}, or throws {@link LeaseRefusedException} naming the live holder. */
    default Lease acquire(Partition partition, String owner, Duration duration)
    {
        return acquire(partition, owner, Lease.Purpose.LOAD, duration);
    }

    /** Takes the partition for {@code purpose} for {@code duration}, or throws {@link LeaseRefusedException} naming the live holder. */
    Lease acquire(Partition partition, String owner, Lease.Purpose purpose, Duration duration);

    /** Extends the lease; fails when another run has taken it over meanwhile (this run must then stop). */
    Lease renew(Lease lease, Duration duration);

    /** Gives the partition back, if this run still holds it. */
    void release(Lease lease);

    /**
     * The fence before a run publishes or deletes: proves from what is stored that {@code lease}
     * still holds its partition, or throws {@link LeaseLostException} naming who holds it now;
     * a lease that cannot be read fails as the storage does ({@link UncheckedIOException}).
     */
    default void verify(Lease lease)
    {
        Optional<Lease> holder;
        try {
            holder = holder(Partition.parse(lease.partition()));
        }
        catch (IOException e) {
            // not a lease lost: nobody is known to hold the day but this run, which must stop all
            // the same, and say the storage's failure as any other (a publish it cut short is
            // finished by a rerun or repair, not by a run that took the day over)
            throw new UncheckedIOException("cannot read the lease on " + lease.partition() + " to prove this run still holds it: " + e.getMessage(), e);
        }
        if (holder.isEmpty()) {
            throw new LeaseLostException("lease lost: the lease on " + lease.partition() + " was removed while run " + lease.owner()
                    + " ran; it publishes nothing (rerun it)");
        }
        if (!holder.get().owner().equals(lease.owner())) {
            throw new LeaseLostException("lease lost to " + holder.get().describe() + ": run " + lease.owner()
                    + " stalled past its lease and publishes nothing; the holder's data is untouched");
        }
    }

    Optional<Lease> holder(Partition partition)
            throws IOException;

    /**
     * Why no run can change the partition's lease now, where one change has been under way for long
     * (a process stopped in the middle of it holds it): every load, backfill and repair of the day
     * waits for it, then refuses, while the day's data may look current. Empty where none is, or
     * where the store has no such change to be stopped in.
     */
    default Optional<String> changeStalled(Partition partition)
            throws IOException
    {
        return Optional.empty();
    }

    /** Removes a lease whose holder is gone (expired, or a dead process of this host); a live holder's is refused. */
    Optional<Lease> removeIfGone(Partition partition)
            throws IOException;

    /**
     * The run that holds the partition's lease now, if a live one does (not expired, not a dead
     * process of this host): a reader that finds a publish begun and not finished tells one under
     * way from one cut short by it. Empty too where {@code storage} cannot say whose lease it is
     * (an S3 output read through a storage other than {@link RoutingStorage}).
     */
    static Optional<String> liveHolder(Storage storage, Location output, Partition partition)
            throws IOException
    {
        Clock clock = Clock.systemUTC();
        LeaseStore leases;
        if (storage instanceof RoutingStorage routing) {
            leases = forOutput(output, routing, clock);
        }
        else if (!output.isS3()) {
            leases = new LocalLeaseStore(output, clock);
        }
        else {
            return Optional.empty();
        }
        return leases.holder(partition).filter(lease -> !gone(lease, clock)).map(Lease::owner);
    }

    static LeaseStore forOutput(Location output, RoutingStorage storage, Clock clock)
    {
        if (output.isS3()) {
            return new S3LeaseStore(storage.s3(), output, clock);
        }
        return new LocalLeaseStore(output, clock);
    }

    /** The refusal of a run that finds the partition held by a live run. */
    static LeaseRefusedException busy(Partition partition, Lease holder)
    {
        return new LeaseRefusedException(partition + (holder.repairs() ? " is being repaired by " : " is being loaded by ") + holder.describe() + "; "
                + (seenFromHere(holder) ? "wait for it, or run etl repair --partition " + partition + " if that run is gone"
                        : "wait for it: it runs where this process cannot see it (another host or container), so its lease holds until it expires"));
    }

    /** repair's refusal of a lease whose holder it cannot call gone. */
    static LeaseRefusedException held(Partition partition, Lease holder)
    {
        return new LeaseRefusedException(partition + (seenFromHere(holder)
                ? " is held by a live run: " + holder.describe()
                : " is held by " + holder.describe() + ", which runs where this process cannot see it (another host or container): its lease holds until it expires"));
    }

    /** Whether this process can look up the holder's process: same host name and the same pid namespace. */
    private static boolean seenFromHere(Lease holder)
    {
        return holder.host().equals(Lease.thisHost()) && (holder.pidNamespace() == null || holder.pidNamespace().equals(Lease.thisPidNamespace()));
    }

    static LeaseRefusedException contended(Partition partition)
    {
        return new LeaseRefusedException("could not take the lease on " + partition + ": other runs keep taking it");
    }

    /** Before a renewal: the stored lease must still be this run's, else another run took the partition over. */
    static void requireHeld(Lease lease, Optional<Lease> current)
    {
        if (current.isEmpty() || !current.get().owner().equals(lease.owner())) {
            throw new IllegalStateException("the lease on " + lease.partition() + (current.isPresent()
                    ? " was taken over by " + current.get().describe()
                    : " was removed, once it had expired, by etl repair or by a run that took the partition over"));
        }
    }

    /**
     * Whether a lease's holder is gone: expired, or held by a process of this host (and of this pid
     * namespace) that no longer runs, or whose pid another process has taken since.
     */
    static boolean gone(Lease lease, Clock clock)
    {
        if (lease.expired(clock.instant())) {
            return true;
        }
        if (!lease.host().equals(Lease.thisHost())
                // another pid namespace under the same host name (a container): its pids are not ours to look up
                || lease.pidNamespace() != null && !lease.pidNamespace().equals(Lease.thisPidNamespace())) {
            return false;
        }
        if (!running(lease.pid())) {
            return true;
        }
        // the pid may be another process's by now (a restarted container numbers its processes anew)
        return lease.processStart() != null && Lease.processStart(lease.pid()).filter(start -> !start.equals(lease.processStart())).isPresent();
    }

    /**
     * Whether the process runs. Java counts a zombie as alive: a process that has exited but that
     * its parent has not reaped, which is how a killed run stays where the parent never waits (a
     * container whose first process is no init). On Linux its state in /proc says 'Z'.
     */
    static boolean running(long pid)
    {
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            return false;
        }
        try {
            // "<pid> (<command>) <state> …": the command may hold spaces and parentheses, so after the last ')'
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int commandEnd = stat.lastIndexOf(')');
            return !(commandEnd > 0 && stat.length() > commandEnd + 2 && stat.charAt(commandEnd + 2) == 'Z');
        }
        catch (IOException | RuntimeException e) {
            // no /proc (not Linux), or the process ended meanwhile: Java's answer stands
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    static String lockName(Partition partition)
    {
        return "_etl/locks/" + partition.hivePath() + ".lock";
    }
}
