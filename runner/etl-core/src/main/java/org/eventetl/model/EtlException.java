package org.eventetl.model;

import static java.util.Objects.requireNonNull;

/**
 * A failure the runner expected and can explain in one line: every layer throws these, and the
 * command line turns the kind into an exit code. Anything else that escapes is a bug.
 */
public abstract class EtlException
        extends RuntimeException
{
    /** What went wrong, as an operator needs to know it. */
    public enum Kind
    {
        /** Bad usage or input, found before a statement ran or a file was deleted: fix the command and rerun. */
        REFUSED,
        /** A run started and a step, an audit or the publish failed; published data is as it was before the run. */
        FAILED,
    }

    private final Kind kind;

    protected EtlException(Kind kind, String message, Throwable cause)
    {
        super(message, cause);
        this.kind = requireNonNull(kind, "kind is null");
    }

    public Kind kind()
    {
        return kind;
    }
}
