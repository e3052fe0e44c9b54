package org.eventetl.storage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import static java.util.Objects.requireNonNull;

/**
 * Object transfers, several at once: a run's local copy of its day and the upload of what it staged
 * (DuckDB over S3), a publish's server-side copies. One at a time, each object waits a round trip
 * for its first byte, which on S3 is tens of milliseconds: a day of 100,000 small objects would take
 * about an hour to copy. A failure stops the transfers not begun; how those under way end is the
 * caller's {@link Ending}. The first failure is thrown once they have ended.
 */
public final class Transfers
{
    /** How often a stop is looked for while transfers run. */
    private static final long STOP_POLL_MILLIS = 200;
    /**
     * How long transfers told to stop are waited for when they end {@link Ending#PROMPTLY}. One
     * blocked on a socket ignores the interrupt and ends only when the SDK's read times out (about
     * 30 s), as long as a stopped process may take to write its record before it must exit.
     */
    private static final long STOPPING_SECONDS = 2;

    /** How the transfers under way end once one has failed (or a stop is asked for). */
    public enum Ending
    {
        /**
         * Interrupted, and waited for a moment only: for transfers into the run's own local copy,
         * where one left running harms nothing, and a stop (Ctrl-C during the copy) must be quick.
         */
        PROMPTLY,
        /**
         * Run to their end, and waited for, before the failure is thrown: for writes to shared
         * storage, where an object still in flight when the caller goes on would land later, in a
         * prefix that the next run (or repair) may have cleared and refilled by then, among that
         * run's files. An interrupt alone still ends the wait (the process is ending).
         */
        TO_THE_END
    }

    /** One object's transfer. */
    @FunctionalInterface
    public interface Transfer
    {
        void run()
                throws IOException;
    }

    private Transfers() {}

    /**
     * Runs every transfer, {@code atOnce} at a time, and returns once all are done or once
     * {@code stopRequested} says to stop (the transfers under way then end as after a failure);
     * {@code done} hears how many are done after each one, and again every few tenths of a second
     * while none ends (a progress line then shows the time go on through a stalled transfer).
     * Throws the first failure once the transfers under way have ended as {@code ending} says, with
     * the failures of those among them that failed too (to the end) suppressed in it.
     */
    public static void run(List<Transfer> transfers, int atOnce, Ending ending, BooleanSupplier stopRequested, IntConsumer done)
            throws IOException
    {
        requireNonNull(ending, "ending is null");
        requireNonNull(stopRequested, "stopRequested is null");
        requireNonNull(done, "done is null");
        if (atOnce < 1) {
            throw new IllegalArgumentException("atOnce must be positive: " + atOnce);
        }
        if (transfers.isEmpty()) {
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(atOnce, transfers.size()), task -> {
            Thread thread = new Thread(task, "etl-transfer-" + threads.incrementAndGet());
            // a JVM that ends (an uncaught error elsewhere) does not wait for a transfer
            thread.setDaemon(true);
            return thread;
        });
        // set by the first failure: the transfers not begun by then do nothing
        AtomicBoolean failed = new AtomicBoolean();
        boolean interrupted = false;
        try {
            CompletionService<Void> completion = new ExecutorCompletionService<>(pool);
            for (Transfer transfer : transfers) {
                completion.submit(() -> {
                    if (!failed.get()) {
                        try {
                            transfer.run();
                        }
                        catch (IOException | RuntimeException | Error e) {
                            failed.set(true);
                            throw e;
                        }
                    }
                    return null;
                });
            }
            for (int finished = 0; finished < transfers.size(); ) {
                // looked for before each wait, not only when one times out: small files end faster than that
                if (stopRequested.getAsBoolean()) {
                    failed.set(true);
                    if (ending == Ending.TO_THE_END) {
                        awaitTheRest(completion, transfers.size() - finished, null);
                    }
                    return;
                }
                Future<Void> next = completion.poll(STOP_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (next == null) {
                    // said again while none ends: a copy that stalls on a slow object still shows its time
                    done.accept(finished);
                    continue;
                }
                finished++;
                try {
                    rethrow(next);
                }
                catch (IOException | RuntimeException | Error e) {
                    failed.set(true);
                    if (ending == Ending.TO_THE_END) {
                        awaitTheRest(completion, transfers.size() - finished, e);
                    }
                    throw e;
                }
                done.accept(finished);
            }
        }
        catch (InterruptedException e) {
            interrupted = true;
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while transferring files");
        }
        finally {
            end(pool, ending == Ending.PROMPTLY || interrupted);
        }
    }

    /**
     * Waits for the {@code left} transfers still to end, adding their failures to {@code first}'s
     * (after a stop, with no failure to add them to, they go unsaid: the stop is what ended the run).
     */
    private static void awaitTheRest(CompletionService<Void> completion, int left, Throwable first)
            throws InterruptedException
    {
        for (int i = 0; i < left; i++) {
            try {
                rethrow(completion.take());
            }
            catch (IOException | RuntimeException | Error e) {
                if (first != null) {
                    first.addSuppressed(e);
                }
            }
        }
    }

    private static void rethrow(Future<Void> finished)
            throws IOException, InterruptedException
    {
        try {
            finished.get();
        }
        catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IOException(cause);
        }
    }

    /**
     * Ends the pool. Promptly: interrupts the transfers under way, drops those not begun, and waits
     * a moment for the ones under way (only a failure or a stop leaves any). Otherwise every
     * transfer has ended by now, and the threads go.
     */
    private static void end(ExecutorService pool, boolean promptly)
    {
        if (!promptly) {
            pool.shutdown();
            return;
        }
        pool.shutdownNow();
        try {
            pool.awaitTermination(STOPPING_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
