package org.eventetl.report;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.eventetl.cli.Console;
import org.eventetl.cli.Etl;
import org.eventetl.cli.ExitCode;
import org.eventetl.history.Publication;
import org.eventetl.load.UnfinishedPublishes;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.storage.LocalFolders;
import org.eventetl.storage.LocalStorage;
import org.eventetl.storage.Location;
import org.eventetl.testing.Cli;
import org.eventetl.testing.EtlProcess;
import org.eventetl.testing.Loads;
import org.eventetl.testing.RawFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Days that lack something still give a whole page that says what is missing: a market without
 * events, events without a location, events without a country; and the command line around it.
 */
final class TestReportMissingData
{
    /** One located event of the day, its device numbered. */
    private static final String EVENT = "{\"meta\":{\"session_long\":\"d%d\",\"date\":\"2017-08-09T10:15:30Z\"},\"params\":{\"cc\":\"gh\",\"lat\":5.6,\"long\":-0.2}}";
    private static final Partition PARTITION = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));

    @TempDir
    Path temporary;

    @Test
    void testCountryWithoutEventsAndEventsWithoutLocation()
            throws Exception
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, PARTITION, "a.json",
                "{\"meta\":{\"session_long\":\"d1\",\"date\":\"2017-08-09T10:15:30Z\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"d2\",\"date\":\"2017-08-09T11:15:30Z\"},\"params\":{\"cc\":\"gh\",\"long\":-0.2}}",
                "{\"meta\":{\"session_long\":\"d2\",\"date\":\"2017-08-09T12:15:30Z\"},\"params\":{\"cc\":\"gh\",\"lat\":95.0,\"long\":-0.2}}",
                // codes Natural Earth has no outline for: with a location, a map of the cells; without, no map
                "{\"meta\":{\"session_long\":\"d3\",\"date\":\"2017-08-09T12:15:30Z\"},\"params\":{\"cc\":\"qq\",\"lat\":5.01,\"long\":-2.02}}",
                "{\"meta\":{\"session_long\":\"d4\",\"date\":\"2017-08-09T12:15:30Z\"},\"params\":{\"cc\":\"xx\"}}");
        Path page = load(source);
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html)
                .contains("No events from South Africa (ZA) in this partition.")
                .contains("None of the 3 events from Ghana had a location.")
                .contains("Natural Earth has no outline for QQ; the map shows the located events only.")
                .contains("None of the 1 events from XX had a location, and Natural Earth has no outline for XX: no map.")
                .doesNotContain("id=\"map-XX\"");
        assertImages(page, "dau.png", "hourly.png", "map-gh.png", "map-za.png", "map-qq.png");
        assertThat(page.resolveSibling("map-xx.png")).doesNotExist();

        if (browserAvailable()) {
            try (Chromium browser = Chromium.start(BrowserCheck.chromiumOrSkip(), BrowserCheck.WIDTH, BrowserCheck.HEIGHT)) {
                List<BrowserCheck.Drawn> charts = BrowserCheck.open(browser, page);
                assertThat(charts).extracting(BrowserCheck.Drawn::id)
                        .containsExactly("chart-dau", "chart-hourly-events", "chart-hourly-devices", "map-GH", "map-QQ", "map-ZA");
                // the outlines and cities are drawn even without a single located event
                assertThat(BrowserCheck.chart(charts, "map-ZA").texts()).contains("Johannesburg", "Cape Town");
                BrowserCheck.keep("report-without-locations.png", browser.screenshotPage());
            }
        }
    }

    /**
     * A country is any text the events carried: one that is no plain code ({@code ..}, a slash, 300
     * letters) still gets its map, in a file of the report's own folder whose name it cannot steer.
     * One of 100,000 letters took the charts minutes to draw (JFreeChart wraps a label by measuring
     * it again and again), and one with a NUL stopped the page's script before every map, since a
     * map's element was found by an id that held the country.
     */
    @Test
    void testCountriesThatAreNoPlainCode()
            throws Exception
    {
        Path source = temporary.resolve("source");
        List<String> countries = List.of("..", "A/B", "../../../../tmp/evil", "X".repeat(300), "<b>", "A\\u0000", "Y".repeat(100_000));
        RawFiles.write(source, PARTITION, "a.json", countries.stream()
                .map(country -> "{\"meta\":{\"session_long\":\"d1\",\"date\":\"2017-08-09T10:15:30Z\"},\"params\":{\"cc\":\""
                        + country + "\",\"lat\":5.6,\"long\":-0.2}}")
                .toArray(String[]::new));
        Path page = load(source);

        List<String> maps;
        try (Stream<Path> files = Files.list(page.getParent())) {
            List<Path> all = files.toList();
            assertThat(all).allSatisfy(file -> assertThat(file).isRegularFile());
            maps = all.stream().map(file -> file.getFileName().toString()).filter(name -> name.startsWith("map-x-")).toList();
        }
        assertThat(maps).hasSize(countries.size()).allSatisfy(name -> assertThat(name).matches("map-x-[0-9a-f]{16}\\.png"));
        assertImages(page, maps.toArray(String[]::new));
        assertThat(Files.readString(page, StandardCharsets.UTF_8)).contains("&lt;B&gt;").doesNotContain("<B>").doesNotContain("id=\"map-A\u0000");
        assertThat(temporary.resolve("tmp")).doesNotExist();

        if (browserAvailable()) {
            try (Chromium browser = Chromium.start(BrowserCheck.chromiumOrSkip(), BrowserCheck.WIDTH, BrowserCheck.HEIGHT)) {
                assertThat(BrowserCheck.open(browser, page)).extracting(BrowserCheck.Drawn::id).filteredOn(id -> id.startsWith("map-x-"))
                        .as("every country's map drawn").hasSize(countries.size());
            }
        }
    }

    @Test
    void testNoEventWithACountry()
            throws Exception
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, PARTITION, "a.json",
                "{\"meta\":{\"session_long\":\"d1\",\"date\":\"2017-08-09T10:15:30Z\"},\"params\":{\"long\":-0.2,\"lat\":5.6}}",
                "{}");
        Path page = load(source);
        String html = Files.readString(page, StandardCharsets.UTF_8);
        assertThat(html)
                .contains("No devices: this partition has no events with both a country and a device id.")
                .contains("No events with a country and a time in this partition.")
                .contains("2 events have no country")
                .contains("No events from Ghana (GH) in this partition.")
                .contains("No events from South Africa (ZA) in this partition.")
                .doesNotContain("id=\"chart-dau\"")
                .doesNotContain("id=\"chart-hourly-events\"");
        assertImages(page, "dau.png", "hourly.png", "map-gh.png", "map-za.png");

        if (browserAvailable()) {
            try (Chromium browser = Chromium.start(BrowserCheck.chromiumOrSkip(), BrowserCheck.WIDTH, BrowserCheck.HEIGHT)) {
                assertThat(BrowserCheck.open(browser, page)).extracting(BrowserCheck.Drawn::id).containsExactly("map-GH", "map-ZA");
            }
        }
    }

    @Test
    void testReportOfAPartitionNotLoaded()
    {
        Cli.Result result = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", temporary.resolve("nothing").toString());
        assertThat(result.code()).isEqualTo(2);
        // a folder that is not there is a mistyped --output, said as show says it, not "load the partition"
        assertThat(result.err()).startsWith("etl: no report for " + PARTITION.hivePath()).contains("nothing does not exist (a mistyped --output?)");
        assertThat(temporary.resolve("nothing")).doesNotExist();
    }

    /** A published dataset deleted by hand: the report said to load the day "if it was loaded before this step existed". */
    @Test
    void testReportOfADayWhoseDauWasDeleted()
            throws Exception
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        RawFiles.write(source, PARTITION, "a.json", String.format(EVENT, 1), String.format(EVENT, 2));
        Loads.load(PARTITION, source, output, 1.0);
        LocalFolders.deleteTree(output.resolve("dau").resolve(PARTITION.hivePath()));

        Cli.Result result = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(result.code()).isEqualTo(2);
        assertThat(result.err()).matches("etl: no dau rows under \\S+/dau/" + Pattern.quote(PARTITION.hivePath()) + "/, though run \\S+ published 1:"
                + " its files were deleted or emptied since; etl status says what else is missing, and a reload of the day writes them again\\R");
    }

    /**
     * The report replaced its whole folder: a user's notes there were deleted without a word, and so
     * was a file where the folder must be. It now refuses, naming them, and deletes nothing.
     */
    @Test
    void testReportFolderHoldingOtherFiles()
            throws Exception
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, PARTITION, "a.json", String.format(EVENT, 1));
        Path page = load(source);
        Path output = temporary.resolve("output");
        Path notes = page.resolveSibling("my-notes.txt");
        Files.writeString(notes, "notes\n");
        Cli.Result refused = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(refused.code()).as(refused.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(refused.err()).isEqualTo("etl: " + page.getParent() + "/ holds 1 file that no report wrote (e.g. my-notes.txt):"
                + " a report replaces the whole folder, so move them elsewhere and rerun\n");
        assertThat(Files.readString(notes)).isEqualTo("notes\n");
        assertThat(page).exists();
        Files.delete(notes);

        // named as a report names its files, but not among those the report wrote: kept too (it was deleted)
        Path map = page.resolveSibling("map-zz.png");
        Files.writeString(map, "my own map\n");
        Cli.Result mapRefused = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(mapRefused.code()).as(mapRefused.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(mapRefused.err()).startsWith("etl: " + page.getParent() + "/ holds 1 file that no report wrote (e.g. map-zz.png)");
        assertThat(Files.readString(map)).isEqualTo("my own map\n");

        // a folder that no report wrote, with a hand-written page and chart in it: neither is replaced
        LocalFolders.deleteTree(page.getParent());
        Files.createDirectories(page.getParent());
        Files.writeString(page, "<html>my page</html>\n");
        Files.writeString(page.resolveSibling("dau.png"), "my chart\n");
        Cli.Result pageRefused = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(pageRefused.code()).as(pageRefused.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(pageRefused.err()).startsWith("etl: " + page.getParent() + "/ holds 1 file that no report wrote (e.g. index.html)");
        assertThat(Files.readString(page)).isEqualTo("<html>my page</html>\n");
        assertThat(Files.readString(page.resolveSibling("dau.png"))).isEqualTo("my chart\n");

        // a report's own folder without its list of files (written by an earlier version): replaced
        LocalFolders.deleteTree(page.getParent());
        load(source);
        Files.delete(page.resolveSibling("_etl_report"));
        Cli.Result again = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(page.resolveSibling("_etl_report")).exists();

        LocalFolders.deleteTree(page.getParent());
        Files.writeString(page.getParent(), "a file\n");
        Cli.Result inTheWay = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(inTheWay.code()).as(inTheWay.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(inTheWay.err()).startsWith("etl: " + page.getParent() + " is a file, not a folder, where the report writes its folder");
        assertThat(Files.readString(page.getParent())).isEqualTo("a file\n");
    }

    /**
     * Another day's file copied into a published dataset: the page showed its devices and events
     * as the day's, with no word, where status and show said the folder was changed. Refused now.
     */
    @Test
    void testDatasetHoldingFilesItsRunDidNotPublish()
            throws Exception
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, PARTITION, "a.json", String.format(EVENT, 1), String.format(EVENT, 2));
        Path page = load(source);
        String before = Files.readString(page);
        Path output = temporary.resolve("output");
        Path dau = output.resolve("dau").resolve(PARTITION.hivePath());
        Path copied;
        try (Stream<Path> files = Files.list(dau)) {
            Path published = files.filter(file -> file.toString().endsWith(".parquet")).findFirst().orElseThrow();
            copied = Files.copy(published, dau.resolve("zz.parquet"));
        }

        Cli.Result refused = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());

        assertThat(refused.code()).as(refused.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(refused.err()).startsWith("etl: cannot write the report of " + PARTITION + ": " + dau + "/ holds other files than run ")
                .contains("(added since: zz.parquet)").endsWith("; move what was added away, or load the day again (etl status says more)\n");
        assertThat(Files.readString(page)).isEqualTo(before);

        Files.delete(copied);
        assertThat(Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString()).code()).isZero();
    }

    @Test
    void testLoadWithReport()
            throws Exception
    {
        Path source = oneLocatedEvent();
        Path output = temporary.resolve("output");
        Cli.Result load = Cli.run("load", "--partition", PARTITION.hivePath(), "--source", source.toString(), "--output", output.toString(), "--report");
        assertThat(load.code()).as(load.err()).isZero();
        Path page = output.resolve("_reports").resolve(PARTITION.hivePath()).resolve("index.html");
        assertThat(load.out().strip()).endsWith("report: " + page);
        assertThat(page).isRegularFile();

        // what killed reports left an hour ago and more is removed; a load's staging (its run record
        // first) is the load's to tidy, and a report's of a minute ago may still be written
        Path staging = output.resolve("_staging");
        Path abandoned = staging.resolve("20170809_101112_0123abcd");
        Path recent = staging.resolve(RunId.startingAt(Instant.now().minusSeconds(60)).value());
        Path loads = staging.resolve("20170809_101113_0123abcd");
        for (Path run : List.of(abandoned, recent, loads)) {
            Path left = run.resolve("_reports").resolve(PARTITION.hivePath()).resolve(".index.html.tmp");
            Files.createDirectories(left.getParent());
            Files.write(left, new byte[] {1});
        }
        Files.writeString(loads.resolve("_run.json"), "{}");

        Cli.Result report = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(report.out().strip()).isEqualTo(page.toString());
        assertThat(abandoned).doesNotExist();
        assertThat(recent).isDirectory();
        assertThat(loads.resolve("_run.json")).isRegularFile();
    }

    /**
     * A report killed while it wrote (kill -9 once its page was staged) left its staging area, which
     * only a report of the same day an hour later removed, and which neither status nor repair
     * mentioned. The report's claim on its staging area names its process: once that is gone,
     * status says what is left and repair removes it; a report still being written is left alone.
     */
    @Test
    void testAKilledReportsStagingIsSaidAndRepaired()
            throws Exception
    {
        Path source = oneLocatedEvent();
        Path output = temporary.resolve("output");
        String[] onTheDay = {"--partition", PARTITION.hivePath(), "--source", source.toString(), "--output", output.toString()};
        assertThat(Cli.run(concat("load", onTheDay)).code()).isZero();
        EtlProcess report = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "report staged"),
                List.of("report", "--partition", PARTITION.hivePath(), "--output", output.toString()));
        report.awaitErr("etl: paused at report staged");
        Path staging;
        try (Stream<Path> runs = Files.list(output.resolve("_staging"))) {
            staging = runs.findFirst().orElseThrow();
        }

        // still being written: neither said nor removed
        Cli.Result status = Cli.run(concat("status", onTheDay));
        assertThat(status.code()).as(status.out()).isZero();
        assertThat(status.out()).doesNotContain("etl report");
        assertThat(Cli.run(concat("repair", onTheDay)).out()).contains("nothing to repair");
        assertThat(staging).isDirectory();

        report.kill();
        status = Cli.run(concat("status", onTheDay));
        // the published page is whole: the day stays current, with a note
        assertThat(status.code()).as(status.out()).isZero();
        assertThat(status.out()).contains("etl report " + staging.getFileName() + " was killed while it wrote the page and left its staging area");
        Cli.Result repair = Cli.run(concat("repair", onTheDay));
        assertThat(repair.code()).as(repair.err()).isZero();
        assertThat(repair.out()).contains("removed the staging area of etl report " + staging.getFileName());
        assertThat(staging).doesNotExist();
        assertThat(Cli.run(concat("status", onTheDay)).out()).doesNotContain("etl report");
    }

    /** A source whose day holds one event in ZA, with its location. */
    private Path oneLocatedEvent()
            throws Exception
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, PARTITION, "a.json",
                "{\"meta\":{\"session_long\":\"d1\",\"date\":\"2017-08-09T10:15:30Z\"},\"params\":{\"cc\":\"za\",\"long\":28.05,\"lat\":-26.2}}");
        return source;
    }

    private static String[] concat(String command, String... arguments)
    {
        return Stream.concat(Stream.of(command), Stream.of(arguments)).toArray(String[]::new);
    }

    /**
     * A load killed between its swaps leaves the day's datasets of two runs until its publish is
     * finished: the page, written then, says so at the top, and the command warns on stderr.
     */
    @Test
    void testAPublishCutShortIsSaidAtTheTop()
            throws Exception
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        rerunKilledAt("publish hourly_activity", source, output);

        Cli.Result report = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(report.err()).startsWith("etl: warning: The datasets on this page come from two runs (dau from run ")
                .containsPattern("hourly_activity from run \\S+, location_grid from run \\S+\\): a publish was cut short");
        String html = Files.readString(Path.of(report.out().strip()), StandardCharsets.UTF_8);
        assertThat(html).contains("The datasets on this page come from two runs").doesNotContain("UTC UTC")
                .containsPattern("The latest attempt, run \\S+, started at [^,]+, has no end recorded: it was killed, or is running still")
                .doesNotContain("Nothing of it was published");

        // once the publish is finished, nothing to say
        Cli.Result after = reportOnceRepaired(source, output);
        assertThat(Files.readString(Path.of(after.out().strip()), StandardCharsets.UTF_8)).doesNotContain("come from two runs");
    }

    /**
     * A publish on S3 killed while a copy was in flight: the copy lands after the kill, in a folder
     * whose earlier marker the publish had deleted, so the dataset holds data files of no run's
     * marker. show said those rows were the earlier run's, not yet replaced, and the report drew
     * them on a page that named the earlier run (found by a fault probe on S3Proxy). Here the same
     * folder is made by hand (a local publish swaps whole folders): dau's marker removed once the
     * killed run had replaced the datasets before it.
     */
    @Test
    void testADatasetWithoutItsMarkerInAPublishCutShortIsNoRunsRows()
            throws Exception
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        rerunKilledAt("publish dau", source, output);
        Files.delete(output.resolve("dau").resolve(PARTITION.hivePath()).resolve("_etl_run"));

        Cli.Result report = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(report.code()).as(report.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(report.err()).contains("holds 1 file, ").contains(" of no run: its _etl_run marker is missing");
        Cli.Result show = Cli.run("show", "dau", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(show.code()).as(show.err()).isZero();
        assertThat(show.err()).contains("these rows carry no run's marker").doesNotContain("has not replaced these rows");
    }

    /**
     * A load killed once it had swapped in datasets the page does not read (event_details and
     * rejects come first): the page's own datasets are all the published run's, but the page must
     * not say that nothing of the killed run was published.
     */
    @Test
    void testAPublishCutShortBeforeThePagesDatasetsIsSaidToo()
            throws Exception
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        rerunKilledAt("published rejects", source, output);

        Cli.Result report = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(report.code()).as(report.err()).isZero();
        assertThat(report.err()).startsWith("etl: warning: The publish of run ").contains("began and is not finished")
                .contains("datasets of the day that this page does not read may be that run's already");
        String html = Files.readString(Path.of(report.out().strip()), StandardCharsets.UTF_8);
        assertThat(html).contains("began and is not finished").doesNotContain("Nothing of it was published");

        Cli.Result after = reportOnceRepaired(source, output);
        assertThat(Files.readString(Path.of(after.out().strip()), StandardCharsets.UTF_8)).doesNotContain("is not finished");
    }

    /**
     * show reads one dataset, whole, of one run: while a publish of the day is unfinished it says on
     * stderr whose rows they are and that the day's other datasets may be another run's; the rows
     * stay alone on stdout. It said nothing before.
     */
    @Test
    void testShowWarnsWhileAPublishIsUnfinished()
            throws Exception
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        rerunKilledAt("published rejects", source, output);

        Cli.Result details = Cli.run("show", "event_details", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(details.code()).as(details.err()).isZero();
        assertThat(details.out().lines().count()).as("the new run's two events and the header").isEqualTo(3);
        Matcher swapped = Pattern.compile("etl: warning: these rows are run (\\S+)'s, whose publish began and is not finished \\(it is publishing now, or was cut short\\):"
                + " other datasets of the day may still be an earlier run's; etl status says which, and etl repair or a rerun of the load finishes a publish cut short\\R").matcher(details.err());
        assertThat(swapped.matches()).as(details.err()).isTrue();

        Cli.Result dau = Cli.run("show", "dau", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(dau.code()).as(dau.err()).isZero();
        assertThat(dau.out()).isEqualTo("country\tdevice_count\nGH\t1\n");
        Matcher notYet = Pattern.compile("etl: warning: the publish of run (\\S+) began and is not finished \\(it is publishing now, or was cut short\\) and has not replaced"
                + " these rows \\(run (\\S+)'s\\) yet: other datasets of the day may be that run's already; .*\\R").matcher(dau.err());
        assertThat(notYet.matches()).as(dau.err()).isTrue();
        assertThat(notYet.group(1)).isEqualTo(swapped.group(1)).isNotEqualTo(notYet.group(2));

        assertThat(Cli.run("repair", "--partition", PARTITION.hivePath(), "--source", source.toString(), "--output", output.toString()).code()).isZero();
        Cli.Result repaired = Cli.run("show", "dau", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(repaired.err()).isEmpty();
        assertThat(repaired.out()).isEqualTo("country\tdevice_count\nGH\t2\n");
    }

    /**
     * While a live load publishes (it holds the lease), show and report say that it is publishing
     * now and to ask again once it has ended; they said "or was cut short" and that repair finishes
     * it, which the lease refuses then. Once that load is killed, the same readers say it was cut short.
     */
    @Test
    void testReadersDuringALivePublishSayItIsUnderWay()
            throws Exception
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        EtlProcess live = rerunPausedAt("published rejects", source, output);
        try {
            Cli.Result details = Cli.run("show", "event_details", "--partition", PARTITION.hivePath(), "--output", output.toString());
            assertThat(details.code()).as(details.err()).isZero();
            assertThat(details.err()).matches("etl: warning: these rows are run \\S+'s, which is publishing the day now: other datasets of the day may still be"
                    + " an earlier run's; show it again once that load has ended\\R");
            Cli.Result dau = Cli.run("show", "dau", "--partition", PARTITION.hivePath(), "--output", output.toString());
            assertThat(dau.err()).matches("etl: warning: run \\S+ is publishing the day now and has not replaced these rows \\(run \\S+'s\\) yet: .*\\R")
                    .doesNotContain("cut short").doesNotContain("repair");
            Cli.Result report = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
            assertThat(report.code()).as(report.err()).isZero();
            assertThat(report.err()).contains("is publishing the day now").contains("write the page again once that load has ended").doesNotContain("cut short");
        }
        finally {
            live.kill();
        }
        Cli.Result cut = Cli.run("show", "dau", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(cut.err()).contains("(it is publishing now, or was cut short)").contains("etl repair or a rerun of the load finishes a publish cut short");

        // a day's first load, live, before it swapped a dataset in: said so, not "load it first" nor "repair"
        Partition next = new Partition(PARTITION.brand(), PARTITION.tracker(), PARTITION.channel(), PARTITION.day().plusDays(1));
        RawFiles.write(source, next, "a.json", String.format(EVENT, 3));
        EtlProcess first = loadPausedAt(next, "published rejects", source, output);
        try {
            Cli.Result missing = Cli.run("show", "dau", "--partition", next.hivePath(), "--output", output.toString());
            assertThat(missing.code()).isEqualTo(ExitCode.REFUSED);
            assertThat(missing.err().strip()).matches("etl: no dau for " + Pattern.quote(next.hivePath()) + " under \\S+ yet: run \\S+ is publishing the day now"
                    + " and has not swapped this dataset in yet: ask again once that load has ended");
        }
        finally {
            first.kill();
        }
    }

    /**
     * A day's first load killed between its swaps: show and report, finding a dataset missing, say
     * that its publish is unfinished and that repair finishes it, not "load it first".
     */
    @Test
    void testAFirstPublishCutShortIsNotAskedToLoad()
            throws Exception
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        RawFiles.write(source, PARTITION, "a.json", String.format(EVENT, 1));
        killLoadAt("publish hourly_activity", source, output);

        String unfinished = "no hourly_activity for " + PARTITION.hivePath() + " under " + output + " yet: the publish of run ";
        Cli.Result show = Cli.run("show", "hourly_activity", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(show.code()).isEqualTo(ExitCode.REFUSED);
        assertThat(show.err()).startsWith("etl: " + unfinished).contains("etl repair or a rerun of the load finishes a publish cut short")
                .doesNotContain("load first");
        Cli.Result report = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(report.code()).isEqualTo(ExitCode.REFUSED);
        assertThat(report.err()).startsWith("etl: " + unfinished).doesNotContain("load the partition");

        assertThat(Cli.run("repair", "--partition", PARTITION.hivePath(), "--source", source.toString(), "--output", output.toString()).code()).isZero();
        assertThat(Cli.run("show", "hourly_activity", "--partition", PARTITION.hivePath(), "--output", output.toString()).code()).isZero();
        assertThat(Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString()).code()).isZero();
    }

    /**
     * A day's first load, paused in a step and then killed: show and the report say that run is
     * loading the day (while it holds the lease) or began the first load (once it is dead) and has
     * published nothing, not "load it first"; a load then publishes as usual.
     */
    @Test
    void testAFirstLoadUnderWayIsNotAskedToLoad()
            throws Exception
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        RawFiles.write(source, PARTITION, "a.json", String.format(EVENT, 1));
        EtlProcess running = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "step V4__events"),
                List.of("load", "--partition", PARTITION.hivePath(), "--source", source.toString(), "--output", output.toString()));
        running.awaitErr("etl: paused at step V4__events");
        String firstLoad = "no dau for " + PARTITION.hivePath() + " under " + output + " yet: run ";
        for (String when : List.of("while it runs", "once it is killed")) {
            // while it holds the lease, said to be loading now; once it is dead, said as one that may have stopped or failed
            String said = when.equals("while it runs") ? "is loading the day now, its first load, and has published nothing yet: ask again once that load has ended"
                    : "began the day's first load and has published nothing (it is loading now, was stopped, or failed: etl status says which)";
            Cli.Result show = Cli.run("show", "dau", "--partition", PARTITION.hivePath(), "--output", output.toString());
            assertThat(show.code()).as(when).isEqualTo(ExitCode.REFUSED);
            assertThat(show.err()).as(when).startsWith("etl: " + firstLoad).contains(said).doesNotContain("load first");
            Cli.Result report = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
            assertThat(report.code()).as(when).isEqualTo(ExitCode.REFUSED);
            assertThat(report.err()).as(when).contains(said).doesNotContain("load the partition");
            running.kill();
        }
        assertThat(Cli.run("load", "--partition", PARTITION.hivePath(), "--source", source.toString(), "--output", output.toString()).code()).isZero();
        assertThat(Cli.run("show", "dau", "--partition", PARTITION.hivePath(), "--output", output.toString()).code()).isZero();
    }

    /**
     * A load killed in a step: the page names the killed run as the latest attempt, as status does
     * (it named failed runs only), and shows the published run's outputs.
     */
    @Test
    void testARunKilledInAStepIsTheLatestAttempt()
            throws Exception
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        RawFiles.write(source, PARTITION, "a.json", String.format(EVENT, 1));
        Loads.load(PARTITION, source, output, 1.0);
        killLoadAt("step V4__events", source, output);

        Cli.Result report = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(report.code()).as(report.err()).isZero();
        String html = Files.readString(Path.of(report.out().strip()), StandardCharsets.UTF_8);
        assertThat(html).containsPattern("The latest attempt, run \\S+, started at [^,]+, has no end recorded: it was killed, or is running still"
                + " \\(etl status says which\\)\\. Nothing of it was published");

        // once repair has marked it resolved, the page no longer names it
        assertThat(Cli.run("repair", "--partition", PARTITION.hivePath(), "--source", source.toString(), "--output", output.toString()).code()).isZero();
        Cli.Result after = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(Files.readString(Path.of(after.out().strip()), StandardCharsets.UTF_8)).doesNotContain("The latest attempt");
    }

    /** A pointer that names another run than the datasets' (killed after its last swap, before its pointer): said too. */
    @Test
    void testDatasetsOfARunThePointerDoesNotName()
    {
        UnfinishedPublishes none = new UnfinishedPublishes(List.of(), Map.of(), Optional.empty());
        assertThat(ReportWriter.publishCautions(Map.of("dau", "r2", "hourly_activity", "r2"),
                Optional.of(new Publication("r1", PARTITION.hivePath(), List.of("dau"), Map.of(), Instant.EPOCH)), none, Optional.empty()))
                .singleElement().asString().startsWith("The datasets on this page are run r2's, whose publish was cut short before it was recorded");
        assertThat(ReportWriter.publishCautions(Map.of("dau", "r1", "hourly_activity", "r1"),
                Optional.of(new Publication("r1", PARTITION.hivePath(), List.of("dau"), Map.of(), Instant.EPOCH)), none, Optional.empty())).isEmpty();
        assertThat(ReportWriter.publishCautions(Map.of("dau", "r1"), Optional.empty(), none, Optional.empty())).isEmpty();
        // two runs' datasets while the newer one publishes: under way, not cut short
        Map<String, String> mixed = new TreeMap<>(Map.of("dau", "r2", "hourly_activity", "r1"));
        assertThat(ReportWriter.publishCautions(mixed, Optional.of(new Publication("r1", PARTITION.hivePath(), List.of("dau"), Map.of(), Instant.EPOCH)), none,
                Optional.of("r2"))).singleElement().asString().contains("run r2 is publishing the day now").doesNotContain("cut short");
        assertThat(ReportWriter.publishCautions(mixed, Optional.of(new Publication("r1", PARTITION.hivePath(), List.of("dau"), Map.of(), Instant.EPOCH)), none,
                Optional.empty())).singleElement().asString().contains("a publish was cut short (killed while it published)");
        // a publish unfinished whose run holds the lease: under way, whether or not the page's datasets are its own yet
        UnfinishedPublishes r2 = new UnfinishedPublishes(List.of("r2"), Map.of(), Optional.empty());
        Optional<Publication> r1 = Optional.of(new Publication("r1", PARTITION.hivePath(), List.of("dau"), Map.of(), Instant.EPOCH));
        assertThat(ReportWriter.publishCautions(Map.of("dau", "r2"), r1, r2, Optional.of("r2"))).singleElement().asString()
                .startsWith("The datasets on this page are run r2's, which is publishing the day now").doesNotContain("cut short");
        assertThat(ReportWriter.publishCautions(Map.of("dau", "r1"), r1, r2, Optional.of("r2"))).singleElement().asString()
                .startsWith("Run r2 is publishing the day now").doesNotContain("cut short");
        assertThat(ReportWriter.publishCautions(Map.of("dau", "r1"), r1, r2, Optional.empty())).singleElement().asString()
                .contains("(it is publishing now, or was cut short)");
        // its publish recorded, its lease still held while its afterRun callbacks run: nothing to caution of
        Optional<Publication> recorded = Optional.of(new Publication("r2", PARTITION.hivePath(), List.of("dau"), Map.of(), Instant.EPOCH));
        assertThat(ReportWriter.publishCautions(Map.of("dau", "r2"), recorded, none, Optional.of("r2"))).isEmpty();
    }

    /** Loads a day of one event, then a rerun of it with two, killed (kill -9) at {@code pausePoint}. */
    private static void rerunKilledAt(String pausePoint, Path source, Path output)
            throws Exception
    {
        rerunPausedAt(pausePoint, source, output).kill();
    }

    /** Loads a day of one event, then starts a rerun of it with two that pauses at {@code pausePoint}, live, holding the lease. */
    private static EtlProcess rerunPausedAt(String pausePoint, Path source, Path output)
            throws Exception
    {
        RawFiles.write(source, PARTITION, "a.json", String.format(EVENT, 1));
        Loads.load(PARTITION, source, output, 1.0);
        RawFiles.write(source, PARTITION, "a.json", String.format(EVENT, 1), String.format(EVENT, 2));
        return loadPausedAt(PARTITION, pausePoint, source, output);
    }

    /** Repairs the day, then writes its report, which has no caution to give on stderr. */
    private static Cli.Result reportOnceRepaired(Path source, Path output)
    {
        assertThat(Cli.run("repair", "--partition", PARTITION.hivePath(), "--source", source.toString(), "--output", output.toString()).code()).isZero();
        Cli.Result report = Cli.run("report", "--partition", PARTITION.hivePath(), "--output", output.toString());
        assertThat(report.err()).isEmpty();
        return report;
    }

    /** Starts a load of the day that pauses at {@code pausePoint}, and kills it there (kill -9). */
    private static void killLoadAt(String pausePoint, Path source, Path output)
            throws Exception
    {
        loadPausedAt(PARTITION, pausePoint, source, output).kill();
    }

    /** Starts a load of {@code partition} and waits until it pauses at {@code pausePoint}. */
    private static EtlProcess loadPausedAt(Partition partition, String pausePoint, Path source, Path output)
            throws Exception
    {
        EtlProcess paused = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", pausePoint),
                List.of("load", "--partition", partition.hivePath(), "--source", source.toString(), "--output", output.toString()));
        paused.awaitErr("etl: paused at " + pausePoint);
        return paused;
    }

    private Path load(Path source)
            throws Exception
    {
        Path output = temporary.resolve("output");
        Loads.load(PARTITION, source, output, 1.0);
        return new ReportWriter(new LocalStorage(), Loads.home().resolve("templates")).write(Location.local(output), PARTITION).toPath();
    }

    private static void assertImages(Path page, String... names)
            throws Exception
    {
        for (String name : names) {
            assertThat(ImageIO.read(page.resolveSibling(name).toFile())).as(name).isNotNull();
        }
    }

    /** The files are checked either way; the browser part only where Chromium is. */
    private static boolean browserAvailable()
    {
        return BrowserCheck.available().isPresent();
    }

}
