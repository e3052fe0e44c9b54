package org.eventetl.lease;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.model.Json;
import org.eventetl.storage.LocalStorage;
import org.eventetl.storage.Location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestDatabaseLease
{
    @TempDir
    Path folder;

    @Test
    void aSecondHolderWaitsUntilTheFirstGivesTheLockBack()
            throws Exception
    {
        LocalStorage storage = new LocalStorage();
        Location lock = Location.local(folder.resolve("etl_prod.lock"));
        DatabaseLease first = DatabaseLease.acquire(storage, lock, "schema of athena database etl_prod", "run-a", Duration.ofSeconds(5), Clock.systemUTC());

        CompletableFuture<DatabaseLease> second = CompletableFuture.supplyAsync(
                () -> DatabaseLease.acquire(storage, lock, "schema of athena database etl_prod", "run-b", Duration.ofSeconds(30), Clock.systemUTC()));
        Thread.sleep(1_200);
        assertThat(second).isNotDone();
        assertThat(Json.MAPPER.readValue(storage.read(lock).orElseThrow(), Lease.class).owner()).isEqualTo("run-a");

        first.close();
        try (DatabaseLease taken = second.get(10, TimeUnit.SECONDS)) {
            assertThat(Json.MAPPER.readValue(storage.read(lock).orElseThrow(), Lease.class).owner()).isEqualTo("run-b");
        }
        assertThat(storage.read(lock)).isEmpty();
    }

    @Test
    void aLiveHolderPastTheWaitRefusesWithItsName()
    {
        LocalStorage storage = new LocalStorage();
        Location lock = Location.local(folder.resolve("etl_prod.lock"));
        try (DatabaseLease held = DatabaseLease.acquire(storage, lock, "schema of athena database etl_prod", "run-a", Duration.ofSeconds(5), Clock.systemUTC())) {
            assertThatThrownBy(() -> DatabaseLease.acquire(storage, lock, "schema of athena database etl_prod", "run-b", Duration.ofSeconds(1), Clock.systemUTC()))
                    .isInstanceOf(LeaseRefusedException.class)
                    .hasMessageStartingWith("the schema of athena database etl_prod is being changed by run run-a")
                    .hasMessageContaining("was not free after 1 s");
        }
    }

    @Test
    void theLockOfAHolderThatIsGoneIsTakenOver()
            throws Exception
    {
        LocalStorage storage = new LocalStorage();
        Location lock = Location.local(folder.resolve("etl_prod.lock"));
        writeExpiredLock(storage, lock);

        assertTakenBy(storage, lock, "run-b");
    }

    @Test
    void aLockWhoseTakerDiedMidTakeoverIsStillTakenOver()
            throws Exception
    {
        LocalStorage storage = new LocalStorage();
        Location lock = Location.local(folder.resolve("etl_prod.lock"));
        byte[] expired = writeExpiredLock(storage, lock);
        // a taker claimed it long ago and died before deleting it
        storage.write(ExpiredLock.claim(lock, expired), ExpiredLock.claimBy("run-c", Instant.now().minus(ExpiredLock.ABANDONED_AFTER).minusSeconds(60)));

        assertTakenBy(storage, lock, "run-b");
    }

    @Test
    void takersThatFindTheSameExpiredLockTogetherHoldItOneAtATime()
            throws Exception
    {
        // each taker reads the expired lock and clears it; a taker that cleared the lock another had
        // just put would hold it beside that one
        LocalStorage storage = new LocalStorage();
        int takers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(takers);
        try {
            for (int round = 0; round < 5; round++) {
                Location lock = Location.local(folder.resolve("round-" + round + ".lock"));
                writeExpiredLock(storage, lock);
                CountDownLatch start = new CountDownLatch(1);
                AtomicInteger holding = new AtomicInteger();
                AtomicInteger mostAtOnce = new AtomicInteger();
                List<Future<?>> runs = new ArrayList<>();
                for (int taker = 0; taker < takers; taker++) {
                    String owner = "run-" + round + "-" + taker;
                    runs.add(pool.submit(() -> {
                        start.await();
                        try (DatabaseLease held = DatabaseLease.acquire(storage, lock, "schema of athena database etl_prod", owner, Duration.ofSeconds(30), Clock.systemUTC())) {
                            mostAtOnce.accumulateAndGet(holding.incrementAndGet(), Math::max);
                            Thread.sleep(20);
                            holding.decrementAndGet();
                        }
                        return null;
                    }));
                }
                start.countDown();
                for (Future<?> run : runs) {
                    run.get(60, TimeUnit.SECONDS);
                }
                assertThat(mostAtOnce.get()).as("takers holding the lock at once, round %d", round).isEqualTo(1);
                assertThat(storage.read(lock)).isEmpty();
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    /** The lock of a run on another host that expired minutes ago. */
    private static byte[] writeExpiredLock(LocalStorage storage, Location lock)
            throws IOException
    {
        Instant past = Instant.now().minus(Duration.ofMinutes(5));
        byte[] expired = Json.MAPPER.writeValueAsBytes(new Lease("schema of athena database etl_prod", "run-dead", "another-host", 1, past, past.plusSeconds(60)));
        storage.write(lock, expired);
        return expired;
    }

    private static void assertTakenBy(LocalStorage storage, Location lock, String owner)
            throws IOException
    {
        try (DatabaseLease taken = DatabaseLease.acquire(storage, lock, "schema of athena database etl_prod", owner, Duration.ofSeconds(5), Clock.systemUTC())) {
            assertThat(Json.MAPPER.readValue(storage.read(lock).orElseThrow(), Lease.class).owner()).isEqualTo(owner);
        }
    }
}
