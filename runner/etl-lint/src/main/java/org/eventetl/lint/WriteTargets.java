package org.eventetl.lint;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.RunStaging;

import static java.util.Objects.requireNonNull;

/**
 * Where a step may write ({@link WriteOutsideTargetRule}): only under its run's staged prefixes
 * {@code <output>/_staging/<run>/<dataset>/<partition path>/}, its own {@code {{target}}} or another
 * step's {@code {{staged.<dataset>}}}. Those are the prefixes a publish moves into place once the
 * audits pass; a file anywhere else (a published prefix, the output root, a dataset root, another
 * partition, outside the output) would be seen before the audits ran, or outlive a rerun, or
 * overwrite what another partition wrote. The fixture's engine checks use the same rule to
 * decide what they may execute, so lint itself never writes outside its work folder.
 */
final class WriteTargets
{
    private final Location output;
    private final Location staging;
    private final Partition partition;
    private final Set<String> datasets;
    private final List<String> prefixes;

    WriteTargets(Location output, RunId runId, Partition partition, Collection<String> datasets)
    {
        this.output = requireNonNull(output, "output is null");
        this.staging = new RunStaging(output, requireNonNull(runId, "runId is null")).location();
        this.partition = requireNonNull(partition, "partition is null");
        this.datasets = Set.copyOf(requireNonNull(datasets, "datasets is null"));
        List<String> prefixes = new ArrayList<>();
        for (String dataset : this.datasets) {
            prefixes.add(new PublishedPrefix(output, dataset, partition).staged(runId).prefix());
        }
        this.prefixes = List.copyOf(prefixes);
    }

    boolean allows(String path)
    {
        return !climbs(path) && prefixes.stream().anyMatch(path::startsWith);
    }

    /**
     * Whether {@code path} is the root {@code <output>/<dataset>/} of a dataset that a step writes:
     * where a table over all of the dataset's partitions belongs.
     */
    boolean isDatasetRoot(String path)
    {
        return datasets.stream().anyMatch(dataset -> path.equals(output.resolve(dataset).asPrefix()));
    }

    /** Why a write target breaks the rule, or empty when it does not. */
    Optional<String> problem(WriteTarget target)
    {
        if (target.path().isEmpty()) {
            return Optional.of(target.writer() + " writes to a path that is not a string literal; write under {{target}} or another step's {{staged.<dataset>}}");
        }
        String path = target.path().get();
        if (allows(path)) {
            return Optional.empty();
        }
        return Optional.of(target.writer() + " writes to " + shown(path) + ", " + where(path)
                + "; write under {{target}} or another step's {{staged.<dataset>}}");
    }

    private String where(String path)
    {
        if (climbs(path)) {
            return "a path that climbs with ..";
        }
        if (path.equals(output.uri()) || path.equals(output.asPrefix())) {
            return "the output root";
        }
        if (!path.startsWith(output.asPrefix())) {
            return "outside the output";
        }
        boolean staged = path.startsWith(staging.asPrefix());
        String relative = path.substring((staged ? staging : output).asPrefix().length());
        int slash = relative.indexOf('/');
        if (slash < 0) {
            return "a file in the output root";
        }
        String dataset = relative.substring(0, slash);
        if (!datasets.contains(dataset)) {
            return "in '" + dataset + "', a dataset no step targets (nothing clears it)";
        }
        // the folder the file goes to, relative to the dataset: empty for the dataset root itself
        String folder = relative.substring(slash + 1, relative.lastIndexOf('/') + 1);
        if (folder.isEmpty()) {
            return "the root of dataset '" + dataset + "'";
        }
        if (!staged && folder.startsWith(partition.hivePath() + "/")) {
            return "the published prefix of dataset '" + dataset + "', which only the publish replaces";
        }
        if ((partition.hivePath() + "/").startsWith(folder)) {
            return "a partial partition path of dataset '" + dataset + "'";
        }
        return "outside the partition's prefix of dataset '" + dataset + "'";
    }

    /** The path as the template author wrote it: the fixture's output root shown as {{output}}. */
    String shown(String path)
    {
        if (path.startsWith(output.asPrefix())) {
            return "{{output}}/" + path.substring(output.asPrefix().length());
        }
        return path.equals(output.uri()) ? "{{output}}" : path;
    }

    private static boolean climbs(String path)
    {
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return true;
            }
        }
        return false;
    }
}
