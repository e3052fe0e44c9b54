package org.eventetl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.partition.Partition;
import org.eventetl.testing.Cli;
import org.eventetl.testing.RawFiles;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code etl sample} says it wrote, and the order {@code etl show} lists events in. */
final class TestShowAndSample
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");

    @TempDir
    Path work;

    @Test
    void testSampleSaysWhatItWrote()
            throws Exception
    {
        Cli.Result one = Cli.run("sample", "--partition", DAY.hivePath(), "--events", "1", "--output", work.resolve("one").toString());
        assertThat(one.code()).as(one.err()).isEqualTo(ExitCode.DONE);
        assertThat(one.out()).startsWith("wrote 1 line in 1 file, ");
        // a sample written in well under 2 s has no progress line, in particular not a stale "1 MB written"
        assertThat(one.err()).isEmpty();

        Cli.Result more = Cli.run("sample", "--partition", DAY.hivePath(), "--events", "3000", "--files", "3", "--output", work.resolve("more").toString());
        assertThat(more.out()).startsWith("wrote 3,000 lines in 3 files, ");

        // gzip files are said at their size on disk, as a load counts them (it said the JSON's size alone)
        Path gzipped = work.resolve("gzipped");
        Cli.Result gzip = Cli.run("sample", "--partition", DAY.hivePath(), "--events", "3000", "--gzip", "--output", gzipped.toString());
        assertThat(gzip.code()).as(gzip.err()).isEqualTo(ExitCode.DONE);
        Matcher sizes = Pattern.compile("wrote 3,000 lines in 1 file, ([0-9.]+) MB \\(([0-9.]+) MB of JSON\\), to .*\\R").matcher(gzip.out());
        assertThat(sizes.matches()).as(gzip.out()).isTrue();
        long onDisk = Files.size(RawFiles.folder(gzipped, DAY).resolve("part-00000.json.gz"));
        assertThat(sizes.group(1)).isEqualTo(String.format("%.1f", onDisk / 1e6));
        assertThat(Double.parseDouble(sizes.group(2))).isGreaterThan(Double.parseDouble(sizes.group(1)));

        // a source root may hold what a pattern would (the runner names its files escaped): only an output may not
        Path bracketed = work.resolve("src[1]");
        Cli.Result sample = Cli.run("sample", "--partition", DAY.hivePath(), "--events", "10", "--output", bracketed.toString());
        assertThat(sample.code()).as(sample.err()).isEqualTo(ExitCode.DONE);
        Cli.Result load = Cli.run("load", "--partition", DAY.hivePath(), "--source", bracketed.toString(), "--output", work.resolve("out").toString());
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(Cli.run("load", "--partition", DAY.hivePath(), "--source", bracketed.toString(), "--output", work.resolve("out[1]").toString()).err())
                .contains("holds '*', '?' or '[', which DuckDB's readers take as a pattern");
    }

    /** Events are stored sorted by (country, device_id), blank ids first; show puts the devices first. */
    @Test
    void testShowListsDevicesFirst()
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        RawFiles.write(source, DAY, "a.json",
                "{\"meta\":{\"session_long\":\"\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"za\"}}",
                "{\"meta\":{\"session_long\":\"dev-1\",\"date\":\"2017-08-09T10:00:00Z\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"dev-3\"},\"params\":{}}");
        assertThat(Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()).code()).isZero();

        for (String dataset : List.of("events", "event_details")) {
            Cli.Result show = Cli.run("show", dataset, "--partition", DAY.hivePath(), "--output", output.toString());
            assertThat(show.code()).as(show.err()).isEqualTo(ExitCode.DONE);
            List<String> lines = show.out().lines().toList();
            List<String> columns = List.of(lines.get(0).split("\t"));
            int device = columns.indexOf("device_id");
            int country = columns.indexOf("country");
            assertThat(lines.subList(1, lines.size()).stream().map(line -> line.split("\t", -1)).map(cells -> cells[device] + "/" + cells[country]).toList())
                    .as(dataset).containsExactly("dev-1/GH", "dev-2/ZA", "dev-3/NULL", "/GH", "NULL/GH");
            // a time as DuckDB prints it, not as Java's Timestamp does ("10:00:00.0")
            assertThat(lines.get(1).split("\t")[columns.indexOf("event_time")]).as(dataset).isEqualTo("2017-08-09 10:00:00");
        }

        // every dataset a step writes can be shown, ordered by its columns
        Cli.Result hourly = Cli.run("show", "hourly_activity", "--partition", DAY.hivePath(), "--output", output.toString());
        assertThat(hourly.code()).as(hourly.err()).isEqualTo(ExitCode.DONE);
        assertThat(hourly.out().lines().findFirst()).hasValue("country\thour\tevents\tdevices");
        assertThat(hourly.out().lines().skip(1).map(line -> line.split("\t")[0]).toList()).as("countries, in order (GH at hour 10 and at no hour)").containsExactly("GH", "GH", "ZA", "NULL");
        assertThat(hourly.err()).as("every row shown").isEmpty();

        // a limit that leaves rows out says so, on stderr, and shows exactly as many
        Cli.Result two = Cli.run("show", "events", "--partition", DAY.hivePath(), "--output", output.toString(), "--limit", "2");
        assertThat(two.out().lines().skip(1)).hasSize(2);
        assertThat(two.err()).isEqualTo("etl: the first 2 rows of events shown; --limit N shows more\n");
        Cli.Result all = Cli.run("show", "events", "--partition", DAY.hivePath(), "--output", output.toString(), "--limit", "5");
        assertThat(all.out().lines().skip(1)).hasSize(5);
        assertThat(all.err()).isEmpty();
    }

    /**
     * A file copied into a published folder by hand (another day's, say) was shown with the day's
     * rows, exit 0 and not a word: its rows are shown, as every reader of the folder reads them, with
     * a warning that names it. Deleting it leaves the folder as published, and show says nothing.
     */
    @Test
    void testShowWarnsOfFilesItsRunDidNotPublish()
            throws IOException
    {
        Path source = work.resolve("copied-source");
        Path output = work.resolve("copied-output");
        RawFiles.write(source, DAY, "a.json", "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"gh\"}}");
        assertThat(Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()).code()).isZero();
        Path folder = output.resolve("dau").resolve(DAY.hivePath());
        Path copied = Files.copy(folder.resolve("data.parquet"), folder.resolve("from-another-day.parquet"));

        Cli.Result show = Cli.run("show", "dau", "--partition", DAY.hivePath(), "--output", output.toString());
        assertThat(show.code()).as(show.err()).isEqualTo(ExitCode.DONE);
        assertThat(show.out().lines().skip(1)).as("the copy's rows too, as a reader reads them").containsExactly("GH\t1", "GH\t1");
        assertThat(show.err().strip()).startsWith("etl: warning: " + folder + "/ holds other files than run ")
                .contains(" published (added since: from-another-day.parquet): the rows shown are the folder's as it is now")
                .doesNotContain("\n");

        Files.delete(copied);
        Cli.Result asPublished = Cli.run("show", "dau", "--partition", DAY.hivePath(), "--output", output.toString());
        assertThat(asPublished.out().lines().skip(1)).containsExactly("GH\t1");
        assertThat(asPublished.err()).isEmpty();

        // a file added that DuckDB cannot read: one line, refused (exit 2), that names it and what DuckDB said
        Files.writeString(folder.resolve("theirs.parquet"), "x\n");
        Cli.Result unreadable = Cli.run("show", "dau", "--partition", DAY.hivePath(), "--output", output.toString());
        assertThat(unreadable.code()).as(unreadable.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(unreadable.out()).isEmpty();
        assertThat(unreadable.err().strip()).startsWith("etl: cannot read dau under " + folder + "/: ").contains("theirs.parquet")
                .contains("holds other files than run ").contains("(added since: theirs.parquet)").doesNotContain("\n");
    }

    /**
     * Another tool's folder given as --output, with a file where a dataset's would be: no load ever
     * ran there, which show says in one line (exit 2), as report and repair do, not DuckDB's error
     * on that file after a warning (exit 1, "load the partition again").
     */
    @Test
    void testShowOfAFolderNoLoadRanIn()
            throws IOException
    {
        Path theirs = work.resolve("theirs");
        Path folder = Files.createDirectories(theirs.resolve("dau").resolve(DAY.hivePath()));
        Files.writeString(folder.resolve("theirs.parquet"), "x\n");
        Cli.Result show = Cli.run("show", "dau", "--partition", DAY.hivePath(), "--output", theirs.toString());
        assertThat(show.code()).as(show.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(show.err().strip()).isEqualTo("etl: no dau published by etl for " + DAY.hivePath() + " under " + theirs + ": no load of " + DAY.channelPath()
                + " ever ran there; check the partition's brand, tracker and channel");
        assertThat(folder.resolve("theirs.parquet")).hasContent("x");
    }
}
