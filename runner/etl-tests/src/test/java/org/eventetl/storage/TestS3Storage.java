package org.eventetl.storage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.engine.duckdb.DatasetReader;
import org.eventetl.engine.duckdb.LocalCopies;
import org.eventetl.partition.Partition;
import org.eventetl.testing.S3ProxyServer;
import org.eventetl.testing.StartedTogether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The S3 storage against a real S3 API (S3Proxy in-process). */
final class TestS3Storage
{
    private static final Partition ANDROID = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=01");
    private static final Partition ANDROID2 = Partition.parse("brand=olx/tracker=hydra/channel=android2/year=2017/month=08/day=01");
    private static final Partition DAY_10 = ANDROID.withDay(ANDROID.day().withDayOfMonth(10));

    private static S3ProxyServer server;
    private static S3Storage storage;

    @BeforeAll
    static void start()
            throws Exception
    {
        server = new S3ProxyServer("bucket");
        storage = server.storage();
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        storage.close();
        server.close();
    }

    @Test
    void clearDeletesEveryPageOfTheExactPrefixAndNothingElse()
            throws Exception
    {
        Location output = new Location("s3://bucket/clear");
        PublishedPrefix target = new PublishedPrefix(output, "events", ANDROID);
        // more than one DeleteObjects batch and more than one ListObjectsV2 page (1000 keys each)
        for (int i = 0; i < 1_001; i++) {
            storage.write(target.location().resolve("part-" + i + ".parquet"), new byte[] {1});
        }
        storage.write(target.location().resolve("nested/deeper.parquet"), new byte[] {2});
        Location neighbour = new PublishedPrefix(output, "events", ANDROID2).location().resolve("keep.parquet");
        Location otherDay = new PublishedPrefix(output, "events", DAY_10).location().resolve("keep.parquet");
        Location dayOne = new PublishedPrefix(output, "events", ANDROID.withDay(ANDROID.day().withDayOfMonth(1))).location();
        storage.write(neighbour, new byte[] {3});
        storage.write(otherDay, new byte[] {4});

        int before = storage.listRecursively(target.location()).size();
        assertThat(before).isGreaterThan(1_001);

        assertThat(storage.clear(target)).isEqualTo(before);

        assertThat(storage.listRecursively(target.location())).isEmpty();
        assertThat(storage.read(neighbour)).isPresent();
        assertThat(storage.read(otherDay)).isPresent();
        assertThat(dayOne).isEqualTo(target.location());
    }

