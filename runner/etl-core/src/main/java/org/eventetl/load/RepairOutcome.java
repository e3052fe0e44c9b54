package org.eventetl.load;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eventetl.lease.Lease;

import static java.util.Objects.requireNonNull;

/**
 * What a repair did to a partition.
 *
 * @param removedLease the lease of a gone holder that it removed
 * @param rolledForward the runs whose cut publish it finished
 * @param removedStaging the runs whose staging areas it removed, each with whether it had recorded its end (a failure) or not (killed, or stalled past its lease)
 * @param resolved the failed or interrupted runs it marked resolved
 * @param pointerMended what the publication pointer was (naming another run than the published one, or missing) before it wrote it again
 * @param registered the datasets whose table in the engine's catalog did not list the published day, which it registered
 * @param removedLocalCopies the local copies that killed or failed runs of the day left (DuckDB over S3), which it removed
 * @param removedReportStaging the staging areas that reports of the day left when they were killed, which it removed
 * @param leaseNotGivenBack why the repair's own lease could not be given back, when it could not
 *         (an object store gone away at the end): what it did stands, and the lease ends by itself
 */
public record RepairOutcome(Optional<Lease> removedLease, List<String> rolledForward, Map<String, Boolean> removedStaging, List<String> resolved,
        Optional<String> pointerMended, List<String> registered, List<Path> removedLocalCopies, List<String> removedReportStaging, Optional<String> leaseNotGivenBack)
{
    public RepairOutcome
    {
        requireNonNull(removedLease, "removedLease is null");
        rolledForward = List.copyOf(rolledForward);
        removedStaging = Collections.unmodifiableMap(new LinkedHashMap<>(removedStaging));
        resolved = List.copyOf(resolved);
        requireNonNull(pointerMended, "pointerMended is null");
        registered = List.copyOf(registered);
        removedLocalCopies = List.copyOf(removedLocalCopies);
        removedReportStaging = List.copyOf(removedReportStaging);
        requireNonNull(leaseNotGivenBack, "leaseNotGivenBack is null");
    }

    /** Whether the partition needed nothing. */
    public boolean nothing()
    {
        return removedLease.isEmpty() && rolledForward.isEmpty() && removedStaging.isEmpty() && resolved.isEmpty() && pointerMended.isEmpty() && registered.isEmpty() && removedLocalCopies.isEmpty()
                && removedReportStaging.isEmpty();
    }
}
