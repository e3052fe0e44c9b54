package org.eventetl.lease;

import org.eventetl.model.EtlException;

/**
 * This run no longer holds its partition's lease (it stalled past expiry and another run took the
 * partition over, or a person removed the lease): it must not publish or delete anything more.
 */
public final class LeaseLostException
        extends EtlException
{
    public LeaseLostException(String message)
    {
        super(Kind.FAILED, message, null);
    }
}
