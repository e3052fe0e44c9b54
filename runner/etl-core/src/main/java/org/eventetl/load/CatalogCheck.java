package org.eventetl.load;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eventetl.engine.Engine;
import org.eventetl.history.PartitionState;
import org.eventetl.history.PartitionStatus;
import org.eventetl.model.EngineKind;
import org.eventetl.partition.Partition;

import static java.util.Objects.requireNonNull;

/**
 * What the engine's own catalog lists of published days. On Trino a reader sees a day only where
 * the metastore lists its partition: the files, markers and history that status reads say nothing
 * of a partition unregistered by hand, or of a table dropped and made again by a later load's V1
 * (which registers that load's day only). Engines without such a catalog have nothing to check.
 */
final class CatalogCheck
{
    private final Engine engine;
    private final List<String> datasets;

    CatalogCheck(Engine engine, List<String> datasets)
    {
        this.engine = requireNonNull(engine, "engine is null");
        this.datasets = List.copyOf(datasets);
    }

    /** The statuses of one channel's days, each current one that a table does not list made outdated, saying which tables and what mends it. */
    List<PartitionStatus> check(List<PartitionStatus> statuses)
    {
        List<PartitionStatus> current = statuses.stream().filter(status -> status.state() == PartitionState.CURRENT).toList();
        if (current.isEmpty()) {
            return statuses;
        }
        Listing listing = listing(current.get(0).partition());
        if (listing.listed().isEmpty()) {
            return statuses;
        }
        return statuses.stream().map(status -> {
            List<String> unlisted = status.state() == PartitionState.CURRENT ? listing.unlisted(status.partition()) : List.of();
            return unlisted.isEmpty() ? status : status.with(PartitionState.OUTDATED, "published by run " + status.published().map(run -> run.runId()).orElse("?")
                    + ", but " + tables(engine.kind(), unlisted) + (unlisted.size() == 1 ? " does" : " do")
                    + " not list the day (a partition unregistered, or a table dropped and made again), so its readers do not see it: etl repair registers it (backfill --only-stale reloads it)");
        }).toList();
    }

    /** The tables of the datasets as a message names them: "trino's table dau", "trino's tables dau, events". */
    static String tables(EngineKind engine, List<String> datasets)
    {
        return engine.id() + "'s table" + (datasets.size() == 1 ? " " : "s ") + String.join(", ", datasets);
    }

    /** The datasets whose table does not list the day; none on an engine without a catalog of its own. */
    List<String> unlisted(Partition partition)
    {
        return listing(partition).unlisted(partition);
    }

    /** What the tables list of the channel of {@code channel}, asked now, for many of its days to be looked up in. */
    Listing listing(Partition channel)
    {
        return new Listing(datasets, engine.listedPartitions(channel, datasets));
    }

    /** The days of one channel that each table listed when asked; an engine without a catalog of its own lists every day. */
    record Listing(List<String> datasets, Optional<Map<String, Set<Partition>>> listed)
    {
        Listing
        {
            datasets = List.copyOf(datasets);
            requireNonNull(listed, "listed is null");
        }

        /** The datasets whose table did not list the day. */
        List<String> unlisted(Partition partition)
        {
            return listed.map(tables -> datasets.stream().filter(dataset -> !tables.getOrDefault(dataset, Set.of()).contains(partition)).toList()).orElse(List.of());
        }
    }
}
