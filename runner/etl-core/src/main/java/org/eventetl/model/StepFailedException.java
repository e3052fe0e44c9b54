package org.eventetl.model;

/** The engine refused or failed a statement; carries the engine's own message for the user. */
public final class StepFailedException
        extends EtlException
{
    public StepFailedException(String message, Throwable cause)
    {
        super(Kind.FAILED, message, cause);
    }

    /** The first line of an engine's message: drivers append the statement and a caret, one line is what a user reads. */
    public static String firstLine(String message, String whenMissing)
    {
        if (message == null || message.isBlank()) {
            return whenMissing;
        }
        return message.strip().lines().findFirst().orElse(message);
    }
}
