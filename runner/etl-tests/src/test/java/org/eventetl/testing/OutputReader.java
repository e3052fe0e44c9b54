package org.eventetl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eventetl.partition.Partition;

/**
 * Reads one partition's outputs back with a fresh embedded DuckDB (Parquet) and Jackson (rejects),
 * at the paths docs/design.md gives ("What it does"), spelled out here rather than taken from the runner.
 */
public final class OutputReader
{
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A row of {@code events}: the timestamp as microseconds since the epoch, the date as text. */
    public record EventRow(String deviceId, Long eventTimeMicros, String eventDate, String country)
    {
        public static EventRow of(EventOracle.Event event)
        {
            return new EventRow(event.deviceId(), event.eventTimeMicros(),
                    event.eventDate() == null ? null : event.eventDate().toString(), event.country());
        }
    }

    /** A row of {@code event_details}, likewise. */
    public record DetailRow(String deviceId, Long eventTimeMicros, String eventDate, String country, Double longitude, Double latitude,
            String userId, String userType, String language)
    {
        public static DetailRow of(EventOracle.Event event)
        {
            return new DetailRow(event.deviceId(), event.eventTimeMicros(), event.eventDate() == null ? null : event.eventDate().toString(),
                    event.country(), event.longitude(), event.latitude(), event.userId(), event.userType(), event.language());
        }
    }

    private final Path output;
    private final Partition partition;

    public OutputReader(Path output, Partition partition)
    {
        this.output = output;
        this.partition = partition;
    }

    /** {@code <output>/<dataset>/brand=…/tracker=…/channel=…/year=yyyy/month=mm/day=dd}. */
    public Path folder(String dataset)
    {
        return output.resolve(dataset)
                .resolve("brand=" + partition.brand())
                .resolve("tracker=" + partition.tracker())
                .resolve("channel=" + partition.channel())
                .resolve(String.format("year=%04d", partition.day().getYear()))
                .resolve(String.format("month=%02d", partition.day().getMonthValue()))
                .resolve(String.format("day=%02d", partition.day().getDayOfMonth()));
    }

    public Map<String, Long> dau()
    {
        Map<String, Long> dau = new TreeMap<>();
        for (List<Object> row : query("SELECT country, device_count FROM " + parquet("dau"))) {
            Object previous = dau.put((String) row.get(0), ((Number) row.get(1)).longValue());
            if (previous != null) {
                throw new AssertionError("dau has two rows for " + row.get(0));
            }
        }
        return dau;
    }

    public List<EventRow> events()
    {
        return query("SELECT device_id, epoch_us(event_time), CAST(event_date AS VARCHAR), country FROM " + parquet("events")).stream()
                .map(row -> new EventRow((String) row.get(0), (Long) row.get(1), (String) row.get(2), (String) row.get(3)))
                .toList();
    }

    public List<DetailRow> eventDetails()
    {
        return query("SELECT device_id, epoch_us(event_time), CAST(event_date AS VARCHAR), country, longitude, latitude, user_id, user_type, language FROM "
                + parquet("event_details")).stream()
                .map(row -> new DetailRow((String) row.get(0), (Long) row.get(1), (String) row.get(2), (String) row.get(3),
                        (Double) row.get(4), (Double) row.get(5), (String) row.get(6), (String) row.get(7), (String) row.get(8)))
                .toList();
    }

    /** Events per country, as {@link EventOracle#eventsPerCountry()} counts them. */
    public Map<String, Long> eventsPerCountry()
    {
        Map<String, Long> counts = new HashMap<>();
        for (EventRow row : events()) {
            counts.merge(row.country(), 1L, Long::sum);
        }
        return counts;
    }

    /** (country, device_id) of one Parquet file, in the order the rows are stored. */
    public List<List<String>> countryAndDeviceInFileOrder(Path parquetFile)
    {
        return query("SELECT country, device_id FROM read_parquet(" + literal(parquetFile.toString())
                + ", hive_partitioning = false, file_row_number = true) ORDER BY file_row_number").stream()
                .map(row -> Arrays.asList((String) row.get(0), (String) row.get(1)))
                .toList();
    }

    /** The kept rejects, parsed with Jackson from every {@code .json} file of the rejects prefix. */
    public List<EventOracle.Reject> rejects()
    {
        Path folder = folder("rejects");
        List<EventOracle.Reject> rejects = new ArrayList<>();
        for (Path file : files(folder)) {
            if (!file.getFileName().toString().endsWith(".json")) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    JsonNode node = JSON.readTree(line);
                    JsonNode number = node.path("line_number");
                    rejects.add(new EventOracle.Reject(node.get("file").textValue(), number.isNumber() ? number.longValue() : null,
                            node.get("reason").textValue(), node.get("line").textValue(), node.get("line_bytes").longValue()));
                }
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rejects;
    }

    /**
     * The data files directly in a folder, sorted; none when it does not exist. Names starting with
     * {@code _} or {@code .} are skipped, as every reader of the outputs skips them (the publish's
     * marker is one).
     */
    public static List<Path> files(Path folder)
    {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith("_") && !file.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<List<Object>> query(String sql)
    {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            List<List<Object>> rows = new ArrayList<>();
            try (ResultSet result = statement.executeQuery(sql)) {
                int columns = result.getMetaData().getColumnCount();
                while (result.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns; i++) {
                        row.add(result.getObject(i));
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
        catch (SQLException e) {
            throw new AssertionError("cannot run " + sql + ": " + e.getMessage(), e);
        }
    }

    private String parquet(String dataset)
    {
        return "read_parquet(" + literal(folder(dataset) + "/*.parquet") + ", hive_partitioning = false)";
    }

    private static String literal(String text)
    {
        return "'" + text.replace("'", "''") + "'";
    }
}
