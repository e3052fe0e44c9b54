package org.eventetl.model;

/**
 * A load that started and failed (a step, or too many rejects): exit 1. The message names the
 * partition, the step file, the target and the engine's own words, and says what to do.
 */
public final class LoadFailedException
        extends EtlException
{
    public LoadFailedException(String message, Throwable cause)
    {
        super(Kind.FAILED, message, cause);
    }
}
