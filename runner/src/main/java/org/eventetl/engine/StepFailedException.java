package org.eventetl.engine;

/** The engine refused or failed a statement; carries the engine's own message for the user. */
public final class StepFailedException
        extends RuntimeException
{
    public StepFailedException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
