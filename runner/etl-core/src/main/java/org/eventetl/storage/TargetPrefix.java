package org.eventetl.storage;

import java.util.regex.Pattern;

import org.eventetl.partition.Partition;

import static java.util.Objects.requireNonNull;

/**
 * A full {@code <output>/<dataset>/<hive partition path>/} prefix: the only thing a storage will
 * clear. Being a type rather than a string, a bucket, a dataset root or a partial partition path
 * cannot be handed to {@link Storage#clear} by mistake.
 */
public record TargetPrefix(Location output, String dataset, Partition partition)
{
    private static final Pattern DATASET = Pattern.compile("_?[a-z][a-z0-9_]*");

    public TargetPrefix
    {
        requireNonNull(output, "output is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(partition, "partition is null");
        if (!DATASET.matcher(dataset).matches()) {
            throw new IllegalArgumentException("not a dataset name: " + dataset);
        }
    }

    public Location location()
    {
        return output.resolve(dataset).resolve(partition.hivePath());
    }

    /** With the trailing slash, so that {@code channel=android} never matches {@code channel=android2}. */
    public String prefix()
    {
        return location().asPrefix();
    }

    @Override
    public String toString()
    {
        return prefix();
    }
}
