package org.eventetl.sample;

import java.nio.file.Path;

import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;

import static java.util.Objects.requireNonNull;

/**
 * What {@code etl sample} writes: how many events, over how many files, and how dirty they are.
 *
 * @param nullRatio share of optional fields that are missing, null, empty or of the wrong type
 * @param malformedRatio share of lines that are not JSON objects (truncated, garbage, arrays)
 */
public record SampleSpec(Partition partition, Path output, long events, int files, long seed,
        double nullRatio, double malformedRatio, boolean gzip)
{
    public static final int MAX_FILES = 10_000;
    /** About 330 GB of JSON, 150 seed-scale days: more is a typo (a digit too many), not a sample. */
    public static final long MAX_EVENTS = 1_000_000_000L;

    public SampleSpec
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(output, "output is null");
        if (events < 0 || events > MAX_EVENTS) {
            throw new UserException(String.format("--events must be from 0 to %,d, got %,d", MAX_EVENTS, events));
        }
        if (files < 1 || files > MAX_FILES) {
            throw new UserException("--files must be between 1 and " + MAX_FILES + ", got " + files);
        }
        requireRatio("--null-ratio", nullRatio);
        requireRatio("--malformed-ratio", malformedRatio);
    }

    /** About 64 MB a file, like the many mid-sized objects a tracker's firehose writes. */
    public static int defaultFiles(long events)
    {
        return (int) Math.max(1, Math.min(MAX_FILES, (events + 199_999) / 200_000));
    }

    public Path partitionFolder()
    {
        return output.resolve(partition.sourcePath());
    }

    private static void requireRatio(String flag, double ratio)
    {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new UserException(flag + " must be between 0 and 1, got " + ratio);
        }
    }
}
