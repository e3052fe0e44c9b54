package org.eventetl.lease;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.eventetl.model.Json;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.S3Storage;
import org.eventetl.testing.S3ProxyServer;
import org.eventetl.testing.StartedTogether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Partition leases on an S3 output, against a real S3 API (S3Proxy in-process): takeover, renewal, repair. */
final class TestS3Leases
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=01");

    private static S3ProxyServer server;
    private static S3Storage storage;
    private static S3LeaseStore leases;

    @BeforeAll
    static void start()
            throws Exception
    {
        server = new S3ProxyServer("bucket");
        storage = server.storage();
        leases = new S3LeaseStore(storage, new Location("s3://bucket/leases"), Clock.systemUTC());
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        storage.close();
        server.close();
    }

    @Test
    void takersThatFindOneExpiredLeaseTogetherLeaveOneHolder()
            throws Exception
    {
        // each taker reads the expired lease and clears it; one that cleared the lease another had
        // just put would hold the partition beside it
        int takers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(takers);
        try {
            for (int round = 0; round < 10; round++) {
                Partition partition = DAY.withDay(DAY.day().plusDays(round));
                writeExpiredLease(partition);
                String runs = "run-" + round + "-";
                List<String> holders = StartedTogether.run(pool, takers, taker -> () -> {
                    try {
                        return leases.acquire(partition, runs + taker, Duration.ofMinutes(2)).owner();
                    }
                    catch (LeaseRefusedException e) {
                        return null;
                    }
                }).stream().filter(Objects::nonNull).toList();
                assertThat(holders).as("round %d", round).hasSize(1);
                assertThat(leases.holder(partition)).hasValueSatisfying(lease -> assertThat(lease.owner()).isEqualTo(holders.get(0)));
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRenewalThatATakeoverOvertakesLeavesTheNewHolder()
            throws Exception
    {
        // the takeover lands between the renewal's read of the lock and its write: a plain write
        // would put the slow run's lease back over the taker's
        ClockWithAHook clock = new ClockWithAHook();
        S3LeaseStore slow = new S3LeaseStore(storage, new Location("s3://bucket/leases"), clock);
        Partition partition = DAY.withDay(DAY.day().withDayOfMonth(20));
        Lease mine = slow.acquire(partition, "run-slow", Duration.ofMinutes(2));
        Instant now = Instant.now();
        byte[] taker = Json.MAPPER.writeValueAsBytes(new Lease(partition.hivePath(), "run-taker", "another-host", 1, now, now.plusSeconds(120)));
        clock.onNextRead(() -> storage.write(slow.lockObject(partition), taker));

        assertThatThrownBy(() -> slow.renew(mine, Duration.ofMinutes(2))).hasMessageContaining("taken over by").hasMessageContaining("run-taker");
        assertThat(clock.hooked()).isTrue();
        assertThat(storage.read(slow.lockObject(partition))).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(taker));
    }

    @Test
    void twoRenewalsOfOneLeaseAtOnceBothRenewIt()
            throws Exception
    {
        // a run renews from its renewer thread and right before it publishes; neither may take
        // the other's write for a takeover
        Partition partition = DAY.withDay(DAY.day().withDayOfMonth(23));
        Lease mine = leases.acquire(partition, "run-busy", Duration.ofMinutes(2));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                List<Lease> renewed = StartedTogether.run(pool, 2, renewal -> () -> leases.renew(mine, Duration.ofMinutes(3)));
                assertThat(renewed).as("round %d", round).allSatisfy(lease -> assertThat(lease.owner()).isEqualTo("run-busy"));
            }
            assertThat(leases.holder(partition)).hasValueSatisfying(lease -> assertThat(lease.owner()).isEqualTo("run-busy"));
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void repairLeavesALeaseThatAnotherRunIsTakingOver()
            throws Exception
    {
        // a load that found the lease expired has claimed it and is about to delete it
        Partition partition = DAY.withDay(DAY.day().withDayOfMonth(21));
        byte[] expired = expiredAndClaimed(partition, Instant.now());

        assertThatThrownBy(() -> leases.removeIfGone(partition))
                .isInstanceOf(LeaseRefusedException.class)
                .hasMessageContaining("another run is taking over the lease of")
                .hasMessageContaining("run-dead");
        assertThat(storage.read(leases.lockObject(partition))).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(expired));
    }

    @Test
    void repairClearsALeaseWhoseTakerDiedBeforeItsDelete()
            throws Exception
    {
        Partition partition = DAY.withDay(DAY.day().withDayOfMonth(22));
        expiredAndClaimed(partition, Instant.now().minus(ExpiredLock.ABANDONED_AFTER).minusSeconds(60));

        assertThat(leases.removeIfGone(partition)).hasValueSatisfying(lease -> assertThat(lease.owner()).isEqualTo("run-dead"));
        assertThat(storage.read(leases.lockObject(partition))).isEmpty();
        assertThat(leases.acquire(partition, "run-next", Duration.ofMinutes(2)).owner()).isEqualTo("run-next");
    }

    /** The lease of a run of another host that expired ten minutes ago; returns its bytes. */
    private static byte[] writeExpiredLease(Partition partition)
            throws Exception
    {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        byte[] expired = Json.MAPPER.writeValueAsBytes(new Lease(partition.hivePath(), "run-dead", "another-host", 1, past, past.plusSeconds(60)));
        storage.write(leases.lockObject(partition), expired);
        return expired;
    }

    /** An expired lease with a taker's claim on it, made at {@code claimedAt}, as a taker writes it. */
    private static byte[] expiredAndClaimed(Partition partition, Instant claimedAt)
            throws Exception
    {
        byte[] expired = writeExpiredLease(partition);
        storage.write(ExpiredLock.claim(leases.lockObject(partition), expired), ExpiredLock.claimBy("run-taker", claimedAt));
        return expired;
    }

    /** The system clock, which runs a write once, the next time it is read. */
    private static final class ClockWithAHook
            extends Clock
    {
        private final AtomicReference<StorageWrite> hook = new AtomicReference<>();
        private volatile boolean hooked;

        void onNextRead(StorageWrite write)
        {
            hook.set(write);
        }

        boolean hooked()
        {
            return hooked;
        }

        @Override
        public Instant instant()
        {
            StorageWrite write = hook.getAndSet(null);
            if (write != null) {
                try {
                    write.run();
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                hooked = true;
            }
            return Instant.now();
        }

        @Override
        public ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone)
        {
            throw new UnsupportedOperationException("a test clock in UTC");
        }
    }

    private interface StorageWrite
    {
        void run()
                throws IOException;
    }
}
