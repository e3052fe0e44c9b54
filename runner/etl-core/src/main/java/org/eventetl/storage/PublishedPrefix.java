package org.eventetl.storage;

import java.util.regex.Pattern;

import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;

import static java.util.Objects.requireNonNull;

/**
 * Where readers find a dataset's partition: {@code <output>/<dataset>/<hive partition path>/}. Only
 * a publish replaces what is there.
 */
public record PublishedPrefix(Location output, String dataset, Partition partition)
        implements OwnedPrefix
{
    /** A step's dataset, or one of the runner's own that starts with {@code _} (the report pages). */
    static final Pattern DATASET = Pattern.compile("_?[a-z][a-z0-9_]*");

    public PublishedPrefix
    {
        requireNonNull(output, "output is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(partition, "partition is null");
        if (!DATASET.matcher(dataset).matches()) {
            throw new IllegalArgumentException("not a dataset name: " + dataset);
        }
    }

    @Override
    public Location location()
    {
        return output.resolve(dataset).resolve(partition.hivePath());
    }

    /** The same dataset's partition as run {@code runId} stages it. */
    public StagedPrefix staged(RunId runId)
    {
        return new StagedPrefix(new RunStaging(output, runId), dataset, partition);
    }

    @Override
    public String toString()
    {
        return prefix();
    }
}
