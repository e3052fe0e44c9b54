package org.eventetl.partition;

import org.eventetl.model.UserException;

/** A partition value that may not reach SQL or a path; the run is refused before anything happens. */
public final class PartitionException
        extends UserException
{
    public PartitionException(String message)
    {
        super(message);
    }
}
