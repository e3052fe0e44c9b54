package org.eventetl.load;

import org.eventetl.model.EtlException;

import static java.util.Objects.requireNonNull;

/** A step of a run failed: the engine's message, and which step, for the run's record. */
final class StepRunFailedException
        extends EtlException
{
    private final String step;

    StepRunFailedException(String step, String message, Throwable cause)
    {
        super(Kind.FAILED, message, cause);
        this.step = requireNonNull(step, "step is null");
    }

    String step()
    {
        return step;
    }
}
