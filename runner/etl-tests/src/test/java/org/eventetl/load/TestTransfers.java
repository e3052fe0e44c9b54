package org.eventetl.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transfers of a run's local copy (DuckDB over S3), several at once: every one runs, each
 * done is counted, and a failure or a stop ends them where they are, with nothing left running.
 * Each transfer here sleeps a few milliseconds, as a small object's round trip would.
 */
final class TestTransfers
{
    private static final int TRANSFERS = 1_000;

    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();

    @Test
    void everyTransferRunsSeveralAtOnceAndEachIsCounted()
            throws IOException
    {
        Transfers.run(transfers(-1), () -> false, done::set);

        assertThat(started).hasValue(TRANSFERS);
        assertThat(done).hasValue(TRANSFERS);
        assertThat(mostAtOnce.get()).isGreaterThan(1).isLessThanOrEqualTo(Transfers.AT_ONCE);
        assertThat(running).hasValue(0);
    }

    /**
     * Small objects end every few milliseconds, so the wait for the next one never times out: a
     * stop looked for only when it did went unseen until the whole copy was done.
     */
    @Test
    void aStopEndsTheTransfersWhereTheyAreEvenWhileEachEndsQuickly()
            throws IOException
    {
        Transfers.run(transfers(-1), () -> done.get() >= 50, done::set);

        assertThat(started.get()).isLessThan(TRANSFERS / 2);
        assertThat(running).as("transfers still running once it returned").hasValue(0);
    }

    /** The first failure is thrown as it is (not wrapped as the pool's), the transfers not begun never begin. */
    @Test
    void aFailedTransferStopsTheOthersAndIsThrownAsItIs()
    {
        assertThatThrownBy(() -> Transfers.run(transfers(100), () -> false, done::set))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("transfer 100 failed");

        assertThat(started.get()).isLessThan(TRANSFERS / 2);
        assertThat(running).hasValue(0);
    }

    /** The transfers, each a few milliseconds long; the one numbered {@code failing} fails (none: -1). */
    private List<Transfers.Transfer> transfers(int failing)
    {
        List<Transfers.Transfer> transfers = new ArrayList<>();
        ConcurrentHashMap<Integer, Boolean> ran = new ConcurrentHashMap<>();
        for (int i = 0; i < TRANSFERS; i++) {
            int number = i;
            transfers.add(() -> {
                assertThat(ran.put(number, true)).as("transfer " + number + " ran twice").isNull();
                started.incrementAndGet();
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(3);
                    if (number == failing) {
                        throw new IOException("transfer " + number + " failed");
                    }
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                finally {
                    running.decrementAndGet();
                }
            });
        }
        return transfers;
    }
}
