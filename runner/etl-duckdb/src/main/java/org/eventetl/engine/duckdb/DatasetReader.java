package org.eventetl.engine.duckdb;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.eventetl.plan.SummaryView;
import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * Reads an output partition back (for {@code show} and the summary's DAU table), whichever engine
 * wrote it: the outputs are plain Parquet (rejects: JSON lines), so embedded DuckDB reads them all.
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
        try (LocalCopies files = LocalCopies.of(storage, partitionPrefix)) {
            return !files.isEmpty();
        }
    }

    public Table read(Location partitionPrefix, String orderBy, int limit)
            throws SQLException, IOException
    {
        try (LocalCopies files = LocalCopies.of(storage, partitionPrefix)) {
            if (files.isEmpty()) {
                return new Table(List.of(), List.of());
            }
            String source = files.source();
            return query(files, "SELECT * FROM " + source + (orderBy.isEmpty() ? "" : " ORDER BY " + orderBy) + " LIMIT " + limit);
        }
    }

    /**
     * What a load's summary shows of a dataset ({@code -- summary:} of its step): its rows, or how
     * many rows each value of a column has, most first.
     */
    public Table summarize(Location partitionPrefix, SummaryView view, int limit)
            throws SQLException, IOException
    {
        try (LocalCopies files = LocalCopies.of(storage, partitionPrefix)) {
            if (files.isEmpty()) {
                return new Table(List.of(), List.of());
            }
            String source = files.source();
            if (view.countBy().isPresent()) {
                String column = view.countBy().get();
                return query(files, "SELECT \"" + column + "\", count(*) AS \"rows\" FROM " + source + " GROUP BY ALL ORDER BY \"rows\" DESC, 1 LIMIT " + limit);
            }
            return query(files, "SELECT * FROM " + source + " ORDER BY ALL LIMIT " + limit);
        }
    }

    /** The query over the files; a failure names them as the user knows them, not by their local copies. */
    private static Table query(LocalCopies files, String sql)
            throws SQLException
    {
        try {
            return query(sql);
        }
        catch (SQLException e) {
            throw new SQLException(files.inOriginalNames(e.getMessage()), e.getSQLState(), e);
        }
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
