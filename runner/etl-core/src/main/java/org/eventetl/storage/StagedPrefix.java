package org.eventetl.storage;

import org.eventetl.partition.Partition;

import static java.util.Objects.requireNonNull;

/**
 * Where one run writes a dataset's partition before anything is published:
 * {@code <output>/_staging/<run id>/<dataset>/<hive partition path>/}. New for every run, so a
 * step never writes where a reader looks, and a failed run leaves it for inspection.
 */
public record StagedPrefix(RunStaging run, String dataset, Partition partition)
        implements OwnedPrefix
{
    public StagedPrefix
    {
        requireNonNull(run, "run is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(partition, "partition is null");
        if (!PublishedPrefix.DATASET.matcher(dataset).matches()) {
            throw new IllegalArgumentException("not a dataset name: " + dataset);
        }
    }

    @Override
    public Location location()
    {
        return run.location().resolve(dataset).resolve(partition.hivePath());
    }

    /** Where this staged partition is published. */
    public PublishedPrefix published()
    {
        return new PublishedPrefix(run.output(), dataset, partition);
    }

    @Override
    public String toString()
    {
        return prefix();
    }
}
