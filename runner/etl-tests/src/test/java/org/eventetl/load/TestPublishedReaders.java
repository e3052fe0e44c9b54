package org.eventetl.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.partition.Partition;
import org.eventetl.testing.Cli;
import org.eventetl.testing.Published;
import org.eventetl.testing.RawFiles;
import org.eventetl.testing.Samples;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readers of a local output while a day is loaded again and again: every 20 ms a reader counts
 * the rows of each published dataset of the day, and of event_details over every day with one glob,
 * as a query over a table's folder does. None of them may fail, and each count must be a whole
 * run's: the published folders are swapped, never cleared and refilled.
 */
final class TestPublishedReaders
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");
    private static final Partition OTHER_DAY = DAY.withDay(DAY.day().plusDays(1));
    private static final int RERUNS = 6;

    @TempDir
    Path work;

    @Test
    void readersNeverFailAndAlwaysSeeAWholeRun()
            throws Exception
    {
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        Samples.day(source, DAY, 60_000);
        Samples.day(source, OTHER_DAY, 5_000);
        assertThat(load(source, output, OTHER_DAY).code()).isZero();
        assertThat(load(source, output, DAY).code()).isZero();

        List<String> failures = new CopyOnWriteArrayList<>();
        Set<String> counts = Collections.synchronizedSet(new HashSet<>());
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<String> queries = new ArrayList<>();
        for (String dataset : List.of("event_details", "events", "dau", "hourly_activity", "location_grid")) {
            queries.add("SELECT '" + dataset + "', count(*) FROM read_parquet('" + Published.prefix(output, dataset, DAY) + "/*.parquet')");
        }
        queries.add("SELECT 'rejects', count(*) FROM read_json('" + Published.prefix(output, "rejects", DAY) + "/*.json', format = 'newline_delimited')");
        queries.add("SELECT 'all days', count(*) FROM read_parquet('" + output.resolve("event_details") + "/**/*.parquet')");
        Thread reader = new Thread(() -> {
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:")) {
                while (!done.get()) {
                    for (String query : queries) {
                        try (Statement statement = connection.createStatement();
                                ResultSet result = statement.executeQuery(query)) {
                            result.next();
                            counts.add(result.getString(1) + "=" + result.getLong(2));
                        }
                        catch (Exception e) {
                            failures.add(e.getMessage().lines().findFirst().orElse(""));
                        }
                    }
                    reads.incrementAndGet();
                    Thread.sleep(20);
                }
            }
            catch (Exception e) {
                failures.add("the reader stopped: " + e);
            }
        });
        reader.start();
        // reruns alternate between two sources, so consecutive runs publish different outputs
        for (int run = 0; run < RERUNS; run++) {
            Path late = source.resolve(DAY.sourcePath()).resolve("late.json");
            if (run % 2 == 0) {
                RawFiles.write(source, DAY, "late.json", "{\"meta\":{\"session_long\":\"late\"},\"params\":{\"cc\":\"gh\"}}", "late garbage");
            }
            else {
                Files.delete(late);
            }
            Cli.Result result = load(source, output, DAY);
            assertThat(result.code()).as(result.err()).isZero();
        }
        done.set(true);
        reader.join();

        assertThat(failures).as("what readers saw fail").isEmpty();
        assertThat(reads.get()).as("reads made while the day was loaded again").isGreaterThan(RERUNS * 5);
        // two sources, so at most two whole-run counts per dataset: never one of a half-swapped folder
        for (String dataset : List.of("event_details", "events", "rejects", "all days")) {
            assertThat(counts.stream().filter(count -> count.startsWith(dataset + "=")).toList()).as(dataset).hasSizeBetween(1, 2);
        }
    }

    private static Cli.Result load(Path source, Path output, Partition partition)
    {
        return Cli.run("load", "--partition", partition.hivePath(), "--source", source.toString(), "--output", output.toString());
    }
}
