package org.eventetl.lease;

import org.eventetl.model.UserException;

/** Another live run holds the partition: this run is refused (exit 2) and touches nothing. */
public final class LeaseRefusedException
        extends UserException
{
    public LeaseRefusedException(String message)
    {
        super(message);
    }
}
