package org.eventetl.engine.duckdb;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.eventetl.storage.Location;

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

    public Table read(Location partitionPrefix, boolean json, String orderBy, int limit)
            throws SQLException
    {
        String files = (partitionPrefix.asPrefix() + (json ? "*.json" : "*.parquet")).replace("'", "''");
        String source = json ? "read_json('" + files + "', format = 'newline_delimited')" : "read_parquet('" + files + "')";
        String sql = "SELECT * FROM " + source + (orderBy.isEmpty() ? "" : " ORDER BY " + orderBy) + " LIMIT " + limit;
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
