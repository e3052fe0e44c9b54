package org.eventetl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eventetl.engine.duckdb.DatasetReader;
import org.eventetl.model.Json;
import org.eventetl.partition.Partition;
import org.eventetl.storage.LocalStorage;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.Storage;

/**
 * What a reader of a local output sees of a partition: per dataset, the bytes of every file of its
 * published prefix, and its rows (read with DuckDB, in a stable order). Comparing these before and
 * after a failure says whether each dataset is still exactly the old run's, or exactly a new one's.
 */
public final class Published
{
    public static final List<String> DATASETS = List.of("event_details", "rejects", "events", "dau", "hourly_activity", "location_grid");

    private Published() {}

    /** Every file (the marker included) of each dataset's published prefix, by name, as base64. */
    public static Map<String, Map<String, String>> files(Path output, Partition partition)
    {
        Map<String, Map<String, String>> files = new LinkedHashMap<>();
        for (String dataset : DATASETS) {
            files.put(dataset, FolderSnapshot.of(prefix(output, dataset, partition)));
        }
        return files;
    }

    /** Each dataset's rows as text, sorted; reading them proves every data file readable. */
    public static Map<String, List<List<String>>> rows(Path output, Partition partition)
            throws IOException, SQLException
    {
        Map<String, List<List<String>>> rows = new LinkedHashMap<>();
        DatasetReader reader = new DatasetReader(new LocalStorage());
        for (String dataset : DATASETS) {
            List<List<String>> table = new ArrayList<>(reader.read(Location.local(prefix(output, dataset, partition)), "", Integer.MAX_VALUE).rows());
            table.sort(Comparator.comparing(Object::toString));
            rows.put(dataset, table);
        }
        return rows;
    }

    public static Path prefix(Path output, String dataset, Partition partition)
    {
        return new PublishedPrefix(Location.local(output), dataset, partition).location().toPath();
    }

    /**
     * Makes {@code prefix} a folder that an earlier run published, by writing the marker such a run
     * left before markers listed their files (RunMarker's other fields), so that a test may put files
     * of its own there: a load refuses to replace files in a folder that no run published, or that
     * its run's marker does not list.
     */
    public static void byAnEarlierRun(Storage storage, PublishedPrefix prefix)
            throws IOException
    {
        Map<String, String> marker = new LinkedHashMap<>();
        marker.put("run_id", "20170810_000000_00000001");
        marker.put("partition", prefix.partition().hivePath());
        marker.put("dataset", prefix.dataset());
        marker.put("staged_at", "2017-08-10T00:00:00Z");
        storage.write(prefix.location().resolve("_etl_run"), Json.MAPPER.writeValueAsBytes(marker));
    }

    /** The run a published prefix's marker names, or empty when it has none (never published). */
    public static String publishedBy(Path output, String dataset, Partition partition)
            throws IOException
    {
        Path marker = prefix(output, dataset, partition).resolve("_etl_run");
        if (!Files.exists(marker)) {
            return "";
        }
        return Json.MAPPER.readTree(Files.readString(marker)).get("run_id").asText();
    }
}