    /** Files copied between S3 and a local folder whole, byte for byte, a copy's old content replaced; a file not there is said so and copied nowhere. */
    @Test
    void downloadAndUploadCopyWholeFiles(@TempDir Path local)
            throws Exception
    {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(content);
        Path original = local.resolve("original.bin");
        Files.write(original, content);
        Location object = new Location("s3://bucket/copies/original.bin");
        storage.upload(original, object);
        assertThat(storage.read(object)).hasValueSatisfying(bytes -> assertThat(bytes).isEqualTo(content));

        Path copy = local.resolve("copy.bin");
        Files.writeString(copy, "an earlier copy, longer than nothing");
        assertThat(storage.download(object, copy)).isTrue();
        assertThat(Files.readAllBytes(copy)).isEqualTo(content);

        Path none = local.resolve("none.bin");
        assertThat(storage.download(new Location("s3://bucket/copies/missing.bin"), none)).isFalse();
        assertThat(none).doesNotExist();
        assertThatThrownBy(() -> storage.download(new Location("s3://no-such-bucket/copies/original.bin"), none)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("s3://no-such-bucket/copies/original.bin: S3 said NoSuchBucket");
    }

    @Test
    void listFilesSkipsHiddenFilesAndSubfolders()
            throws Exception
    {
        Location folder = new Location("s3://bucket/raw/olx/hydra/android/2017/08/01");
        storage.write(folder.resolve("b.json"), "{}".getBytes(StandardCharsets.UTF_8));
        storage.write(folder.resolve("a.json.gz"), new byte[] {1, 2});
        storage.write(folder.resolve("_SUCCESS"), new byte[0]);
        storage.write(folder.resolve(".tmp.json"), new byte[0]);
        storage.write(folder.resolve("sub/c.json"), new byte[0]);
        storage.write(new Location("s3://bucket/raw/olx/hydra/android/2017/08/011/d.json"), new byte[0]);

        List<SourceFile> files = storage.listFiles(folder);

        assertThat(files).extracting(file -> file.location().fileName()).containsExactly("a.json.gz", "b.json");
        assertThat(files.get(0).bytes()).isEqualTo(2);
        assertThat(storage.folderExists(folder)).isTrue();
        assertThat(storage.folderExists(new Location("s3://bucket/raw/olx/hydra/android/2017/08/02"))).isFalse();
    }

    /**
     * What show and report read from S3 is copied to a temporary folder first: DuckDB's message about
     * a damaged file named that copy (gone by then), and called a .parquet without Parquet's magic bytes
     * "malformed JSON"; a listing that failed named no location.
     */
    @Test
    void aDamagedPublishedFileIsNamedByItsOwnLocation()
            throws Exception
    {
        Location prefix = new PublishedPrefix(new Location("s3://bucket/shown"), "dau", ANDROID).location();
        storage.write(prefix.resolve("data.parquet"), "garbage, not parquet".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> new DatasetReader(storage).read(prefix, "", 10))
                .isInstanceOf(SQLException.class)
                .hasMessageContaining(prefix.resolve("data.parquet").uri())
                .hasMessageNotContaining("etl-copies")
                .hasMessageNotContaining("JSON");
        assertThatThrownBy(() -> LocalCopies.of(storage, new Location("s3://no-such-bucket/shown/dau")))
                .isInstanceOf(IOException.class)
                .hasMessageStartingWith("cannot list s3://no-such-bucket/shown/dau/: ");
    }

    @Test
    void readsWhatItWroteAndReportsAMissingKeyAsEmpty()
            throws Exception
    {
        Location file = new Location("s3://bucket/history/entry.json");
        storage.write(file, "{\"a\":1}".getBytes(StandardCharsets.UTF_8));

        assertThat(storage.read(file)).hasValueSatisfying(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}"));
        assertThat(storage.read(new Location("s3://bucket/history/missing.json"))).isEmpty();
    }

    @Test
    void readsTheStartOfAnObject()
            throws Exception
    {
        Location file = new Location("s3://bucket/raw/start.json");
        storage.write(file, "0123456789".getBytes(StandardCharsets.UTF_8));
        Location empty = new Location("s3://bucket/raw/empty.json");
        storage.write(empty, new byte[0]);

        assertThat(new String(storage.readStart(file, 4), StandardCharsets.UTF_8)).isEqualTo("0123");
        assertThat(new String(storage.readStart(file, 100), StandardCharsets.UTF_8)).isEqualTo("0123456789");
        assertThat(storage.readStart(empty, 4)).isEmpty();
    }

    @Test
    void conditionalPutWritesOnlyTheFirstTime()
            throws Exception
    {
        Location lock = new Location("s3://bucket/_etl/locks/x.lock");
        assertThat(storage.writeIfAbsent(lock, new byte[] {1})).isTrue();
        assertThat(storage.writeIfAbsent(lock, new byte[] {2})).isFalse();
        assertThat(storage.read(lock)).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(1));
    }

