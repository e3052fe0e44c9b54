package org.eventetl.history;

import java.util.List;
import java.util.Optional;

import org.eventetl.partition.Partition;

import static java.util.Objects.requireNonNull;

/**
 * Where a partition stands: which run's outputs are published, each step relative to that run, and
 * apart from it the latest later attempt if it needs a look (failed, interrupted, running).
 *
 * @param detail one line that says why the partition is in its state and what to do
 * @param unfinishedPublish a publish under way or cut short, as the datasets' markers tell it
 *         (what the detail says in words), for a scheduler to read
 */
public record PartitionStatus(Partition partition, PartitionState state, Optional<RunRecord> published, List<StepStatus> steps,
        Optional<Attempt> attempt, String detail, Optional<UnfinishedPublish> unfinishedPublish)
{
    public PartitionStatus(Partition partition, PartitionState state, Optional<RunRecord> published, List<StepStatus> steps, Optional<Attempt> attempt, String detail)
    {
        this(partition, state, published, steps, attempt, detail, Optional.empty());
    }

    public PartitionStatus
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(state, "state is null");
        requireNonNull(published, "published is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        requireNonNull(attempt, "attempt is null");
        requireNonNull(detail, "detail is null");
        requireNonNull(unfinishedPublish, "unfinishedPublish is null");
    }

    /** The same status with another state and detail. */
    public PartitionStatus with(PartitionState otherState, String otherDetail)
    {
        return new PartitionStatus(partition, otherState, published, steps, attempt, otherDetail, unfinishedPublish);
    }

    /** The same status, with the publish under way or cut short that its detail tells of. */
    public PartitionStatus with(UnfinishedPublish publish)
    {
        return new PartitionStatus(partition, state, published, steps, attempt, detail, Optional.of(publish));
    }

    /** The same status with another detail. */
    public PartitionStatus withDetail(String otherDetail)
    {
        return with(state, otherDetail);
    }

    /** The same status with a note after its detail. */
    public PartitionStatus withNote(String note)
    {
        return withDetail(detail + "; " + note);
    }

    /**
     * A run after the published one that did not publish.
     *
     * @param phase where it stopped: a step, an audit, {@code publish}, or empty when it ended without a record
     * @param publishStarted whether it had begun to publish (then the published data may mix two runs until a rerun or repair finishes it)
     */
    public record Attempt(String runId, PartitionState state, Optional<String> phase, Optional<String> message, boolean publishStarted)
    {
        public Attempt
        {
            requireNonNull(runId, "runId is null");
            requireNonNull(state, "state is null");
            requireNonNull(phase, "phase is null");
            requireNonNull(message, "message is null");
        }
    }
}
