package org.eventetl.report;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.eventetl.partition.Partition;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;
import org.eventetl.testing.EventOracle;
import org.eventetl.testing.Loads;
import org.eventetl.testing.OutputReader;
import org.eventetl.testing.RawFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report's aggregates, {@code hourly_activity} (V6) and {@code location_grid} (V7), against the
 * same figures computed straight from the raw JSON by {@link EventOracle} and plain Java.
 */
final class TestReportAggregates
{
    private static final Partition PARTITION = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));

    @TempDir
    Path temporary;

    @Test
    void testHandWrittenLines()
    {
        Path source = temporary.resolve("source");
        RawFiles.write(source, PARTITION, "a.json",
                "{\"meta\":{\"session_long\":\"d1\",\"date\":\"2017-08-09T10:15:30Z\"},\"params\":{\"cc\":\"gh\",\"long\":-0.187,\"lat\":5.6037}}",
                // the same device, hour and cell: once in each
                "{\"meta\":{\"session_long\":\"d1\",\"date\":\"2017-08-09T10:59:59.999Z\"},\"params\":{\"cc\":\"GH\",\"long\":-0.1501,\"lat\":5.6999}}",
                // the next hour, the next cell up
                "{\"meta\":{\"session_long\":\"d1\",\"date\":\"2017-08-09T11:00:00Z\"},\"params\":{\"cc\":\"gh\",\"long\":-0.187,\"lat\":5.7}}",
                // an offset: 12:30+02:00 is 10:30 UTC
                "{\"meta\":{\"session_long\":\"d2\",\"date\":\"2017-08-09T12:30:00+02:00\"},\"params\":{\"cc\":\"gh\",\"long\":-0.19,\"lat\":5.61}}",
                // cells on the edges: negative coordinates floor away from zero, exact multiples start a cell
                "{\"meta\":{\"session_long\":\"d3\",\"date\":\"2017-08-09T01:00:00Z\"},\"params\":{\"cc\":\"za\",\"long\":28.0,\"lat\":-26.2}}",
                "{\"meta\":{\"session_long\":\"d3\",\"date\":\"2017-08-09T01:30:00Z\"},\"params\":{\"cc\":\"za\",\"long\":-0.05,\"lat\":-0.05}}",
                "{\"meta\":{\"session_long\":\"d4\",\"date\":\"2017-08-09T01:45:00Z\"},\"params\":{\"cc\":\"za\",\"long\":180,\"lat\":-90}}",
                // outside the world, or half a location: no usable location
                "{\"meta\":{\"session_long\":\"d4\",\"date\":\"2017-08-09T02:00:00Z\"},\"params\":{\"cc\":\"za\",\"long\":28.1,\"lat\":-91}}",
                "{\"meta\":{\"session_long\":\"d4\",\"date\":\"2017-08-09T02:00:00Z\"},\"params\":{\"cc\":\"za\",\"long\":181,\"lat\":10}}",
                "{\"meta\":{\"session_long\":\"d5\",\"date\":\"2017-08-09T02:00:00Z\"},\"params\":{\"cc\":\"za\",\"lat\":-26.2}}",
                "{\"meta\":{\"session_long\":\"d5\",\"date\":\"2017-08-09T02:10:00Z\"},\"params\":{\"cc\":\"za\",\"long\":\"28\",\"lat\":-26.2}}",
                // a device in two countries counts in both
                "{\"meta\":{\"session_long\":\"d1\",\"date\":\"2017-08-09T10:20:00Z\"},\"params\":{\"cc\":\"za\",\"long\":28.05,\"lat\":-26.2}}",
                // empty and missing device ids are events but not devices
                "{\"meta\":{\"session_long\":\"\",\"date\":\"2017-08-09T10:20:00Z\"},\"params\":{\"cc\":\"gh\",\"long\":-0.187,\"lat\":5.6037}}",
                "{\"meta\":{\"date\":\"2017-08-09T10:20:00Z\"},\"params\":{\"cc\":\"gh\",\"long\":-0.187,\"lat\":5.6037}}",
                // no time: the hour NULL; the day before and after: their own hours
                "{\"meta\":{\"session_long\":\"d6\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"d6\",\"date\":\"not a time\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"d6\",\"date\":\"2017-08-08T23:59:00Z\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"d6\",\"date\":\"2017-08-09T23:30:00-02:00\"},\"params\":{\"cc\":\"gh\"}}",
                // no country
                "{\"meta\":{\"session_long\":\"d7\",\"date\":\"2017-08-09T05:00:00Z\"},\"params\":{\"long\":1.5,\"lat\":2.5}}",
                "{\"meta\":{\"session_long\":\"d7\"},\"params\":{\"cc\":\"  \"}}",
                // events of nulls, and a reject
                "{}",
                "{\"meta\":null,\"params\":null}",
                "not json");
        assertAggregatesMatchOracle(source);
    }

    @Test
    void testGeneratedDay()
            throws Exception
    {
        Path source = temporary.resolve("source");
        // dirty fields and malformed lines, so that nulls of every kind reach the aggregates
        new SampleWriter(new SampleSpec(PARTITION, source, 40_000, 3, 11, 0.05, 0.002, false)).write(ignored -> {});
        assertAggregatesMatchOracle(source);
    }

    private void assertAggregatesMatchOracle(Path source)
    {
        Path output = temporary.resolve("output");
        Loads.load(PARTITION, source, output, 1.0);
        EventOracle oracle = EventOracle.of(RawFiles.folder(source, PARTITION));
        OutputReader reader = new OutputReader(output, PARTITION);

        assertSameRows("hourly_activity", readHourly(reader.folder("hourly_activity")), expectedHourly(oracle));
        assertSameRows("location_grid", readGrid(reader.folder("location_grid")), expectedGrid(oracle));
        assertThat(readDouble(reader.folder("location_grid"), "SELECT DISTINCT cell_degrees")).isEqualTo(0.1);
    }

    /** Names only the rows that differ: a day has thousands of cells. */
    private static void assertSameRows(String dataset, Map<Key, Counts> actual, Map<Key, Counts> expected)
    {
        List<String> differences = new ArrayList<>();
        Set<Key> keys = new HashSet<>(expected.keySet());
        keys.addAll(actual.keySet());
        for (Key key : keys) {
            if (!Objects.equals(actual.get(key), expected.get(key))) {
                differences.add(key + ": wrote " + actual.get(key) + ", expected " + expected.get(key));
            }
        }
        assertThat(differences).as("%s rows that differ from the oracle (of %d expected)", dataset, expected.size()).isEmpty();
        assertThat(actual).isNotEmpty();
    }

    /** Per (country, UTC hour): events, and distinct non-empty device ids. */
    private static Map<Key, Counts> expectedHourly(EventOracle oracle)
    {
        Map<Key, Accumulator> groups = new HashMap<>();
        for (EventOracle.Event event : oracle.events()) {
            Object hour = event.eventTime() == null ? null : LocalDateTime.ofInstant(event.eventTime(), ZoneOffset.UTC).truncatedTo(ChronoUnit.HOURS);
            groups.computeIfAbsent(new Key(event.country(), hour, null), ignored -> new Accumulator()).add(event.deviceId());
        }
        return counts(groups);
    }

    /** Per (country, 0.1° cell named by its centre): events and devices; a missing or impossible coordinate is no cell. */
    private static Map<Key, Counts> expectedGrid(EventOracle oracle)
    {
        Map<Key, Accumulator> groups = new HashMap<>();
        for (EventOracle.Event event : oracle.events()) {
            Double latitude = event.latitude();
            Double longitude = event.longitude();
            boolean located = latitude != null && longitude != null && latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180;
            Key key = located
                    ? new Key(event.country(), (Math.floor(latitude * 10) + 0.5) / 10, (Math.floor(longitude * 10) + 0.5) / 10)
                    : new Key(event.country(), null, null);
            groups.computeIfAbsent(key, ignored -> new Accumulator()).add(event.deviceId());
        }
        return counts(groups);
    }

    private static Map<Key, Counts> counts(Map<Key, Accumulator> groups)
    {
        Map<Key, Counts> counts = new HashMap<>();
        groups.forEach((key, group) -> counts.put(key, new Counts(group.events, group.devices.size())));
        return counts;
    }

    private static Map<Key, Counts> readHourly(Path folder)
    {
        return read(folder, "SELECT country, hour, NULL, events, devices", result -> result.getObject(2, LocalDateTime.class), result -> null);
    }

    private static Map<Key, Counts> readGrid(Path folder)
    {
        return read(folder, "SELECT country, cell_latitude, cell_longitude, events, devices", result -> (Double) result.getObject(2), result -> (Double) result.getObject(3));
    }

    private static Map<Key, Counts> read(Path folder, String select, Column first, Column second)
    {
        Map<Key, Counts> rows = new HashMap<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(select + " FROM read_parquet('" + folder + "/*.parquet')")) {
            while (result.next()) {
                Key key = new Key(result.getString(1), first.read(result), second.read(result));
                Counts previous = rows.put(key, new Counts(result.getLong(4), result.getLong(5)));
                assertThat(previous).as("a second row for %s", key).isNull();
            }
        }
        catch (SQLException e) {
            throw new AssertionError(e);
        }
        return rows;
    }

    private interface Column
    {
        Object read(ResultSet result)
                throws SQLException;
    }

    private static double readDouble(Path folder, String select)
    {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(select + " FROM read_parquet('" + folder + "/*.parquet')")) {
            assertThat(result.next()).isTrue();
            double value = result.getDouble(1);
            assertThat(result.next()).as("one cell size").isFalse();
            return value;
        }
        catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    private record Key(String country, Object first, Object second) {}

    private record Counts(long events, long devices) {}

    private static final class Accumulator
    {
        private long events;
        private final Set<String> devices = new HashSet<>();

        void add(String deviceId)
        {
            events++;
            if (deviceId != null && !deviceId.isEmpty()) {
                devices.add(deviceId);
            }
        }
    }
}
