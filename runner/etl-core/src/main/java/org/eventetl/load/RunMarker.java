package org.eventetl.load;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

import org.eventetl.model.Json;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * Which run's files a published prefix holds: {@code _etl_run}, staged with the data and
 * published with it (last, on object stores), so it can only name a run whose files are all there.
 * Readers skip it: Hive, Trino, Athena and Spark ignore names starting with {@code _}, and it has
 * no extension, so that a reader's glob of a dataset's files ({@code *.parquet}, {@code *.json})
 * does not take it for one. It makes a publish repeatable: a dataset whose marker
 * already names the run is not published twice.
 */
record RunMarker(String runId, String partition, String dataset, Instant stagedAt)
{
    static final String FILE_NAME = "_etl_run";

    /**
     * The run whose files a published prefix holds, as its marker names it; empty where there is no
     * marker. A marker that cannot be parsed is a {@link DamagedFileException}.
     */
    static Optional<String> runOf(Storage storage, PublishedPrefix published)
            throws IOException
    {
        Optional<byte[]> marker = storage.read(published.location().resolve(FILE_NAME));
        if (marker.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(marker.get(), RunMarker.class).runId());
        }
        catch (IOException e) {
            // cut short or edited by hand: named, so that no reader blames another file
            throw new DamagedFileException(published.location().resolve(FILE_NAME), e);
        }
    }

    RunMarker
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(partition, "partition is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(stagedAt, "stagedAt is null");
    }
}
