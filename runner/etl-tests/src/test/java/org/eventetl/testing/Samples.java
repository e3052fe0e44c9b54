package org.eventetl.testing;

import java.io.IOException;
import java.nio.file.Path;

import org.eventetl.partition.Partition;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;

/** Generated days for the tests that need many events but not particular ones. */
public final class Samples
{
    private Samples() {}

    /** {@code events} lines of the usual dirtiness in two files, seeded by the day, so that each day differs. */
    public static void day(Path source, Partition partition, long events)
            throws IOException
    {
        new SampleWriter(new SampleSpec(partition, source, events, 2, partition.day().getDayOfMonth(), 0.02, 0.001, false)).write(bytes -> {});
    }
}
