package org.eventetl.history;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
}
