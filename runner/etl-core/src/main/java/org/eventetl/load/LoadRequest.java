package org.eventetl.load;

import org.eventetl.model.EngineKind;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;

import static java.util.Objects.requireNonNull;

/** Everything a load needs to know, validated before anything runs. */
public record LoadRequest(Partition partition, Location source, Location output, EngineKind engine, double maxRejectRatio)
{
    public static final double DEFAULT_MAX_REJECT_RATIO = 0.01;

    public LoadRequest
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(source, "source is null");
        requireNonNull(output, "output is null");
        requireNonNull(engine, "engine is null");
        if (!(maxRejectRatio >= 0 && maxRejectRatio <= 1)) {
            throw new UserException("--max-reject-ratio must be between 0 and 1, got " + maxRejectRatio);
        }
        if (engine == EngineKind.TRINO && !(source.isS3() && output.isS3())) {
            throw new UserException("the trino engine reads and writes through its catalog's file system: give s3:// locations for --source and --output");
        }
        if (engine == EngineKind.ATHENA && !(source.isS3() && output.isS3())) {
            throw new UserException("the athena engine reads and writes S3 only: give s3:// locations for --source and --output");
        }
        if (output.asPrefix().startsWith(source.asPrefix()) || source.asPrefix().startsWith(output.asPrefix())) {
            throw new UserException("--output " + output + " and --source " + source + " overlap; keep outputs apart from the raw data");
        }
    }

    public Location sourceFolder()
    {
        return source.resolve(partition.sourcePath());
    }
}
