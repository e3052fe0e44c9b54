package org.eventetl.lease;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eventetl.model.Json;
import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * One schema step ({@code -- scope: database}) at a time per database of an engine whose catalog
 * outlives the run (Athena's Glue database). Loads of different partitions hold different
 * partition leases, and the days of a parallel backfill run side by side: without this, two of
 * them could apply the same schema step together and interleave its DROP and CREATE of a table.
 * The lock is an object next to the database's schema markers, made with a write that succeeds
 * for one writer only ({@link Storage#writeIfAbsent}); it is renewed while held, each renewal
 * written only over the lock it read ({@link Storage#replaceIfUnchanged}), taken over once
 * its holder is gone (expired, or a dead process of this host) by one taker ({@link ExpiredLock}),
 * and a run that finds it held waits.
 */
public final class DatabaseLease
        implements AutoCloseable
{
    static final Duration DURATION = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(500);

    private final Storage storage;
    private final Location lock;
    private final Clock clock;
    private final ScheduledExecutorService renewer;
    private volatile Lease held;

    private DatabaseLease(Storage storage, Location lock, Clock clock, Lease held)
    {
        this.storage = storage;
        this.lock = lock;
        this.clock = clock;
        this.held = held;
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "database-lease-renewer");
            thread.setDaemon(true);
            return thread;
        });
        long period = DURATION.toMillis() / 3;
        renewer.scheduleAtFixedRate(this::renew, period, period, TimeUnit.MILLISECONDS);
    }

    /**
     * Takes the lock, waiting while a live holder has it.
     *
     * @param what what the lock guards, as messages name it (e.g. "schema of athena database etl_prod")
     * @param wait how long to wait for a live holder before giving up
     * @throws LeaseRefusedException when a live holder still has it after {@code wait}
     */
    public static DatabaseLease acquire(Storage storage, Location lock, String what, String owner, Duration wait, Clock clock)
    {
        requireNonNull(storage, "storage is null");
        requireNonNull(lock, "lock is null");
        requireNonNull(what, "what is null");
        requireNonNull(owner, "owner is null");
        requireNonNull(clock, "clock is null");
        Instant giveUp = clock.instant().plus(wait);
        try {
            while (true) {
                Instant now = clock.instant();
                Lease lease = Lease.ofThisProcess(what, owner, now, now.plus(DURATION));
                if (storage.writeIfAbsent(lock, Json.MAPPER.writeValueAsBytes(lease))) {
                    return new DatabaseLease(storage, lock, clock, lease);
                }
                Optional<byte[]> held = storage.read(lock);
                Optional<Lease> holder = Lease.parse(lock, held);
                if (holder.isPresent() && LeaseStore.gone(holder.get(), clock) && ExpiredLock.clear(storage, lock, held.get(), owner, clock)) {
                    // its holder is gone and this run cleared the lock: take it
                    continue;
                }
                if (clock.instant().isAfter(giveUp)) {
                    throw new LeaseRefusedException("the " + what + " is being changed by " + holder.map(Lease::describe).orElse("another run")
                            + " and was not free after " + wait.toSeconds() + " s; load again once it is done (" + lock + ")");
                }
                Thread.sleep(POLL.toMillis());
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot take the lock " + lock + ": " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LeaseRefusedException("interrupted while waiting for the lock " + lock);
        }
    }

    private void renew()
    {
        try {
            Optional<byte[]> bytes = storage.read(lock);
            Optional<Lease> current = Lease.parse(lock, bytes);
            if (current.isPresent() && current.get().owner().equals(held.owner())) {
                Lease renewed = held.renewedUntil(clock.instant().plus(DURATION));
                // written only over the lock just read: a run that took it over in between keeps it
                if (storage.replaceIfUnchanged(lock, bytes.get(), Json.MAPPER.writeValueAsBytes(renewed))) {
                    held = renewed;
                }
            }
        }
        catch (IOException | RuntimeException e) {
            // the next renewal tries again; a lock left to expire is taken over, never lost silently to a live holder
        }
    }

    /** Gives the lock back, if this run still holds it. */
    @Override
    public void close()
    {
        renewer.shutdownNow();
        try {
            renewer.awaitTermination(5, TimeUnit.SECONDS);
            Optional<Lease> current = Lease.parse(lock, storage.read(lock));
            if (current.isPresent() && current.get().owner().equals(held.owner())) {
                storage.delete(lock);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("cannot release the lock " + lock + ": " + e.getMessage(), e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
