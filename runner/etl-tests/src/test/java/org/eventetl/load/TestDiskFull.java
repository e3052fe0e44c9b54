package org.eventetl.load;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.partition.Partition;
import org.eventetl.testing.Cli;
import org.eventetl.testing.Published;
import org.eventetl.testing.Samples;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A full disk while a run stages: the output is a small tmpfs (mounted by the test, which needs
 * root; elsewhere it says SKIPPED), first holding a small day's published outputs, then a rerun on a
 * source too big for what is left. The run fails with the reason, and the published day is exactly
 * as it was.
 */
final class TestDiskFull
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");

    @TempDir
    Path work;

    private Path source;
    private Path output;
    private boolean mounted;

    /** A small tmpfs as the output, with a day published on it. */
    @BeforeEach
    void publishADayOnASmallDisk()
            throws Exception
    {
        output = work.resolve("output");
        Files.createDirectories(output);
        mount(output, "4m");
        mounted = true;
        source = work.resolve("source");
        Samples.day(source, DAY, 2_000);
        assertThat(load(source, output).code()).isZero();
    }

    @AfterEach
    void unmount()
            throws Exception
    {
        if (mounted) {
            run("umount", output.toString());
        }
    }

    @Test
    void aFullDiskWhileStagingLeavesThePublishedDayAsItWas()
            throws Exception
    {
        Map<String, Map<String, String>> published = Published.files(output, DAY);
        Path bigger = work.resolve("bigger");
        Samples.day(bigger, DAY, 200_000);
        Cli.Result full = load(bigger, output);

        assertThat(full.code()).as(full.err()).isEqualTo(1);
        assertThat(full.err().strip().lines().toList()).last().asString()
                .startsWith("etl: ").containsIgnoringCase("no space left on device").contains("published data is unchanged")
                // DuckDB's own message, not the JSON document it wraps that in
                .doesNotContain("exception_type").doesNotContain("{");
        assertThat(Published.files(output, DAY)).isEqualTo(published);
        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", bigger.toString(), "--output", output.toString());
        assertThat(status.code()).isEqualTo(3);
        assertThat(status.out()).containsPattern("partition +failed").contains("is intact");

        // room again (repair removes the failed run's staging): the same source loads
        assertThat(Cli.run("repair", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()).code()).isZero();
        assertThat(load(source, output).code()).isZero();
    }

    /**
     * A run that fails and cannot record its end (the day's history on a full disk): its run record
     * stays in its staging, so status says that the run ended without a record, not "current" by the
     * run before it; the next load tidies it and publishes. Before, the run removed its staging,
     * record and all, and status said current.
     */
    @Test
    void aRunThatCannotRecordItsFailureIsNoCurrentDay()
            throws Exception
    {
        Path history = output.resolve("_etl/history").resolve(DAY.hivePath());
        Path kept = work.resolve("history");
        Files.createDirectories(kept);
        try (Stream<Path> files = Files.list(history)) {
            for (Path file : files.toList()) {
                Files.copy(file, kept.resolve(file.getFileName()));
            }
        }
        mount(history, "256k");
        try (Stream<Path> files = Files.list(kept)) {
            for (Path file : files.toList()) {
                Files.copy(file, history.resolve(file.getFileName()));
            }
        }
        fill(history.resolve("filler"));

        Cli.Result failed;
        try {
            failed = load(source, output);
        }
        finally {
            run("umount", history.toString());
        }
        assertThat(failed.code()).as(failed.err()).isEqualTo(1);
        assertThat(failed.err()).containsIgnoringCase("no space left on device");
        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(status.code()).as(status.out()).isEqualTo(3);
        assertThat(status.out()).containsPattern("partition +interrupted").contains("ended without a record");

        assertThat(load(source, output).code()).isZero();
        assertThat(output.resolve("_staging")).isEmptyDirectory();
    }

    /**
     * A disk already full when the load starts: its lease cannot be written. The message names the
     * file, no half-written lock file is left behind, a report names what it could not write, and
     * once there is room the next load goes on.
     */
    @Test
    void aDiskFullBeforeTheRunLeavesNoLockFileAndNamesWhatItCouldNotWrite()
            throws Exception
    {
        Path filler = output.resolve("filler");
        fill(filler);

        Cli.Result refused = load(source, output);
        assertThat(refused.code()).as(refused.err()).isEqualTo(1);
        assertThat(refused.err()).contains("cannot take the lease " + output.resolve("_etl/locks")).containsIgnoringCase("no space left on device");
        try (Stream<Path> files = Files.walk(output.resolve("_etl/locks"))) {
            // (the guard beside the lock, an empty file of the load before, stays: LocalLeaseStore says why)
            assertThat(files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().endsWith(".lock.guard"))).as("lock files left behind").isEmpty();
        }
        Cli.Result report = Cli.run("report", "--partition", DAY.hivePath(), "--output", output.toString());
        assertThat(report.code()).as(report.err()).isEqualTo(1);
        assertThat(report.err()).contains(output.toString()).containsIgnoringCase("no space left on device");

        Files.delete(filler);
        assertThat(load(source, output).code()).isZero();
    }

    /**
     * A dataset folder mounted from another disk: every publish failed at that dataset with "Invalid
     * cross-device link" after swapping the ones before it, and a rerun or repair the same. The load is
     * refused before it takes the lease, and the published day stays as it was.
     */
    @Test
    void aDatasetFolderOnAnotherFileSystemIsRefusedBeforeTheRun()
            throws Exception
    {
        Map<String, Map<String, String>> published = Published.files(output, DAY);
        Path dau = output.resolve("dau");
        Path kept = work.resolve("dau-kept");
        assertThat(run("cp", "-a", dau.toString(), kept.toString())).isZero();
        mount(dau, "4m");
        try {
            assertThat(run("cp", "-a", kept + "/.", dau.toString())).isZero();
            Cli.Result refused = load(source, output);
            assertThat(refused.code()).as(refused.err()).isEqualTo(2);
            assertThat(refused.err()).contains(dau.resolve(DAY.hivePath()) + " is on another file system than " + output)
                    .contains("which cannot cross file systems");
            assertThat(Published.files(output, DAY)).isEqualTo(published);
            assertThat(output.resolve("_etl/locks").resolve(DAY.hivePath() + ".lock")).as("refused before the lease").doesNotExist();
        }
        finally {
            run("umount", dau.toString());
        }
    }

    private static Cli.Result load(Path source, Path output)
    {
        return Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
    }

    /** Writes the file until its disk is full. */
    private static void fill(Path filler)
    {
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[4 * 1024];
            while (true) {
                out.write(block);
            }
        }
        catch (IOException e) {
            // the disk is full
        }
    }

    private static void mount(Path folder, String size)
            throws IOException, InterruptedException
    {
        if (!"root".equals(System.getProperty("user.name")) || run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", folder.toString()) != 0) {
            System.out.println("SKIPPED: TestDiskFull needs root to mount a small tmpfs as the output");
            Assumptions.abort("cannot mount a tmpfs");
        }
    }

    private static int run(String... command)
            throws IOException, InterruptedException
    {
        return new ProcessBuilder(List.of(command)).inheritIO().start().waitFor();
    }
}
