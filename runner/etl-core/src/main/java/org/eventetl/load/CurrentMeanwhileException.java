package org.eventetl.load;

import org.eventetl.model.EtlException;

/**
 * A load asked to run only on a stale day ({@link Pipeline.LoadWhen#STALE}) found the day current
 * once it held the lease: another run published it between the check that found it stale and this
 * run's lease. The run loads nothing and leaves no trace; a backfill reports the day as current.
 */
public final class CurrentMeanwhileException
        extends EtlException
{
    CurrentMeanwhileException(String message)
    {
        super(Kind.REFUSED, message, null);
    }
}