    @Test
    void conditionalPutThatMeetsItsOwnBytesCountsAsWritten()
            throws Exception
    {
        // what an SDK retry meets when the first attempt landed but its response was lost
        Location lock = new Location("s3://bucket/_etl/locks/retried.lock");
        storage.write(lock, new byte[] {7, 7});

        assertThat(storage.writeIfAbsent(lock, new byte[] {7, 7})).isTrue();
        assertThat(storage.writeIfAbsent(lock, new byte[] {7, 8})).isFalse();
        assertThat(storage.read(lock)).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(7, 7));
    }

    @Test
    void racingConditionalPutsLetExactlyOneWriterWin()
            throws Exception
    {
        // what a lease needs of the store (real S3 decides a conditional put atomically): writers
        // that start together at an absent key, and only one of them is told it wrote
        eachRoundOneWriterWins("race", round -> Optional.empty(), (key, read, mine) -> storage.writeIfAbsent(key, mine));
    }

    @Test
    void replacesOnlyWhatItRead()
            throws Exception
    {
        Location lock = new Location("s3://bucket/_etl/locks/renewed.lock");
        storage.write(lock, new byte[] {1});

        assertThat(storage.replaceIfUnchanged(lock, new byte[] {1}, new byte[] {2})).isTrue();
        assertThat(storage.replaceIfUnchanged(lock, new byte[] {1}, new byte[] {3})).isFalse();
        assertThat(storage.read(lock)).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(2));

        Location gone = new Location("s3://bucket/_etl/locks/gone.lock");
        assertThat(storage.replaceIfUnchanged(gone, new byte[] {1}, new byte[] {2})).isFalse();
        assertThat(storage.read(gone)).isEmpty();
    }

    /**
     * A lease's release deletes its lock only while it holds what the run read: a lock replaced since
     * (a run that took the day over) stays. (The If-Match of the delete, for the last moment between
     * the read and the delete, only real S3 honours: S3Proxy ignores it.)
     */
    @Test
    void aDeleteIfUnchangedLeavesAReplacedFile()
            throws Exception
    {
        Location lock = new Location("s3://bucket/_etl/locks/released.lock");
        storage.write(lock, new byte[] {1});
        assertThat(storage.deleteIfUnchanged(lock, new byte[] {2})).isFalse();
        assertThat(storage.read(lock)).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(1));
        assertThat(storage.deleteIfUnchanged(lock, new byte[] {1})).isTrue();
        assertThat(storage.read(lock)).isEmpty();
        assertThat(storage.deleteIfUnchanged(lock, new byte[] {1})).isFalse();
    }

    @Test
    void racingReplacesOfOneVersionLetExactlyOneWriterWin()
            throws Exception
    {
        // a renewal racing a takeover: every writer read the same lock, and only the first write
        // over it may land (S3 checks If-Match and writes in one step); a check by reading first
        // would let several writers through
        eachRoundOneWriterWins("renewal-race", round -> Optional.of(new byte[] {(byte) round}),
                (key, read, mine) -> storage.replaceIfUnchanged(key, read.orElseThrow(), mine));
    }

    /** A write that eight writers race to make at one key, each with bytes of its own. */
    private interface RacedWrite
    {
        boolean write(Location key, Optional<byte[]> before, byte[] mine)
                throws Exception;
    }

    /**
     * Eight writers start together at one key, over 25 rounds, the key holding {@code before} of the
     * round (or nothing) at the start: exactly one is told it wrote, and the key holds its bytes.
     */
    private static void eachRoundOneWriterWins(String name, IntFunction<Optional<byte[]>> before, RacedWrite write)
            throws Exception
    {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 25; round++) {
                Location key = new Location("s3://bucket/_etl/locks/" + name + "-" + round + ".lock");
                Optional<byte[]> start = before.apply(round);
                if (start.isPresent()) {
                    storage.write(key, start.get());
                }
                byte current = (byte) round;
                List<Boolean> outcomes = StartedTogether.run(pool, writers, writer -> () -> write.write(key, start, new byte[] {current, (byte) writer}));
                List<Integer> winners = IntStream.range(0, writers).filter(outcomes::get).boxed().toList();
                assertThat(winners).as("round %d", round).hasSize(1);
                byte[] winner = {current, (byte) (int) winners.get(0)};
                assertThat(storage.read(key)).hasValueSatisfying(bytes -> assertThat(bytes).containsExactly(winner));
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    /**
     * An endpoint that is not S3 (a web server on the port, a proxy's error page) answers without
     * an S3 error document: the SDK then has neither a code nor a message, which read "S3 said
     * null: null". The message says what was answered, and what to check.
     */
    @Test
    void anEndpointThatIsNoS3ServiceIsSaidSo()
            throws Exception
    {
        HttpServer web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", exchange -> {
            byte[] page = "<html><body>Not Found</body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(404, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        web.start();
        try (S3Storage notS3 = S3Storage.create(new S3Settings(Optional.of(URI.create("http://127.0.0.1:" + web.getAddress().getPort())), true, Optional.of("us-east-1")))) {
            assertThatThrownBy(() -> notS3.listFiles(new Location("s3://bucket/raw/")))
                    .isInstanceOf(IOException.class)
                    .hasMessage("the endpoint answered HTTP 404 without an S3 error: is it an S3 service?");
            assertThatThrownBy(() -> notS3.read(new Location("s3://bucket/raw/a.json")))
                    .hasMessageNotContaining("null");
        }
        finally {
            web.stop(0);
        }
    }
}
