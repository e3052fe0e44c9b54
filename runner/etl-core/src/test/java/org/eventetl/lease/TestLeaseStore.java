package org.eventetl.lease;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

final class TestLeaseStore
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");
    private static final Partition NEXT_DAY = DAY.withDay(DAY.day().plusDays(1));

    @TempDir
    Path output;

    @Test
    void secondRunIsRefusedWhileTheLeaseIsLiveAndNamesTheHolder()
    {
        MovableClock clock = new MovableClock();
        LocalLeaseStore store = new LocalLeaseStore(Location.local(output), clock);
        Lease first = store.acquire(DAY, "run-a", Duration.ofSeconds(60));

        assertThat(first.owner()).isEqualTo("run-a");
        assertThatThrownBy(() -> store.acquire(DAY, "run-b", Duration.ofSeconds(60)))
                .isInstanceOf(LeaseRefusedException.class)
                .hasMessageContaining("run run-a")
                .hasMessageContaining("etl repair");
    }

    /** A process that exited but was never reaped (a zombie) is no run: its lease is gone, as a dead one's. */
    @Test
    void aZombieHoldsNoLease()
            throws Exception
    {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux's /proc");
        // the shell starts a child that exits at once, then becomes a sleep that never waits for it
        Process parent = new ProcessBuilder("bash", "-c", "sleep 0 & echo $!; exec sleep 30").redirectErrorStream(true).start();
        try {
            long zombie = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8)).readLine().strip());
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!Files.readString(Path.of("/proc", Long.toString(zombie), "stat")).matches("(?s)\\d+ \\(.*\\) Z .*") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(ProcessHandle.of(zombie).map(ProcessHandle::isAlive)).as("Java's view of the zombie").contains(true);
            assertThat(LeaseStore.running(zombie)).isFalse();
            assertThat(LeaseStore.running(parent.pid())).isTrue();
            assertThat(LeaseStore.running(ProcessHandle.current().pid())).isTrue();

            Instant now = Instant.now();
            Lease held = new Lease(DAY.hivePath(), "run-z", Lease.thisHost(), zombie, now, now.plusSeconds(600));
            assertThat(LeaseStore.gone(held, Clock.systemUTC())).isTrue();
            assertThat(LeaseStore.gone(new Lease(DAY.hivePath(), "run-p", Lease.thisHost(), parent.pid(), now, now.plusSeconds(600)), Clock.systemUTC())).isFalse();
        }
        finally {
            parent.destroyForcibly().waitFor();
        }
    }

    /**
     * A pid says who holds a lease only together with the process's start time and pid namespace: a
     * restarted container reuses small pids (its own among them), and a container under the same host
     * name has pids that this process cannot look up.
     */
    @Test
    void aReusedPidOrAnotherPidNamespaceIsToldFromTheHolder()
            throws Exception
    {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/ns")), "needs Linux's /proc");
        Instant now = Instant.now();
        Lease mine = Lease.ofThisProcess(DAY.hivePath(), "run-a", now, now.plusSeconds(600));
        assertThat(mine.processStart()).matches("[0-9a-f-]{36}:[0-9]+");
        assertThat(mine.pidNamespace()).startsWith("pid:[");
        assertThat(LeaseStore.gone(mine, Clock.systemUTC())).isFalse();

        // the same pid, started at another time: the holder died and its pid was given to this process
        Lease reused = new Lease(mine.partition(), "run-dead", mine.host(), mine.pid(), now, mine.expiresAt(), mine.processStart() + "0",
                mine.pidNamespace(), Lease.Purpose.LOAD);
        assertThat(LeaseStore.gone(reused, Clock.systemUTC())).isTrue();

        // a pid that runs nowhere here, in another namespace: not ours to judge, so held until it expires
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        Lease elsewhere = new Lease(mine.partition(), "run-b", mine.host(), exited.pid(), now, mine.expiresAt(), mine.processStart(), "pid:[1]", Lease.Purpose.LOAD);
        assertThat(LeaseStore.gone(elsewhere, Clock.systemUTC())).isFalse();
        // and neither a load nor repair sends the user to a repair that could not judge it either
        assertThat(LeaseStore.busy(DAY, elsewhere).getMessage()).contains("where this process cannot see it").doesNotContain("etl repair");
        assertThat(LeaseStore.held(DAY, elsewhere).getMessage()).contains("its lease holds until it expires").doesNotContain("live run");
        assertThat(LeaseStore.busy(DAY, mine).getMessage()).contains("run etl repair");
        assertThat(LeaseStore.gone(new Lease(mine.partition(), "run-b", mine.host(), exited.pid(), now, mine.expiresAt(), mine.processStart(),
                mine.pidNamespace(), Lease.Purpose.LOAD), Clock.systemUTC())).isTrue();
        assertThat(LeaseStore.gone(new Lease(mine.partition(), "run-b", mine.host(), exited.pid(), now.minusSeconds(700), now.minusSeconds(1),
                mine.processStart(), "pid:[1]", Lease.Purpose.LOAD), Clock.systemUTC())).as("expired").isTrue();
    }

    @Test
    void differentPartitionsAreLeasedSideBySide()
    {
        LocalLeaseStore store = new LocalLeaseStore(Location.local(output), new MovableClock());
        store.acquire(DAY, "run-a", Duration.ofSeconds(60));

        assertThat(store.acquire(NEXT_DAY, "run-b", Duration.ofSeconds(60)).owner()).isEqualTo("run-b");
    }

    @Test
    void anExpiredLeaseIsTakenOverAndItsHolderCannotRenewIt()
            throws Exception
    {
        MovableClock clock = new MovableClock();
        LocalLeaseStore store = new LocalLeaseStore(Location.local(output), clock);
        Lease stale = store.acquire(DAY, "run-a", Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(11));

        Lease taken = store.acquire(DAY, "run-b", Duration.ofSeconds(10));

        assertThat(taken.owner()).isEqualTo("run-b");
        assertThat(store.holder(DAY)).hasValueSatisfying(holder -> assertThat(holder.owner()).isEqualTo("run-b"));
        assertThatThrownBy(() -> store.renew(stale, Duration.ofSeconds(10))).hasMessageContaining("taken over");
        // releasing a lease one no longer holds leaves the new holder's lock alone
        store.release(stale);
        assertThat(store.holder(DAY)).isPresent();
    }

    @Test
    void renewingKeepsTheLeaseLivePastItsFirstExpiry()
    {
        MovableClock clock = new MovableClock();
        LocalLeaseStore store = new LocalLeaseStore(Location.local(output), clock);
        Lease lease = store.acquire(DAY, "run-a", Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(8));
        store.renew(lease, Duration.ofSeconds(10));
        clock.advance(Duration.ofSeconds(8));

        assertThatThrownBy(() -> store.acquire(DAY, "run-b", Duration.ofSeconds(10))).isInstanceOf(LeaseRefusedException.class);
    }

    @Test
    void releaseFreesThePartitionAndLeavesNoLockBehind()
    {
        LocalLeaseStore store = new LocalLeaseStore(Location.local(output), new MovableClock());
        Lease lease = store.acquire(DAY, "run-a", Duration.ofSeconds(60));
        store.release(lease);

        assertThat(Files.exists(store.lockFile(DAY))).isFalse();
        assertThat(store.acquire(DAY, "run-b", Duration.ofSeconds(60)).owner()).isEqualTo("run-b");
    }

    @Test
    void repairRemovesOnlyALeaseWhoseHolderIsGone()
            throws Exception
    {
        MovableClock clock = new MovableClock();
        LocalLeaseStore store = new LocalLeaseStore(Location.local(output), clock);
        store.acquire(DAY, "run-a", Duration.ofSeconds(60));

        // held by this very (live) process: not gone
        assertThatThrownBy(() -> store.removeIfGone(DAY)).isInstanceOf(LeaseRefusedException.class);
        clock.advance(Duration.ofSeconds(61));
        assertThat(store.removeIfGone(DAY)).hasValueSatisfying(lease -> assertThat(lease.owner()).isEqualTo("run-a"));
        assertThat(store.holder(DAY)).isEmpty();
    }

    private static final class MovableClock
            extends Clock
    {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration)
        {
            now = now.plus(duration);
        }

        @Override
        public Instant instant()
        {
            return now;
        }

        @Override
        public java.time.ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone)
        {
            return this;
        }
    }
}
