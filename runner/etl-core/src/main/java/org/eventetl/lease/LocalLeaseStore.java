package org.eventetl.lease;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import org.eventetl.model.Json;
import org.eventetl.model.PausePoints;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.LocalStorage;

import static java.util.Objects.requireNonNull;

/**
 * Leases on a local output: a lock file {@code <output>/_etl/locks/<partition path>.lock}, published
 * with an exclusive hard link, so of two runs that start together exactly one gets it. A lease
 * expires unless its holder renews it; a run that finds an expired lease takes it over by first
 * renaming it to a name of its own (a rename succeeds for one taker only), then creating its own.
 * <p>
 * A renewal and a release each read the lock, then change it; a run that stalled between the two
 * past its lease (SIGSTOP, a long GC pause) would write its lease over the one of the run that took
 * the partition over meanwhile, or delete it. So every change to a partition's lock happens under a
 * second lock: an OS lock ({@code fcntl}, which the kernel drops when its process dies) on a guard
 * file beside the lock file, {@code <partition path>.lock.guard}, and a lock of this JVM, whose
 * threads (a backfill's days, a run's renewer) share the process's OS locks. The guard files stay:
 * one deleted while another process waits on it would let two processes hold "the" guard.
 */
public final class LocalLeaseStore
        implements LeaseStore
{
    /** How long a change to a lock waits for another process's change of it: those take milliseconds, so a wait this long is a process stopped in one. */
    static final Duration GUARD_WAIT = Duration.ofSeconds(10);
    /** How long status tries for the guard before it says a change of the lease is stalled. */
    static final Duration STALLED_AFTER = Duration.ofMillis(500);

    /** The JVM's own locks of the guard files: the OS lock is the process's, and a second lock of it from another thread of the process fails. */
    private static final ConcurrentHashMap<Path, ReentrantLock> GUARDED_HERE = new ConcurrentHashMap<>();

    private final Path output;
    private final Clock clock;

    public LocalLeaseStore(Location output, Clock clock)
    {
        requireNonNull(output, "output is null");
        this.output = output.toPath();
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Path lockFile(Partition partition)
    {
        return output.resolve(LeaseStore.lockName(partition));
    }

    /** Takes the partition for {@code duration}, or throws {@link LeaseRefusedException} naming the live holder. */
    @Override
    public Lease acquire(Partition partition, String owner, Lease.Purpose purpose, Duration duration)
    {
        Path file = lockFile(partition);
        Instant now = clock.instant();
        Lease lease = Lease.ofThisProcess(partition.hivePath(), owner, purpose, now, now.plus(duration));
        try {
            Files.createDirectories(file.getParent());
            return guarded(file, () -> {
                for (int attempt = 0; attempt < 3; attempt++) {
                    if (publish(file, lease)) {
                        return lease;
                    }
                    Optional<Lease> holder = read(file);
                    if (holder.isPresent() && !LeaseStore.gone(holder.get(), clock)) {
                        throw LeaseStore.busy(partition, holder.get());
                    }
                    // expired, its process gone from this host, or removed meanwhile: move it aside, then try to publish ours again
                    moveAside(file, holder.map(Lease::owner).orElse(""));
                }
                throw LeaseStore.contended(partition);
            });
        }
        catch (GuardHeldException e) {
            throw new LeaseRefusedException(e.getMessage() + "; wait for it, or end that process", true);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot take the lease " + file + ": " + e.getMessage(), e);
        }
    }

    /** Extends the lease; fails when another run has taken it over meanwhile (this run must then stop). */
    @Override
    public Lease renew(Lease lease, Duration duration)
    {
        Path file = lockFile(Partition.parse(lease.partition()));
        try {
            return guarded(file, () -> {
                Optional<Lease> current = read(file);
                LeaseStore.requireHeld(lease, current);
                Lease renewed = lease.renewedUntil(clock.instant().plus(duration));
                Path temporary = file.resolveSibling(file.getFileName() + "." + lease.owner() + ".tmp");
                try {
                    Files.write(temporary, Json.MAPPER.writeValueAsBytes(renewed));
                    PausePoints.reach("lease renewal");
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                finally {
                    // a write cut short (a full disk) leaves no file that nothing would ever remove
                    Files.deleteIfExists(temporary);
                }
                return renewed;
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot renew the lease " + file + ": " + e.getMessage(), e);
        }
    }

    /** Gives the partition back, if this run still holds it. */
    @Override
    public void release(Lease lease)
    {
        Path file = lockFile(Partition.parse(lease.partition()));
        try {
            guarded(file, () -> {
                Optional<Lease> current = read(file);
                if (current.isPresent() && current.get().owner().equals(lease.owner())) {
                    PausePoints.reach("lease release");
                    Files.deleteIfExists(file);
                }
                return null;
            });
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot release the lease " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Lease> holder(Partition partition)
            throws IOException
    {
        return read(lockFile(partition));
    }

    /**
     * Removes a lease whose holder is gone: expired, or held by a process of this host that no
     * longer exists. A live holder's lease is left alone; returns what was removed.
     */
    @Override
    public Optional<Lease> removeIfGone(Partition partition)
            throws IOException
    {
        Path file = lockFile(partition);
        if (!Files.isDirectory(file.getParent())) {
            // no lease was ever taken there: nothing to remove, and no guard to make
            return Optional.empty();
        }
        try {
            return guarded(file, () -> {
                Optional<Lease> holder = read(file);
                if (holder.isEmpty()) {
                    return Optional.empty();
                }
                Lease lease = holder.get();
                if (!LeaseStore.gone(lease, clock)) {
                    throw LeaseStore.held(partition, lease);
                }
                moveAside(file, lease.owner());
                return holder;
            });
        }
        catch (GuardHeldException e) {
            throw new LeaseRefusedException(e.getMessage() + "; wait for it, or end that process", true);
        }
    }

    /**
     * Whether another process has held the guard of the partition's lock through {@link #STALLED_AFTER}
     * of tries with a shared lock (a change takes milliseconds and holds it exclusively), which
     * a reader may take without changing anything: status says so, as a load refuses after
     * {@link #GUARD_WAIT}.
     */
    @Override
    public Optional<String> changeStalled(Partition partition)
            throws IOException
    {
        Path file = lockFile(partition);
        Path guard = guardOf(file);
        if (!Files.exists(guard)) {
            return Optional.empty();
        }
        long deadline = System.nanoTime() + STALLED_AFTER.toNanos();
        try (FileChannel channel = FileChannel.open(guard, StandardOpenOption.READ)) {
            while (true) {
                try (FileLock lock = channel.tryLock(0, Long.MAX_VALUE, true)) {
                    if (lock != null) {
                        return Optional.empty();
                    }
                }
                catch (OverlappingFileLockException e) {
                    // this process changes it now (a load's own keeper): under way, not stalled
                    return Optional.empty();
                }
                if (System.nanoTime() > deadline) {
                    return Optional.of("its lease " + file + " is being changed by another process that has not finished in " + STALLED_AFTER.toMillis()
                            + " ms (a change takes milliseconds: stopped, SIGSTOP, in the middle of it?): every load, backfill and repair of the day waits "
                            + GUARD_WAIT.toSeconds() + " s for it, then refuses, until that process goes on or ends");
                }
                try {
                    Thread.sleep(10);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the lease " + file);
                }
            }
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Runs a read and change of the partition's lock while no other process or thread changes it:
     * under this JVM's lock of the guard file, then the OS lock of it. The OS lock is waited for at
     * most {@link #GUARD_WAIT}; a process that holds it that long is stopped (SIGSTOP) in the middle
     * of a change, and the wait ends in {@link GuardHeldException}.
     */
    private static <T> T guarded(Path file, LockChange<T> change)
            throws IOException
    {
        Path guard = guardOf(file);
        ReentrantLock here = GUARDED_HERE.computeIfAbsent(guard.toAbsolutePath().normalize(), path -> new ReentrantLock());
        try {
            // not bounded: a thread of this process holds it for one change, or for the bounded wait below
            here.lockInterruptibly();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to change the lease " + file);
        }
        try (FileChannel channel = FileChannel.open(guard, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long deadline = System.nanoTime() + GUARD_WAIT.toNanos();
            FileLock lock = channel.tryLock();
            while (lock == null) {
                if (System.nanoTime() > deadline) {
                    throw new GuardHeldException(file);
                }
                try {
                    Thread.sleep(5);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting to change the lease " + file);
                }
                lock = channel.tryLock();
            }
            // released when the channel closes
            return change.run();
        }
        finally {
            here.unlock();
        }
    }

    /** The file beside a partition's lock whose OS lock each change of the lock holds. */
    private static Path guardOf(Path file)
    {
        return file.resolveSibling(file.getFileName() + ".guard");
    }

    @FunctionalInterface
    private interface LockChange<T>
    {
        T run()
                throws IOException;
    }

    /** Another process has been changing the partition's lock for {@link #GUARD_WAIT}: stopped in the middle of it. */
    private static final class GuardHeldException
            extends IOException
    {
        GuardHeldException(Path file)
        {
            super("the lease " + file + " is being changed by another process that has not finished in " + GUARD_WAIT.toSeconds()
                    + " s (a change takes milliseconds: it is stopped, SIGSTOP, in the middle of it)");
        }
    }

    /**
     * Publishes a complete lock file only if none exists: written to a file of its own first, then
     * hard-linked into place (a link fails when the name exists), so no reader ever sees half a lock.
     */
    private static boolean publish(Path file, Lease lease)
            throws IOException
    {
        Path temporary = file.resolveSibling(file.getFileName() + "." + lease.owner() + ".new");
        try {
            // inside the try: a write cut short (a full disk) leaves no file that nothing would ever remove
            Files.write(temporary, Json.MAPPER.writeValueAsBytes(lease));
            Files.createLink(file, temporary);
            return true;
        }
        catch (FileAlreadyExistsException e) {
            return false;
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static Optional<Lease> read(Path file)
            throws IOException
    {
        return Lease.parse(Location.local(file), LocalStorage.readFile(file));
    }

    /**
     * Renames the expired lock of {@code expiredOwner} out of the way. If a faster taker replaced it
     * in between, what was moved is that taker's live lease: it is linked back, unless yet another
     * lease took the name meanwhile.
     */
    private void moveAside(Path file, String expiredOwner)
            throws IOException
    {
        Path aside = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".expired");
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (NoSuchFileException e) {
            return;
        }
        catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the output's file system cannot rename atomically, so leases cannot be safe there", e);
        }
        try {
            Optional<Lease> moved = read(aside);
            if (moved.isPresent() && !moved.get().owner().equals(expiredOwner) && !moved.get().expired(clock.instant())) {
                try {
                    Files.createLink(file, aside);
                }
                catch (FileAlreadyExistsException ignored) {
                    // a newer lease holds the name; it decides
                }
            }
        }
        finally {
            Files.deleteIfExists(aside);
        }
    }
}
