package org.eventetl.load;

import java.io.IOException;
import java.nio.file.Path;

import org.eventetl.model.EngineKind;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;

import static java.util.Objects.requireNonNull;

/**
 * Everything a load needs to know, validated before anything runs.
 *
 * @param maxRejectRatio the share of non-blank lines that may be rejects (audits see it as {@code max_reject_ratio})
 * @param minVolumeRatio how far a day's volume may fall below the recent days' median before an
 *         audit warns (audits see it as {@code min_volume_ratio})
 * @param strictAudits whether an audit of severity warning fails the run, as one of severity error does
 */
public record LoadRequest(Partition partition, Location source, Location output, EngineKind engine, double maxRejectRatio, double minVolumeRatio,
        boolean strictAudits)
{
    public static final double DEFAULT_MAX_REJECT_RATIO = 0.01;
    public static final double DEFAULT_MIN_VOLUME_RATIO = 0.5;

    public LoadRequest
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(source, "source is null");
        requireNonNull(output, "output is null");
        requireNonNull(engine, "engine is null");
        if (!(maxRejectRatio >= 0 && maxRejectRatio <= 1)) {
            throw new UserException("--max-reject-ratio must be between 0 and 1, got " + maxRejectRatio);
        }
        if (!(minVolumeRatio >= 0 && minVolumeRatio <= 1)) {
            throw new UserException("--min-volume-ratio must be between 0 and 1, got " + minVolumeRatio);
        }
        if (engine == EngineKind.TRINO && !(source.isS3() && output.isS3())) {
            throw new UserException("the trino engine reads and writes through its catalog's file system: give s3:// locations for --source and --output");
        }
        if (engine == EngineKind.ATHENA && !(source.isS3() && output.isS3())) {
            throw new UserException("the athena engine reads and writes S3 only: give s3:// locations for --source and --output");
        }
        Location realOutput = resolved(output);
        Location realSource = resolved(source);
        if (overlap(realOutput, realSource)) {
            String through = realOutput.equals(output) && realSource.equals(source) ? "" : " (through links: " + realOutput + " and " + realSource + ")";
            throw new UserException("--output " + output + " and --source " + source + " overlap" + through + "; keep outputs apart from the raw data");
        }
    }

    /** A load with the default audit thresholds. */
    public LoadRequest(Partition partition, Location source, Location output, EngineKind engine, double maxRejectRatio)
    {
        this(partition, source, output, engine, maxRejectRatio, DEFAULT_MIN_VOLUME_RATIO, false);
    }

    /** Whether one location is the other or lies inside it, once links are resolved on both (a render's --out against the output and the source, say). */
    public static boolean overlapThroughLinks(Location first, Location second)
    {
        return overlap(resolved(first), resolved(second));
    }

    /** Whether one location is the other or lies inside it: by path parts locally, so that the root folder contains every folder. */
    private static boolean overlap(Location first, Location second)
    {
        if (first.isS3() != second.isS3()) {
            return false;
        }
        if (first.isS3()) {
            return first.asPrefix().startsWith(second.asPrefix()) || second.asPrefix().startsWith(first.asPrefix());
        }
        return first.toPath().startsWith(second.toPath()) || second.toPath().startsWith(first.toPath());
    }

    /**
     * A local folder as the file system finally names it, links resolved: the deepest part that
     * exists is resolved (an output root need not exist yet) and the rest appended. S3 has no links.
     */
    static Location resolved(Location location)
    {
        if (location.isS3()) {
            return location;
        }
        Path path = location.toPath().toAbsolutePath().normalize();
        Path rest = Path.of("");
        while (path != null) {
            try {
                return Location.local(path.toRealPath().resolve(rest));
            }
            catch (IOException e) {
                // not there (yet), or not readable: resolve its parent
                rest = path.getFileName().resolve(rest);
                path = path.getParent();
            }
        }
        return location;
    }

    public Location sourceFolder()
    {
        return source.resolve(partition.sourcePath());
    }
}
