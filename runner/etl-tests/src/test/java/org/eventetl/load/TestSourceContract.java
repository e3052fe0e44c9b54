package org.eventetl.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.eventetl.cli.ExitCode;
import org.eventetl.partition.Partition;
import org.eventetl.testing.Cli;
import org.eventetl.testing.EventOracle;
import org.eventetl.testing.FolderSnapshot;
import org.eventetl.testing.OutputReader;
import org.eventetl.testing.RawFiles;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source folder is the only thing a load reads (docs/source-contract.md): a symbolic link in
 * it refuses the load by name before anything is written, whatever it points at; an output that is
 * the source, or inside it, through a link is refused; with only regular files the load reads them
 * and nothing else. Through the command line, as a user runs it.
 */
final class TestSourceContract
{
    private static final Partition DAY = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));
    private static final String GOOD = "{\"meta\":{\"session_long\":\"inside\"},\"params\":{\"cc\":\"gh\"}}";
    private static final String OUTSIDE = "{\"meta\":{\"session_long\":\"outside\"},\"params\":{\"cc\":\"za\"}}";

    @TempDir
    Path temporary;

    @Test
    void testLinkToAFileOutsideRefusesTheLoad()
            throws IOException
    {
        Path source = temporary.resolve("source");
        Path outside = Files.writeString(temporary.resolve("elsewhere.json"), OUTSIDE + "\n");
        RawFiles.write(source, DAY, "a.json", GOOD);
        Files.createSymbolicLink(RawFiles.folder(source, DAY).resolve("b.json"), outside);

        Cli.Result run = refused(source, temporary.resolve("output"));
        assertThat(run.err()).contains("b.json is a symbolic link").contains(outside.toString()).contains("only regular files").doesNotContain("your access");
    }

    /** A file whose name is not UTF-8 cannot be opened by name: refused, rather than read as nothing. */
    @Test
    void testAFileNameThatIsNotUtf8RefusesTheLoad()
            throws Exception
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, DAY, "a.json", GOOD);
        // Java cannot name such a file: the shell makes it, with the byte 0xE9 alone (Latin-1's é)
        Process copy = new ProcessBuilder("bash", "-c", "cp a.json $'caf\\xe9.json'").directory(RawFiles.folder(source, DAY).toFile()).start();
        assertThat(copy.waitFor()).isZero();

        assertThat(refused(source, temporary.resolve("output")).err()).contains("its name is not UTF-8").contains("rename it");
    }

    @Test
    void testLinksInsideTheFolderRefuseTheLoadToo()
            throws IOException
    {
        Path source = temporary.resolve("source");
        Path a = RawFiles.write(source, DAY, "a.json", GOOD);
        // a link to a file of the same folder would read it twice; a link to a folder would read nothing or everything
        Files.createSymbolicLink(RawFiles.folder(source, DAY).resolve("again.json"), a.getFileName());
        assertThat(refused(source, temporary.resolve("output")).err()).contains("again.json is a symbolic link");

        Files.delete(RawFiles.folder(source, DAY).resolve("again.json"));
        Files.createSymbolicLink(RawFiles.folder(source, DAY).resolve("day10"), RawFiles.folder(source, DAY.withDay(LocalDate.of(2017, 8, 10))));
        assertThat(refused(source, temporary.resolve("output")).err()).contains("day10 is a symbolic link");
    }

    @Test
    void testHiddenLinksAndSubfoldersAreNotRead()
            throws IOException
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        Path outside = Files.writeString(temporary.resolve("elsewhere.json"), OUTSIDE + "\n");
        RawFiles.write(source, DAY, "a.json", GOOD, "not json");
        RawFiles.write(source, DAY, "nested/b.json", OUTSIDE);
        Path folder = RawFiles.folder(source, DAY);
        // names starting with _ or . are never the day's data, links or not
        Files.createSymbolicLink(folder.resolve("_link.json"), outside);
        Files.createSymbolicLink(folder.resolve(".link.json"), outside);

        Cli.Result run = Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(),
                "--max-reject-ratio", "0.6");

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.DONE);
        OutputReader outputs = new OutputReader(output, DAY);
        assertThat(outputs.events()).extracting(OutputReader.EventRow::deviceId).containsExactly("inside");
        assertThat(outputs.rejects()).extracting(EventOracle.Reject::file).containsExactly(folder.resolve("a.json").toString());
        assertThat(outputs.rejects()).extracting(EventOracle.Reject::lineNumber).containsExactly(2L);
    }

    @Test
    void testOutputInsideTheSourceThroughALinkIsRefused()
            throws IOException
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, DAY, "a.json", GOOD);
        Path link = Files.createSymbolicLink(temporary.resolve("looks-apart"), source);

        assertThat(refused(source, link.resolve("output")).err()).contains("overlap").contains("through links");
        assertThat(refused(source, link).err()).contains("overlap");
        // the root folder holds every source: it is no output either
        assertThat(refused(source, Path.of("/")).err()).contains("--output / and --source " + source + " overlap");
        assertThat(refused(Path.of("/"), temporary.resolve("output")).err()).contains("overlap");
    }

    @Test
    void testMaxLineBytesIsASetting()
            throws IOException
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        RawFiles.write(source, DAY, "a.json", GOOD, "{\"meta\":{\"session_long\":\"" + "y".repeat(3000) + "\"}}", GOOD);
        Path config = Files.writeString(temporary.resolve("etl.properties"), "load.max-line-bytes=2048\n");

        Cli.Result run = Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", source.toString(),
                "--output", output.toString(), "--max-reject-ratio", "0.5");

        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.DONE);
        assertThat(run.out()).contains("too_long");
        assertThat(new OutputReader(output, DAY).rejects()).singleElement().satisfies(reject -> {
            assertThat(reject.reason()).isEqualTo("too_long");
            assertThat(reject.lineNumber()).isEqualTo(2);
            assertThat(reject.lineBytes()).isEqualTo(3028);
        });
        assertThat(new OutputReader(output, DAY).events()).hasSize(2);

        Files.writeString(config, "load.max-line-bytes=lots\n");
        Cli.Result bad = Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", source.toString(),
                "--output", output.toString());
        assertThat(bad.code()).isEqualTo(ExitCode.REFUSED);
        assertThat(bad.err().strip().lines()).singleElement().asString().contains("load.max-line-bytes (in --config " + config + ") must be a whole number of bytes, got 'lots'");
    }

    /**
     * DuckDB's line reader dropped a line over load.max-line-bytes without a trace where it lay
     * across two of its 32 MB buffers with 8 MB of it in the first (no row, no reject, exit 0,
     * status current). The runner finds such lines from the files' bytes, and audit A10 fails the
     * run where the rejects lack one. A long line the reader keeps passes, as a too_long reject.
     */
    @Test
    void testALongLineTheReaderDropsFailsTheRun()
            throws IOException
    {
        int mib = 1024 * 1024;
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        Path config = Files.writeString(temporary.resolve("etl.properties"), "load.max-line-bytes=" + mib + "\n");
        // events up to 8 MB before the end of the reader's first buffer (32 MB), then a 9 MB line
        String event = GOOD + "\n";
        int events = (32 * mib - 8 * mib) / event.length();
        Path day = Files.createDirectories(RawFiles.folder(source, DAY));
        Path file = day.resolve("a.json");
        Files.writeString(file, event.repeat(events) + "x".repeat(9 * mib) + "\n" + event.repeat(10));
        String[] load = {"load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(),
                "--max-reject-ratio", "0.5"};

        Cli.Result dropped = Cli.run(load);
        assertThat(dropped.code()).as(dropped.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(dropped.out() + dropped.err()).contains("A10__long_lines_kept")
                .contains("file=" + file + ", problem=1 line(s) over load.max-line-bytes (" + mib + " bytes), the longest " + 9 * mib + " bytes from byte "
                        + (long) events * event.length() + "; 0 kept as too_long rejects: the line reader dropped the others without a trace, fix=raise load.max-line-bytes");
        assertThat(output.resolve("event_details")).doesNotExist();

        // the same line at the start of the file lies within the first buffer: kept as a reject
        Files.writeString(file, "x".repeat(9 * mib) + "\n" + event.repeat(10));
        Cli.Result kept = Cli.run(load);
        assertThat(kept.code()).as(kept.err()).isEqualTo(ExitCode.DONE);
        assertThat(new OutputReader(output, DAY).rejects()).singleElement().satisfies(reject -> {
            assertThat(reject.reason()).isEqualTo("too_long");
            assertThat(reject.lineBytes()).isEqualTo(9L * mib);
        });
    }

    /**
     * A file that is gzip but not named .gz is read as lines of compressed bytes, all rejects: under
     * the reject ratio the day published without its events (a fault probe: 5,000 events lost, exit
     * 0). Audit A11 names such a file, whether read whole (a small file) or by the line reader.
     */
    @Test
    void testAGzipFileNotNamedGzFailsTheRun()
            throws IOException
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        Path day = Files.createDirectories(RawFiles.folder(source, DAY));
        Files.write(day.resolve("small.json"), gzip((GOOD + "\n").repeat(5_000), Deflater.BEST_COMPRESSION));
        String[] load = {"load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--max-reject-ratio", "0.5"};

        // on a day of few events the compressed lines are over the reject ratio: the day fails A3
        // first, its symptom; A11, which names the file, runs too (the audits stopped at the first
        // that failed)
        Files.writeString(day.resolve("good.json"), (GOOD + "\n").repeat(10));
        Cli.Result ratio = Cli.run(Arrays.copyOf(load, load.length - 2));
        assertThat(ratio.code()).as(ratio.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(ratio.err())).contains("audit A3__reject_ratio failed: ")
                .contains("; and audit A11__no_gzip_read_as_text failed: file=" + day.resolve("small.json"));

        Files.writeString(day.resolve("good.json"), (GOOD + "\n").repeat(100_000));
        // stored, not deflated: over 1 MiB, so the line reader reads it
        Files.write(day.resolve("large.json"), gzip((GOOD + "\n").repeat(30_000), Deflater.NO_COMPRESSION));

        Cli.Result both = Cli.run(load);
        assertThat(both.code()).as(both.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(both.err())).contains("audit A11__no_gzip_read_as_text failed: file=" + day.resolve("large.json"))
                .contains("starts with the bytes of gzip but is not named .gz");
        assertThat(output.resolve("event_details")).doesNotExist();

        Files.delete(day.resolve("large.json"));
        Cli.Result small = Cli.run(load);
        assertThat(small.code()).as(small.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Cli.lastLine(small.err())).contains("audit A11__no_gzip_read_as_text failed: file=" + day.resolve("small.json"));

        Files.move(day.resolve("small.json"), day.resolve("small.json.gz"));
        Cli.Result named = Cli.run(load);
        assertThat(named.code()).as(named.err()).isEqualTo(ExitCode.DONE);
        assertThat(new OutputReader(output, DAY).events()).hasSize(105_000);
    }

    private static byte[] gzip(String text, int level)
            throws IOException
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes) {
            {
                def.setLevel(level);
            }
        }) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** A day folder that is a link to another day's folder of the same source would load that day's events twice: refused by name. */
    @Test
    void testADayFolderLinkedToAnotherDayIsRefused()
            throws Exception
    {
        Path source = temporary.resolve("source");
        Partition other = DAY.withDay(DAY.day().plusDays(1));
        RawFiles.write(source, other, "a.json", GOOD);
        Files.createDirectories(RawFiles.folder(source, DAY).getParent());
        Files.createSymbolicLink(RawFiles.folder(source, DAY), RawFiles.folder(source, other));
        assertThat(refused(source, temporary.resolve("output")).err())
                .contains("is a link to " + RawFiles.folder(source, other).toRealPath() + ", another folder of --source");

        // a source root that is itself a link, or a day folder linked from outside the root (a mount), is read
        Path elsewhere = temporary.resolve("elsewhere");
        RawFiles.write(elsewhere, DAY, "a.json", GOOD);
        Path mounted = temporary.resolve("mounted");
        RawFiles.write(mounted, other, "a.json", GOOD);
        Files.createDirectories(RawFiles.folder(mounted, DAY).getParent());
        Files.createSymbolicLink(RawFiles.folder(mounted, DAY), RawFiles.folder(elsewhere, DAY));
        Path linkedRoot = Files.createSymbolicLink(temporary.resolve("linked-root"), mounted);
        Cli.Result load = Cli.run("load", "--partition", DAY.hivePath(), "--source", linkedRoot.toString(), "--output", temporary.resolve("read").toString());
        assertThat(load.code()).as(load.err()).isZero();
    }

    @Test
    void testAPipeRefusesTheLoadByName()
            throws Exception
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, DAY, "a.json", GOOD);
        Path pipe = RawFiles.folder(source, DAY).resolve("b.json");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        // reading a pipe would block the load until someone writes to it; it is refused before any read
        assertThat(refused(source, temporary.resolve("output")).err()).contains("b.json is not a regular file");
        // status does not advise a load that would be refused: it says why
        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", temporary.resolve("output").toString());
        assertThat(status.code()).as(status.err()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(status.out()).containsPattern("partition +pending +never published.*; a load now would be refused: .*b\\.json is not a regular file");

        // once the day is published, a pipe beside a new file must not hide the new file: the day
        // is not current, and backfill --only-stale fails it with the refusal instead of passing it over
        Files.delete(pipe);
        Path output = temporary.resolve("output");
        assertThat(Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()).code()).isZero();
        RawFiles.write(source, DAY, "c.json", GOOD);
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
        Cli.Result changed = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(changed.code()).as(changed.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(changed.out()).containsPattern("partition +outdated +published by run .*; a load now would be refused: .*b\\.json is not a regular file");
        Cli.Result backfill = Cli.run("backfill", "--partition", "brand=" + DAY.brand() + "/tracker=" + DAY.tracker() + "/channel=" + DAY.channel(), "--from", DAY.day().toString(), "--to", DAY.day().toString(),
                "--only-stale", "--source", source.toString(), "--output", output.toString());
        assertThat(backfill.code()).as(backfill.out() + backfill.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(backfill.out()).containsPattern("failed .*b\\.json is not a regular file");
    }

    /**
     * A name that ends in .gz in another case is refused by name: DuckDB's reader took a.json.GZ for
     * gzip by its extension (where Trino reads it as text), and so read it past the runner's check of
     * each gzip trailer, which looks for .gz: a corrupt one loaded without a word. status says that a
     * load would refuse it.
     */
    @Test
    void testAGzipNameInAnotherCaseRefusesTheLoad()
            throws IOException
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, DAY, "a.json", GOOD);
        Path gzip = RawFiles.writeGzip(source, DAY, "b.json.gz", OUTSIDE);
        Files.move(gzip, gzip.resolveSibling("b.json.GZ"));
        Path output = temporary.resolve("output");
        assertThat(refused(source, output).err()).contains("b.json.GZ ends in .gz in another case, which DuckDB reads as gzip and Trino as text");

        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(status.out()).containsPattern("partition +pending .*a load now would be refused: .*b\\.json\\.GZ ends in \\.gz in another case");
    }

    /**
     * A file named as compressed otherwise than with gzip is refused by name (found by a probe):
     * DuckDB read a .bz2's bytes as lines, which became rejects, and under the reject limit the day
     * published without its events, where Trino decompresses .bz2, .zst, .lz4, .snappy and .deflate.
     */
    @Test
    void testAFileCompressedOtherwiseThanWithGzipRefusesTheLoad()
            throws IOException
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, DAY, "a.json", GOOD);
        // the start of what bzip2 writes
        Files.write(RawFiles.folder(source, DAY).resolve("late.json.bz2"), new byte[] {'B', 'Z', 'h', '9', 0x31, 0x41, 0x59, 0x26, 0x53, 0x59, (byte) 0xff, 0x00});
        Path output = temporary.resolve("output");
        Cli.Result refused = refused(source, output);
        assertThat(refused.err()).contains("late.json.bz2 is named as compressed with .bz2, which the runner does not read (only gzip, .gz)");
        assertThat(output.resolve("events")).doesNotExist();

        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(status.out()).containsPattern("partition +pending .*a load now would be refused: .*late\\.json\\.bz2 is named as compressed");
    }

    @Test
    void testAnUnreadableFileRefusesTheLoadByName()
            throws IOException
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, DAY, "a.json", GOOD);
        Path locked = RawFiles.write(source, DAY, "c.json", GOOD);
        Files.setPosixFilePermissions(locked, Set.of());
        // root reads any file, so the refusal can only be seen as another user
        Assumptions.assumeFalse(Files.isReadable(locked), "running as root: every file is readable");
        assertThat(refused(source, temporary.resolve("output")).err()).contains("c.json cannot be read: permission denied");
    }

    /** A day folder that cannot be listed is an error for status, exit 2, as a folder above it is; never a day pending with a note. */
    @Test
    void testAnUnreadableDayFolderIsAnErrorForStatus()
            throws IOException
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, DAY, "a.json", GOOD);
        Path folder = RawFiles.folder(source, DAY);
        Files.setPosixFilePermissions(folder, Set.of());
        try {
            // root lists any folder, so the refusal can only be seen as another user
            Assumptions.assumeFalse(Files.isReadable(folder), "running as root: every folder is readable");
            Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", temporary.resolve("output").toString());
            assertThat(status.code()).as(status.out() + status.err()).isEqualTo(ExitCode.REFUSED);
            assertThat(status.err()).startsWith("etl: cannot read source partition " + folder).contains("permission denied");
        }
        finally {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    /**
     * A gzip file whose checksum does not match what it decodes to (a bit flipped in storage or in
     * transit; here in its CRC-32 trailer, which DuckDB's reader never reads) and one cut short both
     * fail the run, naming the file, and leave the published day as it was. Unchecked, the first
     * loaded without a word: a flip inside a member decodes to garbage lines, taken for rejects.
     */
    @Test
    void testADamagedGzipFailsTheRunAndKeepsThePublishedDay()
            throws IOException
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        RawFiles.write(source, DAY, "a.json", GOOD);
        Cli.Result first = Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(first.code()).as(first.err()).isEqualTo(ExitCode.DONE);
        Map<String, String> published = FolderSnapshot.of(output.resolve("events"));

        Path whole = RawFiles.writeGzip(source, DAY, "b.json.gz", GOOD.replace("inside", "gz"), OUTSIDE);
        byte[] bytes = Files.readAllBytes(whole);
        byte[] flipped = bytes.clone();
        flipped[flipped.length - 8] ^= 1;
        Files.write(whole, flipped);
        assertDamaged(source, output, "Corrupt GZIP trailer", published);

        Files.write(whole, Arrays.copyOf(bytes, bytes.length - 12));
        assertDamaged(source, output, "it ends inside a member: cut short", published);

        Files.write(whole, bytes);
        Cli.Result replaced = Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(replaced.code()).as(replaced.err()).isEqualTo(ExitCode.DONE);
        assertThat(new OutputReader(output, DAY).events()).extracting(OutputReader.EventRow::deviceId).containsExactlyInAnyOrder("inside", "gz", "outside");
    }

    private void assertDamaged(Path source, Path output, String problem, Map<String, String> published)
    {
        Cli.Result run = Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(run.code()).as(run.err()).isEqualTo(ExitCode.STEP_FAILED);
        // stderr is the progress, then one line with the cause and the file
        List<String> err = run.err().strip().lines().toList();
        assertThat(err.get(err.size() - 1)).startsWith("etl: " + RawFiles.folder(source, DAY).resolve("b.json.gz")
                + " is a damaged gzip file (" + problem + "): what it held cannot be known").contains("published data is unchanged");
        assertThat(err).as("no step ran").noneMatch(line -> line.contains("V2__event_details"));
        assertThat(output.resolve("_staging")).as("a run that failed before its steps removes its staging").isEmptyDirectory();
        assertThat(FolderSnapshot.of(output.resolve("events"))).as("the published events").isEqualTo(published);
        assertThat(new OutputReader(output, DAY).events()).extracting(OutputReader.EventRow::deviceId).containsExactly("inside");
    }

    /** Exit 2, one line on stderr, and not a file written or deleted anywhere under the test's folder. */
    private Cli.Result refused(Path source, Path output)
    {
        Map<String, String> before = FolderSnapshot.of(temporary);
        Cli.Result run = Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(run.code()).as("exit code; stderr: %s", run.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(run.err().strip().lines().toList()).as("stderr").hasSize(1);
        assertThat(FolderSnapshot.of(temporary)).as("files after the refusal").isEqualTo(before);
        return run;
    }
}
