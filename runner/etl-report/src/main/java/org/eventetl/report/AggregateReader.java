package org.eventetl.report;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eventetl.engine.duckdb.DuckDbDatabases;
import org.eventetl.engine.duckdb.LocalCopies;
import org.eventetl.history.PublicationStore;
import org.eventetl.lease.LeaseStore;
import org.eventetl.load.UnfinishedPublishes;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;
import org.eventetl.storage.PublishedPrefix;

import static java.util.Objects.requireNonNull;

/**
 * Reads a partition's aggregates ({@code dau}, {@code hourly_activity}, {@code location_grid}) with
 * embedded DuckDB, whichever engine wrote them: they are Parquet files of a few kilobytes.
 * Files on an object store are copied through the {@link Storage} first, so the report needs no
 * engine-specific credentials or extensions.
 */
public final class AggregateReader
{
    public static final String DAU = "dau";
    public static final String HOURLY = "hourly_activity";
    public static final String GRID = "location_grid";
    /** The datasets the page reads. */
    public static final List<String> DATASETS = List.of(DAU, HOURLY, GRID);

    private final Storage storage;

    public AggregateReader(Storage storage)
    {
        this.storage = requireNonNull(storage, "storage is null");
    }

    public Aggregates read(Location output, Partition partition)
            throws IOException
    {
        List<LocalCopies> copies = new ArrayList<>();
        try (Connection connection = DuckDbDatabases.openInMemory();
                Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'");
            statement.execute("SET threads = 1");
            Map<String, Long> dau = new HashMap<>();
            try (ResultSet rows = statement.executeQuery("SELECT country, device_count FROM " + parquet(output, partition, DAU, copies)
                    + " WHERE country IS NOT NULL")) {
                while (rows.next()) {
                    dau.put(rows.getString(1), rows.getLong(2));
                }
            }
            List<HourlyActivity> hourly = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT country, hour, events, devices FROM " + parquet(output, partition, HOURLY, copies)
                    + " ORDER BY country NULLS LAST, hour NULLS LAST")) {
                while (rows.next()) {
                    hourly.add(new HourlyActivity(Optional.ofNullable(rows.getString(1)), Optional.ofNullable(rows.getObject(2, LocalDateTime.class)),
                            rows.getLong(3), rows.getLong(4)));
                }
            }
            List<GridCell> cells = new ArrayList<>();
            List<Unlocated> unlocated = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT country, cell_latitude, cell_longitude, cell_degrees, events, devices FROM "
                    + parquet(output, partition, GRID, copies) + " ORDER BY country NULLS LAST, cell_latitude NULLS LAST, cell_longitude NULLS LAST")) {
                while (rows.next()) {
                    Optional<String> country = Optional.ofNullable(rows.getString(1));
                    double latitude = rows.getDouble(2);
                    if (rows.wasNull()) {
                        unlocated.add(new Unlocated(country, rows.getLong(5), rows.getLong(6)));
                    }
                    else {
                        cells.add(new GridCell(country, latitude, rows.getDouble(3), rows.getDouble(4), rows.getLong(5), rows.getLong(6)));
                    }
                }
            }
            return new Aggregates(dau, hourly, cells, unlocated);
        }
        catch (SQLException e) {
            String message = e.getMessage();
            for (LocalCopies files : copies) {
                message = files.inOriginalNames(message);
            }
            throw new IOException("cannot read the aggregates of " + partition + " under " + output + ": " + message, e);
        }
        finally {
            copies.forEach(LocalCopies::close);
        }
    }

    /** {@code read_parquet([...])} over the dataset's files for the partition; refused when there are none. */
    private String parquet(Location output, Partition partition, String dataset, List<LocalCopies> copies)
            throws IOException
    {
        Location prefix = new PublishedPrefix(output, dataset, partition).location();
        LocalCopies files = LocalCopies.of(storage, prefix);
        copies.add(files);
        if (files.isEmpty()) {
            Optional<String> publishing = UnfinishedPublishes.of(storage, output, partition).forAReader(LeaseStore.liveHolder(storage, output, partition));
            if (publishing.isPresent()) {
                // a publish cut short (or under way) before it swapped this dataset in, or a first load under
                // way: "load it" is not what to say (status says what it needs)
                throw new UserException("no " + dataset + " for " + partition + " under " + output + " yet: " + publishing.get());
            }
            // the pointer's run wrote it: deleted since, not a step the run did not have
            Optional<String> gone = new PublicationStore(storage, output).read(partition)
                    .flatMap(publication -> publication.rowsGone(dataset, prefix.asPrefix()));
            if (gone.isPresent()) {
                throw new UserException(gone.get());
            }
            throw new UserException("no " + dataset + " for " + partition + " under " + output
                    + "; the report reads what etl load writes: load the partition (again, if it was loaded before this step existed)");
        }
        return files.parquet();
    }
}
