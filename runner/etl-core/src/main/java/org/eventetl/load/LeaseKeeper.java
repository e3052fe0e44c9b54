package org.eventetl.load;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.eventetl.lease.Lease;
import org.eventetl.lease.LeaseLostException;
import org.eventetl.lease.LeaseStore;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;

import static java.util.Objects.requireNonNull;

/**
 * A load's hold on its partition: the lease, taken at the start, renewed in the background at a
 * third of its duration, and given back at the end. A renewal that fails (another run took the day
 * over, as this one stalled past the lease's expiry, or the storage failed) stops the run: the
 * keeper notes why and abandons the run's stop, which cancels the running step; the load then fails
 * without publishing.
 */
final class LeaseKeeper
        implements AutoCloseable
{
    private final LeaseStore leases;
    private final Duration duration;
    private final AtomicReference<Lease> lease;
    private final AtomicReference<RuntimeException> lost = new AtomicReference<>();
    private final ScheduledExecutorService renewer;

    private LeaseKeeper(LeaseStore leases, Lease taken, Duration duration, RunStop stop)
    {
        this.leases = requireNonNull(leases, "leases is null");
        this.duration = requireNonNull(duration, "duration is null");
        this.lease = new AtomicReference<>(requireNonNull(taken, "taken is null"));
        this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "lease-renewer");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, duration.toMillis() / 3);
        renewer.scheduleAtFixedRate(() -> {
            try {
                lease.set(leases.renew(lease.get(), duration));
                // the storage answers again: a failure of it said so far is no cause of what
                // fails later (a step's SQL error, say), while a lease another run took stays lost
                lost.updateAndGet(failure -> failure instanceof UncheckedIOException ? null : failure);
            }
            catch (RuntimeException e) {
                // the first cause stays, but a lease another run took is said over the storage's
                // failure that came before it: the run then does not keep its staging as its own
                lost.updateAndGet(failure -> failure == null || failure instanceof UncheckedIOException && !(e instanceof UncheckedIOException) ? e : failure);
                stop.abandon();
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    /** Takes the partition's lease for the run, refused while another live run holds it, and starts renewing it. */
    static LeaseKeeper take(LeaseStore leases, Partition partition, RunId runId, Duration duration, RunStop stop)
    {
        return new LeaseKeeper(leases, leases.acquire(partition, runId.value(), duration), duration, stop);
    }

    /** Fails when another run holds the partition now: before each change to published data. */
    void verify()
    {
        leases.verify(lease.get());
    }

    /** Renews the lease right before the publish, so that the publish has a whole lease period; fails if it was taken over. */
    void renewBeforePublish()
    {
        try {
            lease.set(leases.renew(lease.get(), duration));
        }
        catch (IllegalStateException e) {
            throw new LeaseLostException("lease lost before publishing: " + e.getMessage() + "; this run publishes nothing");
        }
    }

    /**
     * Why a background renewal failed, if one did: an {@link UncheckedIOException} when the lease
     * could not be read or written (the storage failed; nobody is known to have taken the day; and
     * only until a later renewal succeeds), anything else when another run holds it now.
     */
    Optional<RuntimeException> lost()
    {
        return Optional.ofNullable(lost.get());
    }

    /**
     * Why the lease is lost, asking the store now when no renewal has said so yet. A run stalled past
     * its lease wakes with its renewer, and a step that fails because the run that took the day over
     * removed its staging ("no files found") may fail before the renewer, overdue, gets to run: the
     * failure is then the lost lease, not the step's SQL. A store that cannot be read adds nothing.
     */
    Optional<RuntimeException> lostNow()
    {
        if (lost.get() == null) {
            try {
                leases.verify(lease.get());
            }
            catch (LeaseLostException e) {
                lost.compareAndSet(null, e);
            }
            catch (UncheckedIOException e) {
                // the storage fails: nobody is known to hold the day, and the failure says itself
            }
        }
        return lost();
    }

    /** Stops renewing and gives the lease back (unless another run holds it now). */
    @Override
    public void close()
    {
        renewer.shutdownNow();
        try {
            renewer.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        leases.release(lease.get());
    }
}
