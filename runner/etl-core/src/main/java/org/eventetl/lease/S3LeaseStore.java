package org.eventetl.lease;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.eventetl.model.Json;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.S3Storage;

import static java.util.Objects.requireNonNull;

/**
 * Leases on an S3 output: the lock object is created with a conditional put
 * ({@code If-None-Match: *}), which S3 grants to exactly one of two concurrent writers, and renewed
 * with a put conditional on what was read ({@code If-Match}). Taking over an expired lease deletes
 * it and puts again; the right to delete is itself a conditional put ({@link ExpiredLock}), so of
 * the takers that found one expired lease only one deletes it.
 */
public final class S3LeaseStore
        implements LeaseStore
{
    private final S3Storage storage;
    private final Location output;
    private final Clock clock;

    public S3LeaseStore(S3Storage storage, Location output, Clock clock)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.output = requireNonNull(output, "output is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Location lockObject(Partition partition)
    {
        return output.resolve(LeaseStore.lockName(partition));
    }

    @Override
    public Lease acquire(Partition partition, String owner, Lease.Purpose purpose, Duration duration)
    {
        Location lock = lockObject(partition);
        try {
            for (int attempt = 0; attempt < 3; attempt++) {
                Instant now = clock.instant();
                Lease lease = Lease.ofThisProcess(partition.hivePath(), owner, purpose, now, now.plus(duration));
                if (storage.writeIfAbsent(lock, Json.MAPPER.writeValueAsBytes(lease))) {
                    return lease;
                }
                Optional<byte[]> held = storage.read(lock);
                Optional<Lease> holder = Lease.parse(lock, held);
                if (holder.isPresent() && !LeaseStore.gone(holder.get(), clock)) {
                    throw LeaseStore.busy(partition, holder.get());
                }
                if (held.isPresent()) {
                    // expired, or its process gone from this host: cleared by one taker; the others find its lease on their next attempt
                    ExpiredLock.clear(storage, lock, held.get(), owner, clock);
                }
            }
            throw LeaseStore.contended(partition);
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot take the lease " + lock + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the renewed lease only over the lease just read: a run that took it over in between
     * keeps it, and this one learns it lost the lease. A write refused for any other reason (the
     * run's other renewal got there first, or S3 answered 409 to a put that raced) is read again.
     */
    @Override
    public Lease renew(Lease lease, Duration duration)
    {
        Location lock = lockObject(Partition.parse(lease.partition()));
        try {
            for (int attempt = 0; attempt < 5; attempt++) {
                Optional<byte[]> current = storage.read(lock);
                LeaseStore.requireHeld(lease, Lease.parse(lock, current));
                Lease renewed = lease.renewedUntil(clock.instant().plus(duration));
                if (storage.replaceIfUnchanged(lock, current.get(), Json.MAPPER.writeValueAsBytes(renewed))) {
                    return renewed;
                }
            }
            throw new IllegalStateException("could not renew the lease on " + lease.partition() + ": its lock kept changing while held");
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot renew the lease " + lock + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void release(Lease lease)
    {
        Location lock = lockObject(Partition.parse(lease.partition()));
        try {
            Optional<byte[]> held = storage.read(lock);
            Optional<Lease> current = Lease.parse(lock, held);
            if (current.isPresent() && current.get().owner().equals(lease.owner())) {
                // only the lease just read: a run stalled here past its lease must not delete the lease of the run that took the day over
                storage.deleteIfUnchanged(lock, held.get());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot release the lease " + lock + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<Lease> holder(Partition partition)
            throws IOException
    {
        return read(lockObject(partition));
    }

    @Override
    public Optional<Lease> removeIfGone(Partition partition)
            throws IOException
    {
        Location lock = lockObject(partition);
        Optional<byte[]> held = storage.read(lock);
        Optional<Lease> found = Lease.parse(lock, held);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Lease holder = found.get();
        if (!LeaseStore.gone(holder, clock)) {
            throw LeaseStore.held(partition, holder);
        }
        // cleared as a taker clears it, so that a load taking the lease over meanwhile keeps what it took
        if (!ExpiredLock.clear(storage, lock, held.get(), "repair", clock)) {
            throw new LeaseRefusedException(partition + ": another run is taking over the lease of " + holder.describe() + "; run repair again once it is done");
        }
        return Optional.of(holder);
    }

    private Optional<Lease> read(Location lock)
            throws IOException
    {
        return Lease.parse(lock, storage.read(lock));
    }
}
