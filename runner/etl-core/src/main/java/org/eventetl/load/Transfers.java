package org.eventetl.load;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

import static java.util.Objects.requireNonNull;

/**
 * A run's file transfers between its storage and its local copy (the day's source objects copied
 * down, the staged outputs uploaded), several at once. One at a time, each object waits a round
 * trip for its first byte, which on S3 is tens of milliseconds: a day of 100,000 small objects
 * would take about an hour to copy before its first step. A failed transfer stops the others (those
 * under way are interrupted, the rest never start) and is thrown once none runs any more; a stop
 * asked for meanwhile does the same, and returns, for the caller to see the stop.
 */
final class Transfers
{
    /**
     * How many transfers run at once: enough to hide S3's latency on small objects and to fill a
     * machine's network with large ones, few enough for the SDK's connections and the local disk.
     */
    static final int AT_ONCE = 16;
    /** How often a stop is looked for while transfers run. */
    private static final long STOP_POLL_MILLIS = 200;
    /**
     * How long transfers told to stop are waited for. One blocked on a socket ignores the interrupt
     * and ends only when the SDK's read times out (about 30 s), as long as a stopped process may
     * take to write its record before it must exit: it is left to end alone, in the run's own copy.
     */
    private static final long STOPPING_SECONDS = 2;

    /** One file's transfer. */
    @FunctionalInterface
    interface Transfer
    {
        void run()
                throws IOException;
    }

    private Transfers() {}

    /**
     * Runs every transfer, {@link #AT_ONCE} at a time, and returns once all are done or once
     * {@code stopRequested} says to stop; {@code done} hears how many are done after each one.
     * Throws the first failure, after the others have stopped.
     */
    static void run(List<Transfer> transfers, BooleanSupplier stopRequested, IntConsumer done)
            throws IOException
    {
        requireNonNull(stopRequested, "stopRequested is null");
        requireNonNull(done, "done is null");
        if (transfers.isEmpty()) {
            return;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(AT_ONCE, transfers.size()), task -> {
            Thread thread = new Thread(task, "etl-transfer-" + threads.incrementAndGet());
            // a JVM that ends (an uncaught error elsewhere) does not wait for a transfer
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletionService<Void> completion = new ExecutorCompletionService<>(pool);
            for (Transfer transfer : transfers) {
                completion.submit(() -> {
                    transfer.run();
                    return null;
                });
            }
            for (int finished = 0; finished < transfers.size(); ) {
                // looked for before each wait, not only when one times out: small files end faster than that
                if (stopRequested.getAsBoolean()) {
                    return;
                }
                Future<Void> next = completion.poll(STOP_POLL_MILLIS, TimeUnit.MILLISECONDS);
                if (next != null) {
                    rethrow(next);
                    done.accept(++finished);
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while transferring files");
        }
        finally {
            stop(pool);
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
     * Interrupts the transfers under way, drops those not begun, and waits a moment for the ones under
     * way to end (only a failure or a stop leaves any): one left running writes into the run's own
     * copy only, which a failed or stopped run leaves for inspection.
     */
    private static void stop(ExecutorService pool)
    {
        pool.shutdownNow();
        try {
            pool.awaitTermination(STOPPING_SECONDS, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
