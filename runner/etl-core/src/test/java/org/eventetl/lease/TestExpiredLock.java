package org.eventetl.lease;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.storage.LocalStorage;
import org.eventetl.storage.Location;

import static org.assertj.core.api.Assertions.assertThat;

final class TestExpiredLock
{
    @TempDir
    Path folder;

    @Test
    void aTakerWhoseReadIsStaleLeavesTheNewHoldersLockAlone()
            throws Exception
    {
        LocalStorage storage = new LocalStorage();
        Location lock = Location.local(folder.resolve("x.lock"));
        byte[] expired = bytes("run-dead, expired");
        storage.write(lock, expired);

        // both read the expired lock; the faster clears it and puts its own
        assertThat(ExpiredLock.clear(storage, lock, expired, "run-b")).isTrue();
        assertThat(storage.writeIfAbsent(lock, bytes("run-b"))).isTrue();
        // the slower, acting on what it read before, must not delete run-b's lock
        assertThat(ExpiredLock.clear(storage, lock, expired, "run-a")).isFalse();

        assertThat(storage.read(lock)).hasValueSatisfying(held -> assertThat(held).isEqualTo(bytes("run-b")));
        assertThat(storage.read(ExpiredLock.marker(lock, expired))).hasValueSatisfying(marker -> assertThat(new String(marker, StandardCharsets.UTF_8)).startsWith("run-b took over"));
    }

    @Test
    void eachExpiredLockHasAMarkerOfItsOwn()
            throws Exception
    {
        LocalStorage storage = new LocalStorage();
        Location lock = Location.local(folder.resolve("x.lock"));
        storage.write(lock, bytes("run-1, expired"));
        assertThat(ExpiredLock.clear(storage, lock, bytes("run-1, expired"), "run-2")).isTrue();

        // the lock run-2 took expires in turn: it can be taken over like the first
        storage.write(lock, bytes("run-2, expired"));
        assertThat(ExpiredLock.clear(storage, lock, bytes("run-2, expired"), "run-3")).isTrue();
        assertThat(storage.read(lock)).isEmpty();
    }

    private static byte[] bytes(String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
