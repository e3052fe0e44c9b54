package org.eventetl.history;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One row of {@code etl status}: a step of a partition, its state, and the published run's record of it. */
public record StepStatus(int version, String step, StepState state, Optional<StepRecord> published, String detail)
{
    public StepStatus
    {
        requireNonNull(step, "step is null");
        requireNonNull(state, "state is null");
        requireNonNull(published, "published is null");
        requireNonNull(detail, "detail is null");
    }
}
