package org.eventetl.engine.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * Reads an output partition back (for {@code show}, the summary's DAU table and the report),
 * whichever engine wrote it: the outputs are plain Parquet (rejects: JSON lines), so embedded
 * DuckDB reads them all. Objects on S3 are copied to a temporary folder first. Files are listed
 * rather than globbed, because Trino names its files without an extension.
 */
public final class DatasetReader
{
    /** A header and rows of text, ready to print or to compare. */
    public record Table(List<String> columns, List<List<String>> rows)
    {
        public Table
        {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }
    }

    private final Storage storage;

    public DatasetReader(Storage storage)
    {
        this.storage = requireNonNull(storage, "storage is null");
    }

    /** Whether the partition prefix holds any data file. */
    public boolean exists(Location partitionPrefix)
            throws IOException
    {
        return !dataFiles(partitionPrefix).isEmpty();
    }

    public Table read(Location partitionPrefix, boolean json, String orderBy, int limit)
            throws SQLException, IOException
    {
        List<Location> files = dataFiles(partitionPrefix);
        if (files.isEmpty()) {
            return new Table(List.of(), List.of());
        }
        Path staging = null;
        try {
            List<String> paths = new ArrayList<>();
            if (partitionPrefix.isS3()) {
                staging = Files.createTempDirectory("etl-read");
                for (Location file : files) {
                    Path local = staging.resolve(paths.size() + "-" + file.fileName());
                    Files.write(local, storage.read(file).orElseThrow(() -> new IOException(file + " vanished while reading")));
                    paths.add(local.toString());
                }
            }
            else {
                files.forEach(file -> paths.add(file.uri()));
            }
            String list = paths.stream().map(path -> "'" + path.replace("'", "''").replaceAll("[*?\\[]", "[$0]") + "'").collect(Collectors.joining(", ", "[", "]"));
            String source = json ? "read_json(" + list + ", format = 'newline_delimited')" : "read_parquet(" + list + ")";
            return query("SELECT * FROM " + source + (orderBy.isEmpty() ? "" : " ORDER BY " + orderBy) + " LIMIT " + limit);
        }
        finally {
            if (staging != null) {
                try (Stream<Path> paths = Files.walk(staging)) {
                    for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(path);
                    }
                }
            }
        }
    }

    private List<Location> dataFiles(Location partitionPrefix)
            throws IOException
    {
        return storage.listRecursively(partitionPrefix).stream()
                .filter(file -> !file.fileName().startsWith(".") && !file.fileName().startsWith("_"))
                .toList();
    }

    private static Table query(String sql)
            throws SQLException
    {
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            try (ResultSet result = statement.executeQuery(sql)) {
                ResultSetMetaData metadata = result.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= metadata.getColumnCount(); i++) {
                    columns.add(metadata.getColumnName(i));
                }
                List<List<String>> rows = new ArrayList<>();
                while (result.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(String.valueOf(result.getObject(i)));
                    }
                    rows.add(row);
                }
                return new Table(columns, rows);
            }
        }
    }
}
