package org.eventetl.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.testing.FolderSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

final class TestLocalStorage
{
    private final LocalStorage storage = new LocalStorage();

    @TempDir
    Path root;

    /**
     * A written file gets the permissions of any new file here (the process's umask), not the
     * private 0600 of a temporary file: another user's {@code etl status} must be able to read the
     * history, as it can read the Parquet files that the engine writes.
     */
    @Test
    void testWriteFollowsTheUmask()
            throws IOException
    {
        Path plain = Files.writeString(root.resolve("plain.txt"), "made with the umask");
        Location written = Location.local(root.resolve("_etl/history/entry.json"));

        storage.write(written, "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(Files.getPosixFilePermissions(written.toPath())).isEqualTo(Files.getPosixFilePermissions(plain))
                .as("readable by others under the usual umask 022").contains(PosixFilePermission.OTHERS_READ);
        assertThat(FolderSnapshot.of(root.resolve("_etl"))).as("no temporary file left").containsOnlyKeys("history/entry.json");
    }

    @Test
    void testClearRemovesOnlyTheExactPrefix()
            throws IOException
    {
        String base = "events/brand=olx/tracker=hydra/";
        String target = base + "channel=android/year=2017/month=08/day=01/";
        create(target + "data.parquet");
        create(target + "fieldless_objects.parquet");
        create(target + "nested/deeper/stray.txt");
        create(target + ".hidden");
        create(target + "_SUCCESS");
        // lookalikes that a prefix without its trailing slash, or a sloppy glob, would match
        create(base + "channel=android2/year=2017/month=08/day=01/data.parquet");
        create(base + "channel=android_old/year=2017/month=08/day=01/data.parquet");
        create(base + "channel=android/year=2017/month=08/day=010/data.parquet");
        create(base + "channel=android/year=2017/month=08/day=01x/data.parquet");
        create(base + "channel=android/year=2017/month=08/day=1/data.parquet");
        create(base + "channel=android/year=2017/month=08/day=10/data.parquet");
        create(base + "channel=android/year=2017/month=08/day=01.parquet");
        create(base + "channel=android/year=2017/month=08/other.parquet");
        create("events/brand=olx/tracker=hydra/channel=android/data.parquet");
        create("dau/brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=01/data.parquet");
        Map<String, String> before = FolderSnapshot.of(root);

        int deleted = storage.clear(new PublishedPrefix(Location.local(root), "events", partition("android", 1)));

        assertThat(deleted).isEqualTo(5);
        Path cleared = root.resolve(target);
        assertThat(cleared).isEmptyDirectory();
        Map<String, String> expected = new TreeMap<>(before);
        expected.keySet().removeIf(path -> path.startsWith(target));
        assertThat(expected).hasSize(before.size() - 5);
        assertThat(FolderSnapshot.of(root)).isEqualTo(expected);
    }

    @Test
    void testClearDayOneLeavesDayTen()
            throws IOException
    {
        create("events/brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=10/data.parquet");
        create("events/brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=01/data.parquet");
        create("events/brand=olx/tracker=hydra/channel=android/year=2017/month=10/day=01/data.parquet");

        assertThat(storage.clear(new PublishedPrefix(Location.local(root), "events", partition("android", 10)))).isEqualTo(1);

        assertThat(FolderSnapshot.of(root)).containsOnlyKeys(
                "events/brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=01/data.parquet",
                "events/brand=olx/tracker=hydra/channel=android/year=2017/month=10/day=01/data.parquet");
    }

    @Test
    void testClearMissingPrefix()
            throws IOException
    {
        create("events/brand=olx/tracker=hydra/channel=android2/year=2017/month=08/day=01/data.parquet");

        assertThat(storage.clear(new PublishedPrefix(Location.local(root), "events", partition("android", 1)))).isZero();
        assertThat(FolderSnapshot.of(root)).hasSize(1);
    }

    @Test
    void testTargetPrefixKeepsTrailingSlash()
    {
        PublishedPrefix prefix = new PublishedPrefix(Location.local(root), "events", partition("android", 1));

        assertThat(prefix.prefix()).isEqualTo(root.toAbsolutePath() + "/events/brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=01/");
        assertThat(new PublishedPrefix(Location.local(root), "events", partition("android2", 1)).prefix()).doesNotStartWith(prefix.prefix());
    }

    @Test
    void testListFiles()
            throws IOException
    {
        String folder = "olx/hydra/android/2017/08/01/";
        create(folder + "part-00001.json");
        create(folder + "part-00000.json.gz");
        create(folder + "b.json");
        create(folder + "_SUCCESS");
        create(folder + "_temporary.json");
        create(folder + ".hidden");
        create(folder + ".part-00002.json");
        create(folder + "sub/part-00003.json");
        Files.createDirectories(root.resolve(folder + "empty"));
        Files.writeString(root.resolve(folder + "b.json"), "12345");

        List<SourceFile> files = storage.listFiles(Location.local(root.resolve(folder)));

        assertThat(files).extracting(file -> file.location().fileName())
                .containsExactly("b.json", "part-00000.json.gz", "part-00001.json");
        assertThat(files.get(0).bytes()).isEqualTo(5);
        assertThat(files.get(0).location().uri()).isEqualTo(root.resolve(folder + "b.json").toAbsolutePath().toString());
        assertThat(files).extracting(SourceFile::gzip).containsExactly(false, true, false);
    }

    /** ENOTDIR names the path asked for: the reason names the part of it that is a file. */
    @Test
    void testReadUnderAFileNamesTheFile()
            throws IOException
    {
        create("a/b/file.json");
        Path asked = root.resolve("a/b/file.json/day/_etl_run");
        IOException failure = catchThrowableOfType(() -> storage.read(Location.local(asked)), IOException.class);
        assertThat(FileReasons.describe(failure)).isEqualTo(root.resolve("a/b/file.json") + " is a file, not a folder (on the way to " + asked + ")");
        assertThat(FileReasons.fileInTheWay(asked)).contains(root.resolve("a/b/file.json"));
        assertThat(FileReasons.fileInTheWay(root.resolve("a/b/none/day"))).isEmpty();
        // the path itself being a file is not in the way of it
        assertThat(FileReasons.fileInTheWay(root.resolve("a/b/file.json"))).isEmpty();
    }

    @Test
    void testFolderExists()
            throws IOException
    {
        create("a/b/file.json");

        assertThat(storage.folderExists(Location.local(root.resolve("a/b")))).isTrue();
        assertThat(storage.folderExists(Location.local(root.resolve("a/c")))).isFalse();
        // a file where a folder is asked for is not a missing folder: a day of data would pass as no source
        assertThatThrownBy(() -> storage.folderExists(Location.local(root.resolve("a/b/file.json"))))
                .isInstanceOf(IOException.class).hasMessage("it is a file, not a folder");
        assertThatThrownBy(() -> storage.folderExists(Location.local(root.resolve("a/b/file.json/day"))))
                .isInstanceOf(IOException.class).hasMessage("a part of this path is a file, not a folder");
    }

    @Test
    void testListRecursively()
            throws IOException
    {
        create("x/b.json");
        create("x/a/c.json");
        create("x/_marker");

        assertThat(storage.listRecursively(Location.local(root.resolve("x"))))
                .extracting(Location::uri)
                .containsExactly(root.resolve("x/_marker").toString(), root.resolve("x/a/c.json").toString(), root.resolve("x/b.json").toString());
        assertThat(storage.listRecursively(Location.local(root.resolve("missing")))).isEmpty();
    }

    @Test
    void testWriteAndRead()
            throws IOException
    {
        Location file = Location.local(root.resolve("deep/folder/entry.json"));

        assertThat(storage.read(file)).isEmpty();
        storage.write(file, "first".getBytes(StandardCharsets.UTF_8));
        storage.write(file, "second".getBytes(StandardCharsets.UTF_8));

        assertThat(storage.read(file)).map(bytes -> new String(bytes, StandardCharsets.UTF_8)).contains("second");
        // no temporary files are left next to it
        assertThat(FolderSnapshot.of(root)).containsOnlyKeys("deep/folder/entry.json");
    }

    @Test
    void testAReaderThatOpenedThePublishedFolderBeforeASwapStillListsItsFiles()
            throws IOException
    {
        // what a glob over the published folder does: open it, then read its entries
        Location output = Location.local(root);
        StagedPrefix first = new StagedPrefix(new RunStaging(output, RunId.startingAt(Instant.now())), "rejects", partition("android", 9));
        storage.write(first.location().resolve("old.json"), "{}".getBytes(StandardCharsets.UTF_8));
        storage.publish(first);
        StagedPrefix second = new StagedPrefix(new RunStaging(output, RunId.startingAt(Instant.now().plusSeconds(1))), "rejects", partition("android", 9));
        storage.write(second.location().resolve("new.json"), "{}".getBytes(StandardCharsets.UTF_8));
        Path published = second.published().location().toPath();

        List<String> listed = new ArrayList<>();
        try (DirectoryStream<Path> opened = Files.newDirectoryStream(published)) {
            storage.publish(second);
            opened.forEach(file -> listed.add(file.getFileName().toString()));
        }

        assertThat(listed).containsExactly("old.json");
        assertThat(FolderSnapshot.of(published)).containsOnlyKeys("new.json");
        // the replaced folder goes with the run's staging area
        storage.clear(second.run());
        assertThat(second.run().location().toPath()).doesNotExist();
    }

    private static Partition partition(String channel, int day)
    {
        return new Partition("olx", "hydra", channel, LocalDate.of(2017, 8, day));
    }

    private void create(String relative)
            throws IOException
    {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, relative);
    }
}
