package org.eventetl.history;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** One row of {@code etl status}: a step of a partition, its state, and the run that decided it. */
public record StepStatus(String partition, int version, String step, StepState state, Optional<HistoryEntry> latest, String detail)
{
    public StepStatus
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(step, "step is null");
        requireNonNull(state, "state is null");
        requireNonNull(latest, "latest is null");
        requireNonNull(detail, "detail is null");
    }
}
