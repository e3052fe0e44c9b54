package org.eventetl.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transfers several at once: every one runs, each done is counted, and a failure or a stop ends
 * them, promptly (a run's local copy) or each under way run to its end (writes to shared storage),
 * with nothing left running. Each transfer here sleeps a few milliseconds, as a small object's
 * round trip would.
 */
final class TestTransfers
{
    private static final int TRANSFERS = 1_000;
    private static final int AT_ONCE = 16;

    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();
    private final AtomicInteger done = new AtomicInteger();

    @Test
    void everyTransferRunsSeveralAtOnceAndEachIsCounted()
            throws IOException
    {
        Transfers.run(transfers(-1), AT_ONCE, Transfers.Ending.PROMPTLY, () -> false, done::set);

        assertThat(started).hasValue(TRANSFERS);
        assertThat(done).hasValue(TRANSFERS);
        assertThat(mostAtOnce.get()).isGreaterThan(1).isLessThanOrEqualTo(AT_ONCE);
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
        Transfers.run(transfers(-1), AT_ONCE, Transfers.Ending.PROMPTLY, () -> done.get() >= 50, done::set);

        assertThat(started.get()).isLessThan(TRANSFERS / 2);
        assertThat(running).as("transfers still running once it returned").hasValue(0);
    }

    /**
     * One transfer that stalls (a slow object): the count is said again while it waits, so that a
     * progress line shows the time going on. The copy of a day said nothing from its first line to
     * its last while a download stalled for 30 s (a fault probe).
     */
    @Test
    void theCountIsSaidAgainWhileATransferStalls()
            throws IOException
    {
        List<Integer> said = new ArrayList<>();
        Transfers.run(List.of(() -> sleep(1_000)), AT_ONCE, Transfers.Ending.PROMPTLY, () -> false, said::add);

        assertThat(said).as("said while none had ended, then once it had").contains(0).endsWith(1);
        assertThat(said.stream().filter(count -> count == 0).count()).isGreaterThanOrEqualTo(2);
    }

    private static void sleep(long millis)
            throws IOException
    {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** The first failure is thrown as it is (not wrapped as the pool's), the transfers not begun never begin. */
    @Test
    void aFailedTransferStopsTheOthersAndIsThrownAsItIs()
    {
        assertThatThrownBy(() -> Transfers.run(transfers(100), AT_ONCE, Transfers.Ending.PROMPTLY, () -> false, done::set))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("transfer 100 failed");

        assertThat(started.get()).isLessThan(TRANSFERS / 2);
        assertThat(running).hasValue(0);
    }

    /**
     * Writes to shared storage: after a failure, the transfers under way run to their end and are
     * waited for (one still in flight once the caller went on would land later, in a prefix the
     * next run may have refilled), none is interrupted, and those not begun never begin.
     */
    @Test
    void aFailureWaitsForTheTransfersUnderWayWhenTheyMustRunToTheirEnd()
    {
        List<Transfers.Transfer> transfers = new ArrayList<>();
        AtomicInteger interrupted = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        CountDownLatch allUnderWay = new CountDownLatch(AT_ONCE);
        for (int i = 0; i < TRANSFERS; i++) {
            int number = i;
            transfers.add(() -> {
                started.incrementAndGet();
                running.incrementAndGet();
                try {
                    allUnderWay.countDown();
                    if (number == 0) {
                        // once the others under way have begun
                        allUnderWay.await(30, TimeUnit.SECONDS);
                        throw new IOException("transfer 0 failed");
                    }
                    Thread.sleep(300);
                    finished.incrementAndGet();
                }
                catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    Thread.currentThread().interrupt();
                }
                finally {
                    running.decrementAndGet();
                }
            });
        }

        assertThatThrownBy(() -> Transfers.run(transfers, AT_ONCE, Transfers.Ending.TO_THE_END, () -> false, done::set))
                .isExactlyInstanceOf(IOException.class)
                .hasMessage("transfer 0 failed");
        assertThat(running).as("transfers still running once it threw").hasValue(0);
        assertThat(interrupted).hasValue(0);
        assertThat(finished.get()).as("the transfers under way ran to their end").isEqualTo(AT_ONCE - 1).isEqualTo(started.get() - 1);
        assertThat(started.get()).isLessThan(TRANSFERS / 2);
    }

    /** The same transfers, promptly: those under way are interrupted. */
    @Test
    void aFailureInterruptsTheTransfersUnderWayWhenTheyEndPromptly()
    {
        AtomicInteger interrupted = new AtomicInteger();
        List<Transfers.Transfer> transfers = new ArrayList<>();
        for (int i = 0; i < AT_ONCE; i++) {
            int number = i;
            transfers.add(() -> {
                try {
                    Thread.sleep(number == 0 ? 50 : 10_000);
                }
                catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    return;
                }
                throw new IOException("transfer " + number + " failed");
            });
        }

        long began = System.nanoTime();
        assertThatThrownBy(() -> Transfers.run(transfers, AT_ONCE, Transfers.Ending.PROMPTLY, () -> false, done::set))
                .hasMessage("transfer 0 failed");
        assertThat(System.nanoTime() - began).isLessThan(5_000_000_000L);
        assertThat(interrupted).hasValue(AT_ONCE - 1);
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
