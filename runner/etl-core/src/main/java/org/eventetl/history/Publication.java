package org.eventetl.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Which run's outputs a partition's published prefixes hold: written once every dataset is
 * published, like a table format's pointer to its current snapshot. The history says the same at
 * length; this one small file lets an audit find the recent published days without reading theirs.
 *
 * @param rows the rows each dataset's step wrote, as the engine counted them
 */
public record Publication(String runId, String partition, List<String> datasets, Map<String, Long> rows, Instant publishedAt)
{
    public Publication
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(partition, "partition is null");
        datasets = List.copyOf(requireNonNull(datasets, "datasets is null"));
        rows = Map.copyOf(rows == null ? Map.of() : rows);
        requireNonNull(publishedAt, "publishedAt is null");
    }

    /**
     * What a reader ({@code show}, the report) says of a dataset found without rows under
     * {@code where} when this run wrote some: its files were deleted or emptied since, not a day
     * without rows; empty when the run wrote none.
     */
    public Optional<String> rowsGone(String dataset, String where)
    {
        long written = rows.getOrDefault(dataset, 0L);
        if (written == 0) {
            return Optional.empty();
        }
        return Optional.of("no " + dataset + " rows under " + where + ", though run " + runId + " published " + String.format("%,d", written)
                + ": its files were deleted or emptied since; etl status says what else is missing, and a reload of the day writes them again");
    }
}
