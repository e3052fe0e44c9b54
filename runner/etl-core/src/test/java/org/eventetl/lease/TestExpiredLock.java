package org.eventetl.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.storage.LocalStorage;
import org.eventetl.storage.Location;

import static org.assertj.core.api.Assertions.assertThat;

final class TestExpiredLock
{
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path folder;

    private final LocalStorage storage = new LocalStorage();

    @Test
    void aTakerWhoseReadIsStaleLeavesTheNewHoldersLockAlone()
            throws Exception
    {
        Location lock = lock(folder);
        byte[] expired = writeExpired(lock);

        // both read the expired lock; the faster clears it and puts its own
        assertThat(ExpiredLock.clear(storage, lock, expired, "run-b", CLOCK)).isTrue();
        assertThat(storage.writeIfAbsent(lock, bytes("run-b"))).isTrue();
        // the slower, acting on what it read before, must not delete run-b's lock
        assertThat(ExpiredLock.clear(storage, lock, expired, "run-a", CLOCK)).isFalse();

        assertThat(storage.read(lock)).hasValueSatisfying(held -> assertThat(held).isEqualTo(bytes("run-b")));
        assertThat(storage.read(ExpiredLock.claim(lock, expired))).hasValueSatisfying(claim -> assertThat(new String(claim, StandardCharsets.UTF_8)).startsWith("run-b\n"));
    }

    @Test
    void eachExpiredLockHasAClaimOfItsOwn()
            throws Exception
    {
        Location lock = lock(folder);
        storage.write(lock, bytes("run-1, expired"));
        assertThat(ExpiredLock.clear(storage, lock, bytes("run-1, expired"), "run-2", CLOCK)).isTrue();

        // the lock run-2 took expires in turn: it can be taken over like the first
        storage.write(lock, bytes("run-2, expired"));
        assertThat(ExpiredLock.clear(storage, lock, bytes("run-2, expired"), "run-3", CLOCK)).isTrue();
        assertThat(storage.read(lock)).isEmpty();
    }

    @Test
    void aClaimWhoseTakerDiedBeforeItsDeleteIsClaimedInTurnByOneTaker()
            throws Exception
    {
        Location lock = lock(folder);
        byte[] expired = writeExpired(lock);
        // run-b claimed the lock and died before deleting it
        Clock then = Clock.offset(CLOCK, ExpiredLock.ABANDONED_AFTER.negated().minusSeconds(1));
        byte[] abandoned = ExpiredLock.claimBy("run-b", then.instant());
        assertThat(storage.writeIfAbsent(ExpiredLock.claim(lock, expired), abandoned)).isTrue();

        // run-c and run-d both find the claim abandoned; the right passes to one of them only
        assertThat(ExpiredLock.clear(storage, lock, expired, "run-c", CLOCK)).isTrue();
        assertThat(storage.writeIfAbsent(lock, bytes("run-c"))).isTrue();
        assertThat(ExpiredLock.clear(storage, lock, expired, "run-d", CLOCK)).isFalse();

        assertThat(storage.read(lock)).hasValueSatisfying(held -> assertThat(held).isEqualTo(bytes("run-c")));
        assertThat(storage.read(ExpiredLock.claim(lock, expired))).as("claims are never deleted").hasValueSatisfying(claim -> assertThat(claim).isEqualTo(abandoned));
    }

    @Test
    void aFreshClaimIsKept()
            throws Exception
    {
        Location lock = lock(folder);
        byte[] expired = writeExpired(lock);
        assertThat(storage.writeIfAbsent(ExpiredLock.claim(lock, expired), ExpiredLock.claimBy("run-b", CLOCK.instant()))).isTrue();

        assertThat(ExpiredLock.clear(storage, lock, expired, "run-c", CLOCK)).isFalse();
        assertThat(ExpiredLock.clear(storage, lock, expired, "run-c", Clock.offset(CLOCK, ExpiredLock.ABANDONED_AFTER.minusSeconds(5)))).isFalse();
        assertThat(storage.read(lock)).hasValueSatisfying(held -> assertThat(held).isEqualTo(expired));
    }

    @Test
    void aLockRenewedSinceItWasReadIsNotDeleted()
            throws Exception
    {
        // its holder was slow, not gone, and renewed it after the taker read it
        Location lock = lock(folder);
        byte[] expired = bytes("run-slow, expired");
        storage.write(lock, bytes("run-slow, renewed"));

        assertThat(ExpiredLock.clear(storage, lock, expired, "run-b", CLOCK)).isFalse();
        assertThat(storage.read(lock)).hasValueSatisfying(held -> assertThat(held).isEqualTo(bytes("run-slow, renewed")));
    }

    private byte[] writeExpired(Location lock)
            throws IOException
    {
        byte[] expired = bytes("run-dead, expired");
        storage.write(lock, expired);
        return expired;
    }

    private static Location lock(Path folder)
    {
        return Location.local(folder.resolve("x.lock"));
    }

    private static byte[] bytes(String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
