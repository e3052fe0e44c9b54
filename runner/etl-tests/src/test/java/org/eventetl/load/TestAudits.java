package org.eventetl.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.partition.Partition;
import org.eventetl.testing.Cli;
import org.eventetl.testing.Loads;
import org.eventetl.testing.Published;
import org.eventetl.testing.RawFiles;
import org.eventetl.testing.Samples;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each built-in audit fails on a fault planted in what a run stages (a step of a copy of sql/
 * edited to write it), publishing nothing and leaving the published day as it was, and passes on
 * good data.
 */
final class TestAudits
{
    /** How many audits the project's sql/ holds, as a load's summary counts them. */
    private static final int AUDITS = Loads.auditCount(Loads.home().resolve("sql"));
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");

    @TempDir
    Path work;

    private Path home;
    private Path source;
    private Path output;
    private Map<String, Map<String, String>> published;

    @BeforeEach
    void publishAGoodDay()
            throws IOException
    {
        home = Loads.copyOfProject(work);
        source = work.resolve("source");
        output = work.resolve("output");
        Samples.day(source, DAY, 1_000);
        Cli.Result good = load("--max-reject-ratio", "0.5");
        assertThat(good.code()).as(good.err()).isZero();
        assertThat(good.out()).contains("audits: " + AUDITS + " of " + AUDITS + " passed");
        published = Published.files(output, DAY);
    }

