package org.eventetl.engine.duckdb;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
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
    /**
     * A header and rows of values: a number or a boolean as such, null for SQL's NULL, anything
     * else as DuckDB writes it as text. {@code --json} keeps their kinds; {@link #rows()} prints them.
     */
    public record Table(List<String> columns, List<List<Object>> values)
    {
        public Table
        {
            columns = List.copyOf(columns);
            // a row may hold nulls, which List.copyOf refuses
            values = values.stream().map(row -> Collections.unmodifiableList(new ArrayList<>(row))).toList();
        }

        /** The rows as text, to print or to compare. */
        public List<List<String>> rows()
        {
            return values.stream().map(row -> row.stream().map(Table::text).toList()).toList();
        }

        /** Collects a query's rows into a table. */
        static final class Collector
                implements RowSink
        {
            private final List<String> header = new ArrayList<>();
            private final List<List<Object>> rows = new ArrayList<>();

            @Override
            public void columns(List<String> columns)
            {
                header.addAll(columns);
            }

            @Override
            public void row(List<Object> values)
            {
                rows.add(values);
            }

            Table table()
            {
                return new Table(header, rows);
            }
        }

        /** One value as text: a null as {@code NULL}, as DuckDB prints one. */
        public static String text(Object value)
        {
            return value == null ? "NULL" : value.toString();
        }
    }

    /** Takes a query's rows as they are read, so that no more of them than one is held: the columns once, then each row. */
    public interface RowSink
    {
        void columns(List<String> columns);

        /** One row, its values as {@link Table} keeps them. */
        void row(List<Object> values);
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

    /** The partition's rows as a table, at most {@code limit}: for a few rows ({@link #read(Location, String, long, RowSink)} streams them). */
    public Table read(Location partitionPrefix, String orderBy, int limit)
            throws SQLException, IOException
    {
        Table.Collector table = new Table.Collector();
        read(partitionPrefix, orderBy, limit, table);
        return table.table();
    }

    /**
     * Passes the partition's rows to {@code sink} as they are read, at most {@code limit}: a day's
     * event_details (millions of rows) printed whole would not fit in the heap as a {@link Table}.
     * A partition without data files passes nothing.
     */
    public void read(Location partitionPrefix, String orderBy, long limit, RowSink sink)
            throws SQLException, IOException
    {
        try (LocalCopies files = LocalCopies.of(storage, partitionPrefix)) {
            if (!files.isEmpty()) {
                query(files, "SELECT * FROM " + files.source() + (orderBy.isEmpty() ? "" : " ORDER BY " + orderBy) + " LIMIT " + limit, sink);
            }
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

    /** The query's rows as a table, for results of a few rows. */
    private static Table query(LocalCopies files, String sql)
            throws SQLException
    {
        Table.Collector table = new Table.Collector();
        query(files, sql, table);
        return table.table();
    }

    /** The query over the files; a failure names them as the user knows them, not by their local copies. */
    private static void query(LocalCopies files, String sql, RowSink sink)
            throws SQLException
    {
        try {
            query(sql, sink);
        }
        catch (SQLException e) {
            throw new SQLException(files.inOriginalNames(e.getMessage()), e.getSQLState(), e);
        }
    }

    /** A value as the table keeps it: numbers, booleans and nulls as they are, the rest as text. */
    private static Object value(Object value)
    {
        if (value == null || value instanceof Number || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp(timestamp.toLocalDateTime());
        }
        if (value instanceof LocalDateTime local) {
            return timestamp(local);
        }
        if (value instanceof OffsetDateTime offset) {
            // the reader's session is in UTC, as DuckDB prints it: "+00"
            return timestamp(offset.toLocalDateTime()) + (offset.getOffset().equals(ZoneOffset.UTC) ? "+00" : offset.getOffset().toString());
        }
        return value.toString();
    }

    /** A time as DuckDB prints one ({@code 2017-08-09 10:00:00}, {@code 2017-08-09 09:46:04.54}), not as Java's {@code 10:00:00.0}. */
    private static String timestamp(LocalDateTime time)
    {
        String text = String.format("%s %02d:%02d:%02d", time.toLocalDate(), time.getHour(), time.getMinute(), time.getSecond());
        return time.getNano() == 0 ? text : text + "." + String.format("%09d", time.getNano()).replaceFirst("0+$", "");
    }

    private static void query(String sql, RowSink sink)
            throws SQLException
    {
        try (Connection connection = DuckDbDatabases.openInMemory();
                Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            try (ResultSet result = statement.executeQuery(sql)) {
                ResultSetMetaData metadata = result.getMetaData();
                List<String> columns = new ArrayList<>();
                for (int i = 1; i <= metadata.getColumnCount(); i++) {
                    columns.add(metadata.getColumnName(i));
                }
                sink.columns(List.copyOf(columns));
                while (result.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= columns.size(); i++) {
                        row.add(value(result.getObject(i)));
                    }
                    // a row may hold nulls, which List.copyOf refuses
                    sink.row(Collections.unmodifiableList(row));
                }
            }
        }
    }
}
