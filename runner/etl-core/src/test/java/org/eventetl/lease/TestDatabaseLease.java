package org.eventetl.lease;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

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
        Instant past = Instant.now().minus(Duration.ofMinutes(5));
        storage.write(lock, Json.MAPPER.writeValueAsBytes(new Lease("schema of athena database etl_prod", "run-dead", "another-host", 1, past, past.plusSeconds(60))));

        try (DatabaseLease taken = DatabaseLease.acquire(storage, lock, "schema of athena database etl_prod", "run-b", Duration.ofSeconds(1), Clock.systemUTC())) {
            assertThat(Json.MAPPER.readValue(storage.read(lock).orElseThrow(), Lease.class).owner()).isEqualTo("run-b");
        }
    }
}