    @Test
    void eventsMissingARow()
            throws IOException
    {
        edit("V4__events.sql", "ORDER BY country NULLS LAST, device_id NULLS LAST, event_time NULLS LAST\n) TO",
                "ORDER BY country NULLS LAST, device_id NULLS LAST, event_time NULLS LAST\n    OFFSET 1\n) TO");
        assertFails("A1__events_match_event_details", "event_details_rows=");

        // the report shows the published run's outputs, and says at the top that the latest attempt failed
        Cli.Result report = Cli.runIn(home, "report", "--partition", DAY.hivePath(), "--output", output.toString());
        assertThat(report.code()).as(report.err()).isZero();
        String page = Files.readString(Published.prefix(output, "_reports", DAY).resolve("index.html"));
        assertThat(page).containsPattern("The latest attempt, run \\S+ at [^,]+, failed in A1__events_match_event_details")
                .contains("Nothing of it was published");

        // once repair has marked the failure resolved, the page no longer reports it
        Cli.Result repair = Cli.runIn(home, "repair", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(repair.code()).as(repair.err()).isZero();
        assertThat(Cli.runIn(home, "report", "--partition", DAY.hivePath(), "--output", output.toString()).code()).isZero();
        assertThat(Files.readString(Published.prefix(output, "_reports", DAY).resolve("index.html")).contains("The latest attempt"))
                .as("the page still reports the failure that repair resolved").isFalse();
    }

    @Test
    void dauWithACountryNotInEvents()
            throws IOException
    {
        edit("V5__dau.sql", "    GROUP BY country\n    ORDER BY country\n) TO", "    GROUP BY country\n    UNION ALL SELECT 'XX', 1\n) TO");
        assertFails("A2__dau_matches_events", "country=XX");
    }

    @Test
    void aStagedFileThatCannotBeRead()
            throws IOException
    {
        edit("V6__hourly_activity.sql", ") TO '{{target}}data.parquet' (FORMAT parquet, COMPRESSION zstd);",
                ") TO '{{target}}data.parquet' (FORMAT parquet, COMPRESSION zstd);\nCOPY (SELECT 1 AS x) TO '{{target}}cut.parquet' (FORMAT csv);");
        assertFails("A5__staged_files_readable", "could not run");
    }

    @Test
    void aDayWhoseSourceShrankToNothing()
            throws IOException
    {
        try (Stream<Path> files = Files.list(RawFiles.folder(source, DAY))) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        RawFiles.write(source, DAY, "empty.json", "", "   ");
        assertFails("A6__not_emptied", "events_published_before=");

        // the same empty day loaded where it was never published: it publishes, with a warning
        Path fresh = work.resolve("fresh");
        Cli.Result first = Cli.runIn(home, "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", fresh.toString());
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("audits: " + (AUDITS - 1) + " of " + AUDITS + " passed").contains("warning: audit A7__has_events: events_published_before=0, events_now=0");
        assertThat(Published.prefix(fresh, "event_details", DAY)).exists();
        // its rejects file is empty (blank lines are no rejects): no rows, and nothing that cannot be read back
        assertThat(first.out()).doesNotContain("cannot be read back");
        Cli.Result rejects = Cli.runIn(home, "show", "rejects", "--partition", DAY.hivePath(), "--output", fresh.toString());
        // a published day without rejects is no mistake of the user's: it says so, and exits 0
        assertThat(rejects.code()).as(rejects.err()).isZero();
        assertThat(rejects.out()).containsPattern("no rejects rows: run \\S+, published for " + DAY.hivePath() + ", wrote none\n$");
        // a dataset whose files hold no rows says so too, rather than printing a header alone
        Cli.Result dau = Cli.runIn(home, "show", "dau", "--partition", DAY.hivePath(), "--output", fresh.toString());
        assertThat(dau.code()).as(dau.err()).isZero();
        assertThat(dau.out()).containsPattern("^no dau rows: run \\S+, published for " + DAY.hivePath() + ", wrote none\n$");
        // a day never published is
        Cli.Result never = Cli.runIn(home, "show", "rejects", "--partition", DAY.withDay(DAY.day().plusDays(1)).hivePath(), "--output", fresh.toString());
        assertThat(never.code()).isEqualTo(2);
        assertThat(never.err()).contains("the partition is not published; run etl load first");
    }

    @Test
    void aDauDropBelowTheRecentMedianWarnsOrFailsWhenStrict()
            throws IOException
    {
        // four earlier days published with the usual volume, then a day with a tenth of it
        Path busy = work.resolve("busy");
        Path recent = work.resolve("recent");
        for (int back = 1; back <= 4; back++) {
            Partition day = DAY.withDay(DAY.day().minusDays(back));
            Samples.day(recent, day, 3_000);
            assertThat(Cli.runIn(home, "load", "--partition", day.hivePath(), "--source", recent.toString(), "--output", busy.toString(),
                    "--max-reject-ratio", "0.5").code()).isZero();
        }
        Samples.day(recent, DAY, 300);

        Cli.Result strict = Cli.runIn(home, "load", "--partition", DAY.hivePath(), "--source", recent.toString(), "--output", busy.toString(),
                "--max-reject-ratio", "0.5", "--strict-audits");
        assertThat(strict.code()).as(strict.err()).isEqualTo(1);
        assertThat(Cli.lastLine(strict.err())).startsWith("etl: audit A4__dau_volume failed: country=").contains("failing because the run is strict")
                .contains("nothing was published");
        assertThat(Published.prefix(busy, "dau", DAY)).doesNotExist();

        Cli.Result warned = Cli.runIn(home, "load", "--partition", DAY.hivePath(), "--source", recent.toString(), "--output", busy.toString(),
                "--max-reject-ratio", "0.5");
        assertThat(warned.code()).as(warned.err()).isZero();
        assertThat(warned.out()).contains("audits: " + (AUDITS - 1) + " of " + AUDITS + " passed").contains("warning: audit A4__dau_volume: country=");
        assertThat(Published.prefix(busy, "dau", DAY)).exists();

        // a recent day whose dau files are gone (deleted by hand): A4 could not run, and failed every load of the week after it
        Partition emptied = DAY.withDay(DAY.day().minusDays(2));
        try (Stream<Path> files = Files.list(Published.prefix(busy, "dau", emptied))) {
            for (Path file : files.filter(file -> file.toString().endsWith(".parquet")).toList()) {
                Files.delete(file);
            }
        }
        Cli.Result leftOut = Cli.runIn(home, "load", "--partition", DAY.hivePath(), "--source", recent.toString(), "--output", busy.toString(),
                "--max-reject-ratio", "0.5");
        assertThat(leftOut.code()).as(leftOut.err()).isZero();
        assertThat(leftOut.err()).contains(emptied.day() + " is left out of what the audits compare with: dau has none of its published rows"
                + " (reload that day: backfill --only-stale does)");
        assertThat(leftOut.out()).as("three days are left to compare with").contains("warning: audit A4__dau_volume: country=");
    }

    /** A day whose tracker moved its fields loads as events without any field: it publishes, with a warning, and strict fails it. */
    @Test
    void aDayOfEventsWithoutTheirFields()
            throws IOException
    {
        Path moved = work.resolve("moved");
        RawFiles.write(moved, DAY, "a.json",
                "{\"device_id\":\"d1\",\"event_time\":\"2017-08-09T10:00:00Z\",\"country\":\"NG\"}",
                "{\"device_id\":\"d2\",\"event_time\":\"2017-08-09T11:00:00Z\",\"country\":\"NG\"}",
                "{\"meta\":{\"session_long\":\"d3\"},\"params\":{\"cc\":\"ng\"}}");
        Path fresh = work.resolve("fresh-moved");
        Cli.Result strict = Cli.runIn(home, "load", "--partition", DAY.hivePath(), "--source", moved.toString(), "--output", fresh.toString(), "--strict-audits");
        assertThat(strict.code()).as(strict.err()).isEqualTo(1);
        assertThat(Cli.lastLine(strict.err())).startsWith("etl: audit A8__events_have_fields failed: events=3, events_without_device_or_time=2");

        Cli.Result warned = Cli.runIn(home, "load", "--partition", DAY.hivePath(), "--source", moved.toString(), "--output", fresh.toString());
        assertThat(warned.code()).as(warned.err()).isZero();
        assertThat(warned.out()).contains("audits: " + (AUDITS - 1) + " of " + AUDITS + " passed").contains("warning: audit A8__events_have_fields: events=3, events_without_device_or_time=2");

        // one such event in two is no warning: a day's odd events are not a moved tracker
        RawFiles.write(moved, DAY, "b.json", "{\"meta\":{\"session_long\":\"d4\"},\"params\":{\"cc\":\"gh\"}}");
        Cli.Result half = Cli.runIn(home, "load", "--partition", DAY.hivePath(), "--source", moved.toString(), "--output", fresh.toString());
        assertThat(half.code()).as(half.err()).isZero();
        assertThat(half.out()).contains("audits: " + AUDITS + " of " + AUDITS + " passed");
    }

    /**
     * A day folder that holds another day's files (copied in, or linked to the folder that day links
     * to) published that day's events again under this day, every audit passing. Events sent late,
     * a day early or late, are no warning, nor are a few events of another date.
     */
    @Test
    void aDayOfAnotherDatesEvents()
            throws IOException
    {
        Partition earlier = DAY.withDay(DAY.day().minusDays(30));
        Path elsewhere = work.resolve("elsewhere");
        Samples.day(elsewhere, earlier, 500);
        Path copied = work.resolve("copied");
        Files.createDirectories(RawFiles.folder(copied, DAY));
        for (Path file : RawFiles.dataFiles(elsewhere, earlier)) {
            Files.copy(file, RawFiles.folder(copied, DAY).resolve(file.getFileName()));
        }
        Path fresh = work.resolve("fresh-copied");
        Cli.Result strict = Cli.runIn(home, "load", "--partition", DAY.hivePath(), "--source", copied.toString(), "--output", fresh.toString(), "--strict-audits");
        assertThat(strict.code()).as(strict.err()).isEqualTo(1);
        assertThat(Cli.lastLine(strict.err())).containsPattern("^etl: audit A9__events_dated_near_the_day failed: dated_events=\\d+, dated_within_a_day=0, most_common_date="
                + earlier.day());
        Cli.Result warned = Cli.runIn(home, "load", "--partition", DAY.hivePath(), "--source", copied.toString(), "--output", fresh.toString());
        assertThat(warned.code()).as(warned.err()).isZero();
        assertThat(warned.out()).contains("audits: " + (AUDITS - 1) + " of " + AUDITS + " passed").contains("warning: audit A9__events_dated_near_the_day: dated_events=");

        // late and early events (the day before and after, at their edges), with fewer than 100 of another date
        Path late = work.resolve("late");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String date = i % 2 == 0 ? DAY.day().minusDays(1) + "T00:00:00Z" : DAY.day().plusDays(1) + "T23:59:59Z";
            lines.add("{\"meta\":{\"session_long\":\"d" + i + "\",\"date\":\"" + date + "\"},\"params\":{\"cc\":\"gh\"}}");
        }
        for (int i = 0; i < 99; i++) {
            lines.add("{\"meta\":{\"session_long\":\"e" + i + "\",\"date\":\"" + earlier.day() + "T12:00:00Z\"},\"params\":{\"cc\":\"gh\"}}");
        }
        RawFiles.write(late, DAY, "a.json", lines.toArray(String[]::new));
        Cli.Result passed = Cli.runIn(home, "load", "--partition", DAY.hivePath(), "--source", late.toString(), "--output", work.resolve("fresh-late").toString(),
                "--strict-audits");
        assertThat(passed.code()).as(passed.err()).isZero();
        assertThat(passed.out()).contains("audits: " + AUDITS + " of " + AUDITS + " passed");
        // one more of another date: more than half of the day's 200 dated events are away from it
        RawFiles.write(late, DAY, "b.json", "{\"meta\":{\"session_long\":\"f\",\"date\":\"" + DAY.day().minusDays(2) + "T23:59:59Z\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"g\",\"date\":\"" + DAY.day().minusDays(2) + "T23:59:59Z\"},\"params\":{\"cc\":\"gh\"}}");
        Cli.Result away = Cli.runIn(home, "load", "--partition", DAY.hivePath(), "--source", late.toString(), "--output", work.resolve("fresh-late").toString());
        assertThat(away.code()).as(away.err()).isZero();
        assertThat(away.out()).contains("warning: audit A9__events_dated_near_the_day: dated_events=201, dated_within_a_day=100, most_common_date=" + earlier.day());
    }

    private void assertFails(String audit, String firstRow)
    {
        Cli.Result failed = load("--max-reject-ratio", "0.5");
        assertThat(failed.code()).as(failed.err()).isEqualTo(1);
        assertThat(Cli.lastLine(failed.err())).startsWith("etl: audit " + audit).contains(firstRow).contains("nothing was published")
                .contains(output.resolve("_staging") + "/");
        assertThat(Published.files(output, DAY)).isEqualTo(published);
        Cli.Result status = Cli.runIn(home, "status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(status.code()).isEqualTo(3);
        assertThat(status.out()).containsPattern("partition +failed +run \\S+ failed in " + audit);
    }

    private void edit(String step, String from, String to)
            throws IOException
    {
        Path file = home.resolve("sql").resolve(step);
        String text = Files.readString(file);
        assertThat(text).as("the text to plant a fault in").contains(from);
        Files.writeString(file, text.replace(from, to));
    }

    private Cli.Result load(String... flags)
    {
        List<String> arguments = new ArrayList<>(List.of("load", "--partition", DAY.hivePath(), "--source", source.toString(),
                "--output", output.toString()));
        arguments.addAll(List.of(flags));
        return Cli.runIn(home, arguments.toArray(String[]::new));
    }
}
